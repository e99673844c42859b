"""Benchmark: execute every lesson, solution and exercise with papermill and print its times.

For each notebook: wall seconds of a papermill run with a fresh Jupyter kernel (kernel
start included) and the sum of its cells' own durations. Lessons run with widgets in
static mode, as under nbval.

A run on a shared 2-core machine varies by a second from one try to the next, so every
notebook runs ``--repeat`` times (in rounds, so a slow spell hits all notebooks alike) and
the table gives the fastest and the median wall time, as ``timeit`` reports its best. The
budget column is the course's limit (lessons 6 s, solutions 4 s); ``over`` marks a median
above it.

Usage: python benchmarks/notebook_times.py [--repeat 3] [--kind notebooks solutions exercises]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def papermill_times(path: Path, out: Path) -> tuple[float, float]:
    """Wall seconds of one papermill run of ``path`` and the sum of its cells' durations."""
    import nbformat
    import papermill

    start = time.perf_counter()
    # Exercise templates have seed = None; lessons have no parameters cell and ignore it.
    parameters = {"seed": 1} if path.parent.name != "notebooks" else {}
    papermill.execute_notebook(str(path), str(out), parameters=parameters, kernel_name="python3",
                               progress_bar=False, cwd=str(path.parent))
    wall = time.perf_counter() - start
    nb = nbformat.read(out, as_version=4)
    cells = sum(c.metadata.get("papermill", {}).get("duration") or 0 for c in nb.cells if c.cell_type == "code")
    return wall, cells


BUDGET = {"notebooks": 6.0, "solutions": 4.0}
"""Seconds a lesson and a solution may take on this benchmark (a quiet 2-core machine)."""


def main(argv: list[str] | None = None) -> int:
    from aipm_lab.course.curriculum import KINDS, PARTS, notebook_path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each notebook (default 3)")
    parser.add_argument("--kind", nargs="+", choices=KINDS, default=list(KINDS), help="which notebooks (default all)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    os.environ["AIPM_LAB_WIDGETS"] = "static"
    paths = [(kind, notebook_path(part, kind, ROOT)) for part in PARTS for kind in KINDS if kind in args.kind]
    paths = [(kind, path) for kind, path in paths if path.exists()]
    walls: dict[Path, list[float]] = {path: [] for _, path in paths}
    cells: dict[Path, list[float]] = {path: [] for _, path in paths}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.repeat):
            for n, (kind, path) in enumerate(paths, 1):
                print(f"\rround {r + 1}/{args.repeat}: {n}/{len(paths)} {path.name:40}", end="", file=sys.stderr, flush=True)
                wall, cell = papermill_times(path, Path(tmp) / f"{kind}-{path.name}")
                walls[path].append(wall)
                cells[path].append(cell)
    print(file=sys.stderr)
    print(f"{'notebook':45} {'best s':>7} {'median s':>9} {'cells s':>8} {'budget':>7}")
    for kind, path in paths:
        best, median = min(walls[path]), statistics.median(walls[path])
        budget = BUDGET.get(kind)
        flag = "" if budget is None else f"{budget:5.1f}" + (" over" if median > budget else "")
        print(f"{kind + '/' + path.name:45} {best:7.2f} {median:9.2f} {min(cells[path]):8.2f} {flag:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
