"""Resumable and sharded cohort runs: nothing graded twice, nothing lost, the same gradebook."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from conftest import ROOT, SEEDS, execute_solution

from aipm_lab.course.cli import main
from aipm_lab.course.curriculum import get_part, notebook_path
from aipm_lab.grading.gradebook import Gradebook
from aipm_lab.grading.grader import Grader
from aipm_lab.grading.journal import Journal

PART = get_part("02")


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """Four submissions (two solved, one untouched, one half done) and a full, unsharded gradebook."""
    folder = tmp_path_factory.mktemp("journal")
    subs = folder / "subs"
    subs.mkdir()
    execute_solution(PART, SEEDS[0], subs / "ann.ipynb")
    shutil.copy(subs / "ann.ipynb", subs / "bo.ipynb")
    exercise = nbformat.read(notebook_path(PART, "exercises", ROOT), as_version=4)
    nbformat.write(exercise, subs / "cy.ipynb")
    half = nbformat.read(subs / "ann.ipynb", as_version=4)
    half.cells = half.cells[: len(half.cells) // 2]
    nbformat.write(half, subs / "di.ipynb")
    roster = folder / "roster.csv"
    roster.write_text("student,seed\n" + "".join(f"{s},{SEEDS[0]}\n" for s in ("ann", "bo", "cy", "di", "ed")))
    full = folder / "full"
    assert main(["grade", str(subs), "--part", PART.number, "--roster", str(roster), "--out", str(full),
                 "--workers", "2", "--db", str(folder / "course.sqlite")]) == 0
    return {"subs": subs, "roster": roster, "full": grades(full), "folder": folder, "out": full,
            "db": folder / "course.sqlite"}


def gradebook(db) -> dict:
    """learner -> (score, status) of the current rows of a course gradebook, all of PART."""
    rows = Gradebook(db).rows()
    assert {r.part for r in rows} == {PART.number}
    return {r.learner: (r.score, r.status) for r in rows}


def grades(out):
    return {r["submission"]: (r["score"], r["status"]) for r in json.loads((out / "grades.json").read_text())}


def grader(cohort, progress=None):
    from aipm_lab.grading.roster import read_roster

    return Grader(part=PART.number, roster=read_roster(cohort["roster"]), workers=1, progress=progress)


def test_the_full_run_is_a_real_cohort(cohort):
    full = cohort["full"]
    assert full["ann"][0] == full["bo"][0] > full["di"][0] > full["cy"][0] == 0
    assert full["ed"] == (0, "missing")
    assert gradebook(cohort["db"]) == full  # the run's rows are in the course gradebook


def test_an_interrupted_run_resumes_with_only_what_is_missing(cohort, tmp_path):
    out = tmp_path / "out"

    def stop_after_two(result, done, total):
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        grader(cohort, stop_after_two).grade([cohort["subs"]], journal=Journal(out))
    assert len(Journal(out).load()) == 2
    seen = []
    results = grader(cohort, lambda r, *_: seen.append(r.submission)).grade([cohort["subs"]], journal=Journal(out))
    assert len(seen) == 2 and not set(seen) & set(list(Journal(out).load())[:2])
    assert {r.submission: (r.score, r.status) for r in results} == cohort["full"]


def test_a_changed_submission_is_graded_again_and_a_torn_line_is_ignored(cohort, tmp_path):
    subs = tmp_path / "subs"
    shutil.copytree(cohort["subs"], subs)
    out = tmp_path / "out"
    args = ["grade", str(subs), "--part", PART.number, "--roster", str(cohort["roster"]), "--out", str(out)]
    assert main(args) == 0
    shutil.copy(subs / "cy.ipynb", subs / "ann.ipynb")  # ann hands in a blank notebook after all
    with open(out / "rows.jsonl", "a") as f:
        f.write('{"key": "abc", "row": {"submiss')  # a crash in the middle of a write
    seen = []
    results = Grader(part=PART.number, roster={**dict.fromkeys(["ann", "bo", "cy", "di", "ed"], SEEDS[0])},
                     workers=1, progress=lambda r, *_: seen.append(r.submission)).grade([subs], journal=Journal(out))
    assert seen == ["ann"] and {r.submission: r.score for r in results}["ann"] == 0


def test_shards_merge_into_the_same_gradebook(cohort, tmp_path):
    outs = []
    for k in (1, 2, 3):
        outs.append(tmp_path / f"shard{k}")
        assert main(["grade", str(cohort["subs"]), "--part", PART.number, "--roster", str(cohort["roster"]),
                     "--out", str(outs[-1]), "--shard", f"{k}/3", "--db", str(tmp_path / "course.sqlite")]) == 0
    sizes = [len(json.loads((o / "grades.json").read_text())) for o in outs]
    assert sizes == [3, 1, 1]  # ann+di and the absent ed; bo; cy
    assert gradebook(tmp_path / "course.sqlite") == cohort["full"]  # the shards wrote one gradebook
    assert main(["merge", *map(str, outs), "--out", str(tmp_path / "merged"), "--db", str(tmp_path / "course.sqlite")]) == 0
    assert grades(tmp_path / "merged") == cohort["full"]
    assert len(Gradebook(tmp_path / "course.sqlite").rows(history=True)) == len(cohort["full"])  # merge added no copy
    assert feedback(tmp_path / "merged") == feedback(cohort["out"]) == set(cohort["full"])
    for out in outs:  # each shard hands back its own learners' pages too
        assert feedback(out) == set(grades(out))


def feedback(out) -> set[str]:
    """The learners with a feedback page in ``out``, each page naming its learner and score."""
    rows = {r["submission"]: r for r in json.loads((out / "grades.json").read_text())}
    pages = {p.stem: p.read_text() for p in (out / "feedback").glob("*.html")}
    for name, html in pages.items():
        assert f"feedback for {name}" in html and f"{rows[name]['score']}/{rows[name]['max_score']} points" in html
    return set(pages)


def test_a_resumed_run_writes_every_learner_s_feedback(cohort, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(cohort["out"], out)
    shutil.rmtree(out / "feedback")
    seen = []
    results = grader(cohort, lambda r, *_: seen.append(r)).grade([cohort["subs"]], journal=Journal(out))
    assert not seen and len(results) == len(cohort["full"])  # every row came from the journal
    assert main(["grade", str(cohort["subs"]), "--part", PART.number, "--roster", str(cohort["roster"]),
                 "--out", str(out), "--db", str(tmp_path / "course.sqlite")]) == 0
    assert feedback(out) == set(cohort["full"])
    assert gradebook(tmp_path / "course.sqlite") == cohort["full"]


@pytest.mark.parametrize("shard", ["0/3", "4/3", "2", "a/b"])
def test_a_bad_shard_gets_one_line(cohort, shard, capsys):
    assert main(["grade", str(cohort["subs"]), "--shard", shard]) == 2
    assert "--shard" in capsys.readouterr().err


def test_the_cohort_report_shows_scores_pass_rates_and_common_failures(cohort):
    from aipm_lab.course.authoring import solution_spec

    out = cohort["out"]
    report = (out / "report.md").read_text()
    questions = solution_spec(PART, ROOT)[1].questions
    auto = sorted(q for q, spec in questions.items() if not spec.written)
    written = sorted(q for q, spec in questions.items() if spec.written)
    failures, _, reviews = report.partition("## Written answers")
    table = [line for line in failures.splitlines() if line.startswith("| q") and not line.startswith("| question")]
    assert [line.split(" | ")[0].strip("| ") for line in table] == auto
    # Written answers get their own table: how many wait for a person, counted from the rows.
    awaiting = [line.strip("| ").split(" | ")[:3] for line in reviews.splitlines()
                if line.startswith("| q") and not line.startswith("| question")]
    rows = json.loads((out / "grades.json").read_text())
    count = lambda q, status: str(sum(x["status"] == status for r in rows for x in r["questions"] if x["id"] == q))  # noqa: E731
    assert awaiting == [[q, count(q, "reviewed"), count(q, "awaiting-review")] for q in written]
    assert written and int(awaiting[0][2]) > 0
    unanswered = [int(line.split(" | ")[2]) for line in table]
    assert min(unanswered) == 1 and max(unanswered) == 2  # cy left every question, di (half done) the later ones
    # Unanswered questions are counted apart: they never become a question's most common failure.
    assert "not set" not in "".join(table) and "got " not in "".join(table)
    assert "no submission from: ed" in report and "2 with full marks" in report
    assert "no answer set (an untouched template?): cy" in report
    for image in ("scores.png", "questions.png"):
        assert (out / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
