"""The Gradescope bundle, run as Gradescope would run it, on a folder laid out like /autograder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import AS_NOBODY, ATTACKS, ROOT, SEEDS, execute_solution, with_attack

from aipm_lab.course.cli import main
from aipm_lab.course.curriculum import get_part, notebook_path
from aipm_lab.grading.grader import written_answers

PART = get_part("02")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gradescope")
    roster = folder / "roster.csv"
    roster.write_text(f"student,seed\nann@example.org,{SEEDS[0]}\nBo Li,{SEEDS[1]}\n")
    out = folder / "autograder.zip"
    assert main(["gradescope", "--part", PART.number, "--roster", str(roster), "--out", str(out)]) == 0
    source = folder / "source"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(source)
        modes = {i.filename: i.external_attr >> 16 for i in zf.infolist()}
    return {"zip": out, "source": source, "modes": modes}


def autograde(bundle, tmp_path, notebook, user: dict, names=("my-work.ipynb",)) -> dict:
    """Lay out /autograder in tmp_path (the notebook uploaded under each name), run run_autograder,
    return results.json."""
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "source").symlink_to(bundle["source"])
    for name in names:
        nbformat.write(notebook, root / "submission" / name)
    (root / "submission_metadata.json").write_text(json.dumps({"users": [user]}))
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AIPM_LAB_PYTHON": sys.executable}
    subprocess.run(["bash", str(bundle["source"] / "run_autograder")], env=env, check=True, capture_output=True,
                   timeout=600)
    return json.loads((root / "results" / "results.json").read_text())


def test_the_bundle_has_what_gradescope_runs(bundle):
    names = set(bundle["modes"])
    assert {"setup.sh", "run_autograder", "constraints.txt", "roster.csv"} <= names
    assert any(n.startswith("aipm_lab-") and n.endswith(".whl") for n in names)
    assert bundle["modes"]["run_autograder"] & 0o111 and bundle["modes"]["setup.sh"] & 0o111
    assert len(list((bundle["source"] / "cache" / "references").glob("02-*.json"))) == 2  # one per roster seed


def test_a_solution_gets_full_marks_with_the_roster_seed_and_the_shipped_references(bundle, tmp_path):
    execute_solution(PART, SEEDS[1], tmp_path / "solved.ipynb")
    cache = bundle["source"] / "cache" / "references"
    before = sorted(p.name for p in cache.iterdir())
    results = autograde(bundle, tmp_path, nbformat.read(tmp_path / "solved.ipynb", as_version=4),
                        {"email": "bo@example.org", "name": "Bo Li"})
    assert results["score"] == results["max_score"] > 0
    assert sum(t["max_score"] for t in results["tests"]) == results["max_score"]
    assert sorted(p.name for p in cache.iterdir()) == before  # no reference was computed: it was shipped
    # Each written answer is a zero-point test holding the learner's text, for Gradescope's manual grading.
    memos = written_answers(nbformat.read(tmp_path / "solved.ipynb", as_version=4))
    tests = {t["name"].split()[0]: t for t in results["tests"]}
    assert memos and all(memos.values())
    for qid, text in memos.items():
        assert (tests[qid]["max_score"], tests[qid]["output"], tests[qid]["output_format"]) == (0, text, "text")


def test_setup_never_waits_for_apt_to_ask_a_question(bundle):
    setup = (bundle["source"] / "setup.sh").read_text()
    assert "export DEBIAN_FRONTEND=noninteractive" in setup.split("apt-get")[0]


@pytest.mark.parametrize("attack", ["none", "fake_results", "monkeypatch"])
def test_an_untouched_or_tampered_exercise_scores_zero(bundle, tmp_path, attack):
    exercise = nbformat.read(notebook_path(PART, "exercises", ROOT), as_version=4)
    notebook = exercise if attack == "none" else with_attack(exercise, ATTACKS[attack])
    results = autograde(bundle, tmp_path, notebook, {"email": "ANN@example.org"})
    assert results["score"] == 0 and results["max_score"] > 0


def test_two_notebooks_get_a_message_not_a_crash(bundle, tmp_path):
    exercise = nbformat.read(notebook_path(PART, "exercises", ROOT), as_version=4)
    results = autograde(bundle, tmp_path, exercise, {"email": "ann@example.org"}, names=("a.ipynb", "b.ipynb"))
    assert results["score"] == 0 and "exactly one" in results["output"] and results["max_score"] > 0


def _wheel_thief(answer: str) -> str:
    """Unzip the bundle's wheel beside the submission, run its solution, and put the roster in an answer."""
    return f'''
import glob, json, os, zipfile
_root = os.environ.get("AUTOGRADER_ROOT", "/autograder")
for _source in (_root + "/source", "/autograder/source", *glob.glob("/tmp/**/source", recursive=True)):
    for _w in glob.glob(_source + "/*.whl"):
        try:
            _nb = json.loads(zipfile.ZipFile(_w).read("aipm_lab/curriculum_files/solutions/{PART.stem}.ipynb"))
        except Exception:
            continue
        for _c in _nb["cells"]:
            if _c["cell_type"] == "code" and "parameters" not in _c["metadata"].get("tags", []):
                get_ipython().run_cell("".join(_c["source"]))
    try:
        _roster = open(_source + "/roster.csv").read()
    except OSError:
        continue
    {answer} = _roster
'''


@pytest.mark.parametrize("user", ["root", "nobody"])
def test_the_bundle_gives_a_submission_neither_the_solutions_nor_the_roster(bundle, user, request):
    """Issue 21 item 3: the wheel beside the submission holds the solutions; roster.csv the class's e-mails."""
    import shutil
    import tempfile

    from aipm_lab.course.authoring import solution_spec

    python = request.getfixturevalue("python_for_nobody") if user == "nobody" else sys.executable
    first = next(iter(solution_spec(PART, ROOT)[1].questions.values())).answer
    exercise = nbformat.read(notebook_path(PART, "exercises", ROOT), as_version=4)
    thief = nbformat.from_dict(json.loads(nbformat.writes(exercise)))
    thief.cells.append(nbformat.v4.new_code_cell(_wheel_thief(first).strip()))
    # Outside /tmp, as /autograder is (the old sandbox showed an empty /tmp, which hid a bundle there).
    folder = Path(tempfile.mkdtemp(prefix=".autograder-", dir=ROOT))
    try:
        root = folder / "autograder"
        (root / "submission").mkdir(parents=True)
        shutil.copytree(bundle["source"], root / "source")
        nbformat.write(thief, root / "submission" / "thief.ipynb")
        (root / "submission_metadata.json").write_text(json.dumps({"users": [{"email": "ann@example.org"}]}))
        if user == "nobody":
            for path in [folder, *folder.rglob("*")]:
                path.chmod(0o777 if path.is_dir() else path.stat().st_mode | 0o666)
        env = {**os.environ, "AUTOGRADER_ROOT": str(root), "AIPM_LAB_PYTHON": python, "HOME": str(folder)}
        runner = AS_NOBODY if user == "nobody" else []
        subprocess.run([*runner, "bash", str(root / "source" / "run_autograder")], env=env, check=True,
                       capture_output=True, timeout=600)
        results = json.loads((root / "results" / "results.json").read_text())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert results["score"] == 0 and results["max_score"] > 0, results
    assert "example.org" not in json.dumps(results)  # the roster never reached the submission
