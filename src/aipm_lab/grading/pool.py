"""Warm sandbox workers, owned by the grader's process.

Each worker is a separate ``python -m aipm_lab.grading.sandbox`` process that
imports the heavy libraries once; the interpreter start and the imports are paid
once per worker, not once per notebook. A worker that dies (or is killed by a
submission) is replaced, and the job it held is reported as crashed.
"""

from __future__ import annotations

import os
import queue
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

from aipm_lab.grading.sandbox import Reader, send

# One BLAS thread per worker: the pool already uses the cores, and forked children
# must not inherit half-started thread pools.
_WORKER_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
    "PYTHONHASHSEED": "0",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


def worker_environment() -> dict[str, str]:
    """The grader's environment without its Python settings, plus the workers' own.

    With ``-s -P`` (no user site-packages, no current folder on ``sys.path``), a worker imports
    only from this Python's installation and from where this process found ``aipm_lab``: a
    ``numpy.py`` or ``PYTHONSTARTUP`` file in the folder the grader starts in is never run.
    (``-I`` would also drop the ``PYTHONHASHSEED`` set here.)
    """
    import aipm_lab

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return {**env, **_WORKER_ENV, "PYTHONPATH": os.path.dirname(os.path.dirname(os.path.realpath(aipm_lab.__file__)))}


@dataclass(frozen=True)
class Limits:
    """Limits applied to every notebook run.

    Attributes
    ----------
    cell_timeout : float
        Seconds one cell may run before it is interrupted.
    memory_mb : int
        Memory a notebook may allocate beyond the preloaded libraries.
    hidden : tuple of str
        Folders and files the notebook must not see (solutions, other submissions, the
        output folder); honoured where the workers run in namespaces.
    notebook_timeout : float, optional
        Wall-clock seconds a whole notebook may take, enforced by the grader's process
        whatever the worker does; default :meth:`wall_clock` of its cells.
    """

    cell_timeout: float = 60.0
    memory_mb: int = 2048
    hidden: tuple[str, ...] = ()
    notebook_timeout: float | None = None

    def wall_clock(self, cells: int) -> float:
        """Longest a notebook of ``cells`` code cells may take, start-up included."""
        if self.notebook_timeout is not None:
            return float(self.notebook_timeout)
        return min(STARTUP_SECONDS + cells * self.cell_timeout, MAX_NOTEBOOK_SECONDS)


STARTUP_SECONDS = 60.0
"""Allowance for a worker's imports (a cold start on a loaded machine) before a job's cells."""

MAX_NOTEBOOK_SECONDS = 1800.0
"""No notebook, however many cells it has, holds a worker for longer than this by default."""


def _stopped(message: str) -> dict:
    return {"status": "crashed", "message": message, "answers": {}, "cells": [], "seconds": 0.0, "max_rss_mb": 0.0}


