"""Exercises are generated from solutions, deterministically, without their answers."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import ROOT, curriculum_copy

from aipm_lab.course.authoring import (
    BEGIN,
    TEMPLATE_SEED,
    AuthoringError,
    WorkInExercise,
    authored_parts,
    blank_code,
    build,
    exercise_text,
    holds_work,
    make_exercise,
    read_spec,
    tagged,
)
from aipm_lab.course.curriculum import notebook_path


@pytest.fixture(params=[p.stem for p in authored_parts(ROOT)])
def part(request):
    return next(p for p in authored_parts(ROOT) if p.stem == request.param)


def test_exercises_are_in_step_with_solutions():
    assert build(ROOT, check=True) == []


def test_exercise_has_no_answers_and_no_hidden_checks(part):
    solution = nbformat.read(notebook_path(part, "solutions", ROOT), as_version=4)
    spec = read_spec(solution, part.number)
    text = exercise_text(part, ROOT)
    exercise = nbformat.reads(text, as_version=4)
    assert "HIDDEN_CHECKS" not in text and BEGIN not in text and "BEGIN SOLUTION" not in text
    assert not tagged(exercise, "hidden")
    assert exercise.metadata["aipm_lab"]["part"] == part.number
    assert exercise.metadata["aipm_lab"]["kind"] == "exercise"
    assert all(c.get("outputs", []) == [] for c in exercise.cells)
    code = "\n".join(c.source for c in exercise.cells if c.cell_type == "code")
    for q in spec.questions.values():
        assert f"{q.answer} = None" in code, q.id
    assert spec.max_score == sum(q.max_score for q in spec.questions.values())
    assert 5 <= len(spec.questions) <= 8
    assert tagged(exercise, "parameters")[0].source == TEMPLATE_SEED  # never the lessons' seed
    assert not tagged(exercise, "invariants") and "ACCEPTED" not in text
    assert exercise_text(part, ROOT) == text  # deterministic


def test_blank_code_keeps_given_code_and_indentation():
    source = "x = 1\nif True:\n    # BEGIN SOLUTION\n    tmp = 2\n    answer = tmp * 3\n    # END SOLUTION\ncheck('q1')"
    out = blank_code(source, {"answer"})
    assert out == "x = 1\nif True:\n    # YOUR CODE HERE\n    answer = None\ncheck('q1')"
    with pytest.raises(AuthoringError):
        blank_code("# BEGIN SOLUTION\nx = 1", {"x"})


def _solution_with(questions_src: str, hidden_src: str):
    nb = nbformat.v4.new_notebook()
    for src, tag in (("seed = 1", "parameters"), (questions_src, "questions"), (hidden_src, "hidden")):
        nb.cells.append(nbformat.v4.new_code_cell(src, metadata={"tags": [tag]}))
    return nb


GOOD_Q = ('QUESTIONS = {"q1": {"points": 1, "answer": "a", "task": "t", "hint": "h", '
          '"public": [("type", "number")]}}')


def test_read_spec_accepts_a_well_formed_solution():
    spec = read_spec(_solution_with(GOOD_Q, 'HIDDEN_CHECKS = {"q1": [("close", 0.1)]}'), "02")
    assert spec.answers == ["a"] and spec.default_seed == 1


@pytest.mark.parametrize(
    "questions, hidden, problem",
    [
        (GOOD_Q, "HIDDEN_CHECKS = {}", "no hidden check"),
        (GOOD_Q, 'HIDDEN_CHECKS = {"q1": [("between", 0, 1)]}', "not a hidden check"),
        ("QUESTIONS = make_questions()", "HIDDEN_CHECKS = {}", "literal"),
        (GOOD_Q.replace('"hint": "h", ', ""), 'HIDDEN_CHECKS = {"q1": [("equal",)]}', "missing hint"),
        (GOOD_Q, 'HIDDEN_CHECKS = {"q1": [("equal",)], "q2": [("equal",)]}', "unknown questions"),
        (GOOD_Q.replace('"points": 1', '"points": {"x": 1, "y": 1}'), 'HIDDEN_CHECKS = {"q1": {"x": [("equal",)]}}',
         "for each of"),
        (GOOD_Q.replace('"points": 1', '"points": {"x": 0}'), 'HIDDEN_CHECKS = {"q1": {"x": [("equal",)]}}',
         "positive integers"),
        (GOOD_Q.replace('"points": 1', '"points": {"x": 1}'), 'HIDDEN_CHECKS = {"q1": [("equal",)]}', "for each of"),
    ],
)
def test_read_spec_rejects_broken_solutions(questions, hidden, problem):
    with pytest.raises(AuthoringError, match=problem):
        read_spec(_solution_with(questions, hidden), "02")


def test_read_spec_accepts_points_per_field():
    questions = GOOD_Q.replace('"points": 1', '"points": {"x": 2, "y": 1}')
    spec = read_spec(_solution_with(questions, 'HIDDEN_CHECKS = {"q1": {"x": [("close", 0.1)], "y": [("equal",)]}}'), "02")
    q = spec.questions["q1"]
    assert q.max_score == spec.max_score == 3 and q.fields == ["x", "y"]


def test_holds_work_tells_a_template_from_a_learners_notebook():
    exercise = nbformat.reads(exercise_text(authored_parts(ROOT)[0], ROOT), as_version=4)
    answers = set(read_spec(nbformat.read(notebook_path(authored_parts(ROOT)[0], "solutions", ROOT), as_version=4),
                            "01").answers)
    assert not holds_work(exercise, answers)
    for edit in ("seed", "answer", "output"):
        nb = nbformat.reads(nbformat.writes(exercise), as_version=4)
        if edit == "seed":
            tagged(nb, "parameters")[0].source = "seed = 5"
        elif edit == "answer":
            cell = next(c for c in nb.cells if c.cell_type == "code" and " = None" in c.source and "seed" not in c.source)
            cell.source = cell.source.replace(" = None", " = 0.5", 1)
        else:
            nb.cells[-1].outputs = [nbformat.v4.new_output("stream", text="ran")]
        assert holds_work(nb, answers), edit


def test_build_refuses_to_erase_answers_in_an_exercise(tmp_path):
    curriculum_copy(tmp_path)
    part = authored_parts(tmp_path)[0]
    path = notebook_path(part, "exercises", tmp_path)
    nb = nbformat.read(path, as_version=4)
    tagged(nb, "parameters")[0].source = "seed = 5"
    nb.cells[0].source += " (a learner's note)"
    nbformat.write(nb, path)
    before = path.read_text()
    with pytest.raises(WorkInExercise, match="--force"):
        build(tmp_path)
    assert path.read_text() == before  # nothing lost
    assert build(tmp_path, force=True) == [f"exercises/{part.stem}.ipynb"]
    assert build(tmp_path, check=True) == []


def test_build_check_names_stale_and_stray_files(tmp_path):
    curriculum_copy(tmp_path)
    assert build(tmp_path, check=True) == []
    part = authored_parts(tmp_path)[0]
    path = notebook_path(part, "exercises", tmp_path)
    nb = json.loads(path.read_text())
    nb["cells"][0]["source"] = "edited by hand"
    path.write_text(json.dumps(nb))
    (tmp_path / "exercises" / "99-stray.ipynb").write_text("{}")
    stale = build(tmp_path, check=True)
    assert f"exercises/{part.stem}.ipynb" in stale and any("99-stray" in s for s in stale)
    build(tmp_path)
    assert build(tmp_path, check=True) == ["exercises/99-stray.ipynb (no solution)"]
    assert make_exercise(nbformat.read(notebook_path(part, "solutions", tmp_path), as_version=4), part)
