"""Grade submissions: run them sandboxed, then decide every verdict in this process.

The flow for one submission:

1. read it (a broken file becomes a row with a message, never a crash);
2. find its part (``--part`` or the notebook's metadata) and seed (the roster's,
   else the notebook's own ``seed``);
3. get the reference answers for (part, seed) by running the solution notebook
   in the sandbox pool, or from the on-disk cache (:mod:`aipm_lab.grading.cache`)
   keyed by the solution and the package; never passed to a submission's process;
4. run the submission with the seed injected, receiving its answers as plain data;
5. compare, here, with :mod:`aipm_lab.course.checks`.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, replace
from pathlib import Path

from aipm_lab.course.authoring import (
    AuthoringError,
    ExerciseSpec,
    UnreadableNotebook,
    authored_parts,
    literal_assignment,
    read_notebook,
    WRITTEN_TAG,
    solution_spec,
    tagged,
    written_cells,
    written_text,
)
from aipm_lab.course.checks import assess, kind_of, shown
from aipm_lab.course.curriculum import CurriculumError, get_part, installed_root, notebook_path
from aipm_lab.grading.engine import execute
from aipm_lab.grading.files import MAX_SUBMISSION_MB, read_submission
from aipm_lab.grading.pool import Limits, WorkerPool
from aipm_lab.grading.results import FieldResult, GradeResult, GradingError, QuestionResult
from aipm_lab.grading.reviews import awaiting_message
from aipm_lab.grading.roster import learner_name


ACCEPTED = "ACCEPTED"
"""Variable of a solution run holding, per question, other answers that are right for the seed."""

ANSWER_SHOWN = 300
"""Characters of a learner's answer kept in its row, for the review page to set beside their written answer."""


def judge(spec: ExerciseSpec, answers: dict, reference: dict, cell_errors: list[str],
          written: dict | None = None) -> list[QuestionResult]:
    """Decide each question from plain answers and plain reference answers.

    A written question is not scored here: its text is collected for review (status
    ``awaiting-review``, score 0), or the row says it was left blank.

    Parameters
    ----------
    spec : ExerciseSpec
    answers : dict
        Answer variable -> plain value, as received from the submission's process.
    reference : dict
        Answer variable -> plain value computed by the solution for the same seed, and
        ``ACCEPTED``: question id -> list of other answers that are right for that seed.
    cell_errors : list of str
        Errors raised by the submission's cells, used to explain missing answers.
    written : dict, optional
        Question id -> the text of its ``written:<qid>`` cell ("" for the placeholder),
        from :func:`written_answers`; a question missing from it has no such cell.

    Returns
    -------
    list of QuestionResult
    """
    accepted = reference.get(ACCEPTED) if isinstance(reference.get(ACCEPTED), dict) else {}
    results = []
    for q in spec.questions.values():
        if q.written:
            results.append(_written_result(q, (written or {}).get(q.id)))
            continue
        value = answers.get(q.answer) if isinstance(answers, dict) else None
        if value is None:
            why = f" The first failing cell said {cell_errors[0]}." if cell_errors else ""
            results.append(QuestionResult(
                q.id, 0, q.max_score, "not-answered", f"`{q.answer}` is not set.{why} Hint: {q.hint[0]}",
                [FieldResult(f, 0, q.points[f], "not-answered", "not set") for f in q.fields]))
            continue
        if q.answer not in reference:
            results.append(QuestionResult(q.id, 0, q.max_score, "failed", "the reference solution produced no "
                                          "answer for this seed; tell your instructor"))
            continue
        candidates = [reference[q.answer], *(accepted.get(q.id) or [])]
        verdicts = assess(asdict(q), value, candidates)
        score = sum(v.score for v in verdicts)
        status = "passed" if score == q.max_score else "failed" if score == 0 else "partial"
        failures = [v.message for v in verdicts if not v.passed]
        message = ("passed: " + "; ".join(v.message for v in verdicts)) if not failures else \
            f"{score}/{q.max_score} points. " + "; ".join(failures) + f". Hint: {q.hint[0]}"
        fields = [FieldResult(v.field, v.score, v.points, "passed" if v.passed else "failed", v.message)
                  for v in verdicts if v.field is not None]
        results.append(QuestionResult(q.id, score, q.max_score, status, message, fields,
                                      answer=answer_shown(value)))
    return results


