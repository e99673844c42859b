"""Part 2 answer variants (see tests/variants/__init__.py for the format)."""

VALID = {
    "q1": {"numpy by hand, rounded to 3 decimals": """
q1_baseline = {"accuracy": round(float((y_test == 0).mean()), 3), "fraud_caught": 0}
"""},
    "q2": {"sklearn's scorers, rounded to 3 decimals": """
from sklearn.metrics import f1_score, confusion_matrix
_pred = (scores >= 0.05).astype(int)
_tn, _fp, _fn, _tp = confusion_matrix(y_test, _pred).ravel()
q2_at_005 = {"precision": round(precision_score(y_test, _pred), 3), "recall": round(recall_score(y_test, _pred), 3),
             "f1": round(f1_score(y_test, _pred), 3), "fpr": round(_fp / (_fp + _tn), 3)}
"""},
    "q3": {"roc_curve and auc, prevalence from counts": """
from sklearn.metrics import auc, roc_curve
_fpr, _tpr, _ = roc_curve(y_test, scores)
q3_ranking = {"roc_auc": auc(_fpr, _tpr), "pr_auc": round(average_precision_score(y_test, scores), 3),
              "prevalence": y_test.sum() / len(y_test)}
"""},
    "q4": {
        "the highest of tied thresholds": """
_curve = cost_curve(y_test, scores, COSTS)
_tied = _curve[_curve["cost"] == _curve["cost"].min()].iloc[-1]
q4_cheapest = {"threshold": float(_tied["threshold"]), "cost_per_1000": round(float(_tied["cost_per_1000"]), 2)}
""",
        "a finer grid (step 0.0001)": """
_curve = cost_curve(y_test, scores, COSTS, np.arange(1, 10000) / 10000)
_best = _curve.loc[_curve["cost"].idxmin()]
q4_cheapest = {"threshold": float(_best["threshold"]), "cost_per_1000": float(_best["cost_per_1000"])}
""",
    },
    "q5": {"p* and the costs by hand": """
def _cost_per_1000(s, t):
    _flag = s >= t
    return (((_flag) & (y_test == 0)).sum() * 6 + ((~_flag) & (y_test == 1)).sum() * 180) / len(y_test) * 1000
q5_textbook = {"p_star": round(6 / 186, 4), "cost_plain": round(_cost_per_1000(scores, 6 / 186)),
               "cost_weighted": round(_cost_per_1000(weighted_scores, 6 / 186))}
"""},
    "q6": {"a grid of step 0.001": """
_grid = np.arange(1, 1000) / 1000
_rows = [summary_at(y_test, scores, t) | {"threshold": t} for t in _grid]
_ok = [r for r in _rows if r["recall"] >= 0.80]
_best = max(_ok, key=lambda r: r["precision"])
q6_recall_floor = {"precision": _best["precision"], "threshold": _best["threshold"],
                   "review_per_1000": round(_best["flagged_share"] * 1000, 1)}
"""},
    "q7": {"costs from cost_curve, rounded": """
_models = {"plain": scores, "weighted": weighted_scores, "smote": smote_scores}
_mins = {n: cost_curve(y_test, s, COSTS)["cost_per_1000"].min() for n, s in _models.items()}
q7_rebalance = {f"pr_auc_{n}": round(average_precision_score(y_test, s), 3) for n, s in _models.items()}
q7_rebalance["ship"] = min(_mins, key=_mins.get)
"""},
    "q8": {"an exact (Clopper-Pearson) interval": """
_at = summary_at(y_test, scores, q4_cheapest["threshold"])
_low, _high = accuracy_interval(_at["tp"], _at["tp"] + _at["fn"], method="beta")
q8_launch = {"recall": round(_at["recall"], 3), "review_share": round(_at["flagged_share"], 4),
             "decision": "no-go" if _at["flagged_share"] > 0.015 else verdict(_low, _high, 0.60)}
"""},
}

