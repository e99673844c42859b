"""The sandbox: a failing or runaway cell costs only what depends on it."""

from __future__ import annotations

import pytest

from dataclasses import replace

from aipm_lab.grading.pool import Limits, WorkerPool

LIMITS = Limits(cell_timeout=30.0, memory_mb=300)
"""Generous: a quick cell must not run out of time on a loaded machine."""
SHORT = replace(LIMITS, cell_timeout=2.0)
"""For the cells that never end, whose tests wait for the timeout itself."""


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(1, ["numpy"]) as pool:
        yield pool


def run(pool, *cells, limits=LIMITS):
    return pool.run(list(enumerate(cells)), ["a", "b", "c"], limits)


def test_answers_come_back_as_plain_data(pool):
    result = run(pool, "import numpy as np\na = np.float64(0.5)", "b = {'x': np.arange(3)}", "c = 'go'")
    assert result["status"] == "completed"
    assert result["answers"] == {"a": 0.5, "b": {"x": [0, 1, 2]}, "c": "go"}


def test_a_notebook_collects_garbage_as_usual_and_skips_the_preloaded_objects(pool):
    """The worker imports with the collector off, then freezes what it imported: children collect normally."""
    result = run(pool, "import gc\na = gc.isenabled()", "b = gc.get_freeze_count()", "c = gc.collect() >= 0")
    assert result["answers"]["a"] is True and result["answers"]["c"] is True
    assert result["answers"]["b"] > 10_000  # numpy's and IPython's objects, kept out of the child's collections


def test_an_error_costs_only_its_own_cell(pool):
    result = run(pool, "a = 1", "b = 1 / 0", "c = 3")
    assert result["answers"] == {"a": 1, "c": 3}
    assert [c["status"] for c in result["cells"]] == ["ok", "error", "ok"]
    assert result["cells"][1]["error"].startswith("ZeroDivisionError")


def test_a_slow_cell_is_interrupted_and_later_cells_still_run(pool):
    result = run(pool, "a = 1", "while True:\n    pass", "c = 3", limits=SHORT)
    assert result["status"] == "timeout"
    assert result["answers"] == {"a": 1, "c": 3}
    assert result["cells"][1]["status"] == "timeout"


def test_a_cell_that_ignores_the_interrupt_is_killed_and_earlier_answers_kept(pool):
    result = run(pool, "a = 1", "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass", "c = 3",
                 limits=SHORT)
    assert result["status"] == "timeout" and "ignored the interrupt" in result["message"]
    assert result["answers"] == {"a": 1}


def test_memory_beyond_the_cap_fails_the_cell_not_the_run(pool):
    result = run(pool, "a = 1", "b = bytearray(600 * 2**20)", "c = 3")
    assert result["cells"][1]["error"].startswith("MemoryError")
    assert result["answers"] == {"a": 1, "c": 3}


@pytest.mark.parametrize("exit_code", ["import os\nos._exit(0)", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"])
def test_a_process_that_dies_is_reported_with_the_answers_it_had(pool, exit_code):
    result = run(pool, "a = 1", exit_code, "c = 3")
    assert result["status"] == "crashed" and "cell 1" in result["message"]
    assert result["answers"] == {"a": 1}


def test_the_worker_survives_a_submission_that_kills_its_parent(pool):
    # Inside namespaces the parent it can name is its own PID 1, which ignores it; without them
    # it kills the worker, and a fresh worker takes over. Either way the next notebook runs.
    result = run(pool, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    assert result["status"] in ("crashed", "completed")
    assert run(pool, "a = 42")["answers"] == {"a": 42}


KILL_THE_CLASSMATES = """
import os, signal, time
def _ancestors(pid):
    while pid > 1:
        try:
            with open(f"/proc/{{pid}}/status") as f:
                pid = next(int(line.split()[1]) for line in f if line.startswith("PPid:"))
        except (OSError, StopIteration):
            return
        yield pid
while not os.path.exists({started!r}):
    time.sleep(0.05)
a = []
for _pid in map(int, filter(str.isdigit, os.listdir("/proc"))):
    # every process of this pool's runs but its own (sparing the rest of the machine)
    if _pid != os.getpid() and {workers!r} & set(_ancestors(_pid)):
        try:
            os.kill(_pid, signal.SIGKILL)
            a.append(_pid)
        except OSError:
            pass
open({killed!r}, "w").close()
"""
WAIT_FOR_THE_KILLER = """
import os, time
open({started!r}, "w").close()
_deadline = time.monotonic() + 120
while not os.path.exists({killed!r}) and time.monotonic() < _deadline:
    time.sleep(0.05)
a = 42
"""


def test_in_uid_mode_a_notebook_cannot_kill_a_classmates_running_beside_it(monkeypatch):
    """Item 14: without namespaces, every notebook ran as nobody and could kill the others."""
    import os
    import shutil
    import tempfile
    import threading

    monkeypatch.setenv("AIPM_LAB_ISOLATION", "off")
    with WorkerPool(2, ["numpy"]) as pool:
        if pool.isolation != "uid":
            pytest.skip(f"uid mode needs a root grader and a Python user nobody can read ({pool.isolation})")
        folder = tempfile.mkdtemp(prefix="aipm-uid-")
        os.chmod(folder, 0o777)
        try:
            files = {"started": os.path.join(folder, "started"), "killed": os.path.join(folder, "killed")}
            pool.wait_ready()  # both workers started, so the killer knows its classmate's
            workers = {w.ready()["pid"] for w in pool._all}
            results = {}
            jobs = {"killer": KILL_THE_CLASSMATES.format(workers=workers, **files),
                    "honest": WAIT_FOR_THE_KILLER.format(**files)}
            threads = [threading.Thread(target=lambda k=k, c=c: results.update({k: run(pool, c)}))
                       for k, c in jobs.items()]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    assert results["killer"]["status"] == "completed" and results["killer"]["answers"]["a"] == [], results
    assert results["honest"]["status"] == "completed" and results["honest"]["answers"] == {"a": 42}, results


def test_a_worker_starts_only_when_a_job_finds_every_started_one_busy():
    """One notebook to run (a learner's check, one changed file) pays for one worker's imports."""
    import threading

    with WorkerPool(2, []) as pool:
        assert run(pool, "a = 1")["answers"]["a"] == 1
        assert run(pool, "a = 2")["answers"]["a"] == 2
        assert len(pool._all) == 1
        results = []
        jobs = [threading.Thread(target=lambda: results.append(run(pool, "import time\ntime.sleep(1)\na = 3")))
                for _ in range(3)]
        for job in jobs:
            job.start()
        for job in jobs:
            job.join()
        assert [r["answers"]["a"] for r in results] == [3, 3, 3]
        assert len(pool._all) == 2  # never more than asked for
