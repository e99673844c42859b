"""Rosters as people save them: spreadsheet encodings and headers read, bad rows refused in one line."""

from __future__ import annotations

import codecs
import json
import os

import nbformat
import pytest

from conftest import ROOT

from aipm_lab.course.cli import main
from aipm_lab.course.curriculum import get_part, notebook_path
from aipm_lab.grading.grader import notebook_seed
from aipm_lab.grading.results import GradingError
from aipm_lab.grading.roster import read_roster, write_roster

SAVED = {
    "utf8_bom": codecs.BOM_UTF8 + "student,seed\nJosé,101\nbo,102\n".encode(),
    "capitalised_header": b"Student,Seed\r\nJos\xc3\xa9,101\r\nbo,102\r\n",
    "spaces_in_header": "student, seed\nJosé, 101\nbo ,102\n".encode(),
    "cp1252": "STUDENT,SEED\nJosé,101\nbo,102\n".encode("cp1252"),
    "utf16_excel_unicode_text": "student\tseed\nJosé\t101\nbo\t102\n".encode("utf-16"),
    "semicolons": "e-mail;Student;Seed;notes\nj@x.org;José;101;late\nb@x.org;bo;102;\n".encode(),
    "blank_and_empty_rows": "\nstudent,seed,group\n\nJosé,101,A\n,,\n\nbo,102,B\n".encode(),
    "quoted_extra_columns": 'student,seed,"comment, with a comma"\n"José",101,"x, y"\nbo,102,\n'.encode(),
}


