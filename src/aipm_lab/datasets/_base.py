"""Pieces shared by the dataset generators."""

from __future__ import annotations

import textwrap
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


def wrap_bullets(text: str, width: int = 100) -> str:
    """Re-wrap a Markdown bullet list whose lines were filled in with numbers of any length.

    Each item starts with ``- `` at the start of a line; continuation lines are indented by two
    spaces, so the stored datasheet reads evenly as plain text as well as rendered.
    """
    items = ("- " + item for item in text.strip().removeprefix("- ").split("\n- "))
    return "\n".join(
        textwrap.fill(" ".join(item.split()), width, subsequent_indent="  ", break_on_hyphens=False)
        for item in items
    ) + "\n"
