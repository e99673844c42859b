"""Benchmark: grade a cohort of N copies of a part's solution and print the figures.

Prints, from one run on this machine:

* bare papermill: the solution executed once by papermill with a fresh Jupyter kernel,
  and the sum of its cells' own durations (what the notebook's code costs);
* one submission graded by ``aipm-lab grade`` as a fresh process (what Gradescope, a
  self-learner and ``aipm-lab check`` pay), with a cold and a warm reference cache, beside
  ``papermill`` run the same way, as medians of interleaved rounds; and its parts: the
  grader's imports, the warm worker's start and the same libraries imported in a bare
  interpreter (the floor no grader can go under), and the submission's own run;
* the cost of isolation: one small notebook run in the sandbox with and without Linux
  namespaces (median of 20 runs each);
* a cohort: per-submission wall seconds (median), total wall seconds, the cost of each
  submission beyond the first (against a cohort of one graded the same way), the one-off
  cost of starting the warm workers, and peak memory.

Usage: python benchmarks/grade_cohort.py [--part 02] [--n 10] [--workers 2] [--rounds 5] [--distinct-seeds]
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from notebook_times import papermill_times  # noqa: E402


def _timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def one_submission(part, solved: Path, folder: Path, rounds: int) -> None:
    """Print the wall time of grading one submission in a fresh process, beside papermill's, and its parts.

    Every figure is the median of ``rounds`` interleaved rounds (papermill, a warm-cache and a
    cold-cache grade, and the bare imports), so a busy spell of the machine hits them all alike.
    """
    from aipm_lab.course.authoring import read_notebook, solution_spec
    from aipm_lab.datasets import DEFAULT_SEED
    from aipm_lab.grading.engine import execute
    from aipm_lab.grading.grader import preload_modules
    from aipm_lab.grading.pool import Limits, WorkerPool
    from aipm_lab.grading.sandbox import ALWAYS_PRELOADED

    python = sys.executable
    solution, spec = solution_spec(part, ROOT)
    preload = [*ALWAYS_PRELOADED, *preload_modules([solution])]
    env = {**os.environ, "AIPM_LAB_GRADEBOOK": str(folder / "gradebook.sqlite")}  # not the user's course gradebook
    runs = iter(range(10_000))

    def grade(cache: Path) -> float:  # a fresh --out each time: a reused one would resume, not grade
        return _timed([python, "-m", "aipm_lab", "grade", str(solved), "--part", part.number,  # default workers
                       "--out", str(folder / f"one-out-{next(runs)}")], {**env, "AIPM_LAB_CACHE": str(cache)})

    grade(folder / "cache")  # fills the warm cache
    times: dict[str, list[float]] = {k: [] for k in ("papermill", "warm", "cold", "imports", "grader")}
    for _ in range(rounds):
        times["papermill"].append(_timed(
            [python, "-m", "papermill", str(solved), str(folder / "pm.ipynb"), "-p", "seed", str(DEFAULT_SEED),
             "--cwd", str(folder)], env))
        times["warm"].append(grade(folder / "cache"))
        times["cold"].append(grade(folder / f"cold-{next(runs)}"))
        # What the worker imports before its first job, in a bare interpreter (collector off, as there).
        times["imports"].append(_timed([python, "-c", "import gc; gc.disable(); import " + ", ".join(preload)], env))
        times["grader"].append(_timed([python, "-c", "import aipm_lab.course.cli, aipm_lab.grading.grader, "
                                       "aipm_lab.grading.report"], env))
    med = {k: statistics.median(v) for k, v in times.items()}
    start = time.perf_counter()
    with WorkerPool(1, preload_modules([solution])) as pool:
        pool.wait_ready()
        started = time.perf_counter() - start
        own, run = [], []
        for _ in range(rounds):
            result = execute(read_notebook(solved), DEFAULT_SEED, spec.answers, pool, Limits(cell_timeout=120))
            own.append(sum(c.get("seconds") or 0 for c in result["cells"]))
            run.append(result["seconds"])
    cells = statistics.median(own)
    print(f"one submission (median of {rounds} interleaved rounds, each a fresh process):")
    print(f"  papermill -p seed (no grading):     {med['papermill']:6.2f} s")
    print(f"  aipm-lab grade, warm reference cache:{med['warm']:6.2f} s   = its cells {cells:.2f} s in a warm worker "
          f"+ {med['warm'] - cells:.2f} s fixed")
    print(f"  aipm-lab grade, cold cache:         {med['cold']:6.2f} s   = its cells {cells:.2f} s "
          f"+ {med['cold'] - cells:.2f} s fixed (the solution runs beside it on the second worker)")
    print(f"  parts of the fixed cost: grader's own imports {med['grader']:.2f} s (interpreter included); "
          f"worker start {started:.2f} s, of which the notebook's libraries in a bare interpreter "
          f"{med['imports']:.2f} s; sandbox run {statistics.median(run):.2f} s for {cells:.2f} s of cells")


def isolation_cost(runs: int = 20) -> None:
    """Print the median wall time of a one-cell run with namespaces and without (AIPM_LAB_ISOLATION=off)."""
    from aipm_lab.grading.pool import Limits, WorkerPool

    medians = {}
    for mode in ("namespaces", "off"):
        saved = os.environ.get("AIPM_LAB_ISOLATION")
        os.environ["AIPM_LAB_ISOLATION"] = "on" if mode == "namespaces" else "off"
        try:
            with WorkerPool(1, ["numpy", "pandas", "sklearn"]) as pool:
                label = pool.isolation
                pool.wait_ready()
                times = []
                for _ in range(runs):  # the grader's wall time: the worker's fork of a job process included
                    start = time.perf_counter()
                    pool.run([(0, "a = 1")], ["a"], Limits())
                    times.append(time.perf_counter() - start)
        finally:
            os.environ.pop("AIPM_LAB_ISOLATION") if saved is None else os.environ.update(AIPM_LAB_ISOLATION=saved)
        medians[mode] = statistics.median(times)
        print(f"one-cell run, isolation {label + ':':12} {medians[mode]:6.3f} s (median of {runs})")
    print(f"  cost of namespaces per submission:  {medians['namespaces'] - medians['off']:6.3f} s")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--part", default="02")
    p.add_argument("--n", type=int, default=10, help="cohort size (default 10)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--rounds", type=int, default=5, help="interleaved rounds for the one-submission figures")
    p.add_argument("--distinct-seeds", action="store_true",
                   help="give every submission its own seed (one reference run per submission)")
    args = p.parse_args()

    from aipm_lab.course.authoring import solution_spec
    from aipm_lab.course.curriculum import get_part, notebook_path
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

        one_submission(part, solved, folder, args.rounds)
        isolation_cost()

        subs = folder / "cohort"
        subs.mkdir()
        roster = {}
        for i in range(args.n):
            shutil.copy(solved, subs / f"student-{i:03d}.ipynb")
            roster[f"student-{i:03d}"] = DEFAULT_SEED + i if args.distinct_seeds else DEFAULT_SEED

        start = time.perf_counter()
        with WorkerPool(args.workers, preload_modules([solution_spec(part, ROOT)[0]])) as pool:
            pool.wait_ready()
        startup = time.perf_counter() - start

        def cohort(paths: list[Path]) -> tuple[list, float]:
            grader = Grader(base=ROOT, part=part.number, roster=roster, workers=args.workers,
                            limits=Limits(cell_timeout=120))  # no reference cache: every run pays the references
            start = time.perf_counter()
            return grader.grade(paths), time.perf_counter() - start

        _, alone = cohort([subs / "student-000.ipynb"])  # the same set-up with one submission
        results, total = cohort([subs])
        per = [r.seconds for r in results]
        full = sum(r.score == r.max_score for r in results)
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        references = len(set(roster.values()))
        print(f"grader, per submission (median):      {statistics.median(per):6.2f} s   (incl. waiting for the reference)")
        print(f"grader, whole cohort (wall):          {total:6.2f} s   = {total / args.n:.2f} s per submission, "
              f"{references} reference run(s) included")
        print(f"  per extra submission:               {(total - alone) / max(1, args.n - 1):6.2f} s   "
              f"(against {alone:.2f} s for a cohort of one, cells {cells:.2f} s under papermill)")
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
