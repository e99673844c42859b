"""Write grading results in the formats instructors' tools read.

Names and messages come from learners (file names, roster entries, their answers and
errors quoted in feedback), so every output escapes them for its format: a CSV cell a
spreadsheet would run as a formula, Markdown that would become a heading, link, image
or HTML, control characters on the terminal. Every file is written whole (see
:func:`aipm_lab.grading.files.replacing`).
"""

from __future__ import annotations

import csv
import json
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import asdict
from pathlib import Path

from aipm_lab.grading.files import replacing, write_text
from aipm_lab.grading.results import GradeResult

CSV_COLUMNS = ["submission", "part", "seed", "score", "max_score"]
AWAITING = "awaiting review"
"""What a written answer's column and figures show until a person scores it (never 0)."""
RUN_FILE = "run.json"
"""What else a run's outputs were written from (curriculum, files skipped, integrity signals): the review
page rewrites them after each save from grades.json, the reviews and this."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a CSV cell as a formula (OWASP's list for CSV injection)."""


def csv_cell(value):
    """``value`` safe for a spreadsheet: text that starts like a formula gets a leading quote (OWASP's rule)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def one_line(text: str, limit: int = 300) -> str:
    """``text`` on one line: control, format and line-separator characters become spaces; cut to ``limit``."""
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


_MARKDOWN = re.compile(r"[\\`*_{}\[\]()#!|<>~&:@]")
_WWW = re.compile(r"(?i)\bwww\.")


def markdown_text(text: str, limit: int = 300) -> str:
    """Untrusted text as inert Markdown on one line: no heading, emphasis, link, image, HTML or table cell break.

    Every character CommonMark or GitHub's tables and autolinks act on is backslash-escaped;
    ``www.`` is broken up as GitHub links it without a scheme.
    """
    return _WWW.sub(r"www\\.", _MARKDOWN.sub(r"\\\g<0>", one_line(text, limit)))


def _columns(result: GradeResult, several_parts: bool) -> dict[str, int]:
    """Score columns of one row: one per question, then one per scored field (``q4.threshold``)."""
    prefix = f"{result.part}:" if several_parts else ""
    # A written answer nobody has scored yet has no score: never a 0 a spreadsheet would average in.
    columns = {f"{prefix}{q.id}": AWAITING if q.status == "awaiting-review" else q.score for q in result.questions}
    columns.update({f"{prefix}{q.id}.{f.field}": f.score for q in result.questions for f in q.fields})
    return columns


def write_csv(results: list[GradeResult], path: Path) -> None:
    """``grades.csv``: one row per submission, one column per question id, then one per scored field.

    Question columns are prefixed with the part (``02:q1``) when the run mixes parts; a
    question with points per field also gets a column per field (``q4.threshold``).
    """
    several = len({r.part for r in results if r.part}) > 1
    questions: list[str] = []
    fields: list[str] = []
    for r in results:
        for column in _columns(r, several):
            target = fields if "." in column.rsplit(":", 1)[-1] else questions
            if column not in target:
                target.append(column)
    with replacing(path) as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(map(csv_cell, CSV_COLUMNS + questions + fields))
        for r in results:
            scores = _columns(r, several)
            writer.writerow(map(csv_cell, [r.submission, r.part or "", "" if r.seed is None else r.seed, r.score,
                                           r.max_score] + [scores.get(c, "") for c in questions + fields]))


def write_json(results: list[GradeResult], path: Path) -> None:
    """``grades.json``: the full record of every submission, with per-question feedback."""
    records = []
    for r in results:
        record = r.to_dict()
        record.pop("seconds")
        records.append(record)
    write_text(path, json.dumps(records, indent=2) + "\n")


def question_stats(results: list[GradeResult]) -> list[dict]:
    """Cohort statistics per question: how many passed, got part of the points, failed or left it unanswered."""
    stats: dict[tuple, dict] = {}
    for r in results:
        for q in r.questions:
            row = stats.setdefault((r.part, q.id), {"part": r.part, "question": q.id, "kind": q.kind,
                                                    "max_score": q.max_score,
                                                    "submissions": 0, "passed": 0, "partial": 0, "failed": 0,
                                                    "not_answered": 0, "awaiting_review": 0, "reviewed": 0,
                                                    "mean_score": 0.0})
            row["submissions"] += 1
            row[q.status.replace("-", "_")] += 1
            row["mean_score"] += q.score
    for row in stats.values():
        row["mean_score"] = round(row["mean_score"] / row["submissions"], 3)
        row["pass_rate"] = round(row["passed"] / row["submissions"], 3)
    return list(stats.values())


def write_stats(results: list[GradeResult], path: Path) -> None:
    """``questions.csv``: :func:`question_stats` as a table."""
    rows = question_stats(results)
    with replacing(path) as f:
        writer = csv.DictWriter(f, fieldnames=["part", "question", "kind", "max_score", "submissions", "passed",
                                               "partial", "failed", "not_answered", "awaiting_review", "reviewed",
                                               "mean_score", "pass_rate"], lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)


def _gradescope_output(question) -> str:
    """A question's feedback, with one line per scored field."""
    lines = [question.message]
    lines += [f"{'✔' if f.status == 'passed' else '✘'} {f.field}: {f.score}/{f.max_score}" for f in question.fields]
    return "\n".join(lines)


