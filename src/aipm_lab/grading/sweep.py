"""Run solutions for many seeds: every part's premises must hold for every learner's variant.

A solution's ``invariants`` cell asserts what its wording relies on, and every
reference answer must exist. :func:`sweep` runs the solutions through the warm
grading pool, exactly as the grader computes references, and collects the seeds
where anything fails, and the reference answers of the others, from which
:attr:`SweepResult.variety` tells whether every graded field depends on the seed
(see :func:`aipm_lab.grading.copying.variety`).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from aipm_lab.course.curriculum import CurriculumError


@dataclass
class SweepResult:
    """Outcome of a sweep of one part."""

    part: str
    seeds: int = 0
    failures: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0
    references: dict[int, dict] = field(default_factory=dict)
    """Seed -> the solution's plain answers, for every seed that ran cleanly."""
    spec: object = None

    @property
    def variety(self) -> list:
        """Per graded field, the share of seeds sharing its most common reference (see :func:`~aipm_lab.grading.copying.variety`)."""
        from aipm_lab.grading.copying import variety

        return variety(self.spec, [self.references[s] for s in sorted(self.references)])


def sweep(parts: list[str], seeds: list[int], workers: int = 2, base=None, progress=None,
          cache=None) -> list[SweepResult]:
    """Compute every part's reference answers for every seed; report the seeds that fail.

    Parameters
    ----------
    parts : list of str
        Part numbers with a solution notebook.
    seeds : list of int
    workers : int, default 2
        Solutions run at once.
    base : Path, optional
        Curriculum folder.
    progress : callable, optional
        Called as ``progress(part, seed, error_or_None)`` after each run.
    cache : ReferenceCache, optional
        Where the references are also kept (and read from, for a solution unchanged since),
        for a grading run to reuse them.

    Returns
    -------
    list of SweepResult
        One per part, in order, with the failing seeds and the first error of each.
    """
    from aipm_lab.grading.grader import Grader, preload_modules
    from aipm_lab.grading.pool import WorkerPool

    grader = Grader(base=base, workers=workers, cache=cache)
    results = {p: SweepResult(p) for p in parts}

    def run(job):
        part, seed = job
        start = time.perf_counter()
        try:
            results[part].references[seed] = grader.reference(part, seed)
            error = None
        except CurriculumError as exc:
            error = str(exc)
        results[part].seconds += time.perf_counter() - start
        results[part].seeds += 1
        if error:
            results[part].failures[seed] = error
        if progress:
            progress(part, seed, error)

    for p in parts:
        results[p].spec = grader._solution(p)[1]
    preload = preload_modules([grader._solution(p)[0] for p in parts])
    with WorkerPool(workers, preload) as grader.pool:
        with ThreadPoolExecutor(workers) as threads:
            list(threads.map(run, [(p, s) for p in parts for s in seeds]))
    grader.pool = None
    return [results[p] for p in parts]
