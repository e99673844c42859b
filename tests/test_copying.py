"""No exercise set can be copied from its lesson (issue 19): the copy measure, and the measure on every part.

The one run of each lesson made here also records every figure the lesson shows, which
:func:`test_every_lesson_figure_is_readable` checks (issue 22), so no lesson runs twice.

For each part: run the lesson for an exercise seed (as a learner with the README would:
``papermill -p seed N``), collect every number it prints, and check that at most 20% of the
exercise's auto-graded points have a reference answer equal to a printed number within the
field's own tolerance; the same for the lesson's stored outputs. A part whose exercise has
not been rewritten yet fails this and is marked ``xfail(strict=True)``: when its rewrite
passes, the xfail turns into a failure, and its author removes the part from ``NOT_YET``.
"""

from __future__ import annotations

import json

import nbformat
import numpy as np
import pytest
from conftest import ROOT, reference_answers

from aipm_lab.course.authoring import authored_parts, read_notebook, read_spec
from aipm_lab.course.curriculum import notebook_path
from aipm_lab.grading.copying import COPY_LIMIT, copy_report, numbers_in, output_text, printed_numbers, run_lesson, variety

SEED = 13  # an exercise seed: not the lessons' 2026, nor the seeds the lessons' sentences were read for (0-9, 11)
ISSUE = "issue 19: the exercise set is not yet rewritten to test transfer"
NOT_YET: dict[str, set[str]] = {"copy-rerun": set(), "copy-stored": set()}
"""Parts whose exercise a lesson still gives away (re-run for the exercise seed / as stored); measured
for seed 13 before the rewrite: re-run 67, 78, 62, 93, 39, 50, 75, 48, 69, 64% of the points of parts
01-10, stored 29, 43, 38, 30, 13, 29, 61, 17, 31, 44%. Rewritten part 01: 6% re-run, 6% stored; part 02: 5% re-run, 5% stored; part 03: 6% re-run, 17% stored;
part 07: 13% re-run, 13% stored;
part 08: 19% re-run, 12% stored;
part 06: 10% re-run, 10% stored;
part 10: 16% re-run, 12% stored; part 05: 11% re-run, 5% stored; part 04: 17% re-run, 0% stored;
part 09: 10% re-run, 0% stored."""


def _solution(questions: str, hidden: str):
    nb = nbformat.v4.new_notebook()
    for src, tag in (("seed = 1", "parameters"), (questions, "questions"), (hidden, "hidden")):
        nb.cells.append(nbformat.v4.new_code_cell(src, metadata={"tags": [tag]}))
    return nb


SPEC = read_spec(_solution(
    'QUESTIONS = {'
    '"q1": {"points": {"n": 2, "rate": 1, "call": 1}, "answer": "a1", "task": "t", "hint": "h", "public": []},'
    '"q2": {"points": 2, "answer": "a2", "task": "t", "hint": "h", "public": []},'
    '"q3": {"points": 4, "answer": "a3", "task": "t", "hint": "h", "public": []}}',
    'HIDDEN_CHECKS = {"q1": {"n": [("rel", 0.02)], "rate": [("close", 5e-4)], "call": [("equal",)]},'
    '"q2": [("close", 0.01)], "q3": [("field", "x", ("close", 0.1))]}'), "07")
ANSWERS = {"a1": {"n": 82347, "rate": 0.2251, "call": "ship"}, "a2": [0.51, 0.72], "a3": {"x": 3.0, "note": "y"},
           "ACCEPTED": {"q2": [[0.4, 0.9]]}}


def test_numbers_are_read_as_a_learner_reads_them():
    text = "Users per arm: 82,347 (day 5); rate 22.5% and −0.0031; tiny 1.2e-05; q1 and x2 are names; 2026-12"
    found = set(numbers_in(text).tolist())
    assert {82347.0, 5.0, 22.5, 0.225, -0.0031, 1.2e-05, 2026.0, 12.0} <= found
    assert 1.0 not in found and 2.0 not in found  # digits inside names are not numbers
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("x", outputs=[
        nbformat.v4.new_output("stream", text="printed 0.51\n"),
        nbformat.v4.new_output("display_data", data={"text/html": "<style>td {width: 77px}</style><td>0.72</td>",
                                                     "text/markdown": "**3.05** units", "image/png": "iVBOR99"})]))
    text = output_text(nb)
    assert "0.51" in text and "0.72" in text and "3.05" in text and "77" not in text and "99" not in text


def test_a_field_counts_as_copied_when_its_reference_is_printed_within_its_tolerance():
    def report(text):
        return copy_report(SPEC, ANSWERS, numbers_in(text))

    assert report("").copied == () and report("").points == 10
    assert report("n = 81,000").copied == ("q1.n",)  # within 2%
    assert report("n = 79,000").copied == ()
    assert report("rate 22.5%").copied == ("q1.rate",)  # 0.225, within 5e-4 of 0.2251
    assert report("rate 22%").copied == ()
    assert report("ship ship 1 0").copied == ()  # a decision is never counted as copied
    assert report("0.51 then 0.72").copied == ("q2",)  # every number of the answer is printed
    assert report("0.51 only").copied == ()
    assert report("0.4 and 0.9").copied == ("q2",)  # an accepted alternative, printed, can be copied too
    assert report("x is 3.05").copied == ("q3",)  # only the field the hidden checks compare
    full = report("82,347 0.2251 0.51 0.72 3")
    assert full.copied == ("q1.n", "q1.rate", "q2", "q3") and full.copied_points == 9 and full.share == 0.9


