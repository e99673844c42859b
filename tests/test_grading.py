"""End to end: solutions score full marks, untouched exercises and attacks score zero."""

from __future__ import annotations

import csv
import json
import re
import shutil

import nbformat
import pytest
from conftest import (
    ATTACKS,
    attacks_for,
    ROOT,
    SEEDS,
    execute_solution,
    leaves,
    reference_answers,
    references,
    with_answers,
    with_attack,
)

from aipm_lab.course.authoring import authored_parts, solution_spec
from aipm_lab.course.cli import main
from aipm_lab.course.curriculum import notebook_path
from aipm_lab.grading.feedback import html_text

TIMEOUT = "10"  # seconds per cell: the looping attack costs this much in its three cohorts; a solution's
# slowest cell takes about 1 s on a quiet machine, and references are computed with the default limits


@pytest.fixture(scope="module", params=[p.number for p in authored_parts(ROOT)])
def cohort(request, tmp_path_factory):
    """Grade one part's cohort once: solved notebooks, an untouched one, attacks, broken files."""
    from aipm_lab.course.curriculum import get_part

    part = get_part(request.param)
    folder = tmp_path_factory.mktemp(f"cohort-{part.number}")
    subs = folder / "submissions"
    subs.mkdir()
    roster = {}
    for seed in SEEDS:  # one run in Jupyter as a learner saves it; the others with outputs cleared
        execute_solution(part, seed, subs / f"solved-{seed}.ipynb", run=seed == SEEDS[0])
        roster[f"solved-{seed}"] = seed
    exercise = nbformat.read(notebook_path(part, "exercises", ROOT), as_version=4)
    # Answers typed in as numbers, right for seed 1: full marks with seed 1, not with seed 7.
    typed = with_answers(exercise, references(part, SEEDS)[SEEDS[1]])
    nbformat.write(typed, subs / "typed-right-seed.ipynb")
    nbformat.write(typed, subs / "typed-wrong-seed.ipynb")
    roster["typed-right-seed"], roster["typed-wrong-seed"] = SEEDS[1], SEEDS[2]
    nbformat.write(exercise, subs / "untouched.ipynb")
    for name in attacks_for(part.number):
        nbformat.write(with_attack(exercise, ATTACKS[name]), subs / f"attack-{name}.ipynb")
    (subs / "broken-json.ipynb").write_text('{"cells": [')
    (subs / "empty.ipynb").write_text("")
    other = next(p for p in authored_parts(ROOT) if p != part)
    shutil.copy(notebook_path(other, "exercises", ROOT), subs / "other-part.ipynb")
    for name in ["untouched", "broken-json", "empty", "other-part", *(f"attack-{n}" for n in attacks_for(part.number))]:
        roster[name] = SEEDS[0]
    roster["absent"] = SEEDS[0]  # on the roster, handed nothing in
    with open(folder / "roster.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "seed"])
        writer.writerows(roster.items())
    out = folder / "out"
    code = main(["grade", str(subs), "--part", part.number, "--roster", str(folder / "roster.csv"),
                 "--out", str(out), "--workers", "2", "--timeout", TIMEOUT, "--memory", "1024"])
    assert code == 0
    records = json.loads((out / "grades.json").read_text())
    return {"part": part, "out": out, "subs": subs, "roster": folder / "roster.csv",
            "rows": {r["submission"]: r for r in records}}


def written(part) -> set[str]:
    """Ids of the part's written questions: a person scores them, the grader collects them for review."""
    return {q.id for q in solution_spec(part, ROOT)[1].questions.values() if q.written}


def test_solutions_score_full_marks_for_several_seeds(cohort):
    memos = written(cohort["part"])
    for seed in SEEDS:
        row = cohort["rows"][f"solved-{seed}"]
        assert row["seed"] == seed
        assert row["status"] == "graded", row["message"]
        failed = [q for q in row["questions"] if q["status"] != ("awaiting-review" if q["id"] in memos else "passed")]
        assert not failed, failed
        assert row["score"] == row["max_score"] > 0


def test_untouched_exercise_scores_zero_and_says_why(cohort):
    row = cohort["rows"]["untouched"]
    assert row["status"] == "graded"
    assert row["message"] == "", "an untouched exercise must run top to bottom without raising"
    assert row["score"] == 0
    assert all(q["status"] == "not-answered" and "Hint:" in q["message"] for q in row["questions"])
    assert all(f["score"] == 0 for q in row["questions"] for f in q["fields"])


def test_roster_seed_is_injected_whatever_the_notebook_says(cohort):
    right, wrong = cohort["rows"]["typed-right-seed"], cohort["rows"]["typed-wrong-seed"]
    assert (right["seed"], wrong["seed"]) == (SEEDS[1], SEEDS[2])
    assert right["score"] == right["max_score"]
    assert wrong["score"] < wrong["max_score"]
    assert any(q["status"] == "failed" for q in wrong["questions"])


def test_every_attack_scores_zero_and_gets_a_row(cohort):
    """Each attack the part's cohort carries (:func:`conftest.attacks_for`) scores 0 with a row."""
    wrong = {}
    for attack in attacks_for(cohort["part"].number):
        row = cohort["rows"][f"attack-{attack}"]
        if row["score"] != 0 or len(row["questions"]) != len(cohort["rows"]["untouched"]["questions"]):
            wrong[attack] = row
        elif attack == "memory_bomb":
            # How the bomb is stopped depends on the machine's load: a MemoryError (then "graded"), the
            # process killed by a later native allocation ("crashed"), or its cell's time running out
            # ("timeout"). The promise is the row above, with a message saying what went wrong.
            if row["status"] == "error" or not row["message"]:
                wrong[attack] = row
        elif row["status"] != {"infinite_loop": "timeout", "os_exit": "crashed"}.get(attack, "graded"):
            wrong[attack] = row
    assert not wrong, wrong


def test_broken_files_get_a_row_with_a_message(cohort):
    for name in ("broken-json", "empty"):
        row = cohort["rows"][name]
        assert row["status"] == "unreadable" and row["score"] == 0 and "notebook" in row["message"]
        assert row["max_score"] == cohort["rows"]["untouched"]["max_score"] > 0  # --part says what it was worth
    row = cohort["rows"]["absent"]
    assert row["status"] == "missing" and row["score"] == 0 and row["max_score"] > 0
    row = cohort["rows"]["other-part"]
    assert row["status"] == "wrong-part" and row["score"] == 0
    assert f"not part {cohort['part'].number}" in row["message"]


def test_feedback_never_contains_the_reference(cohort):
    """Failed questions explain the check and give the hint, but never quote the reference value."""
    reference = reference_answers(cohort["part"], SEEDS[2])
    failed = [q for q in cohort["rows"]["typed-wrong-seed"]["questions"] if q["status"] == "failed"]
    assert failed
    # The page handed back, too, less the exercise's own public text (tasks and hints may quote a grid's 0.02).
    page = (cohort["out"] / "feedback" / "typed-wrong-seed.html").read_text()
    for q in solution_spec(cohort["part"], ROOT)[1].questions.values():
        for public in (q.task, *q.hint, *(criterion for criterion, _ in q.rubric)):
            page = page.replace(html_text(public), "")
    for q in failed:
        assert "Hint:" in q["message"]
        for value in leaves(reference):
            if isinstance(value, float) and value not in (0.0, 1.0):
                for text in {repr(value), f"{value:.4f}"}:
                    # A whole number in the message, not a prefix of the learner's own 0.225884 for 0.2, nor the
                    # check's own tolerance ("within ±0.51"), which is public and can equal a reference value.
                    for where in (q["message"], page):
                        assert not re.search(rf"(?<![\d.±]){re.escape(text)}(?!\d)", where), (text, where[:300])


def test_csv_has_one_column_per_question(cohort):
    with open(cohort["out"] / "grades.csv") as f:
        rows = list(csv.DictReader(f))
    questions = cohort["rows"]["untouched"]["questions"]
    qids = [q["id"] for q in questions]
    fields = [f"{q['id']}.{f['field']}" for q in questions for f in q["fields"]]
    assert list(rows[0])[:5] == ["submission", "part", "seed", "score", "max_score"]
    assert list(rows[0])[5:] == qids + fields
    assert {r["submission"] for r in rows} == set(cohort["rows"])
    solved = next(r for r in rows if r["submission"] == f"solved-{SEEDS[0]}")
    for q in questions:  # a question's column is the sum of its fields' columns
        if q["fields"]:
            assert int(solved[q["id"]]) == sum(int(solved[f"{q['id']}.{f['field']}"]) for f in q["fields"])
    stats = list(csv.DictReader(open(cohort["out"] / "questions.csv")))
    assert [s["question"] for s in stats] == qids


def test_gradescope_results_for_one_submission(cohort, tmp_path):
    out = tmp_path / "gs"
    code = main(["grade", str(cohort["subs"] / "typed-right-seed.ipynb"), "--roster", str(cohort["roster"]),
                 "--out", str(out), "--workers", "1", "--gradescope"])
    assert code == 0
    result = json.loads((out / "results.json").read_text())
    row = cohort["rows"]["typed-right-seed"]
    assert result["score"] == result["max_score"] == row["max_score"]
    memos = written(cohort["part"])  # this notebook leaves them blank: zero-point tests saying so, outside the score
    scored = [q for q in row["questions"] if q["id"] not in memos]
    tests = [t for t in result["tests"] if t["name"].split()[0] not in memos]
    assert [t["name"].split()[0] for t in result["tests"] if t["max_score"] == 0] == sorted(memos)
    assert [t["name"] for t in tests] == [q["id"] for q in scored]
    assert all(t["status"] == "passed" and t["score"] == t["max_score"] for t in tests)
    for test, question in zip(tests, scored):  # one line per scored field
        assert all(f"✔ {f['field']}: {f['max_score']}/{f['max_score']}" in test["output"] for f in question["fields"])
    # A learner grading their own notebook gets the same feedback page as a cohort's learner.
    assert f"{row['score']}/{row['max_score']} points" in (out / "feedback" / "typed-right-seed.html").read_text()


def test_the_report_lists_integrity_signals_for_review(cohort):
    """Copies of the solution, and two identical notebooks, are listed for a look; the untouched one is not."""
    report = (cohort["out"] / "report.md").read_text().split("## Integrity signals (for review, not penalties)")[1]
    for seed in SEEDS:
        assert f"- solved-{seed} and the published solution: nearly the same code" in report
    assert "- typed-right-seed and typed-wrong-seed: nearly the same code (token similarity 1.00)" in report
    assert "untouched" not in report


def test_a_notebook_without_a_seed_is_not_graded_on_a_guess(tmp_path):
    from aipm_lab.course.curriculum import get_part

    part = authored_parts(ROOT)[0]
    shutil.copy(notebook_path(part, "exercises", ROOT), tmp_path / "template.ipynb")
    out = tmp_path / "out"
    assert main(["grade", str(tmp_path / "template.ipynb"), "--out", str(out), "--workers", "1"]) == 0
    row = json.loads((out / "grades.json").read_text())[0]
    assert row["status"] == "error" and "seed = None" in row["message"] and "--roster" in row["message"]
    assert row["max_score"] > 0 and get_part(row["part"]) == part


def test_a_copy_of_any_solution_is_graded_as_its_own_part_without_part(tmp_path):
    """The part comes from the notebook's metadata; rows stop at the roster, so no notebook runs."""
    from aipm_lab.grading.grader import Grader

    for part in authored_parts(ROOT):
        shutil.copy(notebook_path(part, "solutions", ROOT), tmp_path / f"{part.stem}.ipynb")
    rows = Grader(roster={"nobody": SEEDS[0]}, workers=1).grade([tmp_path])
    for part, row in zip(authored_parts(ROOT), rows):
        assert (row.submission, row.part, row.status) == (part.stem, part.number, "error"), row.message
        assert "not on the roster" in row.message and row.max_score == Grader().solution_max_score(part.number) > 0


def test_a_submission_that_overwrites_its_classmates_files_does_not_change_their_grades(tmp_path):
    """Every submission is read before any runs: rewriting a classmate's file on disk changes nothing."""
    part = authored_parts(ROOT)[1]
    exercise = nbformat.read(notebook_path(part, "exercises", ROOT), as_version=4)
    subs = tmp_path / "subs"
    subs.mkdir()
    victim = subs / "b-honest.ipynb"
    nbformat.write(with_answers(exercise, reference_answers(part, SEEDS[1])), victim)
    blank = json.dumps(nbformat.writes(exercise))
    attack = f"import pathlib\npathlib.Path({str(victim)!r}).write_text({blank})"
    nbformat.write(with_attack(exercise, attack), subs / "a-attacker.ipynb")
    (tmp_path / "roster.csv").write_text(f"student,seed\na-attacker,{SEEDS[1]}\nb-honest,{SEEDS[1]}\n")
    out = tmp_path / "out"
    assert main(["grade", str(subs), "--part", part.number, "--roster", str(tmp_path / "roster.csv"),
                 "--out", str(out), "--workers", "1"]) == 0
    rows = {r["submission"]: r for r in json.loads((out / "grades.json").read_text())}
    assert "b-honest" in rows and rows["b-honest"]["score"] == rows["b-honest"]["max_score"] > 0
    assert rows["a-attacker"]["score"] == 0
