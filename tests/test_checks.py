"""The check vocabulary, on plain data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT

from aipm_lab.course.checks import (
    Checker,
    SeedNotSet,
    assess,
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
    assert "Well-formed: the public checks pass" in check.report("q1")
    assert "1 of 1 points pass the public checks" in check.report()
    with pytest.raises(KeyError):
        check("q9")


Q4 = {"answer": "q4", "points": {"threshold": 2, "cost_per_1000": 1},
      "public": [("keys", ["threshold", "cost_per_1000"]), ("field", "threshold", ("between", 0, 1)),
                 ("field", "cost_per_1000", ("between", 0, 1000))],
      "hidden": {"threshold": [("close", 6e-4)], "cost_per_1000": [("close", 0.51)]}}
TIED = [{"threshold": 0.045, "cost_per_1000": 300.0}, {"threshold": 0.049, "cost_per_1000": 300.0}]


def test_assess_gives_points_per_field():
    verdicts = assess(Q4, {"threshold": 0.045, "cost_per_1000": 4800.0}, TIED)
    assert [(v.field, v.score) for v in verdicts] == [("threshold", 2), ("cost_per_1000", 0)]
    assert "`cost_per_1000` got 4800" in verdicts[1].message and "between 0 and 1000" in verdicts[1].message
    missing = assess(Q4, {"threshold": 0.045}, TIED)
    assert [v.score for v in missing] == [2, 0] and "`cost_per_1000` got nothing" in missing[1].message
    assert sum(v.score for v in assess(Q4, 0.045, TIED)) == 0  # not a dict at all
    assert all(not v.passed and "still None" in v.message for v in assess(Q4, None, TIED))


def test_assess_accepts_any_of_the_candidates_but_nothing_else():
    assert all(v.passed for v in assess(Q4, {"threshold": 0.049, "cost_per_1000": 300}, TIED))
    assert all(v.passed for v in assess(Q4, {"threshold": 0.0452, "cost_per_1000": 300.4}, TIED))  # rounding
    wrong = assess(Q4, {"threshold": 0.047, "cost_per_1000": 300.0}, TIED)
    assert [v.score for v in wrong] == [0, 1]
    assert "0.045" not in wrong[0].message and "0.049" not in wrong[0].message
    whole = {**Q4, "points": 3, "hidden": [("field", "threshold", ("close", 6e-4))]}
    assert assess(whole, {"threshold": 0.049, "cost_per_1000": 1.0}, TIED)[0].passed
    assert not assess(whole, {"threshold": 0.047, "cost_per_1000": 1.0}, TIED)[0].passed


def test_messages_explain_percentages_and_name_the_failing_key():
    out = run_public(("between", 0, 1), 14.2)
    assert not out.passed and "not a percentage" in out.message and "0.142" in out.message
    out = run_public(("each", ("between", 0, 1)), {"precision": 0.2, "recall": 60.2})
    assert not out.passed and out.message.startswith("`recall` got 60.2")


def test_checker_refuses_a_template_without_a_seed_and_shows_fields():
    with pytest.raises(SeedNotSet, match="aipm-lab start"):
        Checker({}, {"seed": None}, require_seed=True)
    ns = {"q4": {"threshold": 0.05, "cost_per_1000": 4800.0}}
    check = Checker({"q4": {**Q4, "task": "Cheapest.", "hint": "Per 1,000."}}, ns)
    report = check.report("q4")
    assert "○ format ok, graded later: `threshold` is a number between 0 and 1 (2 pt)" in report
    assert "✘ `cost_per_1000` got 4800" in report and "Hint: Per 1,000." in report
    assert "◐ q4 (2/3 pt well-formed)" in check.report()


def test_in_jupyterlab_the_self_check_is_a_coloured_table_and_elsewhere_plain_text(monkeypatch, capsys):
    questions = {"q1": {"points": 1, "answer": "x", "task": "A share <0..1> in `x`.", "hint": "Divide.",
                        "public": [("between", 0, 1)]}}
    check = Checker(questions, {"x": 3.0})
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    monkeypatch.setenv("AIPM_LAB_WIDGETS", "live")
    check("q1")
    (html,) = shown
    assert "<table" in html.data and "#cf222e" in html.data and "Divide." in html.data
    assert "A share &lt;0..1&gt; in" in html.data  # learner-visible text is escaped, not interpreted
    assert "<code>x</code>" in html.data  # a variable name in backticks is shown as code
    monkeypatch.setenv("AIPM_LAB_WIDGETS", "static")
    check("q1")
    out = capsys.readouterr().out
    assert "✘" in out and "Hint: Divide." in out and "<table" not in out


LEVELS = {"q1": {"points": 1, "answer": "x", "task": "A share.", "public": [("between", 0, 1)],
                 "hint": ["Level one: the concept, in the lesson's section 2.", "Level two: use the tool."]},
          "q9": {"kind": "written", "points": 3, "task": "Write the memo.", "hint": ["Say what you decide."],
                 "rubric": [["states the decision", 1], ["backs it with your numbers", 2]]}}


def test_check_shows_the_first_hint_level_and_hint_shows_the_next(capsys):
    check = Checker(LEVELS, {"x": 3.0})
    report = check.report("q1")
    assert "Hint: Level one" in report and "Level two" not in report and 'hint("q1", 2)' in report
    assert "Level two" not in check.report()
    check.hint("q1", 2)
    shown = capsys.readouterr().out
    assert "Hint: Level two" in shown and "Level one" not in shown
    check.hint("q1", 5)  # past the last level: the last one, saying so
    assert "Level two" in (out := capsys.readouterr().out) and "2 hint levels" in out
    with pytest.raises(ValueError, match="start at 1"):
        check.hint("q1", 0)
    with pytest.raises(KeyError, match="questions are q1, q9"):
        check.hint("q7")
    one_level = Checker({"q1": {**LEVELS["q1"], "hint": "Divide."}}, {"x": 3.0})
    assert "Hint: Divide." in one_level.report("q1") and "hint(" not in one_level.report("q1")


def test_a_written_question_shows_its_rubric_and_is_never_marked_ready():
    check = Checker(LEVELS, {"x": 0.5})
    report = check.report("q9")
    assert "written answer (3 pt)" in report and "• states the decision (1 pt)" in report
    assert "format ok" not in report and "✘" not in report
    overview = check.report()
    assert "✎ q9 (3 pt, written" in overview and "1 of 1 points pass" in overview
    assert "3 more points are written answers" in overview
    assert check.verdicts("q9") == [] and check.results("q9") == []


def test_a_well_formed_answer_is_marked_neutrally_and_says_grading_decides(monkeypatch):
    """A made-up answer of the right type must not look right: no green tick, and the mark says why."""
    check = Checker(LEVELS, {"x": 0.123456})  # well-formed, and almost surely wrong
    for text in (check.report("q1"), check.report()):
        assert "✔" not in text and "○ format ok, graded later" in text
    assert "decided when your notebook is graded" in check.report("q1")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    monkeypatch.setenv("AIPM_LAB_WIDGETS", "live")
    check("q1")
    assert "#1a7f37" not in shown[0].data and "format ok, graded later" in shown[0].data  # not green


def test_an_exercise_loads_its_questions_from_the_curriculum_not_from_a_cell():
    from aipm_lab.course.authoring import public_spec, solution_spec

    for part in ("02", "07"):
        check, hint = Checker.for_part(part, {"seed": 5})
        spec = solution_spec(part, ROOT)[1]
        assert list(check.questions) == list(spec.questions)
        assert {q["id"]: q for q in public_spec(spec)} == {k: {"id": k, **v} for k, v in check.questions.items()}
        assert all("hidden" not in q for q in check.questions.values())
        assert hint.__self__ is check
    with pytest.raises(SeedNotSet):
        Checker.for_part("07", {"seed": None})
