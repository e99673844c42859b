"""Checks on answers: the learner's self-check and the grader's verdict share this code.

An answer is first turned into plain data (:func:`to_plain`: numbers, strings,
lists, dicts, small tables). Every check then looks only at plain data, so an
object with a rigged ``==`` or a patched method has nothing to hook into.

A check is written in a solution notebook as a tuple, for example
``("between", 0, 1)``. Public checks (type, shape, range, sanity) run in the
learner's notebook; hidden checks compare with the reference answer that the
solution computes for the same seed, and run only in the grader.

=====================================  ==========================================
public check                           passes when the answer ...
=====================================  ==========================================
``("type", "number")``                 is a number (also "integer", "string",
                                       "boolean", "list", "dict", "table")
``("between", low, high)``             is a number in [low, high]
``("one_of", [a, b, ...])``            equals one of the options
``("length", n)``                      is a list, dict or table with n items/rows
``("keys", [k, ...])``                 is a dict with exactly these keys
``("columns", [c, ...])``              is a table with exactly these columns
``("sorted", "ascending")``            is a list sorted that way ("descending")
``("field", key, check)``              has ``answer[key]`` passing ``check``
``("each", check)``                    has every item (dict value) passing ``check``
=====================================  ==========================================

=====================================  ==========================================
hidden check                           passes when the answer ...
=====================================  ==========================================
``("close", atol)``                    has the reference's structure and every
                                       number within atol of the reference
``("rel", rtol)``                      as ``close``, relative tolerance rtol
``("equal",)``                         equals the reference exactly
``("same_items",)``                    has the reference's items, in any order
``("field", key, check)``              applies a hidden check to one field
=====================================  ==========================================

**Partial credit.** A question whose ``points`` is a dict (field -> points) is scored per
field: each field passes on its own ``field``/``each`` public checks and its own hidden
checks (``HIDDEN_CHECKS[qid]`` is then a dict field -> checks).

**Every valid answer.** Hidden checks pass when they pass against *one* of the candidate
answers for the seed: the solution's answer and any alternatives the solution accepts
(``ACCEPTED[qid]``: for example every threshold whose cost is within a stated tolerance of
the cheapest). :func:`assess` applies all of this; the self-check and the grader share it.

Feedback names the field, the value received and the rule, never a reference value.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from typing import Any

MAX_ITEMS = 10_000
"""Largest list or table that crosses from a notebook to the grader."""


class Unsupported(str):
    """Marker for a value that :func:`to_plain` does not carry across (kept as its type name)."""


def to_plain(value: Any, _depth: int = 0) -> Any:
    """Convert an answer to plain JSON-able data.

    numpy scalars and arrays, pandas Series and DataFrames, tuples and sets become
    numbers, lists, dicts and tables (``{"__table__": {"columns", "index", "data"}}``).
    Anything else becomes ``{"__unsupported__": type name}``, which fails every type check.

    Parameters
    ----------
    value : object
        The learner's answer.

    Returns
    -------
    object
        None, bool, int, float, str, list, dict or a table dict.
    """
    if _depth > 20:
        return {"__unsupported__": "nested too deep"}
    # Exact built-in types first: a subclass could override __eq__ or __float__.
    if value is None or type(value) in (bool, str):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        if len(items) > MAX_ITEMS:
            return {"__unsupported__": f"list of {len(items)} items"}
        return [to_plain(v, _depth + 1) for v in items]
    if isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            return {"__unsupported__": f"dict of {len(value)} items"}
        return {str(to_plain(k, _depth + 1)): to_plain(v, _depth + 1) for k, v in value.items()}
    kind = f"{type(value).__module__}.{type(value).__name__}"
    if kind.startswith("numpy.") and hasattr(value, "tolist"):
        return to_plain(value.tolist(), _depth + 1)
    if kind.startswith("pandas.") and type(value).__name__ == "Series":
        return to_plain(dict(zip(value.index.tolist(), value.tolist())), _depth + 1)
    if kind.startswith("pandas.") and type(value).__name__ == "DataFrame":
        if value.size > MAX_ITEMS:
            return {"__unsupported__": f"table of {value.size} cells"}
        return {
            "__table__": {
                "columns": [str(to_plain(c, _depth + 1)) for c in value.columns],
                "index": to_plain(value.index.tolist(), _depth + 1),
                "data": to_plain(value.to_numpy().tolist(), _depth + 1),
            }
        }
    return {"__unsupported__": type(value).__name__}


def kind_of(value: Any) -> str:
    """The check vocabulary's name for a plain value's type."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict) and "__table__" in value:
        return "table"
    if isinstance(value, dict) and "__unsupported__" in value:
        return f"unsupported ({value['__unsupported__']})"
    return "dict"