class _Worker:
    """One worker process; a reader thread is the single owner of its output pipe.

    The first message is the worker's "ready"; every later one answers the job in
    flight. Threads never read the pipe themselves: they wait on :attr:`_ready_event`
    or the message queue, so two threads can never split one worker's messages.
    """

    def __init__(self, preload: list[str], command: list[str] | None = None):
        self.process = subprocess.Popen(
            command or [sys.executable, "-s", "-P", "-m", "aipm_lab.grading.sandbox", *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=worker_environment(),
        )
        self._ready: dict | None = None
        self._ready_event = threading.Event()
        self._messages: queue.Queue[dict | None] = queue.Queue()
        # The reader thread alone reads and closes the output pipe; :meth:`close` wakes it through
        # a pipe of its own. Closing the output under a thread that may still read it would free
        # its number for the next worker's pipe, whose "ready" that thread could then take; and a
        # notebook that outlives its worker can hold the pipe open, so its end may never come.
        self._out = os.dup(self.process.stdout.fileno())
        self.process.stdout.close()
        self._wake_read, self._wake_write = os.pipe()
        self._closing = threading.Lock()
        self._reader = threading.Thread(target=self._pump, daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        reader = Reader(self._out)
        poller = select.poll()  # not select.select: a busy grader's descriptors can pass 1024
        poller.register(self._out, select.POLLIN)
        poller.register(self._wake_read, select.POLLIN)
        try:
            while True:
                if any(fd == self._wake_read for fd, _ in poller.poll()):
                    return
                try:
                    batch = reader.feed()
                except (ValueError, OSError):
                    return
                if batch is None:
                    return
                for message in batch:
                    if not self._ready_event.is_set():
                        self._ready = message
                        self._ready_event.set()
                    else:
                        self._messages.put(message)
        finally:  # the worker is gone, or closed: wake whoever waits on it
            self._ready_event.set()
            self._messages.put(None)
            os.close(self._out)
            os.close(self._wake_read)

    def ready(self, timeout: float | None = None) -> dict | None:
        """The worker's "ready" message (its imports done), or None if it died or ``timeout`` passed."""
        self._ready_event.wait(timeout)
        return self._ready

    def run(self, job: dict, timeout: float) -> dict | None:
        """The job's result; None if the worker died; ``{"status": "timeout"}`` past ``timeout`` s."""
        deadline = time.monotonic() + timeout
        if self.ready(timeout) is None:
            return None if self._ready_event.is_set() else {"status": "timeout"}
        try:
            send(self.process.stdin.fileno(), job)
        except (OSError, ValueError):  # ValueError: closed meanwhile (Ctrl-C)
            return None
        try:
            return self._messages.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return {"status": "timeout"}

    def close(self) -> None:
        """Stop the worker and its reader thread; safe to call more than once, from any thread."""
        if not self._closing.acquire(blocking=False):
            return
        self._ready_event.set()
        self._messages.put(None)
        os.write(self._wake_write, b"x")
        os.close(self._wake_write)
        try:
            self.process.stdin.close()
        except OSError:
            pass
        # A worker holds no state worth a clean exit, and its interpreter's teardown (with
        # scikit-learn and pandas loaded) takes half a second: stop it outright.
        self.process.kill()
        self.process.wait()
        from aipm_lab.grading.isolation import remove

        remove((self._ready or {}).get("cgroup"))  # the worker's pids cgroup (under root), once its runs have ended


class WorkerPool:
    """Up to a fixed number of warm workers that run notebook jobs in parallel.

    One worker starts at once; another starts only when a job finds every started worker
    busy, so a run with one notebook to execute (one learner's check, a cohort whose
    references are cached and of which one file changed) never pays for idle imports.

    Parameters
    ----------
    workers : int
        Most worker processes (and notebooks run at once).
    preload : list of str
        Modules each worker imports before its first job.

    Examples
    --------
    >>> with WorkerPool(2, ["numpy"]) as pool:            # doctest: +SKIP
    ...     result = pool.run(cells, answers, Limits())
    """

    def __init__(self, workers: int = 2, preload: list[str] | None = None):
        self.preload = list(preload or [])
        self.size = max(1, int(workers))
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: list[_Worker] = []
        self._closed = False
        # Start the first worker and return at once: it imports while the grader reads the
        # submissions; the first job on a worker waits for its "ready".
        self._idle.put(self._start())

    def _start(self) -> "_Worker":
        worker = _Worker(self.preload)
        self._all.append(worker)
        return worker

    def _take(self) -> "_Worker | None":
        """An idle worker, else a new one while fewer than ``size`` run, else the next to be free."""
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            if not self._closed and len(self._all) < self.size:
                return self._start()
        return self._idle.get()

    def run(self, cells: list[tuple[int, str]], answers: list[str], limits: Limits) -> dict:
        """Run code cells in a fresh sandboxed child; block until done.

        Parameters
        ----------
        cells : list of (int, str)
            Notebook cell index and source of each code cell, in order.
        answers : list of str
            Names of the variables to read back after each cell.
        limits : Limits

        Returns
        -------
        dict
            The result of :func:`aipm_lab.grading.sandbox.run_job`.
        """
        job = {"cells": cells, "answers": answers, "cell_timeout": limits.cell_timeout,
               "memory_mb": limits.memory_mb, "hide": list(limits.hidden)}
        wall_clock = limits.wall_clock(len(cells))
        worker = self._take()
        if worker is None:  # the pool closed while this job waited (Ctrl-C): pass the word on, never wait forever
            self._idle.put(None)
            return _stopped("grading was stopped")
        result = worker.run(job, wall_clock)
        if result is None or result.get("status") == "timeout" and "answers" not in result:
            # The worker died under this job (a submission can kill its parent when not run
            # in namespaces) or the notebook outlived its wall-clock limit: replace the worker
            # so the rest of the cohort is graded, unless the pool is closing.
            timed_out = result is not None
            with self._lock:
                if worker in self._all:
                    self._all.remove(worker)
                worker.close()
                if self._closed:
                    return _stopped("grading was stopped")
                worker = self._start()
            result = {**_stopped(f"the notebook ran past its wall-clock limit of {wall_clock:.0f} s"),
                      "status": "timeout", "seconds": wall_clock} if timed_out else \
                _stopped("the grading worker was killed during this notebook")
        self._idle.put(worker)
        return result

    def _first_ready(self) -> dict:
        with self._lock:
            first = self._all[0] if self._all else None
        return (first.ready() if first is not None else None) or {}

    @property
    def isolation(self) -> str:
        """How notebooks are kept apart from the grader: ``namespaces``, ``namespaces-as-root``, ``uid`` or ``none``.

        Waits for the first worker's imports.
        """
        return self._first_ready().get("isolation", "none")

    @property
    def isolation_problem(self) -> str | None:
        """Why a root grader's notebooks cannot run as an unprivileged uid (one line), if so."""
        return self._first_ready().get("problem")

    def wait_ready(self) -> None:
        """Start every worker and block until each has finished its imports (for benchmarks)."""
        with self._lock:
            while not self._closed and len(self._all) < self.size:
                self._idle.put(self._start())
        for worker in list(self._all):
            worker.ready()

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            for worker in self._all:
                worker.close()
            self._all.clear()
        self._idle.put(None)  # wakes a job still waiting for a worker

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
