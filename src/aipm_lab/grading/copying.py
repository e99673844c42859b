"""Can an exercise be copied from its lesson? And does every graded field depend on the variant?

Two measures of whether an exercise set tests transfer rather than replay (issue 19):

* **Copying.** Run the lesson for the learner's seed (or read its stored outputs), collect
  every number it prints (stdout, tables, rendered Markdown), and count the exercise's
  auto-graded points whose reference answer equals a printed number within the field's own
  hidden tolerance (:func:`copy_report`). Decision fields ("ship", True) are never counted
  as copied: only numbers are.
* **Variety.** Over many seeds, the share of seeds whose reference equals the most common
  one (within the field's tolerance, by the field's own hidden checks) (:func:`variety`).

Both walk the same scored units as the grader: a field of a question with points per
field, or a whole question.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from aipm_lab.course.checks import hidden_verdict, kind_of

COPY_LIMIT = 0.20
"""Largest share of an exercise's auto-graded points a lesson's printed numbers may give away."""
NUMERIC_VARIETY_LIMIT = 0.20
"""Largest share of seeds a numeric field's most common reference (within tolerance) may have."""
DECISION_VARIETY_LIMIT = 0.80
"""Largest share of seeds a decision field's most common value may have."""

_NUMBER = re.compile(r"(?<![\w.])([-−]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:[eE]([-+−]?\d+))?(\s*%)?")
_STYLE = re.compile(r"<(style|script)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_TEXT_TYPES = ("text/plain", "text/html", "text/markdown", "text/latex")


def output_text(nb) -> str:
    """Everything a notebook's outputs show as text: streams, results, tables and rendered Markdown."""
    parts = []
    for cell in nb["cells"]:
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if out.get("output_type") == "stream":
                parts.append(_joined(out.get("text", "")))
            for kind in _TEXT_TYPES:
                text = _joined((out.get("data") or {}).get(kind, ""))
                if kind == "text/html":
                    text = html.unescape(_TAG.sub(" ", _STYLE.sub(" ", text)))
                parts.append(text)
    return "\n".join(p for p in parts if p)


def _joined(text) -> str:
    return "".join(text) if isinstance(text, list) else str(text)


def numbers_in(text: str) -> np.ndarray:
    """Every number written in ``text``, sorted: ``82,347``, ``-0.0031``, ``1.2e-05``; a percentage
    counts both as written and as a fraction (``22.5%`` gives 22.5 and 0.225)."""
    found = []
    for sign, whole, frac, exp, percent in _NUMBER.findall(text):
        literal = f"{'-' if sign else ''}{whole.replace(',', '')}{frac}"
        value = float(literal + (f"e{exp.replace('−', '-')}" if exp else ""))
        found.append(value)
        if percent:
            found.append(value / 100)
    return np.unique(np.array(found, dtype=float))


def printed_numbers(nb) -> np.ndarray:
    """The numbers a notebook's outputs print (see :func:`output_text` and :func:`numbers_in`)."""
    return numbers_in(output_text(nb))


def run_lesson(part, seed: int, out: Path, base: Path | None = None, figure_check: Path | None = None):
    """Run a part's lesson for ``seed`` as a learner would (``papermill -p seed N``); the executed notebook.

    Parameters
    ----------
    part : Part
    seed : int
    out : Path
        Where the executed notebook is written.
    base : Path, optional
        The curriculum folder (default: :func:`~aipm_lab.course.curriculum.root`).
    figure_check : Path, optional
        Where the kernel records the overlaps of every figure it shows
        (:func:`aipm_lab.course.figure_check.watch`), one JSON line per figure.
    """
    import os
    from unittest import mock

    import papermill

    from aipm_lab.course.curriculum import notebook_path
    from aipm_lab.course.figure_check import ENV

    lesson = notebook_path(part, "notebooks", base)
    # Widgets in static mode, as nbval and a terminal show them; the kernel inherits the environment.
    env = {"AIPM_LAB_WIDGETS": "static", **({ENV: str(figure_check)} if figure_check else {})}
    with mock.patch.dict(os.environ, env):
        return papermill.execute_notebook(str(lesson), str(out), parameters={"seed": int(seed)}, kernel_name="python3",
                                          progress_bar=False, cwd=str(lesson.parent))


def _leaves(value) -> list:
    """The numbers inside a plain value (booleans are decisions, not numbers)."""
    if kind_of(value) == "table":
        value = value["__table__"]["data"]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _leaves(v)]
    if isinstance(value, list):
        return [x for v in value for x in _leaves(v)]
    return [value] if isinstance(value, (int, float)) and not isinstance(value, bool) else []


def _printed(value, checks, numbers: np.ndarray) -> bool:
    """Whether every number of ``value`` is printed, within the tolerance its hidden checks allow."""
    atol = rtol = 0.0
    parts = []
    for check in checks:
        name, *args = check
        if name == "field":
            key, inner = args
            sub = value.get(str(key)) if isinstance(value, dict) else None
            parts.append(sub is not None and _printed(sub, [inner], numbers))
        elif name == "close":
            atol = max(atol, args[0])
        elif name == "rel":
            rtol = max(rtol, args[0])
    leaves = [] if any(c[0] == "field" for c in checks) else _leaves(value)
    for x in leaves:
        if not math.isfinite(x):
            return False
        tol = max(atol, rtol * abs(x))
        lo = np.searchsorted(numbers, x - tol, side="left")
        parts.append(lo < len(numbers) and numbers[lo] <= x + tol)
    return bool(parts) and all(parts)


