"""Uncertainty budgets: calibration, confidence thresholds, routing and the review queue (part 4).

A model's score becomes a product decision in three steps. First check that the
score can be read as a probability (:func:`calibration_table`,
:func:`expected_calibration_error`, :func:`observed_expected`, :func:`p_star_gap`). Then decide how much
wrongness each use can afford and which confidence buys it
(:func:`risk_coverage`, :func:`operating_point`, :func:`route`). Finally count
what the uncertain cases cost in people (:func:`conformal_sets`,
:func:`action_matrix`, :func:`staffing`).

Examples
--------
>>> import numpy as np
>>> route([0.95, 0.7, 0.3], low=0.5, high=0.9).tolist()
['serve', 'caveat', 'fallback']
>>> staffing(review_share=0.1, daily_volume=2400, minutes_per_review=3)["analysts"]
2
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from aipm_lab.costs import CostMatrix, best_threshold, summary_at

SERVE, CAVEAT, FALLBACK = "serve", "caveat", "fallback"
"""The three routes of :func:`route`: answer, answer with a caveat, hand to a person."""

ACTIONS = {
    (True, False): "auto-execute",
    (True, True): "suggest and confirm",
    (False, False): "show options",
    (False, True): "human review",
}
"""Confidence x impact action matrix: (confident, high impact) -> action.

