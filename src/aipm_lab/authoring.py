"""Solution notebooks are the single source of each exercise set.

A solution notebook (``solutions/NN-slug.ipynb``) holds, by convention:

* a code cell tagged ``parameters`` that sets ``seed`` (papermill's convention);
* a code cell tagged ``questions`` that assigns a literal ``QUESTIONS`` dict:
  question id -> ``points``, ``answer`` (the variable holding the answer),
  ``task`` (one line), ``hint`` and ``public`` checks (see :mod:`aipm_lab.checks`);
* a code cell tagged ``hidden`` that assigns a literal ``HIDDEN_CHECKS`` dict:
  question id -> hidden checks against the reference answer;
* solution code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` lines (and
  written answers between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->``
  in Markdown cells).

:func:`make_exercise` turns it into the exercise notebook: solution blocks become
``answer = None`` placeholders, the hidden cell is dropped, outputs are cleared and
the metadata is stamped with the part. The grader reads the specs with
:func:`read_spec`, which parses the literals and never executes the notebook.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from aipm_lab.checks import validate_check
from aipm_lab.curriculum import (
    PARTS,
    CurriculumError,
    Part,
    get_part,
    notebook_path,
    root,
)

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
MD_BLOCK = re.compile(r"<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->", re.S)
MD_PLACEHOLDER = "_Your answer here: a decision and the numbers behind it._"
NBFORMAT_MINOR = 5


@dataclass(frozen=True)
class Question:
    """One graded question of an exercise set."""

    id: str
    points: int
    answer: str
    task: str
    hint: str
    public: tuple = ()
    hidden: tuple = ()


@dataclass(frozen=True)
class ExerciseSpec:
    """Everything the grader needs to know about one part's exercise set."""

    part: str
    questions: dict[str, Question] = field(default_factory=dict)
    default_seed: int | None = None

    @property
    def max_score(self) -> int:
        """Sum of the questions' points."""
        return sum(q.points for q in self.questions.values())

    @property
    def answers(self) -> list[str]:
        """Answer variable names, in question order."""
        return [q.answer for q in self.questions.values()]


class AuthoringError(CurriculumError):
    """A solution notebook does not follow the authoring conventions."""


class UnreadableNotebook(CurriculumError):
    """A file that is not a notebook nbformat can read (broken JSON, empty, wrong schema)."""


