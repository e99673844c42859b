"""Part 1 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"numpy by hand over itertools pairs, rounded to 3 decimals": """
from itertools import combinations as _combinations
_pairs = [(runs.labels[i] != runs.labels[j]).mean() for i, j in _combinations(range(len(runs.labels)), 2)]
q1_churn = {"today_vs_tomorrow": round(float((runs.labels[0] != runs.labels[1]).mean()), 3),
            "mean_pairwise": round(float(np.mean(_pairs)), 3)}
"""},
    "q2": {"pandas nunique per message and the traits table, rounded": """
import pandas as _pd
_unstable = (_pd.DataFrame(runs.labels).nunique(axis=0) > 1).to_numpy()
_tail = intents.message_traits(test).any(axis=1).to_numpy()
q2_unstable = {"unstable_share": round(float(_unstable.mean()), 3),
               "tail_share_of_unstable": round(float(_tail[_unstable].sum() / _unstable.sum()), 3)}
"""},
    "q3": {
        "np.ptp and np.percentile, the last of tied messages": """
_spread = np.ptp(runs.confidence, axis=0)
_texts = test["text"].to_numpy()
q3_spread = {"median_spread": round(float(np.percentile(_spread, 50)), 3),
             "over_10_points": round(float(np.mean(_spread * 100 > 10)), 3),
             "widest_text": str(_texts[len(_spread) - 1 - int(np.argmax(_spread[::-1]))])}
""",
        "pandas idxmax on a table indexed like test": """
_table = confidence_spread(runs.confidence).set_index(test.index)
q3_spread = {"median_spread": float(_table["spread"].median()),
             "over_10_points": float((_table["spread"] > 0.10).mean()),
             "widest_text": test.loc[_table["spread"].idxmax(), "text"]}
""",
    },
    "q4": {"sklearn's accuracy_score on boolean masks, rounded": """
from sklearn.metrics import accuracy_score as _accuracy
_demo = tickets.demo_examples(test)
_is_tail = intents.long_tail(test)
q4_demo_gap = {"demo": _accuracy(_demo["intent"], model.predict(_demo["text"])),
               "test": round(_accuracy(y_test, predicted), 3),
               "long_tail": round(_accuracy(test.loc[_is_tail, "intent"], model.predict(test.loc[_is_tail, "text"])), 3)}
"""},
    "q5": {"Clopper-Pearson from statsmodels, rounded to 3 decimals": """
from statsmodels.stats.proportion import proportion_confint as _confint
def _low(hits):
    return round(float(_confint(int(hits.sum()), len(hits), alpha=0.05, method="beta")[0]), 3)
q5_promise = {"demo_low": _low(demo_correct), "test_low": _low(correct), "tail_low": _low(correct[tail])}
"""},
    "q6": {
        "the smallest size whose Wilson half-width is 0.02 or less": """
_sizes = interval_by_size(correct[tail].mean(), range(500, 5000))
_n = int(_sizes.loc[_sizes["half_width"] <= 0.02, "n"].min())
q6_eval_size = {"n_needed": _n, "extra_to_label": max(0, _n - int(tail.sum()))}
""",
        "the formula by hand, z = 1.96 and p rounded to 3 decimals": """
import math as _math
_p = round(float(correct[tail].mean()), 3)
_n = _math.ceil(1.96 ** 2 * _p * (1 - _p) / 0.02 ** 2)
q6_eval_size = {"n_needed": _n, "extra_to_label": max(0, _n - int(tail.sum()))}
""",
    },
    "q7": {"Clopper-Pearson intervals, rounded to 3 decimals": """
_ends = [accuracy_interval(int((_labels == y_test).sum()), len(y_test), method="beta") for _labels in runs.labels]
q7_range = {"low": round(min(_e[0] for _e in _ends), 3), "high": round(max(_e[1] for _e in _ends), 3)}
"""},
    "q8": {"an exact (Clopper-Pearson) interval, rounded": """
_low, _high = accuracy_interval(int(correct.sum()), len(correct), method="beta")
q8_contract = {"low": round(_low, 3), "high": round(_high, 3), "decision": verdict(_low, _high, 0.85)}
"""},
}

MISTAKES = {
    "q1": {
        "percentages instead of fractions": ("all", """
q1_churn = {"today_vs_tomorrow": 100 * prediction_churn(runs.labels[0], runs.labels[1]),
            "mean_pairwise": 100 * pairwise_churn(runs.labels)}
"""),
        "mean of the whole churn matrix, its zero diagonal included": (["mean_pairwise"], """
from aipm_lab.stability import churn_matrix as _churn_matrix
q1_churn = {"today_vs_tomorrow": prediction_churn(runs.labels[0], runs.labels[1]),
            "mean_pairwise": float(_churn_matrix(runs.labels).mean())}
"""),
        "agreement instead of churn": ("all", """
q1_churn = {"today_vs_tomorrow": 1 - prediction_churn(runs.labels[0], runs.labels[1]),
            "mean_pairwise": 1 - pairwise_churn(runs.labels)}
"""),
    },
    "q2": {
        "share of the long tail that is unstable (the wrong denominator)": (["tail_share_of_unstable"], """
