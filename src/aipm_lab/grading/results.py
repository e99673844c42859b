"""The records a grading run produces: one row per submission, its questions and fields.

Kept apart from :mod:`aipm_lab.grading.grader` so that the journal, the report and the
exports read rows without importing the machinery that makes them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from aipm_lab.course.curriculum import CurriculumError


class GradingError(CurriculumError):
    """A usage error: bad roster, no submissions, unknown part (exit code 2)."""


@dataclass
class FieldResult:
    """Verdict on one field of a question that gives points per field."""

    field: str
    score: int
    max_score: int
    status: str  # passed | failed | not-answered
    message: str


@dataclass
class QuestionResult:
    """Verdict on one question."""

    id: str
    score: int
    max_score: int
    status: str  # passed | partial | failed | not-answered | awaiting-review | reviewed (written answers)
    message: str
    fields: list[FieldResult] = field(default_factory=list)
    text: str = ""  # a written answer, as the learner wrote it, for the person who scores it
    answer: str = ""  # the learner's own value as feedback quotes it (shortened): the review page shows it
    kind: str = "auto"  # auto (scored by the grader) | written (scored by a person against a rubric)


@dataclass
class GradeResult:
    """Verdict on one submission."""

    submission: str
    part: str | None
    seed: int | None
    score: int
    max_score: int
    status: str  # graded | timeout | crashed | unreadable | wrong-part | missing | error
    message: str = ""
    questions: list[QuestionResult] = field(default_factory=list)
    seconds: float = 0.0
    isolation: str = ""  # namespaces | uid | none: how the notebook was kept from the grader (see README)
    written_max: int = 0  # points of written answers, scored by review (not in score or max_score)

    def to_dict(self) -> dict:
        """The grades.json record."""
        return asdict(self)
