"""Confusion counts, the cost of errors, and choosing a decision threshold.

These are the numbers a PM turns a score into a decision with. Counting is left
to scikit-learn (:func:`sklearn.metrics.confusion_matrix_at_thresholds`,
:func:`sklearn.metrics.precision_recall_curve`); this module adds the business
layer on top: costs per error type, the cost of a threshold, the cheapest
threshold and the precision available at a required recall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix_at_thresholds, precision_recall_curve


@dataclass(frozen=True)
class CostMatrix:
    """What each kind of error costs, per transaction (correct decisions cost 0).

    Attributes
    ----------
    false_positive : float
        Cost of flagging a legitimate transaction (review time, customer friction).
    false_negative : float
        Cost of missing a fraudulent one (the loss and the chargeback fee).

    Raises
    ------
    ValueError
        If a cost is negative, infinite or NaN, or both costs are 0 (then every threshold
        costs nothing and there is no decision to make).
    """

    false_positive: float
    false_negative: float

    def __post_init__(self):
        for name in ("false_positive", "false_negative"):
            value = getattr(self, name)
            # Written so that NaN fails too: every comparison with NaN is False.
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} cost must be a finite number of 0 or more, got {value}")
        if self.false_positive == 0 and self.false_negative == 0:
            raise ValueError("at least one of the two costs must be above 0: "
                             "with both at 0 no threshold is better than another")

    @property
    def bayes_threshold(self) -> float:
        """Cost-minimising threshold for *calibrated* probabilities: C_FP / (C_FP + C_FN).

        Flag when p * C_FN > (1 - p) * C_FP, the textbook result (Elkan, 2001).
        """
        return self.false_positive / (self.false_positive + self.false_negative)


def confusion_at(y_true, scores, thresholds) -> pd.DataFrame:
    """Confusion counts when flagging ``scores >= t``, for each threshold ``t``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 for the positive class (fraud), 0 otherwise.
    scores : array-like of shape (n_samples,)
        Model scores; higher means more likely positive.
    thresholds : float or array-like
        Thresholds to evaluate.

    Returns
    -------
    pandas.DataFrame
        Columns ``threshold, tp, fp, fn, tn``, one row per threshold.

    Raises
    ------
    ValueError
        If there are no scores, or ``y_true`` and ``scores`` differ in length.
    """
    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=float)
    if y_true.shape != scores.shape:
        raise ValueError(f"y_true has {y_true.size} labels but scores has {scores.size} scores; "
                         "they must match one to one")
    if not scores.size:
        raise ValueError("no scores to threshold: y_true and scores are empty")
    t = np.atleast_1d(np.asarray(thresholds, dtype=float))
    tns, fps, fns, tps, cut = confusion_matrix_at_thresholds(y_true, scores)
    positives, negatives = int(y_true.sum()), int(len(y_true) - y_true.sum())
    # ``cut`` is decreasing: the number of cut points >= t locates the counts for threshold t.
    k = np.searchsorted(-cut, -t, side="right")
    tp = np.where(k > 0, tps[np.maximum(k - 1, 0)], 0).astype(int)
    fp = np.where(k > 0, fps[np.maximum(k - 1, 0)], 0).astype(int)
    return pd.DataFrame({"threshold": t, "tp": tp, "fp": fp, "fn": positives - tp, "tn": negatives - fp})


def cost_curve(y_true, scores, costs: CostMatrix, thresholds=None, per: int = 1000) -> pd.DataFrame:
    """Expected cost of each threshold.

    Parameters
    ----------
    y_true, scores : array-like of shape (n_samples,)
    costs : CostMatrix
    thresholds : array-like, optional
        Default: 0.001 to 0.999 in steps of 0.001.
    per : int, default 1000
        Report the cost per this many transactions as ``cost_per_{per}``.

    Returns
    -------
    pandas.DataFrame
        :func:`confusion_at` plus ``cost`` (total over the sample) and ``cost_per_{per}``.
    """
    if thresholds is None:
        thresholds = np.round(np.arange(1, 1000) / 1000, 3)
    table = confusion_at(y_true, scores, thresholds)
    table["cost"] = table.fp * costs.false_positive + table.fn * costs.false_negative
    table[f"cost_per_{per}"] = table.cost / len(np.asarray(y_true)) * per
    return table


def best_threshold(y_true, scores, costs: CostMatrix, thresholds=None) -> pd.Series:
    """The cheapest threshold on the grid (the lowest one when several tie).

    Returns
    -------
    pandas.Series
        The row of :func:`cost_curve` with the lowest cost.
    """
    curve = cost_curve(y_true, scores, costs, thresholds)
    return curve.loc[curve.cost.idxmin()]


def summary_at(y_true, scores, threshold: float, costs: CostMatrix | None = None) -> dict:
    """Counts, rates and (optionally) cost of one threshold: what the threshold widget shows.

    Returns
    -------
    dict
        ``tp, fp, fn, tn, precision, recall, f1, fpr, fnr, flagged_share``, and
        ``cost_per_1000`` when ``costs`` is given. Undefined ratios are NaN.
    """
    row = confusion_at(y_true, scores, threshold).iloc[0]
    tp, fp, fn, tn = (int(row[c]) for c in ("tp", "fp", "fn", "tn"))

    def ratio(a, b):
        return a / b if b else float("nan")

    out = {
        "tp": tp, "fp": fp, "fn": fn, "tn": tn,
        "precision": ratio(tp, tp + fp),
        "recall": ratio(tp, tp + fn),
        "f1": ratio(2 * tp, 2 * tp + fp + fn),
        "fpr": ratio(fp, fp + tn),
        "fnr": ratio(fn, fn + tp),
        "flagged_share": ratio(tp + fp, tp + fp + fn + tn),
    }
    if costs is not None:
        out["cost_per_1000"] = (fp * costs.false_positive + fn * costs.false_negative) / (tp + fp + fn + tn) * 1000
    return out


def precision_at_recall(y_true, scores, min_recall: float) -> dict:
    """Best precision among thresholds that keep recall at or above ``min_recall``.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 for the positive class (fraud), 0 otherwise; at least one must be 1.
    scores : array-like of shape (n_samples,)
        Model scores; higher means more likely positive.
    min_recall : float
        The recall to keep, between 0 and 1.

    Returns
    -------
    dict
        ``precision``, ``recall`` and ``threshold`` of that operating point.

    Raises
    ------
    ValueError
        If ``y_true`` has no positives (recall is then undefined) or ``min_recall`` is not
        between 0 and 1.
    """
    # Written so that NaN fails too.
    if not 0 <= min_recall <= 1:
        raise ValueError(f"min_recall is a share between 0 and 1, got {min_recall}")
    if not np.any(np.asarray(y_true) == 1):
        raise ValueError("y_true has no positives, so recall is undefined: "
                         "there is no fraud to catch in these rows")
    precision, recall, thresholds = precision_recall_curve(y_true, scores)
    # The last (precision=1, recall=0) point has no threshold; drop it.
    precision, recall = precision[:-1], recall[:-1]
    ok = np.flatnonzero(recall >= min_recall)
    i = ok[np.argmax(precision[ok])]
    return {"precision": float(precision[i]), "recall": float(recall[i]), "threshold": float(thresholds[i])}
