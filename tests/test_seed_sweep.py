"""Every part's premises hold for a sweep of seeds, and every graded field varies with the seed
(benchmarks/seed_sweep.py runs 100)."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT, SEEDS, curriculum_copy

from aipm_lab.course.authoring import authored_parts, tagged
from aipm_lab.course.curriculum import notebook_path
from aipm_lab.grading.sweep import sweep

SWEEP = list(range(100, 112))  # seeds no other test uses
VARIETY_NOT_YET: set[str] = set()
"""Parts with a graded field whose reference repeats for too many seeds (numeric > 20%, decision > 80%);
each still fails (strict xfail) until its exercise set is rewritten for issue 19."""


PARTS = [p.number for p in authored_parts(ROOT)]


@pytest.fixture(scope="module")
def graded():
    """The sweep of the seeds the cohorts and variants grade, kept in the session's reference cache.

    The suite starts with this unit, so they read their references from there instead of each
    starting a pool for them.
    """
    from aipm_lab.grading.cache import ReferenceCache

    return sweep(PARTS, SEEDS, workers=2, base=ROOT, cache=ReferenceCache())


@pytest.fixture(scope="module")
def swept(graded):  # after `graded`, so the graded seeds' references are cached first
    return {r.part: r for r in sweep(PARTS, SWEEP, workers=2, base=ROOT)}


def test_every_solution_states_its_premises():
    for part in authored_parts(ROOT):
        nb = nbformat.read(notebook_path(part, "solutions", ROOT), as_version=4)
        cells = tagged(nb, "invariants")
        assert len(cells) == 1 and "assert" in cells[0].source, part.stem


def test_premises_and_answers_hold_for_a_sweep_of_seeds(swept, graded):
    assert all(r.seeds == len(SWEEP) for r in swept.values()) and all(r.seeds == len(SEEDS) for r in graded)
    assert not {r.part: r.failures for r in [*swept.values(), *graded] if r.failures}


@pytest.mark.parametrize("part", PARTS)
def test_every_graded_field_depends_on_the_variant(swept, part):
    """No numeric field has the same reference for more than 20% of the seeds, no decision for more than 80%.

    Twelve seeds only estimate a field's share, so a field fails here when its repeats would be rare
    for a field at its limit (:meth:`~aipm_lab.grading.copying.Variety.plausible`); the 100-seed
    sweep (benchmarks/seed_sweep.py) applies the limits themselves.

    A part in ``VARIETY_NOT_YET`` must still fail (a strict xfail, raised here so that a sweep that
    lost seeds fails loudly even for it); its author removes it once rewritten.
    """
    assert len(swept[part].references) == len(SWEEP), "the sweep lost seeds: see the premises test"
    fields = swept[part].variety
    for v in fields:
        print(f"part {part} {v.unit}: {v.kind}, {v.modal_share:.0%} of seeds share the most common reference")
    over = [f"{v.unit} ({v.kind}, {v.modal_share:.0%} of {v.seeds} seeds, limit {v.limit:.0%})"
            for v in fields if not v.plausible()]
    if part in VARIETY_NOT_YET:
        assert over, f"every field now varies: remove {part} from VARIETY_NOT_YET"
        pytest.xfail("issue 19: not yet rewritten so that every graded field depends on the variant; " + ", ".join(over))
    assert fields and not over, "the same reference for too many seeds: " + ", ".join(over)


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