q2_unstable = {"unstable_share": unstable.mean(), "tail_share_of_unstable": unstable[tail].mean()}
"""),
        "unstable judged on retrains 0 and 1 only": (["unstable_share"], """
_flipped = runs.labels[0] != runs.labels[1]
q2_unstable = {"unstable_share": _flipped.mean(), "tail_share_of_unstable": tail[_flipped].mean()}
"""),
        "percentages instead of fractions": ("all", """
q2_unstable = {"unstable_share": 100 * unstable.mean(), "tail_share_of_unstable": 100 * tail[unstable].mean()}
"""),
    },
    "q3": {
        "spread in percentage points": (["median_spread", "over_10_points"], """
q3_spread = {**q3_spread, "median_spread": 100 * float(np.median(spread)),
             "over_10_points": 100 * float((spread > 0.10).mean())}
"""),
        "the message with the narrowest spread": (["widest_text"], """
q3_spread = {**q3_spread, "widest_text": test["text"].to_numpy()[spread.argmin()]}
"""),
        "standard deviation across retrains instead of max minus min": (["median_spread", "over_10_points"], """
_std = runs.confidence.std(axis=0, ddof=1)
q3_spread = {**q3_spread, "median_spread": float(np.median(_std)), "over_10_points": float((_std > 0.10).mean())}
"""),
    },
    "q4": {
        "percentages instead of fractions": ("all", """
q4_demo_gap = {k: 100 * v for k, v in q4_demo_gap.items()}
"""),
        "the long tail's share of the test set instead of its accuracy": (["long_tail"], """
q4_demo_gap = {**q4_demo_gap, "long_tail": tail.mean()}
"""),
        "error rates instead of accuracies": ("all", """
q4_demo_gap = {"demo": 1 - demo_correct.mean(), "test": 1 - correct.mean(), "long_tail": 1 - correct[tail].mean()}
"""),
    },
    "q5": {
        "point estimates instead of the interval's low end": ("all", """
q5_promise = {"demo_low": demo_correct.mean(), "test_low": correct.mean(), "tail_low": correct[tail].mean()}
"""),
        "the long tail's interval with n = the whole test set": (["tail_low"], """
q5_promise = {**q5_promise, "tail_low": accuracy_interval(int(correct[tail].sum()), len(correct))[0]}
"""),
        "a normal (Wald) interval: a perfect demo then promises 100%": (["demo_low"], """
q5_promise = {**q5_promise, "demo_low": accuracy_interval(int(demo_correct.sum()), len(demo_correct), method="normal")[0]}
"""),
    },
    "q6": {
        "forgets to subtract the long-tail messages already labelled": (["extra_to_label"], """
q6_eval_size = {**q6_eval_size, "extra_to_label": q6_eval_size["n_needed"]}
"""),
        "the worst case p = 0.5 instead of the measured tail accuracy": (["n_needed", "extra_to_label"], """
_n = sample_size_for_margin(0.5, 0.02)
q6_eval_size = {"n_needed": _n, "extra_to_label": max(0, _n - int(tail.sum()))}
"""),
        "the whole test set's accuracy instead of the long tail's": (["n_needed", "extra_to_label"], """
_n = sample_size_for_margin(correct.mean(), 0.02)
q6_eval_size = {"n_needed": _n, "extra_to_label": max(0, _n - int(tail.sum()))}
"""),
        "margin 0.04 (the interval's full width) instead of the half-width": (["n_needed", "extra_to_label"], """
_n = sample_size_for_margin(correct[tail].mean(), 0.04)
q6_eval_size = {"n_needed": _n, "extra_to_label": max(0, _n - int(tail.sum()))}
"""),
    },
    "q7": {
        "lowest and highest point accuracy, no intervals": ("all", """
_accuracies = [(_labels == y_test).mean() for _labels in runs.labels]
q7_range = {"low": min(_accuracies), "high": max(_accuracies)}
"""),
        "the launch model's interval instead of the retrains'": (["low", "high"], """
_low, _high = accuracy_interval(int(correct.sum()), len(correct))
q7_range = {"low": _low, "high": _high}
"""),
        "the narrowest range: highest low end and lowest high end": ("all", """
_ends = [accuracy_interval(int((_labels == y_test).sum()), len(y_test)) for _labels in runs.labels]
q7_range = {"low": max(_e[0] for _e in _ends), "high": min(_e[1] for _e in _ends)}
"""),
    },
    "q8": {
        "judged on the point estimate (go when accuracy >= 0.85)": (["decision"], """
q8_contract = {**q8_contract, "decision": "go" if correct.mean() >= 0.85 else "no-go"}
"""),
        "interval ends as percentages": (["low", "high"], """
q8_contract = {**q8_contract, "low": 100 * q8_contract["low"], "high": 100 * q8_contract["high"]}
"""),
        "the long tail's interval instead of the test set's": ("all", """
_low, _high = accuracy_interval(int(correct[tail].sum()), int(tail.sum()))
q8_contract = {"low": _low, "high": _high, "decision": verdict(_low, _high, 0.85)}
"""),
    },
}
