"""The CLI through main(argv): exit codes, formats, selection, errors without tracebacks."""

from __future__ import annotations

import io
import os
import json
import re
import sys

import pytest

from lintletter.cli import main

from .conftest import ACCEPTANCE, BITTER, COMPLETE, THANKS
from .conftest import run_cli as run




def test_clean_letter_exits_0(capsys):
    code, out, _ = run(capsys, "check", COMPLETE)
    assert code == 0
    assert "score" in out and "acknowledgement" in out


def test_error_finding_exits_1(capsys):
    code, out, _ = run(capsys, "check", BITTER)
    assert code == 1
    assert "LL201" in out and "LL202" in out


def test_min_score(capsys):
    assert run(capsys, "check", THANKS, "--fail-on", "error")[0] == 0
    assert run(capsys, "check", THANKS, "--fail-on", "error", "--min-score", "80")[0] == 1
    assert run(capsys, "check", COMPLETE, "--min-score", "80")[0] == 0


def test_a_letter_that_is_not_ready_fails_by_default(capsys, tmp_path):
    """Missing sections are warnings, and warnings fail by default (as any ruff finding does)."""
    empty = tmp_path / "empty.md"
    empty.write_text("")
    for letter in (THANKS, str(empty)):
        code, out, _ = run(capsys, "check", letter)
        assert code == 1, out
    assert run(capsys, "check", COMPLETE)[0] == 0


def test_info_findings_never_fail_by_default(capsys, tmp_path):
    letter = tmp_path / "latin1.txt"  # read as Windows-1252: an info finding (LL315), nothing else
    letter.write_bytes(open(COMPLETE, encoding="utf-8").read().replace("Priya Raman", "Priya Ramán").encode("cp1252"))
    code, out, _ = run(capsys, "check", "-f", "json", str(letter))
    severities = {d["severity"] for d in json.loads(out)["files"][0]["diagnostics"]}
    assert severities == {"info"} and code == 0
    assert run(capsys, "check", "--fail-on", "info", str(letter))[0] == 1


def test_exit_zero_reports_without_failing(capsys, tmp_path):
    code, out, _ = run(capsys, "check", "--exit-zero", THANKS, BITTER)
    assert code == 0 and "LL201" in out and "LL106" in out
    code, _, err = run(capsys, "check", "--exit-zero", BITTER, str(tmp_path / "missing.txt"))
    assert code == 2 and "no such file" in err  # errors are still errors
    _, check_help, _ = run(capsys, "check", "--help")
    assert "--exit-zero" in check_help


def test_unreadable_input_exits_2_but_others_are_linted(capsys, tmp_path):
    code, out, err = run(capsys, "check", "--format", "json", COMPLETE, str(tmp_path / "missing.txt"))
    assert code == 2
    doc = json.loads(out)
    assert [f["path"] for f in doc["files"]] == [COMPLETE]
    assert doc["errors"][0]["path"].endswith("missing.txt")
    assert "no such file" in err and "Traceback" not in err


def test_json_contract(capsys):
    code, out, _ = run(capsys, "check", "--format", "json", COMPLETE, BITTER)
    doc = json.loads(out)
    assert doc["schema_version"] == 1 and doc["lintletter_version"]
    for f in doc["files"]:
        assert set(f["sections"]) == {
            "acknowledgement", "continued_interest", "feedback_request", "advice", "referrals", "competitors"
        }
        assert 0 <= f["score"] <= 100 and f["verdict"]
        for s in f["sections"].values():
            assert s["status"] in ("present", "weak", "missing") and s["rule"].startswith("LL1")
        for d in f["diagnostics"]:
            assert {"code", "severity", "message", "section", "line", "column", "end_line", "end_column", "suggestion"} <= set(d)


def test_select_and_ignore(capsys):
    _, out, _ = run(capsys, "check", "--format", "json", "--select", "LL2", BITTER)
    codes = {d["code"] for d in json.loads(out)["files"][0]["diagnostics"]}
    assert codes and all(c.startswith("LL2") for c in codes)
    code, out, _ = run(capsys, "check", "--format", "json", "--ignore", "LL201,LL202", "--fail-on", "error", BITTER)
    codes = {d["code"] for d in json.loads(out)["files"][0]["diagnostics"]}
    assert "LL201" not in codes and "LL202" not in codes
    assert code == 0  # the error findings were ignored


def test_unknown_select_code_exits_2(capsys):
    code, _, err = run(capsys, "check", "--select", "LL999", COMPLETE)
    assert code == 2 and "LL999" in err


def test_bad_format_exits_2(capsys):
    assert run(capsys, "check", "--format", "xml", COMPLETE)[0] == 2