def gradescope(result: GradeResult) -> dict:
    """One submission in Gradescope's autograder ``results.json`` format.

    A written answer is a zero-point test whose output is the learner's text (plain, never
    rendered): graders score it in Gradescope's own manual-grading view.
    """
    tests = [{"name": q.id, "score": q.score, "max_score": q.max_score, "output": _gradescope_output(q),
              "status": "passed" if q.status == "passed" else "failed", "visibility": "visible"}
             if q.kind != "written" else
             {"name": f"{q.id} (written answer, scored by hand)", "score": 0, "max_score": 0,
              "output": q.text or one_line(q.message), "output_format": "text", "visibility": "visible"}
             for q in result.questions]
    out = {"score": result.score, "max_score": result.max_score, "tests": tests}
    notes = [f"{result.status}: {result.message}".rstrip(": ")] if result.status != "graded" or result.message else []
    waiting = [q.id for q in result.questions if q.status == "awaiting-review"]
    notes += [f"written answers awaiting review: {', '.join(waiting)}"] if waiting else []
    if notes:
        out["output"] = "\n".join(notes)
    return out


def untouched_template(result: GradeResult) -> bool:
    """Whether a notebook ran but set no answer and wrote nothing: most likely the template handed in as it was."""
    return result.status == "graded" and bool(result.questions) and \
        all(q.status == "not-answered" for q in result.questions)


def count_line(results: list[GradeResult]) -> str:
    """How many rows the run has and what became of them: the one count the terminal and the report share."""
    missing = sum(r.status == "missing" for r in results)
    clean = sum(r.status == "graded" for r in results)
    blank = sum(map(untouched_template, results))
    problems = len(results) - missing - clean
    parts = [f"{len(results) - missing} submission(s) handed in", f"{clean} graded"]
    parts += [f"{blank} with no answer set"] if blank else []
    parts += [f"{problems} not graded cleanly"] if problems else []
    parts += [f"{missing} missing"] if missing else []
    return ", ".join(parts)


