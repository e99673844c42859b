"""Shared fixtures: the curriculum folder and a graded cohort per authored part."""

from __future__ import annotations

import json
import os
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
os.environ["AIPM_LAB_CACHE"] = tempfile.mkdtemp(prefix="aipm-lab-test-cache-")

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
    "infinite_loop": "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
    "memory_bomb": "_hog = []\nwhile True:\n    _hog.append(bytearray(50 * 2**20))",
}


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


def execute_solution(part, seed: int, path: Path) -> None:
    """Run a solution with papermill and a real Jupyter kernel (not the grader's engine)."""
    import papermill

    papermill.execute_notebook(
        str(notebook_path(part, "solutions", ROOT)), str(path), parameters={"seed": seed},
        kernel_name="python3", progress_bar=False, cwd=str(path.parent),
    )


@pytest.fixture(scope="session")
def parts():
    return authored_parts(ROOT)


def reference_answers(part, seed: int) -> dict:
    """Plain answers of a part's solution for ``seed``, as the grader computes them."""
    from aipm_lab.course.authoring import solution_spec
    from aipm_lab.grading.grader import Grader, preload_modules
    from aipm_lab.grading.pool import WorkerPool

    grader = Grader(base=ROOT, part=part.number)
    with WorkerPool(1, preload_modules([solution_spec(part, ROOT)[0]])) as grader.pool:
        return grader.reference(part.number, seed)


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