def tagged(nb, tag: str) -> list:
    """Cells of ``nb`` carrying ``tag``."""
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def literal_assignment(source: str, name: str):
    """Value of the literal assigned to ``name`` in ``source``, without running it.

    Raises
    ------
    AuthoringError
        If there is no such assignment or its value is not a literal.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise AuthoringError(f"cannot parse the cell that defines {name}: {exc}") from exc
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            try:
                return ast.literal_eval(node.value)
            except ValueError as exc:
                raise AuthoringError(f"{name} must be a literal (numbers, strings, lists, dicts)") from exc
    raise AuthoringError(f"no `{name} = ...` assignment found")


def read_spec(nb, part: str) -> ExerciseSpec:
    """Parse and validate the questions and checks of a solution notebook."""
    cells = {tag: tagged(nb, tag) for tag in ("questions", "hidden", "parameters")}
    for tag, found in cells.items():
        if len(found) != 1:
            raise AuthoringError(f"part {part}: expected one cell tagged {tag!r}, found {len(found)}")
    questions = literal_assignment(cells["questions"][0].source, "QUESTIONS")
    hidden = literal_assignment(cells["hidden"][0].source, "HIDDEN_CHECKS")
    try:
        seed = int(literal_assignment(cells["parameters"][0].source, "seed"))
    except (AuthoringError, TypeError, ValueError):
        raise AuthoringError(f"part {part}: the parameters cell must set `seed = <int>`") from None
    parsed = {}
    for qid, q in questions.items():
        missing = {"points", "answer", "task", "hint", "public"} - set(q)
        if missing:
            raise AuthoringError(f"part {part}, {qid}: missing {', '.join(sorted(missing))}")
        if not hidden.get(qid):
            raise AuthoringError(f"part {part}, {qid}: no hidden check, so any well-typed answer would pass")
        if not str(q["answer"]).isidentifier():
            raise AuthoringError(f"part {part}, {qid}: answer {q['answer']!r} is not a variable name")
        try:
            for check in q["public"]:
                validate_check(check, hidden=False)
            for check in hidden[qid]:
                validate_check(check, hidden=True)
        except ValueError as exc:
            raise AuthoringError(f"part {part}, {qid}: {exc}") from None
        parsed[qid] = Question(qid, int(q["points"]), q["answer"], q["task"], q["hint"],
                               tuple(map(tuple, q["public"])), tuple(map(tuple, hidden[qid])))
    unknown = set(hidden) - set(questions)
    if unknown:
        raise AuthoringError(f"part {part}: hidden checks for unknown questions {sorted(unknown)}")
    if len({q.answer for q in parsed.values()}) != len(parsed):
        raise AuthoringError(f"part {part}: two questions share an answer variable")
    return ExerciseSpec(part, parsed, seed)


def _assigned_names(block: list[str]) -> list[str]:
    """Names assigned at the top level of a solution block, in order of first assignment."""
    try:
        tree = ast.parse(textwrap.dedent("\n".join(block)))
    except SyntaxError:
        tree = ast.parse("")
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets:
            for leaf in ast.walk(target) if target is not None else []:
                if isinstance(leaf, ast.Name) and leaf.id not in names:
                    names.append(leaf.id)
    return names


def blank_code(source: str, answers: set[str]) -> str:
    """Replace each solution block by placeholders for the answers it assigns."""
    lines, out, block = source.split("\n"), [], None
    for line in lines:
        stripped = line.strip()
        if stripped == BEGIN:
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped == END and block is not None:
            names = [n for n in _assigned_names(block) if n in answers]
            out.append(f"{indent}# YOUR CODE HERE")
            out += [f"{indent}{name} = None" for name in names]
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    if block is not None:
        raise AuthoringError(f"a `{BEGIN}` has no matching `{END}`")
    return "\n".join(out)


def make_exercise(solution, part: Part):
    """Build the exercise notebook from a solution notebook (a new object).

    Parameters
    ----------
    solution : nbformat.NotebookNode
    part : Part

    Returns
    -------
    nbformat.NotebookNode
    """
    spec = read_spec(solution, part.number)
    answers = set(spec.answers)
    nb = nbformat.v4.new_notebook()
    nb.nbformat_minor = NBFORMAT_MINOR
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
        "aipm_lab": {"part": part.number, "kind": "exercise", "generated_from": f"solutions/{part.stem}.ipynb"},
    }
    for index, cell in enumerate(solution.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if "hidden" in tags:
            continue
        meta = {"tags": tags} if tags else {}
        cell_id = cell.get("id") or f"{part.number}-{index}"
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(blank_code(cell.source, answers), metadata=meta)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(MD_BLOCK.sub(MD_PLACEHOLDER, cell.source), metadata=meta)
        else:
            new = nbformat.v4.new_raw_cell(cell.source, metadata=meta)
        new["id"] = cell_id
        nb.cells.append(new)
    return nb


def with_seed(nb, seed: int, learner: str | None = None):
    """A copy of an exercise notebook whose ``parameters`` cell sets ``seed`` (a learner's handout)."""
    copy = nbformat.from_dict(nbformat.reads(nbformat.writes(nb), as_version=4))
    cells = tagged(copy, "parameters")
    if len(cells) != 1:
        raise AuthoringError("the notebook needs exactly one cell tagged 'parameters'")
    who = f" for {learner}" if learner else ""
    cells[0].source = f"seed = {int(seed)}  # your data variant{who}, set by your instructor"
    return copy


def read_notebook(path: Path):
    """Read a notebook file, reporting a readable error for a broken one."""
    try:
        return nbformat.read(path, as_version=4)
    except FileNotFoundError:
        raise CurriculumError(f"{path}: no such file") from None
    except Exception as exc:  # nbformat raises several unrelated types for bad JSON
        raise UnreadableNotebook(f"{path}: not a readable notebook ({type(exc).__name__}: {exc})") from None


def exercise_text(part: Part, base: Path | None = None) -> str:
    """The exact text that ``exercises/NN-slug.ipynb`` must contain."""
    solution = read_notebook(notebook_path(part, "solutions", base))
    return nbformat.writes(make_exercise(solution, part)) + "\n"


def authored_parts(base: Path | None = None) -> list[Part]:
    """Parts that have a solution notebook."""
    base = base or root()
    return [p for p in PARTS if notebook_path(p, "solutions", base).exists()]


def build(base: Path | None = None, check: bool = False) -> list[str]:
    """Regenerate ``exercises/`` from ``solutions/``.

    Parameters
    ----------
    base : Path, optional
        The curriculum folder (default: found by :func:`aipm_lab.curriculum.root`).
    check : bool, default False
        Only compare; write nothing.

    Returns
    -------
    list of str
        Exercise files that were stale (with ``check``) or rewritten (without).
    """
    base = base or root()
    changed = []
    for part in authored_parts(base):
        path = notebook_path(part, "exercises", base)
        text = exercise_text(part, base)
        if not path.exists() or path.read_text() != text:
            changed.append(str(path.relative_to(base)))
            if not check:
                path.parent.mkdir(exist_ok=True)
                path.write_text(text)
    stray = sorted((base / "exercises").glob("*.ipynb")) if (base / "exercises").is_dir() else []
    known = {notebook_path(p, "exercises", base) for p in authored_parts(base)}
    changed += [f"{p.relative_to(base)} (no solution)" for p in stray if p not in known]
    return changed


def solution_spec(part: Part | str, base: Path | None = None) -> tuple[object, ExerciseSpec]:
    """The solution notebook of a part and its parsed spec."""
    part = part if isinstance(part, Part) else get_part(part)
    nb = read_notebook(notebook_path(part, "solutions", base))
    return nb, read_spec(nb, part.number)
