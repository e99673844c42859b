"""Metrics as ranges: confidence intervals, evaluation-set sizes, acceptance criteria (part 1).

An accuracy measured on a few hundred items is an estimate. These helpers put
an interval around it, size an evaluation set for a wanted precision, write
the acceptance criterion as a range that a team can sign off, and judge an
interval against a contract's floor.
"""

from __future__ import annotations

import math

import pandas as pd
from statsmodels.stats.proportion import (
    proportion_confint,
    samplesize_confint_proportion,
)


def accuracy_interval(
    n_correct: int, n: int, confidence: float = 0.95, method: str = "wilson"
) -> tuple[float, float]:
    """Confidence interval for an accuracy (or any proportion) measured on ``n`` items.

    Parameters
    ----------
    n_correct : int
        Items the model got right.
    n : int
        Items evaluated.
    confidence : float, default 0.95
        Coverage of the two-sided interval.
    method : str, default "wilson"
        Any method of :func:`statsmodels.stats.proportion.proportion_confint`.
        Wilson behaves well near 0 and 1, where the textbook ``"normal"`` interval
        can spill outside [0, 1].

    Returns
    -------
    tuple of float
        ``(low, high)``.
    """
    if n <= 0 or not 0 <= n_correct <= n:
        raise ValueError(f"need 0 <= n_correct <= n and n > 0, got n_correct={n_correct}, n={n}")
    low, high = proportion_confint(n_correct, n, alpha=1 - confidence, method=method)
    return float(low), float(high)


def sample_size_for_margin(p: float, margin: float, confidence: float = 0.95) -> int:
    """Evaluation-set size for which a proportion near ``p`` is known to ``±margin``.

    Uses the normal approximation of
    :func:`statsmodels.stats.proportion.samplesize_confint_proportion`, rounded up.

    Parameters
    ----------
    p : float
        Expected proportion, for example the accuracy you hope for; 0.5 is the
        worst case when nothing is known.
    margin : float
        Wanted half-width of the interval, for example 0.02 for ±2 points.
    confidence : float, default 0.95
        Coverage of the two-sided interval.

    Returns
    -------
    int
        Number of items to evaluate.
    """
    if not 0 < p < 1 or not 0 < margin < 1:
        raise ValueError(f"need 0 < p < 1 and 0 < margin < 1, got p={p}, margin={margin}")
    n = samplesize_confint_proportion(p, margin, alpha=1 - confidence)
    # The tolerance keeps a size that is a whole number up to float error from rounding up by one.
    return math.ceil(n - 1e-9)


def as_range(
    low: float,
    high: float,
    *,
    metric: str = "accuracy",
    confidence: float | None = 0.95,
    n: int | None = None,
    decimals: int = 2,
) -> str:
    """Write an acceptance criterion as a range rather than a single number.

    Parameters
    ----------
    low, high : float
        Ends of the range, for example from :func:`accuracy_interval`.
    metric : str, default "accuracy"
        Name of the metric, as the sentence should show it.
    confidence : float or None, default 0.95
        Coverage of the interval; None leaves it out (for a range that is a target,
        not an estimate).
    n : int or None
        Size of the evaluation set, shown when given.
    decimals : int, default 2
        Decimals of the two ends.

    Returns
    -------
    str
        For example ``"accuracy between 0.81 and 0.86 (95% CI, n=1,200)"``.

    Examples
    --------
    >>> as_range(0.8132, 0.8571, n=1200)
    'accuracy between 0.81 and 0.86 (95% CI, n=1,200)'
    """
    if low > high:
        raise ValueError(f"low ({low}) is above high ({high})")
    notes = []
    if confidence is not None:
        notes.append(f"{confidence * 100:g}% CI")
    if n is not None:
        notes.append(f"n={n:,}")
    text = f"{metric} between {low:.{decimals}f} and {high:.{decimals}f}"
    return f"{text} ({', '.join(notes)})" if notes else text


def interval_by_size(
    accuracy: float, sizes, confidence: float = 0.95, method: str = "wilson"
) -> pd.DataFrame:
    """How the interval around an accuracy narrows as the evaluation set grows.

    Parameters
    ----------
    accuracy : float
        The accuracy you expect to measure, between 0 and 1.
    sizes : iterable of int
        Evaluation-set sizes to tabulate.
    confidence : float, default 0.95
        Coverage of the two-sided interval.
    method : str, default "wilson"
        As in :func:`accuracy_interval`.

    Returns
    -------
    pandas.DataFrame
        One row per size with columns ``n``, ``low``, ``high``, ``half_width``,
        ``below`` and ``above``. ``half_width`` is half of ``high - low``: a single
        width for comparing sizes. ``below`` (``accuracy - low``) and ``above``
        (``high - accuracy``) are how far each end lies from the accuracy; the Wilson
        interval is not symmetric away from 0.5, so quote "-below/+above" on a slide,
        not "±half_width". Each interval is the one for an observed accuracy of
        exactly ``accuracy``: the number of correct items is ``accuracy * n``, not
        rounded, so the curve is smooth in ``n``.

    Raises
    ------
    ValueError
        If ``accuracy`` is not between 0 and 1 or a size is not positive.

    Examples
    --------
    >>> row = interval_by_size(0.95, [30]).iloc[0]
    >>> print(f"±{row.half_width:.3f}, but -{row.below:.3f}/+{row.above:.3f}")
    ±0.089, but -0.141/+0.038
    """
    # Written so that NaN fails too: every comparison with NaN is False.
    if not 0 <= accuracy <= 1:
        raise ValueError(f"accuracy must be between 0 and 1, got {accuracy}")
    rows = []
    for n in sizes:
        n = int(n)
        if n <= 0:
            raise ValueError(f"sizes must be positive, got {n}")
        low, high = proportion_confint(accuracy * n, n, alpha=1 - confidence, method=method)
        low, high = float(low), float(high)
        rows.append((n, low, high, (high - low) / 2, accuracy - low, high - accuracy))
    return pd.DataFrame(rows, columns=["n", "low", "high", "half_width", "below", "above"])


GO, NO_GO, MORE_DATA = "go", "no-go", "more data"
"""The three answers of :func:`verdict`."""


def verdict(low: float, high: float, floor: float) -> str:
    """Judge an interval against a floor such as a contract's "at least 85%".

    Parameters
    ----------
    low, high : float
        Ends of the interval, for example from :func:`accuracy_interval`.
    floor : float
        The lowest acceptable value of the metric.

    Returns
    -------
    str
        ``"go"`` when the whole interval is at or above the floor, ``"no-go"`` when
        the whole interval is below it, and ``"more data"`` when the floor lies inside
        the interval: the evaluation cannot tell yet, and a larger one might.

    Raises
    ------
    ValueError
        If an argument is NaN (an interval that was never computed is not evidence either
        way), or ``low`` is above ``high``.

    Examples
    --------
    >>> verdict(0.86, 0.89, floor=0.85)
    'go'
    >>> verdict(0.84, 0.87, floor=0.85)
    'more data'
    """
    if any(math.isnan(x) for x in (low, high, floor)):
        raise ValueError(f"verdict needs numbers, got low={low}, high={high}, floor={floor}; "
                         "NaN usually means the interval had nothing to measure")
    if low > high:
        raise ValueError(f"low ({low}) is above high ({high})")
    if low >= floor:
        return GO
    if high < floor:
        return NO_GO
    return MORE_DATA
