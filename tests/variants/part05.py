"""Part 5 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"a pandas groupby per slice column with statsmodels' Wilson interval": """
from statsmodels.stats.proportion import proportion_confint as _confint
_slices = failures.ticket_slices(test)
_err = pd.Series(frame.loc[tickets_only, "error"].to_numpy(), index=test.index)
q1_worse_slices = []
for _col in _slices.columns:
    if _slices[_col].dtype == bool:
        _groups = {_col: _err[_slices[_col]]}
    else:
        _groups = {f"{_col}={_v}": _g for _v, _g in _err.groupby(_slices[_col], observed=True)}
    for _name, _g in _groups.items():
        if _confint(int(_g.sum()), len(_g), alpha=0.05, method="wilson")[0] > _err.mean():
            q1_worse_slices.append(_name)
"""},
    "q2": {"Clopper-Pearson and the sample-size formula by hand, rounded": """
import math as _math
from statsmodels.stats.proportion import proportion_confint as _confint
_spanish = frame.loc[tickets_only, "error"].to_numpy()[test["language"].eq("es").to_numpy()]
_p = round(float(_spanish.mean()), 3)
_low, _high = _confint(int(_spanish.sum()), len(_spanish), alpha=0.05, method="beta")
q2_spanish = {"error_rate": _p, "low": round(_low, 3), "high": round(_high, 3),
              "more_labels": max(0, _math.ceil(1.96 ** 2 * _p * (1 - _p) / 0.03 ** 2) - len(_spanish))}
"""},
    "q3": {"numpy masks per kind, rounded, the first of tied kinds": """
_rows = frame[~tickets_only]
_cw = _rows["error"].to_numpy() & (_rows["confidence"].to_numpy() >= THRESHOLD)
_kinds = probes["kind"].to_numpy()
_rates = {_k: _cw[_kinds == _k].mean() for _k in failures.PROBE_KINDS}
q3_probes = {"confident_wrong_rate": round(float(_cw.mean()), 3), "worst_kind": max(_rates, key=_rates.get)}
"""},
    "q4": {"the FMEA scores by hand with a loop over the modes": """
_modes = failures.TICKET_MODES
_scores = {}
for _mode in _modes.index:
    _assumed = _modes.loc[_mode, "assumed_traffic_share"]
    _share = frame.loc[tickets_only, _mode].mean() if pd.isna(_assumed) else _assumed
    _in = frame[frame[_mode]]
    _wrong = _in[_in["error"]]
    _per_1000 = _share * len(_wrong) / len(_in) * 1000
    _confident = (_wrong["confidence"] >= THRESHOLD).mean() if len(_wrong) else 0.0
    _occurrence = 1 + sum(_per_1000 >= _edge for _edge in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50))
    _detect = 1 + int(np.floor(9 * _confident + 0.5 + 1e-9))
    _scores[_mode] = (int(_modes.loc[_mode, "severity"]) * _occurrence * _detect, _per_1000)
_ranked = sorted(_scores, key=lambda _k: (-_scores[_k][0], -_scores[_k][1], _k))
_frequent = max(_scores, key=lambda _k: _scores[_k][1])
q4_fmea = {"top3": _ranked[:3], "top_rpn": _scores[_ranked[0]][0], "most_frequent_rank": _ranked.index(_frequent) + 1}
"""},
    "q5": {"RPN minus severity × occurrence, per week, rounded to the unit": """
_per_week = (fmea["rpn"] - fmea["severity"] * fmea["occurrence"]) / pd.Series(FIX_WEEKS)
q5_fix_first = {"fix_first": _per_week.idxmax(), "cut_per_week": round(float(_per_week.max()))}
"""},
    "q6": {"a loop over a 0.001 grid with numpy, rounded": """
_e = frame.loc[tickets_only, "error"].to_numpy()
_c = frame.loc[tickets_only, "confidence"].to_numpy()
for _t in np.round(np.arange(0.300, 0.9501, 0.001), 3):
    if _e[_c >= _t].mean() <= 0.05:
        break
_contra = frame[frame["contradictory"] & frame["error"]]
q6_threshold = {"threshold": float(_t), "automation_rate": round(float((_c >= _t).mean()), 3),
                "contradictory_missed": round(float((_contra["confidence"] >= _t).mean()), 3)}
"""},
    "q7": {"a pandas filter on the probe rows, rounded": """
_t = q6_threshold["threshold"]
_p = frame[~tickets_only].assign(kind=probes["kind"].to_numpy())
_m = _p[_p["error"] & (_p["confidence"] >= _t)]
q7_beyond_threshold = {"missed": len(_m), "coverage_catches": round(float((_m["coverage"] < 0.5).mean()), 3),
                       "still_missed": list(_m.loc[_m["coverage"] >= 0.5, "kind"].unique())}
"""},
}

MISTAKES = {
    "q1": {
        "point value above the overall rate, interval ignored": ("all", """
_body = slice_table.drop(index="overall")
q1_worse_slices = _body.index[_body["error_rate"] > slice_table.loc["overall", "error_rate"]].tolist()
"""),
        "interval's upper end above the overall rate (it only might be worse)": ("all", """
