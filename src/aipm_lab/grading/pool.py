"""Warm sandbox workers, owned by the grader's process.

Each worker is a separate ``python -m aipm_lab.grading.sandbox`` process that
imports the heavy libraries once; the interpreter start and the imports are paid
once per worker, not once per notebook. A worker that dies (or is killed by a
submission) is replaced, and the job it held is reported as crashed.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
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
    """

    cell_timeout: float = 60.0
    memory_mb: int = 2048
    hidden: tuple[str, ...] = ()


class _Worker:
    def __init__(self, preload: list[str]):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "aipm_lab.grading.sandbox", *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **_WORKER_ENV},
        )
        self.reader = Reader(self.process.stdout.fileno())
        self.pending: list[dict] = []
        self._ready: dict | None = None

    @property
    def ready(self) -> dict | None:
        """The worker's "ready" message, waited for on first use (its imports run meanwhile)."""
        if self._ready is None:
            self._ready = self._receive()
        return self._ready

    def _receive(self) -> dict | None:
        while not self.pending:
            try:
                batch = self.reader.feed()
            except (ValueError, OSError):
                return None
            if batch is None:
                return None
            self.pending.extend(batch)
        return self.pending.pop(0)

    def run(self, job: dict) -> dict | None:
        if self.ready is None:
            return None
        try:
            send(self.process.stdin.fileno(), job)
        except OSError:
            return None
        return self._receive()

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()
        # A worker holds no state worth a clean exit, and its interpreter's teardown (with
        # scikit-learn and pandas loaded) takes half a second: stop it outright.
        self.process.kill()
        self.process.wait()


class WorkerPool:
    """A fixed number of warm workers that run notebook jobs in parallel.

    Parameters
    ----------
    workers : int
        Number of worker processes (and of notebooks run at once).
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
        # Start the workers and return at once: they import side by side while the grader
        # reads submissions; the first job on each waits for its "ready".
        for _ in range(self.size):
            worker = _Worker(self.preload)
            self._all.append(worker)
            self._idle.put(worker)

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
        worker = self._idle.get()
        result = worker.run(job)
        if result is None:
            # The worker died under this job (a submission can kill its parent when not run
            # in namespaces); replace it so the rest of the cohort is graded, unless the pool
            # is closing (its workers were stopped on purpose).
            with self._lock:
                if worker in self._all:
                    self._all.remove(worker)
                worker.process.kill()
                if self._closed:
                    return {"status": "crashed", "message": "grading was stopped", "answers": {}, "cells": [],
                            "seconds": 0.0, "max_rss_mb": 0.0}
                worker = _Worker(self.preload)
                self._all.append(worker)
            result = {"status": "crashed", "message": "the grading worker was killed during this notebook",
                      "answers": {}, "cells": [], "seconds": 0.0, "max_rss_mb": 0.0}
        self._idle.put(worker)
        return result

    @property
    def isolation(self) -> str:
        """How notebooks are kept apart from the grader: ``namespaces``, ``uid`` or ``none``.

        Waits for the first worker's imports.
        """
        ready = self._all[0].ready if self._all else None
        return (ready or {}).get("isolation", "none")

    def wait_ready(self) -> None:
        """Block until every worker has finished its imports (for benchmarks)."""
        for worker in list(self._all):
            worker.ready  # noqa: B018 - the property waits

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            for worker in self._all:
                worker.close()
            self._all.clear()

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
