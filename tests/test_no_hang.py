"""The grader never waits forever: rows that need no worker first, a stuck notebook, a stuck grader."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time

import nbformat
import pytest
from conftest import ROOT

from aipm_lab.course.curriculum import get_part, notebook_path
from aipm_lab.grading.grader import Grader
from aipm_lab.grading.pool import Limits, WorkerPool
from aipm_lab.grading.results import GradingError

PART = get_part("02")
HANG = 240  # far beyond a cohort of two on a loaded machine, far below "forever"


def grade(tmp_path, names, roster=None, workers=2):
    """Run `aipm-lab grade` as a learner's instructor would, in a process that must end."""
    subs = tmp_path / "subs"
    subs.mkdir()
    for name, kind in names.items():
        shutil.copy(notebook_path(PART, kind, ROOT), subs / f"{name}.ipynb")
    args = [sys.executable, "-m", "aipm_lab", "grade", *sorted(map(str, subs.iterdir())),
            "--out", str(tmp_path / "out"), "--workers", str(workers)]
    if roster is not None:
        (tmp_path / "roster.csv").write_text("student,seed\n" + "".join(f"{s},{seed}\n" for s, seed in roster.items()))
        args += ["--roster", str(tmp_path / "roster.csv")]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=HANG, cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the grader was still running after {HANG} s")
    rows = {r["submission"]: r for r in json.loads((tmp_path / "out" / "grades.json").read_text())}
    return done, rows


@pytest.mark.parametrize("case", ["not_on_roster_first", "no_seed_first", "one_worker"])
def test_a_row_that_needs_no_worker_first_does_not_hang_the_run(tmp_path, case):
    if case == "not_on_roster_first":
        done, rows = grade(tmp_path, {"aaa": "solutions", "ann": "solutions"}, roster={"ann": 101})
        assert rows["aaa"]["status"] == "error" and "not on the roster" in rows["aaa"]["message"]
    elif case == "no_seed_first":
        done, rows = grade(tmp_path, {"Copy of bo (1)": "exercises", "ann": "solutions"})
        assert rows["Copy of bo (1)"]["status"] == "error" and rows["Copy of bo (1)"]["seed"] is None
    else:
        done, rows = grade(tmp_path, {"aaa": "exercises", "ann": "solutions"}, workers=1)
    assert done.returncode == 0, done.stderr
    assert rows["ann"]["status"] == "graded" and rows["ann"]["score"] == rows["ann"]["max_score"] > 0


def test_a_notebook_past_its_wall_clock_limit_is_stopped_and_its_worker_replaced():
    limits = Limits(cell_timeout=30, notebook_timeout=4)
    with WorkerPool(1, []) as pool:
        start = time.monotonic()
        # Each cell is within its own limit; together they outlast the notebook's.
        result = pool.run([(i, "import time; time.sleep(3)") for i in range(5)], [], limits)
        assert result["status"] == "timeout" and "wall-clock" in result["message"]
        assert time.monotonic() - start < 30
        # The replacement's start-up counts against a notebook's wall clock: give it the default allowance.
        after = pool.run([(0, "x = 6 * 7")], ["x"], Limits(cell_timeout=30))
    assert after["status"] == "completed" and after["answers"]["x"] == 42


def test_a_stuck_grader_says_what_it_waits_on_and_stops(tmp_path, monkeypatch):
    subs = tmp_path / "subs"
    subs.mkdir()
    nb = nbformat.read(notebook_path(PART, "solutions", ROOT), as_version=4)
    nbformat.write(nb, subs / "ann.ipynb")
    # A grading step that never returns stands in for any bug that loses a worker's answer. It is
    # released at the end: a thread left sleeping would keep this test's process alive for its hour.
    lost = threading.Event()
    monkeypatch.setattr(Grader, "grade_one", lambda self, path, nb=None: lost.wait(3600))
    grader = Grader(base=ROOT, part=PART.number, workers=1, limits=Limits(notebook_timeout=1))
    start = time.monotonic()
    try:
        with pytest.raises(GradingError, match="still waiting on: ann.ipynb"):
            grader.grade([subs])
        assert time.monotonic() - start < 60
    finally:
        lost.set()


def test_closing_the_pool_wakes_every_job_at_once():
    """Ctrl-C closes the pool: neither the running job nor one queued behind it may keep the grader alive."""
    results = {}
    pool = WorkerPool(1, [])
    pool.wait_ready()
    runs = {name: threading.Thread(target=lambda name=name: results.update({name: pool.run(
        [(0, "import time; time.sleep(30)")], [], Limits(cell_timeout=60))}), daemon=True)
        for name in ("running", "queued")}
    runs["running"].start()
    time.sleep(2)  # its notebook is running
    runs["queued"].start()
    time.sleep(1)  # it waits for the only worker
    pool.close()
    for run in runs.values():
        run.join(timeout=20)
    assert not [name for name, run in runs.items() if run.is_alive()], results
    assert {r["message"] for r in results.values()} == {"grading was stopped"}


def test_closing_a_worker_stops_its_reader_even_when_a_descendant_holds_its_pipe():
    """The reader thread ends at once and frees its descriptor itself.

    Before, ``close`` shut the pipe under a reader blocked on it: the thread waited for an end of
    file that a surviving descendant withheld, then read whatever pipe next got the same number
    (another worker's, whose "ready" it could take).
    """
    from aipm_lab.grading.pool import _Worker

    holder = "import subprocess, time; subprocess.Popen(['sleep', '20']); time.sleep(20)"
    worker = _Worker([], command=[sys.executable, "-c", holder])
    out = worker._out
    time.sleep(0.5)  # the sleep has started and holds the pipe
    worker.close()
    worker._reader.join(timeout=5)
    assert not worker._reader.is_alive(), "the reader still waits on a pipe a descendant holds"
    assert worker.ready(0) is None and worker.run({}, timeout=1) is None
    with pytest.raises(OSError):
        os.fstat(out)  # closed by the reader (no other file took the number in this test)
    worker.close()  # a second close is harmless
