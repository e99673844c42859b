"""Part 2 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"pandas on Guard's table, rounded as the conventions allow": """
_g = guard.assign(_flag=scores >= S.current_threshold, _owed=guard["amount"] + S.chargeback_fee)
_frauds = _g[_g["is_fraud"] == 1]
q1_current = {"recall": round(float(_frauds["_flag"].mean()), 3),
              "dollar_recall": round(float(_frauds.loc[_frauds["_flag"], "_owed"].sum() / _frauds["_owed"].sum()), 3),
              "stepups_per_1000": round(float(_g["_flag"].mean() * 1000), 1)}
"""},
    "q2": {"the highest of the tied thresholds, bills from sorted cumulative sums": """
_order = np.argsort(scores)
_s, _owed = scores[_order], np.where(y == 1, amount + S.chargeback_fee, 0.0)[_order]
_missed = np.concatenate([[0.0], np.cumsum(_owed)])  # liability of the k lowest scores
_k = np.searchsorted(_s, GRID)  # transactions scoring below each threshold
_bills = ((len(_s) - _k) * S.stepup_cost + _missed[_k]) / len(_s) * 1000
_i = np.flatnonzero(_bills <= _bills.min() + 0.5)[-1]
q2_cheapest = {"cost_nothing": round(_missed[-1] / len(_s) * 1000), "threshold": float(GRID[_i]),
               "cost_per_1000": round(float(_bills[_i]), 2)}
"""},
    "q3": {"each transaction's own p*, compared with >=": """
_p_star = S.stepup_cost / (amount + S.chargeback_fee)
_flags = scores >= _p_star
_bill = (_flags.sum() * S.stepup_cost + liability[~_flags].sum()) / len(y) * 1000
q3_rule = {"cost_per_1000": round(_bill), "stepups_per_1000": round(_flags.mean() * 1000, 1),
           "better": "rule" if _bill < q2_cheapest["cost_per_1000"] else "single"}
"""},
    "q4": {"a table of the grid filtered by the cap, rounded to the dollar": """
import pandas as pd
_table = pd.DataFrame({"t": GRID, "bill": bills, "stepups": [(scores >= t).sum() / len(y) * 1000 for t in GRID]})
_ok = _table[_table["stepups"] <= S.stepup_cap]
_row = _ok.loc[_ok["bill"].idxmin()]
q4_capped = {"threshold": float(_row["t"]), "cost_per_1000": round(float(_row["bill"])),
             "price_of_cap": round(float(_row["bill"])) - round(float(q2_cheapest["cost_per_1000"]))}
"""},
    "q5": {"weights rescaled to a mean of 1 (the same ratios), rounded": """
_w = weights / weights.mean()
_m = fraud.make_model().fit(train, train["is_fraud"], logisticregression__sample_weight=_w)
_sw = _m.predict_proba(guard)[:, 1]
_best = min(bill(_sw >= t) for t in GRID if (_sw >= t).mean() * 1000 <= S.stepup_cap)
q5_weighted = {"pr_auc_weighted": round(average_precision_score(y, _sw), 3), "cost_weighted": round(_best),
               "ship": "weighted" if _best + S.model_cost < q4_capped["cost_per_1000"] else "plain"}
"""},
    "q6": {"an exact (Clopper-Pearson) interval": """
_at = summary_at(y, scores, q4_capped["threshold"])
_low, _high = accuracy_interval(_at["tp"], _at["tp"] + _at["fn"], method="beta")
q6_promise = {"recall": round(_at["recall"], 3), "recall_low": round(_low, 3),
              "decision": verdict(_low, _high, S.recall_floor)}
"""},
}

MISTAKES = {
    "q1": {
        "step-ups as a share where step-ups per 1,000 are asked": (["stepups_per_1000"], """
q1_current = {**q1_current, "stepups_per_1000": q1_current["stepups_per_1000"] / 1000}
"""),
        "dollar recall weighs the amount only, forgetting the chargeback fee": (["dollar_recall"], """
