"""Lessons run for a learner's own seed, not only for the one their stored outputs come from.

Every lesson has a cell tagged ``parameters`` holding its seed, so ``papermill -p seed N`` (or the
grader's engine, as here) runs it on another data variant. Its printed sentences follow the data;
this test makes sure no cell stops for a seed other than the stored one.
"""

from __future__ import annotations

import pytest

from aipm_lab.course.authoring import read_notebook
from aipm_lab.course.curriculum import PARTS, notebook_path
from aipm_lab.grading.engine import execute
from aipm_lab.grading.grader import preload_modules
from aipm_lab.grading.pool import Limits, WorkerPool
from conftest import ROOT

LESSONS = [notebook_path(p, "notebooks", ROOT) for p in PARTS if notebook_path(p, "notebooks", ROOT).exists()]
SEED = 13  # not the stored 2026, nor the seeds the lessons' authors read their sentences for (0-9, 1, 7, 11)


@pytest.fixture(scope="module")
def pool():
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIPM_LAB_WIDGETS", "static")  # the workers' environment is taken at start
        with WorkerPool(1, preload_modules([read_notebook(p) for p in LESSONS])) as pool:
            yield pool


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_has_a_parameters_cell_for_its_seed(path):
    nb = read_notebook(path)
    cells = [c for c in nb.cells if "parameters" in (c.get("metadata") or {}).get("tags", [])]
    assert len(cells) == 1 and cells[0].source.startswith("seed = "), "one cell tagged parameters: seed = ..."


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_for_another_seed(pool, path):
    run = execute(read_notebook(path), SEED, ["seed"], pool, Limits(cell_timeout=300, memory_mb=4096))
    errors = [f"cell {c['index']}: {c['error']}" for c in run["cells"] if c.get("error")]
    assert run["status"] == "completed" and not errors, run["message"] or errors[0]
    assert run["answers"]["seed"] == SEED  # the injected seed is the one the lesson used