def summary(results: list[GradeResult], skipped: list[str] = (), flags: list = ()) -> str:
    """A few lines of cohort statistics for the terminal (the same counts as :func:`cohort_report`)."""
    scores = [r.score / r.max_score for r in _scored(results)]
    lines = [count_line(results)]
    if scores:
        lines.append(f"score: mean {statistics.mean(scores):.0%}, median {statistics.median(scores):.0%}, "
                     f"min {min(scores):.0%}, max {max(scores):.0%}")
    modes = {r.isolation for r in results if r.isolation}
    if modes:
        lines.append(f"isolation: {', '.join(sorted(modes))}" + (
            "" if modes == {"namespaces"} else
            " (student code could read what the grading user can read: see the README's \"Isolation\")"))
    problems = [r for r in results if r.status not in ("graded", "missing")]
    if problems:
        lines.append(f"{len(problems)} not graded cleanly: " +
                     ", ".join(f"{one_line(r.submission, 80)} ({r.status})" for r in problems))
    blank = [one_line(r.submission, 80) for r in results if untouched_template(r)]
    if blank:
        lines.append(f"no answer set (an untouched template?): {', '.join(blank)}")
    if skipped:
        lines.append(f"not notebooks, not graded: {', '.join(one_line(s, 80) for s in skipped)}")
    if flags:
        lines.append(f"{len(flags)} integrity signal(s) to review (not penalties): see report.md")
    for row in question_stats(results):
        if row["kind"] == "written":
            lines.append(f"  {row['part']} {row['question']}: written, {row['reviewed']} reviewed, "
                         f"{row['awaiting_review']} awaiting review, {row['not_answered']} not answered")
        else:
            lines.append(f"  {row['part']} {row['question']}: {row['pass_rate']:.0%} passed, "
                         f"{row['partial']} partial, {row['not_answered']} not answered")
    return "\n".join(lines)


def _scored(results: list[GradeResult]) -> list[GradeResult]:
    """Rows with a score to count in the distribution: handed in, of a known part."""
    return [r for r in results if r.max_score and r.status != "missing"]


_MARK = {"passed": "✔", "partial": "◐", "failed": "✘", "not-answered": "✘", "awaiting-review": "✎"}


def submission_report(result: GradeResult) -> str:
    """One graded notebook, question by question and field by field, for the terminal.

    What a learner grading their own notebook reads: the score, each question's verdict,
    each field's points and, where points were lost, the rule and the first-level hint.
    """
    head = f"{one_line(result.submission)}: part {result.part}, seed {result.seed}: {result.score}/{result.max_score} points"
    if result.written_max:
        waiting = any(q.status == "awaiting-review" for q in result.questions)
        head += f" (+{result.written_max} written" + (", awaiting review)" if waiting else ")")
    if result.status != "graded" or result.message:
        head += f"\n  {result.status}: {one_line(result.message)}".rstrip(": ")
    lines = [head]
    for q in result.questions:
        if q.status in ("awaiting-review", "reviewed"):
            lines.append(f"  ✎ {q.id}: written answer, " + (f"{q.score}/{q.max_score}, reviewed" if q.status ==
                                                               "reviewed" else f"{q.max_score} pt, awaiting review"))
            continue
        lines.append(f"  {_MARK.get(q.status, '?')} {q.id}: {q.score}/{q.max_score}"
                     + ("" if q.fields and q.status != "not-answered" else f"  {q.message}"))
        if q.status == "not-answered":
            continue
        for f in q.fields:
            detail = "" if f.status == "passed" else f"  {f.message}"
            lines.append(f"      {'✔' if f.status == 'passed' else '✘'} {f.field}: {f.score}/{f.max_score}{detail}")
        hint = q.message.partition(" Hint: ")[2]
        if q.fields and hint:
            lines.append(f"      Hint: {hint}")
    return "\n".join(lines)


def failure_kind(message: str) -> str:
    """A feedback line without the learner's own value, so the same mistake counts once across a cohort."""
    return re.sub(r"got .*?; (it )?", "", message.split(" Hint:")[0]).replace("` should", "`: should").strip()


def _field_line(f) -> str:
    """A field's feedback line, naming the field once (the checks' messages usually name it already)."""
    return f.message if f.message.startswith(f"`{f.field}`") else f"`{f.field}` {f.message}"