@pytest.mark.parametrize("saved", SAVED, ids=str)
def test_handout_reads_the_roster_as_a_spreadsheet_saved_it(saved, tmp_path, capsys):
    (tmp_path / "roster.csv").write_bytes(SAVED[saved])
    out = tmp_path / "h"
    assert main(["handout", "--part", "2", "--roster", str(tmp_path / "roster.csv"), "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["José.ipynb", "bo.ipynb"]
    assert notebook_seed(nbformat.read(out / "José.ipynb", as_version=4)) == 101
    assert notebook_seed(nbformat.read(out / "bo.ipynb", as_version=4)) == 102
    err = capsys.readouterr().err
    if saved.startswith(("cp1252", "utf16")):  # the fallback is said, in one line
        assert err.count("\n") == 1 and ("cp1252" in err or "utf-16" in err) and "roster.csv" in err
    else:
        assert err == ""


def test_a_name_typed_on_a_mac_is_the_same_student(tmp_path):
    """macOS may store é as e + a combining accent; both spellings are one student and one file name."""
    composed, decomposed = "Jos\u00e9", "Jose\u0301"
    (tmp_path / "roster.csv").write_text(f"student,seed\n{decomposed},1\n", encoding="utf-8")
    assert list(read_roster(tmp_path / "roster.csv")) == [composed]
    (tmp_path / "roster.csv").write_text(f"student,seed\n{composed},1\n{decomposed},2\n", encoding="utf-8")
    with pytest.raises(GradingError, match="line 3: .* listed twice"):
        read_roster(tmp_path / "roster.csv")


def test_a_submission_named_on_a_mac_is_graded_as_the_roster_student(tmp_path, capsys):
    """A decomposed file name (a zip made on a Mac) matches the roster's composed name: its seed, no 'missing' row."""
    composed, decomposed = "Jos\u00e9", "Jose\u0301"
    subs = tmp_path / "subs"
    subs.mkdir()
    (subs / f"{decomposed}.ipynb").write_bytes(notebook_path(get_part("02"), "exercises", ROOT).read_bytes())
    write_roster(tmp_path / "roster.csv", {composed: 101})
    assert main(["grade", str(subs), "--part", "2", "--roster", str(tmp_path / "roster.csv"), "--out",
                 str(tmp_path / "out"), "--workers", "1", "--no-cache"]) == 0
    rows = json.loads((tmp_path / "out" / "grades.json").read_text())
    assert [(r["submission"], r["seed"], r["status"]) for r in rows] == [(composed, 101, "graded")], rows


REFUSED = {
    "header_missing": ("name,variant\nann,1\n", "line 1", "student,seed"),
    "empty_file": ("\n\n", "roster.csv", "empty"),
    "slash_in_name": ("student,seed\nann,1\n../../escaped,2\n", "line 3", "path separator"),
    "backslash_in_name": ("student,seed\nann\\..\\x,2\n", "line 2", "path separator"),
    "dot_dot": ("student,seed\n..,2\n", "line 2", "'..'"),
    "leading_dot": ("student,seed\n.bashrc,2\n", "line 2", "starts with a dot"),
    "control_character": ("student,seed\n\"ann\x07\",2\n", "line 2", "control character"),
    "too_long": ("student,seed\n" + "a" * 300 + ",2\n", "line 2", "longer than"),
    "no_name": ("student,seed\nann,1\n,2\n", "line 3", "no student name"),
    "seed_not_a_number": ("student,seed\nann,1\nbo,seven\n", "line 3", "whole number"),
    "negative_seed": ("student,seed\nann,-1\n", "line 2", "whole number"),
    "missing_seed": ("student,seed\nann\n", "line 2", "whole number"),
    "listed_twice": ("student,seed\nann,1\nbo,2\nAnn,3\n", "line 4", "listed twice"),
    "column_twice": ("student,seed,seed\nann,1,2\n", "line 1", "appears twice"),
    "row_after_a_multiline_cell": ('student,seed,notes\nann,1,"two\nlines"\nbo,x,\n', "line 4", "whole number"),
}


@pytest.mark.parametrize("command", ["handout", "grade", "gradescope"])
@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_a_bad_roster_is_one_line_naming_the_file_and_line(case, command, tmp_path, capsys):
    text, line, message = REFUSED[case]
    roster = tmp_path / "roster.csv"
    roster.write_bytes(text.encode())
    out = tmp_path / "out" / "inner"
    argv = {"handout": ["handout", "--part", "2", "--out", str(out)],
            "grade": ["grade", str(tmp_path), "--out", str(out)],
            "gradescope": ["gradescope", "--part", "2", "--out", str(tmp_path / "autograder.zip")]}[command]
    assert main([*argv, "--roster", str(roster)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert str(roster) in err and line in err and message in err, err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["roster.csv"]  # nothing written, anywhere


def test_handout_never_writes_through_a_link_out_of_its_folder(tmp_path, capsys):
    outside = tmp_path / "outside.ipynb"
    outside.write_text("precious")
    out = tmp_path / "h"
    out.mkdir()
    os.symlink(outside, out / "bo.ipynb")
    (tmp_path / "roster.csv").write_text("student,seed\nann,1\nbo,2\n")
    assert main(["handout", "--part", "2", "--roster", str(tmp_path / "roster.csv"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "outside" in err and "bo.ipynb" in err and err.count("\n") == 1
    assert outside.read_text() == "precious" and not (out / "ann.ipynb").exists()


def test_handout_to_a_file_is_one_line(tmp_path, capsys):
    (tmp_path / "roster.csv").write_text("student,seed\nann,1\n")
    assert main(["handout", "--part", "2", "--roster", str(tmp_path / "roster.csv"),
                 "--out", str(tmp_path / "roster.csv")]) == 2
    assert "is a file" in capsys.readouterr().err


def test_a_written_roster_is_utf8_whatever_the_locale_and_reads_back(tmp_path, capsys):
    roster = {"José": 101, "Copy of bo (1)": 0, "ann@example.org": 7}
    write_roster(tmp_path / "roster.csv", roster)
    assert (tmp_path / "roster.csv").read_bytes().decode("utf-8").startswith("student,seed\nJosé,101\n")
    assert read_roster(tmp_path / "roster.csv") == roster
    assert capsys.readouterr().err == ""
