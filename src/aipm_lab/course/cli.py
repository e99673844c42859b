"""The ``aipm-lab`` command.

Heavy libraries are imported inside the subcommands, so ``aipm-lab --help``
and ``aipm-lab list`` stay fast.
"""

from __future__ import annotations

import argparse
import errno
import os
import shlex
import subprocess
import sys
from pathlib import Path

from aipm_lab import __version__
from aipm_lab.course.curriculum import KINDS, PACKAGED, PARTS, CurriculumError, editable_root, notebook_path, root
from aipm_lab.grading.files import MAX_SUBMISSION_MB
from aipm_lab.grading.pool import MAX_NOTEBOOK_SECONDS


def cmd_list(args) -> int:
    base = root()
    print(f"{'part':4}  {'title':56}  {'time':>6}  lesson  exercise  solution")
    for part in PARTS:
        marks = ["yes" if notebook_path(part, k, base).exists() else "-" for k in KINDS]
        print(f"{part.number:4}  {part.title:56}  {part.minutes:>3} min  {marks[0]:6}  {marks[1]:8}  {marks[2]}")
    return 0


def lab_folder(requested: str | None) -> Path:
    """The folder JupyterLab opens: ``--dir``; else the clone; else the work folder ``start`` made."""
    if requested:
        folder = Path(requested)
        if not folder.is_dir():
            raise CurriculumError(f"--dir {folder} is not a folder")
        return folder.resolve()
    base = root()
    if base != PACKAGED:
        return base
    if Path("work").is_dir():
        return Path("work").resolve()
    raise CurriculumError("no work folder here yet: run `aipm-lab start` first (it makes work/ with the lessons "
                          "and your exercise sets), or pass --dir")


def cmd_lab(args) -> int:
    base = lab_folder(args.dir)
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={base}",
               # Saved lessons hold "run this cell to get the sliders", not a widget that cannot come back.
               "--ContentsManager.pre_save_hook=aipm_lab.course.widgets.drop_widget_views", *args.jupyter_args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and cloud machines often run as root
    print(f"Opening JupyterLab on {base} (Ctrl-C to stop)", file=sys.stderr)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def cmd_build(args) -> int:
    from aipm_lab.course.authoring import build

    editable_root()
    changed = build(check=args.check, force=args.force)
    if args.check:
        if changed:
            print("exercises/ is out of step with solutions/; run `aipm-lab build`. Stale:", file=sys.stderr)
            print("\n".join(f"  {c}" for c in changed), file=sys.stderr)
            return 1
        print("exercises/ matches solutions/")
        return 0
    print("\n".join(f"wrote {c}" for c in changed) if changed else "exercises/ already up to date")
    return 0


def cmd_data(args) -> int:
    from aipm_lab import datasets

    folder = (root() if args.check else editable_root()) / "datasets"
    if args.check:
        problems = datasets.stale(folder)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        print("datasets/ matches the generators" if not problems else "datasets/ is stale; run `aipm-lab data`")
        return 1 if problems else 0
    for path in datasets.write(folder):
        print(f"wrote {path.relative_to(folder.parent)}")
    return 0


def cmd_check(args) -> int:
    from dataclasses import asdict

    from aipm_lab.course.authoring import read_notebook, solution_spec
    from aipm_lab.course.checks import Checker
    from aipm_lab.grading.engine import execute
    from aipm_lab.grading.grader import notebook_seed, preload_modules
    from aipm_lab.grading.pool import Limits, WorkerPool

    nb = read_notebook(Path(args.notebook))
    part = args.part or (nb.metadata.get("aipm_lab") or {}).get("part")
    if not part:
        raise CurriculumError(f"{args.notebook} does not say its part; pass --part")
    solution, spec = solution_spec(part)
    seed = args.seed if args.seed is not None else notebook_seed(nb)
    if seed is None:
        raise CurriculumError(f"{args.notebook} has no data variant (seed = None): pass --seed, or work in a "
                              "copy made by `aipm-lab start`")
    print(f"Running {args.notebook} (part {spec.part}, seed {seed}) ...", file=sys.stderr)
    with WorkerPool(1, preload_modules([solution])) as pool:
        run = execute(nb, seed, spec.answers, pool, Limits(cell_timeout=args.timeout))
    for cell in run["cells"]:
        if cell.get("error"):
            print(f"cell {cell['index']}: {cell['error']}")
    if run["message"]:
        print(run["message"])
    checker = Checker({q.id: asdict(q) for q in spec.questions.values()}, run["answers"])
    for qid in spec.questions:
        print(checker.report(qid))
    print(checker.report().splitlines()[-1])
    return 0