def common_failures(results: list[GradeResult]) -> dict[tuple, tuple[str, int]]:
    """Per (part, question): the most frequent failure among those who answered and lost points, and its count.

    Unanswered questions and fields are counted apart (``not_answered`` in :func:`question_stats`):
    a few untouched notebooks would otherwise make "not set" every question's most common failure.
    """
    counts: dict[tuple, Counter] = {}
    for r in results:
        for q in r.questions:
            if q.status not in ("failed", "partial"):
                continue
            lost = [_field_line(f) for f in q.fields if f.score < f.max_score and f.status != "not-answered"]
            if lost or not q.fields:
                counts.setdefault((r.part, q.id), Counter()).update({failure_kind((lost or [q.message])[0]): 1})
    return {key: c.most_common(1)[0] for key, c in counts.items()}


def integrity_lines(flags: list) -> list[str]:
    """The report's list of integrity signals (:mod:`aipm_lab.grading.integrity`), names escaped."""
    lines = []
    for flag in flags:
        who = " and ".join(map(markdown_text, flag.learners))
        if flag.kind == "typed":
            lines.append(f"- {who}: answers typed in as bare numbers or text, with nothing computed in their cell: "
                         f"{markdown_text(flag.detail)}")
        else:
            lines.append(f"- {who}: nearly the same code (token similarity {flag.score:.2f})")
    return lines


def cohort_report(results: list[GradeResult], out: Path, skipped: list[str] = (), flags: list = ()) -> list[Path]:
    """``report.md`` with ``scores.png`` and ``questions.png``: the cohort in one look.

    The score distribution, the pass rate of every question, the hardest questions and the
    most common failure message of each question.
    """
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, safe in any thread
    from matplotlib.ticker import MaxNLocator

    graded = _scored(results)
    shares = [100 * r.score / r.max_score for r in graded]
    # Written answers await review: a pass rate says nothing about them yet.
    every = question_stats(results)
    stats = sorted((row for row in every if row["kind"] == "auto"), key=lambda row: row["pass_rate"])
    written = [row for row in every if row["kind"] == "written"]
    failures = common_failures(results)
    label = (lambda row: f"{row['part']} {row['question']}") if len({r.part for r in results}) > 1 else \
        (lambda row: row["question"])

    fig = Figure(figsize=(6, 3.2), dpi=100)
    ax = fig.add_subplot()
    ax.hist(shares, bins=range(0, 105, 10), color="#4c72b0", edgecolor="white")
    ax.set(title=f"Scores of {len(graded)} submissions", xlabel="score (% of the maximum)", ylabel="submissions")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # a count of submissions: no 0.5 ticks
    fig.tight_layout()
    with replacing(out / "scores.png", "wb") as f:
        fig.savefig(f, format="png")
    fig = Figure(figsize=(6, 1.2 + 0.35 * max(1, len(stats))), dpi=100)
    ax = fig.add_subplot()
    ax.barh([label(row) for row in stats], [100 * row["pass_rate"] for row in stats], color="#dd8452")
    ax.set(title="Share of submissions with full marks, per question", xlabel="passed (%)", xlim=(0, 100))
    fig.tight_layout()
    with replacing(out / "questions.png", "wb") as f:
        fig.savefig(f, format="png")

    lines = [f"# Cohort report: {count_line(results)}", ""]
    if shares:
        lines += [f"Mean score {statistics.mean(shares):.0f}%, median {statistics.median(shares):.0f}%, "
                  f"{sum(s == 100 for s in shares)} with full marks, {sum(s == 0 for s in shares)} with none.", ""]
    lines += ["![Score distribution](scores.png)", "", "## Hardest questions", ""]
    lines += [f"{i}. **{label(row)}**: {row['pass_rate']:.0%} passed, mean {row['mean_score']:g} of "
              f"{row['max_score']} points" for i, row in enumerate(stats[:3], 1)]
    lines += ["", "![Pass rate per question](questions.png)", "", "## Most common failure per question", "",
              "| question | passed | not answered | most common failure | submissions |", "|---|---|---|---|---|"]
    for row in sorted(stats, key=lambda row: (row["part"], row["question"])):
        message, count = failures.get((row["part"], row["question"]), ("", 0))
        lines.append(f"| {label(row)} | {row['pass_rate']:.0%} | {row['not_answered']} | "
                     f"{markdown_text(message) or '-'} | {count} |")
    if written:
        lines += ["", "## Written answers", "", "| question | reviewed | awaiting review | not answered | "
                  "mean of those reviewed |", "|---|---|---|---|---|"]
        for row in sorted(written, key=lambda row: (row["part"], row["question"])):
            scores = [q.score for r in results if r.part == row["part"] for q in r.questions
                      if q.id == row["question"] and q.status == "reviewed"]
            mean = f"{statistics.mean(scores):.3g} of {row['max_score']}" if scores else "-"
            lines.append(f"| {label(row)} | {row['reviewed']} | {row['awaiting_review']} | {row['not_answered']} | "
                         f"{mean} |")
    problems = [r for r in results if r.status not in ("graded", "missing")]
    missing = [r.submission for r in results if r.status == "missing"]
    blank = [r.submission for r in results if untouched_template(r)]
    if problems or missing or blank or skipped:
        lines += ["", "## Needs a look", ""]
        lines += [f"- {markdown_text(r.submission)}: {r.status} ({markdown_text(r.message)})" for r in problems]
        lines += [f"- no answer set (an untouched template?): {', '.join(map(markdown_text, blank))}"] if blank else []
        lines += [f"- no submission from: {', '.join(map(markdown_text, missing))}"] if missing else []
        lines += [f"- not notebooks, not graded: {', '.join(map(markdown_text, skipped))}"] if skipped else []
    if flags:
        lines += ["", "## Integrity signals (for review, not penalties)", ""] + integrity_lines(flags)
    write_text(out / "report.md", "\n".join(lines) + "\n")
    return [out / "report.md", out / "scores.png", out / "questions.png"]


