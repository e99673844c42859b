"""Integrity signals: typed-in answers and near-identical code, on notebooks made from the real part 02."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import ROOT

from aipm_lab.course.authoring import solution_spec
from aipm_lab.course.curriculum import get_part, notebook_path
from aipm_lab.grading.integrity import code_tokens, integrity_flags, token_similarity, typed_answers
from aipm_lab.grading.report import cohort_report
from aipm_lab.grading.results import GradeResult

PART = get_part("02")


@pytest.fixture(scope="module")
def part():
    solution, spec = solution_spec(PART, ROOT)
    template = nbformat.read(notebook_path(PART, "exercises", ROOT), as_version=4)
    return {"solution": solution, "template": template, "answers": spec.answers}


def with_cells(template, *sources):
    nb = nbformat.from_dict(json.loads(nbformat.writes(template)))
    nb.cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return nb


OWN = """
import numpy as np
costs = {t: np.sum(scores >= t) * 3.5 + np.sum(missed(t)) * 120 for t in np.arange(0.01, 1, 0.01)}
best = min(costs, key=costs.get)
for name, value in sorted(costs.items())[:3]:
    print(name, round(value, 2))
"""


def test_typed_answers_are_flagged_only_when_nothing_is_computed_in_their_cell(part):
    a, b = part["answers"][:2]
    assert typed_answers(with_cells(part["template"], f"{a} = 0.31\n{b} = {{'ship': 'go', 'n': 12}}"),
                         part["answers"]) == [a, b]
    assert typed_answers(with_cells(part["template"], f"x = 0.31\n{a} = round(x * 2, 2)"), part["answers"]) == []
    assert typed_answers(with_cells(part["template"], f"{a} = None"), part["answers"]) == []  # not answered yet
    assert typed_answers(part["template"], part["answers"]) == []
    assert typed_answers(part["solution"], part["answers"]) == []


def test_near_identical_code_is_flagged_with_the_pair_and_its_score(part):
    template, solution = part["template"], part["solution"]
    notebooks = {
        "ann": with_cells(template, OWN),
        "bo": with_cells(template, "# my own work!\n" + OWN.replace("    print", "        print").replace(
            "for name", "if True:\n    for name")),
        "cy": with_cells(template, "total = sum(range(10))\nprint(total / 3)\nlabels = ['a', 'b']"),
        "copy": solution,
    }
    found = integrity_flags(notebooks, template, solution, part["answers"])
    similar = {flag.learners: flag.score for flag in found if flag.kind == "similar"}
    assert set(similar) == {("ann", "bo"), ("copy", "the published solution")}, found
    assert similar[("copy", "the published solution")] == 1.0 and 0.8 <= similar[("ann", "bo")] < 1.0
    assert not [flag for flag in found if flag.kind == "typed"]
    assert token_similarity(code_tokens(OWN), code_tokens("")) == 0.0
    short = {name: with_cells(template, "best = min(costs)") for name in ("dee", "eli")}
    assert not integrity_flags(short, template, solution, part["answers"])  # a line the task dictates is alike in everyone's


def test_the_report_lists_the_signals_for_review(part, tmp_path):
    found = integrity_flags({"ann": with_cells(part["template"], f"{part['answers'][0]} = 0.31"),
                   "<b>bo</b>": part["solution"]}, part["template"], part["solution"], part["answers"])
    rows = [GradeResult(name, "02", 1, 0, 20, "graded") for name in ("ann", "<b>bo</b>")]
    cohort_report(rows, tmp_path, flags=found)
    report = (tmp_path / "report.md").read_text().split("## Integrity signals (for review, not penalties)")[1]
    assert f"- ann: answers typed in as bare numbers or text, with nothing computed in their cell: " \
           f"{part['answers'][0]}".replace("_", "\\_") in report
    assert "- \\<b\\>bo\\</b\\> and the published solution: nearly the same code (token similarity 1.00)" in report
