"""Benchmark: how much of each exercise set can be copied from its lesson (issue 19's copy measure).

For each part and seed: run the lesson for that seed (as ``papermill -p seed N`` would), collect
every number it prints, and count the exercise's auto-graded points whose reference answer for
that seed is among them within the field's tolerance; the same for the lesson's stored outputs.
A share over 20% means the exercise can be replayed from the lesson. See aipm_lab.grading.copying.

Usage: python benchmarks/copy_shares.py [--seed 13] [--parts 04 07]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def main() -> int:
    from aipm_lab.course.authoring import authored_parts, read_notebook, solution_spec
    from aipm_lab.course.curriculum import get_part, notebook_path
    from aipm_lab.grading.copying import COPY_LIMIT, copy_report, printed_numbers, run_lesson
    from aipm_lab.grading.grader import Grader

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=13, help="the learner's seed (default 13)")
    p.add_argument("--parts", nargs="*", help="default: every part with a solution")
    args = p.parse_args()
    parts = [get_part(n) for n in args.parts] if args.parts else authored_parts()
    grader = Grader(workers=1)
    print(f"{'part':4} {'points':>6} {'re-run':>7} {'stored':>7}  copied from the re-run lesson (seed {args.seed})")
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for part in parts:
            spec = solution_spec(part)[1]
            grader.precompute(part.number, [args.seed])
            answers = grader.reference(part.number, args.seed)
            rerun = copy_report(spec, answers, printed_numbers(run_lesson(part, args.seed, Path(tmp) / "out.ipynb")))
            stored = copy_report(spec, answers, printed_numbers(read_notebook(notebook_path(part, "notebooks"))))
            bad += max(rerun.share, stored.share) > COPY_LIMIT
            print(f"{part.number:4} {rerun.points:6d} {rerun.share:7.0%} {stored.share:7.0%}  "
                  f"{', '.join(rerun.copied) or '-'}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
