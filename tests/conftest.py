"""Shared fixtures: the curriculum folder and a graded cohort per authored part."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

import nbformat
import pytest

from aipm_lab.course.authoring import authored_parts
from aipm_lab.course.curriculum import notebook_path
from aipm_lab.datasets import DEFAULT_SEED

ROOT = Path(__file__).resolve().parents[1]
SEEDS = (DEFAULT_SEED, 1, 7)
"""Seeds whose executed solutions must score full marks."""

os.environ.setdefault("AIPM_LAB_WIDGETS", "static")
# Reference answers cached by `aipm-lab grade` go to a throwaway folder, never the user's cache.
# The folder is made once per session: xdist's workers inherit the controller's environment
# (AIPM_LAB_TEST_CACHE), so a solution runs once per (part, seed) for the whole suite, not once
# per worker. Entries are written atomically, so workers can share them.
os.environ.setdefault("AIPM_LAB_TEST_CACHE", tempfile.mkdtemp(prefix="aipm-lab-test-cache-"))
os.environ["AIPM_LAB_CACHE"] = os.environ["AIPM_LAB_TEST_CACHE"]
# Grading runs record their rows in a course gradebook: the session's own, never the user's.
os.environ.setdefault("AIPM_LAB_GRADEBOOK", os.path.join(os.environ["AIPM_LAB_TEST_CACHE"], "gradebook.sqlite"))

# Attacks from the tamper suite: each is a cell added to an untouched exercise notebook
# right after its setup cell (the one giving `check` and `hint`), and each must leave the score at 0.
ATTACKS = {
    "transformer": """
def _rewrite(lines):
    return ["print('All checks passed: full marks')\\n"]
get_ipython().input_transformers_cleanup.append(_rewrite)
""",
    "monkeypatch": """
import aipm_lab.course.checks as _c, aipm_lab.grading.grader as _g
_c.run_public = lambda *a, **k: _c.Outcome(True, "ok")
_c.run_hidden = lambda *a, **k: _c.Outcome(True, "ok")
_c.to_plain = lambda value, *a: {"__table__": None} if value is None else value
_g.judge = lambda spec, *a, **k: []
""",
    "always_equal": """
