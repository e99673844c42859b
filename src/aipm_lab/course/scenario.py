"""A learner's business scenario: costs, targets, budgets and windows drawn from stated ranges.

The data variant (``seed``) changes the data; the scenario changes the question asked
of it, so re-running the lesson for a learner's seed computes the lesson's situation,
not the exercise's. A solution notebook draws its parameters once, in a cell both the
solution and the exercise keep, and shows them to the learner::

    S = scenario.draw(seed, "07", review_cost=(2, 8, 1), horizon=[14, 21, 28])
    S                       # "your scenario": name, value, and the range it came from
    S.review_cost           # 5

Each name's value depends only on (seed, part, name): it has its own numpy
``SeedSequence``, so adding or removing a parameter never shifts the others, and
the data generators' random streams (seeded by ``seed`` alone) are untouched.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from html import escape
from typing import Any

import numpy as np

from aipm_lab.course.checks import SeedNotSet


def _entropy(seed: int, part: str, name: str) -> int:
    # A stable hash (Python's hash() is salted per process) of everything the value depends on.
    return int.from_bytes(hashlib.sha256(f"aipm-lab scenario/{seed}/{part}/{name}".encode()).digest()[:16], "big")


def _is_int(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _on_grid(name: str, spec: tuple, rng: np.random.Generator):
    """A uniformly drawn value of the ``(lo, hi, step)`` grid, both ends included.

    Computed in decimal, so a 0.05 step gives 0.15, not 0.15000000000000002.
    """
    if len(spec) != 3 or not all(isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)
                                 for x in spec):
        raise ValueError(f"scenario parameter {name!r}: a range is (lo, hi, step) with three numbers, got {spec!r}")
    lo, hi, step = spec
    if not step > 0 or not hi >= lo:
        raise ValueError(f"scenario parameter {name!r}: need lo <= hi and step > 0, got {spec!r}")
    lo_d, hi_d, step_d = (Decimal(str(x)) for x in spec)
    k = int(rng.integers(int((hi_d - lo_d) / step_d) + 1))
    value = lo_d + k * step_d
    return int(value) if all(_is_int(x) for x in spec) else float(value)


def _describe(spec) -> str:
    if isinstance(spec, list):
        return "one of " + ", ".join(map(_show, spec))
    lo, hi, step = spec
    return f"{_show(lo)} to {_show(hi)}, step {_show(step)}"


def _show(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.10g}" if abs(value) >= 1000 else f"{value:.10g}"
    if _is_int(value):
        return f"{int(value):,}"
    return str(value)


class Scenario:
    """The drawn business parameters of one exercise variant (immutable).

    Read a value as an attribute (``S.review_cost``) or by name (``S["review_cost"]``);
    ``print(S)`` and Jupyter show a table of name, value and the range it was drawn from.
    """

    __slots__ = ("_values", "_ranges", "_title")

    def __init__(self, values: dict, ranges: dict, title: str = "Your scenario"):
        object.__setattr__(self, "_values", dict(values))
        object.__setattr__(self, "_ranges", dict(ranges))
        object.__setattr__(self, "_title", title)

    def __getattr__(self, name: str):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"the scenario has no parameter {name!r}; it has {', '.join(self._values)}") from None

    def __getitem__(self, name: str):
        return self._values[name]

    def __setattr__(self, name, value):
        raise AttributeError("a scenario is fixed by your seed; copy a value into a variable to try another")

    __delattr__ = __setattr__

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other) -> bool:
        return isinstance(other, Scenario) and self._values == other._values and self._ranges == other._ranges

    __hash__ = None

    def as_dict(self) -> dict:
        """The values, name -> value (a copy)."""
        return dict(self._values)

    def range_of(self, name: str):
        """The range ``name`` was drawn from: ``(lo, hi, step)`` or a list of options."""
        return self._ranges[name]

    def rows(self) -> list[tuple[str, str, str]]:
        """(name, value, range) as text, in the order the parameters were given."""
        return [(n, _show(v), _describe(self._ranges[n])) for n, v in self._values.items()]

    def __str__(self) -> str:
        rows = [("parameter", "value", "drawn from"), *self.rows()]
        widths = [max(len(r[i]) for r in rows) for i in range(2)]
        lines = [f"{self._title}:"]
        lines += [f"  {a:<{widths[0]}}  {b:>{widths[1]}}   {c}" for a, b, c in rows]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return "Scenario(" + ", ".join(f"{n}={v!r}" for n, v in self._values.items()) + ")"

    def _repr_html_(self) -> str:
        cell = 'style="text-align:left;padding:2px 10px"'
        body = "".join(f"<tr><td {cell}><code>{escape(n)}</code></td><td {cell}><b>{escape(v)}</b></td>"
                       f'<td {cell}><span style="opacity:0.7">{escape(r)}</span></td></tr>' for n, v, r in self.rows())
        return (f'<table style="border-collapse:collapse;margin:0"><caption style="text-align:left;font-weight:bold">'
                f"{escape(self._title)}</caption><tr><th {cell}>parameter</th><th {cell}>value</th>"
                f"<th {cell}>drawn from</th></tr>{body}</table>")


def draw(seed: int | None, part: str | int, **ranges) -> Scenario:
    """Draw a variant's business parameters, each from its stated range.

    Parameters
    ----------
    seed : int or None
        The learner's data variant. None (an exercise not yet started) raises
        :class:`~aipm_lab.course.checks.SeedNotSet`, as the self-check does.
    part : str or int
        The part (``"07"`` or ``7``): the same seed draws different values in another part.
    **ranges
        name -> ``(lo, hi, step)``, a value on that grid with both ends included (ints when
        lo, hi and step are ints, else floats exact to the step's decimals), or a list (one
        of its items, each equally likely).

    Returns
    -------
    Scenario

    Raises
    ------
    SeedNotSet
        If ``seed`` is None.
    ValueError
        If a range is malformed (an author's mistake).

    Examples
    --------
    >>> S = draw(5, "07", review_cost=(2, 8, 1), floor=(0.5, 0.9, 0.05), window=[7, 14])
    >>> S.review_cost in range(2, 9) and S.window in (7, 14)
    True
    """
    if seed is None:
        raise SeedNotSet()
    if isinstance(seed, bool) or not _is_int(seed):
        raise TypeError(f"seed must be a whole number, got {seed!r}")
    part = f"{int(part):02d}" if str(part).isdigit() else str(part)
    values, drawn_from = {}, {}
    for name, spec in ranges.items():
        rng = np.random.default_rng(np.random.SeedSequence(_entropy(int(seed), part, name)))
        if isinstance(spec, list):
            if not spec:
                raise ValueError(f"scenario parameter {name!r}: the list of options is empty")
            values[name], drawn_from[name] = spec[int(rng.integers(len(spec)))], list(spec)
        elif isinstance(spec, tuple):
            values[name], drawn_from[name] = _on_grid(name, spec, rng), spec
        else:
            raise ValueError(f"scenario parameter {name!r}: give a (lo, hi, step) tuple or a list, got {spec!r}")
    return Scenario(values, drawn_from)
