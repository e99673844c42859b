"""Outputs survive what happens to them: torn lines, a full disk, a second grader, hostile names."""

from __future__ import annotations

import csv
import errno
import json
import os
import signal
import subprocess
import sys
import time

import mistune
import nbformat
import pytest
from conftest import ROOT, SEEDS, interruptible

from aipm_lab.course.cli import main
from aipm_lab.course.curriculum import get_part, notebook_path
from aipm_lab.grading.journal import Journal
from aipm_lab.grading.report import summary, write_all
from aipm_lab.grading.results import GradeResult, QuestionResult

PART = get_part("02")


def row(name, status="graded", message="", score=0):
    return GradeResult(name, PART.number, SEEDS[0], score, 2, status, message,
                       [QuestionResult("q1", score, 2, "failed" if not score else "passed", message or "ok")])


def test_a_torn_last_line_does_not_swallow_the_next_row(tmp_path):
    journal = Journal(tmp_path)
    journal.append("k1", row("ann"))
    with open(journal.path, "a") as f:
        f.write('{"key": "k2", "row": {"submiss')  # a crash or a full disk in the middle of a write
    journal.append("k3", row("bo"))
    assert sorted(journal.load()) == ["ann", "bo"]
    assert journal.path.read_bytes().endswith(b"}\n")


def broken_cohort(tmp_path, names):
    """Submissions that need no notebook run (each is a row at once), and their roster."""
    subs = tmp_path / "subs"
    subs.mkdir(exist_ok=True)
    for name in names:
        (subs / f"{name}.ipynb").write_text("{not a notebook")
    (tmp_path / "roster.csv").write_text("student,seed\n" + "".join(f"{n},{SEEDS[0]}\n" for n in names))
    return ["grade", str(subs), "--part", PART.number, "--roster", str(tmp_path / "roster.csv"),
            "--out", str(tmp_path / "out"), "--workers", "1"]


def test_a_full_disk_is_one_message_and_a_rerun_completes_with_every_row(tmp_path, monkeypatch, capsys):
    names = ["ann", "bo", "cy", "di"]
    args = broken_cohort(tmp_path, names)
    real_fsync, synced = os.fsync, []

    def full_after_two_rows(fd):
        if os.readlink(f"/proc/self/fd/{fd}").endswith("rows.jsonl"):
            synced.append(fd)
            if len(synced) > 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_after_two_rows)
    assert main(args) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert "No space left on device" in err[-1] and "run the same command again" in err[-1]
    assert "Traceback" not in "\n".join(err)
    assert not (tmp_path / "out" / "grades.json").exists()
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert main(args) == 0
    rows = json.loads((tmp_path / "out" / "grades.json").read_text())
    assert sorted(r["submission"] for r in rows) == names
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_a_full_disk_never_leaves_a_gradebook_cut_short(tmp_path, monkeypatch):
    args = broken_cohort(tmp_path, ["ann", "bo"])
    assert main(args) == 0
    before = (tmp_path / "out" / "grades.json").read_bytes()
    (tmp_path / "subs" / "cy.ipynb").write_text("{")
    with open(tmp_path / "roster.csv", "a") as f:
        f.write(f"cy,{SEEDS[0]}\n")
    real_fsync = os.fsync

    def full_at_the_gradebook(fd):  # the disk fills up while grades.json is written
        if "grades.json" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_at_the_gradebook)
    assert main(args) == 1
    assert (tmp_path / "out" / "grades.json").read_bytes() == before  # the old gradebook, whole
    assert not list((tmp_path / "out").glob(".*.tmp"))


