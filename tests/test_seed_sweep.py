"""Every part's premises hold for a sweep of seeds (benchmarks/seed_sweep.py runs 100)."""

from __future__ import annotations

import nbformat
from conftest import ROOT, curriculum_copy

from aipm_lab.course.authoring import authored_parts, tagged
from aipm_lab.course.curriculum import notebook_path
from aipm_lab.grading.sweep import sweep

SWEEP = list(range(100, 112))  # seeds no other test uses


def test_every_solution_states_its_premises():
    for part in authored_parts(ROOT):
        nb = nbformat.read(notebook_path(part, "solutions", ROOT), as_version=4)
        cells = tagged(nb, "invariants")
        assert len(cells) == 1 and "assert" in cells[0].source, part.stem


def test_premises_and_answers_hold_for_a_sweep_of_seeds():
    results = sweep([p.number for p in authored_parts(ROOT)], SWEEP, workers=2, base=ROOT)
    assert all(r.seeds == len(SWEEP) for r in results)
    assert not {r.part: r.failures for r in results if r.failures}


def test_a_broken_premise_is_caught(tmp_path):
    """The sweep can fail: a solution whose invariant is false for some seeds is reported for those seeds."""
    curriculum_copy(tmp_path, ("solutions",))
    part = authored_parts(ROOT)[0]
    path = notebook_path(part, "solutions", tmp_path)
    nb = nbformat.read(path, as_version=4)
    tagged(nb, "invariants")[0].source += "\nassert seed % 2 == 0, 'odd seeds break this premise'"
    nbformat.write(nb, path)
    (result,) = sweep([part.number], [2, 3], workers=1, base=tmp_path)
    assert set(result.failures) == {3} and "odd seeds" in result.failures[3]
