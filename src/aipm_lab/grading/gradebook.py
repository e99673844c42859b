"""The course gradebook: every grading run's rows in one SQLite file, across parts and runs.

``aipm-lab grade`` and ``aipm-lab merge`` record their rows in it (``--db``; by default
``$AIPM_LAB_GRADEBOOK``, else ``gradebook.sqlite`` in ``$XDG_DATA_HOME/aipm-lab``, that is
``~/.local/share/aipm-lab``). A learner has one current row per part: a new row for the
same learner and part supersedes the old one, which is kept as history (a learner who
hands in nothing never replaces work already recorded, as in :func:`~aipm_lab.grading.journal.merge`).
A run's rows are recorded in one transaction, so a run killed halfway leaves the gradebook
as it was before it. ``aipm-lab gradebook`` prints the learner x part table (work not handed
in counts 0 out of the part's maximum) and exports what LMSs import.

SQLite (the standard library's ``sqlite3``) because one file shared by a course's runs needs
transactions and locking between processes (shards on one machine), with no server.
"""

from __future__ import annotations

import csv
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from aipm_lab.grading.results import GradeResult, GradingError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, at TEXT NOT NULL, source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS grades (
    id INTEGER PRIMARY KEY,
    learner TEXT NOT NULL, part TEXT NOT NULL, seed INTEGER,
    score INTEGER NOT NULL, max_score INTEGER NOT NULL, written_max INTEGER NOT NULL,
    status TEXT NOT NULL, message TEXT NOT NULL,
    run INTEGER NOT NULL REFERENCES runs(id),
    superseded_by INTEGER               -- NULL: the current row of (learner, part)
);
CREATE UNIQUE INDEX IF NOT EXISTS current_row ON grades(learner, part) WHERE superseded_by IS NULL;
"""

_COMPARED = ("seed", "score", "max_score", "written_max", "status", "message")
"""What makes a new row differ from the current one (a resumed run or a merge records nothing new)."""


def default_path() -> Path:
    """``$AIPM_LAB_GRADEBOOK``, else ``$XDG_DATA_HOME/aipm-lab/gradebook.sqlite`` (``~/.local/share``)."""
    if os.environ.get("AIPM_LAB_GRADEBOOK"):
        return Path(os.environ["AIPM_LAB_GRADEBOOK"])
    data = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data) / "aipm-lab" / "gradebook.sqlite"


@dataclass(frozen=True)
class GradebookRow:
    """One recorded row of the gradebook."""

    learner: str
    part: str
    seed: int | None
    score: int
    max_score: int
    written_max: int
    status: str
    message: str
    recorded: str
    source: str
    current: bool


class Gradebook:
    """A course gradebook file.

    Parameters
    ----------
    path : Path, optional
        The SQLite file (default :func:`default_path`); made on the first record.
    """

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else default_path()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None)  # explicit transactions
            db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise GradingError(f"--db {self.path}: not a gradebook this version can use ({exc})") from None
        return db

    def record(self, results: list[GradeResult], source: str) -> int:
        """Record a run's rows in one transaction; return how many rows changed the gradebook.

        Rows of no known part (a notebook that says none, in a mixed cohort) are not recorded.
        """
        try:
            db = self._connect()
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    changed = self._record(db, results, source)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
            finally:
                db.close()
        except (sqlite3.Error, OSError) as exc:
            raise GradingError(f"could not record the rows in the gradebook {self.path} ({exc}); the grades are "
                               "written all the same; pass --db FILE to record them in another file") from None
        return changed

    def _record(self, db: sqlite3.Connection, results: list[GradeResult], source: str) -> int:
        run = None
        changed = 0
        for r in results:
            if not r.part:
                continue
            current = db.execute(f"SELECT id, {', '.join(_COMPARED)} FROM grades WHERE learner=? AND part=? "
                                 "AND superseded_by IS NULL", (r.submission, r.part)).fetchone()
            new = (r.seed, r.score, r.max_score, r.written_max, r.status, r.message)
            if current is not None and (tuple(current[1:]) == new or r.status == "missing" != current[5]):
                continue
            if run is None:
                at = datetime.now(timezone.utc).isoformat(timespec="seconds")
                run = db.execute("INSERT INTO runs (at, source) VALUES (?, ?)", (at, source)).lastrowid
            if current is not None:
                db.execute("UPDATE grades SET superseded_by = 0 WHERE id = ?", (current[0],))  # out of the index
            row = db.execute("INSERT INTO grades (learner, part, seed, score, max_score, written_max, status, "
                             "message, run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (r.submission, r.part, *new, run))
            if current is not None:
                db.execute("UPDATE grades SET superseded_by = ? WHERE id = ?", (row.lastrowid, current[0]))
            changed += 1
        return changed

    def rows(self, learner: str | None = None, history: bool = False) -> list[GradebookRow]:
        """The current rows (and, with ``history``, the superseded ones), oldest first."""
        if not self.path.exists():
            return []
        db = self._connect()
        try:
            query = ("SELECT g.learner, g.part, g.seed, g.score, g.max_score, g.written_max, g.status, g.message, "
                     "r.at, r.source, g.superseded_by IS NULL FROM grades g JOIN runs r ON g.run = r.id WHERE 1")
            args: list = []
            if learner is not None:
                query += " AND g.learner = ?"
                args.append(learner)
            if not history:
                query += " AND g.superseded_by IS NULL"
            return [GradebookRow(*row[:10], bool(row[10])) for row in db.execute(query + " ORDER BY g.id", args)]
        finally:
            db.close()

    def table(self) -> tuple[list[str], dict[str, int], dict[str, dict[str, GradebookRow]]]:
        """``(learners, part -> max score, learner -> part -> current row)``: the course at a glance.

        A part's maximum is the largest recorded for it (every row of a part carries the same
        one); a learner with no row for a part counts 0 out of it.
        """
        current = self.rows()
        maxima: dict[str, int] = {}
        cells: dict[str, dict[str, GradebookRow]] = {}
        for row in current:
            maxima[row.part] = max(maxima.get(row.part, 0), row.max_score)
            cells.setdefault(row.learner, {})[row.part] = row
        return sorted(cells), dict(sorted(maxima.items())), cells


def render_table(book: Gradebook) -> str:
    """The learner x part table for the terminal: each part's score, ``-`` for nothing handed in, the total."""
    from aipm_lab.grading.report import one_line

    learners, maxima, cells = book.table()
    if not learners:
        return f"{book.path}: no rows recorded yet (run `aipm-lab grade ... --db {book.path}`)"
    total_max = sum(maxima.values())
    header = ["learner", *(f"{p} /{m}" for p, m in maxima.items()), f"total /{total_max}"]
    lines = []
    for learner in learners:
        mine = cells[learner]
        scores = [mine[p].score if p in mine and mine[p].status != "missing" else None for p in maxima]
        total = sum(s or 0 for s in scores)
        lines.append([one_line(learner, 40), *("-" if s is None else str(s) for s in scores),
                      f"{total} ({total / total_max:.0%})" if total_max else str(total)])
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    fmt = lambda row: "  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in
                                enumerate(zip(row, widths)))
    note = "- : nothing handed in (counted as 0)"
    return "\n".join([fmt(header), *map(fmt, lines), note])


