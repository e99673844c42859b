"""Part 4 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"ECE from calibration_curve and bin counts, rounded to 4 decimals": """
def _ece(s):
    _true, _pred = calibration_curve(y_test, s, n_bins=10)
    _counts = np.bincount(np.searchsorted(np.linspace(0, 1, 11)[1:-1], s), minlength=10)
    _counts = _counts[_counts > 0]
    return round(float((_counts * np.abs(_pred - _true)).sum() / len(s)), 4)
q1_calibration = {"ece_plain": _ece(plain_scores), "ece_weighted": _ece(weighted_scores),
                  "brier_plain": round(float(np.mean((plain_scores - y_test) ** 2)), 4),
                  "brier_weighted": round(float(np.mean((weighted_scores - y_test) ** 2)), 4)}
"""},
    "q2": {"costs by hand on a step-0.0001 grid": """
def _cost(s, t):
    _flag = s >= t
    return ((_flag & (y_test == 0)).sum() * 6 + (~_flag & (y_test == 1)).sum() * 180) / len(y_test) * 1000
def _extra(s):
    _curve = cost_curve(y_test, s, COSTS, np.arange(1, 10000) / 10000)
    return round(_cost(s, 6 / 186) - float(_curve["cost_per_1000"].min()), 2)
_gaps = {"weighted": _extra(weighted_scores), "sigmoid": _extra(calibrated["sigmoid"]), "isotonic": _extra(calibrated["isotonic"])}
q2_p_star = {"extra_weighted": _gaps["weighted"], "extra_sigmoid": _gaps["sigmoid"], "extra_isotonic": _gaps["isotonic"],
             "closest": min(("sigmoid", "isotonic"), key=_gaps.get)}
"""},
    "q3": {"a loop over the 0.01 grid and a 0.001 threshold grid for declines": """
_best = None
for _t in np.round(np.arange(0, 101) / 100, 2):
    _kept = confidence >= _t
    if _kept.any() and wrong[_kept].mean() <= 0.10 and (_best is None or _kept.mean() > _best[1]):
        _best = (float(_t), float(_kept.mean()))
_grid = cost_curve(y_test, plain_scores, COSTS)  # counts at 0.001, 0.002, ..., 0.999
_grid = _grid[_grid["tp"] >= 0.25 * y_test.sum()]
_prec = float((_grid["tp"] / (_grid["tp"] + _grid["fp"])).max())
q3_budgets = {"suggest_threshold": _best[0], "suggest_coverage": round(_best[1], 3),
              "decline_precision": round(_prec, 3), "decline_fits": _prec >= 0.99}
"""},
    "q4": {"pandas boolean masks, rounded to 3 decimals": """
_c = np.asarray(confidence)
q4_routes = {"serve_share": round(float(np.mean(_c >= 0.8)), 3), "caveat_share": round(float(np.mean((_c >= 0.4) & (_c < 0.8))), 3),
             "fallback_share": round(float(np.mean(_c < 0.4)), 3), "automated_error": round(float(wrong[_c >= 0.4].mean()), 3)}
"""},
    "q5": {"MAPIE's SplitConformalClassifier on the fitted model": """
from mapie.classification import SplitConformalClassifier
_mapie = SplitConformalClassifier(intent_model, confidence_level=0.90, prefit=True, conformity_score="lac")
_mapie.conformalize(cal_t["text"], cal_t["intent"])
_, _sets = _mapie.predict_set(eval_t["text"])
_sets = _sets[:, :, 0]
_y = np.searchsorted(intent_model.classes_, eval_t["intent"].to_numpy())
q5_conformal = {"coverage": float(_sets[np.arange(len(_y)), _y].mean()), "mean_size": round(float(_sets.sum(1).mean()), 3),
                "to_person": float((_sets.sum(1) != 1).mean())}
"""},
    "q6": {"pandas crosstab, rounded to 3 decimals": """
import pandas as _pd
_tab = _pd.crosstab(confidence >= HIGH, np.isin(predicted, HIGH_IMPACT), normalize=True)
q6_matrix = {"auto_execute": round(float(_tab.loc[True, False]), 3), "suggest_confirm": round(float(_tab.loc[True, True]), 3),
             "show_options": round(float(_tab.loc[False, False]), 3), "human_review": round(float(_tab.loc[False, True]), 3)}
"""},
    "q7": {"arithmetic by hand from a share rounded to 3 decimals": """
import math as _math
_share, _share50 = round(float(np.mean(confidence < 0.40)), 3), round(float(np.mean(confidence < 0.50)), 3)
_agents = lambda s: _math.ceil(s * 12000 * 4 / 60 / 6 - 1e-9)
q7_staffing = {"reviews_per_day": round(_share * 12000), "agents": _agents(_share), "extra_agents": _agents(_share50) - _agents(_share)}
"""},
}

MISTAKES = {
    "q1": {
        "ECE as the plain mean of the bin gaps (bins not weighted by size)": (["ece_plain", "ece_weighted"], """
def _unweighted(s):
    _true, _pred = calibration_curve(y_test, s, n_bins=10)
    return float(np.mean(np.abs(_pred - _true)))
q1_calibration = {**q1_calibration, "ece_plain": _unweighted(plain_scores), "ece_weighted": _unweighted(weighted_scores)}
"""),
        "Brier score of 0/1 decisions at 0.5 instead of the scores": (["brier_plain", "brier_weighted"], """