@dataclass(frozen=True)
class Unit:
    """One scored unit of an exercise: a question, or one field of it."""

    question: str
    field: str | None
    points: int
    checks: tuple

    @property
    def name(self) -> str:
        """``q3`` or ``q3.decision``."""
        return self.question if self.field is None else f"{self.question}.{self.field}"

    def values(self, answers: dict, answer: str) -> list:
        """This unit's value in each candidate answer (the reference and accepted alternatives)."""
        accepted = (answers.get("ACCEPTED") or {}).get(self.question) or []
        out = []
        for candidate in [answers.get(answer), *accepted]:
            if self.field is None:
                out.append(candidate)
            elif isinstance(candidate, dict) and self.field in candidate:
                out.append(candidate[self.field])
        return [v for v in out if v is not None]


def units(spec) -> list[tuple[Unit, str]]:
    """Every auto-graded unit of an exercise spec, with its question's answer variable."""
    out = []
    for q in spec.questions.values():
        if q.written:
            continue
        if isinstance(q.points, dict):
            out += [(Unit(q.id, f, p, tuple(q.hidden[f])), q.answer) for f, p in q.points.items()]
        else:
            out.append((Unit(q.id, None, q.points, tuple(q.hidden)), q.answer))
    return out


@dataclass(frozen=True)
class CopyReport:
    """How much of an exercise a set of printed numbers gives away."""

    points: int
    copied: tuple[str, ...]
    """Units (``q3.field``) whose reference is printed."""
    copied_points: int

    @property
    def share(self) -> float:
        """Copied points / auto-graded points."""
        return self.copied_points / self.points if self.points else 0.0


def copy_report(spec, answers: dict, numbers: np.ndarray) -> CopyReport:
    """The auto-graded points of ``spec`` whose reference answer for a seed is among ``numbers``.

    Parameters
    ----------
    spec : ExerciseSpec
    answers : dict
        The solution's plain answers for the seed, with ``ACCEPTED`` (as the grader computes them):
        a unit counts as copied when any of its accepted answers is printed.
    numbers : numpy.ndarray
        Sorted printed numbers (:func:`printed_numbers`).

    Returns
    -------
    CopyReport
    """
    copied, points, total = [], 0, 0
    for unit, answer in units(spec):
        total += unit.points
        if any(_printed(v, unit.checks, numbers) for v in unit.values(answers, answer)):
            copied.append(unit.name)
            points += unit.points
    return CopyReport(total, tuple(copied), points)


@dataclass(frozen=True)
class Variety:
    """How often one field's reference repeats across seeds."""

    unit: str
    kind: str  # numeric | decision
    modal_share: float
    """Share of seeds whose reference equals the most common one (numbers: within the field's tolerance)."""
    seeds: int = 0
    """How many seeds the share was measured on."""

    @property
    def limit(self) -> float:
        """The largest share allowed for this kind of field."""
        return NUMERIC_VARIETY_LIMIT if self.kind == "numeric" else DECISION_VARIETY_LIMIT

    @property
    def ok(self) -> bool:
        """Whether the field varies enough with the seed."""
        return self.modal_share <= self.limit

    def plausible(self, alpha: float = 0.1) -> bool:
        """Whether a few seeds' share is consistent with a field within its limit.

        On 12 seeds a field that repeats for 15% of all seeds shows 3 repeats (25%) one time in
        four. This asks instead whether so many repeats would be rare (probability below
        ``alpha``) for a field at exactly its limit: on 12 seeds a numeric field fails from 5
        repeats, a decision when all 12 agree (a constant). The 100-seed sweep keeps :attr:`ok`.
        """
        from scipy.stats import binom

        repeats = round(self.modal_share * self.seeds)
        return bool(binom.sf(repeats - 1, self.seeds, self.limit) >= alpha)


def variety(spec, references: list[dict]) -> list[Variety]:
    """Per auto-graded unit, the share of seeds sharing the most common reference.

    Two seeds' references are "the same" when one passes the field's hidden checks against
    the other, exactly as a learner's answer would (so the tolerance is the field's own).

    Parameters
    ----------
    spec : ExerciseSpec
    references : list of dict
        The solution's plain answers, one dict per seed.
    """
    out = []
    for unit, answer in units(spec):
        values = [r.get(answer) if unit.field is None else (r.get(answer) or {}).get(unit.field) for r in references]
        values = [v for v in values if v is not None]
        if not values:
            continue
        kind = "numeric" if any(_leaves(v) for v in values) else "decision"
        same = [sum(hidden_verdict(unit.checks, other, [v], "").passed for other in values) for v in values]
        out.append(Variety(unit.name, kind, max(same) / len(values), len(values)))
    return out
