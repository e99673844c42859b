"""No file stops the cohort: every hostile file gets a row, and nothing a notebook sends grows the worker."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import nbformat
import pytest
from conftest import ROOT, SEEDS, with_attack

from aipm_lab.course.curriculum import get_part, notebook_path
from aipm_lab.grading.pool import Limits, WorkerPool

HANG = 300  # far beyond grading two honest notebooks on a loaded machine, far below "forever"

# A notebook's process can find its result pipe and write whatever it likes on it.
FORGE = """
import json, os, stat, struct
def _say(message):
    data = json.dumps(message).encode()
    for fd in range(3, 64):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.write(fd, struct.pack("!I", len(data)) + data)
        except OSError:
            pass
"""


def hostile_files(subs, honest):
    """Files that stopped, stalled or fooled the grader: a FIFO, links, broken and huge notebooks."""
    os.mkfifo(subs / "a-fifo.ipynb")
    (subs / "zero.ipynb").symlink_to("/dev/zero")
    (subs / "copycat.ipynb").symlink_to(honest)  # a classmate's file
    (subs / "deep.ipynb").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    (subs / "format-1.ipynb").write_text('{"nbformat": 1}')
    (subs / "format-3-bad-field.ipynb").write_text('{"nbformat": 3, "nbformat_minor": 0, "worksheets": 5}')
    (subs / "binary.ipynb").write_bytes(bytes(range(256)) * 64)
    (subs / "empty.ipynb").write_bytes(b"")
    (subs / "huge.ipynb").write_text(json.dumps({"nbformat": 4, "cells": [], "metadata": {"x": "y" * 2**21}}))
    (subs / "folder.ipynb").mkdir()
    return {"a-fifo": "FIFO", "zero": "symbolic link", "copycat": "symbolic link", "deep": "RecursionError",
            "format-1": "not a readable notebook", "format-3-bad-field": "not a readable notebook",
            "binary": "not a readable notebook", "empty": "not a readable notebook", "huge": "over the limit",
            "folder": "folder"}


def grade(tmp_path, subs, part, names, *extra):
    """`aipm-lab grade` in a process that must end; the rows by name, its output and its time."""
    (tmp_path / "roster.csv").write_text("student,seed\n" + "".join(f"{n},{SEEDS[0]}\n" for n in names))
    args = [sys.executable, "-m", "aipm_lab", "grade", str(subs), "--part", part, "--roster",
            str(tmp_path / "roster.csv"), "--out", str(tmp_path / "out"), *extra]
    start = time.monotonic()
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=HANG, cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the grader was still running after {HANG} s")
    assert done.returncode == 0, done.stderr
    rows = json.loads((tmp_path / "out" / "grades.json").read_text())
    return {r["submission"]: r for r in rows}, done, time.monotonic() - start


@pytest.mark.parametrize("part", ["02", "05"])
def test_every_hostile_file_gets_a_row_and_honest_classmates_keep_full_marks(tmp_path, part):
    subs = tmp_path / "subs"
    subs.mkdir()
    for name in ("ann", "bo"):
        shutil.copy(notebook_path(get_part(part), "solutions", ROOT), subs / f"{name}.ipynb")
    reasons = hostile_files(subs, subs / "ann.ipynb")
    rows, _, _ = grade(tmp_path, subs, part, ["ann", "bo", *reasons], "--workers", "1", "--max-size", "1")
    assert sorted(rows) == sorted(["ann", "bo", *reasons])  # one row each, none lost, none twice
    for name in ("ann", "bo"):
        assert rows[name]["status"] == "graded" and rows[name]["score"] == rows[name]["max_score"] > 0, rows[name]["message"]
    for name, reason in reasons.items():
        row = rows[name]
        assert (row["status"], row["score"]) == ("unreadable", 0), row
        assert reason in row["message"] and f"{name}.ipynb" in row["message"], row["message"]
        assert str(tmp_path) not in row["message"]  # no folder of the grading machine in feedback


def test_gradescope_writes_results_for_a_file_that_broke_the_reader(tmp_path):
    from aipm_lab.grading.gradescope import run

    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "deep.ipynb").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    output = run(tmp_path, "02")
    assert json.loads((tmp_path / "results" / "results.json").read_text()) == output
    assert output["score"] == 0 and output["max_score"] > 0 and "not a readable notebook" in output["output"]


def test_forged_messages_on_the_result_pipe_keep_the_worker_small():
    """The worker keeps a bounded error per cell of the job, whatever cells and errors a notebook claims."""
    flood = FORGE + """