q1_calibration = {**q1_calibration, "brier_plain": brier_score_loss(y_test, plain_scores >= 0.5),
                  "brier_weighted": brier_score_loss(y_test, weighted_scores >= 0.5)}
"""),
    },
    "q2": {
        "p* with the costs the wrong way round (180/186)": (["extra_weighted", "extra_sigmoid", "extra_isotonic"], """
def _gap(s):
    _best = cost_curve(y_test, s, COSTS)["cost_per_1000"].min()
    return summary_at(y_test, s, 180 / 186, COSTS)["cost_per_1000"] - _best
q2_p_star = {**q2_p_star, "extra_weighted": _gap(weighted_scores), "extra_sigmoid": _gap(calibrated["sigmoid"]),
             "extra_isotonic": _gap(calibrated["isotonic"])}
"""),
        "the cost at p* where the extra cost over the cheapest is asked": (["extra_weighted", "extra_sigmoid", "extra_isotonic"], """
q2_p_star = {**q2_p_star, "extra_weighted": p_star_gap(y_test, weighted_scores, COSTS)["cost_at_p_star"],
             "extra_sigmoid": p_star_gap(y_test, calibrated["sigmoid"], COSTS)["cost_at_p_star"],
             "extra_isotonic": p_star_gap(y_test, calibrated["isotonic"], COSTS)["cost_at_p_star"]}
"""),
    },
    "q3": {
        "errors counted over all tickets, not among the suggested ones": (["suggest_coverage"], """
_curve = risk_coverage(confidence, wrong)
_ok = _curve[_curve["errors"] / len(confidence) <= 0.10]
_row = _ok.sort_values(["coverage", "threshold"], ascending=[False, True]).iloc[0]
q3_budgets = {**q3_budgets, "suggest_threshold": float(_row["threshold"]), "suggest_coverage": float(_row["coverage"])}
"""),
        "the highest threshold within budget (safest, not the widest coverage)": (["suggest_threshold", "suggest_coverage"], """
_curve = risk_coverage(confidence, wrong)
_row = _curve[(_curve["automated"] > 0) & (_curve["risk"] <= 0.10)].iloc[-1]
q3_budgets = {**q3_budgets, "suggest_threshold": float(_row["threshold"]), "suggest_coverage": float(_row["coverage"])}
"""),
        "precision at a score threshold of 0.25 instead of at recall 0.25": (["decline_precision"], """
_p = summary_at(y_test, plain_scores, 0.25)["precision"]
q3_budgets = {**q3_budgets, "decline_precision": _p, "decline_fits": bool(_p >= 0.99)}
"""),
    },
    "q4": {
        "error rate of the automated tickets counted over all tickets": (["automated_error"], """
q4_routes = {**q4_routes, "automated_error": float(wrong[confidence >= LOW].sum() / len(wrong))}
"""),
        "the caveat route taken as everything below HIGH (fallback counted twice)": (["caveat_share"], """
q4_routes = {**q4_routes, "caveat_share": float(np.mean(confidence < HIGH))}
"""),
    },
    "q5": {
        "sets calibrated on the training tickets (overconfident scores)": (["coverage", "mean_size"], """
_train_sets = conformal_sets(intent_model.predict_proba(t_train["text"]), t_train["intent"], eval_proba,
                             intent_model.classes_, confidence=0.90)
q5_conformal = {"coverage": _train_sets[np.arange(len(truth)), truth].mean(), "mean_size": _train_sets.sum(1).mean(),
                "to_person": (_train_sets.sum(1) != 1).mean()}
"""),
        "the error level 0.10 passed as the confidence": ("all", """
_small = conformal_sets(cal_proba, cal_t["intent"], eval_proba, intent_model.classes_, confidence=0.10)
q5_conformal = {"coverage": _small[np.arange(len(truth)), truth].mean(), "mean_size": _small.sum(1).mean(),
                "to_person": (_small.sum(1) != 1).mean()}
"""),
    },
    "q6": {
        "impact judged on the true intent, unknown when the system acts": (["show_options", "human_review"], """
_m = action_matrix(confidence >= HIGH, np.isin(t_test["intent"].to_numpy(), HIGH_IMPACT))
q6_matrix = {"auto_execute": _m.loc["auto-execute", "share"], "suggest_confirm": _m.loc["suggest and confirm", "share"],
             "show_options": _m.loc["show options", "share"], "human_review": _m.loc["human review", "share"]}
"""),
        "confidence judged against LOW instead of HIGH": ("all", """
_m = action_matrix(confidence >= LOW, np.isin(predicted, HIGH_IMPACT))
q6_matrix = {"auto_execute": _m.loc["auto-execute", "share"], "suggest_confirm": _m.loc["suggest and confirm", "share"],
             "show_options": _m.loc["show options", "share"], "human_review": _m.loc["human review", "share"]}
"""),
    },
    "q7": {
        "a full 8-hour shift counted as review time": (["agents"], """
q7_staffing = {**q7_staffing, "agents": staffing(np.mean(confidence < LOW), TICKETS_PER_DAY, MINUTES_PER_TICKET, 8.0)["analysts"]}
"""),
        "handling time taken in hours instead of minutes": (["agents", "extra_agents"], """
_hours = lambda low: staffing(np.mean(confidence < low), TICKETS_PER_DAY, MINUTES_PER_TICKET * 60, HOURS_PER_AGENT)["analysts"]
q7_staffing = {**q7_staffing, "agents": _hours(LOW), "extra_agents": _hours(0.50) - _hours(LOW)}
"""),
    },
}
