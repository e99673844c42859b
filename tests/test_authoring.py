"""Exercises are generated from solutions, deterministically, without their answers."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import ROOT, curriculum_copy

from aipm_lab.course.authoring import (
    BEGIN,
    TEMPLATE_SEED,
    WRITTEN_PLACEHOLDER,
    AuthoringError,
    WorkInExercise,
    authored_parts,
    blank_code,
    build,
    exercise_text,
    holds_work,
    make_exercise,
    read_spec,
    named_functions,
    setup_source,
    tagged,
    written_cells,
)
from aipm_lab.course.curriculum import get_part, notebook_path
from aipm_lab.grading.grader import judge, written_answers


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
    code_cells = [c.source for c in exercise.cells if c.cell_type == "code"]
    assert not any("QUESTIONS" in c for c in code_cells)  # the configuration is in the metadata, not a cell
    assert [c.source for c in tagged(exercise, "setup")] == [setup_source(part.number)]
    assert [q["id"] for q in exercise.metadata["aipm_lab"]["questions"]] == list(spec.questions)
    assert not tagged(exercise, "hidden")
    assert exercise.metadata["aipm_lab"]["part"] == part.number
    assert exercise.metadata["aipm_lab"]["kind"] == "exercise"
    assert all(c.get("outputs", []) == [] for c in exercise.cells)
    code = "\n".join(c.source for c in exercise.cells if c.cell_type == "code")
    for q in spec.questions.values():
        if q.written:
            assert [c.source for c in written_cells(exercise)[q.id]] == [WRITTEN_PLACEHOLDER], q.id
        else:
            assert f"{q.answer} = None" in code, q.id
    assert spec.auto_max + spec.written_max == sum(q.max_score for q in spec.questions.values())
    assert 5 <= len([q for q in spec.questions.values() if not q.written]) <= 8
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


LEVELLED = GOOD_Q.replace('"hint": "h"', '"hint": [%s, "Level two: sample_size(baseline, mde) and readout(...)."]')


@pytest.mark.parametrize("level_one, names", [
    ('"The sample-size section of the lesson: power, level, effect."', []),
    ('"Read out the test as the lesson\'s readout section does, then decide."', []),  # plain words
    ('"Use sample_size as the lesson does."', ["sample_size"]),
    ('"Call `readout` for days 1-14."', ["readout"]),
    ('"readout(test, ...) gives it."', ["readout"]),
    ('"experiments.decide tells you."', ["decide"]),
    ('"write_all(...) is the grader\'s, never a learner\'s tool."', []),  # aipm_lab.grading is not the learner's
])
def test_a_first_level_hint_names_no_function_of_the_library(level_one, names):
    assert named_functions(eval(level_one)) == names
    source = LEVELLED % level_one
    if names:
        with pytest.raises(AuthoringError, match=f"level-1 hint names {names[0]}"):
            read_spec(_solution_with(source, 'HIDDEN_CHECKS = {"q1": [("equal",)]}'), "07")
    else:
        q = read_spec(_solution_with(source, 'HIDDEN_CHECKS = {"q1": [("equal",)]}'), "07").questions["q1"]
        assert len(q.hint) == 2 and "sample_size" in q.hint[1]  # level two may name the tools


WRITTEN_Q = GOOD_Q.replace("}}", '}, "q9": {"kind": "written", "points": 3, "task": "Memo.", "hint": ["Decide."], '
                                 '"rubric": [["states the decision", 1], ["with your numbers", 2]]}}')


def _with_written_cell(questions=WRITTEN_Q, hidden='HIDDEN_CHECKS = {"q1": [("close", 0.1)]}', tags=("written:q9",)):
    nb = _solution_with(questions, hidden)
    nb.cells.append(nbformat.v4.new_code_cell("# BEGIN SOLUTION\na = 1.0\n# END SOLUTION"))
    nb.cells.append(nbformat.v4.new_markdown_cell("### Q9: the memo"))
    for tag in tags:
        nb.cells.append(nbformat.v4.new_markdown_cell("<!-- BEGIN SOLUTION -->\nModel memo.\n<!-- END SOLUTION -->",
                                                      metadata={"tags": [tag]}))
    nb.cells.append(nbformat.v4.new_code_cell("# BEGIN SOLUTION\nprint('model answer from', a)\n# END SOLUTION"))
    return nb


def test_a_written_question_is_parsed_with_its_rubric_and_counted_apart():
    spec = read_spec(_with_written_cell(), "07")
    q9 = spec.questions["q9"]
    assert q9.written and q9.max_score == 3 and q9.rubric == (("states the decision", 1), ("with your numbers", 2))
    assert spec.answers == ["a"] and spec.auto_max == spec.max_score == 1 and spec.written_max == 3


@pytest.mark.parametrize("change, problem", [
    (lambda q, h, t: (q.replace('"points": 3', '"points": 4'), h, t), "must equal the rubric's sum"),
    (lambda q, h, t: (q.replace('["with your numbers", 2]', '["with your numbers", 0]'), h, t), "positive points"),
    (lambda q, h, t: (q.replace('"rubric"', '"answer": "memo", "rubric"'), h, t), "has no answer"),
    (lambda q, h, t: (q, 'HIDDEN_CHECKS = {"q1": [("equal",)], "q9": [("equal",)]}', t), "no hidden checks"),
    (lambda q, h, t: (q, h, ()), "exactly one Markdown cell tagged written:q9"),
    (lambda q, h, t: (q, h, ("written:q9", "written:q9")), "exactly one Markdown cell"),
    (lambda q, h, t: (q, h, ("written:q9", "written:q8")), "written:q8 belong to no written question"),
    (lambda q, h, t: (q.replace('["Decide."]', '["Call `decide`."]'), h, t), "level-1 hint names decide"),
])
def test_read_spec_rejects_broken_written_questions(change, problem):
    questions, hidden, tags = change(WRITTEN_Q, 'HIDDEN_CHECKS = {"q1": [("close", 0.1)]}', ("written:q9",))
    with pytest.raises(AuthoringError, match=problem):
        read_spec(_with_written_cell(questions, hidden, tags), "07")


def test_a_written_answer_ships_as_a_placeholder_and_is_collected_for_review_not_scored():
    exercise = make_exercise(_with_written_cell(), get_part("07"))
    (cell,) = written_cells(exercise)["q9"]
    assert cell.source == WRITTEN_PLACEHOLDER and "Model memo" not in nbformat.writes(exercise)
    assert not holds_work(exercise, {"a"})
    spec = read_spec(_with_written_cell(), "07")
    reference = {"a": 1.0, "ACCEPTED": {}}
    blank = {r.id: r for r in judge(spec, {"a": 1.0}, reference, [], written_answers(exercise))}
    assert blank["q1"].status == "passed"
    assert blank["q9"].status == "not-answered" and "placeholder" in blank["q9"].message and blank["q9"].score == 0
    cell.source = "Ship it: the interval is above zero."
    assert holds_work(exercise, {"a"})  # a learner's memo is work: build must not erase it
    rows = {r.id: r for r in judge(spec, {"a": 1.0}, reference, [], written_answers(exercise))}
    q9 = rows["q9"]
    assert (q9.status, q9.score, q9.max_score, q9.text) == ("awaiting-review", 0, 3, cell.source)
    assert "awaiting review" in q9.message
    gone = {r.id: r for r in judge(spec, {"a": 1.0}, reference, [], {})}
    assert gone["q9"].status == "not-answered" and "missing" in gone["q9"].message


def test_grader_feedback_gives_only_the_first_hint_level():
    source = LEVELLED % '"The lesson\'s power section."'
    spec = read_spec(_solution_with(source, 'HIDDEN_CHECKS = {"q1": [("close", 0.1)]}'), "07")
    (wrong,) = judge(spec, {"a": 5.0}, {"a": 1.0}, [])
    (unset,) = judge(spec, {}, {"a": 1.0}, [])
    for row in (wrong, unset):
        assert "Hint: The lesson's power section." in row.message and "Level two" not in row.message


def test_reports_count_written_answers_as_awaiting_review_not_as_failures():
    from aipm_lab.grading.report import gradescope, question_stats
    from aipm_lab.grading.results import GradeResult

    spec = read_spec(_with_written_cell(), "07")
    questions = judge(spec, {"a": 1.0}, {"a": 1.0}, [], {"q9": "My memo."})
    row = GradeResult("ann", "07", 1, 1, spec.max_score, "graded", questions=questions, written_max=spec.written_max)
    stats = {s["question"]: s for s in question_stats([row])}
    assert stats["q9"]["awaiting_review"] == 1 and stats["q9"]["failed"] == 0
    out = gradescope(row)
    # The written answer is a zero-point test holding its text (issue 20): graders score it in Gradescope.
    assert [(t["name"].split()[0], t["max_score"]) for t in out["tests"]] == [("q1", spec.max_score), ("q9", 0)]
    assert out["tests"][1]["output"] == "My memo." and sum(t["max_score"] for t in out["tests"]) == out["max_score"]
    assert "awaiting review: q9" in out["output"]


def test_a_started_exercise_runs_its_self_check_in_a_real_kernel_outside_the_clone(tmp_path):
    """papermill runs a learner's copy in a folder that is no clone: the setup cell finds the questions."""
    import papermill

    from aipm_lab.course.authoring import with_seed

    part = get_part("07")
    learner = with_seed(nbformat.read(notebook_path(part, "exercises", ROOT), as_version=4), 5, "for a test")
    nbformat.write(learner, tmp_path / "mine.ipynb")
    ran = papermill.execute_notebook(str(tmp_path / "mine.ipynb"), str(tmp_path / "out.ipynb"), kernel_name="python3",
                                     progress_bar=False, cwd=str(tmp_path))
    printed = "".join(o.get("text", "") for c in ran.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "q1:" in printed and "still None" in printed and "Hint:" in printed


def test_grading_ones_own_notebook_prints_every_question_and_field():
    from aipm_lab.grading.report import submission_report
    from aipm_lab.grading.results import GradeResult

    questions = WRITTEN_Q.replace('"points": 1, "answer": "a"', '"points": {"x": 2, "y": 1}, "answer": "a"')
    spec = read_spec(_with_written_cell(questions, 'HIDDEN_CHECKS = {"q1": {"x": [("close", 0.1)], "y": [("equal",)]}}'),
                     "07")
    rows = judge(spec, {"a": {"x": 1.0, "y": 3}}, {"a": {"x": 1.0, "y": 2}}, [], {"q9": "Ship."})
    result = GradeResult("mine", "07", 5, sum(q.score for q in rows), spec.max_score, "graded", questions=rows,
                         written_max=spec.written_max)
    text = submission_report(result)
    assert text.splitlines()[0] == "mine: part 07, seed 5: 2/3 points (+3 written, awaiting review)"
    assert "◐ q1: 2/3" in text and "✔ x: 2/2" in text
    assert "✘ y: 0/1  `y` got 3; it should be equal to an accepted answer for your seed" in text
    assert "Hint: h" in text and "✎ q9: written answer, 3 pt, awaiting review" in text
