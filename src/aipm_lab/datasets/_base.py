"""Pieces shared by the dataset generators."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Column:
    """One column of a generated table, as the datasheet describes it."""

    name: str
    dtype: str
    description: str


def bisect_intercept(risk: np.ndarray, target_rate: float, lo: float = -30.0, hi: float = 30.0) -> float:
    """Intercept ``b`` such that ``mean(sigmoid(risk + b))`` equals ``target_rate``.

    Used so that every seed has the intended label prevalence, whatever its draws.
    The mean is monotone in ``b``, so bisection converges; 60 steps reach float precision.
    """
    for _ in range(60):
        mid = (lo + hi) / 2
        if np.mean(1 / (1 + np.exp(-(risk + mid)))) < target_rate:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2
