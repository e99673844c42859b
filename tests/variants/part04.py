"""Part 4 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"ECE from calibration_curve and bin counts, Brier by hand, rounded to 5 decimals": """
from sklearn.calibration import calibration_curve as _curve
def _ece(y, s, bins):
    _true, _pred = _curve(y, s, n_bins=bins)
    _counts = np.bincount(np.searchsorted(np.linspace(0, 1, bins + 1)[1:-1], s), minlength=bins)
    _counts = _counts[_counts > 0]
    return round(float((_counts * np.abs(_pred - _true)).sum() / len(s)), 5)
_big = test["amount"].to_numpy() >= S.amount_floor
_iso = CalibratedClassifierCV(FrozenEstimator(weighted), method="isotonic").fit(cal_part, cal_part["is_fraud"])
_iso_scores = _iso.predict_proba(test)[:, 1]
_e = _ece(y_test[_big], plain_scores[_big], S.ece_bins)
q1_large = {"ece_plain": _e, "ece_isotonic": _ece(y_test[_big], _iso_scores[_big], S.ece_bins),
            "brier_plain": round(float(np.mean((plain_scores[_big] - y_test[_big]) ** 2)), 5),
            "plain_fits": "yes" if _e <= S.ece_budget else "no"}
"""},
    "q2": {"costs at p* by hand, the cheapest on a step-0.0001 grid": """
def _cost(s, t):
    _flag = s >= t
    return ((_flag & (y_test == 0)).sum() * S.review_cost + (~_flag & (y_test == 1)).sum() * S.fraud_loss) / len(y_test) * 1000
_p = S.review_cost / (S.review_cost + S.fraud_loss)
_cheapest = float(cost_curve(y_test, plain_scores, costs, np.arange(1, 10000) / 10000)["cost_per_1000"].min())
_recall = float(((isotonic_scores >= _p) & (y_test == 1)).sum() / y_test.sum())
q2_p_star = {"extra_plain": round(_cost(plain_scores, _p) - _cheapest, 2), "cost_isotonic": round(_cost(isotonic_scores, _p), 2),
             "recall_at_p_star": round(_recall, 3), "meets_floor": "yes" if _recall >= S.recall_floor else "no"}
"""},
    "q3": {"a loop over the 0.01 grid and a 0.001 threshold grid for holds": """
_best = None
for _t in np.round(np.arange(0, 101) / 100, 2):
    _kept = confidence >= _t
    if _kept.any() and wrong[_kept].mean() <= S.suggest_error and (_best is None or _kept.mean() > _best[1]):
        _best = (float(_t), float(_kept.mean()))
_grid = cost_curve(y_test, plain_scores, CostMatrix(1, 1))  # counts at 0.001, 0.002, ..., 0.999
_grid = _grid[_grid["tp"] >= S.hold_recall * y_test.sum()]
_prec = float((_grid["tp"] / (_grid["tp"] + _grid["fp"])).max())
q3_budgets = {"suggest_threshold": _best[0], "suggest_coverage": round(_best[1], 3),
              "hold_precision": round(_prec, 3), "hold_fits": "yes" if _prec >= S.hold_precision else "no"}
"""},
    "q4": {"a loop over the grid and boolean masks, rounded to 3 decimals": """
def _lowest(target):
    _best = None
    for _t in np.round(np.arange(0, 101) / 100, 2):
        _kept = confidence >= _t
        if _kept.any() and wrong[_kept].mean() <= target and (_best is None or _kept.mean() > _best[1]):
            _best = (float(_t), float(_kept.mean()))
    return _best[0]
_hi, _lo = _lowest(S.serve_error), _lowest(S.auto_error)
q4_routes = {"high": _hi, "low": _lo, "caveat_share": round(float(np.mean((confidence >= _lo) & (confidence < _hi))), 3),
             "fallback_share": round(float(np.mean(confidence < _lo)), 3)}
"""},
    "q5": {"MAPIE's SplitConformalClassifier on the fitted model": """
from mapie.classification import SplitConformalClassifier
_mapie = SplitConformalClassifier(intent_model, confidence_level=S.set_level, prefit=True, conformity_score="lac")
_mapie.conformalize(cal_t["text"], cal_t["intent"])
_, _sets = _mapie.predict_set(eval_t["text"])
_sets = _sets[:, :, 0]
_y = np.searchsorted(intent_model.classes_, eval_t["intent"].to_numpy())
q5_conformal = {"coverage": float(_sets[np.arange(len(_y)), _y].mean()), "mean_size": round(float(_sets.sum(1).mean()), 3),
                "to_person": float((_sets.sum(1) != 1).mean())}
