"""Solution notebooks are the single source of each exercise set.

A solution notebook (``solutions/NN-slug.ipynb``) holds, by convention:

* a code cell tagged ``parameters`` that sets ``seed`` (papermill's convention);
* a code cell tagged ``questions`` that assigns a literal ``QUESTIONS`` dict:
  question id -> ``points`` (an int, or a dict field -> int for partial credit),
  ``answer`` (the variable holding the answer), ``task`` (one line stating any
  convention the answer relies on), ``hint`` and ``public`` checks (see
  :mod:`aipm_lab.course.checks`). ``hint`` is a list of levels: level 1 (what
  ``check`` and the grader show) gives the concept and where the lesson shows it and
  names no function of aipm_lab; level 2 (``hint("q3", 2)``) names the tools. No level
  is a recipe that returns the answer. (A plain string is one level, the older form.);
* written questions: ``{"kind": "written", "points": N, "task": ..., "hint": [...],
  "rubric": [["criterion in plain words", points], ...]}`` (points = the rubric's sum).
  The learner writes the answer in a Markdown cell tagged ``written:<qid>`` (the
  exercise ships it with a placeholder line); a solution code cell prints a model
  answer from the seed's own numbers. The grader collects the text and leaves it
  for review (status ``awaiting-review``, no points until a person scores it);
* a code cell tagged ``hidden`` that assigns a literal ``HIDDEN_CHECKS`` dict
  (question id -> hidden checks, per field when the points are) and ``ACCEPTED = {}``,
  which solution code fills with the other answers that are also right for the seed
  (``ACCEPTED["q4"] = [...]``: tied optima, other valid methods);
* optionally a code cell tagged ``invariants`` whose asserts state the premises the
  part's wording relies on; it runs in every reference run, so a seed that breaks a
  premise fails loudly (``benchmarks/seed_sweep.py`` sweeps seeds for that);
* solution code between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` lines (and
  written answers between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->``
  in Markdown cells).

:func:`make_exercise` turns it into the exercise notebook: solution blocks become
``answer = None`` placeholders, the hidden and invariants cells are dropped, the
questions cell becomes a one-line setup (``check, hint = Checker.for_part("07",
globals())``) and the public part of ``QUESTIONS`` (tasks, hint levels, public checks,
points, rubrics; never the hidden checks) moves into the notebook's metadata, where the
learner does not read it and :func:`public_questions` loads it from, the
parameters cell becomes ``seed = None`` (a learner's variant is set by ``aipm-lab
start`` or by an instructor's handout, never the lessons' seed), outputs are cleared
the ``written:<qid>`` cells get a placeholder line, and the metadata is stamped with the part. The grader reads the specs with
:func:`read_spec`, which parses the literals and never executes the notebook.
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from aipm_lab.course.checks import validate_check
from aipm_lab.course.curriculum import (
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
SOLUTION_ONLY = ("hidden", "invariants")
SETUP_TAG = "setup"
"""Tag of the exercise's generated cell that gives the learner ``check`` and ``hint``."""
"""Tags of solution cells that never reach an exercise notebook."""
TEMPLATE_SEED = "seed = None  # your data variant: set by `aipm-lab start` or by your instructor"
WRITTEN_TAG = "written:"
"""Tag prefix of the Markdown cell holding a written answer: ``written:q9``."""
WRITTEN_PLACEHOLDER = "_Write your answer here, in place of this line._"


@dataclass(frozen=True)
class Question:
    """One graded question of an exercise set.

    ``hint`` holds the hint levels, level 1 first. A written question (``kind ==
    "written"``) has no answer variable and no checks, but a ``rubric`` of
    (criterion, points) pairs.
    """

    id: str
    points: int | dict
    answer: str
    task: str
    hint: tuple[str, ...]
    public: tuple = ()
    hidden: tuple | dict = ()
    kind: str = "auto"
    rubric: tuple = ()

    @property
    def written(self) -> bool:
        """Whether a person scores this question (against its rubric) rather than the grader."""
        return self.kind == "written"

    @property
    def max_score(self) -> int:
        """The question's points (summed over fields for partial credit)."""
        return sum(self.points.values()) if isinstance(self.points, dict) else self.points

    @property
    def fields(self) -> list[str]:
        """Fields scored on their own (empty for an all-or-nothing question)."""
        return list(self.points) if isinstance(self.points, dict) else []


