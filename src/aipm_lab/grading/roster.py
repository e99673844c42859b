"""Class rosters: the ``student,seed`` CSV an instructor keeps, read the way spreadsheets save it.

A roster is read as UTF-8 (with or without Excel's byte-order mark), UTF-16 with a mark
(Excel's "Unicode text"), else as Windows' cp1252 or latin-1, which is said on stderr.
Header names ignore case and spaces, extra columns and blank lines are skipped, and a
comma, semicolon or tab separates fields (European Excel writes semicolons). Any other
problem is one :class:`GradingError` line naming the file and line.

Student names become file names (``handout`` writes ``NAME.ipynb``, ``grade`` matches
file stems), so every name is checked here: spaces and accents are fine (``José``,
``Copy of bo``); path separators (``/``, ``\\``, ``:``), ``..``, a leading dot and control
characters are not.
"""

from __future__ import annotations

import codecs
import csv
import sys
import unicodedata
from pathlib import Path

from aipm_lab.grading.results import GradingError

COLUMNS = ("student", "seed")
DELIMITERS = (",", ";", "\t")
MAX_NAME_BYTES = 255 - len(".ipynb")
"""The longest name that still makes a file name on common file systems (255 bytes)."""


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def decode(data: bytes, path: Path, note=_stderr) -> str:
    """The text of a roster file, in the first encoding that reads it (a note if not UTF-8)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252", "latin-1")  # latin-1 reads any bytes
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8-sig":
            note(f"roster {path}: not UTF-8, read as {encoding}; check the names came out right")
        return text
    raise GradingError(f"roster {path}: cannot be decoded as {' or '.join(encodings)}")


def check_name(name: str, where: str) -> str:
    """``name`` (NFC-normalised) if it can be a file name inside a folder; else a GradingError.

    Parameters
    ----------
    name : str
        A student's name, already stripped.
    where : str
        Where it came from (file and line), to start the error message.
    """
    problem = (
        "contains a path separator" if any(c in name for c in "/\\:")
        else "contains '..'" if ".." in name
        else "starts with a dot (a hidden file)" if name.startswith(".")
        else "contains a control character" if any(unicodedata.category(c) == "Cc" for c in name)
        else f"is longer than {MAX_NAME_BYTES} bytes" if len(name.encode()) > MAX_NAME_BYTES
        else None)
    if problem:
        raise GradingError(f"{where}: student name {name!r} {problem}; it becomes a file name, so rename the student")
    return unicodedata.normalize("NFC", name)  # a name typed on a Mac matches the same name typed elsewhere


def _columns(header: str, where: str) -> tuple[str, dict[str, int]]:
    """The delimiter that splits the header into named columns, and each column's index.

    Written by hand: :class:`csv.Sniffer` guesses from the data and can pick a character
    inside a name; here the header itself must come out as named columns.
    """
    for delimiter in DELIMITERS:
        names = [n.strip().casefold() for n in next(csv.reader([header], delimiter=delimiter))]
        if set(COLUMNS) <= set(names):
            if any(names.count(c) > 1 for c in COLUMNS):
                raise GradingError(f"{where}: a column named student or seed appears twice")
            return delimiter, {c: names.index(c) for c in COLUMNS}
    raise GradingError(f"{where}: needs a header line with columns student,seed (found: {header.strip()[:60]!r})")


def read_roster(path: Path, note=_stderr) -> dict[str, int]:
    """Read a roster CSV into {student: seed}.

    Parameters
    ----------
    path : Path
    note : callable, optional
        Called with one line when the file is not UTF-8 (default: print it on stderr).

    Returns
    -------
    dict
        Student name (NFC-normalised, safe as a file name) -> seed, in file order.

    Raises
    ------
    GradingError
        One line naming the file (and line): unreadable, no header, a bad name or seed,
        a student listed twice.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise GradingError(f"cannot read roster {path}: {exc.strerror}") from None
    lines = decode(data, path, note).splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise GradingError(f"roster {path} is empty; it needs a header line with columns student,seed")
    delimiter, index = _columns(lines[start], f"roster {path}, line {start + 1}")
    roster: dict[str, int] = {}
    seen: dict[str, str] = {}
    reader = csv.reader(lines[start + 1 :], delimiter=delimiter)
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue  # blank lines, and spreadsheets' rows of empty cells
        where = f"roster {path}, line {start + 1 + reader.line_num}"
        student, seed = (row[index[c]].strip() if index[c] < len(row) else "" for c in COLUMNS)
        if not student:
            raise GradingError(f"{where}: no student name")
        student = check_name(student, where)
        if not seed.isdecimal() or not seed.isascii():
            raise GradingError(f"{where}: the seed for {student!r} must be a whole number >= 0, not {seed!r}")
        # Two names differing only in case would share one file on macOS and Windows.
        if student.casefold() in seen:
            raise GradingError(f"{where}: student {student!r} is listed twice (also as {seen[student.casefold()]!r})")
        seen[student.casefold()] = student
        roster[student] = int(seed)
    return roster


def write_roster(path: Path, roster: dict[str, int]) -> None:
    """Write {student: seed} as a UTF-8 ``student,seed`` CSV that :func:`read_roster` reads back."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(roster.items())


def learner_name(path: Path) -> str:
    """The learner a submission belongs to: its file stem, NFC-normalised as roster names are.

    A Mac (or a zip made on one) may store ``José.ipynb`` decomposed (``e`` + accent); it must
    match the roster's ``José`` and the same learner's earlier rows.
    """
    return unicodedata.normalize("NFC", Path(path).stem)


def student_file(out: Path, student: str, suffix: str = ".ipynb") -> Path:
    """The file ``out/STUDENT.ipynb``, refused unless it resolves to a file directly inside ``out``.

    Names from :func:`read_roster` are already checked; this also catches a symbolic link
    in ``out`` that points elsewhere.
    """
    target = out / f"{check_name(student, f'--out {out}')}{suffix}"
    if target.resolve() != out.resolve() / target.name:
        raise GradingError(f"{target} leads outside {out}/ (a link?); remove it or choose another --out")
    return target
