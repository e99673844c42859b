"""The cohort report and the terminal summary, on rows made by hand (no notebook runs)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import ROOT

from aipm_lab.course.authoring import solution_spec
from aipm_lab.grading.grader import Grader
from aipm_lab.grading.report import cohort_report, common_failures, summary, write_all
from aipm_lab.grading.results import FieldResult, GradeResult, QuestionResult


def row(name: str, answered: bool, right: bool = False, status: str = "graded") -> GradeResult:
    """A part-02-like row: q1 with two fields, q2 a written answer."""
    if not answered:
        q1 = QuestionResult("q1", 0, 2, "not-answered", "`q1` is not set. Hint: read the lesson",
                            [FieldResult(f, 0, 1, "not-answered", "not set") for f in ("recall", "cost")])
        q2 = QuestionResult("q2", 0, 3, "not-answered", "no written answer. Hint: four sentences", kind="written")
    else:
        verdict = "passed" if right else "failed"
        q1 = QuestionResult("q1", 1 + right, 2, "passed" if right else "partial", "1/2 points. Hint: read the lesson", [
            FieldResult("recall", int(right), 1, verdict,
                        "`recall` " + ("is within ±0.001" if right else f"got 0.{len(name)}; it should be within ±0.001")),
            FieldResult("cost", 1, 1, "passed", "`cost` is within ±0.5")])
        q2 = QuestionResult("q2", 0, 3, "awaiting-review", "awaiting review", text=f"memo of {name}", kind="written")
    score = sum(q.score for q in (q1, q2))
    return GradeResult(name, "02", 7, score, 2, status, questions=[q1, q2], written_max=3)


@pytest.fixture
def cohort():
    rows = [row(f"blank{i}", False) for i in range(3)] + [row("ann", True), row("bo", True, right=True)]
    rows.append(GradeResult("broken", None, None, 0, 0, "unreadable", "broken.ipynb: not a notebook"))
    rows.append(GradeResult("ed", None, 7, 0, 0, "missing", "no submission found"))
    return rows


def test_the_most_common_failure_is_a_real_mistake_named_once_not_an_untouched_not_set(cohort):
    failures = common_failures(cohort)
    message, count = failures[("02", "q1")]
    assert count == 1 and "not set" not in message  # three untouched notebooks, one real mistake
    assert message == "`recall`: should be within ±0.001"  # named once, without the learner's own value
    assert ("02", "q2") not in failures  # a written answer awaiting review is no failure


def test_terminal_and_report_agree_and_flag_untouched_templates_and_other_files(cohort, tmp_path):
    Grader(base=ROOT).complete(cohort)
    cohort_report(cohort, tmp_path, skipped=["bo.pdf"])
    report = (tmp_path / "report.md").read_text()
    terminal = summary(cohort, ["bo.pdf"])
    heading = report.splitlines()[0].removeprefix("# Cohort report: ")
    assert terminal.splitlines()[0] == heading
    assert heading.startswith("6 submission(s) handed in, 5 graded, 3 with no answer set, 1 not graded cleanly, 1 missing")
    for text in (report, terminal):
        assert "untouched template" in text and "blank0, blank1, blank2" in text.replace("\\", "")
        assert "not notebooks, not graded: bo.pdf" in text
    # Per written question, how many wait for a person: in the report and on the terminal.
    assert "| q2 | 0 | 2 | 3 | - |" in report  # reviewed, awaiting review, not answered, mean of those reviewed
    assert "02 q2: written, 0 reviewed, 2 awaiting review, 3 not answered" in terminal
    assert "| q1 | 20% | 3 | " in report  # passed, not answered, then the mistake


def test_the_score_histogram_counts_in_whole_submissions(cohort, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    figures = []
    save = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: (figures.append(self), save(self, *a, **k))[1])
    cohort_report(cohort[:4], tmp_path)
    ticks = figures[0].axes[0].get_yticks()
    assert len(ticks) > 1 and all(t == int(t) for t in ticks), ticks


def test_missing_and_unreadable_learners_get_the_part_s_real_maximum(cohort, tmp_path):
    spec = solution_spec("02", ROOT)[1]
    Grader(base=ROOT).complete(cohort)
    assert all((r.part, r.max_score, r.written_max) == ("02", spec.max_score, spec.written_max) for r in cohort)
    write_all(cohort, tmp_path)
    with open(tmp_path / "grades.csv") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    assert rows["ed"]["max_score"] == rows["broken"]["max_score"] == str(spec.max_score)
    assert rows["ed"]["part"] == "02"


def test_a_mixed_cohort_leaves_an_unknown_part_unknown():
    rows = [GradeResult("a", "02", 1, 0, 0, "graded"), GradeResult("b", "03", 1, 0, 0, "graded"),
            GradeResult("c", None, 1, 0, 0, "missing")]
    Grader(base=ROOT).complete(rows)
    assert rows[2].part is None and rows[0].max_score == solution_spec("02", ROOT)[1].max_score


def test_files_that_are_not_notebooks_are_listed_and_named_in_the_missing_row(tmp_path):
    from aipm_lab.grading.grader import other_files

    (tmp_path / "sub").mkdir()
    for name in ("ann.ipynb", "bo.pdf", ".DS_Store", "sub/cy.docx", ".ipynb_checkpoints/ann-checkpoint.ipynb"):
        Path(tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    assert other_files([tmp_path]) == ["bo.pdf", "sub/cy.docx"]
    grader = Grader(base=ROOT, part="02", roster={"ann": 1, "bo": 2})
    grader.skipped = other_files([tmp_path])
    (missing,) = grader._missing({"ann"})
    assert missing.submission == "bo" and "bo.pdf" in missing.message and "not a notebook" in missing.message
