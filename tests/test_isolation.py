"""Submissions run in their own namespaces: the attacks that worked as the grading user now fail.

Each attack runs once inside the sandbox (namespaces) and, where it shows the test can fail,
once with isolation switched off, where it succeeds.
"""

from __future__ import annotations

import hashlib
import os
import socket
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT

from aipm_lab.grading import isolation
from aipm_lab.grading.pool import Limits, WorkerPool

if not isolation.available():
    if os.environ.get("AIPM_LAB_REQUIRE_ISOLATION"):
        raise RuntimeError("AIPM_LAB_REQUIRE_ISOLATION is set but this machine refuses user namespaces")
    pytest.skip("this machine refuses unprivileged user namespaces (the grader reports 'uid' or 'none')",
                allow_module_level=True)

SOLUTIONS = ROOT / "solutions"
LIMITS = Limits(cell_timeout=60, memory_mb=600, hidden=(str(SOLUTIONS),))
"""No test here waits for a timeout: a generous one keeps a quick cell from timing out under load."""
GONE_WITHIN = 30
"""Seconds to wait for a run's processes to be reaped (polled: a quiet machine takes well under one)."""


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(1, ["numpy"]) as pool:
        assert pool.isolation == "namespaces"
        yield pool


@contextmanager
def pool_started_with(**env):
    """A one-worker pool whose worker started with ``env`` set (it reads its environment then)."""
    with pytest.MonkeyPatch.context() as mp:
        for name, value in env.items():
            mp.setenv(name, value)
        pool = WorkerPool(1, ["numpy"])
    with pool:
        yield pool


@pytest.fixture(scope="module")
def open_pool():
    with pool_started_with(AIPM_LAB_ISOLATION="off") as pool:
        assert pool.isolation != "namespaces"
        yield pool


def answer(pool, source: str, limits: Limits = LIMITS):
    result = pool.run([(0, source)], ["a"], limits)
    return result["answers"].get("a"), result


READ_SOLUTIONS = f"""
import os
try:
    a = sorted(os.listdir({str(SOLUTIONS)!r}))
except OSError as e:
    a = "blocked"
"""

SEE_THE_GRADER = """
import os
a = []
for p in os.listdir("/proc"):
    if p.isdigit():
        try:
            a.append(open(f"/proc/{p}/cmdline", "rb").read().decode(errors="replace"))
        except OSError:
            pass
a = [c for c in a if "pytest" in c]  # the process that runs the grader (these tests)
"""


def test_the_solutions_are_hidden(pool, open_pool):
    assert answer(pool, READ_SOLUTIONS)[0] == []  # an empty folder: the curriculum is found, no solution in it
    assert any(name.endswith(".ipynb") for name in answer(open_pool, READ_SOLUTIONS)[0])


def test_the_grader_process_is_out_of_sight(pool, open_pool):
    assert answer(pool, SEE_THE_GRADER)[0] == []
    assert answer(open_pool, SEE_THE_GRADER)[0]  # without namespaces the worker is right there


def test_the_graders_memory_cannot_be_opened(pool):
    worker = pool._all[0].ready()["pid"]
    code = f"""
try:
    open("/proc/{worker}/mem", "rb").read(1)
    a = "read"
except OSError as e:
    a = type(e).__name__
"""
    assert answer(pool, code)[0] in ("FileNotFoundError", "PermissionError")


def test_nothing_outside_its_own_folder_can_be_written(pool, tmp_path):
    targets = [ROOT / "datasets" / "card_transactions.csv", ROOT / "written-by-a-submission.txt",
               tmp_path / "classmate.ipynb"]
    (tmp_path / "classmate.ipynb").write_text("honest work")
    before = (ROOT / "datasets" / "card_transactions.csv").stat().st_mtime
    code = f"""
a = []
for path in {[str(t) for t in targets]!r}:
    try:
        with open(path, "a") as f:
            f.write("tampered")
        a.append("written")
    except OSError as e:
        a.append(type(e).__name__)
with open("mine.txt", "w") as f:  # its own work folder stays writable
    f.write("ok")
a.append(open("mine.txt").read())
"""
    got, _ = answer(pool, code)
    assert got[-1] == "ok" and "written" not in got[:-1]
    assert not (ROOT / "written-by-a-submission.txt").exists()
    assert (tmp_path / "classmate.ipynb").read_text() == "honest work"
    assert (ROOT / "datasets" / "card_transactions.csv").stat().st_mtime == before


