"""The grader's fast path: papermill-compatible injection, a plain-JSON reader, cached references."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import ROOT, curriculum_copy

from aipm_lab.course.authoring import UnreadableNotebook, authored_parts, read_notebook
from aipm_lab.course.curriculum import notebook_path
from aipm_lab.grading.cache import ReferenceCache
from aipm_lab.grading.engine import inject


def _papermill(nb, parameters, tmp_path):
    """What ``papermill.execute_notebook`` runs: its own loader, then its parameterizer."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    path = tmp_path / f"in-{len(list(tmp_path.iterdir()))}.ipynb"
    nbformat.write(nbformat.from_dict(json.loads(json.dumps(nb))), path)
    return parameterize_notebook(load_notebook_node(str(path)), parameters, kernel_name="python3", language="python")


@pytest.mark.parametrize("layout", ["solution", "exercise", "no-parameters-cell", "already-injected"])
def test_injection_is_papermills(layout, tmp_path):
    """Same cells, sources and tags as papermill's parameterize_notebook, in every layout it handles."""
    part = authored_parts(ROOT)[1]
    nb = nbformat.read(notebook_path(part, "exercises" if layout == "exercise" else "solutions", ROOT), as_version=4)
    if layout == "no-parameters-cell":
        nb.cells[1].metadata.tags = []
    if layout == "already-injected":
        nb = _papermill(nb, {"seed": 1}, tmp_path)
    ours = inject(list(nb.cells), {"seed": 17})
    theirs = _papermill(nb, {"seed": 17}, tmp_path).cells
    assert [(c["cell_type"], c["source"], (c.get("metadata") or {}).get("tags", [])) for c in ours] == \
           [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in theirs]


def test_plain_reader_matches_nbformat_and_rejects_what_is_not_a_notebook(tmp_path):
    for part in authored_parts(ROOT):
        for kind in ("solutions", "exercises"):
            path = notebook_path(part, kind, ROOT)
            ours, theirs = read_notebook(path), nbformat.read(path, as_version=4)
            assert [(c.cell_type, c.source) for c in ours.cells] == [(c.cell_type, c.source) for c in theirs.cells]
            assert ours.metadata == theirs.metadata
    for name, text in {"empty": "", "broken": '{"cells": [', "list": "[]", "v4-no-cells": '{"nbformat": 4}',
                       "bad-cell": '{"nbformat": 4, "cells": [{"source": 3}]}', "latin1": b"\xff\xfe"}.items():
        path = tmp_path / f"{name}.ipynb"
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        with pytest.raises(UnreadableNotebook):
            read_notebook(path)


def test_cache_key_changes_with_the_solution_the_seed_and_the_part(tmp_path):
    cache = ReferenceCache(tmp_path)
    key = cache.key("02", 1, b"solution")
    assert len({key, cache.key("02", 2, b"solution"), cache.key("03", 1, b"solution"),
                cache.key("02", 1, b"solution, edited")}) == 4
    assert cache.get("02", 1, b"solution") is None
    cache.put("02", 1, b"solution", {"q1_answer": 0.5})
    assert cache.get("02", 1, b"solution") == {"q1_answer": 0.5}
    assert cache.get("02", 1, b"solution, edited") is None  # an edited solution never reads a stale entry
    entry = next(cache.folder.glob("*.json"))
    assert entry.stat().st_mode & 0o077 == 0  # readable by the grading user only
    entry.write_text("{not json")
    assert cache.get("02", 1, b"solution") is None  # a damaged entry is a miss, not an error


def test_a_warm_cache_skips_the_solution_and_grades_the_same(tmp_path):
    """Graded twice with one cache: the second run executes no solution and gives identical grades."""
    from aipm_lab.grading.grader import Grader

    part = authored_parts(ROOT)[1]
    base = curriculum_copy(tmp_path / "curriculum")
    subs = tmp_path / "subs"
    subs.mkdir()
    exercise = nbformat.read(notebook_path(part, "exercises", ROOT), as_version=4)
    for name in ("ann", "bo"):
        nbformat.write(exercise, subs / f"{name}.ipynb")
    roster = {"ann": 3, "bo": 3}
    cache = ReferenceCache(tmp_path / "cache")
    runs = []
    for _ in range(2):
        grader = Grader(base=base, part=part.number, roster=roster, workers=1, cache=cache)
        results = grader.grade([subs])
        runs.append(([{**r.to_dict(), "seconds": 0} for r in results], grader.reference_runs))
    assert runs[0][1] == 1 and runs[1][1] == 0
    assert runs[0][0] == runs[1][0]
    # Editing the solution invalidates the entry.
    path = notebook_path(part, "solutions", base)
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\n"
    nbformat.write(nb, path)
    grader = Grader(base=base, part=part.number, roster=roster, workers=1, cache=cache)
    grader.grade([subs])
    assert grader.reference_runs == 1
