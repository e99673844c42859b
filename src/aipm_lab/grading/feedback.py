"""One feedback page per learner: ``feedback/<learner>.html``, to hand back after grading.

Self-contained (inline style, no script, no network) and laid out for a phone: the score,
each question's task and verdict, each field's verdict with the rule it was checked by in
plain words (the learner's own value, never the reference), the first-level hint where
points were lost, and the written answers as the learner wrote them, "awaiting review"
until a person scores them (then the rubric criteria met, the score and the comment,
from :mod:`aipm_lab.grading.reviews`). Everything that comes from a submission (names,
answers, messages quoting them) is HTML-escaped and bounded in length.

Written with the standard library's :mod:`html` escaping and an f-string template: the page
is small and fixed, and a template engine would add a dependency for no gain.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from aipm_lab.grading.files import replacing
from aipm_lab.grading.results import GradeResult, QuestionResult
from aipm_lab.grading.reviews import ReviewStore, WrittenReview

FOLDER = "feedback"
MAX_TEXT = 20_000
"""Characters of a learner's written answer shown (the rest is cut, with a note)."""

_STYLE = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:44em;padding:1em;color:#222}
h1{font-size:1.4em;margin:.2em 0}h2{font-size:1.1em;margin:0 0 .3em}
.score{font-size:1.2em;font-weight:600}.note{color:#555}
section{border:1px solid #ddd;border-left:6px solid #bbb;border-radius:6px;padding:.6em .8em;margin:1em 0}
.passed{border-left-color:#2e7d32}.partial{border-left-color:#f9a825}.failed,.not-answered{border-left-color:#c62828}
.awaiting-review,.reviewed{border-left-color:#1565c0}
ul{padding-left:1.2em;margin:.3em 0}li{margin:.2em 0}
code{background:#f3f3f3;border-radius:3px;padding:0 .2em;overflow-wrap:anywhere}
blockquote{white-space:pre-wrap;overflow-wrap:anywhere;background:#f7f7f7;margin:.4em 0;padding:.5em .7em;
border-left:3px solid #ccc}
.hint{background:#fff8e1;padding:.3em .6em;border-radius:4px}
"""

_MARK = {"passed": "✔", "partial": "◐", "failed": "✘", "not-answered": "✘", "awaiting-review": "✎", "reviewed": "✎"}


def html_text(value, limit: int = 2_000) -> str:
    """Untrusted text as inert HTML, cut to ``limit`` characters; `code` spans kept as code."""
    value = str(value)
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return re.sub(r"`([^`\n]{1,200})`", r"<code>\1</code>", html.escape(value))


def feedback_file_name(learner: str) -> str:
    """A learner's feedback file name: their name with only path separators and control characters replaced."""
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "_", learner)[:200]
    return ("_" + name[1:] if name.startswith(".") else name or "_") + ".html"


def _rule(message: str) -> str:
    """A feedback message without its hint (shown on its own line)."""
    return re.sub(r"^(passed: |\d+/\d+ points\. )", "", message.split(" Hint: ")[0])


def _question(q: QuestionResult, spec, review: WrittenReview | None) -> str:
    task = f'<p class="note">{html_text(spec.task)}</p>' if spec is not None and spec.task else ""
    hint = spec.hint[0] if spec is not None and spec.hint else q.message.partition(" Hint: ")[2]
    if q.kind == "written":
        return _written(q, spec, review, task, hint)
    head = f"<h2>{_MARK.get(q.status, '?')} {html_text(q.id)} · {q.score}/{q.max_score} points</h2>{task}"
    if q.fields and q.status != "not-answered":
        body = "<ul>" + "".join(
            f'<li>{"✔" if f.status == "passed" else "✘"} {f.score}/{f.max_score}: {html_text(f.message)}</li>'
            for f in q.fields) + "</ul>"
    else:
        body = f"<p>{html_text(_rule(q.message))}</p>"
    tip = f'<p class="hint">Hint: {html_text(hint)}</p>' if q.status != "passed" and hint else ""
    return f'<section class="{q.status}">{head}{body}{tip}</section>'


def _written(q: QuestionResult, spec, review: WrittenReview | None, task: str, hint: str) -> str:
    answer = q.text if len(q.text) <= MAX_TEXT else q.text[:MAX_TEXT] + f"\n[… cut at {MAX_TEXT} characters]"
    quoted = f"<blockquote>{html.escape(answer)}</blockquote>" if q.text else ""
    rubric = list(spec.rubric) if spec is not None else []
    if review is not None and q.text:
        status, head = "reviewed", f"{review.score}/{review.max_score} points, reviewed"
        items = "".join(f'<li>{"✔" if met else "✘"} {points} pt: {html_text(criterion)}</li>'
                        for (criterion, points), met in zip(rubric, review.met))
        body = f"<ul>{items}</ul>" + (f"<p><b>Comment:</b> {html_text(review.comment, MAX_TEXT)}</p>"
                                       if review.comment else "")
    elif q.text:
        status, head = "awaiting-review", f"{q.max_score} points, awaiting review"
        items = "".join(f"<li>{points} pt: {html_text(criterion)}</li>" for criterion, points in rubric)
        body = f'<p class="note">Your instructor scores it against these criteria:</p><ul>{items}</ul>' if items else ""
    else:
        status, head = "not-answered", f"0/{q.max_score} points"
        body = f"<p>{html_text(_rule(q.message))}</p>" + (f'<p class="hint">Hint: {html_text(hint)}</p>' if hint else "")
    return (f'<section class="{status}"><h2>{_MARK[status]} {html_text(q.id)} · written answer · {head}</h2>'
            f"{task}{quoted}{body}</section>")


def feedback_page(result: GradeResult, spec=None, reviews: dict | None = None) -> str:
    """The feedback page of one row.

    Parameters
    ----------
    result : GradeResult
    spec : ExerciseSpec, optional
        The part's spec, for each question's task, first hint and rubric (all public).
    reviews : dict, optional
        (learner, part, question) -> :class:`~aipm_lab.grading.reviews.WrittenReview`.
    """
    reviews = reviews or {}
    questions = spec.questions if spec is not None else {}
    mine = {q.id: reviews.get((result.submission, result.part or "", q.id)) for q in result.questions}
    reviewed = sum(r.score for r in mine.values() if r is not None)
    waiting = sum(q.status == "awaiting-review" and mine[q.id] is None for q in result.questions)
    score = f"{result.score}/{result.max_score} points"
    if result.written_max:
        score += f" · written answers: {reviewed}/{result.written_max}" + (
            f" so far, {waiting} awaiting review" if waiting else "")
    status = "" if result.status == "graded" and not result.message else \
        f'<p class="note">{html_text(result.status)}: {html_text(result.message)}</p>'
    title = f"Part {result.part or '?'} · feedback for {result.submission}"
    body = "".join(_question(q, questions.get(q.id), mine[q.id]) for q in result.questions)
    seed = f" · data variant (seed) {result.seed}" if result.seed is not None else ""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html_text(title, 300)}</title><style>{_STYLE}</style></head><body>"
            f"<h1>{html_text(title, 300)}</h1><p class=\"score\">{score}</p><p class=\"note\">Automatically graded"
            f"{seed}. Each answer was checked against the right answer for your own data variant; the checks are "
            f"described below, the right answers are not.</p>{status}{body}</body></html>\n")


def write_feedback(results: list[GradeResult], out: Path, base: Path | None = None) -> list[Path]:
    """``out/feedback/<learner>.html`` for every row, with the reviews saved in ``out`` so far.

    ``base`` is the curriculum the run graded against (for the tasks, hints and rubrics).
    """
    from aipm_lab.course.authoring import solution_spec
    from aipm_lab.course.curriculum import CurriculumError

    specs: dict[str, object] = {}
    for part in {r.part for r in results if r.part}:
        try:
            specs[part] = solution_spec(part, base)[1]
        except (CurriculumError, OSError):
            specs[part] = None  # a page without tasks and rubrics rather than none
    reviews = ReviewStore(out).all()
    folder = out / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for r in results:
        paths.append(folder / feedback_file_name(r.submission))
        with replacing(paths[-1]) as f:
            f.write(feedback_page(r, specs.get(r.part), reviews))
    return paths
