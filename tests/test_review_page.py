"""The review page's server and handlers, on a grading folder made by hand (no notebook runs, no browser).

The same folder is scored in Chromium by tests/test_browser.py::test_review_page_keeps_ticks_and_comments.
"""

from __future__ import annotations

import csv
import json
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from conftest import ROOT
from test_report import row

from aipm_lab.course.authoring import solution_spec
from aipm_lab.grading.report import write_all
from aipm_lab.grading.results import GradingError
from aipm_lab.grading.review_page import Review, serve

HOSTILE = "<img src=x onerror=alert(1)>"


def graded_folder(folder: Path) -> tuple[Path, str]:
    """A part-02 grading folder written by hand: ann, bo and a hostile name answered the memo, blank0 did not.

    Returns the folder and the memo's question id.
    """
    memo = next(q for q in solution_spec("02", ROOT)[1].questions.values() if q.written).id
    rows = [row("ann", True), row("bo", True, right=True), row(HOSTILE, True), row("blank0", False)]
    for r in rows:
        r.questions[1].id = memo
        r.questions[0].answer = f"{{'recall': 0.{len(r.submission)}, 'cost': 12.5}}"  # as the grader keeps it
    rows[2].questions[1].text = "</blockquote><script>alert(2)</script>"
    write_all(rows, folder, base=ROOT)
    return folder, memo


@pytest.fixture
def server(tmp_path):
    folder, memo = graded_folder(tmp_path / "g")
    review = Review(folder, "Ines")
    httpd, address = serve(review)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield review, address, memo
    finally:
        httpd.shutdown()
        httpd.server_close()


def post(address: str, fields: dict, json_reply: bool = True) -> tuple[int, object]:
    base, _, query = address.partition("/?")
    data = urlencode({**fields, "token": query.removeprefix("token=")}, doseq=True).encode()
    request = urllib.request.Request(f"{base}/save", data=data,
                                     headers={"Accept": "application/json"} if json_reply else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read().decode()
            return response.status, json.loads(body) if json_reply else body
    except urllib.error.HTTPError as exc:
        body = exc.read().decode()
        return exc.code, json.loads(body) if json_reply else body


def grades_csv(folder: Path) -> dict[str, dict]:
    with open(folder / "grades.csv", newline="") as f:
        return {r["submission"]: r for r in csv.DictReader(f)}


def test_the_page_sets_each_answer_beside_the_learner_s_numbers_and_the_rubric_with_everything_escaped(server):
    review, address, memo = server
    with urllib.request.urlopen(address, timeout=30) as response:
        page = response.read().decode()
    rubric = review.questions["02", memo].rubric
    assert all(criterion.split("`")[0][:30] in page for criterion, _ in rubric)  # `code` spans become <code>
    assert "memo of ann" in page and "{&#x27;recall&#x27;: 0.3, &#x27;cost&#x27;: 12.5}" in page
    assert "0 of 3 reviewed" in page and "No written answer from: blank0" in page
    assert page.count("awaiting review") == 3

    scripts = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            scripts.extend([tag] if tag in ("script", "img") else [])

    Collect().feed(page)
    assert scripts == ["script"]  # the page's own; the hostile name and answer stay text


def test_a_save_reaches_every_output_and_a_stale_one_is_refused(server):
    review, address, memo = server
    folder = review.folder
    assert grades_csv(folder)["ann"][memo] == "awaiting review"  # never 0 before a review
    status, reply = post(address, {"learner": "ann", "part": "02", "question": memo, "met": ["0"],
                                   "comment": "Follows from <b>your</b> numbers", "version": "0"})
    assert status == 200 and reply["version"] == 1
    points = review.questions["02", memo].rubric[0][1]
    assert reply["score"] == points and "saved by Ines" in reply["status"]
    rows = grades_csv(folder)
    assert rows["ann"][memo] == str(points) and rows["bo"][memo] == "awaiting review"
    ann = next(r for r in json.loads((folder / "grades.json").read_text()) if r["submission"] == "ann")
    written = next(q for q in ann["questions"] if q["id"] == memo)
    assert (written["status"], written["score"]) == ("reviewed", points) and "Follows from" in written["message"]
    assert ann["score"] == 1  # the grader's score is never re-graded or mixed with the review
    feedback = (folder / "feedback" / "ann.html").read_text()
    assert "Follows from &lt;b&gt;your&lt;/b&gt; numbers" in feedback and "reviewed" in feedback
    assert "| 1 | 2 | 1 |" in (folder / "report.md").read_text()  # reviewed, awaiting, not answered

    # A second reviewer who opened the page before that save: refused, and nothing overwritten.
    status, reply = post(address, {"learner": "ann", "part": "02", "question": memo, "comment": "", "version": "0"})
    assert status == 409 and "saved by Ines" in reply["error"]
    assert grades_csv(folder)["ann"][memo] == str(points)
    # Resuming: a new session reads the saved state.
    again = Review(folder, "Omar")
    assert again.store.all()[("ann", "02", memo)].comment == "Follows from <b>your</b> numbers"
    assert "1 of 3 reviewed" in again.page(("02", memo), "t")


def test_requests_without_the_token_or_for_nothing_are_refused(server, tmp_path):
    review, address, memo = server
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(address.split("?")[0], timeout=30)
    assert denied.value.code == 403
    status, reply = post(address.replace("token=", "token=x"), {"learner": "ann", "part": "02", "question": memo})
    assert status == 403
    status, reply = post(address, {"learner": "nobody", "part": "02", "question": memo, "version": "0"})
    assert status == 400 and "no written answer" in reply["error"]
    status, reply = post(address, {"learner": "bo", "part": "02", "question": memo, "version": "3"})
    assert status == 409 and "no review of version 3" in reply["error"]  # a forged version: refused, no crash
    status, body = post(address, {"learner": "bo", "part": "02", "question": memo, "met": ["1"], "version": "0"},
                        json_reply=False)  # the Save button without script: back to the page
    assert status == 200 and "1 of 3 reviewed" in body
    with pytest.raises(GradingError, match="no grades.json"):
        Review(tmp_path / "elsewhere", "Ines")


def test_the_grader_keeps_each_learner_s_own_answer_for_the_review_page():
    from aipm_lab.grading.grader import judge

    spec = solution_spec("02", ROOT)[1]
    q = next(q for q in spec.questions.values() if not q.written)
    rows = {r.id: r for r in judge(spec, {q.answer: 0.25}, {q.answer: 0.75, "ACCEPTED": {}}, [])}
    assert rows[q.id].answer == "0.25"  # right or wrong, the value the learner's memo should follow from
    answer = {"recall": 2 / 3, "ship": "plain", "notes": "x" * 500}
    rows = {r.id: r for r in judge(spec, {q.answer: answer}, {q.answer: 0.75, "ACCEPTED": {}}, [])}
    assert rows[q.id].answer.startswith("recall: 0.666667, ship: 'plain', notes: 'xxx")
    assert len(rows[q.id].answer) <= 300  # bounded, whatever the learner put in