def test_variety_counts_seeds_sharing_a_reference_within_the_fields_tolerance():
    references = [{"a1": {"n": 1000 * (1 + s), "rate": 0.2 + 0.01 * (s // 3), "call": "ship" if s < 9 else "wait"},
                   "a2": [0.5, 0.7 + 0.001 * s], "a3": {"x": float(s)}} for s in range(10)]
    shares = {v.unit: (v.kind, v.modal_share, v.ok) for v in variety(SPEC, references)}
    assert shares == {
        "q1.n": ("numeric", 0.1, True),
        "q1.rate": ("numeric", 0.3, False),  # seeds 0-2 share 0.20 (and 3-5, 6-8): over 20%
        "q1.call": ("decision", 0.9, False),  # "ship" for 9 of 10 seeds: over 80%
        "q2": ("numeric", 1.0, False),  # every seed within 0.01 of every other
        "q3": ("numeric", 0.1, True),
    }


@pytest.mark.parametrize("kind, repeats, plausible", [
    ("numeric", 3, True),  # 25% of 12 seeds: common for a field that repeats for 15-20% of all seeds
    ("numeric", 4, True),
    ("numeric", 5, False),  # rare (7%) for a field at its 20% limit
    ("numeric", 12, False),  # a constant
    ("decision", 11, True),
    ("decision", 12, False),  # a constant decision
])
def test_a_few_seeds_flag_a_field_only_when_its_repeats_are_rare_at_its_limit(kind, repeats, plausible):
    from aipm_lab.grading.copying import Variety

    field = Variety("q1.x", kind, repeats / 12, 12)
    assert field.plausible() is plausible
    assert field.ok is (repeats / 12 <= field.limit)  # the 100-seed sweep's strict reading


def _judge(part, kind: str, numbers: np.ndarray) -> None:
    """Assert the copy limit, or, for a part in ``NOT_YET[kind]``, that it still fails (a strict xfail).

    Imperative rather than a mark, so that a lesson that breaks for the seed fails loudly even
    for a part not yet rewritten.
    """
    spec = read_spec(read_notebook(notebook_path(part, "solutions", ROOT)), part.number)
    report = copy_report(spec, reference_answers(part, SEED), numbers)
    summary = (f"part {part.number}: {report.copied_points}/{report.points} points ({report.share:.0%}) printed: "
               f"{', '.join(report.copied) or '-'}")
    print(summary)
    if part.number in NOT_YET[kind]:
        assert report.share > COPY_LIMIT, f"now within the limit: remove {part.number} from NOT_YET[{kind!r}]"
        pytest.xfail(f"{ISSUE}; {summary}")
    assert report.share <= COPY_LIMIT, f"more than {COPY_LIMIT:.0%} of the points are printed by the lesson: {summary}"


PARTS = [pytest.param(p, id=p.number) for p in authored_parts(ROOT)]
FIGURES_PENDING: dict[str, str] = {}
"""Lessons with a figure a reader cannot read (issue 22), and who fixes it; remove a lesson when it passes."""
_RUNS: dict[str, tuple] = {}
"""Part -> (executed lesson, figure findings), one run per part for this file's tests (one xdist unit)."""


def _run(part, tmp_path_factory):
    if part.number not in _RUNS:
        folder = tmp_path_factory.mktemp(f"lesson{part.number}")
        figures = folder / "figures.jsonl"
        ran = run_lesson(part, SEED, folder / "lesson.ipynb", ROOT, figure_check=figures)
        findings = [json.loads(line) for line in figures.read_text().splitlines()] if figures.exists() else []
        _RUNS[part.number] = (ran, findings)
    return _RUNS[part.number]


@pytest.mark.parametrize("part", PARTS)
def test_the_lesson_rerun_for_the_learners_seed_gives_away_at_most_a_fifth(part, tmp_path_factory):
    """The lesson runs for another seed (papermill raises on any error) and prints little of the exercise."""
    ran, _ = _run(part, tmp_path_factory)
    injected = [c.source for c in ran.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and f"seed = {SEED}" in injected[0]  # the lesson ran on the learner's seed
    _judge(part, "copy-rerun", printed_numbers(ran))


@pytest.mark.parametrize("part", PARTS)
def test_the_stored_lesson_gives_away_at_most_a_fifth(part):
    _judge(part, "copy-stored", printed_numbers(read_notebook(notebook_path(part, "notebooks", ROOT))))


@pytest.mark.parametrize("part", PARTS)
def test_every_lesson_figure_is_readable(part, tmp_path_factory):
    """Every figure the lesson shows (explorers' still pictures included), drawn for the exercise seed:
    no legend over the data, no label over another, nothing cut off at the axes
    (:func:`aipm_lab.course.figure_check.overlaps`)."""
    ran, findings = _run(part, tmp_path_factory)
    shown = sum("image/png" in o.get("data", {}) for c in ran.cells if c.cell_type == "code" for o in c.outputs)
    assert len(findings) == shown > 0  # every figure shown was checked
    bad = [f"cell {f['cell']} '{f['figure']}': {'; '.join(f['overlaps'])}" for f in findings if f["overlaps"]]
    if part.number in FIGURES_PENDING:
        assert bad, f"every figure is readable now: remove {part.number} from FIGURES_PENDING"
        pytest.xfail(f"issue 22, {FIGURES_PENDING[part.number]} fixes it: {bad[0]}")
    assert not bad, "\n".join(bad)