def shown(value: Any, limit: int = 60) -> str:
    """A learner's plain value as feedback quotes it (shortened; tables by size)."""
    kind = kind_of(value)
    if kind == "table":
        return f"a table of {_size(value)} rows"
    if kind.startswith("unsupported"):
        return f"an object of type {value['__unsupported__']}"
    return _cut(f"{value:.6g}" if isinstance(value, float) else repr(value), limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class Outcome:
    """Result of one check.

    Attributes
    ----------
    passed : bool
    rule : str
        What the check requires, in plain English ("a number between 0 and 1").
    where : str
        The field the check looked at ("" for the whole answer).
    got : str
        The learner's value as shown in feedback ("" when passing or not useful).
    """

    passed: bool
    rule: str
    where: str = ""
    got: str = ""

    @property
    def message(self) -> str:
        """One line: where, the value received, and the rule; never a reference value.

        The learner's keys and values are shortened: feedback stays a line, whatever they hold.
        """
        place = f"`{_cut(self.where, 60)}` " if self.where else "answer "
        if self.passed:
            return f"{place}is {self.rule}"
        got = f"got {_cut(self.got, 120)}; " if self.got else ""
        return f"{place}{got}it should be {self.rule}"


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _type_ok(value: Any, expected: str) -> bool:
    kind = kind_of(value)
    if expected == "number":
        return _is_number(value)
    if expected == "integer":
        return kind == "integer" or (kind == "number" and float(value).is_integer())
    return kind == expected


def _size(value: Any) -> int | None:
    kind = kind_of(value)
    if kind == "table":
        return len(value["__table__"]["data"])
    if kind in ("list", "dict"):
        return len(value)
    return None


_ARTICLE = {"integer": "an integer", "number": "a number", "string": "a string", "boolean": "True or False",
            "list": "a list", "dict": "a dict", "table": "a table (DataFrame)"}


def run_public(check: tuple, value: Any, where: str = "") -> Outcome:
    """Run one public check on a plain value (see the module docstring for the vocabulary)."""
    name, *args = check
    got = shown(value)
    if name == "type":
        return Outcome(_type_ok(value, args[0]), _ARTICLE.get(args[0], args[0]), where, got)
    if name == "between":
        lo, hi = args
        ok = _is_number(value) and lo <= value <= hi
        rule = f"a number between {lo} and {hi}"
        if not ok and hi <= 1 and _is_number(value) and 1 < value <= 100:
            rule += f" (a share such as {value / 100:.3g}, not a percentage such as {value:g})"
        return Outcome(ok, rule, where, got)
    if name == "one_of":
        return Outcome(value in args[0], "one of " + ", ".join(map(repr, args[0])), where, got)
    if name == "length":
        return Outcome(_size(value) == args[0], f"something with {args[0]} items", where,
                       f"{_size(value)} items" if _size(value) is not None else got)
    if name == "keys":
        ok = kind_of(value) == "dict" and sorted(value) == sorted(args[0])
        have = f"keys {sorted(value)}" if kind_of(value) == "dict" else got
        return Outcome(ok, f"a dict with exactly the keys {sorted(args[0])}", where, have)
    if name == "columns":
        ok = kind_of(value) == "table" and value["__table__"]["columns"] == list(args[0])
        return Outcome(ok, f"a table with columns {list(args[0])}", where, got)
    if name == "sorted":
        ok = kind_of(value) == "list"
        if ok:
            try:
                ok = value == sorted(value, reverse=args[0] == "descending")
            except TypeError:
                ok = False
        return Outcome(ok, f"a list sorted in {args[0]} order", where, got)
    if name == "field":
        key, inner = args
        if kind_of(value) != "dict" or str(key) not in value:
            return Outcome(False, "present in the answer dict", f"{where}{key}", "nothing")
        return run_public(inner, value[str(key)], f"{where}{key}")
    if name == "each":
        if kind_of(value) not in ("list", "dict") or not value:
            return Outcome(False, "a non-empty list or dict", where, got)
        keys = list(value) if kind_of(value) == "dict" else range(len(value))
        outs = [run_public(args[0], value[k], f"{where}{k}" if kind_of(value) == "dict" else f"{where}[{k}]")
                for k in keys]
        return next((o for o in outs if not o.passed), Outcome(True, f"every item {outs[0].rule}", where))
    raise ValueError(f"unknown public check {name!r}")


def _close(a: Any, b: Any, atol: float, rtol: float) -> bool:
    """Same structure, numbers within tolerance, everything else equal."""
    if _is_number(a) and _is_number(b):
        return math.isclose(a, b, abs_tol=atol, rel_tol=rtol)
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b) and not (_is_number(a) and _is_number(b)):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_close(x, y, atol, rtol) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], atol, rtol) for k in a)
    return a == b