def cmd_handout(args) -> int:
    import nbformat

    from aipm_lab.course.authoring import read_notebook, with_seed
    from aipm_lab.course.curriculum import get_part
    from aipm_lab.grading.roster import read_roster, student_file

    part = get_part(args.part)
    exercise = read_notebook(notebook_path(part, "exercises", root()))
    roster = read_roster(Path(args.roster))
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise CurriculumError(f"--out {out} is a file; give a folder")
    out.mkdir(parents=True, exist_ok=True)
    targets = {student: student_file(out, student) for student in roster}  # all checked before any is written
    written, kept = 0, []
    for student, seed in roster.items():
        text = nbformat.writes(with_seed(exercise, seed, f"for {student}, set by your instructor")) + "\n"
        target = targets[student]
        if target.exists() and target.read_bytes() != text.encode():
            kept.append(target.name)  # a learner's work, or another part's handout: never overwritten
            continue
        target.write_text(text, encoding="utf-8")
        written += 1
    print(f"wrote {written} notebooks of part {part.number} into {out}/ (one per student, named student.ipynb)")
    if kept:
        print(f"kept {len(kept)} that already exist with other contents, untouched: {', '.join(sorted(kept))}. "
              f"Move them out of {out}/ (or choose another --out) to write them again.")
    return 0


def cmd_start(args) -> int:
    from aipm_lab.course.authoring import authored_parts
    from aipm_lab.course.curriculum import get_part
    from aipm_lab.course.workspace import start

    base = root()
    parts = [get_part(p) for p in args.parts] if args.parts else authored_parts(base)
    missing = [p.number for p in parts if not notebook_path(p, "exercises", base).exists()]
    if missing:
        raise CurriculumError(f"part {', '.join(missing)} has no exercise set yet; `aipm-lab list` shows which do")
    if args.seed is not None and args.name:
        raise CurriculumError("give --seed or --name, not both")
    folder = Path(args.dir)
    if folder.exists() and not folder.is_dir():
        raise CurriculumError(f"{folder} is a file; give a folder with --dir")
    asked = f"--seed {args.seed}" if args.seed is not None else f"--name {shlex.quote(args.name)}" if args.name else ""
    for item in start(parts, folder, base, seed=args.seed, name=args.name):
        if item.created:
            print(f"wrote {item.path} (your data variant: seed {item.seed})")
        elif asked and item.other_variant:
            # Not the variant asked for (another learner's folder, or an earlier start): say so, keep it.
            print(f"kept  {item.path}: it already exists with seed {item.seed}, not seed {item.wanted} from {asked}, "
                  f"and nothing in it was changed. That copy is not your variant: for your own, run `aipm-lab start "
                  f"{item.part.number} {asked} --dir another-folder`, or move {item.path.name} out of {folder}/ first.")
        else:
            print(f"kept  {item.path} (it already exists; your answers in it are untouched)")
        if item.lesson is not None:
            print(f"wrote {item.lesson}")
    print(f"Open the notebooks in {folder}/ (for example with `aipm-lab lab`). `aipm-lab check {folder}/NN-....ipynb` "
          "runs one and shows its public checks.")
    return 0


