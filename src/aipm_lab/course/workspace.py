"""A learner's work folder: their own copies of the exercise sets, with their own data variant.

``exercises/`` holds generated templates that ``aipm-lab build`` rewrites; a learner
works in copies that nothing here ever overwrites. Each copy gets a seed of its own,
so the answers printed by the lessons (which teach on :data:`~aipm_lab.datasets.DEFAULT_SEED`)
are not the learner's answers.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from aipm_lab.course.curriculum import CurriculumError, Part, notebook_path

LESSON_SEED = 2026
"""The lessons' seed (:data:`aipm_lab.datasets.DEFAULT_SEED`, repeated to keep this module light)."""
SEED_RANGE = 1_000_000


def learner_seed(name: str | None = None) -> int:
    """A data variant for one learner: derived from ``name`` if given, else random.

    A name gives the same seed on every machine (a learner who starts again gets the
    same data); never the lessons' seed.

    Examples
    --------
    >>> learner_seed("Ada Lovelace") == learner_seed("  ada lovelace ")
    True
    >>> learner_seed("Ada Lovelace") != LESSON_SEED
    True
    """
    if name is not None:
        key = " ".join(name.lower().split())
        if not key:
            raise CurriculumError("--name is empty; give your name or leave the option out")
        seed = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % SEED_RANGE
    else:
        seed = secrets.randbelow(SEED_RANGE)
    return seed + 1 if seed == LESSON_SEED else seed


@dataclass(frozen=True)
class Started:
    """What :func:`start` did for one part."""

    part: Part
    path: Path
    seed: int | None
    """The copy's data variant: the one written now, or the one a kept copy already had."""
    created: bool
    lesson: Path | None = None
    """The lesson copied into ``lessons/`` now (None: none, or it was already there)."""
    wanted: int | None = None
    """The seed this call would have given; for a kept copy with another seed, the learner must be told."""

    @property
    def other_variant(self) -> bool:
        """A kept copy whose seed is not the one asked for (another learner's, or another start's)."""
        return not self.created and self.seed != self.wanted


def _seed_of(path: Path) -> int | None:
    """The seed of a notebook's parameters cell (None when unreadable or unset)."""
    from aipm_lab.course.authoring import UnreadableNotebook, read_notebook
    from aipm_lab.grading.grader import notebook_seed

    try:
        return notebook_seed(read_notebook(path))
    except (UnreadableNotebook, CurriculumError):
        return None


def existing_seed(folder: Path) -> int | None:
    """The seed already used in a work folder (so every part shares one data variant)."""
    return next((s for s in map(_seed_of, sorted(folder.glob("*.ipynb"))) if s is not None), None)


def _copy_new(source: Path, target: Path) -> bool:
    """Copy ``source`` to ``target`` unless ``target`` exists; True if copied."""
    try:
        with open(target, "xb") as f:  # "x": never replace a file, even one that appeared meanwhile
            f.write(source.read_bytes())
    except FileExistsError:
        return False
    return True


def start(parts: list[Part], folder: Path, base: Path, seed: int | None = None,
          name: str | None = None) -> list[Started]:
    """Copy exercise sets into ``folder`` with the learner's seed, and lessons into ``folder/lessons``.

    Nothing that already exists is overwritten: a learner's answers and lesson notes are safe.

    Parameters
    ----------
    parts : list of Part
        Parts to copy (those with an exercise notebook).
    folder : Path
        The learner's work folder; created if needed.
    base : Path
        The curriculum folder holding ``exercises/``.
    seed : int, optional
        The data variant; default: the one already used in ``folder``, else
        :func:`learner_seed` of ``name``.
    name : str, optional
        Derive the seed from this name.

    Returns
    -------
    list of Started
        One per part: the copy's path, its seed, whether it was created now (False: it
        already existed and was left untouched) and the seed this call would have given.
    """
    import nbformat

    from aipm_lab.course.authoring import read_notebook, with_seed

    folder.mkdir(parents=True, exist_ok=True)
    if seed is None:
        seed = existing_seed(folder) if name is None else None
        seed = learner_seed(name) if seed is None else seed
    done = []
    for part in parts:
        lesson, lesson_copy = notebook_path(part, "notebooks", base), folder / "lessons" / f"{part.stem}.ipynb"
        copied = None
        if lesson.exists():
            lesson_copy.parent.mkdir(exist_ok=True)
            copied = lesson_copy if _copy_new(lesson, lesson_copy) else None
        target = folder / f"{part.stem}.ipynb"
        if target.exists():
            done.append(Started(part, target, _seed_of(target), False, copied, seed))
            continue
        note = f"for {name.strip()}" if name else "picked by aipm-lab start"
        copy = with_seed(read_notebook(notebook_path(part, "exercises", base)), seed, note)
        with open(target, "x") as f:  # "x": never replace a file that appeared meanwhile
            nbformat.write(copy, f)
        done.append(Started(part, target, seed, True, copied, seed))
    return done