for _i in range(60):
    _say({"event": "start", "cell": 1000 + _i})
    _say({"event": "end", "error": "E" * 2**20, "seconds": "S" * 2**20})
_say({"event": "start", "cell": 0})
"""
    with WorkerPool(1, []) as pool:
        worker = pool._all[0]  # the only worker: its memory is read from /proc
        assert worker.ready() is not None

        def peak_mb():
            with open(f"/proc/{worker.process.pid}/status") as f:
                return next(int(line.split()[1]) for line in f if line.startswith("VmHWM")) / 1024

        before = peak_mb()
        result = pool.run([(0, flood), (1, "x = 6 * 7")], ["x"], Limits(cell_timeout=30, notebook_timeout=120))
        assert worker in pool._all, "the worker was replaced: the flood broke it"
        assert peak_mb() - before < 30, "the worker kept what the notebook sent"
    assert result["status"] == "completed" and result["answers"] == {"x": 42}
    assert len(json.dumps(result)) < 10_000
    assert [c["index"] for c in result["cells"]] == [0, 1]


def fake_end_then_sleep(exercise):
    """Tells the grader its cell ended, then runs on: no cell timeout applies any more."""
    return with_attack(exercise, FORGE + """
import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
_say({"event": "end", "error": None, "seconds": 0.0, "answers": {}})
time.sleep(300)  # past the limit; short, as a killed worker can leave a waiter behind (issue 21, item 12)
""")


def sleepy(exercise, cells=40, seconds=1.0):
    """Many cells, each within the cell timeout, together far beyond a notebook's limit."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(exercise)))
    for i in range(cells):
        cell = nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})")
        cell["id"] = f"sleep-{i}"
        nb.cells.append(cell)
    return nb


def test_no_notebook_outlives_its_wall_clock_limit(tmp_path):
    part = get_part("02")
    subs = tmp_path / "subs"
    subs.mkdir()
    shutil.copy(notebook_path(part, "solutions", ROOT), subs / "ann.ipynb")
    exercise = nbformat.read(notebook_path(part, "exercises", ROOT), as_version=4)
    nbformat.write(fake_end_then_sleep(exercise), subs / "fake-end.ipynb")
    nbformat.write(sleepy(exercise), subs / "sleepy.ipynb")  # 40 cells of 1 s: 40 s in all
    limit = 20  # an honest part-2 notebook takes 3 s on a quiet machine, 6 times that on a loaded one
    rows, _, _ = grade(tmp_path, subs, part.number, ["ann", "fake-end", "sleepy"], "--workers", "2",
                             "--timeout", "10", "--notebook-timeout", str(limit))
    assert rows["ann"]["status"] == "graded" and rows["ann"]["score"] == rows["ann"]["max_score"] > 0
    for name in ("fake-end", "sleepy"):
        assert rows[name]["status"] == "timeout" and rows[name]["score"] == 0, rows[name]
        assert f"wall-clock limit of {limit} s" in rows[name]["message"]


def test_a_bad_notebook_timeout_gets_one_line(tmp_path, capsys):
    from aipm_lab.course.cli import main

    assert main(["grade", str(tmp_path), "--notebook-timeout", "0"]) == 2
    err = capsys.readouterr().err
    assert "--notebook-timeout" in err and len(err.strip().splitlines()) == 1

