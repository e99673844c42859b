"""Reference answers kept on disk, so a solution runs once per (part, seed), not once per grading run.

An entry is keyed by the part, the seed, the solution notebook's bytes and the source of
the installed ``aipm_lab`` package (which generates the data and computes the helpers'
numbers): editing the solution or upgrading the package changes the key, so a stale
reference is never used. Entries are plain JSON, written atomically, readable by the
grading user only.

The cache lives in ``$AIPM_LAB_CACHE``, else ``$XDG_CACHE_HOME/aipm-lab``, else
``~/.cache/aipm-lab``. Student code that runs as the grading user can read what that user
can read, this folder included (as it can read ``solutions/``); see the README's
integrity notes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path


def default_folder() -> Path:
    """Where reference answers are cached (see the module docstring)."""
    if os.environ.get("AIPM_LAB_CACHE"):
        return Path(os.environ["AIPM_LAB_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "aipm-lab"


@lru_cache(maxsize=1)
def package_digest() -> str:
    """sha256 over the source files of the installed ``aipm_lab`` package."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class ReferenceCache:
    """Reference answers per (part, seed, solution, package), stored as JSON files.

    Parameters
    ----------
    folder : Path, optional
        Default: :func:`default_folder`.
    """

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder or default_folder()) / "references"

    def key(self, part: str, seed: int, solution: bytes) -> str:
        """The entry's name: the part, the seed and a digest of everything the answers depend on."""
        digest = hashlib.sha256(package_digest().encode() + hashlib.sha256(solution).digest()).hexdigest()
        return f"{part}-{int(seed)}-{digest[:32]}"

    def get(self, part: str, seed: int, solution: bytes) -> dict | None:
        """The cached answers, or None (missing or unreadable entries are misses)."""
        try:
            value = json.loads((self.folder / f"{self.key(part, seed, solution)}.json").read_text())
        except (OSError, ValueError):
            return None
        return value if isinstance(value, dict) else None

    def put(self, part: str, seed: int, solution: bytes, answers: dict) -> None:
        """Store answers atomically; a cache that cannot be written is skipped, not an error."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")  # created 0600
            with os.fdopen(fd, "w") as f:
                json.dump(answers, f)
            os.replace(tmp, self.folder / f"{self.key(part, seed, solution)}.json")
        except OSError:
            pass