def sleeper(tmp_path):
    """A submission folder whose one notebook runs for minutes (a grader busy on it)."""
    subs = tmp_path / "busy"
    subs.mkdir()
    nb = nbformat.read(notebook_path(PART, "exercises", ROOT), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(300)"))
    nbformat.write(nb, subs / "zed.ipynb")
    (tmp_path / "busy.csv").write_text(f"student,seed\nzed,{SEEDS[0]}\n")
    return [sys.executable, "-m", "aipm_lab", "grade", str(subs), "--part", PART.number, "--roster",
            str(tmp_path / "busy.csv"), "--out", str(tmp_path / "out"), "--workers", "1", "--timeout", "3600"]


def test_a_second_grader_on_the_same_out_says_who_holds_it(tmp_path, capsys):
    first = interruptible(sleeper(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             cwd=tmp_path)
    try:
        lock = tmp_path / "out" / ".aipm-lab.lock"
        for _ in range(100):  # the first grader takes the lock as it starts
            if lock.exists() and lock.read_text():
                break
            time.sleep(0.2)
        assert main(broken_cohort(tmp_path, ["ann"])) == 2
        err = capsys.readouterr().err
        assert f"pid {first.pid}" in err and "in use by another grading run" in err
        assert len(err.strip().splitlines()) == 1
        assert not (tmp_path / "out" / "rows.jsonl").exists()  # the second grader wrote nothing
    finally:
        first.send_signal(signal.SIGINT)  # Ctrl-C: the first grader stops its workers and says so
        try:
            _, err = first.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            first.send_signal(signal.SIGUSR1)  # the grader prints every thread's stack (faulthandler)
            time.sleep(2)
            first.kill()
            _, err = first.communicate()
            pytest.fail(f"Ctrl-C left the first grader running for over 60 s; its threads:\n{err[-6000:]}")
    assert first.returncode == 130 and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("interrupted: the rows graded so far are in")


HOSTILE_NAMES = ['=HYPERLINK("http://x.example/?leak","click me")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)",
                 "\tformula", "eve\n# Full marks for everyone\n![pwned](http://x.example/p.png)",
                 "<img src=x onerror=alert(1)>", "[click](javascript:alert(1)) www.x.example *bold* `code`"]


def test_hostile_names_and_messages_are_inert_in_every_output(tmp_path):
    results = [row(name, status, message) for name, status, message in [
        (HOSTILE_NAMES[0], "unreadable", "=cmd|' /C calc'!A0"),
        (HOSTILE_NAMES[1], "graded", "a\n## heading\n<script>alert(1)</script>"),
        *((name, "unreadable", "ok") for name in HOSTILE_NAMES[2:-2]),
        (HOSTILE_NAMES[-2], "missing", "no submission found"),
        (HOSTILE_NAMES[-1], "crashed", "![x](http://x.example/y.png) [a](http://x.example)"),
    ]]
    write_all(results, tmp_path)
    with open(tmp_path / "grades.csv", newline="") as f:
        cells = [cell for line in csv.reader(f) for cell in line]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert {f"'{name}" for name in HOSTILE_NAMES[:5]} <= set(cells)  # escaped, not dropped

    report = (tmp_path / "report.md").read_text()
    html = mistune.create_markdown(plugins=["table", "url", "strikethrough"])(report)
    ours = mistune.create_markdown(plugins=["table", "url", "strikethrough"])(
        write_all_report([row(f"name{i}", r.status) for i, r in enumerate(results)], tmp_path / "plain"))
    for tag in ("<h1", "<h2", "<h3", "<img", "<a ", "<script", "<strong", "<em", "<code", "<li"):
        assert html.count(tag) == ours.count(tag), tag  # the same structure as with plain names
    assert "<img src=x" not in html and "<script" not in html
    assert all(line.startswith(("#", "-", "|", "!", "1", "2", "3", "Mean")) or not line
               for line in report.splitlines())

    lines = summary(results).splitlines()
    assert not any("\x1b" in line or "\t" in line for line in lines)
    assert len(lines) == len(summary([row(f"name{i}", r.status) for i, r in enumerate(results)]).splitlines())


def write_all_report(results, out):
    write_all(results, out)
    return (out / "report.md").read_text()


def test_a_row_message_names_no_folder_of_the_grading_machine(tmp_path):
    """An error quoting a path (the learner's, the grader's, the sandbox's) keeps only the file name."""
    from aipm_lab.grading.grader import without_paths

    text = f"FileNotFoundError: [Errno 2] No such file or directory: '{ROOT}/solutions/02-x.ipynb'"
    assert without_paths(text) == "FileNotFoundError: [Errno 2] No such file or directory: '02-x.ipynb'"
    for kept in ("3/4 of the budget", "km/h", "see https://example.org/a/b", "/etc"):
        assert without_paths(kept) == kept



def test_feedback_quotes_a_learner_s_keys_and_values_briefly():
    from aipm_lab.course.checks import run_public

    huge = {"k" * 100_000: 1, "j" * 50_000: 2}
    assert len(run_public(("keys", ["a", "b"]), huge).message) < 300
    assert len(run_public(("each", ("type", "string")), huge).message) < 300