High impact at low confidence always goes to a person: nothing is executed automatically there.
"""


def _pair(y_true, y_prob, name: str = "y_prob") -> tuple[np.ndarray, np.ndarray]:
    """Validate a (labels, probabilities) pair of equal length with probabilities in [0, 1]."""
    y_true = np.asarray(y_true)
    y_prob = np.asarray(y_prob, dtype=float)
    if y_true.shape != y_prob.shape or y_prob.ndim != 1:
        raise ValueError(f"y_true has shape {y_true.shape} but {name} has shape {y_prob.shape}; "
                         "they must be 1-D and match one to one")
    if not y_prob.size:
        raise ValueError(f"no {name} to evaluate: the arrays are empty")
    if not np.all((y_prob >= 0) & (y_prob <= 1)):
        raise ValueError(f"{name} must be probabilities between 0 and 1 (NaN is not allowed)")
    return y_true, y_prob


def calibration_table(y_true, y_prob, n_bins: int = 10, strategy: str = "uniform") -> pd.DataFrame:
    """Predicted against observed rate, bin by bin: the numbers behind a reliability diagram.

    The bins are those of :func:`sklearn.calibration.calibration_curve` (same edges, same
    side of each edge), so this table, that curve and :func:`expected_calibration_error`
    agree; the table adds the counts that the curve leaves out.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 for the positive class, 0 otherwise.
    y_prob : array-like of shape (n_samples,)
        Predicted probability of the positive class.
    n_bins : int, default 10
        Number of bins.
    strategy : {"uniform", "quantile"}, default "uniform"
        Equal-width bins on [0, 1], or bins holding equal numbers of items (better when
        almost every score is small, as for fraud).

    Returns
    -------
    pandas.DataFrame
        One row per non-empty bin: ``low``, ``high`` (edges), ``n``, ``mean_prob``,
        ``observed_rate`` and ``gap`` (``mean_prob - observed_rate``).

    Raises
    ------
    ValueError
        If the arrays differ in length, are empty, or a probability is outside [0, 1];
        or ``strategy`` or ``n_bins`` is invalid.
    """
    y_true, y_prob = _pair(y_true, y_prob)
    if not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a whole number of 1 or more, got {n_bins!r}")
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    elif strategy == "quantile":
        edges = np.percentile(y_prob, np.linspace(0, 100, n_bins + 1))
    else:
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")
    ids = np.searchsorted(edges[1:-1], y_prob)  # as calibration_curve assigns bins
    n = np.bincount(ids, minlength=n_bins)
    prob_sum = np.bincount(ids, weights=y_prob, minlength=n_bins)
    pos_sum = np.bincount(ids, weights=(y_true == 1).astype(float), minlength=n_bins)
    keep = n > 0
    table = pd.DataFrame({"low": edges[:-1][keep], "high": edges[1:][keep], "n": n[keep],
                          "mean_prob": prob_sum[keep] / n[keep], "observed_rate": pos_sum[keep] / n[keep]})
    table["gap"] = table["mean_prob"] - table["observed_rate"]
    return table


def expected_calibration_error(y_true, y_prob, n_bins: int = 10, strategy: str = "uniform") -> float:
    """Expected calibration error: the average gap between predicted and observed rate.

    ECE = sum over bins of (items in bin / all items) x |mean probability - observed rate|.
    scikit-learn draws the reliability curve but has no ECE metric, so it is written here
    on the same bins (:func:`calibration_table`). It depends on the binning: compare models
    only with the same ``n_bins`` and ``strategy``.

    Parameters
    ----------
    y_true, y_prob, n_bins, strategy
        As in :func:`calibration_table`.

    Returns
    -------
    float
        Between 0 (calibrated on these bins) and 1.

    Examples
    --------
    >>> round(expected_calibration_error([0, 0, 1, 1], [0.1, 0.3, 0.6, 0.9], n_bins=2), 3)  # (0.2 + 0.25) / 2
    0.225
    """
    table = calibration_table(y_true, y_prob, n_bins, strategy)
    return float((table["n"] * table["gap"].abs()).sum() / table["n"].sum())


def observed_expected(y_true, y_prob, confidence: float = 0.95) -> dict:
    """Calibration in the large: observed positives against the number the scores expect.

    Calibrated scores expect, summed, as many positives as occur. The ratio observed /
    expected gets an exact Poisson interval (statsmodels' ``confint_poisson``, the expected
    count as exposure), and ``factor`` folds it at 1: how many times off the scores are,
    too high or too low. Unlike an ECE at a rare base rate (a constant 0 scores an ECE of
    only the base rate), the factor is infinite for a constant 0 and 2 for scores doubled
    or halved. It checks the level of the scores, not their shape: read a reliability
    diagram (:func:`calibration_table`) for that.

    Parameters
    ----------
    y_true, y_prob : array-like of shape (n_samples,)
        Outcomes (0/1) and predicted probabilities.
    confidence : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    dict
        ``observed``, ``expected`` (the sum of ``y_prob``), ``ratio`` (observed / expected)
        with ``ratio_low``, ``ratio_high``, and ``factor`` = max(ratio, 1 / ratio) with
        ``factor_low``, ``factor_high`` (1 to the farther end when the interval holds 1).

    Examples
    --------
    >>> out = observed_expected([1, 0, 0, 0] * 25, [0.5, 0.0, 0.0, 0.0] * 25)  # 25 seen, 12.5 expected
    >>> out["ratio"], out["factor"], out["factor_low"] > 1
    (2.0, 2.0, True)
    """
    from statsmodels.stats.rates import confint_poisson

    y, p = _pair(y_true, y_prob)
    observed, expected = int(y.sum()), float(p.sum())
    if expected > 0:
        ratio = observed / expected
        low, high = (float(v) for v in confint_poisson(observed, expected, method="exact-c", alpha=1 - confidence))
    else:  # scores of 0 everywhere expect nothing: any positive is infinitely many times more
        ratio = low = high = math.inf if observed else 1.0
    inverse = (1 / high if high else math.inf, 1 / low if low else math.inf)  # the interval of 1 / ratio
    if low > 1:
        factor_low, factor_high = low, high
    elif high < 1:
        factor_low, factor_high = inverse
    else:
        factor_low, factor_high = 1.0, max(high, inverse[1])
    return {"observed": observed, "expected": expected, "ratio": ratio, "ratio_low": low, "ratio_high": high,
            "factor": max(ratio, 1 / ratio) if ratio else math.inf, "factor_low": factor_low, "factor_high": factor_high}


def p_star_gap(y_true, scores, costs: CostMatrix, thresholds=None) -> dict:
    """How far the textbook threshold p* = C_FP / (C_FP + C_FN) is from the cheapest one.

    For calibrated scores the two meet (up to sampling noise); a large gap says the scores
    cannot be read as probabilities.

    Parameters
    ----------
    y_true, scores : array-like of shape (n_samples,)
    costs : CostMatrix
    thresholds : array-like, optional
        Grid for the cheapest threshold (default 0.001 to 0.999, as :func:`~aipm_lab.costs.best_threshold`).

    Returns
    -------
    dict
        ``p_star``, ``cheapest`` (threshold), ``cost_cheapest``, ``cost_at_p_star`` (per 1,000
        items) and ``extra_cost`` (what trusting p* costs per 1,000 items).
    """
    best = best_threshold(y_true, scores, costs, thresholds)
    at_p_star = summary_at(y_true, scores, costs.bayes_threshold, costs)["cost_per_1000"]
    return {"p_star": costs.bayes_threshold, "cheapest": float(best["threshold"]),
            "cost_cheapest": float(best["cost_per_1000"]), "cost_at_p_star": float(at_p_star),
            "extra_cost": float(at_p_star - best["cost_per_1000"])}


def _confidence_errors(confidence, is_error) -> tuple[np.ndarray, np.ndarray]:
    confidence = np.asarray(confidence, dtype=float)
    is_error = np.asarray(is_error)
    if confidence.shape != is_error.shape or confidence.ndim != 1:
        raise ValueError(f"confidence has shape {confidence.shape} but is_error has shape {is_error.shape}; "
                         "give one confidence and one error flag per item")
    if not confidence.size:
        raise ValueError("no items: confidence and is_error are empty")
    if np.isnan(confidence).any():
        raise ValueError("confidence contains NaN")
    return confidence, is_error.astype(bool)


DEFAULT_GRID = np.round(np.arange(0, 101) / 100, 2)
"""Confidence thresholds 0.00, 0.01, ..., 1.00."""


def risk_coverage(confidence, is_error, thresholds=None) -> pd.DataFrame:
    """Automation rate against error rate among automated items, threshold by threshold.

    An item is automated when ``confidence >= threshold``. Raising the threshold automates
    fewer items (coverage) and, for a useful confidence, makes fewer mistakes among them
    (risk). scikit-learn has no risk-coverage curve; it is a cumulative count.

    Parameters
    ----------
    confidence : array-like of shape (n_samples,)
        The model's confidence in its own answer (e.g. the top class probability).
    is_error : array-like of bool, shape (n_samples,)
        True where the model's answer is wrong.
    thresholds : array-like, optional
        Default :data:`DEFAULT_GRID` (0.00 to 1.00 in steps of 0.01).

    Returns
    -------
    pandas.DataFrame
        ``threshold``, ``automated`` (count), ``errors`` (count among automated),
        ``coverage`` (share automated) and ``risk`` (error rate among automated; NaN when
        nothing is automated).
    """
    confidence, is_error = _confidence_errors(confidence, is_error)
    t = np.atleast_1d(np.asarray(DEFAULT_GRID if thresholds is None else thresholds, dtype=float))
    order = np.argsort(-confidence, kind="stable")
    sorted_conf = confidence[order]
    cum_errors = np.concatenate([[0], np.cumsum(is_error[order])])
    automated = np.searchsorted(-sorted_conf, -t, side="right")  # items with confidence >= t
    errors = cum_errors[automated]
    with np.errstate(invalid="ignore", divide="ignore"):
        risk = np.where(automated > 0, errors / np.maximum(automated, 1), np.nan)
    return pd.DataFrame({"threshold": t, "automated": automated, "errors": errors,
                         "coverage": automated / confidence.size, "risk": risk})


def operating_point(confidence, is_error, max_error: float, thresholds=None) -> dict | None:
    """The largest automation rate whose error rate among automated items fits a budget.

    Parameters
    ----------
    confidence, is_error, thresholds
        As in :func:`risk_coverage`.
    max_error : float
        The budget: the highest acceptable error rate among automated items (0.10 for
        "one wrong answer in ten is fine").

    Returns
    -------
    dict or None
        The row of :func:`risk_coverage` with the highest coverage among thresholds whose
        risk is at most ``max_error`` (the lowest such threshold when several tie), as a
        dict; None when no threshold automates anything within the budget.
    """
    if not 0 <= max_error <= 1:
        raise ValueError(f"max_error is a share between 0 and 1, got {max_error}")
    curve = risk_coverage(confidence, is_error, thresholds)
    fits = curve[(curve["automated"] > 0) & (curve["risk"] <= max_error)]
    if fits.empty:
        return None
    row = fits.sort_values(["coverage", "threshold"], ascending=[False, True]).iloc[0]
    return {k: (int(v) if k in ("automated", "errors") else float(v)) for k, v in row.items()}


def route(confidence, low: float, high: float) -> np.ndarray:
    """Serve, serve with a caveat, or fall back to a person, by two confidence thresholds.

    Parameters
    ----------
    confidence : array-like of shape (n_samples,)
    low, high : float
        ``confidence >= high`` is served as is; ``low <= confidence < high`` is served
        with a caveat ("I think this is about ..., is that right?"); the rest falls back.

    Returns
    -------
    numpy.ndarray of str
        ``"serve"``, ``"caveat"`` or ``"fallback"`` per item.
    """
    if not 0 <= low <= high <= 1:
        raise ValueError(f"need 0 <= low <= high <= 1, got low={low}, high={high}")
    confidence = np.asarray(confidence, dtype=float)
    return np.select([confidence >= high, confidence >= low], [SERVE, CAVEAT], FALLBACK)


def route_summary(confidence, is_error, low: float, high: float) -> pd.DataFrame:
    """Share of items and error rate on each route of :func:`route`.

    Returns
    -------
    pandas.DataFrame
        Index ``serve, caveat, fallback``; columns ``items``, ``share`` and ``error_rate``
        (NaN on an empty route).
    """
    confidence, is_error = _confidence_errors(confidence, is_error)
    routes = pd.Series(route(confidence, low, high))
    table = (pd.DataFrame({"route": routes, "error": is_error})
             .groupby("route")["error"].agg(items="size", error_rate="mean")
             .reindex([SERVE, CAVEAT, FALLBACK]))
    table["items"] = table["items"].fillna(0).astype(int)
    table.insert(1, "share", table["items"] / len(confidence))
    return table


def conformal_sets(cal_proba, cal_labels, proba, classes, confidence: float = 0.9) -> np.ndarray:
    """Split-conformal prediction sets from a fitted classifier's probabilities.

    Each set holds every class whose nonconformity (1 - its probability, crepes' ``hinge``
    score) is no larger than the calibration tickets' scores allow at this confidence; on
    new items like the calibration ones, the true class is in the set at least
    ``confidence`` of the time. A set with more than one class (or none) is the model saying
    "I am not sure".

    crepes is used rather than MAPIE: it works on probabilities, so it needs no wrapper
    around the model; it is about 0.6 MB installed against MAPIE's 4.6 MB; and MAPIE's
    1.0 release made its ``MapieClassifier`` private in favour of new classes, a break
    older code still meets. Both give the same sets here with scikit-learn 1.9 and
    pandas 3 (the lesson and the answer variants compare them).

    Parameters
    ----------
    cal_proba : array-like of shape (n_cal, n_classes)
        Predicted probabilities on calibration items the model was not trained on.
    cal_labels : array-like of shape (n_cal,)
        Their true classes.
    proba : array-like of shape (n_samples, n_classes)
        Predicted probabilities on the items to build sets for.
    classes : array-like of shape (n_classes,)
        Class names in the column order of the probabilities (``model.classes_``).
    confidence : float, default 0.9
        Wanted coverage, strictly between 0 and 1.

    Returns
    -------
    numpy.ndarray of bool, shape (n_samples, n_classes)
        True where a class is in an item's set.
    """
    from crepes import ConformalClassifier
    from crepes.extras import hinge

    if not 0 < confidence < 1:
        raise ValueError(f"confidence is a share strictly between 0 and 1, got {confidence}")
    cal_proba, proba = np.asarray(cal_proba, dtype=float), np.asarray(proba, dtype=float)
    classes = np.asarray(classes)
    if cal_proba.ndim != 2 or proba.ndim != 2 or cal_proba.shape[1] != len(classes) or proba.shape[1] != len(classes):
        raise ValueError(f"probabilities need one column per class ({len(classes)}); got shapes "
                         f"{cal_proba.shape} and {proba.shape}")
    unknown = set(np.asarray(cal_labels).tolist()) - set(classes.tolist())
    if unknown:
        raise ValueError(f"calibration labels {sorted(unknown)} are not among the classes")
    calibrator = ConformalClassifier().fit(hinge(cal_proba, classes, np.asarray(cal_labels)))
    # smoothing=False: smoothed p-values draw random numbers, and the sets must not change between runs.
    return calibrator.predict_set(hinge(proba), confidence=confidence, smoothing=False).astype(bool)


def action_matrix(confident, high_impact) -> pd.DataFrame:
    """Share of items in each cell of the confidence x impact action matrix.

    Parameters
    ----------
    confident : array-like of bool, shape (n_samples,)
        True where the model's confidence clears the bar.
    high_impact : array-like of bool, shape (n_samples,)
        True where acting wrongly would be costly (money moved, an account closed).

    Returns
    -------
    pandas.DataFrame
        One row per action of :data:`ACTIONS`, in order: ``confidence`` ("high"/"low"),
        ``impact`` ("high"/"low"), ``items`` and ``share``.
    """
    confident, high_impact = np.asarray(confident, dtype=bool), np.asarray(high_impact, dtype=bool)
    if confident.shape != high_impact.shape or not confident.size:
        raise ValueError("confident and high_impact need one (non-empty, equal-length) flag per item")
    rows = []
    for (conf, impact), action in ACTIONS.items():
        items = int(((confident == conf) & (high_impact == impact)).sum())
        rows.append({"action": action, "confidence": "high" if conf else "low",
                     "impact": "high" if impact else "low", "items": items, "share": items / confident.size})
    return pd.DataFrame(rows).set_index("action")


def staffing(review_share: float, daily_volume: float, minutes_per_review: float,
             productive_hours: float = 6.0) -> dict:
    """Reviews per day, and analysts needed to clear them, for a share sent to review.

    A plain workload model: analysts = reviews x handling time / productive hours per
    analyst-day, rounded up. ``productive_hours`` (6 of an 8-hour shift by default) absorbs
    breaks, training and the slack a queue needs; a queueing model (Erlang C) would only
    matter for answering within minutes, which a day-long review queue does not promise.

    Parameters
    ----------
    review_share : float
        Share of the daily items routed to a person, between 0 and 1.
    daily_volume : float
        Items per day (tickets or transactions).
    minutes_per_review : float
        Average handling time of one review.
    productive_hours : float, default 6.0
        Hours of review work one analyst does per day.

    Returns
    -------
    dict
        ``reviews_per_day``, ``review_hours`` (per day), ``fte`` (exact analysts) and
        ``analysts`` (rounded up to whole people).
    """
    if not 0 <= review_share <= 1:
        raise ValueError(f"review_share is a share between 0 and 1, got {review_share}")
    if not (daily_volume >= 0 and minutes_per_review >= 0 and productive_hours > 0):
        raise ValueError("daily_volume and minutes_per_review must be 0 or more, productive_hours above 0")
    reviews = review_share * daily_volume
    hours = reviews * minutes_per_review / 60
    fte = hours / productive_hours
    # The tolerance keeps a whole number up to float error from rounding up by one.
    return {"reviews_per_day": reviews, "review_hours": hours, "fte": fte, "analysts": math.ceil(fte - 1e-9)}
