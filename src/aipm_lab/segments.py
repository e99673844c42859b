"""Per-segment metrics, intervals, disparity and floors for a binary classifier (part 3).

A model can look fine on all transactions and still fail one group of customers. The
helpers here put every segment next to the aggregate, each with an interval that shows how
little a small segment's number can be trusted, and turn "done" into "every segment clears
every floor". Per-group arithmetic is fairlearn's :class:`~fairlearn.metrics.MetricFrame`, fed a
weighted, compressed table; intervals and sample sizes are statsmodels'.

Labels are binary with 1 as the positive class (fraud at Paylark). ``y_true``, ``y_pred`` and
``segments`` are matched by position, as fairlearn does, not by pandas index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame
from sklearn.metrics import precision_score, recall_score
from statsmodels.stats.proportion import (
    proportion_confint,
    samplesize_confint_proportion,
)

OVERALL = "overall"
"""Index label of the aggregate row in a :func:`segment_report` table."""


# Metrics take NaN where their denominator is empty: a segment with no fraud has no recall,
# and reporting 0 there would read as a failure that was never observed. Every function takes
# the row counts of the compressed table (see _metric_frame) as sample weights.
def _recall(y_true, y_pred, sample_weight):
    return recall_score(y_true, y_pred, sample_weight=sample_weight, zero_division=np.nan)


def _precision(y_true, y_pred, sample_weight):
    return precision_score(y_true, y_pred, sample_weight=sample_weight, zero_division=np.nan)


def _n(y_true, y_pred, sample_weight):
    return int(np.sum(sample_weight))


def _n_positive(y_true, y_pred, sample_weight):
    return int(np.sum(sample_weight * y_true))


def _n_pred_positive(y_true, y_pred, sample_weight):
    return int(np.sum(sample_weight * y_pred))


def _n_true_positive(y_true, y_pred, sample_weight):
    return int(np.sum(sample_weight * (y_true & y_pred)))


def _metric_frame(funcs: dict, y_true, y_pred, segments) -> MetricFrame:
    """fairlearn's MetricFrame over one row per (segment, label, prediction), weighted by its count.

    MetricFrame does per-row Python work for every metric and group (an ``np.stack`` over each
    column), about 2 s for a 24,000-row test set. Every metric here is a weighted count, so
    the compressed table gives the same numbers in a few milliseconds.
    """
    y_true, y_pred = _binary(y_true, "y_true"), _binary(y_pred, "y_pred")
    if isinstance(segments, pd.DataFrame):
        features = segments.reset_index(drop=True)
    elif isinstance(segments, pd.Series):
        features = segments.reset_index(drop=True).to_frame()
    else:
        features = pd.DataFrame({"sensitive_feature_0": np.asarray(segments)})
    if len(features) != len(y_true):
        raise ValueError(f"segments has {len(features)} rows but the labels have {len(y_true)}")
    keys = list(features.columns)
    table = features.assign(_y=y_true, _p=y_pred).value_counts(dropna=False, sort=False).rename("_w").reset_index()
    weights = table["_w"].to_numpy()
    return MetricFrame(metrics=funcs, y_true=table["_y"].to_numpy(), y_pred=table["_p"].to_numpy(),
                       sensitive_features=table[keys] if len(keys) > 1 else table[keys[0]],
                       sample_params={name: {"sample_weight": weights} for name in funcs})


COUNTS = ("n", "n_positive", "n_pred_positive", "n_true_positive")
"""Count columns of a :func:`segment_report` table, after the metric columns."""

_COUNT_FUNCS = dict(zip(COUNTS, (_n, _n_positive, _n_pred_positive, _n_true_positive)))


class _Metric(NamedTuple):
    func: Any
    denominator: str  # count column the metric divides true positives by
    denominator_label: str  # how the plot names that count


_METRICS = {
    "recall": _Metric(_recall, "n_positive", "positives"),
    "precision": _Metric(_precision, "n_pred_positive", "flagged"),
}


@dataclass(frozen=True)
class Disparity:
    """Gap between the best and the worst segment on one metric; see :func:`disparity`."""

    metric: str
    ratio: float
    difference: float
    worst_group: Any
    worst_value: float
    passes_four_fifths: bool


def segment_report(y_true, y_pred, segments, metrics=("recall", "precision"), confidence=0.95):
    """Metrics per segment, with Wilson intervals and counts, plus an overall row.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels, 0 or 1.
    segments : pandas.Series, pandas.DataFrame or array-like
        Segment of each row. With several columns, each combination of values present in the
        data is one segment, as in fairlearn's ``sensitive_features``.
    metrics : sequence of {"recall", "precision"}, default ("recall", "precision")
        Metrics to report, in column order.
    confidence : float, default 0.95
        Coverage of the intervals.

    Returns
    -------
    pandas.DataFrame
        One row per segment, sorted by segment, then a last row labelled :data:`OVERALL`
        (``("overall", "", ...)`` when there are several segment columns, like pandas'
        margins) computed on all rows. For each metric ``m``: ``m``, ``m_low`` and
        ``m_high``. Then the counts ``n`` (rows), ``n_positive`` (true positives plus false
        negatives), ``n_pred_positive`` (rows flagged) and ``n_true_positive``.

    Notes
    -----
    Each metric is a proportion of true positives: recall over ``n_positive``, precision over
    ``n_pred_positive``. Its interval is the Wilson score interval for that proportion, which
    stays inside [0, 1] and behaves for the handful of positives a small segment has. Where the
    denominator is 0 the metric and its interval are NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> region = pd.Series(["urban"] * 3 + ["rural"] * 3, name="region")
    >>> report = segment_report([1, 1, 0, 1, 0, 0], [1, 0, 0, 1, 1, 0], region)
    >>> report[["recall", "recall_low", "n_positive"]].round(2)  # doctest: +NORMALIZE_WHITESPACE
             recall  recall_low  n_positive
    region
    rural      1.00        0.21           1
    urban      0.50        0.09           2
    overall    0.67        0.21           3
    """
    unknown = [m for m in metrics if m not in _METRICS]
    if unknown or not metrics:
        raise ValueError(f"metrics must be a non-empty subset of {sorted(_METRICS)}, got {list(metrics)}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    y_true, y_pred = _binary(y_true, "y_true"), _binary(y_pred, "y_pred")

    funcs = _COUNT_FUNCS | {m: _METRICS[m].func for m in metrics}
    frame = _metric_frame(funcs, y_true, y_pred, segments)
    # With several segment columns fairlearn lists every combination, even those with no rows.
    by_group = frame.by_group.dropna(subset=["n"])
    index = by_group.index
    if OVERALL in index.get_level_values(0):
        raise ValueError(f"a segment is named {OVERALL!r}, which labels the aggregate row")
    label = OVERALL if index.nlevels == 1 else (OVERALL,) + ("",) * (index.nlevels - 1)
    overall = frame.overall.to_frame(label).T.rename_axis(index.names)
    table = pd.concat([by_group, overall]).astype({c: int for c in COUNTS})

    columns = {}
    for m in metrics:
        nobs = table[_METRICS[m].denominator]
        # An empty denominator becomes NaN so statsmodels returns NaN instead of dividing by 0.
        low, high = proportion_confint(table["n_true_positive"], nobs.where(nobs > 0),
                                       alpha=1 - confidence, method="wilson")
        columns |= {m: table[m].astype(float), f"{m}_low": low, f"{m}_high": high}
    return pd.DataFrame(columns, index=table.index).join(table[list(COUNTS)])


def disparity(y_true, y_pred, segments, metric="recall"):
    """How far the worst segment trails the best one on ``metric``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels, 0 or 1.
    segments : pandas.Series, pandas.DataFrame or array-like
        Segment of each row, as in :func:`segment_report`.
    metric : {"recall", "precision"}, default "recall"
        Metric to compare; higher is better for both.

    Returns
    -------
    Disparity
        ``ratio`` is the smallest segment value over the largest and ``difference`` the
        largest minus the smallest (fairlearn's ``MetricFrame.ratio()`` and
        ``difference()``). ``worst_group`` and ``worst_value`` name the lowest segment.
        ``passes_four_fifths`` is ``ratio >= 0.8``.

        When a segment's metric is undefined (recall of a segment with no positives,
        precision of one with nothing flagged), ``ratio``, ``difference`` and
        ``worst_value`` are NaN, ``worst_group`` is the first such segment in sorted order
        and ``passes_four_fifths`` is False. That includes the case where no segment has a
        defined metric.

    Raises
    ------
    ValueError
        If ``metric`` is unknown, or the labels are not 0 and 1.

    Notes
    -----
    The four-fifths rule comes from US employment guidance on selection rates. Here it is only
    a screening rule of thumb for flagging a segment to look at, not a legal or statistical
    test: on a small segment the ratio moves a lot with a single caught or missed case, so read
    it next to the intervals of :func:`segment_report`.

    An unmeasurable segment fails the screen, as it fails :func:`meets_floors`: leaving it out
    would let the segment nobody can check pass unseen. Combinations of several segment
    columns that have no rows are not segments and are ignored, as in :func:`segment_report`.

    Examples
    --------
    >>> gap = disparity([1, 1, 0, 1, 1, 0], [1, 1, 0, 1, 0, 0], ["a", "a", "a", "b", "b", "b"])
    >>> gap.worst_group, gap.ratio, gap.passes_four_fifths
    ('b', 0.5, False)
    >>> no_fraud_in_b = disparity([1, 1, 0, 0], [1, 1, 0, 0], ["a", "a", "b", "b"])
    >>> no_fraud_in_b.worst_group, no_fraud_in_b.ratio, no_fraud_in_b.passes_four_fifths
    ('b', nan, False)
    """
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {sorted(_METRICS)}, got {metric!r}")
    frame = _metric_frame({metric: _METRICS[metric].func, "n": _n}, y_true, y_pred, segments)
    # With several segment columns fairlearn lists every combination, even those with no rows.
    by_group = frame.by_group.dropna(subset=["n"])[metric]
    undefined = by_group.index[by_group.isna()]
    if len(undefined):
        # fairlearn's ratio skips NaN groups, which would let an unmeasurable segment pass.
        return Disparity(metric=metric, ratio=float("nan"), difference=float("nan"),
                         worst_group=undefined[0], worst_value=float("nan"),
                         passes_four_fifths=False)
    worst = by_group.idxmin()
    ratio = float(frame.ratio()[metric])
    return Disparity(
        metric=metric,
        ratio=ratio,
        difference=float(frame.difference()[metric]),
        worst_group=worst,
        worst_value=float(by_group[worst]),
        passes_four_fifths=bool(ratio >= 0.8),
    )


def labels_needed(p, current_n, target_half_width, confidence=0.95):
    """How many more labelled cases a segment needs for a narrow enough interval.

    Parameters
    ----------
    p : float or array-like
        Expected value of the proportion (for example the segment's current recall). Use 0.5
        when unsure: it needs the most labels.
    current_n : int or array-like
        Cases already counted in the proportion's denominator.
    target_half_width : float
        Wanted half-width of the interval, in the proportion's units (0.1 means ±10 points).
    confidence : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    int or array-like of int
        Extra cases, never below 0; the same shape as the inputs (a pandas Series keeps its
        index, so a report's columns can be passed directly).

    Notes
    -----
    The count is in the proportion's denominator units. For recall these are labelled
    positives (confirmed frauds) in the segment, not transactions: a segment with 0.5% fraud
    needs about 200 transactions reviewed per extra fraud. For precision they are flagged
    transactions with a known outcome.

    The total comes from statsmodels' ``samplesize_confint_proportion``, the normal
    approximation ``z**2 * p * (1 - p) / target_half_width**2``, rounded up. The Wilson interval
    at that size is about as wide for p away from 0 and 1; close to 0 or 1 the approximation
    asks for too few cases, which is one more reason to plan with a p nearer 0.5.

    Examples
    --------
    >>> labels_needed(0.5, current_n=40, target_half_width=0.1)
    57
    """
    total = samplesize_confint_proportion(p, target_half_width, alpha=1 - confidence)
    more = np.maximum(np.ceil(total) - current_n, 0)
    return int(more) if np.ndim(more) == 0 else more.astype(int)


def recall_floor_thresholds(y_true, scores, segments, min_recall):
    """Highest threshold at which each segment's recall reaches ``min_recall``.

    Answers "how far would one threshold have to drop for every segment to clear the recall
    floor?": the minimum of the result is that threshold, and the share of rows scoring at or
    above it is what it would cost in reviews.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels, 0 or 1.
    scores : array-like of shape (n_samples,)
        Model scores; a row is flagged when its score is at or above the threshold.
    segments : pandas.Series, pandas.DataFrame or array-like
        Segment of each row, as in :func:`segment_report`.
    min_recall : float
        The recall floor, in (0, 1].

    Returns
    -------
    pandas.Series
        One threshold per segment present in the data, sorted by segment (a MultiIndex with
        several segment columns), named ``threshold``. It is the ``k``-th highest score among
        the segment's positives, with ``k = ceil(min_recall * positives)``. A segment with no
        positives gets NaN: no threshold can make its recall measurable, and
        :func:`meets_floors` fails it whatever the threshold.

    Examples
    --------
    >>> import pandas as pd
    >>> region = pd.Series(["urban"] * 4 + ["rural"] * 4, name="region")
    >>> recall_floor_thresholds([1, 1, 0, 0, 1, 1, 1, 0], [0.9, 0.8, 0.1, 0.2, 0.3, 0.05, 0.01, 0.5],
    ...                         region, 0.6)
    region
    rural    0.05
    urban    0.80
    Name: threshold, dtype: float64
    """
    if not 0 < min_recall <= 1:
        raise ValueError(f"min_recall must be in (0, 1], got {min_recall}")
    y_true, scores = _binary(y_true, "y_true"), np.asarray(scores, dtype=float)
    if scores.shape != y_true.shape:
        raise ValueError(f"scores has shape {scores.shape}, y_true {y_true.shape}")
    if isinstance(segments, pd.DataFrame):
        keys = segments.reset_index(drop=True)
    else:
        name = getattr(segments, "name", None)
        keys = pd.DataFrame({name if name is not None else "segment": np.asarray(segments)})
    if len(keys) != len(y_true):
        raise ValueError(f"segments has {len(keys)} rows, y_true {len(y_true)}")

    def highest(positive_scores):
        ranked = np.sort(positive_scores.to_numpy())[::-1]
        if not len(ranked):
            return np.nan
        # Rounded first so that, say, 0.6 * 5 = 3.0000000000000004 asks for 3 positives, not 4.
        k = int(np.ceil(round(min_recall * len(ranked), 9)))
        return float(ranked[k - 1])

    groups = pd.Series(np.where(y_true == 1, scores, np.nan)).groupby(
        [keys[c] for c in keys.columns], sort=True)
    out = groups.apply(lambda g: highest(g.dropna()))
    return out.rename("threshold").astype(float)


def meets_floors(report, floors, use_lower_bound=False):
    """Check every segment of a report against minimum metric values.

    Parameters
    ----------
    report : pandas.DataFrame
        Output of :func:`segment_report`; its overall row is ignored.
    floors : dict of str to float
        Minimum value per metric, for example ``{"recall": 0.6, "precision": 0.1}``.
    use_lower_bound : bool, default False
        Compare each floor with the interval's lower bound instead of the point value, so a
        segment passes only when the data show it clears the floor, not merely that it might.

    Returns
    -------
    checks : pandas.DataFrame
        One row per segment, a boolean column per floor and ``passes``, true when the segment
        clears all of them.
    done : bool
        True when every segment clears every floor: the definition of done of part 3.

    Notes
    -----
    A NaN value (a segment with no positives, or nothing flagged) fails: a floor that cannot
    be measured is not met.
    """
    if not floors:
        raise ValueError("floors must name at least one metric")
    missing = [m for m in floors if m not in report.columns]
    if missing:
        raise KeyError(f"report has no column for {missing}; pass them in segment_report(metrics=...)")
    segments = report[report.index.get_level_values(0) != OVERALL]
    suffix = "_low" if use_lower_bound else ""
    checks = pd.DataFrame({m: segments[m + suffix] >= floor for m, floor in floors.items()})
    checks["passes"] = checks.all(axis=1)
    return checks, bool(checks["passes"].all())


def plot_segment_metric(report, metric, ax=None):
    """Plot one metric per segment with its interval, against the overall value.

    Parameters
    ----------
    report : pandas.DataFrame
        Output of :func:`segment_report` that includes ``metric``.
    metric : {"recall", "precision"}
        Metric to plot.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is made when omitted.

    Returns
    -------
    matplotlib.axes.Axes
        The axes, with one point and error bar per segment, a dashed line at the overall value
        and each segment's denominator count under its name.
    """
    # Imported here so that importing the module does not load matplotlib.
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    is_overall = report.index.get_level_values(0) == OVERALL
    segments, overall = report[~is_overall], report[is_overall].iloc[0]
    spec = _METRICS[metric]

    value = segments[metric].to_numpy(float)
    # Clipped because float rounding can put a bound a hair past the point value.
    yerr = np.clip([value - segments[f"{metric}_low"], segments[f"{metric}_high"] - value], 0, None)
    x = np.arange(len(segments))
    ax.errorbar(x, value, yerr=yerr, fmt="o", capsize=4, label="segment, with interval")
    ax.axhline(overall[metric], color="grey", linestyle="--", label=f"overall ({overall[metric]:.2f})")
    names = [" / ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in segments.index]
    counts = segments[spec.denominator]
    ax.set_xticks(x, [f"{name}\n{c} {spec.denominator_label}" for name, c in zip(names, counts)])
    ax.set_xlim(-0.5, len(segments) - 0.5)
    ax.set_ylim(-0.02, 1.02)
    level_names = [str(n) for n in report.index.names if n is not None]
    ax.set_xlabel(" / ".join(level_names) or "segment")
    ax.set_ylabel(f"{metric} (share, 0 to 1)")
    ax.set_title(f"{metric.capitalize()} by segment, with intervals")
    ax.legend(loc="best")
    return ax


def _binary(y, name):
    y = np.asarray(y)
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"{name} must hold only 0 and 1 (1 = positive)")
    return y.astype(int)
