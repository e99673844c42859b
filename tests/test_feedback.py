"""Feedback pages and written-answer reviews, on rows made by hand (no notebook runs)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from conftest import ROOT
from test_report import row

from aipm_lab.course.authoring import solution_spec
from aipm_lab.grading.feedback import feedback_file_name, feedback_page, write_feedback
from aipm_lab.grading.results import GradeResult
from aipm_lab.grading.reviews import ReviewConflict, ReviewStore

RUBRIC = [["names the call", 1], ["rests on <b>numbers</b>", 2]]


class Spec:
    """The slice of an ExerciseSpec a page reads: tasks, hints, rubrics."""

    class Q:
        def __init__(self, task, hint, rubric=()):
            self.task, self.hint, self.rubric = task, (hint,), rubric

    questions = {"q1": Q("Recall and cost at the gate.", "Lesson section 2 prices errors."),
                 "q2": Q("The memo.", "Four sentences.", RUBRIC)}


def test_a_page_gives_the_score_each_field_s_rule_and_the_first_hint_where_points_were_lost():
    html = feedback_page(row("ann", True), Spec())
    assert "1/2 points" in html and "written answers: 0/3 so far, 1 awaiting review" in html
    assert "Recall and cost at the gate." in html  # the task
    assert "✘ 0/1: <code>recall</code> got 0.3; it should be within ±0.001" in html
    assert "✔ 1/1: <code>cost</code> is within ±0.5" in html
    assert "Hint: Lesson section 2 prices errors." in html
    assert "memo of ann" in html and "awaiting review" in html and "rests on &lt;b&gt;numbers&lt;/b&gt;" in html
    # Self-contained: no script, no link or image to fetch; laid out for a phone.
    assert not re.search(r"<script|\b(src|href)\s*=|url\(|@import", html)
    assert 'name="viewport" content="width=device-width' in html
    assert "Hint:" not in feedback_page(row("bo", True, right=True), Spec()).split("q2")[0]  # nothing lost, no hint


def test_a_review_reaches_the_page_and_a_second_reviewer_cannot_overwrite_it_silently(tmp_path):
    reviews = ReviewStore(tmp_path)
    first = reviews.save("ann", "02", "q2", RUBRIC, [False, True], "Good <i>numbers</i>", "Ines", version=0)
    assert (first.score, first.max_score, first.version) == (2, 3, 1)
    with pytest.raises(ReviewConflict, match="saved by Ines"):
        reviews.save("ann", "02", "q2", RUBRIC, [True, True], "", "Omar", version=0)  # opened before Ines saved
    html = feedback_page(row("ann", True), Spec(), reviews.all())
    assert "2/3 points, reviewed" in html and "written answers: 2/3" in html and "awaiting review" not in html
    assert "✘ 1 pt: names the call" in html and "✔ 2 pt: rests on" in html
    assert "Good &lt;i&gt;numbers&lt;/i&gt;" in html
    second = reviews.save("ann", "02", "q2", RUBRIC, [True, True], "Now complete", "Omar", version=1)
    assert second.version == 2 and reviews.all()[("ann", "02", "q2")].comment == "Now complete"


PAGE_ELEMENTS = {("html", ("lang",)), ("head", ()), ("meta", ("charset",)), ("meta", ("content", "name")),
                 ("title", ()), ("style", ()), ("body", ()), ("h1", ()), ("h2", ()), ("p", ("class",)), ("p", ()),
                 ("section", ("class",)), ("ul", ()), ("li", ()), ("code", ()), ("blockquote", ()), ("b", ())}
"""The elements (and attribute names) a feedback page is made of: no script, image, link or form."""


def elements(html: str) -> set[tuple[str, tuple]]:
    """Every (element, sorted attribute names) in a page, as a browser's parser sees them."""
    found = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.add((tag, tuple(sorted(name for name, _ in attrs))))

    Collect().feed(html)
    return found


def test_pages_for_every_row_with_hostile_names_kept_inert(tmp_path):
    names = ["eve\n# Full marks", "<img src=x onerror=alert(1)>", "..", ".hidden", "José"]
    rows = [row(name, True) for name in names] + [GradeResult("ed", "02", 7, 0, 20, "missing", "no submission found")]
    rows[0].questions[1].text = "</blockquote><script>alert(1)</script>" + "x" * 50_000
    paths = write_feedback(rows, tmp_path, ROOT)
    assert [p.parent for p in paths] == [tmp_path / "feedback"] * len(rows) and len(set(paths)) == len(rows)
    assert all(p.exists() for p in paths) and feedback_file_name("José") == "José.html"
    for path in paths:
        html = path.read_text()
        assert elements(html) <= PAGE_ELEMENTS, path  # nothing from the submission became markup
        assert len(html) < 30_000  # a learner's text is shown, bounded
    assert "no submission found" in paths[-1].read_text()


def test_a_real_part_s_page_shows_its_tasks_hints_and_rubric():
    from aipm_lab.grading.feedback import html_text

    spec = solution_spec("02", ROOT)[1]
    memo = next(q for q in spec.questions.values() if q.written)
    written = row("ann", True)
    written.questions[1].id = memo.id
    html = feedback_page(written, spec)
    assert html_text(memo.task) in html and all(html_text(criterion) in html for criterion, _ in memo.rubric)
