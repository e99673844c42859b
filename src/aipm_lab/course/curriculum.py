"""The ten parts of the curriculum and where their notebooks live.

This module is imported by the command line on every call, so it stays free of
heavy imports.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

COMPANY = "Paylark"
"""The fictional payments app that every part follows."""


@dataclass(frozen=True)
class Part:
    """One part of the curriculum.

    Attributes
    ----------
    number : str
        Two-digit part id, for example ``"02"``.
    slug : str
        Short name; the notebooks are called ``{number}-{slug}.ipynb``.
    title : str
        Human title.
    lesson_minutes, exercise_minutes : int
        Estimated time to read and run the lesson, and to do the exercise set.
    """

    number: str
    slug: str
    title: str
    lesson_minutes: int
    exercise_minutes: int

    @property
    def stem(self) -> str:
        """File stem shared by the lesson, exercise and solution notebooks."""
        return f"{self.number}-{self.slug}"

    @property
    def minutes(self) -> int:
        """Estimated time for lesson plus exercises (what ``aipm-lab list`` shows)."""
        return self.lesson_minutes + self.exercise_minutes

    @property
    def time_and_order(self) -> str:
        """The sentence of the lesson's first cell on time and on which notebook to open when.

        One source for ``aipm-lab list`` and the lessons (a test compares them). The paths are
        those of a learner's work folder, which ``aipm-lab start`` makes.
        """
        return (f"**Time:** about {self.lesson_minutes} minutes for this lesson, then about {self.exercise_minutes} "
                f"for its exercise set. Read this lesson first; then open your exercise set, `{self.stem}.ipynb` "
                "in your work folder (`aipm-lab start` writes it to `work/`, and this lesson to `work/lessons/`).")


PARTS: tuple[Part, ...] = (
    Part("01", "probabilistic-products", "Probabilistic products", 30, 45),
    Part("02", "class-imbalance", "Beyond accuracy: class imbalance and the cost of errors", 35, 45),
    Part("03", "segments", "Segments and blind spots", 30, 45),
    Part("04", "uncertainty-budgets", "Uncertainty budgets", 40, 45),
    Part("05", "failure-modes", "Failure-mode mapping", 30, 45),
    Part("06", "drift-monitoring", "Drift and monitoring", 40, 50),
    Part("07", "experimentation", "Experimentation", 40, 50),
    Part("08", "rag-token-cost", "RAG and token cost", 45, 45),
    Part("09", "synthetic-data", "Synthetic data", 30, 45),
    Part("10", "launch-decisions", "Launch decisions (capstone)", 50, 70),
)

KINDS = ("notebooks", "exercises", "solutions")
"""The three folders that hold a part's notebooks: lesson, exercise set, solution."""


class CurriculumError(Exception):
    """A user-facing problem with the curriculum files (reported without a traceback)."""


def get_part(number: str | int) -> Part:
    """Return the part with this number (``2``, ``"2"`` or ``"02"``).

    Raises
    ------
    CurriculumError
        If there is no such part.
    """
    key = f"{int(number):02d}" if str(number).isdigit() else str(number)
    for part in PARTS:
        if part.number == key or part.stem == key:
            return part
    raise CurriculumError(f"no part {number!r}; parts are 01 to {PARTS[-1].number}")


PACKAGED = Path(__file__).resolve().parents[1] / "curriculum_files"
"""Where a wheel install keeps its copy of the curriculum (read-only for learners)."""


def _looks_like_root(path: Path) -> bool:
    try:
        return (path / "solutions").is_dir() and (path / "pyproject.toml").is_file()
    except PermissionError:  # a folder the grader's sandbox hides (is_dir raises for EACCES)
        return False


def root(start: Path | None = None) -> Path:
    """Find the curriculum folder (the one holding ``solutions/``).

    Looks at ``$AIPM_LAB_HOME``, then upward from ``start`` (default: the current
    folder) for a clone, then where :func:`installed_root` looks.

    Raises
    ------
    CurriculumError
        If no curriculum folder is found.
    """
    if not os.environ.get("AIPM_LAB_HOME"):
        here = (start or Path.cwd()).resolve()
        for candidate in (here, *here.parents):
            if _looks_like_root(candidate):
                return candidate
    return installed_root()


def installed_root() -> Path:
    """The curriculum this package came with, whatever the current folder (what the grader trusts).

    ``$AIPM_LAB_HOME`` if set, else the source checkout this package was installed from
    (an editable install), else the copy a wheel install carries (:data:`PACKAGED`).

    Raises
    ------
    CurriculumError
        If no curriculum folder is found.
    """
    env = os.environ.get("AIPM_LAB_HOME")
    if env:
        if _looks_like_root(Path(env)):
            return Path(env).resolve()
        raise CurriculumError(f"AIPM_LAB_HOME={env} has no solutions/ folder and pyproject.toml")
    checkout = Path(__file__).resolve().parents[3]
    if _looks_like_root(checkout):
        return checkout
    if (PACKAGED / "solutions").is_dir():
        return PACKAGED
    raise CurriculumError(
        "cannot find the curriculum folder; run from a clone of aipm-lab or set AIPM_LAB_HOME"
    )


def editable_root() -> Path:
    """The curriculum folder, when it is a clone that authoring commands may rewrite.

    Raises
    ------
    CurriculumError
        If the curriculum is the read-only copy inside an installed package.
    """
    base = root()
    if base == PACKAGED:
        raise CurriculumError("this command rewrites the curriculum's files: run it in a clone of aipm-lab, "
                              "not on the copy inside the installed package")
    return base


def notebook_path(part: Part, kind: str, base: Path | None = None) -> Path:
    """Path of a part's lesson (``kind="notebooks"``), exercise or solution notebook."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    return (base or root()) / kind / f"{part.stem}.ipynb"