_THEM = "an accepted answer for your seed"


def run_hidden(check: tuple, value: Any, reference: Any, where: str = "") -> Outcome:
    """Compare a plain answer with one plain reference answer for the same seed.

    The rule says what was compared, never the reference itself.
    """
    name, *args = check
    got = shown(value)
    if name == "close":
        return Outcome(_close(value, reference, args[0], 0.0), f"within ±{args[0]:g} of {_THEM}", where, got)
    if name == "rel":
        return Outcome(_close(value, reference, 0.0, args[0]), f"within {args[0]:.1%} of {_THEM}", where, got)
    if name == "equal":
        return Outcome(_close(value, reference, 0.0, 0.0), f"equal to {_THEM}", where, got)
    if name == "same_items":
        ok = kind_of(value) == "list" and kind_of(reference) == "list"
        ok = ok and sorted(map(repr, value)) == sorted(map(repr, reference))
        return Outcome(ok, f"the same items as {_THEM} (in any order)", where, got)
    if name == "field":
        key, inner = args
        if kind_of(value) != "dict" or str(key) not in value:
            return Outcome(False, "present in the answer dict", f"{where}{key}", "nothing")
        if kind_of(reference) != "dict" or str(key) not in reference:
            return Outcome(False, "comparable with the reference (tell your instructor)", f"{where}{key}")
        return run_hidden(inner, value[str(key)], reference[str(key)], f"{where}{key}")
    raise ValueError(f"unknown hidden check {name!r}")


PUBLIC_CHECKS = ("type", "between", "one_of", "length", "keys", "columns", "sorted", "field", "each")
HIDDEN_CHECKS = ("close", "rel", "equal", "same_items", "field")


def validate_check(check: Any, hidden: bool) -> None:
    """Raise ValueError if ``check`` is not a well-formed check tuple (used when building)."""
    allowed = HIDDEN_CHECKS if hidden else PUBLIC_CHECKS
    if not isinstance(check, (tuple, list)) or not check or check[0] not in allowed:
        raise ValueError(f"{check!r} is not a {'hidden' if hidden else 'public'} check; use one of {allowed}")
    if check[0] == "field":
        validate_check(check[2], hidden)
    if check[0] == "each":
        validate_check(check[1], hidden)


def public_for_field(public, key: str) -> list[tuple]:
    """The public checks that judge one field of a dict answer (``field`` and ``each`` checks)."""
    out = []
    for check in public:
        if check[0] == "field" and str(check[1]) == key:
            out.append(tuple(check[2]))
        elif check[0] == "each":
            out.append(tuple(check[1]))
    return out


@dataclass(frozen=True)
class Verdict:
    """The verdict on one scored unit: a whole question, or one field of it.

    Attributes
    ----------
    field : str or None
        The field, for a question with points per field; None for a whole question.
    points : int
        Points this unit is worth.
    passed : bool
    message : str
        What was checked, or the first check that failed, in plain English.
    """

    field: str | None
    points: int
    passed: bool
    message: str

    @property
    def score(self) -> int:
        """``points`` when passed, else 0."""
        return self.points if self.passed else 0


def _first_failure(outcomes) -> Outcome | None:
    return next((o for o in outcomes if not o.passed), None)


def hidden_verdict(checks, value, candidates, where) -> Outcome:
    """Pass if every hidden check passes against one candidate (the reference or an accepted alternative)."""
    failure = None
    for candidate in candidates:
        outcomes = [run_hidden(tuple(c), value, candidate, where) for c in checks]
        failed = _first_failure(outcomes)
        if failed is None:
            return Outcome(True, "; ".join(o.rule for o in outcomes), where)
        failure = failure or failed
    return failure or Outcome(False, "comparable with a reference answer (tell your instructor)", where)


