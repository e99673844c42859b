"""A built wheel carries the curriculum: a learner with `pip install aipm-lab` and no clone can work and grade."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

from aipm_lab.course.authoring import authored_parts


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel built from this checkout, installed (without dependencies) into a folder of its own."""
    folder = tmp_path_factory.mktemp("wheel")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run([*pip, "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(folder / "dist"), str(ROOT)],
                   check=True, capture_output=True, cwd=folder)
    (wheel,) = (folder / "dist").glob("*.whl")
    target = folder / "site"
    subprocess.run([*pip, "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    return wheel, target


def run(target, home, *argv):
    """``aipm-lab argv`` from the installed copy, in a folder that is not a clone."""
    env = {k: v for k, v in os.environ.items() if k != "AIPM_LAB_HOME"} | {"PYTHONPATH": str(target)}
    return subprocess.run([sys.executable, "-m", "aipm_lab", *argv], cwd=home, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_wheel_holds_every_lesson_exercise_solution_and_dataset(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"aipm_lab/curriculum_files/{p.relative_to(ROOT)}" for kind in ("notebooks", "exercises", "solutions")
               for p in (ROOT / kind).glob("*.ipynb")}
    shipped |= {f"aipm_lab/curriculum_files/datasets/{p.name}" for p in (ROOT / "datasets").iterdir()}
    assert len(shipped) >= 3 * len(authored_parts(ROOT)) and shipped <= names


def test_a_learner_without_a_clone_starts_works_and_grades(installed, tmp_path):
    _, target = installed
    out = run(target, tmp_path, "start", "02", "--name", "Ada")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "work" / "lessons" / "02-class-imbalance.ipynb").exists()
    graded = run(target, tmp_path, "grade", "work/02-class-imbalance.ipynb", "--out", "grades", "--workers", "1")
    assert graded.returncode == 0, graded.stderr
    (row,) = json.loads((tmp_path / "grades" / "grades.json").read_text())
    assert row["score"] == 0 and row["max_score"] > 0 and not row.get("error")  # an untouched exercise, graded
    assert row["message"] == "", "its cells ran without errors: the self-check found its questions in the wheel"
    refused = run(target, tmp_path, "build")
    assert refused.returncode == 2 and "clone" in refused.stderr  # the installed copy is read-only
