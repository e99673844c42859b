"""Part 5 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"statsmodels' Wilson interval per slice row, the low end against the target": """
from statsmodels.stats.proportion import proportion_confint as _confint
_t = failures.slice_errors(frame.loc[tickets_only, "error"].to_numpy(), failures.ticket_slices(test)).drop(index="overall")
q1_over_target = [_name for _name, _r in _t.iterrows()
                  if _confint(int(_r["errors"]), int(_r["n"]), alpha=1 - S.level, method="wilson")[0] > S.target_error]
"""},
    "q2": {"Clopper-Pearson and the sample-size formula by hand, rounded": """
import math as _math
from scipy.stats import norm as _norm
from statsmodels.stats.proportion import proportion_confint as _confint
_r = slice_table.loc[S.slice]
_p = round(float(_r["error_rate"]), 3)
_low, _high = _confint(int(_r["errors"]), int(_r["n"]), alpha=1 - S.level, method="beta")
_z = _norm.ppf(1 - (1 - S.level) / 2)
q2_slice = {"error_rate": _p, "low": round(_low, 3), "high": round(_high, 3),
            "more_labels": max(0, _math.ceil(_z ** 2 * _p * (1 - _p) / S.margin ** 2) - int(_r["n"]))}
"""},
    "q3": {"numpy masks per kind, rounded, the first of tied kinds": """
_rows = frame[~tickets_only]
_cw = _rows["error"].to_numpy() & (_rows["confidence"].to_numpy() >= S.threshold)
_kinds = probes["kind"].to_numpy()
_rates = {_k: _cw[_kinds == _k].mean() for _k in failures.PROBE_KINDS}
q3_probes = {"confident_wrong_rate": round(float(_cw.mean()), 3), "worst_kind": max(_rates, key=_rates.get)}
"""},
    "q4": {"the FMEA table with a sort by RPN then errors": """
_m = failures.TICKET_MODES.copy()
_m["traffic_share"] = [S.contradictory_share if _k == "contradictory" else
                       (frame.loc[tickets_only, _k].mean() if pd.isna(_a) else _a)
                       for _k, _a in _m["assumed_traffic_share"].items()]
_st = failures.mode_stats(frame["error"], frame["confidence"], failures.mode_masks(frame), S.threshold)
_f = failures.fmea_table(_m.join(_st[["error_rate", "confident_error_share"]]))
q4_top3 = _f.sort_values(["rpn", "errors_per_1000"], ascending=False).index[:3].tolist()
"""},
    "q5": {"a table over the grid by hand, the highest of tied thresholds, rounded to the dollar": """
_err = frame.loc[tickets_only, "error"].to_numpy()
_conf = frame.loc[tickets_only, "confidence"].to_numpy()
_rows = []
for _t in np.round(np.arange(30, 96) / 100, 2):
    _auto = _conf >= _t
    _wrong = (_err & _auto).mean()
    if _auto.any() and (_err & _auto).sum() / _auto.sum() <= S.error_budget:
        _rows.append((1000 * ((1 - _auto.mean()) * S.review_cost + _wrong * S.misroute_cost), float(_t), _auto.mean()))
_lowest = min(_r[0] for _r in _rows)
_pick = [_r for _r in _rows if _r[0] <= _lowest + 0.5][-1]
q5_contract = {"threshold": _pick[1], "cost_per_1000": round(_pick[0]), "automation_rate": round(float(_pick[2]), 3)}
"""},
    "q6": {"pandas on the probe rows, rounded": """
_p = frame[~tickets_only].assign(kind=probes["kind"].to_numpy())
_miss = _p[_p["error"] & (_p["confidence"] >= q5_contract["threshold"])]
q6_beyond = {"missed_share": round(len(_miss) / len(_p), 3),
             "coverage_catches": round(float((_miss["coverage"] < 0.5).mean()), 3) if len(_miss) else 0.0,
             "still_missed": sorted(_miss.loc[_miss["coverage"] >= 0.5, "kind"].unique())}
"""},
}

MISTAKES = {
    "q1": {
        "slices worse than the overall rate (the lesson's line), not the target": ("all", """
_t = failures.slice_errors(errors, slices, confidence=S.level)
q1_over_target = _t.index[_t["worse"]].tolist() + ["overall"]
"""),
        "point values above the target": ("all", """
q1_over_target = slice_table.index[slice_table["error_rate"] > S.target_error].tolist() + ["overall"]
"""),
    },
    "q2": {
        "the total sample size instead of the extra labels": (["more_labels"], """
q2_slice = {**q2_slice, "more_labels": sample_size_for_margin(q2_slice["error_rate"], S.margin, confidence=S.level)}
"""),
        # Only the high end is sure to differ: where the slice's low end sits at 0 (seed 7), every level agrees there.
        "a 95% interval where the contract's level is asked": (["high"], """
_r = failures.slice_errors(errors, slices, confidence=0.95 if S.level != 0.95 else 0.99).loc[S.slice]
q2_slice = {**q2_slice, "low": _r["low"], "high": _r["high"]}
"""),
    },
    "q3": {
        "wrong answers counted at any confidence": (["confident_wrong_rate"], """
q3_probes = {**q3_probes, "confident_wrong_rate": probe_rows["error"].mean()}
"""),
        "the lesson's threshold 0.5 instead of the contract's": (["confident_wrong_rate"], """
_cw = (probe_rows["error"] & (probe_rows["confidence"] >= 0.5)).mean()
q3_probes = {**q3_probes, "confident_wrong_rate": _cw if abs(_cw - confident_wrong.mean()) > 6e-4 else -1.0}
"""),
    },
    "q4": {
        "ranked by errors per 1,000 instead of RPN": ("all", """
_by_errors = fmea["errors_per_1000"].sort_values(ascending=False).index[:3].tolist()
q4_top3 = _by_errors if _by_errors not in ACCEPTED["q4"] + [q4_top3] else list(reversed(q4_top3))
"""),
        "lowest RPN first": ("all", """
q4_top3 = fmea.index[-3:][::-1].tolist()
"""),
    },
    "q5": {
        "the cheapest threshold ignoring the error budget": (["threshold", "cost_per_1000"], """
_i = int(bills.argmin())
if within[_i] or bills[_i] >= bills[best] - 0.5:
    _i = int(np.flatnonzero(~within)[0])  # this seed's cheapest already meets the budget: any threshold over it
q5_contract = {**q5_contract, "threshold": float(GRID[_i]), "cost_per_1000": bills[_i]}
"""),
        "the lowest threshold within the budget, not the cheapest": (["threshold", "cost_per_1000"], """
_i = int(np.flatnonzero(within)[0])
if bills[_i] <= bills[best] + 0.5:
    _i = int(np.flatnonzero(within)[-1])
q5_contract = {**q5_contract, "threshold": float(GRID[_i]), "cost_per_1000": bills[_i]}
"""),
    },
    "q6": {
        "the lesson's threshold 0.5 instead of the Q5 threshold": (["missed_share"], """
_alt = beyond(0.5 if abs(q5_contract["threshold"] - 0.5) > 0.02 else 0.9)
q6_beyond = {**q6_beyond, "missed_share": _alt["missed_share"] if abs(_alt["missed_share"] - q6_beyond["missed_share"]) > 6e-4 else 1.0}
"""),
        "a count of missed probes where a share is asked": (["missed_share"], """
q6_beyond = {**q6_beyond, "missed_share": float(q6_beyond["missed_share"] * len(probes))}
"""),
    },
}