class _AlwaysEqual(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __ge__(self, other): return True
    __hash__ = float.__hash__
class _Everything(dict):
    def __eq__(self, other): return True
    def __getitem__(self, key): return _AlwaysEqual(0.5)
    def __contains__(self, key): return True
def _rig(qs):
    for q in qs.values():
        globals()[q["answer"]] = _Everything()
_rig(check.questions)
get_ipython().events.register("post_run_cell", lambda *a: _rig(check.questions))
""",
    "fake_results": """
import json, os
_full = {"score": 999, "max_score": 999, "tests": []}
for _d in (".", os.path.expanduser("~"), "/tmp"):
    for _f in ("grades.json", "results.json"):
        try:
            with open(os.path.join(_d, _f), "w") as _h:
                json.dump(_full, _h)
        except OSError:
            pass
print(json.dumps({"event": "done", "answers": {}}))
""",
    "sys_exit": "import sys\nsys.exit(0)",
    "os_exit": "import os\nos._exit(0)",
    # As CPU-bound as any loop, but at the lowest priority: its 20 s until the cell timeout stops it
    # go to the suite's other tests first (it burned a core per cohort that carries it).
    "infinite_loop": "import os, signal\nos.nice(19)\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n"
                     "    pass",
    "memory_bomb": "_hog = []\nwhile True:\n    _hog.append(bytearray(50 * 2**20))",
}
PROCESS_ATTACKS = ("sys_exit", "os_exit", "infinite_loop", "memory_bomb")
"""Attacks on the process, not on a part's checks: they do the same whatever notebook they sit in.
Each runs in a third of the parts (every part gets at least one), so the looping attack pays its
cell timeout three times per suite, not ten; the attacks on the checks run in every part."""


def attacks_for(part: str) -> list[str]:
    """The tamper-suite attacks a part's graded cohort carries (see :data:`PROCESS_ATTACKS`)."""
    index = [p.number for p in authored_parts(ROOT)].index(part)
    return sorted(name for name in ATTACKS if name not in PROCESS_ATTACKS
                  or (index + PROCESS_ATTACKS.index(name)) % 3 == 0)


RUN_A_SOLUTION = '''
def _run_solution(text):
    import json
    for cell in json.loads(text)["cells"]:
        if cell["cell_type"] == "code" and "parameters" not in cell["metadata"].get("tags", []):
            get_ipython().run_cell("".join(cell["source"]))
'''
"""Code a notebook cell can define: ``_run_solution(text)`` runs the code cells of a notebook's JSON
(not its parameters), as a learner who got hold of a solution would."""


AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
"""Prefix that runs a command as user nobody (from root)."""


def nobody_can_run(python: str) -> bool:
    """Whether user nobody can run ``python`` with its standard library and this package (we are root)."""
    import shutil
    import subprocess

    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return False
    probe = [*AS_NOBODY, "bash", "-c", 'exec "$0" -c "import os, sysconfig, aipm_lab, numpy; '
             'os.listdir(sysconfig.get_paths()[\'stdlib\'])"', python]
    return subprocess.run(probe, capture_output=True).returncode == 0


ENVIRONMENT_PACKAGES = list(dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib")))
"""Where this environment's packages are installed."""


def venv_loading(folder: Path, paths, python: str = sys.executable) -> tuple[str, Path]:
    """A venv made by ``python`` in ``folder`` whose site-packages also loads ``paths``; its Python and site-packages.

    Without pip, in a second: the packages come from ``paths`` (a .pth file), such as a clone's
    ``src`` and :data:`ENVIRONMENT_PACKAGES`.
    """
    subprocess.run([python, "-m", "venv", "--without-pip", str(folder)], check=True)
    site = next((folder / "lib").glob("python3*/site-packages"))
    (site / "deps.pth").write_text("".join(f"{path}\n" for path in paths))
    return str(folder / "bin" / "python"), site


@pytest.fixture(scope="session")
def python_for_nobody(tmp_path_factory) -> str:
    """A Python that user nobody can run with this environment's packages, for the non-root grader tests.

    This one, if nobody can run it. Else (pyenv or conda in root's private home, as on the
    machines this suite runs on) a venv of the system's Python of the same version, in a folder
    anyone may enter, that loads this environment's site-packages (same ABI, so the same wheels).
    Skips where neither works.
    """
    import shutil

    if nobody_can_run(sys.executable):
        return sys.executable
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = next((p for p in (f"/usr/bin/{version}", f"/usr/local/bin/{version}") if os.access(p, os.X_OK)), None)
    if system is None or not shutil.which("setpriv") or os.geteuid() != 0:
        pytest.skip(f"needs root, setpriv and a Python that user nobody can run ({sys.executable} cannot be, "
                    f"and there is no /usr/bin/{version})")
    folder = tmp_path_factory.mktemp("python-for-nobody")
    for path in (folder, *folder.parents):
        if path != Path("/") and path.stat().st_mode & 0o005 != 0o005:
            path.chmod(path.stat().st_mode | 0o005)  # pytest's own temporary folders are private to root
    python, _ = venv_loading(folder / "venv", [ROOT / "src", *ENVIRONMENT_PACKAGES], python=system)
    if not nobody_can_run(python):
        pytest.skip(f"user nobody cannot run {sys.executable}, nor {system} with this environment's packages")
    return python


PER_PART = ("tests/test_grading.py", "tests/test_variants.py")
"""Files whose module-scoped cohort is parametrised by part: each part is its own xdist unit, so
the parts spread over the workers instead of all waiting on the worker that drew the file."""

HEAVY_FIRST = ("tests/test_seed_sweep.py", "tests/test_attacks.py", "tests/test_hostile_files.py",
               "tests/test_browser.py", "tests/test_grading.py[", "tests/test_variants.py[", "notebooks/",
               "tests/test_lesson_seeds.py")
"""Units that run many notebooks, longest first: xdist hands units out in the suite's order, so
the workers finish together instead of one waiting on a last long unit (the 120-run seed sweep,
once last, ran alone for 30 minutes). The attack and hostile-file units come next: most of their
time is waiting (a poller, sleeping notebooks), which overlaps the sweep's use of both cores
instead of stretching the suite's end. Cohorts come before variants: they fill the reference
cache the variants then read."""


def unit_of(nodeid: str) -> str:
    """The xdist unit a test runs in: its file (as ``--dist loadscope``), or its file and part.

    A unit runs on one worker, so a file's module-scoped fixtures (a lesson's kernel for nbval,
    a JupyterLab server, a part's graded cohort) are set up once.
    """
    path = nodeid.split("::")[0]
    part = re.search(r"\[(\d\d)[-\]]", nodeid) if path in PER_PART else None
    return f"{path}[{part.group(1)}]" if part else path


@pytest.hookimpl(trylast=True)  # after pytest has ordered the tests by their fixtures
def pytest_collection_modifyitems(items):
    """Heavy units first (:data:`HEAVY_FIRST`): a stable sort, so each unit keeps its order."""
    def rank(item):
        unit = unit_of(item.nodeid)
        return next((i for i, prefix in enumerate(HEAVY_FIRST) if unit.startswith(prefix)), len(HEAVY_FIRST))

    items.sort(key=rank)


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # before xdist's own choice
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadscope`` with :func:`unit_of`'s units, handed out in the suite's order."""
    from xdist.scheduler import LoadScopeScheduling

    if config.getvalue("dist") != "loadscope":
        return None

    class Units(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    config.option.loadscopereorder = False  # not by number of tests: heavy units first, as sorted above
    return Units(config, log)


def interruptible(command: list[str], **kwargs) -> subprocess.Popen:
    """Start ``command`` as from a terminal, where Ctrl-C (SIGINT) reaches it.

    A suite started in the background by a shell without job control (``make test &``, some CI
    runners) ignores SIGINT, and a child inherits that: the program under test would never see
    the Ctrl-C a test sends it (seen as "Ctrl-C hangs the grader", only in full runs). The
    handler is set to the default for the moment of the fork, then put back.
    """
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(command, **kwargs)
    finally:
        signal.signal(signal.SIGINT, previous)


def curriculum_copy(tmp_path: Path, folders=("solutions", "exercises")) -> Path:
    """A throwaway curriculum folder holding copies of ``folders`` (for tests that edit notebooks)."""
    import shutil

    for folder in folders:
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "pyproject.toml").write_text("")
    return tmp_path


def with_attack(exercise, source: str):
    """A copy of ``exercise`` with an attack cell after its setup cell."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(exercise)))
    index = next(i for i, c in enumerate(nb.cells) if "setup" in c.metadata.get("tags", []))
    cell = nbformat.v4.new_code_cell(source.strip())
    cell["id"] = "attack"
    nb.cells.insert(index + 1, cell)
    return nb


def execute_solution(part, seed: int, path: Path, run: bool = True) -> None:
    """A solution for ``seed`` as a learner hands it in: run with papermill and a real Jupyter kernel
    (not the grader's engine), or, with ``run=False``, only given the seed (outputs cleared)."""
    import papermill
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    if run:
        papermill.execute_notebook(
            str(notebook_path(part, "solutions", ROOT)), str(path), parameters={"seed": seed},
            kernel_name="python3", progress_bar=False, cwd=str(path.parent),
        )
    else:
        nbformat.write(parameterize_notebook(load_notebook_node(str(notebook_path(part, "solutions", ROOT))),
                                             {"seed": seed}), path)


@pytest.fixture(scope="session")
def parts():
    return authored_parts(ROOT)


def references(part, seeds) -> dict[int, dict]:
    """Plain answers of a part's solution for each seed, as the grader computes and caches them.

    Through the session's reference cache, computed with the grader's default limits: the tests'
    own grading runs then read them, so a cohort's short per-cell timeout (which its looping
    attack pays) never stops the solution itself on a loaded machine.
    """
    from aipm_lab.grading.cache import ReferenceCache
    from aipm_lab.grading.grader import Grader

    cache = ReferenceCache()
    source = notebook_path(part, "solutions", ROOT).read_bytes()
    missing = [seed for seed in seeds if cache.get(part.number, seed, source) is None]
    if missing:
        Grader(base=ROOT, part=part.number, workers=1, cache=cache).precompute(part.number, missing)
    answers = {seed: cache.get(part.number, seed, source) for seed in seeds}
    assert all(a is not None for a in answers.values()), f"no cached reference for part {part.number}"
    return answers


def reference_answers(part, seed: int) -> dict:
    """Plain answers of a part's solution for ``seed`` (see :func:`references`)."""
    return references(part, [seed])[seed]


def with_answers(exercise, answers: dict):
    """A copy of ``exercise`` with a last cell that types in ``answers`` as literals."""
    nb = nbformat.from_dict(json.loads(nbformat.writes(exercise)))
    source = "\n".join(f"{name} = {value!r}" for name, value in answers.items())
    cell = nbformat.v4.new_code_cell(source.replace("nan", "float('nan')"))
    cell["id"] = "typed"
    nb.cells.append(cell)
    return nb


def leaves(value):
    """Every scalar inside a plain value."""
    if isinstance(value, dict):
        for v in value.values():
            yield from leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from leaves(v)
    else:
        yield value