def assess(question: dict, value: Any, candidates: list | None = None) -> list[Verdict]:
    """Verdicts on one answer: per field when ``points`` is a dict, else one for the whole answer.

    Parameters
    ----------
    question : dict
        The question's spec: ``points`` (int, or dict field -> int), ``public`` checks and,
        for grading, ``hidden`` checks (a list, or a dict field -> list when points are per field).
    value : object
        The learner's answer, already plain (see :func:`to_plain`); None means not answered.
    candidates : list, optional
        Plain reference answers that are all correct for this seed (the solution's answer and
        any accepted alternatives). None runs the public checks only, as the self-check does.

    Returns
    -------
    list of Verdict
    """
    points = question["points"]
    public = [tuple(c) for c in question.get("public", [])]
    hidden = question.get("hidden", ())
    if value is None:
        units = points.items() if isinstance(points, dict) else [(None, points)]
        return [Verdict(key, pts, False, f"not answered: `{question['answer']}` is still None") for key, pts in units]
    if not isinstance(points, dict):
        outcomes = [run_public(c, value) for c in public]
        outcome = _first_failure(outcomes)
        if outcome is None and candidates is not None:
            outcome = hidden_verdict(hidden, value, candidates, "")
        if outcome is None:
            outcome = Outcome(True, "; ".join(o.rule for o in outcomes) or "set")
        return [Verdict(None, points, outcome.passed, outcome.message)]
    verdicts = []
    for key, pts in points.items():
        if kind_of(value) != "dict":
            outcome = Outcome(False, f"a dict with the keys {list(points)}", "", shown(value))
        elif key not in value:
            outcome = Outcome(False, "present in the answer dict", key, "nothing")
        else:
            outcomes = [run_public(c, value[key], key) for c in public_for_field(public, key)]
            outcome = _first_failure(outcomes)
            if outcome is None and candidates is not None:
                field_candidates = [c[key] for c in candidates if kind_of(c) == "dict" and key in c]
                outcome = hidden_verdict(hidden.get(key, ()), value[key], field_candidates, key)
            if outcome is None:
                outcome = Outcome(True, "; ".join(o.rule for o in outcomes) or "present", key)
        verdicts.append(Verdict(key, pts, outcome.passed, outcome.message))
    return verdicts


def hint_levels(hint) -> tuple[str, ...]:
    """A question's hints, level 1 first: ``"hint"`` is one string (one level) or a list of levels.

    Level 1 gives the concept and where the lesson shows it (what ``check`` and the grader show);
    level 2, on request, names the tools.
    """
    return (hint,) if isinstance(hint, str) else tuple(hint)


def is_written(question: dict) -> bool:
    """Whether a question spec is a written answer, scored by a person against its rubric."""
    return question.get("kind") == "written"


def max_points(question: dict) -> int:
    """Total points of a question spec (``points`` may be per field)."""
    points = question["points"]
    return sum(points.values()) if isinstance(points, dict) else int(points)


class SeedNotSet(ValueError):
    """An exercise notebook was run without a data variant (``seed = None``)."""

    MESSAGE = ("this notebook has no data variant yet (seed = None). Run `aipm-lab start` in a terminal "
               "for your own copy with your own seed, or set `seed` in the first code cell to any whole number "
               "(your instructor may give you one), then run the notebook again.")

    def __init__(self, message: str | None = None):
        super().__init__(message or self.MESSAGE)

    def _render_traceback_(self):  # IPython shows this instead of a traceback
        return [f"\x1b[1;31mSeedNotSet\x1b[0m: {self}"]


_CODE = re.compile(r"`([^`]+)`")


def _as_code(match: re.Match) -> str:
    return f"<code>{match.group(1)}</code>"