def test_no_network(pool):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    code = f"""
import socket
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
    a = "connected"
except OSError as e:
    a = type(e).__name__
"""
    try:
        assert answer(pool, code)[0] not in (None, "connected")
    finally:
        server.close()


def _running(marker: str) -> list[str]:
    found = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                cmdline = open(f"/proc/{p}/cmdline", "rb").read().decode(errors="replace")
            except OSError:
                continue
            if marker in cmdline:
                found.append(p)
    return found


def test_a_detached_daemon_dies_with_the_run(pool):
    marker = "314.159"
    code = f"""
import subprocess
subprocess.Popen(["sleep", "{marker}"], start_new_session=True)
a = "started"
"""
    assert answer(pool, code)[0] == "started"
    deadline = time.monotonic() + GONE_WITHIN
    while _running(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _running(marker) == []


def test_a_fork_bomb_is_capped_and_leaves_nothing_behind(pool):
    marker = "271.828"
    code = f"""
import os
made = 0
try:
    for _ in range(5000):
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", "{marker}"])
        made += 1
except OSError:
    pass
a = made
"""
    made, result = answer(pool, code)
    assert result["status"] == "completed" and 0 < made < 5000
    deadline = time.monotonic() + GONE_WITHIN
    while _running(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _running(marker) == []


def test_a_huge_file_and_a_flood_of_output_are_cut_short(pool):
    code = """
try:
    with open("big.bin", "wb") as f:
        for _ in range(5 * 1024):
            f.write(b"\\0" * 2**20)
    a = "5 GB written"
except OSError as e:
    a = type(e).__name__
for _ in range(500):
    print("x" * 2**20)
"""
    got, result = answer(pool, code)
    assert got not in (None, "5 GB written") and result["status"] == "completed"


STEAL_THE_SOLUTION = '''
import json, pathlib, aipm_lab
_places = [p / "solutions" for s in (pathlib.Path.cwd(), pathlib.Path(aipm_lab.__file__).resolve()) for p in s.parents]
_places.append(pathlib.Path(aipm_lab.__file__).parent / "curriculum_files" / "solutions")
for _d in _places:
    _f = _d / "02-class-imbalance.ipynb"
    if _f.is_file():
        for _c in json.loads(_f.read_text())["cells"]:
            if _c["cell_type"] == "code" and "parameters" not in _c["metadata"].get("tags", []):
                get_ipython().run_cell("".join(_c["source"]))
        break
'''


@pytest.mark.parametrize("isolated", [True, False], ids=["namespaces", "off"])
def test_a_submission_that_runs_the_solution_it_finds_scores_zero_and_the_honest_keep_theirs(
        isolated, tmp_path, monkeypatch, capsys):
    """The issue's attack: find solutions/ beside the package or the working folder and run it.

    It scored full marks as the grading user; in namespaces there is nothing to find.
    """
    import json

    import nbformat
    from conftest import RUN_A_SOLUTION, SEEDS, execute_solution

    from aipm_lab.course.cli import main
    from aipm_lab.course.curriculum import get_part, notebook_path

    if not isolated:
        monkeypatch.setenv("AIPM_LAB_ISOLATION", "off")
    part = get_part("02")
    subs = tmp_path / "subs"
    subs.mkdir()
    execute_solution(part, SEEDS[0], subs / "honest.ipynb")
    attacker = nbformat.read(notebook_path(part, "exercises", ROOT), as_version=4)
    attacker.cells.append(nbformat.v4.new_code_cell(STEAL_THE_SOLUTION.strip()))
    nbformat.write(attacker, subs / "thief.ipynb")
    (tmp_path / "roster.csv").write_text(f"student,seed\nhonest,{SEEDS[0]}\nthief,{SEEDS[0]}\n")
    out = tmp_path / "out"
    args = ["grade", str(subs), "--part", "02", "--roster", str(tmp_path / "roster.csv"), "--out", str(out),
            "--workers", "1"]
    if not isolated:  # without namespaces a cohort is refused, unless the instructor says otherwise
        assert main(args) == 2 and not (out / "grades.json").exists()
        assert "--allow-unisolated" in capsys.readouterr().err
        args.append("--allow-unisolated")
    assert main(args) == 0
    rows = {r["submission"]: r for r in json.loads((out / "grades.json").read_text())}
    assert rows["honest"]["score"] == rows["honest"]["max_score"] > 0
    if isolated:
        assert rows["thief"]["score"] == 0 and rows["thief"]["isolation"] == "namespaces"
    else:  # the control: the same attack without namespaces gets full marks, so the test above can fail
        assert rows["thief"]["score"] == rows["thief"]["max_score"] and rows["thief"]["isolation"] != "namespaces"


def test_a_learner_grading_their_own_notebook_is_not_refused_without_namespaces(tmp_path, monkeypatch):
    import json

    from aipm_lab.course.cli import main
    from aipm_lab.course.curriculum import get_part, notebook_path

    monkeypatch.setenv("AIPM_LAB_ISOLATION", "off")
    mine = tmp_path / "mine.ipynb"
    mine.write_bytes(notebook_path(get_part("02"), "exercises", ROOT).read_bytes())
    assert main(["grade", str(mine), "--part", "02", "--out", str(tmp_path / "out"), "--workers", "1"]) == 0
    (row,) = json.loads((tmp_path / "out" / "grades.json").read_text())
    assert row["isolation"] != "namespaces"


def test_the_grader_and_its_workers_keep_their_memory_to_themselves():
    """Non-dumpable: where namespaces are missing, a same-user submission cannot read /proc/PID/mem."""
    import ctypes

    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        isolation.set_dumpable(False)
        os._exit(ctypes.CDLL(None).prctl(isolation.PR_GET_DUMPABLE, 0, 0, 0, 0))
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


def test_a_python_under_tmp_still_gets_a_writable_work_folder(tmp_path, monkeypatch):
    # A clone (or a --target install) under /tmp: /tmp cannot be swapped for an empty one, so the
    # run's own folder is bound in, and must stay writable while everything else is read-only.
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    with WorkerPool(1, ["numpy"]) as pool:
        code = "import tempfile\nopen('x.txt', 'w').write('ok')\na = [open('x.txt').read(), bool(tempfile.mkdtemp())]"
        got, result = answer(pool, code)
        assert got == ["ok", True], result
        assert answer(pool, READ_SOLUTIONS)[0] == []


# The allow-list (issue 21): a notebook's root holds only what it needs. Each test below
# failed on the sandbox that hid a list of known places (checked against that code).

LOOK_AROUND = f"""
import os
def _ls(path):
    try:
        return sorted(os.listdir(path))
    except OSError:
        return None
a = {{"/": _ls("/"), "/tmp": _ls("/tmp"), "/home": _ls("/home"), "/etc": _ls("/etc"),
     "clone": _ls({str(ROOT)!r}), ".git": os.path.exists({str(ROOT / ".git")!r}), "uid": os.getuid(),
     "solutions": _ls({str(ROOT / "solutions")!r}),
     "cache": _ls(os.environ.get("AIPM_LAB_CACHE", "/nonexistent"))}}
"""


def test_the_root_holds_the_allow_list_and_nothing_else(pool):
    seen, _ = answer(pool, LOOK_AROUND)
    homes = {Path(os.path.realpath(p)).parts[1] for p in (sys.prefix, sys.base_prefix, ROOT)}
    assert set(seen["/"]) <= {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "dev", "proc", "tmp",
                              *homes}
    assert "home" not in seen["/"] and seen["/home"] is None
    assert set(seen["/etc"]) <= {"ld.so.cache", "localtime", "nsswitch.conf", "passwd", "group"}
    assert seen["/tmp"] == ["run"]  # the host's /tmp is not there, only the notebook's own folder
    # Of the clone: Python, the package, the public exercises and datasets; no solution, no history.
    # The venv in the clone is whichever this Python is (.venv, or CI's .venv-oldest on Debian's Python).
    venv = {Path(os.path.realpath(sys.prefix)).relative_to(ROOT.resolve()).parts[0]} \
        if Path(os.path.realpath(sys.prefix)).is_relative_to(ROOT.resolve()) else set()
    assert set(seen["clone"]) <= {"src", *venv, "datasets", "exercises", "solutions", "pyproject.toml"}
    assert seen["solutions"] in ([], None) and not seen[".git"]
    assert seen["cache"] is None
    assert seen["uid"] not in (0, os.geteuid())  # never root, never the grader's own id


def test_the_git_history_of_the_clone_is_out_of_reach(pool):
    import subprocess

    common = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    code = f"""
import subprocess
a = []
for _git in {[str(ROOT / ".git"), common]!r}:
    try:
        _p = subprocess.run(["git", "--git-dir", _git, "show", "HEAD:solutions/02-class-imbalance.ipynb"],
                            capture_output=True, text=True)
        a.append(_p.stdout[:100])
    except OSError as e:
        a.append(type(e).__name__)
"""
    got, result = answer(pool, code)
    assert got is not None and not any("cells" in out for out in got), result


OPEN_THE_WAITERS_FILES = """
import os
a = []
for _pid in os.listdir("/proc"):
    if _pid.isdigit() and int(_pid) != os.getpid():
        try:
            _fds = os.listdir(f"/proc/{_pid}/fd")
        except OSError:
            continue
        for _fd in _fds:
            try:
                os.close(os.open(f"/proc/{_pid}/fd/{_fd}", os.O_RDONLY | os.O_NONBLOCK))
                a.append(f"{_pid}/{_fd}")
            except OSError:
                pass
"""


def test_the_processes_above_a_notebook_lend_it_no_file(pool):
    """The waiters held the worker's job and reply pipes (/proc/1/fd/0 and 4) and were dumpable."""
    assert answer(pool, OPEN_THE_WAITERS_FILES)[0] == []


@pytest.fixture(scope="module")
def pool_with_secrets():
    with pool_started_with(GRADER_SECRET_TOKEN="s3cret") as pool:
        yield pool


def test_a_notebook_gets_a_minimal_environment(pool_with_secrets):
    import os as host

    got, _ = answer(pool_with_secrets, "import os\na = dict(os.environ)")
    assert "GRADER_SECRET_TOKEN" not in got and "s3cret" not in got.values()
    assert got["HOME"] == got["TMPDIR"]
    assert set(got) <= {*__import__("aipm_lab.grading.sandbox", fromlist=["x"]).ENVIRONMENT, "HOME", "TMPDIR",
                        "MPLCONFIGDIR", "IPYTHONDIR"}
    assert host.environ.get("GRADER_SECRET_TOKEN") is None


def test_a_notebook_finds_nothing_of_earlier_jobs_in_its_memory(pool):
    """Item 7: a notebook forked from a warm worker could scan its heap for earlier jobs' cells and answers."""
    marker = "6f3a1c9e-earlier-job-answer"
    assert answer(pool, f"a = {marker!r}")[0] == marker
    # The scan holds the marker's first half and a digest of the rest, never the marker itself.
    head, tail = marker[:12].encode(), hashlib.sha256(marker[12:].encode()).hexdigest()
    scan = f"""
import hashlib
a = 0
with open("/proc/self/maps") as _maps, open("/proc/self/mem", "rb", buffering=0) as _mem:
    for _line in _maps:
        _span, _perms = _line.split()[:2]
        if "r" not in _perms or "[v" in _line:
            continue
        _lo, _hi = (int(x, 16) for x in _span.split("-"))
        try:
            _mem.seek(_lo)
            _data = _mem.read(_hi - _lo)
        except (OSError, OverflowError, ValueError):
            continue
        _at = _data.find({head!r})
        while _at >= 0:
            a += hashlib.sha256(_data[_at + 12:_at + {len(marker)}]).hexdigest() == {tail!r}
            _at = _data.find({head!r}, _at + 1)
"""
    got, result = answer(pool, scan, replace(LIMITS, memory_mb=2000))
    assert got == 0, result


# Item 10: a root grader whose Python other users cannot read (pyenv or conda in /root, mode 700)
# ran notebooks in namespaces mapped to host root: a root-only file inside an allow-listed mount
# was readable. Now the notebook is a sandbox uid (60000-60999) on the host.

def _curriculum_with_a_secret(folder: Path, parts: tuple[str, ...] = ()) -> Path:
    """A curriculum copy (for AIPM_LAB_HOME) whose datasets/ holds root-only copies of solutions.

    It lies under pytest's tmp_path, in a folder only root may enter, as the Python does here.
    """
    import shutil

    from aipm_lab.course.curriculum import get_part

    for name in ("datasets", "exercises", "solutions"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns(".*"))
    shutil.copy(ROOT / "pyproject.toml", folder)
    (folder / "datasets" / "secret.txt").write_text("root only")
    for part in parts:
        shutil.copy(SOLUTIONS / f"{get_part(part).stem}.ipynb", folder / "datasets" / f"secret-{part}.ipynb")
    for secret in (folder / "datasets").glob("secret*"):
        secret.chmod(0o600)
    return folder


@pytest.mark.skipif(os.geteuid() != 0, reason="a root grader's notebooks")
def test_a_root_graders_notebook_is_not_host_root_and_cannot_read_roots_files(tmp_path):
    curriculum = _curriculum_with_a_secret(tmp_path / "curriculum")
    secret = curriculum / "datasets" / "secret.txt"
    code = f"""
a = {{"host uid": open("/proc/self/uid_map").read().split()[1]}}
try:
    a["secret"] = open({str(secret)!r}).read()
except OSError as e:
    a["secret"] = type(e).__name__
"""
    with pool_started_with(AIPM_LAB_HOME=str(curriculum)) as pool:
        assert pool.isolation == "namespaces"
        got, result = answer(pool, code)
        # The private folders above the curriculum and the Python were covered in the run's namespace only.
        private = {isolation._private_above(str(p)) for p in (curriculum, Path(sys.base_prefix).resolve())} - {None}
        assert not [folder for folder in private if os.path.ismount(folder)]
    assert got is not None, result
    assert int(got["host uid"]) not in (0, os.geteuid())
    assert got["secret"] == "PermissionError"  # the file is in its root (datasets/), and not for it


@pytest.mark.skipif(os.geteuid() != 0, reason="a root grader's notebooks")
def test_a_root_only_copy_of_the_solution_in_an_allowed_folder_scores_zero(tmp_path, monkeypatch):
    """As host root, a notebook ran the solution a root-only file in datasets/ held: full marks."""
    import json

    import nbformat
    from conftest import RUN_A_SOLUTION, SEEDS, execute_solution

    from aipm_lab.course.cli import main
    from aipm_lab.course.curriculum import get_part, notebook_path

    part = get_part("02")
    curriculum = _curriculum_with_a_secret(tmp_path / "curriculum", ("02",))
    monkeypatch.setenv("AIPM_LAB_HOME", str(curriculum))
    subs = tmp_path / "subs"
    subs.mkdir()
    execute_solution(part, SEEDS[0], subs / "honest.ipynb")
    thief = nbformat.read(notebook_path(part, "exercises", ROOT), as_version=4)
    source = RUN_A_SOLUTION + f"_run_solution(open({str(curriculum / 'datasets' / 'secret-02.ipynb')!r}).read())"
    thief.cells.append(nbformat.v4.new_code_cell(source.strip()))
    nbformat.write(thief, subs / "thief.ipynb")
    (tmp_path / "roster.csv").write_text(f"student,seed\nhonest,{SEEDS[0]}\nthief,{SEEDS[0]}\n")
    out = tmp_path / "out"
    assert main(["grade", str(subs), "--part", "02", "--roster", str(tmp_path / "roster.csv"), "--out", str(out),
                 "--workers", "1"]) == 0
    rows = {r["submission"]: r for r in json.loads((out / "grades.json").read_text())}
    assert rows["honest"]["score"] == rows["honest"]["max_score"] > 0
    assert rows["thief"]["score"] == 0
    assert {r["isolation"] for r in rows.values()} == {"namespaces"}


@pytest.mark.skipif(os.geteuid() != 0, reason="a root grader's notebooks")
def test_a_root_grader_whose_python_others_cannot_read_refuses_a_cohort_and_says_why(tmp_path):
    """Installed with umask 077, a notebook could only run as host root: that is never done silently."""
    import json
    import subprocess

    from conftest import ENVIRONMENT_PACKAGES, venv_loading

    python, site = venv_loading(tmp_path / "venv", [ROOT / "src", *ENVIRONMENT_PACKAGES])
    site.chmod(0o700)
    subs = tmp_path / "subs"
    subs.mkdir()
    exercise = (ROOT / "exercises" / "02-class-imbalance.ipynb").read_bytes()
    for name in ("a", "b"):
        (subs / f"{name}.ipynb").write_bytes(exercise)
    env = {**os.environ, "AIPM_LAB_GRADEBOOK": str(tmp_path / "gradebook.sqlite")}

    def grade(what: Path, out: str) -> subprocess.CompletedProcess:
        return subprocess.run([python, "-P", "-m", "aipm_lab", "grade", str(what), "--part", "02",
                               "--out", str(tmp_path / out), "--workers", "1"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)

    cohort = grade(subs, "cohort")
    assert cohort.returncode == 2 and not (tmp_path / "cohort" / "grades.json").exists()
    (line,) = cohort.stderr.strip().splitlines()
    assert str(site) in line and "host root" in line and "--allow-unisolated" in line
    mine = grade(subs / "a.ipynb", "mine")  # a learner grading their own notebook is not refused
    assert mine.returncode == 0, mine.stderr[-2000:]
    (row,) = json.loads((tmp_path / "mine" / "grades.json").read_text())
    assert row["isolation"] == "namespaces-as-root"


# Leftover pids cgroups (issue 21): groups of killed graders and of older versions (one per run)
# piled up under aipm-lab/, and a worker's group could outlive it when its runs were still dying.

def _pids_groups() -> str | None:
    root = isolation._pids_root() if os.geteuid() == 0 else None
    return os.path.join(root, "aipm-lab") if root else None


@pytest.mark.skipif(_pids_groups() is None, reason="a root grader with a pids cgroup controller")
def test_a_pool_removes_stale_groups_keeps_live_ones_and_leaves_none_of_its_own():
    parent = _pids_groups()
    gone = os.fork()
    if gone == 0:  # pragma: no cover - a worker that has ended
        os._exit(0)
    os.waitpid(gone, 0)
    stale = [os.path.join(parent, name) for name in ("aipm-run-stale-by-a-test", f"worker-{gone}")]
    live = os.path.join(parent, f"worker-{os.getpid()}")  # as if this process were a worker about to join it
    for group in (*stale, live):
        os.makedirs(group, exist_ok=True)
    try:
        with WorkerPool(1, []) as pool:
            own = pool._all[0].ready()["cgroup"]
            assert own and os.path.isdir(own)
            assert [group for group in stale if os.path.exists(group)] == []
            assert os.path.isdir(live)
        assert not os.path.exists(own)
    finally:
        for group in (*stale, live):
            if os.path.isdir(group):
                os.rmdir(group)


@pytest.mark.skipif(_pids_groups() is None, reason="a root grader with a pids cgroup controller")
def test_a_workers_group_is_removed_even_while_something_of_its_runs_is_left_in_it():
    import subprocess

    group = os.path.join(_pids_groups(), f"worker-{os.getpid()}-leftover")
    os.makedirs(group)
    left = subprocess.Popen(["sleep", "60"])
    try:
        with open(os.path.join(group, "cgroup.procs"), "w") as f:
            f.write(str(left.pid))
        isolation.remove(group)
        assert not os.path.exists(group)
        assert left.wait(timeout=GONE_WITHIN) != 0  # the leftover was ended, not waited out
    finally:
        left.kill()
        left.wait()
        if os.path.isdir(group):
            with open(os.path.join(group, "cgroup.procs")) as f:
                assert not f.read().split()
            os.rmdir(group)
