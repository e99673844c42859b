"""Lessons run for a learner's own seed, not only for the one their stored outputs come from.

Every lesson has a cell tagged ``parameters`` holding its seed, so ``papermill -p seed N`` runs it
on another data variant. Its printed sentences follow the data. That every lesson runs without an
error for another seed is checked by tests/test_copying.py, which runs each lesson for an exercise
seed anyway (to count the numbers it prints): one run serves both.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from aipm_lab.course.authoring import read_notebook
from aipm_lab.course.curriculum import PARTS, notebook_path

LESSONS = [notebook_path(p, "notebooks", ROOT) for p in PARTS if notebook_path(p, "notebooks", ROOT).exists()]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_has_a_parameters_cell_for_its_seed(path):
    nb = read_notebook(path)
    cells = [c for c in nb.cells if "parameters" in (c.get("metadata") or {}).get("tags", [])]
    assert len(cells) == 1 and cells[0].source.startswith("seed = "), "one cell tagged parameters: seed = ..."
