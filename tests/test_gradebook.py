"""The course gradebook: rows across runs and parts, history, a run killed halfway, LMS exports."""

from __future__ import annotations

import csv

import pytest

from aipm_lab.course.cli import main
from aipm_lab.grading.gradebook import Gradebook, export_csv, render_table
from aipm_lab.grading.results import GradeResult


def row(learner, part="02", score=10, status="graded", max_score=20):
    return GradeResult(learner, part, 7, score if status != "missing" else 0, max_score, status, written_max=3)


def test_a_new_row_supersedes_the_old_one_and_keeps_its_history(tmp_path):
    book = Gradebook(tmp_path / "course.sqlite")
    assert book.record([row("ann", score=5), row("bo")], "run1") == 2
    assert book.record([row("ann", score=5), row("bo")], "run1 resumed") == 0  # nothing new: nothing recorded
    assert book.record([row("ann", score=15)], "run2") == 1
    history = book.rows("ann", history=True)
    assert [(r.score, r.current, r.source) for r in history] == [(5, False, "run1"), (15, True, "run2")]
    assert {(r.learner, r.score) for r in book.rows()} == {("ann", 15), ("bo", 10)}


def test_handing_nothing_in_never_replaces_work_already_recorded(tmp_path):
    book = Gradebook(tmp_path / "course.sqlite")
    book.record([row("ann", status="missing"), row("bo", score=12)], "run1")
    book.record([row("ann", score=9), row("bo", status="missing")], "a later run")
    assert {(r.learner, r.score, r.status) for r in book.rows()} == {("ann", 9, "graded"), ("bo", 12, "graded")}


class Killed(GradeResult):
    """A row whose reading stops the run, as a kill in the middle of recording would."""

    @property
    def part(self):
        raise KeyboardInterrupt

    @part.setter
    def part(self, value):
        pass


def test_a_run_killed_halfway_leaves_the_gradebook_as_it_was(tmp_path):
    book = Gradebook(tmp_path / "course.sqlite")
    book.record([row("ann", score=5)], "run1")
    with pytest.raises(KeyboardInterrupt):
        book.record([row("ann", score=15), row("bo"), Killed("cy", "02", 1, 0, 20, "graded")], "run2")
    assert [(r.learner, r.score) for r in book.rows(history=True)] == [("ann", 5)]
    assert book.record([row("ann", score=15), row("bo")], "run2 again") == 2  # not left locked


def test_the_table_counts_work_not_handed_in_with_the_part_s_maximum(tmp_path):
    book = Gradebook(tmp_path / "course.sqlite")
    book.record([row("ann", "02", 10), row("bo", "02", 20), row("cy", "02", status="missing")], "part 2")
    book.record([row("ann", "03", 4, max_score=30)], "part 3")
    learners, maxima, cells = book.table()
    assert learners == ["ann", "bo", "cy"] and maxima == {"02": 20, "03": 30}
    lines = render_table(book).splitlines()
    assert lines[0].split() == ["learner", "02", "/20", "03", "/30", "total", "/50"]
    assert lines[1].split() == ["ann", "10", "4", "14", "(28%)"]
    assert lines[2].split() == ["bo", "20", "-", "20", "(40%)"]  # part 3 not handed in: 0 out of 30
    assert lines[3].split() == ["cy", "-", "-", "0", "(0%)"]


def test_exports_an_lms_reads(tmp_path):
    book = Gradebook(tmp_path / "course.sqlite")
    book.record([row("ann@x.org", "02", 10), row("=HYPERLINK(1)@x.org", "02", 20)], "part 2")
    book.record([row("ann@x.org", "03", 4, max_score=30)], "part 3")
    read = lambda kind: list(csv.reader(open(tmp_path / f"{kind}.csv")))  # noqa: E731
    assert main(["gradebook", "--db", str(book.path), "--export", "canvas", "--out", str(tmp_path / "canvas.csv")]) == 0
    canvas = read("canvas")
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert [c.split(":")[0] for c in canvas[0][5:]] == ["Part 02", "Part 03"]
    assert canvas[1] == ["Points Possible", "", "", "", "", "20", "30"]
    assert ["ann@x.org", "", "", "ann@x.org", "", "10", "4"] in canvas
    assert ["'=HYPERLINK(1)@x.org", "", "", "'=HYPERLINK(1)@x.org", "", "20", "0"] in canvas  # escaped; 0 for no work
    export_csv(book, "moodle", tmp_path / "moodle.csv")
    assert read("moodle")[0][0] == "Email address" and ["ann@x.org", "10", "4"] in read("moodle")
    export_csv(book, "wide", tmp_path / "wide.csv")
    assert read("wide")[0] == ["learner", "02", "03", "total", "max_score"] and ["ann@x.org", "10", "4", "14", "50"] in read("wide")


def test_the_command_prints_the_table_and_a_learner_s_history(tmp_path, capsys):
    db = str(tmp_path / "course.sqlite")
    assert main(["gradebook", "--db", db]) == 0 and "no rows recorded yet" in capsys.readouterr().out
    Gradebook(tmp_path / "course.sqlite").record([row("ann", score=5)], "run1")
    Gradebook(tmp_path / "course.sqlite").record([row("ann", score=15)], "run2")
    assert main(["gradebook", "--db", db, "--history", "ann"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "5/20" in out[0] and "(superseded)" in out[0] and "15/20" in out[1] and "superseded" not in out[1]
    assert main(["gradebook", "--db", db, "--export", "canvas"]) == 2
    assert "--out" in capsys.readouterr().err
    (tmp_path / "junk.sqlite").write_text("not a database")
    assert main(["gradebook", "--db", str(tmp_path / "junk.sqlite")]) == 2
    assert "Traceback" not in capsys.readouterr().err