EXPORTS = ("canvas", "moodle", "wide")


def export_csv(book: Gradebook, kind: str, path: Path) -> int:
    """Write the gradebook as an LMS import file; return the number of learners written.

    ``canvas``: Canvas's gradebook import CSV (``Student, ID, SIS User ID, SIS Login ID,
    Section``, one column per part, a ``Points Possible`` row); learners go in ``Student``
    and ``SIS Login ID``, so name them by their Canvas login (e-mail) in the roster.
    ``moodle``: Moodle's grade import CSV (an identity column, ``Email address`` when every
    learner is an e-mail, else ``Username``, to map on import; one column per part).
    ``wide``: one row per learner, one column per part, then total and maximum.
    Work not handed in is 0; cells are escaped against spreadsheet formulas.
    """
    from aipm_lab.course.curriculum import get_part
    from aipm_lab.grading.files import replacing
    from aipm_lab.grading.report import csv_cell

    if kind not in EXPORTS:
        raise GradingError(f"--export {kind!r}: choose one of {', '.join(EXPORTS)}")
    learners, maxima, cells = book.table()
    if not learners:
        raise GradingError(f"{book.path}: no rows recorded yet, nothing to export")
    scores = {learner: [cells[learner][p].score if p in cells[learner] else 0 for p in maxima] for learner in learners}
    titles = [f"Part {p}: {get_part(p).title}" for p in maxima]
    if kind == "canvas":
        rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *titles],
                ["Points Possible", "", "", "", "", *maxima.values()]]
        rows += [[learner, "", "", learner, "", *scores[learner]] for learner in learners]
    elif kind == "moodle":
        who = "Email address" if all("@" in learner for learner in learners) else "Username"
        rows = [[who, *titles]] + [[learner, *scores[learner]] for learner in learners]
    else:
        rows = [["learner", *maxima, "total", "max_score"]]
        rows += [[learner, *scores[learner], sum(scores[learner]), sum(maxima.values())] for learner in learners]
    with replacing(path) as f:
        csv.writer(f, lineterminator="\n").writerows([[csv_cell(c) for c in row] for row in rows])
    return len(learners)