@dataclass(frozen=True)
class ExerciseSpec:
    """Everything the grader needs to know about one part's exercise set."""

    part: str
    questions: dict[str, Question] = field(default_factory=dict)
    default_seed: int | None = None

    @property
    def auto_max(self) -> int:
        """Points the grader scores (every question but the written ones)."""
        return sum(q.max_score for q in self.questions.values() if not q.written)

    @property
    def written_max(self) -> int:
        """Points of the written questions, scored by a person against their rubrics."""
        return sum(q.max_score for q in self.questions.values() if q.written)

    @property
    def max_score(self) -> int:
        """The points a grading run awards: :attr:`auto_max` (written points await review)."""
        return self.auto_max

    @property
    def answers(self) -> list[str]:
        """Answer variable names of the auto-graded questions, in question order."""
        return [q.answer for q in self.questions.values() if not q.written]


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
    if not isinstance(questions, dict) or not isinstance(hidden, dict):
        raise AuthoringError(f"part {part}: QUESTIONS and HIDDEN_CHECKS must be dicts")
    parsed = {}
    for qid, q in questions.items():
        if not isinstance(q, dict):
            raise AuthoringError(f"part {part}, {qid}: a question is a dict")
        parse = _parse_written if q.get("kind") == "written" else _parse_question
        parsed[qid] = parse(part, qid, q, hidden.get(qid))
    unknown = set(hidden) - set(questions)
    if unknown:
        raise AuthoringError(f"part {part}: hidden checks for unknown questions {sorted(unknown)}")
    answers = [q.answer for q in parsed.values() if not q.written]
    if len(set(answers)) != len(answers):
        raise AuthoringError(f"part {part}: two questions share an answer variable")
    _check_written_cells(nb, part, [q.id for q in parsed.values() if q.written])
    return ExerciseSpec(part, parsed, seed)


def public_spec(spec: ExerciseSpec) -> list[dict]:
    """What the learner's self-check needs, as JSON: per question (in order; a list, since notebook
    metadata is written with sorted keys) its id, task, hint levels, points, answer variable and
    public checks, or its rubric; never a hidden check."""
    out = []
    for q in spec.questions.values():
        entry = {"id": q.id, "points": q.points, "task": q.task, "hint": list(q.hint)}
        if q.written:
            entry.update(kind="written", rubric=[list(r) for r in q.rubric])
        else:
            entry.update(answer=q.answer, public=json.loads(json.dumps(q.public)))
        out.append(entry)
    return out


def setup_source(part: str) -> str:
    """The exercise's setup cell: the self-check and the hints, its questions loaded from the package."""
    return ("from aipm_lab.course.checks import Checker\n\n"
            f'check, hint = Checker.for_part("{part}", globals())  '
            '# check("q1"): public checks and a first hint; hint("q1", 2): the next hint')


def public_questions(part: str | int, base: Path | None = None) -> dict:
    """The public questions of a part, from the metadata of its exercise notebook in the curriculum.

    A kernel cannot tell which notebook it runs (JupyterLab says so in ``JPY_SESSION_NAME``,
    papermill, nbclient and the grader do not), so the self-check reads the curriculum's copy:
    a clone, the source checkout, or the one a wheel carries, and never the solutions (which
    the grader hides from a submission).

    Returns
    -------
    dict
        Question id -> its public spec, in question order (what :class:`~aipm_lab.course.checks.Checker` takes).

    Raises
    ------
    CurriculumError
        If the exercise notebook is missing or was built before its questions moved into metadata.
    """
    part = get_part(part)
    path = notebook_path(part, "exercises", base)
    questions = (read_notebook(path).metadata.get("aipm_lab") or {}).get("questions")
    if not isinstance(questions, list):
        raise CurriculumError(f"{path} holds no questions; run `aipm-lab build` in the curriculum folder")
    return {q["id"]: {k: v for k, v in q.items() if k != "id"} for q in questions}


def written_cells(nb) -> dict[str, list]:
    """Question id -> the cells tagged ``written:<qid>`` (where written answers are typed)."""
    cells: dict[str, list] = {}
    for cell in nb.cells:
        for tag in cell.get("metadata", {}).get("tags", []):
            if isinstance(tag, str) and tag.startswith(WRITTEN_TAG):
                cells.setdefault(tag[len(WRITTEN_TAG):], []).append(cell)
    return cells


