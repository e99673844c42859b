"""The grader's own file handling: submissions read safely, outputs written whole, one writer per folder.

* :func:`read_submission` refuses what is not a regular file (a symlink is never
  followed, a FIFO or a device never opened for reading) and anything over a size
  limit, before reading it: each becomes that file's row, never a hang or a crash.
* :func:`replacing` writes an output to a temporary file beside it and renames it into
  place, so ``grades.json`` is either the old file or the new one, never cut short.
* :func:`locked` holds an exclusive lock on an output folder for one grading run; a
  second run on the same folder is told who holds it.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import fcntl
import os
import socket
import stat
import tempfile
from pathlib import Path

from aipm_lab.course.authoring import UnreadableNotebook
from aipm_lab.grading.results import GradingError

MAX_SUBMISSION_MB = 20.0
"""Largest submission read by default: an exercise notebook with its outputs is well under 1 MB."""

LOCK_FILE = ".aipm-lab.lock"


class Refused(UnreadableNotebook):
    """A submission that is not read: a link, a special file, or too large (its row says why)."""


_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


def read_submission(path: Path, max_bytes: int) -> bytes:
    """The bytes of a submission that is a regular file of at most ``max_bytes``.

    Raises
    ------
    Refused
        For a symbolic link, anything but a regular file, or a file over the limit; the
        message names the file, never the folder it is in.
    OSError
        If the file cannot be read.
    """
    name = Path(path).name

    def refuse_if_bad(st: os.stat_result) -> None:
        if stat.S_ISLNK(st.st_mode):
            raise Refused(f"{name} is a symbolic link: hand in the notebook file itself")
        if not stat.S_ISREG(st.st_mode):
            raise Refused(f"{name} is {_KINDS.get(stat.S_IFMT(st.st_mode), 'not a regular file')}, not a notebook file")
        if st.st_size > max_bytes:
            raise Refused(f"{name} is {st.st_size / 2**20:.1f} MB, over the limit of {max_bytes / 2**20:g} MB "
                          "(clear the notebook's outputs and hand it in again)")

    refuse_if_bad(os.lstat(path))
    # The file could be swapped for a link or a FIFO after lstat: O_NOFOLLOW refuses a link,
    # O_NONBLOCK keeps a FIFO from blocking the open, and fstat checks what was opened.
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as f:
        refuse_if_bad(os.fstat(fd))
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew since fstat
        raise Refused(f"{name} is over the limit of {max_bytes / 2**20:g} MB")
    return data


@contextlib.contextmanager
def replacing(path: Path, mode: str = "w"):
    """Open a temporary file beside ``path``; on success it replaces ``path`` whole.

    On an error (a full disk, Ctrl-C) the temporary file is removed and ``path`` is
    left as it was.
    """
    path = Path(path)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(fd, mode, **({} if "b" in mode else {"encoding": "utf-8", "newline": ""})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through :func:`replacing`."""
    with replacing(path) as f:
        f.write(text)


@contextlib.contextmanager
def locked(folder: Path):
    """Hold an exclusive lock on ``folder`` (created if need be) while the block runs.

    The lock file says who holds it (process, host, start time); the lock itself is
    the kernel's (``flock``), so it ends with the process however that ends.

    Raises
    ------
    GradingError
        If another process holds the lock, naming it.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES):
                raise
            holder = os.pread(fd, 4096, 0).decode(errors="replace").strip() or "another process"
            raise GradingError(f"{folder} is in use by another grading run ({holder}); wait for it to finish "
                               "or give another --out") from None
        started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}, started {started}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
