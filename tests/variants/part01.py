"""Part 1 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"pandas on the test table, rounded as the conventions allow": """
_t = test.assign(_routed=model.predict_proba(test["text"]).max(axis=1) >= S.gate,
                 _right=model.predict(test["text"]) == test["intent"])
_r = _t[_t["_routed"]]
q1_gate = {"routed_per_week": round(S.weekly_tickets * len(_r) / len(_t)), "routed_accuracy": round(float(_r["_right"].mean()), 3),
           "misrouted_per_week": round(S.weekly_tickets * (~_r["_right"]).sum() / len(_t))}
"""},
    "q2": {"pandas per retrain, rounded": """
import pandas as _pd
_g = _pd.DataFrame(runs.confidence >= S.gate)
q2_stability = {"decision_flips": round(float((_g.iloc[0] ^ _g.iloc[1]).mean()), 3),
                "always_routed": round(float(_g.all(axis=0).mean()), 3),
                "worst_week_routed": round(S.weekly_tickets * int(_g.sum(axis=1).min()) / _g.shape[1])}
"""},
    "q3": {"an exact (Clopper-Pearson) interval from statsmodels": """
from statsmodels.stats.proportion import proportion_confint as _ci
_m = conf >= S.gate
_low, _high = _ci(int(correct[_m].sum()), int(_m.sum()), method="beta")
q3_guarantee = {"low": round(_low, 3), "high": round(_high, 3), "decision": verdict(_low, _high, S.accuracy_floor)}
"""},
    "q4": {"Clopper-Pearson throughout, gates from the highest down": """
_ok = [g for g in GATES[::-1] if accuracy_interval(int(correct[conf >= g].sum()), int((conf >= g).sum()),
                                                   method="beta")[0] >= S.accuracy_floor]
_g = float(min(_ok))
q4_lowest_gate = {"gate": _g, "routed_per_week": round(S.weekly_tickets * float((conf >= _g).mean())),
                  "misrouted_per_week": round(S.weekly_tickets * float(((conf >= _g) & ~correct).mean()))}
"""},
    "q5": {"the normal approximation by hand with scipy, rounded": """
import math as _math
from scipy.stats import norm as _norm
_p = correct[in_channel].mean()
_n = _math.ceil(_norm.ppf(0.975) ** 2 * _p * (1 - _p) / S.margin ** 2)
q5_channel = {"channel_accuracy": round(float(_p), 3), "n_needed": _n, "enough": "yes" if in_channel.sum() >= _n else "no"}
"""},
}

MISTAKES = {
    "q1": {
        "accuracy over all test messages, not the auto-routed ones": (["routed_accuracy"], """
q1_gate = {**q1_gate, "routed_accuracy": correct.mean()}
"""),
        "misrouted per week from all wrong predictions, gated or not": (["misrouted_per_week"], """
q1_gate = {**q1_gate, "misrouted_per_week": S.weekly_tickets * (~correct).mean()}
"""),
    },
    "q2": {
        "label churn (the lesson's measure) instead of gate decisions": (["decision_flips"], """
q2_stability = {**q2_stability, "decision_flips": (runs.labels[0] != runs.labels[1]).mean()}
"""),
        "the average over the retrains instead of the worst week": (["worst_week_routed"], """
q2_stability = {**q2_stability, "worst_week_routed": S.weekly_tickets * (runs.confidence >= S.gate).mean()}
"""),
    },
    "q3": {
        "the interval over the whole test set": (["low", "high"], """
_low, _high = accuracy_interval(int(correct.sum()), len(correct))
q3_guarantee = {"low": _low, "high": _high, "decision": verdict(_low, _high, S.accuracy_floor)}
"""),
        "a normal-approximation (Wald) interval": (["low"], """
_m = conf >= S.gate
_p, _n = correct[_m].mean(), int(_m.sum())
_h = 1.96 * np.sqrt(_p * (1 - _p) / _n)
q3_guarantee = {**q3_guarantee, "low": _p - _h, "high": min(1.0, _p + _h)}
"""),
    },
    "q4": {
        "the point accuracy against the floor, not its low end": (["gate", "routed_per_week", "misrouted_per_week"], """
_g = next(g for g in GATES if correct[conf >= g].mean() >= S.accuracy_floor)
q4_lowest_gate = {"gate": _g, **{k: v for k, v in at_gate(_g).items() if k != "routed_accuracy"}}
"""),
        "routed per week counted from the coverage rounded to 2 decimals": (["routed_per_week", "misrouted_per_week"], """
_cov = round(float((conf >= q4_lowest_gate["gate"]).mean()), 2)
q4_lowest_gate = {**q4_lowest_gate, "routed_per_week": S.weekly_tickets * _cov,
                  "misrouted_per_week": S.weekly_tickets * _cov * (1 - round(float(correct[conf >= q4_lowest_gate["gate"]].mean()), 2))}
"""),
    },
    "q5": {
        "all channel messages, not only the auto-routed ones": (["channel_accuracy", "n_needed"], """
_c = (test["channel"] == S.channel).to_numpy()
_p = correct[_c].mean()
_n = sample_size_for_margin(_p, S.margin)
q5_channel = {"channel_accuracy": _p, "n_needed": _n, "enough": "yes" if _c.sum() >= _n else "no"}
"""),
        "the margin read as a full width (a quarter of the size)": (["n_needed"], """
q5_channel = {**q5_channel, "n_needed": sample_size_for_margin(q5_channel["channel_accuracy"], 2 * S.margin)}
"""),
    },
}