def _check_written_cells(nb, part: str, written: list[str]) -> None:
    """Each written question has exactly one Markdown cell for its answer; no tag names another question."""
    cells = written_cells(nb)
    for qid in written:
        found = cells.get(qid, [])
        if len(found) != 1 or found[0].cell_type != "markdown":
            raise AuthoringError(f"part {part}, {qid}: a written question needs exactly one Markdown cell tagged "
                                 f"{WRITTEN_TAG}{qid}, found {len(found)} cell(s)")
    stray = sorted(set(cells) - set(written))
    if stray:
        raise AuthoringError(f"part {part}: cells tagged {', '.join(WRITTEN_TAG + q for q in stray)} belong to no "
                             "written question")


@lru_cache(maxsize=1)
def library_names() -> frozenset[str]:
    """Public functions and classes a learner's notebook can use: aipm_lab's, without the grader's.

    Read from the source, nothing imported. ``aipm_lab.grading`` is left out: no notebook calls
    the grader, and its names ("merge", "flags") would otherwise forbid plain words in hints.
    """
    package = Path(__file__).resolve().parents[1]
    names = set()
    for path in package.rglob("*.py"):
        if path.relative_to(package).parts[0] == "grading":
            continue
        try:
            tree = ast.parse(path.read_text())
        except (OSError, SyntaxError, UnicodeDecodeError):
            continue
        names.update(node.name for node in tree.body
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                     and not node.name.startswith("_"))
    return frozenset(names)


_IDENTIFIER = re.compile(r"(`?)([A-Za-z_][A-Za-z0-9_]*)(`?)(\s*\()?")


def named_functions(text: str) -> list[str]:
    """The functions of aipm_lab that a hint names: called (``name(``), in backticks, dotted or snake_case.

    A plain English word that is also a function's name ("readout", "decide") does not count.
    """
    found = []
    for match in _IDENTIFIER.finditer(text):
        ticks, name, closing, call = match.groups()
        dotted = match.start(2) > 0 and text[match.start(2) - 1] == "."
        if name in library_names() and (call or (ticks and closing) or dotted or "_" in name.strip("_")):
            found.append(name)
    return sorted(set(found))


def _parse_hint(where: str, hint) -> tuple[str, ...]:
    """Hint levels from a string (one level, the older form) or a list; level 1 of a list names no function."""
    if isinstance(hint, str):
        return (hint,)
    if not isinstance(hint, (list, tuple)) or not hint or not all(isinstance(h, str) and h.strip() for h in hint):
        raise AuthoringError(f"{where}: hint must be a list of hint levels (non-empty strings), level 1 first")
    named = named_functions(hint[0])
    if named:
        raise AuthoringError(f"{where}: the level-1 hint names {', '.join(named)}; level 1 gives the concept and "
                             "where the lesson shows it, and the tools belong in level 2")
    return tuple(hint)


def _parse_written(part: str, qid: str, q: dict, hidden) -> Question:
    """Validate a written question: task, hint levels and a rubric whose points add up."""
    where = f"part {part}, {qid}"
    missing = {"points", "task", "hint", "rubric"} - set(q)
    if missing:
        raise AuthoringError(f"{where}: missing {', '.join(sorted(missing))}")
    extra = set(q) - {"kind", "points", "task", "hint", "rubric"}
    if extra or hidden:
        raise AuthoringError(f"{where}: a written question has no {', '.join(sorted(extra) or ['hidden checks'])} "
                             "(it is scored by a person against its rubric)")
    rubric = q["rubric"]
    if not isinstance(rubric, (list, tuple)) or not rubric or not all(
            isinstance(r, (list, tuple)) and len(r) == 2 and isinstance(r[0], str) and r[0].strip()
            and isinstance(r[1], int) and not isinstance(r[1], bool) and r[1] > 0 for r in rubric):
        raise AuthoringError(f"{where}: rubric must be a list of [criterion, points] pairs with positive points")
    points = q["points"]
    if points != sum(r[1] for r in rubric) or isinstance(points, bool):
        raise AuthoringError(f"{where}: points ({points}) must equal the rubric's sum ({sum(r[1] for r in rubric)})")
    return Question(qid, points, "", q["task"], _parse_hint(where, q["hint"]), kind="written",
                    rubric=tuple((r[0], r[1]) for r in rubric))


