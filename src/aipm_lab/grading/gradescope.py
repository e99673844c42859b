"""A Gradescope autograder for one part: the bundle an instructor uploads, and what it runs.

``aipm-lab gradescope --part 02 --out autograder.zip`` (from a clone) writes a zip with

* ``setup.sh``: installs this package (a wheel built from the clone, curriculum inside)
  with the pinned dependencies into ``/autograder/venv``;
* ``run_autograder``: grades the one notebook in ``/autograder/submission`` into
  ``/autograder/results/results.json`` (per question, partial credit, feedback);
* ``roster.csv`` (optional): seeds by student e-mail or name, matched against
  Gradescope's ``submission_metadata.json``; without a match the notebook's own seed is used;
* ``cache/``: the reference answers for the roster's seeds, computed once at build time.

Gradescope's own harness is not needed to test it: ``AUTOGRADER_ROOT`` points the scripts at a
folder laid out like ``/autograder``, and ``AIPM_LAB_PYTHON`` at an interpreter with the package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, when the autograder image is built (choose the Ubuntu 24.04 base image:
# aipm-lab needs Python 3.11 or newer).
set -euo pipefail
SOURCE="${AUTOGRADER_ROOT:-/autograder}/source"
export DEBIAN_FRONTEND=noninteractive  # apt must never stop the image build to ask a question (tzdata does)
apt-get update -q && apt-get install -y -q python3 python3-venv
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "aipm-lab needs Python 3.11+: pick Gradescope's Ubuntu 24.04 base image" >&2; exit 1; }
python3 -m venv "${AUTOGRADER_ROOT:-/autograder}/venv"
"${AUTOGRADER_ROOT:-/autograder}/venv/bin/pip" install -q -c "$SOURCE/constraints.txt" "$SOURCE"/aipm_lab-*.whl
"""

RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it always writes results/results.json.
set -uo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
export AIPM_LAB_CACHE="$ROOT/source/cache"
exec "${{AIPM_LAB_PYTHON:-$ROOT/venv/bin/python}}" -m aipm_lab.grading.gradescope --part {part} {flags}"$ROOT"
"""


def build_bundle(part: str, out: Path, roster: dict[str, int] | None = None, progress=print,
                 allow_unisolated: bool = False) -> Path:
    """Write the autograder zip for ``part`` to ``out``.

    Parameters
    ----------
    part : str
        The part to grade.
    out : Path
        The zip to write.
    roster : dict, optional
        Student e-mail or name -> seed; their reference answers are computed now and shipped.
    progress : callable
        Called with a line of text per step.
    allow_unisolated : bool
        Grade even where the autograder's machine refuses namespaces (by default such a run
        writes a results.json that says so and scores nothing).

    Raises
    ------
    CurriculumError
        Outside a clone (the wheel is built from the clone's source).
    """
    from aipm_lab.course.curriculum import editable_root, get_part
    from aipm_lab.grading.cache import ReferenceCache
    from aipm_lab.grading.grader import Grader
    from aipm_lab.grading.roster import write_roster

    base = editable_root()
    part = get_part(part).number
    with tempfile.TemporaryDirectory(prefix="aipm-gradescope-") as tmp:
        folder = Path(tmp)
        progress("building the aipm-lab wheel (the curriculum inside) ...")
        # With setuptools here, build offline; else pip fetches it into an isolated build environment.
        flags = ["--no-build-isolation"] if _has_setuptools() else []
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", *flags, "-w", str(folder),
                        str(base)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        (folder / "setup.sh").write_text(SETUP)
        unisolated = "--allow-unisolated " if allow_unisolated else ""
        (folder / "run_autograder").write_text(RUN.format(part=part, flags=unisolated))
        shutil.copy(base / "constraints.txt", folder / "constraints.txt")
        cache = ReferenceCache(folder / "cache")
        if roster:
            write_roster(folder / "roster.csv", roster)
            seeds = sorted(set(roster.values()))
            progress(f"computing reference answers for {len(seeds)} seed(s) ...")
            grader = Grader(base=base, part=part, workers=min(4, os.cpu_count() or 1), cache=cache)
            grader.precompute(part, seeds)
        cache.folder.mkdir(parents=True, exist_ok=True)
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo.from_file(path, path.relative_to(folder).as_posix())
                    if path.name in ("setup.sh", "run_autograder"):
                        info.external_attr = 0o100755 << 16
                    zf.writestr(info, path.read_bytes(), zipfile.ZIP_DEFLATED)
                elif path.is_dir() and not any(path.iterdir()):
                    zf.writestr(path.relative_to(folder).as_posix() + "/", b"")
    return out


def _has_setuptools() -> bool:
    try:
        import setuptools  # noqa: F401
    except ImportError:
        return False
    return True


def _seed_for(root: Path, submission: Path) -> int | None:
    """The roster's seed for the submitting student (by e-mail, then name), if the bundle has a roster."""
    from aipm_lab.grading.roster import read_roster

    roster_file = root / "source" / "roster.csv"
    if not roster_file.exists():
        return None
    roster = {k.strip().lower(): v for k, v in read_roster(roster_file).items()}
    try:
        users = json.loads((root / "submission_metadata.json").read_text()).get("users") or []
    except (OSError, ValueError, AttributeError):
        users = []
    for user in users:
        for key in ("email", "name"):
            value = str(user.get(key) or "").strip().lower()
            if value in roster:
                return roster[value]
    return None


def run(root: Path, part: str, allow_unisolated: bool = False) -> dict:
    """Grade the submission under ``root`` (laid out like ``/autograder``); write and return results.json.

    Never raises for a learner's mistake: a missing, extra or broken notebook gets a
    results.json with score 0 and a message saying what to fix.
    """
    from aipm_lab.course.curriculum import CurriculumError, get_part
    from aipm_lab.grading.cache import ReferenceCache
    from aipm_lab.grading.files import write_text
    from aipm_lab.grading.grader import Grader
    from aipm_lab.grading.report import gradescope
    from aipm_lab.grading.roster import learner_name

    results_file = root / "results" / "results.json"
    results_file.parent.mkdir(parents=True, exist_ok=True)
    found = sorted(p for p in (root / "submission").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    max_score = 0
    try:
        max_score = Grader(part=part).solution_max_score(part)
        if len(found) != 1:
            names = ", ".join(p.name for p in found) or "none"
            raise CurriculumError(f"upload exactly one .ipynb notebook (found: {names})")
        seed = _seed_for(root, found[0])
        grader = Grader(part=part, roster={learner_name(found[0]): seed} if seed is not None else None, workers=1,
                        cohort=True, allow_unisolated=allow_unisolated,
                        cache=ReferenceCache(Path(os.environ.get("AIPM_LAB_CACHE") or root / "source" / "cache")))
        result = grader.grade(found)[0]
        output = gradescope(result)
    except CurriculumError as exc:
        output = {"score": 0, "max_score": max_score,
                  "output": f"Not graded: {exc}", "tests": []}
    except Exception as exc:  # noqa: BLE001 - without results.json Gradescope shows the learner nothing at all
        output = {"score": 0, "max_score": max_score, "tests": [],
                  "output": f"Not graded: the autograder failed ({type(exc).__name__}); tell your instructor"}
    write_text(results_file, json.dumps(output, indent=2) + "\n")
    print(f"part {get_part(part).number}: {output['score']}/{output['max_score']}")
    return output


def main(argv: list[str] | None = None) -> int:
    """``python -m aipm_lab.grading.gradescope --part NN [ROOT]``, as ``run_autograder`` calls it."""
    import argparse

    p = argparse.ArgumentParser(description="Grade one Gradescope submission into results/results.json.")
    p.add_argument("--part", required=True)
    p.add_argument("--allow-unisolated", action="store_true")
    p.add_argument("root", nargs="?", default="/autograder")
    args = p.parse_args(argv)
    run(Path(args.root), args.part, args.allow_unisolated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
