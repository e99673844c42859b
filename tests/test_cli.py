"""The command line: fast help, clear errors, the learner's self-check."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

from aipm_lab.course.cli import main
from aipm_lab.course.curriculum import PARTS, get_part, notebook_path

HEAVY = ("pandas", "sklearn", "nbformat", "papermill", "matplotlib", "numpy")


def test_help_imports_no_heavy_library():
    code = ("import sys\nfrom aipm_lab.course.cli import parser\n"
            "try:\n    parser().parse_args(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().endswith("[]"), out.stdout


@pytest.mark.parametrize("command", ["list", "lab", "build", "data", "check", "handout", "grade", "gradebook"])
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "usage: aipm-lab " + command in capsys.readouterr().out


def test_list_shows_all_parts(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert all(p.title in out for p in PARTS)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["grade", "no/such/folder"], "no such file or folder"),
        (["grade", "{tmp}", "--part", "42"], "no part"),
        (["grade", "{tmp}"], "no .ipynb submissions"),
        (["grade", "{tmp}", "--roster", "{tmp}/roster.csv"], "student,seed"),
        (["grade", "{tmp}", "--workers", "0"], "--workers"),
        (["check", "{tmp}/missing.ipynb"], "no such file"),
        (["grade", "{tmp}", "--out", "{tmp}/roster.csv"], "is a file"),
    ],
)
def test_user_mistakes_get_one_line_and_exit_2(argv, message, tmp_path, capsys):
    (tmp_path / "roster.csv").write_text("name,variant\nann,1\n")
    code = main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err


def test_check_shows_public_results_and_hints_but_no_reference(capsys):
    part = get_part("02")
    template = str(notebook_path(part, "exercises", ROOT))
    assert main(["check", template]) == 2  # the template has no seed: one clear line
    assert "aipm-lab start" in capsys.readouterr().err
    assert main(["check", template, "--seed", "5"]) == 0
    out = capsys.readouterr().out
    assert "Hint:" in out and "0 of" in out
    assert "HIDDEN" not in out and "reference answer" not in out


def test_start_gives_a_learner_their_own_variant_and_never_overwrites(tmp_path, capsys):
    import nbformat

    from aipm_lab.grading.grader import notebook_seed
    from aipm_lab.course.workspace import LESSON_SEED, learner_seed

    work = tmp_path / "work"
    assert main(["start", "02", "--dir", str(work), "--name", "Ada"]) == 0
    path = work / f"{get_part('02').stem}.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert notebook_seed(nb) == learner_seed("Ada") != LESSON_SEED
    nb.cells[-1].source = "my_answer = 42  # work in progress"
    nbformat.write(nb, path)
    before = path.read_text()
    assert main(["start", "--dir", str(work)]) == 0  # every part; 02 kept, the others get the same seed
    assert path.read_text() == before
    out = capsys.readouterr().out
    assert "kept" in out and "untouched" in out
    seeds = {notebook_seed(nbformat.read(p, as_version=4)) for p in work.glob("*.ipynb")}
    assert seeds == {learner_seed("Ada")} and len(list(work.glob("*.ipynb"))) >= 3
    lesson = work / "lessons" / f"{get_part('02').stem}.ipynb"
    assert lesson.read_bytes() == (ROOT / "notebooks" / lesson.name).read_bytes()
    lesson.write_text("my notes")
    assert main(["start", "02", "--dir", str(work)]) == 0
    assert lesson.read_text() == "my notes"  # lesson copies, like exercise copies, are never overwritten
    assert main(["start", "02", "--dir", str(work), "--seed", "3", "--name", "x"]) == 2


def test_learner_seeds_avoid_the_lessons_seed(monkeypatch):
    import secrets

    from aipm_lab.datasets import DEFAULT_SEED
    from aipm_lab.course.workspace import LESSON_SEED, learner_seed

    assert LESSON_SEED == DEFAULT_SEED
    monkeypatch.setattr(secrets, "randbelow", lambda n: LESSON_SEED)
    assert learner_seed() != LESSON_SEED
    assert len({learner_seed(f"learner {i}") for i in range(50)}) == 50


def test_handout_writes_one_notebook_per_student_with_their_seed(tmp_path, capsys):
    import nbformat

    from aipm_lab.course.authoring import tagged
    from aipm_lab.grading.grader import notebook_seed

    (tmp_path / "roster.csv").write_text("student,seed\nann,101\nbo,102\n")
    assert main(["handout", "--part", "2", "--roster", str(tmp_path / "roster.csv"), "--out", str(tmp_path / "h")]) == 0
    for student, seed in (("ann", 101), ("bo", 102)):
        nb = nbformat.read(tmp_path / "h" / f"{student}.ipynb", as_version=4)
        assert notebook_seed(nb) == seed
        assert student in tagged(nb, "parameters")[0].source


def test_handout_again_never_overwrites_work(tmp_path, capsys):
    """Run again (a student added to the roster): the new one is written, an edited notebook is kept as it is."""
    roster, out = tmp_path / "roster.csv", tmp_path / "h"
    roster.write_text("student,seed\nann,101\n")
    assert main(["handout", "--part", "2", "--roster", str(roster), "--out", str(out)]) == 0
    handed = (out / "ann.ipynb").read_bytes()
    (out / "ann.ipynb").write_bytes(handed.replace(b"seed = 101", b"seed = 101  # ann's work"))
    roster.write_text("student,seed\nann,101\nbo,102\n")
    capsys.readouterr()
    assert main(["handout", "--part", "2", "--roster", str(roster), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert b"ann's work" in (out / "ann.ipynb").read_bytes() and (out / "bo.ipynb").exists()
    assert "wrote 1 notebooks" in said and "kept 1" in said and "ann.ipynb" in said
    bo = (out / "bo.ipynb").read_bytes()
    assert main(["handout", "--part", "2", "--roster", str(roster), "--out", str(out)]) == 0
    said = capsys.readouterr().out  # bo's untouched handout is the same file again, not a conflict
    assert (out / "bo.ipynb").read_bytes() == bo and "wrote 1 notebooks" in said and "kept 1" in said


def test_lab_opens_jupyterlab_on_the_curriculum_and_forwards_options(monkeypatch):
    calls = []
    monkeypatch.setattr("subprocess.call", lambda command: calls.append(command) or 0)
    assert main(["lab", "--no-browser", "--port", "8890"]) == 0
    command = calls[0]
    assert command[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={ROOT}" in command
    forwarded = command.index("--no-browser")
    assert command[3] == f"--ServerApp.root_dir={ROOT}" and command[forwarded:forwarded + 3] == ["--no-browser", "--port", "8890"]
    # Saved notebooks keep no widget view that could only show an error when reopened.
    assert "--ContentsManager.pre_save_hook=aipm_lab.course.widgets.drop_widget_views" in command
    with pytest.raises(SystemExit):
        main(["list", "--no-browser"])  # other commands reject unknown options


def test_lab_opens_the_folder_asked_for_and_refuses_one_that_does_not_exist(monkeypatch, tmp_path, capsys):
    calls = []
    monkeypatch.setattr("subprocess.call", lambda command: calls.append(command) or 0)
    assert main(["lab", "--dir", str(tmp_path)]) == 0
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in calls[0]
    assert main(["lab", "--dir", str(tmp_path / "nope")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_start_says_plainly_when_a_kept_copy_is_not_the_variant_asked_for(tmp_path, capsys):
    from aipm_lab.course.workspace import learner_seed

    work = tmp_path / "work"
    path = work / f"{get_part('04').stem}.ipynb"
    assert main(["start", "04", "--dir", str(work), "--seed", "5"]) == 0
    before = path.read_bytes()
    capsys.readouterr()
    assert main(["start", "04", "--dir", str(work), "--seed", "6"]) == 0
    out = capsys.readouterr().out
    assert "with seed 5, not seed 6 from --seed 6" in out and "not your variant" in out and "--dir" in out
    assert "untouched" not in out and path.read_bytes() == before
    assert main(["start", "04", "--dir", str(work), "--name", "Bob"]) == 0  # a folder made for someone else
    out = capsys.readouterr().out
    assert f"not seed {learner_seed('Bob')} from --name Bob" in out and path.read_bytes() == before
    assert main(["start", "04", "--dir", str(work), "--seed", "5"]) == 0  # the same variant: simply kept
    assert "untouched" in capsys.readouterr().out
