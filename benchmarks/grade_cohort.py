"""Benchmark: grade a cohort of N copies of a part's solution and print the figures.

Prints, from one run on this machine:

* bare papermill: the solution executed once by papermill with a fresh Jupyter kernel,
  and the sum of its cells' own durations (what the notebook's code costs);
* the grader: per-submission wall seconds (median), total wall seconds for the cohort,
  the one-off cost of starting the warm workers, and peak memory.

Usage: python benchmarks/grade_cohort.py [--part 02] [--n 20] [--workers 2] [--distinct-seeds]
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from notebook_times import papermill_times  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--part", default="02")
    p.add_argument("--n", type=int, default=20, help="cohort size (default 20)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--distinct-seeds", action="store_true",
                   help="give every submission its own seed (one reference run per submission)")
    args = p.parse_args()

    from aipm_lab.authoring import solution_spec
    from aipm_lab.curriculum import get_part, notebook_path
    from aipm_lab.datasets import DEFAULT_SEED
    from aipm_lab.grading.grader import Grader, preload_modules
    from aipm_lab.grading.pool import Limits, WorkerPool

    part = get_part(args.part)
    folder = Path(tempfile.mkdtemp(prefix="aipm-bench-"))
    try:
        solved = folder / "solved.ipynb"
        wall, cells = papermill_times(notebook_path(part, "solutions", ROOT), solved)
        print(f"part {part.number}, cohort of {args.n}, {args.workers} workers, "
              f"{'distinct seeds' if args.distinct_seeds else 'one seed'}")
        print(f"bare papermill (fresh kernel):        {wall:6.2f} s per notebook")
        print(f"  of which the cells themselves:      {cells:6.2f} s")

        subs = folder / "cohort"
        subs.mkdir()
        roster = {}
        for i in range(args.n):
            shutil.copy(solved, subs / f"student-{i:03d}.ipynb")
            roster[f"student-{i:03d}"] = DEFAULT_SEED + i if args.distinct_seeds else DEFAULT_SEED

        start = time.perf_counter()
        with WorkerPool(args.workers, preload_modules([solution_spec(part, ROOT)[0]])):
            pass
        startup = time.perf_counter() - start

        grader = Grader(base=ROOT, part=part.number, roster=roster, workers=args.workers,
                        limits=Limits(cell_timeout=120))
        start = time.perf_counter()
        results = grader.grade([subs])
        total = time.perf_counter() - start
        per = [r.seconds for r in results]
        full = sum(r.score == r.max_score for r in results)
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        references = len(set(roster.values()))
        print(f"grader, per submission (median):      {statistics.median(per):6.2f} s   (incl. waiting for the reference)")
        print(f"grader, whole cohort (wall):          {total:6.2f} s   = {total / args.n:.2f} s per submission, "
              f"{references} reference run(s) included")
        print(f"  papermill-equivalent serial time:   {wall * (args.n + references):6.2f} s")
        print(f"warm-worker start-up (paid once):     {startup:6.2f} s for {args.workers} workers (interpreter + imports)")
        print(f"peak memory: grader {own:.0f} MB, largest worker/child {children:.0f} MB")
        print(f"full marks: {full}/{args.n}")
        with open(folder / "times.csv", "w", newline="") as f:
            csv.writer(f).writerows([("submission", "seconds"), *((r.submission, f"{r.seconds:.3f}") for r in results)])
        return 0 if full == args.n else 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