class Checker:
    """The learner's self-check: public checks and hints, never the reference.

    Parameters
    ----------
    questions : dict
        The ``QUESTIONS`` spec of the exercise set: id -> dict with ``points`` (int, or
        dict field -> int), ``answer`` (variable name), ``task``, ``hint`` (a string, or a
        list of hint levels) and ``public`` checks; a written question has ``"kind":
        "written"`` and a ``rubric`` instead of an answer variable and checks.
    namespace : dict
        Where the answers live, normally ``globals()`` of the notebook.
    require_seed : bool, default False
        Raise :class:`SeedNotSet` with instructions when ``namespace["seed"]`` is None
        (the exercise template before ``aipm-lab start`` gave it a data variant).

    Examples
    --------
    >>> check = Checker(QUESTIONS, globals())   # doctest: +SKIP
    >>> hint = check.hint                       # doctest: +SKIP
    >>> check("q1")                             # one question  # doctest: +SKIP
    >>> check()                                 # all questions # doctest: +SKIP
    >>> hint("q1", 2)                           # the second hint level  # doctest: +SKIP
    """

    def __init__(self, questions: dict, namespace: dict, require_seed: bool = False):
        self.questions = questions
        self.namespace = namespace
        if require_seed and namespace.get("seed") is None:
            raise SeedNotSet()

    @classmethod
    def for_part(cls, part: str | int, namespace: dict) -> tuple[Checker, Any]:
        """The self-check and the hints of an exercise notebook: ``check, hint = Checker.for_part("07", globals())``.

        The questions come from the metadata of the part's exercise notebook in the curriculum
        (see :func:`aipm_lab.course.authoring.public_questions`), not from a cell the learner reads.

        Raises
        ------
        SeedNotSet
            If ``namespace["seed"]`` is None (the template before ``aipm-lab start``).
        """
        if namespace.get("seed") is None:
            raise SeedNotSet()
        from aipm_lab.course.authoring import public_questions  # authoring imports this module

        checker = cls(public_questions(part), namespace)
        return checker, checker.hint

    def _spec(self, qid: str) -> dict:
        if qid not in self.questions:
            raise KeyError(f"no question {qid!r}; questions are {', '.join(self.questions)}")
        return self.questions[qid]

    def verdicts(self, qid: str) -> list[Verdict]:
        """Public-check verdicts for one question (per field when it has points per field; none when written)."""
        spec = self._spec(qid)
        if is_written(spec):
            return []
        return assess(spec, to_plain(self.namespace.get(spec["answer"])))

    def results(self, qid: str) -> list[Outcome]:
        """Every public check's outcome for one question (empty answer: one failed outcome)."""
        spec = self._spec(qid)
        if is_written(spec):
            return []
        value = to_plain(self.namespace.get(spec["answer"]))
        if value is None:
            return [Outcome(False, "set", spec["answer"], "None")]
        return [run_public(tuple(c), value) for c in spec.get("public", [])]

    def _hint_lines(self, qid: str, level: int = 1) -> list[tuple[str, str]]:
        levels = hint_levels(self._spec(qid)["hint"])
        lines = [("hint", levels[min(level, len(levels)) - 1])]
        if level < len(levels):
            lines.append(("note", f"More help: `hint(\"{qid}\", {level + 1})`."))
        elif level > len(levels):
            lines.insert(0, ("note", f"{qid} has {len(levels)} hint level{'s' * (len(levels) > 1)}; "
                                     f"this is the last one."))
        return lines

    def _written_lines(self, qid: str) -> list[tuple[str, str]]:
        spec = self._spec(qid)
        lines = [("note", f"A written answer ({max_points(spec)} pt): write it in the Markdown cell below the "
                          "question. It is not checked here; your instructor scores it against these criteria:")]
        lines += [("rubric", f"{criterion} ({points} pt)") for criterion, points in spec["rubric"]]
        return lines

    def lines(self, qid: str | None = None) -> list[tuple[str, str]]:
        """The self-check as ``(kind, text)`` lines, for :meth:`report` and :meth:`html`.

        ``kind`` is ``"title"``, ``"ready"`` (passes the public checks: well-formed, not yet
        known to be right), ``"fail"``, ``"part"`` (some points ready), ``"written"``, ``"rubric"``,
        ``"hint"`` or ``"note"``.
        """
        if qid is None:
            lines, total, ready, written = [], 0, 0, 0
            for key, spec in self.questions.items():
                pts = max_points(spec)
                if is_written(spec):
                    written += pts
                    lines.append(("written", f"{key} ({pts} pt, written; scored by your instructor): {spec['task']}"))
                    continue
                got = sum(v.score for v in self.verdicts(key))
                total, ready = total + pts, ready + got
                kind = "ready" if got == pts else "fail" if got == 0 else "part"
                lines.append((kind, f"{key} ({got}/{pts} pt well-formed): {spec['task']}"))
            extra = f" {written} more points are written answers, scored by your instructor." if written else ""
            lines.append(("note", f"{ready} of {total} points pass the public checks, which test only the type and "
                                  "range of an answer. Whether an answer is right is decided when your notebook is "
                                  f"graded, against the answers that are correct for your seed.{extra}"))
            return lines
        spec = self._spec(qid)
        lines = [("title", f"{qid}: {spec['task']}")]
        if is_written(spec):
            return lines + self._written_lines(qid) + self._hint_lines(qid)
        if self.namespace.get(spec["answer"]) is None:
            return lines + [("fail", f"not answered yet: `{spec['answer']}` is still None"), *self._hint_lines(qid)]
        verdicts = self.verdicts(qid)
        lines += [("ready" if v.passed else "fail", v.message + (f" ({v.points} pt)" if v.field else ""))
                  for v in verdicts]
        outcomes = self.results(qid)
        if all(v.passed for v in verdicts) and all(o.passed for o in outcomes):
            lines.append(("note", "Well-formed: the public checks pass. Whether it is right is decided when your "
                                  "notebook is graded, against the answers for your seed."))
        else:
            lines += [("fail", o.message) for o in outcomes if not o.passed and o.message not in
                      {v.message for v in verdicts}][:1]
            lines += self._hint_lines(qid)
        return lines

    # A well-formed answer gets a neutral mark that says so, never a green tick: it may still be wrong.
    _TEXT_MARKS = {"ready": "○ format ok, graded later: ", "fail": "✘ ", "part": "◐ ", "written": "✎ ", "rubric": "• ",
                   "hint": "Hint: ", "note": "", "title": ""}
    _HTML_MARKS = {"ready": ("○ format ok, graded later", "#57606a"), "fail": ("✘", "#cf222e"), "part": ("◐", "#9a6700"),
                   "written": ("✎", "inherit"), "rubric": ("•", "inherit"), "hint": ("Hint", "#0969da"),
                   "note": ("", "inherit"), "title": ("", "inherit")}

    @classmethod
    def _text(cls, lines, indent: str = "") -> str:
        return "\n".join(("" if kind == "title" else indent) + cls._TEXT_MARKS[kind] + text for kind, text in lines)

    @classmethod
    def _html(cls, lines) -> str:
        from html import escape

        rows = []
        for kind, text in lines:
            mark, colour = cls._HTML_MARKS[kind]
            weight = "bold" if kind == "title" else "normal"
            rows.append(f'<tr><td style="color:{colour};font-weight:bold;text-align:center;white-space:nowrap">{mark}</td>'
                        f'<td style="text-align:left;font-weight:{weight};overflow-wrap:normal;word-break:normal">'
                        f"{_CODE.sub(_as_code, escape(text))}</td></tr>")
        return f'<table style="border-collapse:collapse;margin:0">{"".join(rows)}</table>'

    def report(self, qid: str | None = None) -> str:
        """The self-check as plain text (what a terminal, papermill or nbval shows)."""
        return self._text(self.lines(qid), "" if qid is None else "  ")

    def html(self, qid: str | None = None) -> str:
        """The self-check as a small HTML table with coloured marks (what JupyterLab shows)."""
        return self._html(self.lines(qid))

    @classmethod
    def _display(cls, lines, indent: str = "") -> None:
        """An HTML table in JupyterLab; plain text under papermill, nbval or a terminal."""
        from aipm_lab.course.widgets import has_frontend

        if has_frontend():
            from IPython.display import HTML, display

            display(HTML(cls._html(lines)))
        else:
            print(cls._text(lines, indent))

    def __call__(self, qid: str | None = None) -> None:
        """Show the public-check result for one question, or for all of them, with the first hint level."""
        self._display(self.lines(qid), "" if qid is None else "  ")

    def hint(self, qid: str, level: int = 2) -> None:
        """Show a question's hint at ``level`` (1: the concept and where the lesson shows it; 2: the tools).

        Parameters
        ----------
        qid : str
            The question, for example ``"q3"``.
        level : int, default 2
            Level 1 is what ``check`` shows; a level past the last shows the last one.
        """
        if not isinstance(level, int) or isinstance(level, bool) or level < 1:
            raise ValueError(f"hint levels start at 1; got {level!r}")
        self._display([("title", f"{qid}: {self._spec(qid)['task']}"), *self._hint_lines(qid, level)], "  ")
