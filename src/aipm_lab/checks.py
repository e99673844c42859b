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
"""

from __future__ import annotations

import math
import numbers
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


@dataclass(frozen=True)
class Outcome:
    """Result of one check: whether it passed and what was checked."""

    passed: bool
    message: str


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


def _items(value: Any) -> list:
    return list(value.values()) if kind_of(value) == "dict" else value


def run_public(check: tuple, value: Any) -> Outcome:
    """Run one public check on a plain value (see the module docstring for the vocabulary)."""
    name, *args = check
    if name == "type":
        return Outcome(_type_ok(value, args[0]), f"is of type {args[0]} (got {kind_of(value)})")
    if name == "between":
        lo, hi = args
        ok = _is_number(value) and lo <= value <= hi
        return Outcome(ok, f"is a number between {lo} and {hi}")
    if name == "one_of":
        return Outcome(value in args[0], f"is one of {', '.join(map(repr, args[0]))}")
    if name == "length":
        return Outcome(_size(value) == args[0], f"has {args[0]} items (got {_size(value)})")
    if name == "keys":
        ok = kind_of(value) == "dict" and sorted(value) == sorted(args[0])
        got = sorted(value) if kind_of(value) == "dict" else kind_of(value)
        return Outcome(ok, f"is a dict with keys {sorted(args[0])} (got {got})")
    if name == "columns":
        ok = kind_of(value) == "table" and value["__table__"]["columns"] == list(args[0])
        return Outcome(ok, f"is a table with columns {list(args[0])}")
    if name == "sorted":
        direction = args[0]
        ok = kind_of(value) == "list"
        if ok:
            try:
                ok = value == sorted(value, reverse=direction == "descending")
            except TypeError:
                ok = False
        return Outcome(ok, f"is a list sorted in {direction} order")
    if name == "field":
        key, inner = args
        if kind_of(value) != "dict" or str(key) not in value:
            return Outcome(False, f"has a field {key!r}")
        out = run_public(inner, value[str(key)])
        return Outcome(out.passed, f"[{key!r}] {out.message}")
    if name == "each":
        items = _items(value) if kind_of(value) in ("list", "dict") else None
        if not items:
            return Outcome(False, "is a non-empty list or dict")
        outs = [run_public(args[0], v) for v in items]
        return Outcome(all(o.passed for o in outs), f"every item {outs[0].message}")
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


def run_hidden(check: tuple, value: Any, reference: Any) -> Outcome:
    """Compare a plain answer with the plain reference answer for the same seed.

    The message says what was compared, never the reference itself.
    """
    name, *args = check
    if name == "close":
        return Outcome(_close(value, reference, args[0], 0.0), f"matches the reference for your seed within ±{args[0]}")
    if name == "rel":
        return Outcome(_close(value, reference, 0.0, args[0]), f"matches the reference for your seed within {args[0]:.0%}")
    if name == "equal":
        return Outcome(_close(value, reference, 0.0, 0.0), "equals the reference answer for your seed")
    if name == "same_items":
        ok = kind_of(value) == "list" and kind_of(reference) == "list"
        ok = ok and sorted(map(repr, value)) == sorted(map(repr, reference))
        return Outcome(ok, "has the same items as the reference for your seed (any order)")
    if name == "field":
        key, inner = args
        if kind_of(value) != "dict" or str(key) not in value or str(key) not in reference:
            return Outcome(False, f"has a field {key!r}")
        out = run_hidden(inner, value[str(key)], reference[str(key)])
        return Outcome(out.passed, f"[{key!r}] {out.message}")
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


class Checker:
    """The learner's self-check: public checks and hints, never the reference.

    Parameters
    ----------
    questions : dict
        The ``QUESTIONS`` spec of the exercise set: id -> dict with ``points``,
        ``answer`` (variable name), ``task``, ``hint`` and ``public`` checks.
    namespace : dict
        Where the answers live, normally ``globals()`` of the notebook.

    Examples
    --------
    >>> check = Checker(QUESTIONS, globals())   # doctest: +SKIP
    >>> check("q1")                             # one question  # doctest: +SKIP
    >>> check()                                 # all questions # doctest: +SKIP
    """

    def __init__(self, questions: dict, namespace: dict):
        self.questions = questions
        self.namespace = namespace

    def results(self, qid: str) -> list[Outcome]:
        """Public-check outcomes for one question (empty answer: one failed outcome)."""
        spec = self.questions[qid]
        value = to_plain(self.namespace.get(spec["answer"]))
        if value is None:
            return [Outcome(False, f"is missing: `{spec['answer']}` is still None")]
        return [run_public(tuple(c), value) for c in spec.get("public", [])]

    def report(self, qid: str | None = None) -> str:
        """The text that :meth:`__call__` prints."""
        if qid is None:
            lines = []
            total = sum(q["points"] for q in self.questions.values())
            ready = 0
            for key, spec in self.questions.items():
                ok = all(o.passed for o in self.results(key))
                ready += spec["points"] if ok else 0
                lines.append(f"{'✔' if ok else '✘'} {key} ({spec['points']} pt): {spec['task']}")
            lines.append(
                f"Public checks pass for {ready} of {total} points. The grader also compares "
                "each answer with the reference for your seed."
            )
            return "\n".join(lines)
        if qid not in self.questions:
            raise KeyError(f"no question {qid!r}; questions are {', '.join(self.questions)}")
        spec = self.questions[qid]
        outcomes = self.results(qid)
        lines = [f"{qid}: {spec['task']}"]
        lines += [f"  {'✔' if o.passed else '✘'} answer {o.message}" for o in outcomes]
        if all(o.passed for o in outcomes):
            lines.append("  Public checks pass; the grader will also compare with the reference.")
        else:
            lines.append(f"  Hint: {spec['hint']}")
        return "\n".join(lines)

    def __call__(self, qid: str | None = None) -> None:
        """Print the public-check result for one question, or for all of them."""
        print(self.report(qid))