def write_all(results: list[GradeResult], out: Path, gradescope_file: bool = False,
              skipped: list[str] = (), base: Path | None = None, flags: list = ()) -> list[Path]:
    """Write grades.csv, grades.json, questions.csv and ``feedback/`` (and results.json) into ``out``.

    Every row gets its feedback page (:mod:`aipm_lab.grading.feedback`; ``base`` is the
    curriculum graded against). A cohort (two or more rows) also gets :func:`cohort_report`;
    ``skipped`` names the files found beside the notebooks that are not notebooks (listed
    there, never silently dropped); ``flags`` are the run's integrity signals, listed there too.
    Written answers scored on the review page (``reviews.sqlite`` in ``out``) count as
    reviewed (:func:`~aipm_lab.grading.reviews.with_reviews`); ``run.json`` keeps ``base``,
    ``skipped`` and ``flags`` so that the review page can write these files again.
    """
    from aipm_lab.grading.feedback import FOLDER, write_feedback
    from aipm_lab.grading.reviews import ReviewStore, with_reviews

    out.mkdir(parents=True, exist_ok=True)
    results = with_reviews(results, ReviewStore(out).all())  # scores saved on the review page, if any
    write_text(out / RUN_FILE, json.dumps({"curriculum": str(base) if base else None, "skipped": list(skipped),
                                           "flags": [asdict(f) for f in flags]}, indent=2) + "\n")
    paths = [out / "grades.csv", out / "grades.json", out / "questions.csv"]
    write_csv(results, paths[0])
    write_json(results, paths[1])
    write_stats(results, paths[2])
    write_feedback(results, out, base)
    paths.append(out / FOLDER)
    if gradescope_file:
        paths.append(out / "results.json")
        write_text(paths[-1], json.dumps(gradescope(results[0]), indent=2) + "\n")
    if len(results) > 1:
        paths += cohort_report(results, out, skipped, flags)
    return paths
