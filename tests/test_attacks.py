"""A learner's attacks on the grader, run as a cohort beside honest classmates (issue 21).

Each attack scored full marks on the sandbox that hid a list of known places: a notebook that
runs ``git show`` on the clone (or reads any copy of the solutions it can find), one that polls
the reference cache and ``--out`` while its reference is computed, and any of them under a
non-root grader (whose probe failed: no isolation at all) or with the clone and venv under /tmp.
Now each scores 0, the honest keep full marks, and the run's isolation is ``namespaces``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from conftest import AS_NOBODY, ENVIRONMENT_PACKAGES, ROOT, RUN_A_SOLUTION, SEEDS, execute_solution, venv_loading

from aipm_lab.course.curriculum import PACKAGED, get_part, notebook_path
from aipm_lab.grading import isolation

if not isolation.available():
    pytest.skip("this machine refuses unprivileged user namespaces", allow_module_level=True)

PARTS = ("02", "05")

def _git_dirs(clone: Path) -> list[str]:
    common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=clone,
                            capture_output=True, text=True).stdout.strip()
    return [str(clone / ".git"), *([common] if common else [])]


def find_the_solution(part, clone: Path) -> str:
    """Run the solution from the clone's git history, or from any copy on disk (clone, package, wheels)."""
    stem = part.stem
    return RUN_A_SOLUTION + f'''
import glob, subprocess, zipfile
_found = None
for _git in {_git_dirs(clone)!r}:
    try:
        _p = subprocess.run(["git", "--git-dir", _git, "show", "HEAD:solutions/{stem}.ipynb"], capture_output=True,
                            text=True)
    except OSError:
        continue
    if _p.returncode == 0:
        _found = _p.stdout
        break
for _f in ({str(clone / "solutions" / f"{stem}.ipynb")!r}, {str(PACKAGED / "solutions" / f"{stem}.ipynb")!r}):
    try:
        _found = _found or open(_f).read()
    except OSError:
        pass
for _w in glob.glob({str(clone)!r} + "/**/*.whl", recursive=True):
    try:
        _found = _found or zipfile.ZipFile(_w).read("aipm_lab/curriculum_files/solutions/{stem}.ipynb").decode()
    except Exception:
        pass
if _found:
    _run_solution(_found)
'''


def poll_the_cache(part, cache: Path, out: Path, seconds: int) -> str:
    """Wait up to ``seconds`` for the grader to write this notebook's reference answers (cold cache) and take them."""
    return f'''
import glob, json, time
_deadline, _found = time.time() + {seconds}, None
while _found is None and time.time() < _deadline:
    for _f in glob.glob({str(cache)!r} + "/references/{part.number}-" + str(seed) + "-*.json") + \\
            glob.glob({str(out)!r} + "/**/*.json*", recursive=True):
        try:
            _found = json.load(open(_f))
        except Exception:
            pass
    time.sleep(0.2)
if isinstance(_found, dict):
    globals().update({{k: v for k, v in _found.items() if k != "ACCEPTED"}})
'''


def cohort(part, folder: Path, clone: Path, cache: Path, out: Path, poll: int = 10) -> dict[str, int]:
    """Write an honest notebook and the attackers into ``folder``; return the roster.

    The poller's reference is computed while it polls (some 4 s on a quiet machine); it
    polls ``poll`` seconds, and so holds up the whole run that long.
    """
    exercise = nbformat.read(notebook_path(part, "exercises", ROOT), as_version=4)
    execute_solution(part, SEEDS[0], folder / "honest.ipynb")
    attacks = {"git-and-copies": find_the_solution(part, clone), "cache-poller": poll_the_cache(part, cache, out, poll)}
    for name, source in attacks.items():
        nb = nbformat.from_dict(json.loads(nbformat.writes(exercise)))
        nb.cells.append(nbformat.v4.new_code_cell(source.strip()))
        nbformat.write(nb, folder / f"{name}.ipynb")
    # The poller's seed is its own: its reference is computed (and cached) while it runs.
    return {"honest": SEEDS[0], "git-and-copies": SEEDS[0], "cache-poller": SEEDS[1]}


def write_roster(path: Path, roster: dict[str, int]) -> Path:
    path.write_text("student,seed\n" + "".join(f"{k},{v}\n" for k, v in roster.items()))
    return path