"""},
    "q6": {"pandas crosstab and the staffing arithmetic by hand, rounded to 3 decimals": """
import math as _math
import pandas as _pd
_tab = _pd.crosstab(confidence >= S.confident, np.isin(predicted, S.high_impact), normalize=True)
_share = round(float(np.mean(confidence < S.confident)), 3)
_agents = _math.ceil(_share * S.tickets_per_day * S.minutes_per_ticket / 60 / S.hours_per_agent - 1e-9)
q6_matrix = {"auto_execute": round(float(_tab.loc[True, False]), 3), "human_review": round(float(_tab.loc[False, True]), 3),
             "agents": _agents, "team_fits": "yes" if _agents <= S.agents_available else "no"}
"""},
}

MISTAKES = {
    "q1": {
        "ECE as the plain mean of the bin gaps (bins not weighted by size)": (["ece_plain", "ece_isotonic"], """
from sklearn.calibration import calibration_curve as _curve
def _unweighted(s):
    _true, _pred = _curve(y_test[large], s[large], n_bins=S.ece_bins)
    return float(np.mean(np.abs(_pred - _true)))
q1_large = {**q1_large, "ece_plain": _unweighted(plain_scores), "ece_isotonic": _unweighted(isotonic_scores)}
"""),
        "measured on all test payments, not the large ones": (["ece_plain", "ece_isotonic", "brier_plain"], """
q1_large = {**q1_large, "ece_plain": expected_calibration_error(y_test, plain_scores, n_bins=S.ece_bins),
            "ece_isotonic": expected_calibration_error(y_test, isotonic_scores, n_bins=S.ece_bins),
            "brier_plain": brier_score_loss(y_test, plain_scores)}
"""),
        "ECE in percent": (["ece_plain", "ece_isotonic"], """
q1_large = {**q1_large, "ece_plain": 100 * q1_large["ece_plain"], "ece_isotonic": 100 * q1_large["ece_isotonic"]}
"""),
    },
    "q2": {
        "p* with the costs the wrong way round": (["extra_plain", "cost_isotonic"], """
_wrong = CostMatrix(false_positive=S.fraud_loss, false_negative=S.review_cost)
q2_p_star = {**q2_p_star, "extra_plain": summary_at(y_test, plain_scores, _wrong.bayes_threshold, costs)["cost_per_1000"]
             - p_star_gap(y_test, plain_scores, costs)["cost_cheapest"],
             "cost_isotonic": summary_at(y_test, isotonic_scores, _wrong.bayes_threshold, costs)["cost_per_1000"]}
"""),
        "the lesson's prices ($6 and $180) instead of the risk team's": (["cost_isotonic"], """
_lesson = CostMatrix(false_positive=6.0, false_negative=180.0)
q2_p_star = {**q2_p_star, "cost_isotonic": summary_at(y_test, isotonic_scores, _lesson.bayes_threshold, _lesson)["cost_per_1000"]}
"""),
    },
    "q3": {
        "coverage counted among correct tickets only": (["suggest_coverage"], """
q3_budgets = {**q3_budgets, "suggest_coverage": float(((confidence >= suggest["threshold"]) & ~wrong).mean())}
"""),
        "precision at the recall floor's threshold read as recall": (["hold_precision"], """
q3_budgets = {**q3_budgets, "hold_precision": precision_at_recall(y_test, plain_scores, S.hold_recall)["recall"]}
"""),
    },
    "q4": {
        "thresholds swapped (LOW from the serving target)": (["high", "low"], """
q4_routes = {**q4_routes, "high": LOW, "low": HIGH}
"""),
        "the fallback share as the share of wrong tickets that fall back": (["fallback_share"], """
q4_routes = {**q4_routes, "fallback_share": float(wrong[confidence < LOW].sum() / wrong.sum())}
"""),
    },
    "q5": {
        "coverage of the predicted intent, not the true one": (["coverage"], """
_top = eval_proba.argmax(axis=1)
q5_conformal = {**q5_conformal, "coverage": float(sets[np.arange(len(_top)), _top].mean())}
"""),
        "percentages instead of fractions": (["coverage", "to_person"], """
q5_conformal = {**q5_conformal, "coverage": 100 * q5_conformal["coverage"], "to_person": 100 * q5_conformal["to_person"]}
"""),
    },
    "q6": {
        "every confident ticket auto-executed (impact ignored)": (["auto_execute"], """
q6_matrix = {**q6_matrix, "auto_execute": float(np.mean(confidence >= S.confident))}
"""),
        "only the human-review cell staffed": (["agents"], """
q6_matrix = {**q6_matrix, "agents": agents_for(matrix.loc["human review", "share"])}
"""),
    },
}