def _parse_question(part: str, qid: str, q: dict, hidden) -> Question:
    """Validate one ``QUESTIONS`` entry and its hidden checks."""
    where = f"part {part}, {qid}"
    missing = {"points", "answer", "task", "hint", "public"} - set(q)
    if missing:
        raise AuthoringError(f"{where}: missing {', '.join(sorted(missing))}")
    if not hidden:
        raise AuthoringError(f"{where}: no hidden check, so any well-typed answer would pass")
    if not str(q["answer"]).isidentifier():
        raise AuthoringError(f"{where}: answer {q['answer']!r} is not a variable name")
    points = q["points"]
    if isinstance(points, dict):
        if not points or not all(isinstance(v, int) and v > 0 for v in points.values()):
            raise AuthoringError(f"{where}: points per field must be positive integers")
        if not isinstance(hidden, dict) or set(hidden) != set(points) or not all(hidden.values()):
            raise AuthoringError(f"{where}: with points per field, HIDDEN_CHECKS needs a non-empty "
                                 f"list for each of {sorted(points)}")
        checks = [c for cs in hidden.values() for c in cs]
        hidden = {k: tuple(map(tuple, v)) for k, v in hidden.items()}
    else:
        if not isinstance(points, int) or points <= 0 or not isinstance(hidden, (list, tuple)):
            raise AuthoringError(f"{where}: points must be a positive integer (or a dict per field) "
                                 "and its hidden checks a list")
        checks, hidden = hidden, tuple(map(tuple, hidden))
    try:
        for check in q["public"]:
            validate_check(check, hidden=False)
        for check in checks:
            validate_check(check, hidden=True)
    except ValueError as exc:
        raise AuthoringError(f"{where}: {exc}") from None
    return Question(qid, points, q["answer"], q["task"], _parse_hint(where, q["hint"]),
                    tuple(map(tuple, q["public"])), hidden)


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
    import nbformat

    spec = read_spec(solution, part.number)
    answers = set(spec.answers)
    nb = nbformat.v4.new_notebook()
    nb.nbformat_minor = NBFORMAT_MINOR
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
        "aipm_lab": {"part": part.number, "kind": "exercise", "generated_from": f"solutions/{part.stem}.ipynb",
                     "questions": public_spec(spec)},
    }
    for index, cell in enumerate(solution.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if any(tag in tags for tag in SOLUTION_ONLY):
            continue
        meta = {"tags": tags} if tags else {}
        cell_id = cell.get("id") or f"{part.number}-{index}"
        if "parameters" in tags:
            new = nbformat.v4.new_code_cell(TEMPLATE_SEED, metadata=meta)
        elif "questions" in tags:
            new = nbformat.v4.new_code_cell(setup_source(part.number), metadata={"tags": [SETUP_TAG]})
        elif cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(blank_code(cell.source, answers), metadata=meta)
        elif cell.cell_type == "markdown" and any(t.startswith(WRITTEN_TAG) for t in tags):
            new = nbformat.v4.new_markdown_cell(WRITTEN_PLACEHOLDER, metadata=meta)
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(MD_BLOCK.sub(MD_PLACEHOLDER, cell.source), metadata=meta)
        else:
            new = nbformat.v4.new_raw_cell(cell.source, metadata=meta)
        new["id"] = cell_id
        nb.cells.append(new)
    return nb


def with_seed(nb, seed: int, note: str = "set by your instructor"):
    """A copy of an exercise notebook whose ``parameters`` cell sets ``seed``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An exercise notebook.
    seed : int
        The learner's data variant.
    note : str
        Who set it, shown as a comment next to the seed.

    Returns
    -------
    nbformat.NotebookNode
    """
    import nbformat

    copy = nbformat.reads(nbformat.writes(nbformat.from_dict(nb)), as_version=4)
    cells = tagged(copy, "parameters")
    if len(cells) != 1:
        raise AuthoringError("the notebook needs exactly one cell tagged 'parameters'")
    cells[0].source = f"seed = {int(seed)}  # your data variant, {note}"
    return copy


def holds_work(nb, answers: set[str]) -> bool:
    """Whether a notebook holds a learner's work: outputs, a seed, or an answer set to something.

    A generated exercise has no outputs, ``seed = None`` and only ``name = None`` for
    its answers, and its written-answer cells hold only their placeholder; anything else
    was typed or run by someone, and must not be overwritten.
    """
    for cells in written_cells(nb).values():
        if any(written_text(cell) for cell in cells):
            return True
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count"):
            return True
        if "parameters" in cell.get("metadata", {}).get("tags", []) and cell.source.strip() != TEMPLATE_SEED:
            return True
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            return True
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) in answers for t in node.targets):
                if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                    return True
    return False


def written_text(cell) -> str:
    """The learner's text in a written-answer cell ("" while it holds only the placeholder)."""
    text = cell.source.strip()
    return "" if text in ("", WRITTEN_PLACEHOLDER) else text