def check(out: Path) -> None:
    rows = {r["submission"]: r for r in json.loads((out / "grades.json").read_text())}
    assert rows["honest"]["score"] == rows["honest"]["max_score"] > 0, rows["honest"]
    for name in ("git-and-copies", "cache-poller"):
        assert rows[name]["score"] == 0, rows[name]
    assert {r["isolation"] for r in rows.values()} == {"namespaces"}


def grade(python: str, args: list[str], cwd: Path, env: dict, user: list[str] = ()) -> None:
    """`aipm-lab grade` as its console script runs it (-P: the current folder is not on sys.path)."""
    done = subprocess.run([*user, python, "-P", "-m", "aipm_lab", "grade", *args, "--workers", "2", "--timeout", "60"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]


def shared_folder() -> Path:
    """A folder under /tmp that user nobody can read and write (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="aipm-attacks-"))
    folder.chmod(0o777)
    return folder


@pytest.mark.parametrize("part", PARTS)
def test_attacks_from_a_clone_score_zero_and_the_honest_keep_theirs(part, tmp_path):
    part = get_part(part)
    subs, cache, out = tmp_path / "subs", tmp_path / "cache", tmp_path / "out"
    subs.mkdir()
    # The cold-cache attack of item 4 polls longest here, where it was found (part 02): 20 s, five
    # times what its reference takes on a quiet machine; elsewhere 10 s, to keep the suite quick.
    poll = 20 if part.number == PARTS[0] else 10
    roster = write_roster(tmp_path / "roster.csv", cohort(part, subs, ROOT, cache, out, poll))
    env = {**os.environ, "AIPM_LAB_CACHE": str(cache)}  # cold: no references/ folder yet
    grade(sys.executable, [str(subs), "--part", part.number, "--roster", str(roster), "--out", str(out)], ROOT, env)
    check(out)


@pytest.mark.parametrize("part", PARTS[1:])  # one part: what differs from the root runs is the grader's user
def test_a_non_root_grader_gets_namespaces_and_the_attacks_score_zero(part, python_for_nobody):
    part = get_part(part)
    folder = shared_folder()
    try:
        subs, cache, out = folder / "subs", folder / "cache", folder / "out"
        subs.mkdir()
        roster = write_roster(folder / "roster.csv", cohort(part, subs, ROOT, cache, out))
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o777 if path.is_dir() else 0o666)
        env = {**os.environ, "AIPM_LAB_CACHE": str(cache), "HOME": str(folder),
               "AIPM_LAB_GRADEBOOK": str(folder / "gradebook.sqlite")}  # the session's is root's
        grade(python_for_nobody, [str(subs), "--part", part.number, "--roster", str(roster), "--out", str(out)],
              folder, env, user=AS_NOBODY)
        check(out)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_a_clone_and_venv_under_tmp_started_from_inside_the_clone(tmp_path):
    """Item 5 and 11: everything of the grader under /tmp, and a numpy.py in the folder it starts in."""
    part = get_part("02")
    base = Path(tempfile.mkdtemp(prefix="aipm-clone-", dir="/tmp"))
    try:
        clone = base / "clone"
        clone.mkdir()
        for name in ("src", "solutions", "exercises", "datasets"):
            shutil.copytree(ROOT / name, clone / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        shutil.copy(ROOT / "pyproject.toml", clone)
        git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(clone)]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-qm", "clone"], check=True)
        python, _ = venv_loading(base / "venv", [clone / "src", *ENVIRONMENT_PACKAGES])
        marker = tmp_path / "numpy-py-ran"
        (clone / "numpy.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
        subs, cache, out = base / "subs", base / "cache", base / "out"
        subs.mkdir()
        roster = write_roster(base / "roster.csv", cohort(part, subs, clone, cache, out))
        env = {k: v for k, v in os.environ.items() if k != "AIPM_LAB_HOME"} | {"AIPM_LAB_CACHE": str(cache)}
        grade(python, [str(subs), "--part", part.number, "--roster", str(roster), "--out", str(out)], clone, env)
        check(out)
        assert not marker.exists()  # the numpy.py in the working folder never ran
    finally:
        shutil.rmtree(base, ignore_errors=True)
