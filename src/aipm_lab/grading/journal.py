"""An append-only record of graded rows, so an interrupted cohort run resumes where it stopped.

``aipm-lab grade --out DIR`` appends each submission's row to ``DIR/rows.jsonl`` as soon as
it is graded (flushed and fsync'd). Started again with the same ``--out``, it reuses every
row whose key still matches (same file bytes, seed, part, solutions and package) and grades
only the rest, so a run killed halfway (Ctrl-C, a crash, a reboot) loses at most the rows
in flight. Shards of one cohort write their own journals; ``aipm-lab merge`` joins them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from aipm_lab.grading.results import FieldResult, GradeResult, GradingError, QuestionResult

FILE = "rows.jsonl"


def row_key(data: bytes, seed: int | None, part: str | None, references: str) -> str:
    """What a row's grade depends on: the file's bytes, the seed imposed, the part imposed, the references."""
    return hashlib.sha256(b"\0".join([hashlib.sha256(data).digest(), str(seed).encode(), str(part).encode(),
                                      references.encode()])).hexdigest()


def from_dict(record: dict) -> GradeResult:
    """A :class:`GradeResult` from its ``to_dict`` record."""
    questions = [QuestionResult(**{**q, "fields": [FieldResult(**f) for f in q.get("fields", [])]})
                 for q in record.get("questions", [])]
    return GradeResult(**{**record, "questions": questions})


class Journal:
    """The rows already graded into one output folder.

    Parameters
    ----------
    folder : Path
        The run's ``--out`` folder (created when the first row is written).
    """

    def __init__(self, folder: Path):
        self.path = Path(folder) / FILE

    def load(self) -> dict[str, tuple[str, GradeResult]]:
        """Submission name -> (key, row), the last row written for each.

        A line cut short by a crash, or written by another version, is skipped: that
        submission is graded again.
        """
        rows: dict[str, tuple[str, GradeResult]] = {}
        try:
            lines = self.path.read_text().splitlines()
        except FileNotFoundError:
            return rows
        for line in lines:
            try:
                entry = json.loads(line)
                result = from_dict(entry["row"])
                rows[result.submission] = (entry["key"], result)
            except (ValueError, KeyError, TypeError):
                continue
        return rows

    def append(self, key: str, result: GradeResult) -> None:
        """Write one row durably before the next is graded.

        A last line cut short (a crash or a full disk in the middle of a write) is ended
        first, so it cannot swallow this row; :meth:`load` skips it.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = (json.dumps({"key": key, "row": asdict(result)}) + "\n").encode()
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)


def merge(folders: list[Path]) -> list[GradeResult]:
    """Every row of the journals in ``folders`` (shards of one cohort), one per submission.

    Raises
    ------
    GradingError
        If a folder has no journal.
    """
    rows: dict[str, GradeResult] = {}
    for folder in folders:
        journal = Journal(folder)
        if not journal.path.exists():
            raise GradingError(f"{folder} has no {FILE}: is it the --out folder of an `aipm-lab grade` run?")
        for _, result in journal.load().values():
            if result.status != "missing" or result.submission not in rows:
                rows[result.submission] = result
    return sorted(rows.values(), key=lambda r: (r.status == "missing", r.submission))
