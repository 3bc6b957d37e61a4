"""A failing run says why, in every format that feeds a person or a CI system, and the JUnit
failures agree with the exit code."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from lintletter.cli import main

from .conftest import ACCEPTANCE, BITTER, COMPLETE, THANKS
from .conftest import run_cli as run




def test_text_summary_names_failing_letters_and_why(capsys):
    code, out, _ = run(capsys, "check", "--min-score", "80", COMPLETE, THANKS)
    assert code == 1
    tail = out[out.index("letters checked"):]
    assert "1 of 2 letters fails:" in tail
    assert f"{THANKS}: 7 warnings at or above --fail-on warning (LL101, LL103, LL104, LL105, LL106, LL304, LL308); score 0 below --min-score 80" in tail
    assert COMPLETE not in tail


def test_text_says_when_the_run_fails_on_max_warnings(capsys):
    code, out, _ = run(capsys, "check", "--fail-on", "error", "--max-warnings", "3", THANKS)
    assert code == 1
    assert "The run fails: 7 warnings, more than --max-warnings 3." in out
    assert "letters fail" not in out and "letter fails" not in out  # the letter itself passes


def test_quiet_keeps_the_score_and_the_reasons(capsys):
    code, out, _ = run(capsys, "check", "-q", "--min-score", "80", COMPLETE, THANKS)
    assert code == 1
    assert f"{COMPLETE}: score 100/100 (ready)" in out and f"{THANKS}: score 0/100 (incomplete)" in out
    assert "suggestion:" not in out and "✗ missing" not in out
    assert "score 0 below --min-score 80" in out


def test_json_passed_and_reasons_per_file_and_for_the_run(capsys):
    code, out, _ = run(capsys, "check", "-f", "json", "--fail-on", "error", "--min-score", "50", "--max-warnings", "1", COMPLETE, THANKS, BITTER)
    doc = json.loads(out)
    by_path = {f["path"]: f for f in doc["files"]}
    assert code == 1
    assert by_path[COMPLETE]["passed"] is True and by_path[COMPLETE]["reasons"] == []
    assert by_path[THANKS]["passed"] is False and by_path[THANKS]["reasons"] == ["score 0 below --min-score 50"]
    assert by_path[BITTER]["reasons"] == ["2 errors at or above --fail-on error (LL201, LL202)", "score 0 below --min-score 50"]
    assert doc["passed"] is False and doc["reasons"] == ["14 warnings, more than --max-warnings 1"]
    code, out, _ = run(capsys, "check", "-f", "json", COMPLETE)
    doc = json.loads(out)
    assert code == 0 and doc["passed"] is True and doc["reasons"] == [] and doc["files"][0]["passed"] is True


def test_github_error_says_why_a_letter_fails(capsys):
    code, out, _ = run(capsys, "check", "-f", "github", "--fail-on", "error", "--min-score", "80", "--max-warnings", "2", COMPLETE, THANKS)
    assert code == 1
    lines = out.splitlines()
    assert f"::error file={THANKS},title=lintletter%3A letter fails::score 0 below --min-score 80" in lines
    assert "::error title=lintletter%3A run fails::7 warnings, more than --max-warnings 2" in lines
    assert not any(COMPLETE in line and "letter fails" in line for line in lines)


@pytest.mark.parametrize(
    "flags",
    [[], ["--fail-on", "error"], ["--fail-on", "error", "--min-score", "10"], ["--fail-on", "info"], ["--ignore", "LL1,LL3"]],
)
def test_junit_failures_agree_with_the_exit_code(capsys, flags):
    for letter in (COMPLETE, THANKS, BITTER):
        code, out, _ = run(capsys, "check", "-f", "junit", *flags, letter)
        root = ET.fromstring(out.encode("utf-8"))
        assert (int(root.get("failures")) > 0) == (code == 1), (flags, letter, code)
        code_json, out_json, _ = run(capsys, "check", "-f", "json", *flags, letter)
        assert code_json == code and json.loads(out_json)["files"][0]["passed"] == (code == 0)


def test_junit_has_a_score_case_with_min_score(capsys):
    _, out, _ = run(capsys, "check", "-f", "junit", "--fail-on", "error", "--min-score", "50", THANKS)
    suite = ET.fromstring(out.encode("utf-8")).find("testsuite")
    failure = suite.find("testcase[@name='score']/failure")
    assert failure is not None and failure.get("message") == "score 0 below --min-score 50"
    assert suite.get("failures") == "1"  # its warnings are below --fail-on error: passing cases
    assert suite.find("testcase[@name='competitors']/system-out") is not None