_body = slice_table.drop(index="overall")
q1_worse_slices = _body.index[_body["high"] > slice_table.loc["overall", "error_rate"]].tolist()
"""),
    },
    "q2": {
        "forgets the Spanish tickets already labelled": (["more_labels"], """
q2_spanish = {**q2_spanish, "more_labels": sample_size_for_margin(es["error_rate"], 0.03)}
"""),
        "plans with the overall error rate instead of the Spanish one": (["more_labels"], """
q2_spanish = {**q2_spanish, "more_labels": sample_size_for_margin(slice_table.loc["overall", "error_rate"], 0.03) - int(es["n"])}
"""),
        "percentages instead of fractions": (["error_rate", "low", "high"], """
q2_spanish = {**q2_spanish, "error_rate": 100 * es["error_rate"], "low": 100 * es["low"], "high": 100 * es["high"]}
"""),
    },
    "q3": {
        "share of the wrong probes, not of all probes": (["confident_wrong_rate"], """
q3_probes = {**q3_probes, "confident_wrong_rate": confident_wrong.sum() / probe_rows["error"].sum()}
"""),
        "confident answers, wrong or not": (["confident_wrong_rate"], """
q3_probes = {**q3_probes, "confident_wrong_rate": (probe_rows["confidence"] >= THRESHOLD).mean()}
"""),
        "the kind with the highest error rate, confident or not": (["worst_kind"], """
q3_probes = {**q3_probes, "worst_kind": probe_rows["error"].groupby(probes["kind"].to_numpy()).mean().idxmax()}
"""),
    },
    "q4": {
        "ranked by errors per 1,000 (occurrence only)": ("all", """
_by_freq = fmea.sort_values("errors_per_1000", ascending=False)
q4_fmea = {"top3": _by_freq.index[:3].tolist(), "top_rpn": int(_by_freq["rpn"].iloc[0]), "most_frequent_rank": 1}
"""),
        "severity × occurrence, detectability left out": (["top_rpn"], """
_so = (fmea["severity"] * fmea["occurrence"]).sort_values(ascending=False, kind="stable")
q4_fmea = {**q4_fmea, "top3": _so.index[:3].tolist(), "top_rpn": int(_so.iloc[0])}
"""),
        "rank counted from 0": (["most_frequent_rank"], """
q4_fmea = {**q4_fmea, "most_frequent_rank": q4_fmea["most_frequent_rank"] - 1}
"""),
    },
    "q5": {
        "fixes the mode with the most errors": ("all", """
_mode = fmea["errors_per_1000"].idxmax()
q5_fix_first = {"fix_first": _mode, "cut_per_week": float(per_week[_mode])}
"""),
        "RPN per week instead of the RPN the fix removes per week": (["cut_per_week"], """
_rpw = fmea["rpn"] / pd.Series(FIX_WEEKS)
q5_fix_first = {"fix_first": _rpw.idxmax(), "cut_per_week": float(_rpw.max())}
"""),
        "fixes the top RPN mode whatever it costs": (["fix_first"], """
q5_fix_first = {"fix_first": fmea.index[0], "cut_per_week": float(per_week[fmea.index[0]])}
"""),
    },
    "q6": {
        "error budget over all tickets instead of the automated ones": (["threshold", "automation_rate"], """
_e = frame.loc[tickets_only, "error"].to_numpy()
_c = frame.loc[tickets_only, "confidence"].to_numpy()
_t = next(_t for _t in np.round(np.arange(0.30, 0.951, 0.01), 2) if (_e & (_c >= _t)).mean() <= 0.05)
q6_threshold = {**q6_threshold, "threshold": float(_t), "automation_rate": float((_c >= _t).mean())}
"""),
        "the highest threshold that meets the budget": (["threshold", "automation_rate"], """
q6_threshold = {**q6_threshold, "threshold": 0.95,
                "automation_rate": float((frame.loc[tickets_only, "confidence"] >= 0.95).mean())}
"""),
        "contradictory missed as a share of all contradictory probes": (["contradictory_missed"], """
_contra = frame[frame["contradictory"]]
q6_threshold = {**q6_threshold, "contradictory_missed": float((_contra["error"] & (_contra["confidence"] >= q6_threshold["threshold"])).mean())}
"""),
    },
    "q7": {
        "the coverage check the wrong way round": (["coverage_catches"], """
q7_beyond_threshold = {**q7_beyond_threshold, "coverage_catches": 1 - q7_beyond_threshold["coverage_catches"]}
"""),
        "every wrong probe counted, confident or not": (["missed"], """
q7_beyond_threshold = {**q7_beyond_threshold, "missed": int(probe_rows["error"].sum())}
"""),
        "the plan's threshold of 0.5 instead of the Q6 threshold": (["missed"], """
q7_beyond_threshold = {**q7_beyond_threshold, "missed": int((probe_rows["error"] & (probe_rows["confidence"] >= THRESHOLD)).sum())}
"""),
    },
}