_caught = (scores >= S.current_threshold) & (y == 1)
q1_current = {**q1_current, "dollar_recall": amount[_caught].sum() / amount[y == 1].sum()}
"""),
    },
    "q2": {
        "the lesson's flat cost matrix ($6 a false alarm, $180 a miss) instead of Guard's bill":
            (["cost_nothing", "threshold", "cost_per_1000"], """
from aipm_lab.costs import CostMatrix, best_threshold
_flat = best_threshold(y, scores, CostMatrix(false_positive=6.0, false_negative=180.0))
q2_cheapest = {"cost_nothing": y.mean() * 180 * 1000, "threshold": float(_flat["threshold"]),
               "cost_per_1000": float(_flat["cost_per_1000"])}
"""),
        "a caught fraud treated as free (no step-up charged on it)": (["cost_per_1000"], """
_bills = np.array([(((scores >= t) & (y == 0)).sum() * S.stepup_cost + liability[scores < t].sum()) / len(y) * 1000
                   for t in GRID])
q2_cheapest = {**q2_cheapest, "threshold": GRID[_bills.argmin()], "cost_per_1000": _bills.min()}
"""),
    },
    "q3": {
        "one flat p* from the average fraud's liability": (["cost_per_1000", "stepups_per_1000"], """
_p = S.stepup_cost / (S.stepup_cost + liability[y == 1].mean())
_flags = scores >= _p
q3_rule = {**q3_rule, "cost_per_1000": bill(_flags), "stepups_per_1000": _flags.mean() * 1000}
"""),
        "the comparison the wrong way round (flag when the step-up costs more)": (["cost_per_1000", "stepups_per_1000"], """
_flags = scores * (amount + S.chargeback_fee) < S.stepup_cost
q3_rule = {**q3_rule, "cost_per_1000": bill(_flags), "stepups_per_1000": _flags.mean() * 1000}
"""),
    },
    "q4": {
        "ignores the cap (Q2's threshold)": (["threshold", "cost_per_1000", "price_of_cap"], """
q4_capped = {"threshold": q2_cheapest["threshold"], "cost_per_1000": q2_cheapest["cost_per_1000"], "price_of_cap": 0.0}
"""),
        "step-ups counted per 1,000 of all test transactions, not Guard's": (["threshold", "cost_per_1000", "price_of_cap"], """
_all = model.predict_proba(test)[:, 1]
_ok = np.array([(_all >= t).sum() / len(test) * 1000 <= S.stepup_cap for t in GRID])
_i = np.flatnonzero(_ok)[bills[_ok].argmin()]
q4_capped = {"threshold": GRID[_i], "cost_per_1000": bills[_i], "price_of_cap": bills[_i] - bills[cheapest]}
"""),
    },
    "q5": {
        "class_weight='balanced' instead of Guard's costs": (["pr_auc_weighted", "cost_weighted"], """
_sw = fraud.make_model(class_weight="balanced").fit(train, train["is_fraud"]).predict_proba(guard)[:, 1]
_best = min(bill(_sw >= t) for t in GRID if (_sw >= t).mean() * 1000 <= S.stepup_cap)
q5_weighted = {**q5_weighted, "pr_auc_weighted": average_precision_score(y, _sw), "cost_weighted": _best}
"""),
        "the weighted model's bill without the cap": (["cost_weighted"], """
q5_weighted = {**q5_weighted, "cost_weighted": min(bill(weighted_scores >= t) for t in GRID)}
"""),
    },
    "q6": {
        "recall at Q2's threshold, which breaks the cap": (["recall", "recall_low"], """
q6_promise = promise_call(q2_cheapest["threshold"])
"""),
        "a normal-approximation (Wald) interval on a few dozen frauds": (["recall_low"], """
_at = summary_at(y, scores, q4_capped["threshold"])
_r = _at["recall"]
q6_promise = {**q6_promise, "recall_low": _r - 1.96 * np.sqrt(_r * (1 - _r) / (_at["tp"] + _at["fn"]))}
"""),
    },
}