class Node(dict):
    """A notebook, cell or metadata dict whose keys also read as attributes (as nbformat's do)."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        self[name] = value


def _node(value):
    if isinstance(value, dict):
        return Node({k: _node(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_node(v) for v in value]
    return value


def read_notebook(path: Path, data: bytes | None = None):
    """Read a notebook file (or its ``data``, already read), reporting a readable error for a broken one.

    Version-4 notebooks are read as plain JSON (sources joined into strings), without
    nbformat's schema validation: importing it costs over a second, paid by every
    ``aipm-lab grade`` of a single submission. Older formats go through nbformat's
    conversion, then the same checks.

    Raises
    ------
    UnreadableNotebook
        For anything that is not a notebook: bad JSON or UTF-8, JSON nested too deep, an
        old format nbformat cannot convert, a cell without a type or source. The message
        names the file, not the folder it is in.
    """
    path = Path(path)
    try:
        data = path.read_bytes() if data is None else data
    except FileNotFoundError:
        raise CurriculumError(f"{path}: no such file") from None
    except OSError as exc:
        raise UnreadableNotebook(f"{path.name}: cannot be read ({exc.strerror})") from None
    try:
        return _parse_notebook(data)
    except UnreadableNotebook as exc:
        raise UnreadableNotebook(f"{path.name}: not a readable notebook ({exc})") from None
    except Exception as exc:  # noqa: BLE001 - json and nbformat's converters raise many kinds on a malformed file
        detail = str(exc).strip().splitlines()[:1]
        raise UnreadableNotebook(f"{path.name}: not a readable notebook "
                                 f"({': '.join([type(exc).__name__, *detail])[:200]})") from None


def _parse_notebook(data: bytes) -> Node:
    data = json.loads(data)
    version = data.get("nbformat") if isinstance(data, dict) else None
    if version in (1, 2, 3):
        import nbformat

        data, version = nbformat.reads(json.dumps(data), as_version=4), 4
    cells = data.get("cells") if version == 4 else None
    if not isinstance(cells, list) or not isinstance(data.get("metadata", {}), dict):
        raise UnreadableNotebook("no nbformat 4 cells list")
    for cell in cells:
        source = cell.get("source") if isinstance(cell, dict) else None
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            cell["source"] = "".join(source)
        elif not isinstance(source, str) or cell.get("cell_type") not in ("code", "markdown", "raw") \
                or not isinstance(cell.get("metadata", {}), dict):
            raise UnreadableNotebook("a cell has no type, source or metadata dict")
    data.setdefault("metadata", {})
    return _node(data)


def exercise_text(part: Part, base: Path | None = None) -> str:
    """The exact text that ``exercises/NN-slug.ipynb`` must contain."""
    import nbformat

    solution = read_notebook(notebook_path(part, "solutions", base))
    return nbformat.writes(make_exercise(solution, part)) + "\n"


def authored_parts(base: Path | None = None) -> list[Part]:
    """Parts that have a solution notebook."""
    base = base or root()
    return [p for p in PARTS if notebook_path(p, "solutions", base).exists()]


class WorkInExercise(CurriculumError):
    """``build`` would overwrite an exercise notebook that holds a learner's answers."""


def build(base: Path | None = None, check: bool = False, force: bool = False) -> list[str]:
    """Regenerate ``exercises/`` from ``solutions/``.

    Parameters
    ----------
    base : Path, optional
        The curriculum folder (default: found by :func:`aipm_lab.course.curriculum.root`).
    check : bool, default False
        Only compare; write nothing.
    force : bool, default False
        Overwrite exercise notebooks even when they hold a learner's answers.

    Returns
    -------
    list of str
        Exercise files that were stale (with ``check``) or rewritten (without).

    Raises
    ------
    WorkInExercise
        Before writing anything, if a stale exercise holds answers and ``force`` is False.
    """
    base = base or root()
    stale = []
    for part in authored_parts(base):
        path = notebook_path(part, "exercises", base)
        text = exercise_text(part, base)
        if not path.exists() or path.read_text() != text:
            stale.append((part, path, text))
    if not check and not force:
        busy = []
        for part, path, _ in stale:
            try:
                current = read_notebook(path) if path.exists() else None
            except UnreadableNotebook:
                current = None
            if current is not None and holds_work(current, set(solution_spec(part, base)[1].answers)):
                busy.append(str(path.relative_to(base)))
        if busy:
            raise WorkInExercise(
                f"{', '.join(busy)} holds your answers, and rebuilding would erase them. Move it into your "
                "work folder (`aipm-lab start` makes one; work there from now on), or pass --force to "
                "overwrite it."
            )
    changed = []
    for _, path, text in stale:
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