MISTAKES = {
    "q1": {
        "accuracy as a percentage": (["accuracy"], """
q1_baseline = {"accuracy": 100 * float((y_test == 0).mean()), "fraud_caught": 0}
"""),
        "counts the frauds instead of the frauds caught": (["fraud_caught"], """
q1_baseline = {"accuracy": float((y_test == 0).mean()), "fraud_caught": int(y_test.sum())}
"""),
    },
    "q2": {
        "precision and recall swapped": ("all", """
q2_at_005 = {"precision": point["recall"], "recall": point["precision"], "f1": point["f1"], "fpr": point["fpr"]}
"""),
        "percentages instead of fractions": ("all", """
q2_at_005 = {k: 100 * point[k] for k in ("precision", "recall", "f1", "fpr")}
"""),
    },
    "q3": {
        "AUCs of 0/1 predictions at 0.5": ("all", """
q3_ranking = {"roc_auc": roc_auc_score(y_test, scores >= 0.5), "pr_auc": average_precision_score(y_test, scores >= 0.5),
              "prevalence": y_test.mean()}
"""),
        "ROC-AUC quoted as PR-AUC": ("all", """
q3_ranking = {"roc_auc": roc_auc_score(y_test, scores), "pr_auc": roc_auc_score(y_test, scores),
              "prevalence": y_test.mean()}
"""),
    },
    "q4": {
        "total cost where cost per 1,000 is asked": (["cost_per_1000"], """
q4_cheapest = {"threshold": cheapest["threshold"], "cost_per_1000": cheapest["cost"]}
"""),
        "the textbook p* instead of the cheapest threshold": (["threshold", "cost_per_1000"], """
q4_cheapest = {"threshold": COSTS.bayes_threshold,
               "cost_per_1000": summary_at(y_test, scores, COSTS.bayes_threshold, COSTS)["cost_per_1000"]}
"""),
        "the most expensive threshold (argmax)": (["threshold", "cost_per_1000"], """
_curve = cost_curve(y_test, scores, COSTS)
_worst = _curve.loc[_curve["cost"].idxmax()]
q4_cheapest = {"threshold": float(_worst["threshold"]), "cost_per_1000": float(_worst["cost_per_1000"])}
"""),
    },
    "q5": {
        "p* with the costs the wrong way round": ("all", """
_p = 180 / 186
q5_textbook = {"p_star": _p, "cost_plain": summary_at(y_test, scores, _p, COSTS)["cost_per_1000"],
               "cost_weighted": summary_at(y_test, weighted_scores, _p, COSTS)["cost_per_1000"]}
"""),
        "the weighted model at its own cheapest threshold, not at p*": (["cost_weighted"], """
q5_textbook = {**q5_textbook, "cost_weighted": best_threshold(y_test, weighted_scores, COSTS)["cost_per_1000"]}
"""),
    },
    "q6": {
        "review share (a fraction) where reviews per 1,000 are asked": (["review_per_1000"], """
q6_recall_floor = {**q6_recall_floor, "review_per_1000": q6_recall_floor["review_per_1000"] / 1000}
"""),
        "best precision with recall at most 0.80 (the wrong side of the floor)": (["precision", "threshold"], """
from sklearn.metrics import precision_recall_curve
_p, _r, _t = precision_recall_curve(y_test, scores)
_i = max((i for i in range(len(_t)) if _r[i] <= 0.80 and _r[i] > 0.5), key=lambda i: _p[i])
q6_recall_floor = {"precision": float(_p[_i]), "threshold": float(_t[_i]),
                   "review_per_1000": summary_at(y_test, scores, _t[_i])["flagged_share"] * 1000}
"""),
    },
    "q7": {
        "ROC-AUC where PR-AUC is asked": (["pr_auc_plain", "pr_auc_weighted", "pr_auc_smote"], """
q7_rebalance = {**q7_rebalance, **{f"pr_auc_{n}": roc_auc_score(y_test, s) for n, s in candidates.items()}}
"""),
        "ships the model with the highest recall at 0.5": (["ship"], """
_recalls = {n: summary_at(y_test, s, 0.5)["recall"] for n, s in candidates.items()}
q7_rebalance = {**q7_rebalance, "ship": max(_recalls, key=_recalls.get)}
"""),
    },
    "q8": {
        "review share as a percentage": (["review_share"], """
q8_launch = {**q8_launch, "review_share": 100 * q8_launch["review_share"]}
"""),
        "recall and review share at the default 0.5 threshold": (["recall", "review_share"], """
_at = summary_at(y_test, scores, 0.5)
q8_launch = {**q8_launch, "recall": _at["recall"], "review_share": _at["flagged_share"]}
"""),
    },
}
