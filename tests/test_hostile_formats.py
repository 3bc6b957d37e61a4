"""Output formats on hostile runs: huge numbers of findings, file names that are not UTF-8 or hold
line breaks, letters holding terminal escape sequences."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import pytest

from lintletter.cli import main
from lintletter.formatters import Run, render
from lintletter.model import SECTIONS, Finding, Report, Score, SectionResult, Severity, Span, Status

from .bounds import child_env, within
from .conftest import ACCEPTANCE

LETTER = (ACCEPTANCE / "complete.md").read_text(encoding="utf-8")


def many_findings(n: int) -> Report:
    """A report with one finding per line and evidence on every third line, built directly."""
    line = "Dear [Name], thank you.\n"
    text = line * n
    findings = tuple(
        Finding("LL307", "placeholder", Severity.WARNING, "A placeholder.", Span(i * len(line) + 5, i * len(line) + 11), None, "Fill it in.")
        for i in range(n)
    )
    evidence = tuple(Span(i * len(line), i * len(line) + len(line) - 1) for i in range(0, n, 3))
    sections = {s: SectionResult(s, Status.WEAK, "LL101", evidence) for s in SECTIONS}
    return Report(text, sections, findings, Score(0, "incomplete"), "many.md")


def test_html_with_40000_findings_is_linear():
    """Every boundary used to scan every layer: 16,000 findings took 36 s."""
    report = many_findings(40_000)
    with within(60):
        page = render("html", Run((report,)))
    assert page.count('class="note sev-warning"') == 40_000


def test_pretty_with_8000_findings_is_linear():
    """Each line of the letter was a slice of one styled text holding every highlight."""
    report = many_findings(8_000)  # about 10 s; the quadratic version took over two minutes
    with within(90):
        out = render("pretty", Run((report,)))
    assert out.count("LL307 placeholder") == 8_000


# --- file names ------------------------------------------------------------------------------


@pytest.fixture
def odd_names(tmp_path) -> Path:
    folder = tmp_path / "letters"
    folder.mkdir()
    (folder / "ok.md").write_text(LETTER, encoding="utf-8")
    raw = os.fsencode(folder) + b"/caf\xff.md"  # not UTF-8: Python holds it as "\udcff"
    with open(raw, "wb") as handle:  # with a finding, so every format names the file
        handle.write(LETTER.replace("Thank you for letting me know", "TODO Thank you for letting me know", 1).encode("utf-8"))
    return folder


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "html", "github", "text", "pretty"])
def test_a_file_name_that_is_not_utf8_in_every_format(capsys, tmp_path, odd_names, fmt):
    out = tmp_path / f"report.{fmt}"
    code = main(["check", str(odd_names), "-f", fmt, "-o", str(out)])
    assert code in (0, 1), capsys.readouterr().err
    text = out.read_bytes().decode("utf-8")  # valid UTF-8
    assert ("caf%EF%BF%BD.md" if fmt == "sarif" else "caf\ufffd.md") in text
    if fmt in ("json", "sarif"):
        json.loads(text)


def test_json_on_stdout_is_valid_utf8_whatever_the_locale(odd_names):
    import subprocess

    for locale in ("C", "C.UTF-8"):
        env = {**child_env(), "LC_ALL": locale, "LANG": locale}
        result = subprocess.run(
            [sys.executable, "-m", "lintletter.cli", "check", str(odd_names), "-f", "json"], capture_output=True, env=env, timeout=60
        )
        assert result.returncode in (0, 1), result.stderr
        doc = json.loads(result.stdout.decode("utf-8"))
        assert sorted(Path(f["path"]).name for f in doc["files"]) == ["caf\ufffd.md", "ok.md"]


FORGED = "a\n::error file=README.md,line=1::forged"


@pytest.mark.parametrize("fmt", ["text", "pretty"])
def test_a_file_name_cannot_forge_a_github_annotation(capsys, tmp_path, fmt):
    (tmp_path / f"{FORGED}.md").write_text(LETTER, encoding="utf-8")
    main(["check", str(tmp_path), "-f", fmt, str(tmp_path / f"{FORGED}-missing.md")])
    out, err = capsys.readouterr()
    lines = (out + err).splitlines()
    assert lines and not [line for line in lines if line.lstrip().startswith("::")], lines
    assert any("forged" in line for line in lines)


SHORT = "Dear Sam,\n\nThank you for letting me know.\n\nBest,\nAl\n"  # fails: sections missing


@pytest.mark.parametrize("command", [["check", "-f", "text"], ["check", "-f", "pretty"], ["check", "-f", "concise"], ["fix"]])
def test_a_failing_letter_s_name_cannot_forge_a_github_annotation(capsys, tmp_path, command):
    """Where main's commands print a file name besides issue 14's text header: the failure summary
    (text, pretty), every concise line, and fix's diff headers, notes and errors."""
    (tmp_path / f"{FORGED}.md").write_text(SHORT, encoding="utf-8")
    (tmp_path / f"{FORGED}\x1b[2J.md").write_bytes(b"\x00binary")
    code = main([*command, str(tmp_path)])
    out, err = capsys.readouterr()
    lines = (out + err).splitlines()
    assert code in (1, 2) and any("forged" in line for line in lines), lines
    assert not [line for line in lines if line.lstrip().startswith("::")], lines
    assert "\x1b" not in out + err


def test_an_escape_sequence_in_a_letter_is_shown_not_sent(capsys, tmp_path):
    hostile = "\x1b]0;pwned\x07\x1b[2J\x9b31m"
    letter = LETTER.replace("Thank you for letting me know", f"Thank you{hostile} for letting me know", 1)
    path = tmp_path / "x.md"
    path.write_text(letter, encoding="utf-8")
    for fmt in ("text", "pretty"):
        main(["check", str(path), "-f", fmt])
        out = capsys.readouterr().out
        assert "pwned" in out, fmt  # the evidence quote is still shown
        assert not re.search("[\x1b\x07\x9b]", out), (fmt, out)


def test_terminal_escapes_in_a_rule_message_are_shown_not_sent(capsys, tmp_path):
    from .conftest import write_rule

    rule = (
        'code: LL901\nname: loud\nkind: phrase\nseverity: warning\nmessage: "Found \\e[2J it\\n::error::x"\n'
        "description: d.\nrationale: r.\nsuggestion: s.\ncues:\n  hi: [thank]\nmatch: [[hi]]\n"
        "examples:\n  trigger: [thank]\n  pass: [bye]\n"
    )
    write_rule(tmp_path / "rules", "LL901-loud.yml", rule)
    path = tmp_path / "x.md"
    path.write_text(LETTER, encoding="utf-8")
    main(["check", str(path), "--rules", str(tmp_path / "rules")])
    out = capsys.readouterr().out
    assert "Found \\x1b[2J it\\n::error::x" in out and "\x1b" not in out
    assert not [line for line in out.splitlines() if line.startswith("::")]
