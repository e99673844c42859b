"""Fair grading, proved on answers: valid alternatives score full, common mistakes score zero.

For each part with a ``tests/variants/partNN.py``, the solution notebook is copied with
every question's k-th valid variant (or k-th mistake) appended to its cell, graded for
several seeds as a cohort, and each question's verdict is compared with what the variant
declares.
"""

from __future__ import annotations

import csv
import importlib
import json

import nbformat
import pytest
from conftest import ROOT, SEEDS, references

from aipm_lab.course.authoring import authored_parts, solution_spec
from aipm_lab.course.cli import main

PARTS = [p for p in authored_parts(ROOT) if (ROOT / "tests" / "variants" / f"part{p.number}.py").exists()]


def load_variants(part):
    return importlib.import_module(f"variants.part{part.number}")


def question_cell(nb, qid: str) -> int:
    """Index of the code cell that ends with ``check("qid")``."""
    marker = f'check("{qid}")'
    found = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.rstrip().endswith(marker)]
    assert len(found) == 1, f"no single cell ends with {marker}"
    return found[0]


def with_variants(solution, codes: dict[str, str]):
    """A copy of the solution with ``codes[qid]`` inserted before each question's ``check``."""
    nb = nbformat.reads(nbformat.writes(solution), as_version=4)
    for qid, code in codes.items():
        cell = nb.cells[question_cell(nb, qid)]
        head, _, _ = cell.source.rstrip().rpartition("\n")
        cell.source = f"{head}\n{code.strip()}\ncheck(\"{qid}\")"
    return nb


def groups(table: dict) -> list[dict[str, tuple[str, object]]]:
    """Group k holds the k-th variant of every question that has one: qid -> (name, entry)."""
    items = {qid: list(v.items()) for qid, v in table.items()}
    depth = max((len(v) for v in items.values()), default=0)
    return [{qid: v[k] for qid, v in items.items() if k < len(v)} for k in range(depth)]


@pytest.fixture(scope="module", params=[p.number for p in PARTS])
def graded(request, tmp_path_factory):
    """Grade every variant notebook of one part for every seed, in one cohort run."""
    from aipm_lab.course.curriculum import get_part

    part = get_part(request.param)
    variants = load_variants(part)
    solution, spec = solution_spec(part, ROOT)
    folder = tmp_path_factory.mktemp(f"variants-{part.number}")
    subs = folder / "subs"
    subs.mkdir()
    expected, roster = {}, {}
    for kind, table in (("valid", variants.VALID), ("mistake", variants.MISTAKES)):
        for k, group in enumerate(groups(table)):
            codes = {qid: entry if kind == "valid" else entry[1] for qid, (_, entry) in group.items()}
            nb = with_variants(solution, codes)
            for seed in SEEDS:
                name = f"{kind}-{k}-seed{seed}"
                nbformat.write(nb, subs / f"{name}.ipynb")
                roster[name] = seed
                for qid, (label, entry) in group.items():
                    expected[(name, qid)] = (kind, label, None if kind == "valid" else entry[0])
    with open(folder / "roster.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "seed"])
        writer.writerows(roster.items())
    references(part, SEEDS)  # into the session's cache, with the grader's default limits
    out = folder / "out"
    assert main(["grade", str(subs), "--part", part.number, "--roster", str(folder / "roster.csv"),
                 "--out", str(out), "--workers", "2", "--timeout", "60"]) == 0
    rows = {r["submission"]: r for r in json.loads((out / "grades.json").read_text())}
    return {"part": part, "spec": spec, "rows": rows, "expected": expected}


def test_every_question_has_a_valid_alternative_and_two_mistakes(graded):
    variants = load_variants(graded["part"])
    for qid, question in graded["spec"].questions.items():
        if question.written:  # scored by a person against its rubric, not by the grader
            continue
        assert variants.VALID.get(qid), f"{qid}: no valid alternative method"
        assert len(variants.MISTAKES.get(qid, {})) >= 2, f"{qid}: fewer than two common mistakes"


def test_valid_alternatives_score_full_and_mistakes_score_zero(graded):
    problems = []
    for (name, qid), (kind, label, fields) in graded["expected"].items():
        row = graded["rows"][name]
        assert row["status"] == "graded", (name, row["message"])
        q = next(q for q in row["questions"] if q["id"] == qid)
        if kind == "valid" and q["score"] != q["max_score"]:
            problems.append(f"{name} {qid} valid '{label}' scored {q['score']}/{q['max_score']}: {q['message']}")
        if kind == "mistake":
            scored = {f["field"]: f["score"] for f in q["fields"]}
            bad = [f for f in (scored if fields == "all" else fields) if scored.get(f, 0) != 0]
            if (fields == "all" and q["score"] != 0) or bad or q["score"] == q["max_score"]:
                problems.append(f"{name} {qid} mistake '{label}' scored {q['score']}/{q['max_score']} "
                                f"(fields {scored}): {q['message']}")
    assert not problems, "\n".join(problems)


def test_mistake_feedback_names_the_field_and_never_the_reference(graded):
    for (name, qid), (kind, label, fields) in graded["expected"].items():
        if kind != "mistake" or fields == "all":
            continue
        q = next(q for q in graded["rows"][name]["questions"] if q["id"] == qid)
        for field in fields:
            assert f"`{field}`" in q["message"], (label, q["message"])
