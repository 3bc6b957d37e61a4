"""The CLI through main(argv): exit codes, formats, selection, errors without tracebacks."""

from __future__ import annotations

import io
import os
import json
import sys

import pytest

from lintletter.cli import main

from .conftest import ACCEPTANCE

COMPLETE = str(ACCEPTANCE / "complete.md")
BITTER = str(ACCEPTANCE / "bitter.txt")
THANKS = str(ACCEPTANCE / "thank-you-only.txt")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_letter_exits_0(capsys):
    code, out, _ = run(capsys, "check", COMPLETE)
    assert code == 0
    assert "score" in out and "acknowledgement" in out


def test_error_finding_exits_1(capsys):
    code, out, _ = run(capsys, "check", BITTER)
    assert code == 1
    assert "LL201" in out and "LL202" in out


def test_min_score(capsys):
    assert run(capsys, "check", THANKS)[0] == 0
    assert run(capsys, "check", THANKS, "--min-score", "80")[0] == 1
    assert run(capsys, "check", COMPLETE, "--min-score", "80")[0] == 0


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
    code, out, _ = run(capsys, "check", "--format", "json", "--ignore", "LL201,LL202", BITTER)
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


def test_quiet_prints_only_findings(capsys):
    _, out, _ = run(capsys, "check", "--quiet", BITTER)
    assert "score" not in out and "LL201" in out


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


def test_json_is_exactly_what_json_dumps_would_write(capsys, tmp_path):
    """json.render builds the document file by file to save memory; the text must not change."""
    from lintletter.formatters import Run
    from lintletter.formatters.json import render, report_to_dict
    from lintletter import __version__, lint_text
    from lintletter.errors import InputError

    reports = tuple(lint_text(open(p, encoding="utf-8").read(), p) for p in (COMPLETE, BITTER, THANKS))
    for run_ in (Run(reports, (InputError("x.md", "no such file"),)), Run(()), Run(reports[:1])):
        expected = {
            "schema_version": 1,
            "lintletter_version": __version__,
            "files": [report_to_dict(r) for r in run_.reports],
            "errors": [{"path": e.path, "message": e.reason} for e in run_.errors],
        }
        assert render(run_) == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"


def test_jobs_output_is_identical_to_a_serial_run(capsys):
    """--jobs splits letters across processes; order and content must not change."""
    from .conftest import CORPUS

    letters = str(CORPUS / "letters")
    serial = run(capsys, "check", "-f", "json", "-j", "1", letters)
    parallel = run(capsys, "check", "-f", "json", "-j", "2", letters)
    assert serial[0] == parallel[0]
    assert serial[1] == parallel[1] and len(json.loads(serial[1])["files"]) >= 300


def test_default_jobs_stay_serial_for_small_runs():
    from lintletter.checking import PARALLEL_MIN_LETTERS, choose_jobs

    assert choose_jobs(0, range(PARALLEL_MIN_LETTERS - 1)) == 1
    cores = len(os.sched_getaffinity(0))
    assert choose_jobs(3, range(10)) == min(3, cores) and choose_jobs(5, range(2)) == min(2, cores)
    assert choose_jobs(0, range(PARALLEL_MIN_LETTERS)) >= 1


def test_text_output_has_no_trailing_spaces(capsys):
    _, out, _ = run(capsys, "check", THANKS, BITTER)
    assert "missing" in out
    assert not [line for line in out.splitlines() if line != line.rstrip()]
