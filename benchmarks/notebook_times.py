"""Benchmark: execute every lesson, solution and exercise with papermill and print its times.

For each notebook: wall seconds of a papermill run with a fresh Jupyter kernel (kernel
start included) and the sum of its cells' own durations. Lessons run with widgets in
static mode, as under nbval.

Usage: python benchmarks/notebook_times.py
"""

from __future__ import annotations

import os
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


def main() -> int:
    from aipm_lab.course.curriculum import KINDS, PARTS, notebook_path

    os.environ["AIPM_LAB_WIDGETS"] = "static"
    print(f"{'notebook':45} {'wall s':>7} {'cells s':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for part in PARTS:
            for kind in KINDS:
                path = notebook_path(part, kind, ROOT)
                if path.exists():
                    wall, cells = papermill_times(path, Path(tmp) / f"{kind}-{path.name}")
                    print(f"{kind + '/' + path.name:45} {wall:7.2f} {cells:8.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