def answer_shown(value) -> str:
    """A learner's answer as the review page sets it beside their memo: ``field: value`` pairs, numbers to 6 digits."""
    if kind_of(value) != "dict":
        return shown(value, ANSWER_SHOWN)
    text = ", ".join(f"{k}: {shown(v)}" for k, v in value.items())
    return text if len(text) <= ANSWER_SHOWN else text[: ANSWER_SHOWN - 3] + "..."


def _written_result(q, text: str | None) -> QuestionResult:
    """A written answer's row: left for review with its text, or not answered."""
    if text:
        return QuestionResult(q.id, 0, q.max_score, "awaiting-review", awaiting_message(q.max_score),
                              text=text, kind="written")
    where = f"the Markdown cell tagged {WRITTEN_TAG}{q.id}"
    why = f"{where} still holds its placeholder" if text is not None else f"{where} is missing from the notebook"
    return QuestionResult(q.id, 0, q.max_score, "not-answered", f"no written answer: {why}. Hint: {q.hint[0]}",
                          kind="written")


def written_answers(nb) -> dict[str, str]:
    """Question id -> the learner's text in its ``written:<qid>`` cell(s) ("" while only the placeholder)."""
    return {qid: "\n\n".join(filter(None, map(written_text, cells))) for qid, cells in written_cells(nb).items()}


def notebook_seed(nb) -> int | None:
    """The literal integer ``seed`` of a notebook's parameters cell, if any."""
    for cell in tagged(nb, "parameters"):
        try:
            value = literal_assignment(cell.source, "seed")
        except AuthoringError:
            return None
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    return None


