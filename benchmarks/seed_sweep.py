"""Benchmark and safety net: run every solution for N seeds and report seeds that break a premise.

Each solution runs through the warm grading pool, as the grader computes reference
answers; a seed fails when a cell raises (an ``invariants`` assert, say) or an answer
is missing. Prints, per part, the seeds run, the failures and the time; then, per graded
field, the share of seeds whose reference equals the most common one (within the field's
tolerance), flagging numeric fields over 20% and decision fields over 80% (issue 19: every
graded field depends on the variant).

Usage: python benchmarks/seed_sweep.py [--seeds 100] [--workers 2] [--parts 01 02 03]
(exits 1 when a seed fails or a field is over its limit)
"""

from __future__ import annotations

import argparse
import sys
import time


def main() -> int:
    from aipm_lab.course.authoring import authored_parts
    from aipm_lab.grading.sweep import sweep

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=100, help="seeds 0..N-1 (default 100)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--parts", nargs="*", help="default: every part with a solution")
    args = p.parse_args()
    parts = args.parts or [part.number for part in authored_parts()]
    done = [0]
    total = len(parts) * args.seeds

    def progress(part, seed, error):
        done[0] += 1
        if error or done[0] % 25 == 0:
            print(f"  [{done[0]}/{total}] part {part} seed {seed}: {error or 'ok'}", file=sys.stderr, flush=True)

    start = time.perf_counter()
    results = sweep(parts, list(range(args.seeds)), args.workers, progress=progress)
    wall = time.perf_counter() - start
    print(f"{'part':4} {'seeds':>5} {'failed':>6} {'s/seed':>7}  failing seeds")
    for r in results:
        print(f"{r.part:4} {r.seeds:5d} {len(r.failures):6d} {r.seconds / max(r.seeds, 1):7.2f}  "
              + (", ".join(map(str, sorted(r.failures))) or "-"))
        for seed, error in sorted(r.failures.items())[:5]:
            print(f"       seed {seed}: {error[:200]}")
    print(f"{total} solution runs on {args.workers} workers in {wall:.0f} s")
    print("\nvariety: share of seeds with the most common reference (numeric <= 20%, decision <= 80%)")
    flagged = 0
    for r in results:
        for v in r.variety:
            flagged += not v.ok
            print(f"{r.part:4} {v.unit:32} {v.kind:8} {v.modal_share:5.0%}" + ("" if v.ok else "  over the limit"))
    print(f"{flagged} field(s) over the limit")
    return 1 if flagged or any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
