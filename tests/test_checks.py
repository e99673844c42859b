"""The check vocabulary, on plain data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from aipm_lab.checks import (
    Checker,
    kind_of,
    run_hidden,
    run_public,
    to_plain,
    validate_check,
)


def test_to_plain_turns_numpy_and_pandas_into_plain_data():
    assert to_plain(np.float64(0.25)) == 0.25 and type(to_plain(np.float64(0.25))) is float
    assert type(to_plain(np.int64(3))) is int
    assert to_plain(np.bool_(True)) is True
    assert to_plain(np.arange(3)) == [0, 1, 2]
    assert to_plain(pd.Series({"urban": 0.6, "rural": 0.1})) == {"urban": 0.6, "rural": 0.1}
    table = to_plain(pd.DataFrame({"a": [1, 2]}, index=["x", "y"]))
    assert table == {"__table__": {"columns": ["a"], "index": ["x", "y"], "data": [[1], [2]]}}
    assert kind_of(table) == "table"


def test_to_plain_strips_rigged_subclasses():
    class AlwaysEqual(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    class Anything(dict):
        def __eq__(self, other):
            return True

    plain = to_plain(AlwaysEqual(0.5))
    assert type(plain) is float and plain != 0.7
    assert type(to_plain(Anything())) is dict
    assert kind_of(to_plain(object())).startswith("unsupported")


@pytest.mark.parametrize(
    "check, good, bad",
    [
        (("type", "number"), 0.5, "0.5"),
        (("type", "integer"), 3, 3.5),
        (("type", "table"), {"__table__": {"columns": [], "index": [], "data": []}}, {}),
        (("between", 0, 1), 1, 1.01),
        (("one_of", ["go", "no-go"]), "go", "maybe"),
        (("length", 2), [1, 2], [1]),
        (("keys", ["a", "b"]), {"b": 1, "a": 2}, {"a": 1}),
        (("sorted", "descending"), [3, 2, 1], [1, 3, 2]),
        (("field", "p", ("between", 0, 1)), {"p": 0.2}, {"p": 2}),
        (("each", ("between", 0, 1)), {"a": 0.1, "b": 0.9}, {"a": 0.1, "b": 1.9}),
    ],
)
def test_public_checks_pass_and_fail(check, good, bad):
    assert run_public(check, good).passed
    assert not run_public(check, bad).passed


def test_nan_and_none_fail_number_checks():
    assert not run_public(("between", 0, 1), math.nan).passed
    assert not run_public(("type", "number"), None).passed


@pytest.mark.parametrize(
    "check, reference, good, bad",
    [
        (("close", 0.01), 0.5, 0.505, 0.52),
        (("rel", 0.01), 200.0, 201.0, 203.0),
        (("equal",), "go", "go", "no-go"),
        (("close", 1e-3), {"a": [0.1, 0.2]}, {"a": [0.1, 0.2004]}, {"a": [0.1]}),
        (("same_items",), ["x", "y"], ["y", "x"], ["x", "z"]),
        (("field", "d", ("equal",)), {"d": "go", "x": 1}, {"d": "go", "x": 2}, {"d": "no"}),
    ],
)
def test_hidden_checks_compare_with_the_reference(check, reference, good, bad):
    assert run_hidden(check, good, reference).passed
    assert not run_hidden(check, bad, reference).passed


def test_hidden_messages_do_not_quote_the_reference():
    out = run_hidden(("close", 0.01), 0.9, 0.123456)
    assert "0.123" not in out.message


def test_validate_check_rejects_unknown_and_misplaced_checks():
    validate_check(("field", "a", ("close", 0.1)), hidden=True)
    with pytest.raises(ValueError):
        validate_check(("close", 0.1), hidden=False)
    with pytest.raises(ValueError):
        validate_check(("guess",), hidden=True)


def test_checker_reports_hint_on_failure_and_never_a_reference(capsys):
    questions = {"q1": {"points": 1, "answer": "x", "task": "A share.", "hint": "Divide.",
                        "public": [("between", 0, 1)]}}
    ns = {"x": None}
    check = Checker(questions, ns)
    check("q1")
    assert "still None" in capsys.readouterr().out
    ns["x"] = 3.0
    assert "Hint: Divide." in check.report("q1")
    ns["x"] = 0.3
    assert "Public checks pass" in check.report("q1")
    assert "1 of 1 points" in check.report()
    with pytest.raises(KeyError):
        check("q9")