def find_submissions(paths: list[Path]) -> list[Path]:
    """Notebook files named directly or found in the given folders (sorted, no checkpoints)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        elif os.path.lexists(path):  # a link or a FIFO is listed, then refused with a row when read
            found.append(path)
        else:
            raise GradingError(f"{path}: no such file or folder")
    if not found:
        raise GradingError("no .ipynb submissions found in " + ", ".join(map(str, paths)))
    stems = [learner_name(p) for p in found]
    dupes = sorted({s for s in stems if stems.count(s) > 1})
    if dupes:
        raise GradingError(f"two submissions share a name: {', '.join(dupes)} (the file stem identifies the student)")
    return found


def other_files(paths: list[Path]) -> list[str]:
    """Files in the given folders that are not notebooks (``bo.pdf``): reported, as they are not graded.

    Hidden files and folders (``.DS_Store``, ``.ipynb_checkpoints``) are left out; names are
    relative to the folder given.
    """
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(str(p.relative_to(path)) for p in path.rglob("*")
                            if p.suffix != ".ipynb" and not p.is_dir()
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
    return found


def preload_modules(nbs: list) -> list[str]:
    """Modules imported by the solution notebooks: the workers import them once, up front."""
    modules: list[str] = []
    for nb in nbs:
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
                modules += [n for n in names if n not in modules]
    return modules


class Grader:
    """Grade notebooks against the solution notebooks of a curriculum.

    Parameters
    ----------
    base : Path, optional
        Curriculum folder holding ``solutions/`` (default: the one this package was installed
        with, never the current folder: a learner's clone there would supply its own solutions).
    part : str, optional
        Grade every submission as this part (else read from each notebook).
    roster : dict, optional
        {student: seed}; the seed is injected whatever the notebook says.
    workers : int
        Notebooks run at once.
    limits : Limits
        Per-cell timeout and memory cap.
    progress : callable, optional
        Called with each finished :class:`GradeResult` (for progress lines).
    cache : ReferenceCache, optional
        Where reference answers are kept between runs (default: none, computed every run).
    private : list of Path, optional
        Further folders the notebooks must not see (for example the output folder). The
        solutions, the reference cache and the submissions' folders are always hidden.
    cohort : bool
        Grade as for a class (as the Gradescope bundle does) even for one submission.
    allow_unisolated : bool
        Grade a cohort (several submissions, a roster, or ``cohort``) even where notebooks
        cannot run in namespaces; by default that is refused, as a submission could then read
        the solutions and its classmates' files.
    max_mb : float
        Submissions larger than this are refused (with a row) before they are read.
    """

    def __init__(self, base=None, part=None, roster=None, workers=2, limits: Limits | None = None, progress=None,
                 cache=None, private=(), cohort=False, allow_unisolated=False, max_mb: float = MAX_SUBMISSION_MB):
        self.base = base or installed_root()
        self.cohort = cohort
        self.allow_unisolated = allow_unisolated
        self.part = get_part(part).number if part else None
        self.roster = roster
        self.workers = workers
        self.limits = limits or Limits()
        self.progress = progress
        self._specs: dict[str, tuple] = {}
        self._references: dict[tuple[str, int], Future] = {}
        self.cache = cache
        self.reference_runs = 0  # solutions actually executed (not found in the cache)
        self._lock = threading.Lock()
        self.pool: WorkerPool | None = None
        self.private = [Path(p) for p in private]
        self.isolation = ""
        self.max_bytes = int(max_mb * 2**20)
        self.skipped: list[str] = []  # files beside the notebooks that are not notebooks (see other_files)
        self.flags: list = []  # integrity signals of the last run (see aipm_lab.grading.integrity)

    def _hidden(self, submissions: list[Path]) -> tuple[str, ...]:
        """Everything a notebook could read to learn answers or harm a classmate."""
        from aipm_lab.course.curriculum import PACKAGED

        # Each submission's folder, and each file too (a folder that also holds Python or the
        # datasets cannot be covered, so its submissions are hidden one by one). Only the folders
        # are resolved: a submission that links to /dev/zero must not hide /dev from its classmates.
        paths = [self.base / "solutions", PACKAGED / "solutions", *self.private]
        if self.cache is not None:
            paths.append(self.cache.folder)
        folders = [Path(p).parent.resolve() for p in submissions]
        files = [folder / Path(p).name for folder, p in zip(folders, submissions)
                 if os.path.isfile(p) and not os.path.islink(p)]  # mount would follow a link to its target
        return tuple(dict.fromkeys([*(str(Path(p).resolve()) for p in paths), *map(str, folders), *map(str, files)]))

    def _solution(self, part: str):
        if part not in self._specs:
            # The bytes key the reference cache: taken with the notebook that is run, once per part.
            source = notebook_path(get_part(part), "solutions", self.base).read_bytes()
            self._specs[part] = (*solution_spec(part, self.base), source)
        return self._specs[part]

    def reference(self, part: str, seed: int) -> dict:
        """Answers of the solution for (part, seed), computed once per run, with ``ACCEPTED``.

        Raises
        ------
        CurriculumError
            If the solution notebook fails for this seed: a cell raised (an ``invariants``
            assert, for example) or an answer is missing.
        """
        return self.reference_future(part, seed).result()

    def reference_future(self, part: str, seed: int) -> Future:
        """The reference answers as a future: computed in the background, once per (part, seed).

        A submission can run while its reference is computed: on two workers, grading one
        submission on a cold cache costs one notebook run of wall time, not two.
        """
        with self._lock:
            future = self._references.get((part, seed))
            if future is not None:
                return future
            future = self._references[(part, seed)] = Future()
        threading.Thread(target=self._compute_reference, args=(part, seed, future), daemon=True).start()
        return future

    def _compute_reference(self, part: str, seed: int, future: Future) -> None:
        try:
            nb, spec, source = self._solution(part)
            cached = self.cache.get(part, seed, source) if self.cache else None
            if cached is not None:
                future.set_result(cached)
                return
            self.reference_runs += 1
            run = execute(nb, seed, [*spec.answers, ACCEPTED], self.pool, self.limits)
            missing = [a for a in spec.answers if run["answers"].get(a) is None]
            errors = [f"{c['error']} (cell {c['index']})" for c in run["cells"] if c.get("error")]
            if run["status"] != "completed" or missing or errors:
                raise CurriculumError(f"the solution of part {part} failed for seed {seed}: "
                                      f"{run['message'] or (errors[:1] or ['missing ' + ', '.join(missing)])[0]}")
            if self.cache:
                self.cache.put(part, seed, source, run["answers"])
            future.set_result(run["answers"])
        except BaseException as exc:  # noqa: BLE001 - delivered to every submission waiting on it
            future.set_exception(exc)

    def precompute(self, part: str, seeds: list[int]) -> None:
        """Compute the reference answers of ``part`` for ``seeds`` (into the cache), in parallel.

        Raises
        ------
        CurriculumError
            If the solution fails for one of the seeds.
        """
        self.limits = replace(self.limits, hidden=self._hidden([]))
        with WorkerPool(self.workers, preload_modules([self._solution(part)[0]])) as self.pool:
            for future in [self.reference_future(part, seed) for seed in seeds]:
                future.result()
        self.pool = None

    def solution_max_score(self, part: str) -> int:
        """The points a part's exercise set is worth."""
        return self._solution(get_part(part).number)[1].max_score

    def grade_one(self, path: Path, nb=None) -> GradeResult:
        """Grade one submission; every failure becomes a row, never an exception.

        ``nb`` is the notebook as read before any submission ran (see :meth:`grade`), or
        an :class:`UnreadableNotebook` error; by default the file is read now.
        """
        start = time.perf_counter()
        name = learner_name(path)
        result = GradeResult(name, self.part, None, 0, 0, "error")
        try:
            if self.part:  # known before the file is read, so even an unreadable file's row has it
                result.max_score = self.solution_max_score(self.part)
            if isinstance(nb, Exception):
                raise nb
            nb = read_notebook(path) if nb is None else nb
            stamp = nb.metadata.get("aipm_lab")
            declared = stamp.get("part") if isinstance(stamp, dict) else None
            part = self.part or declared
            if part is None:
                result.status, result.message = "wrong-part", "the notebook does not say its part; grade it with --part"
                return result
            if self.part and declared and str(declared) != self.part:
                result.status = "wrong-part"
                result.message = f"this is the notebook of part {declared}, not part {self.part}"
                return result
            result.part = part = get_part(part).number
            _, spec, _ = self._solution(part)
            result.max_score, result.written_max = spec.max_score, spec.written_max
            if self.roster is not None and name not in self.roster:
                result.status, result.message = "error", f"{name!r} is not on the roster"
                return result
            result.seed = seed = self.roster[name] if self.roster is not None else notebook_seed(nb)
            if seed is None:
                result.message = "the notebook has no data variant (seed = None); grade it with a --roster"
                return result
            reference = self.reference_future(part, seed)  # computed while the submission runs
            run = execute(nb, seed, spec.answers, self.pool, self.limits)
            reference = reference.result()
            errors = [f"{without_paths(c['error'])} (cell {c['index']})" for c in run["cells"] if c.get("error")]
            result.questions = judge(spec, run["answers"], reference, errors, written_answers(nb))
            result.score = sum(q.score for q in result.questions)
            result.status = "graded" if run["status"] == "completed" else run["status"]
            result.message = run["message"] or (f"{len(errors)} cell(s) raised errors" if errors else "")
        except UnreadableNotebook as exc:
            result.status, result.message = "unreadable", str(exc)
        except CurriculumError as exc:
            result.message = str(exc)
        except Exception as exc:  # noqa: BLE001 - a grader bug must not lose the cohort's other rows
            result.message = f"internal error while grading: {type(exc).__name__}: {exc}"
        finally:
            result.message = without_paths(result.message)
            result.seconds = time.perf_counter() - start
        return result

    def references_digest(self, parts: list[str]) -> str:
        """A digest of what reference answers depend on: the solutions in play and the package."""
        from aipm_lab.grading.cache import package_digest

        digest = hashlib.sha256(package_digest().encode())
        for part in parts:
            digest.update(self._solution(part)[2])
        return digest.hexdigest()

    def grade(self, paths: list[Path], journal=None, shard: tuple[int, int] | None = None) -> list[GradeResult]:
        """Grade every submission in ``paths`` (files or folders), in parallel.

        Parameters
        ----------
        paths : list of Path
        journal : Journal, optional
            Rows already graded (reused when their key matches) and where each new row is
            written as soon as it is graded (see :mod:`aipm_lab.grading.journal`).
        shard : (int, int), optional
            ``(k, n)``: grade only the k-th of n deterministic slices of the submissions.

        Returns
        -------
        list of GradeResult
            One per submission, in the order found (then one per roster student who handed
            nothing in; in a sharded run, only shard 1 adds those).
        """
        from aipm_lab.grading.isolation import set_dumpable
        from aipm_lab.grading.journal import row_key

        set_dumpable(False)  # this process holds the reference answers
        everyone = find_submissions(paths)
        self.skipped = other_files(paths)
        submissions = everyone if shard is None else everyone[shard[0] - 1 :: shard[1]]
        parts = [self.part] if self.part else [p.number for p in authored_parts(self.base)]
        references = self.references_digest(parts)
        # Read every submission before any runs: student code that rewrites its classmates'
        # files on disk must not change what they are graded on.
        data: list[bytes | Exception] = []
        for path in submissions:
            try:
                data.append(read_submission(path, self.max_bytes))
            except UnreadableNotebook as exc:
                data.append(exc)
            except OSError as exc:
                data.append(UnreadableNotebook(f"{path.name}: cannot be read ({exc.strerror})"))
        learners = [learner_name(p) for p in submissions]
        keys = [row_key(d if isinstance(d, bytes) else b"", (self.roster or {}).get(name), self.part, references)
                for name, d in zip(learners, data)]
        done = journal.load() if journal is not None else {}
        results: list[GradeResult | None] = [
            done[name][1] if isinstance(d, bytes) and done.get(name, ("",))[0] == k else None
            for name, d, k in zip(learners, data, keys)]
        todo = [i for i, r in enumerate(results) if r is None]
        if todo:
            preload = preload_modules([self._solution(p)[0] for p in parts])
            self.limits = replace(self.limits, hidden=self._hidden(everyone))
            # The workers import the heavy libraries while this process parses the submissions.
            with WorkerPool(self.workers, preload) as self.pool:
                notebooks = []
                for i in todo:
                    try:
                        notebooks.append(data[i] if isinstance(data[i], Exception)
                                         else read_notebook(submissions[i], data[i]))
                    except Exception as exc:  # noqa: BLE001 - one file's problem is its own row, never the cohort's
                        notebooks.append(exc)
                self._require_isolation(len(everyone) > 1 or self.roster is not None or self.cohort)
                watchdog = self._watchdog([nb for nb in notebooks if not isinstance(nb, Exception)], parts)
                threads = ThreadPoolExecutor(max(1, self.workers))
                try:
                    running = {threads.submit(self.grade_one, submissions[i], nb): i for i, nb in zip(todo, notebooks)}
                    count = 0
                    while running:
                        finished, _ = wait(running, timeout=watchdog, return_when=FIRST_COMPLETED)
                        if not finished:
                            # Every job has its own wall-clock limit, so this is a grader bug, not a slow
                            # notebook: say so and stop rather than wait forever.
                            names = ", ".join(sorted(submissions[i].name for i in running.values()))
                            raise GradingError(f"no submission finished in {watchdog:.0f} s (the longest a notebook "
                                               f"may take, twice); still waiting on: {names}. Rows graded so far are "
                                               "kept; run the same command again to grade the rest")
                        for future in sorted(finished, key=running.get):
                            i = running.pop(future)
                            result = future.result()
                            result.isolation = self.pool.isolation
                            results[i] = result
                            count += 1
                            if journal is not None:
                                journal.append(keys[i], result)
                            if self.progress:
                                self.progress(result, count, len(todo))
                finally:
                    # On Ctrl-C, stop at once: queued submissions are dropped, running ones die
                    # with the workers; every row written so far is in the journal.
                    threads.shutdown(wait=False, cancel_futures=True)
                self.isolation = self.pool.isolation
            self.pool = None
        self.flags = self._integrity(submissions, data)
        missing = self._missing({learner_name(p) for p in everyone}) if shard is None or shard[0] == 1 else []
        self.complete([*results, *missing])
        for result in missing:
            result.isolation = self.isolation
            if journal is not None:
                journal.append("", result)
        return [*results, *missing]

    def _integrity(self, paths: list[Path], data: list) -> list:
        """Integrity signals of the submissions read (:mod:`aipm_lab.grading.integrity`), per part."""
        from aipm_lab.grading.integrity import integrity_flags

        by_part: dict[str, dict] = {}
        for path, raw in zip(paths, data):
            try:  # a file that cannot be read or has no part already has its row saying so
                nb = read_notebook(path, raw)
                stamp = nb.metadata.get("aipm_lab")
                part = get_part(self.part or (stamp.get("part") if isinstance(stamp, dict) else None)).number
            except Exception:  # noqa: BLE001
                continue
            by_part.setdefault(part, {})[learner_name(path)] = nb
        found = []
        for part, notebooks in sorted(by_part.items()):
            try:
                solution, spec, _ = self._solution(part)
                template = read_notebook(notebook_path(get_part(part), "exercises", self.base))
            except (CurriculumError, OSError):
                continue
            found += integrity_flags(notebooks, template, solution, spec.answers)
        return found

    def complete(self, results: list[GradeResult]) -> list[GradeResult]:
        """Give every row its part's real maximum, so no gradebook imports 0 out of 0.

        A row whose part is unknown (a missing learner, an unreadable file, with no ``--part``)
        takes the cohort's part when the cohort has only one. Changes the rows in place.
        """
        known = {r.part for r in results if r.part}
        for r in results:
            if r.part is None and len(known) == 1:
                r.part = next(iter(known))
            if r.part:
                try:
                    spec = self._solution(get_part(r.part).number)[1]
                except CurriculumError:
                    continue
                r.max_score, r.written_max = spec.max_score, spec.written_max
        return results

    def _require_isolation(self, cohort: bool) -> None:
        """Refuse a cohort where notebooks would run without namespaces, unless told otherwise.

        Raises
        ------
        GradingError
            For a cohort when the workers report anything but ``namespaces``.
        """
        mode = self.pool.isolation
        if mode == "namespaces" or not cohort or self.allow_unisolated:
            return
        if self.pool.isolation_problem:  # namespaces, but a notebook could only be host root in them
            raise GradingError(f"{self.pool.isolation_problem}, or pass --allow-unisolated to grade here anyway "
                               "(see the README)")
        raise GradingError(f"this machine does not let the grader run notebooks in their own namespaces "
                           f"(isolation: {mode}), so a submission could read the solutions and its classmates' "
                           "work; grade a class on Linux with unprivileged user namespaces, or pass "
                           "--allow-unisolated to grade here anyway (see the README)")

    def _watchdog(self, notebooks: list, parts: list[str]) -> float:
        """Seconds with no finished row after which the run is stuck: twice the longest notebook's limit.

        A row can wait for its reference (one notebook) and then run (another), each bounded
        by its wall-clock limit.
        """
        cells = [sum(c.get("cell_type") == "code" for c in nb["cells"]) + 1
                 for nb in [*notebooks, *(self._solution(p)[0] for p in parts)]]
        return 2 * max(self.limits.wall_clock(n) for n in cells)

    def _missing(self, graded: set[str]) -> list[GradeResult]:
        """A zero row for every roster student who handed nothing in, so the gradebook is complete."""
        others = {learner_name(Path(name)): name for name in self.skipped}
        return [GradeResult(student, self.part, seed, 0, 0, "missing", "no submission found" + (
                    f"; {others[student]} was handed in, but it is not a notebook (.ipynb)" if student in others else ""))
                for student, seed in (self.roster or {}).items() if student not in graded]


_FOLDERS = re.compile(r"(?<![\w.:/])(?:/[^\s/'\"]+)+/")
"""The folders of an absolute path (not a ratio such as 3/4, nor a URL's //host/)."""


def without_paths(text: str) -> str:
    """``text`` with every absolute path cut to its last part: feedback never shows the grading machine's folders."""
    return _FOLDERS.sub("", text)


def print_progress(result: GradeResult, done: int, total: int) -> None:
    """Progress line on stderr for one graded submission (names and messages on one line, no control characters)."""
    from aipm_lab.grading.report import one_line

    note = f" [{result.status}: {one_line(result.message)}]" if result.status != "graded" else ""
    print(f"[{done}/{total}] {one_line(result.submission)}: {result.score}/{result.max_score} "
          f"({result.seconds:.1f} s){note}", file=sys.stderr, flush=True)
