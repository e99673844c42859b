"""Scores a person gives written answers against their rubric, kept beside a run's grades.

One row per (learner, part, question) in ``GRADES_DIR/reviews.sqlite``: which rubric
criteria were met, the score they add up to, the reviewer's comment, who saved it, when,
and a version number. A save names the version the reviewer started from and is refused
if someone else saved in between, so two reviewers never overwrite each other silently;
every save is also kept in a history table. The feedback files read the current rows; the
review page writes them.

SQLite (the standard library's ``sqlite3``) because reviews are written one at a time by
possibly several processes: it gives locking, transactions and crash safety with no server.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from aipm_lab.grading.results import GradingError

FILE = "reviews.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reviews (
    learner TEXT NOT NULL, part TEXT NOT NULL, question TEXT NOT NULL,
    met TEXT NOT NULL,          -- JSON list of booleans, one per rubric criterion
    score INTEGER NOT NULL, max_score INTEGER NOT NULL,
    comment TEXT NOT NULL, reviewer TEXT NOT NULL, saved TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (learner, part, question)
);
CREATE TABLE IF NOT EXISTS review_history AS SELECT * FROM reviews WHERE 0;
"""


class ReviewConflict(GradingError):
    """Someone else saved this answer's review since the reviewer loaded it."""


@dataclass(frozen=True)
class WrittenReview:
    """One written answer's review: the rubric criteria met, the score, the comment."""

    learner: str
    part: str
    question: str
    met: tuple[bool, ...]
    score: int
    max_score: int
    comment: str
    reviewer: str
    saved: str
    version: int


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30, isolation_level=None)  # transactions are explicit (BEGIN IMMEDIATE)
    db.executescript(_SCHEMA)
    return db


class ReviewStore:
    """The reviews of one grading output folder.

    Parameters
    ----------
    folder : Path
        The ``--out`` folder of a grading run (``reviews.sqlite`` is made there on the first save).
    """

    def __init__(self, folder: Path):
        self.path = Path(folder) / FILE

    def all(self) -> dict[tuple[str, str, str], WrittenReview]:
        """(learner, part, question) -> its current review; empty when nobody has reviewed yet."""
        if not self.path.exists():
            return {}
        db = _connect(self.path)
        try:
            rows = db.execute("SELECT learner, part, question, met, score, max_score, comment, reviewer, saved, "
                              "version FROM reviews").fetchall()
        finally:
            db.close()
        return {(r[0], r[1], r[2]): WrittenReview(*r[:3], tuple(json.loads(r[3])), *r[4:]) for r in rows}

    def save(self, learner: str, part: str, question: str, rubric, met, comment: str, reviewer: str,
             version: int) -> WrittenReview:
        """Save a review, unless someone saved this answer since ``version`` was read.

        Parameters
        ----------
        rubric : list of (str, int)
            The question's rubric: (criterion, points) pairs.
        met : list of bool
            Per criterion, whether the answer meets it.
        version : int
            The version the reviewer started from (0 for an answer not reviewed yet).

        Returns
        -------
        WrittenReview
            The saved review, with its new version.

        Raises
        ------
        ReviewConflict
            If the stored version is not ``version``: the message says who saved it and when.
        """
        met = tuple(bool(m) for m in met)
        if len(met) != len(rubric):
            raise GradingError(f"{question}: {len(met)} marks for a rubric of {len(rubric)} criteria")
        review = WrittenReview(learner, part, question, met, sum(p for (_, p), m in zip(rubric, met) if m),
                        sum(p for _, p in rubric), comment, reviewer,
                        datetime.now(timezone.utc).isoformat(timespec="seconds"), version + 1)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = _connect(self.path)
        try:
            db.execute("BEGIN IMMEDIATE")  # the write lock first: no one can save between the check and the write
            current = db.execute("SELECT version, reviewer, saved FROM reviews WHERE learner=? AND part=? AND "
                                 "question=?", (learner, part, question)).fetchone()
            if (current[0] if current else 0) != version:
                db.execute("ROLLBACK")
                raise ReviewConflict(f"{learner}'s {question} was saved by {current[1]} at {current[2]} since you "
                                     "opened it; reload to see their review before saving yours" if current else
                                     f"{learner}'s {question} has no review of version {version}; reload")
            values = (learner, part, question, json.dumps(met), review.score, review.max_score, comment, reviewer,
                      review.saved, review.version)
            db.execute("INSERT OR REPLACE INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
            db.execute("INSERT INTO review_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
            db.execute("COMMIT")
        finally:
            db.close()
        return review


def awaiting_message(points: int) -> str:
    """A written answer's feedback line until a person scores it."""
    return f"awaiting review: {points} pt, scored by your instructor against the rubric"


def with_reviews(results: list, reviews: dict[tuple[str, str, str], WrittenReview]) -> list:
    """Rows with their written answers' review scores in, as every output shows them.

    A written answer with a saved review becomes ``reviewed`` with the review's score and a
    message naming the reviewer and quoting the comment; one without stays
    ``awaiting-review`` (its 0 is no score: the outputs say "awaiting review"). The rows
    given are not changed (copies), so applying it twice, or to rows already reviewed, gives
    the same result; a review is never counted in a row's ``score``, which stays the
    grader's (``written_max`` is apart, as the grader leaves it).
    """
    from dataclasses import replace

    out = []
    for r in results:
        questions = []
        for q in r.questions:
            review = reviews.get((r.submission, r.part or "", q.id)) if q.kind == "written" and q.text else None
            if review is not None:
                comment = f" Comment: {review.comment}" if review.comment else ""
                q = replace(q, score=review.score, status="reviewed",
                            message=f"reviewed by {review.reviewer} ({review.saved}): {review.score}/"
                                    f"{review.max_score} points against the rubric.{comment}")
            elif q.kind == "written" and q.text:
                q = replace(q, score=0, status="awaiting-review", message=awaiting_message(q.max_score))
            questions.append(q)
        out.append(replace(r, questions=questions))
    return out