def cmd_grade(args) -> int:
    import faulthandler
    import io
    import signal

    from aipm_lab.grading.cache import ReferenceCache
    from aipm_lab.grading.files import locked
    from aipm_lab.grading.grader import (
        Grader,
        GradingError,
        find_submissions,
        print_progress,
    )
    from aipm_lab.grading.journal import Journal
    from aipm_lab.grading.pool import Limits
    from aipm_lab.grading.report import submission_report, summary, write_all
    from aipm_lab.grading.roster import read_roster

    if args.workers < 1 or args.timeout <= 0 or args.memory < 64 or args.max_size <= 0 or \
            args.notebook_timeout is not None and args.notebook_timeout <= 0:
        raise GradingError("--workers must be >= 1, --memory >= 64, and --timeout, --notebook-timeout and "
                           "--max-size > 0")
    roster = read_roster(Path(args.roster)) if args.roster else None
    if args.curriculum and not (Path(args.curriculum) / "solutions").is_dir():
        raise GradingError(f"--curriculum {args.curriculum} has no solutions/ folder")
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise GradingError(f"--out {out} is a file; give a folder")
    if args.gradescope and len(find_submissions([Path(p) for p in args.paths])) != 1:
        raise GradingError("--gradescope writes results.json for exactly one submission")
    shard = parse_shard(args.shard) if args.shard else None
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 PID` prints where each thread of a run that seems stuck is
        try:
            faulthandler.register(signal.SIGUSR1, all_threads=True)
        except (ValueError, io.UnsupportedOperation):  # stderr is not a file (captured): go without
            pass
    journal = Journal(out)
    grader = Grader(part=args.part, roster=roster, workers=args.workers, progress=print_progress,
                    limits=Limits(cell_timeout=args.timeout, memory_mb=args.memory,
                                  notebook_timeout=args.notebook_timeout),
                    cache=None if args.no_cache else ReferenceCache(), private=[out], max_mb=args.max_size,
                    base=Path(args.curriculum).resolve() if args.curriculum else None,
                    allow_unisolated=args.allow_unisolated)
    try:
        with locked(out):  # one grading run per --out: two would grade everything twice into one journal
            resumed = len(journal.load())
            if resumed:
                print(f"{out}/ already holds {resumed} graded row(s): those whose file, seed and solution are "
                      "unchanged are kept, the rest are graded now", file=sys.stderr)
            results = grader.grade([Path(p) for p in args.paths], journal=journal, shard=shard)
            paths = write_all(results, out, gradescope_file=args.gradescope, skipped=grader.skipped,
                              base=grader.base, flags=grader.flags)
            book = record_in_gradebook(results, args.db, out)
    except KeyboardInterrupt:
        print(f"interrupted: the rows graded so far are in {journal.path}; run the same command again to "
              "grade the rest", file=sys.stderr)
        return 130
    except OSError as exc:  # a full disk, mostly: every row written so far is whole and kept
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        print(f"aipm-lab grade: stopped: {exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}. "
              f"The rows graded so far are in {journal.path}; {'free some space, then ' if full else ''}run the "
              "same command again to grade the rest", file=sys.stderr)
        return 1
    if len(results) == 1:  # one's own notebook: every question and field, not cohort statistics
        print(submission_report(results[0]))
    else:
        print(summary(results, grader.skipped, grader.flags))
    print("wrote " + ", ".join(map(str, paths)) + f"; recorded in the gradebook {book.path}")
    return 0


def record_in_gradebook(results, db: str | None, out: Path):
    """Record a run's rows in the course gradebook (``--db``); return it."""
    from aipm_lab.grading.gradebook import Gradebook

    book = Gradebook(Path(db) if db else None)
    book.record(results, source=str(out.resolve()))
    return book


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/5"`` -> ``(2, 5)``, with a one-line error for anything else."""
    from aipm_lab.grading.grader import GradingError

    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise GradingError(f"--shard {text!r}: give K/N with 1 <= K <= N, e.g. --shard 2/4")
    return int(k), int(n)


def cmd_gradescope(args) -> int:
    from aipm_lab.grading.gradescope import build_bundle
    from aipm_lab.grading.roster import read_roster

    roster = read_roster(Path(args.roster)) if args.roster else None
    out = Path(args.out)
    if out.is_dir():
        raise CurriculumError(f"--out {out} is a folder; give the zip file to write, e.g. autograder.zip")
    build_bundle(args.part, out, roster, progress=lambda line: print(line, file=sys.stderr),
                 allow_unisolated=args.allow_unisolated)
    print(f"wrote {out}: upload it as the assignment's autograder (Gradescope's Ubuntu 24.04 base image)")
    return 0


def cmd_merge(args) -> int:
    from aipm_lab.grading.files import locked
    from aipm_lab.grading.grader import Grader
    from aipm_lab.grading.journal import merge
    from aipm_lab.grading.report import summary, write_all

    results = Grader().complete(merge([Path(p) for p in args.folders]))
    with locked(Path(args.out)):
        paths = write_all(results, Path(args.out))
        book = record_in_gradebook(results, args.db, Path(args.out))
    print(summary(results))
    print("wrote " + ", ".join(map(str, paths)) + f"; recorded in the gradebook {book.path}")
    return 0


def cmd_gradebook(args) -> int:
    from aipm_lab.grading.gradebook import Gradebook, export_csv, render_table

    book = Gradebook(Path(args.db) if args.db else None)
    if args.history is not None:
        rows = book.rows(learner=args.history, history=True)
        if not rows:
            raise CurriculumError(f"{book.path} has no row for {args.history!r}")
        for row in rows:
            print(f"{row.recorded}  part {row.part}  {row.score}/{row.max_score}  {row.status}"
                  f"{'' if row.current else '  (superseded)'}  from {row.source}")
        return 0
    if args.export:
        if not args.out:
            raise CurriculumError("--export needs --out FILE.csv")
        count = export_csv(book, args.export, Path(args.out))
        print(f"wrote {args.out}: {count} learner(s), {args.export} format")
        return 0
    print(render_table(book))
    return 0


def cmd_review(args) -> int:
    import getpass
    import webbrowser

    from aipm_lab.grading.review_page import Review, serve

    folder = Path(args.folder)
    if not folder.is_dir():
        raise CurriculumError(f"{folder} is not a folder: give the --out folder of `aipm-lab grade`")
    try:
        reviewer = args.reviewer or getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        reviewer = "reviewer"
    review = Review(folder, reviewer, Path(args.curriculum).resolve() if args.curriculum else None)
    try:
        server, address = serve(review, args.port)
    except OSError as exc:
        raise CurriculumError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}") from None
    print(f"Reviewing the written answers of {folder}/ as {reviewer} at {address}\n"
          "Each score is saved at once; grades.csv, grades.json, the report and feedback/ follow. Ctrl-C stops.",
          file=sys.stderr, flush=True)
    if not args.no_browser:
        webbrowser.open(address)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print(f"stopped: {len(review.store.all())} review(s) kept in {review.store.path}", file=sys.stderr)
    finally:
        server.server_close()
    return 0


DB_HELP = ("the course gradebook (SQLite) this run's rows are recorded in (default: $AIPM_LAB_GRADEBOOK, else "
           "~/.local/share/aipm-lab/gradebook.sqlite)")


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``aipm-lab`` (one subparser per command)."""
    p = argparse.ArgumentParser(
        prog="aipm-lab",
        description="AI product management, taught through graded Jupyter notebooks.",
        epilog="Run `aipm-lab COMMAND --help` for the options of a command.",
    )
    p.add_argument("--version", action="version", version=f"aipm-lab {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    s = sub.add_parser("list", help="list the parts, their time and which notebooks exist")
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("lab", help="open JupyterLab on the curriculum",
                       description="Open JupyterLab on the curriculum folder of a clone, or, after a pip "
                                   "install, on the work folder `aipm-lab start` made. Any further arguments go "
                                   "to JupyterLab, e.g. `aipm-lab lab --no-browser --port 8890`.")
    s.add_argument("--dir", help="open this folder instead")
    s.set_defaults(func=cmd_lab)

    s = sub.add_parser("build", help="regenerate exercises/ from solutions/",
                       description="Regenerate each exercises/NN-slug.ipynb from solutions/NN-slug.ipynb.")
    s.add_argument("--check", action="store_true", help="write nothing; exit 1 and name stale files if any")
    s.add_argument("--force", action="store_true",
                   help="overwrite an exercise notebook even if it holds answers (they are lost)")
    s.set_defaults(func=cmd_build)

    s = sub.add_parser("start", help="copy lessons and exercise sets into your work folder, with your own data variant",
                       description="Copy exercise notebooks into a work folder (default: work/) with a data "
                                   "variant of your own, and the lessons into its lessons/ folder. An existing "
                                   "copy is never overwritten, so your answers and notes are safe; run it again "
                                   "after new parts appear to add them.")
    s.add_argument("parts", nargs="*", metavar="PART", help="parts to copy, e.g. 02 (default: every part with exercises)")
    s.add_argument("--dir", default="work", help="your work folder (default: work)")
    s.add_argument("--name", help="derive your seed from your name (the same name gives the same data)")
    s.add_argument("--seed", type=int, help="use this seed (for example one your instructor gave you)")
    s.set_defaults(func=cmd_start)

    s = sub.add_parser("data", help="regenerate the stored datasets, datasheets and manifest",
                       description="Write datasets/*.csv for the default seed, their datasheets and MANIFEST.sha256.")
    s.add_argument("--check", action="store_true", help="write nothing; exit 1 if a stored file is stale")
    s.set_defaults(func=cmd_data)

    s = sub.add_parser("check", help="run a notebook and show its public checks",
                       description="Run a learner's exercise notebook and print, per question, the public "
                                   "checks and hints. The reference answers are never shown.")
    s.add_argument("notebook", help="the exercise notebook to run")
    s.add_argument("--part", help="part number, if the notebook does not say")
    s.add_argument("--seed", type=int, help="data variant (default: the notebook's own seed)")
    s.add_argument("--timeout", type=float, default=120, help="seconds per cell (default: 120)")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("handout", help="write one exercise notebook per student, with their seed",
                       description="Copy a part's exercise notebook once per roster row, with the student's "
                                   "seed set, named student.ipynb so that graded submissions match the roster. A file that "
                                   "already exists with other contents (a learner's work) is kept, never overwritten.")
    s.add_argument("--part", required=True, help="part number, e.g. 02")
    s.add_argument("--roster", required=True, help="CSV with columns student,seed")
    s.add_argument("--out", default="handouts", help="output folder (default: handouts)")
    s.set_defaults(func=cmd_handout)

    s = sub.add_parser("grade", help="grade submissions into a gradebook",
                       description="Grade exercise notebooks against the solutions. Writes grades.csv, "
                                   "grades.json, questions.csv and a feedback page per learner (feedback/NAME.html; "
                                   "and results.json for Gradescope) into --out, and records the rows in the course "
                                   "gradebook (--db; see `aipm-lab gradebook`). "
                                   "Each row is also appended to --out/rows.jsonl as soon as it is graded: run the "
                                   "same command again after an interruption and only what is missing (or "
                                   "changed) is graded.")
    s.add_argument("paths", nargs="+", metavar="PATH", help="submission notebooks or folders of them")
    s.add_argument("--part", help="grade every submission as this part (default: from each notebook)")
    s.add_argument("--roster", help="CSV with columns student,seed; student matches the file stem")
    s.add_argument("--out", default="grading-out", help="output folder (default: grading-out)")
    s.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1),
                   help="notebooks graded at once (default: cores, at most 4)")
    s.add_argument("--timeout", type=float, default=60, help="seconds one cell may run (default: 60)")
    s.add_argument("--memory", type=int, default=2048, help="MB a notebook may allocate (default: 2048)")
    s.add_argument("--notebook-timeout", type=float, metavar="SECONDS",
                   help="seconds a whole notebook may take (default: 60 plus --timeout per code cell, at most "
                        f"{MAX_NOTEBOOK_SECONDS:.0f})")
    s.add_argument("--max-size", type=float, default=MAX_SUBMISSION_MB, metavar="MB",
                   help=f"refuse submissions larger than this, unread (default: {MAX_SUBMISSION_MB:g})")
    s.add_argument("--gradescope", action="store_true", help="also write Gradescope's results.json (one submission)")
    s.add_argument("--shard", metavar="K/N",
                   help="grade only the K-th of N slices of the submissions (merge the outputs with `aipm-lab merge`)")
    s.add_argument("--no-cache", action="store_true",
                   help="recompute reference answers instead of reusing those cached for the same solution, "
                        "package and seed (in $AIPM_LAB_CACHE or ~/.cache/aipm-lab)")
    s.add_argument("--curriculum", metavar="DIR",
                   help="the curriculum folder whose solutions/ are the reference (default: the one installed with "
                        "aipm-lab, never the current folder)")
    s.add_argument("--allow-unisolated", action="store_true",
                   help="grade several submissions or a roster even where notebooks cannot run in their own Linux "
                        "namespaces (then a submission can read the solutions and classmates' files)")
    s.add_argument("--db", metavar="FILE", help=DB_HELP)
    s.set_defaults(func=cmd_grade)

    s = sub.add_parser("gradescope", help="write a Gradescope autograder zip for one part",
                       description="Write a Gradescope autograder bundle (setup.sh, run_autograder, this package "
                                   "as a wheel with the curriculum, pinned dependencies). With --roster, seeds are "
                                   "matched to Gradescope's submitter by e-mail or name, and their reference "
                                   "answers are computed now and shipped; otherwise each notebook's own seed is used.")
    s.add_argument("--part", required=True, help="part number, e.g. 02")
    s.add_argument("--roster", help="CSV with columns student,seed; student is the e-mail or name on Gradescope")
    s.add_argument("--out", default="autograder.zip", help="zip to write (default: autograder.zip)")
    s.add_argument("--allow-unisolated", action="store_true",
                   help="grade even where Gradescope's machine refuses Linux namespaces to the autograder (then a "
                        "submission can read what the autograder can); by default such a run scores nothing")
    s.set_defaults(func=cmd_gradescope)

    s = sub.add_parser("merge", help="join the outputs of sharded grading runs into one gradebook",
                       description="Read the rows.jsonl of each `aipm-lab grade --shard K/N --out DIR` folder and "
                                   "write one grades.csv, grades.json and questions.csv.")
    s.add_argument("folders", nargs="+", metavar="DIR", help="the --out folders of the shards")
    s.add_argument("--out", default="grading-out", help="output folder (default: grading-out)")
    s.add_argument("--db", metavar="FILE", help=DB_HELP)
    s.set_defaults(func=cmd_merge)

    s = sub.add_parser("gradebook", help="the course gradebook: every learner's score per part, and LMS exports",
                       description="Print the course gradebook (every `aipm-lab grade` and `merge` records its rows "
                                   "there): one row per learner, one column per part, work not handed in counted as "
                                   "0 out of the part's maximum. --export writes a file an LMS imports.")
    s.add_argument("--db", metavar="FILE", help=DB_HELP.replace("this run's rows are recorded in", "to read"))
    s.add_argument("--export", choices=["canvas", "moodle", "wide"],
                   help="write Canvas's gradebook import CSV, Moodle's grade import CSV or a plain wide CSV")
    s.add_argument("--out", metavar="FILE", help="the file --export writes")
    s.add_argument("--history", metavar="LEARNER", help="list every row recorded for LEARNER, superseded ones too")
    s.set_defaults(func=cmd_gradebook)

    s = sub.add_parser("review", help="score the written answers of a graded cohort in the browser",
                       description="Serve the review page of a grading output folder on 127.0.0.1: one written "
                                   "question at a time, each learner's answer beside their own computed answers "
                                   "and the rubric. Each score is saved at once in GRADES_DIR/reviews.sqlite "
                                   "(stop and start again to resume; a second reviewer cannot overwrite a score "
                                   "silently), and grades.csv, grades.json, the report and feedback/ are written "
                                   "again with it.")
    s.add_argument("folder", metavar="GRADES_DIR", help="the --out folder of `aipm-lab grade` or `merge`")
    s.add_argument("--reviewer", help="your name, kept with each score (default: your user name)")
    s.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    s.add_argument("--no-browser", action="store_true", help="print the address without opening a browser")
    s.add_argument("--curriculum", metavar="DIR",
                   help="the curriculum whose solutions hold the rubrics (default: the one the run graded against)")
    s.set_defaults(func=cmd_review)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``aipm-lab`` console script."""
    cli = parser()
    # `lab` passes unknown options on to JupyterLab; every other command rejects them.
    args, extra = cli.parse_known_args(argv)
    if extra and args.command != "lab":
        cli.error(f"unrecognized arguments: {' '.join(extra)}")
    args.jupyter_args = extra
    try:
        return args.func(args)
    except CurriculumError as exc:  # user mistakes: one line, no traceback
        print(f"aipm-lab {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