def test_stdin(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(open(BITTER, "rb").read())))
    code, out, _ = run(capsys, "check", "--format", "json", "-")
    assert code == 1 and json.loads(out)["files"][0]["path"] == "-"


def test_folder_is_searched(capsys):
    code, out, _ = run(capsys, "check", "--format", "json", str(ACCEPTANCE))
    assert len(json.loads(out)["files"]) == 3


def test_empty_folder_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "check", str(tmp_path))
    assert code == 2 and "no .txt or .md" in err


def test_broken_rules_folder_exits_2(capsys, tmp_path):
    (tmp_path / "bad.yml").write_text("code: LL950\nkind: nonsense\n")
    code, _, err = run(capsys, "check", "--rules", str(tmp_path), COMPLETE)
    assert code == 2 and "bad.yml" in err and "kind" in err


def test_rules_and_rule(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "LL101" in out and "LL307" in out
    code, out, _ = run(capsys, "rule", "feedback-request")
    assert code == 0 and "Why it matters" in out and "Examples" in out
    assert run(capsys, "rule", "LL999")[0] == 2


def test_quiet_prints_scores_and_findings_only(capsys):
    _, out, _ = run(capsys, "check", "--quiet", BITTER)
    assert f"{BITTER}: score 0/100 (incomplete)" in out and "LL201" in out
    assert "missing" not in out.split("fails:")[0] and "suggestion:" not in out


def test_no_color_when_not_a_tty(capsys, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, out, _ = run(capsys, "check", BITTER)
    assert "\x1b[" not in out


def test_force_color_and_no_color(capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in run(capsys, "check", BITTER)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run(capsys, "check", BITTER)[1]


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00\x00", b"\xff\xfe" + "Hi Sam,\nthanks".encode("utf-16-le")])
def test_binary_and_utf16(capsys, tmp_path, content):
    p = tmp_path / "x.txt"
    p.write_bytes(content)
    code, out, err = run(capsys, "check", "--format", "json", str(p))
    if content.startswith(b"\x89PNG"):
        assert code == 2 and "binary" in err
    else:
        assert json.loads(out)["files"][0]["path"] == str(p)


def test_github_format_appends_a_step_summary(capsys, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run(capsys, "check", "-f", "github", COMPLETE, BITTER)
    assert code == 1 and out.startswith("::")
    written = summary.read_text()
    assert written.startswith("# Earlier step\n")  # appended, never truncated
    assert "complete.md" in written and "bitter.txt" in written and "| 100/100 | ready |" in written


def test_output_file_is_written_atomically_and_never_over_a_letter(capsys, tmp_path):
    target = tmp_path / "report.json"
    target.write_text("previous report")
    code, out, _ = run(capsys, "check", "-f", "json", "-o", str(target), COMPLETE)
    assert code == 0 and out == ""
    assert json.loads(target.read_text())["files"][0]["score"] == 100
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    letter = tmp_path / "letter.md"
    letter.write_text(open(COMPLETE, encoding="utf-8").read())
    before = letter.read_bytes()
    code, _, err = run(capsys, "check", "-o", str(letter), str(letter))
    assert code == 2 and "refusing" in err and letter.read_bytes() == before
    code, _, err = run(capsys, "check", "-o", str(tmp_path / "missing" / "r.json"), COMPLETE)
    assert code == 2 and "does not exist" in err


def test_statistics_and_stdin_filename(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(open(BITTER, "rb").read())))
    code, out, _ = run(capsys, "check", "-", "--stdin-filename", "drafts/mine.txt", "--statistics")
    assert "drafts/mine.txt:" in out
    assert "Findings per rule:" in out and "LL201  bitterness" in out
    assert "Sections over 1 letter" in out


def test_json_is_exactly_what_json_dumps_would_write():
    """json.render builds the document file by file to save memory; the text must not change, and
    each file is judged by its own letter's policy (its config's fail-on and min-score)."""
    from lintletter.formatters import Run
    from lintletter.formatters.json import render, report_to_dict
    from lintletter import __version__, lint_text
    from lintletter.errors import InputError
    from lintletter.model import Severity
    from lintletter.policy import Policy

    reports = tuple(lint_text(open(p, encoding="utf-8").read(), p) for p in (COMPLETE, BITTER, THANKS))
    # thank-you-only passes with fail-on error alone and fails on its score with min-score 50
    per_letter = (Policy(Severity.ERROR, 100), Policy(Severity.ERROR), Policy(Severity.ERROR, 50))
    runs = (
        Run(reports, (InputError("x.md", "no such file"),)),
        Run(()),
        Run(reports[:1]),
        Run(reports, run_reasons=("9 warnings, more than --max-warnings 1",)),
        Run(reports, policies=per_letter),
        Run(reports, policies=per_letter[:2] + (Policy(Severity.ERROR),)),
    )  # fmt: skip
    for run_ in runs:
        expected = {
            "schema_version": 1,
            "lintletter_version": __version__,
            "files": [report_to_dict(r, run_.policy(i)) for i, r in enumerate(run_.reports)],
            "errors": [{"path": e.path, "message": e.reason} for e in run_.errors],
            "passed": run_.passed,
            "reasons": list(run_.run_reasons),
        }
        assert render(run_) == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    judged = [(f["passed"], f["reasons"]) for f in json.loads(render(runs[4]))["files"]]
    assert judged == [
        (True, []),
        (False, ["2 errors at or above --fail-on error (LL201, LL202)"]),
        (False, ["score 0 below --min-score 50"]),
    ]
    assert json.loads(render(runs[5]))["files"][2]["passed"] is True  # the same letter, another policy
    assert json.loads(render(runs[3]))["files"][2]["passed"] is False  # and the default one


def test_jobs_output_is_identical_to_a_serial_run(capsys):
    """--jobs splits letters across processes; order and content must not change."""
    from .conftest import CORPUS, corpus_sample

    letters = [str(p) for p in corpus_sample((CORPUS / "letters").iterdir(), salt="jobs")]
    serial = run(capsys, "check", "-f", "json", "-j", "1", *letters)
    parallel = run(capsys, "check", "-f", "json", "-j", "2", *letters)
    assert serial[0] == parallel[0]
    assert serial[1] == parallel[1] and len(json.loads(serial[1])["files"]) == len(letters) >= 250


def test_default_jobs_stay_serial_for_small_runs():
    from lintletter.runner import PARALLEL_MIN_LETTERS, choose_jobs

    assert choose_jobs(0, range(PARALLEL_MIN_LETTERS - 1)) == 1
    cores = len(os.sched_getaffinity(0))
    assert choose_jobs(3, range(10)) == min(3, cores) and choose_jobs(5, range(2)) == min(2, cores)
    assert choose_jobs(0, range(PARALLEL_MIN_LETTERS)) >= 1


def test_text_output_has_no_trailing_spaces(capsys):
    _, out, _ = run(capsys, "check", THANKS, BITTER)
    assert "missing" in out
    assert not [line for line in out.splitlines() if line != line.rstrip()]


# --- usage errors: typer's own exceptions, one line, exit 2, never "internal error" ------------

@pytest.mark.parametrize(
    "argv, message",
    [
        (["check", "--bogus", "x"], "No such option: --bogus"),
        (["chek", "x"], "No such command 'chek'"),
        (["check"], "Missing argument 'PATH'"),
        (["check", "--min-score", "200", COMPLETE], "Invalid value for '--min-score'"),
        (["check", "--max-warnings", "-1", COMPLETE], "Invalid value for '--max-warnings'"),
        (["check", "--format", "xml", COMPLETE], "Invalid value for --format: must be one of text, concise, json"),
        (["check", "--fail-on", "fatal", COMPLETE], "Invalid value for --fail-on: must be error, warning or info"),
        (["rule"], "Missing argument 'CODE'"),
        (["eval", "corpus", "--split", "holdout"], "Invalid value for --split"),
    ],
)
def test_usage_errors_say_what_is_wrong_in_one_line(capsys, argv, message):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err, err
    assert "internal error" not in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and err.startswith("lintletter: error: ")
    assert "--help" in err  # where to read more


def test_out_of_range_min_score_names_the_bound(capsys):
    _, _, err = run(capsys, "check", "--min-score", "200", COMPLETE)
    assert "100" in err


def test_bare_lintletter_prints_the_help_as_a_usage_error(capsys):
    code, out, err = run(capsys)
    assert code == 2
    assert "Usage: lintletter" in err and "check" in err and "internal error:" not in err


def test_version_short_and_long(capsys):
    from lintletter import __version__

    for flag in ("-V", "--version"):
        code, out, _ = run(capsys, flag)
        assert code == 0 and out.strip() == f"lintletter {__version__}"


@pytest.mark.parametrize("command", [[], ["check"], ["init"], ["rules"], ["rule"], ["eval"]])
def test_help_names_values_not_python_types(capsys, command):
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0 and "Usage: lintletter" in out
    assert not re.search(r"<[a-z]", out) and "list[" not in out, out  # <list[str]>, <bool>, <path> ...
    assert run(capsys, *command, "-h")[1] == out


def test_help_documents_debug_completion_and_metavars(capsys):
    _, root, _ = run(capsys, "--help")
    assert "--debug" in root and "--install-completion" in root and "-V, --version" in root
    _, check_help, _ = run(capsys, "check", "--help")
    assert "--select CODES" in check_help and "--min-score N" in check_help


def test_shell_completion_script(capsys):
    code, out, _ = run(capsys, "--show-completion", "bash")
    assert code == 0 and "complete" in out and "_LINTLETTER_COMPLETE" in out


def test_debug_is_accepted_anywhere(capsys):
    code, out, err = run(capsys, "check", "--debug", COMPLETE)
    assert code == 0 and "score" in out


def test_installed_typer_is_in_the_declared_range():
    """CI installs with `pip install .[test]`, which resolves the newest typer the range allows;
    the usage-error tests above then run against it. A stale environment outside it is caught here."""
    import tomllib
    from importlib.metadata import version

    from packaging.requirements import Requirement

    from .conftest import ROOT

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    typer_req = next(Requirement(d) for d in deps if Requirement(d).name == "typer")
    assert typer_req.specifier.contains(version("typer")), (typer_req, version("typer"))
    assert "<" in str(typer_req.specifier)  # bounded above: a new typer is taken only once tested
    assert not any(Requirement(d).name == "click" for d in deps)  # lintletter does not import click


def test_weak_has_one_mark_in_every_format(capsys, tmp_path, monkeypatch):
    from lintletter.formatters import STATUS_MARK
    from lintletter.model import Status

    assert STATUS_MARK[Status.WEAK] == "!"
    _, text, _ = run(capsys, "check", THANKS)
    _, pretty, _ = run(capsys, "check", "-f", "pretty", THANKS)
    _, html, _ = run(capsys, "check", "-f", "html", THANKS)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    run(capsys, "check", "-f", "github", THANKS)
    assert "! weak    continued_interest" in text and "! weak" in pretty and "! weak" in summary.read_text()
    assert 'aria-hidden="true">!</span> weak' in html
    assert "~ weak" not in text + pretty + summary.read_text()


def test_rules_and_rule_know_the_configs_house_rules(capsys, tmp_path, monkeypatch):
    from .test_ruleset import GOOD

    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "LL901-test.yml").write_text(GOOD)
    (tmp_path / ".lintletter.yaml").write_text("rules: [house/]\nseverity:\n  LL901: error\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "LL901  test-rule" in out and "error" in out.split("LL901")[1].splitlines()[0]
    code, out, _ = run(capsys, "rule", "LL901")
    assert code == 0 and out.startswith("LL901 test-rule (phrase; all: error)") and "house" in out
    assert run(capsys, "rule", "LL901", "--no-config")[0] == 2
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # the nearest config above, as `check` finds it
    assert run(capsys, "rule", "test-rule")[0] == 0


@pytest.mark.parametrize("fmt", ["text", "github", "pretty"])
def test_a_report_saved_in_the_letters_folder_is_not_linted_next_time(capsys, tmp_path, fmt):
    import shutil

    for letter in (COMPLETE, BITTER):
        shutil.copy(letter, tmp_path)
    run(capsys, "check", "-f", fmt, "-o", str(tmp_path / "report.txt"), str(tmp_path))
    assert (tmp_path / "report.txt").is_file()
    run(capsys, "check", "-f", fmt, "-q", "-o", str(tmp_path / "quiet.md"), str(tmp_path))
    _, out, _ = run(capsys, "check", "-f", "json", str(tmp_path))
    assert sorted(f["path"].rsplit("/", 1)[1] for f in json.loads(out)["files"]) == ["bitter.txt", "complete.md"]
    _, out, _ = run(capsys, "check", "-f", "json", str(tmp_path / "report.txt"))  # named: as asked
    assert len(json.loads(out)["files"]) == 1


def test_progress_only_on_a_terminal(capsys, monkeypatch):
    import lintletter.runner as runner

    from .conftest import ACCEPTANCE as letters

    monkeypatch.setattr(runner, "PROGRESS_MIN_LETTERS", 2)
    _, _, err = run(capsys, "check", "-f", "json", str(letters))
    assert "of 3 letters" not in err  # stderr is not a terminal here: silence
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, out, err = run(capsys, "check", "-f", "json", "--exit-zero", str(letters))
    assert "\rlintletter: 1 of 3 letters (33%)" in err and "\rlintletter: 3 of 3 letters (100%)" in err
    assert err.endswith("\r\x1b[K") and code == 0
    assert len(json.loads(out)["files"]) == 3  # stdout untouched
    code, out, err = run(capsys, "check", "-f", "json", "--exit-zero", "-j", "2", str(letters))
    assert "3 of 3 letters (100%)" in err and len(json.loads(out)["files"]) == 3
