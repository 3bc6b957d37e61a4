"""--format concise: one `path:line:col: CODE message` line per finding, for editors and tools."""

from __future__ import annotations

import re

from lintletter.cli import main

from .conftest import ACCEPTANCE, CORPUS

LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<code>LLE?\d{3}) (?P<message>\S.*)$")
BITTER = str(ACCEPTANCE / "bitter.txt")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_concise_every_line_has_a_position_and_absent_findings_are_on_line_1(capsys):
    code, out, _ = run(capsys, "check", "--no-config", "-f", "concise", BITTER)
    assert code == 1
    lines = out.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    by_code = {m["code"]: (int(m["line"]), int(m["col"])) for m in parsed}
    # the bitter sentence is on line 3, column 87; the missing sections have no place but line 1
    assert by_code["LL201"] == (3, 87)
    assert by_code["LL202"] == (6, 1)
    for absent in ("LL104", "LL105", "LL106", "LL303", "LL304"):
        assert by_code[absent] == (1, 1)
    assert {m["file"] for m in parsed} == {BITTER}
    assert "score" not in out  # no summary, nothing a parser must skip


def test_concise_agrees_with_json_on_every_finding(capsys):
    import json

    _, out, _ = run(capsys, "check", "--no-config", "-f", "concise", BITTER)
    _, data, _ = run(capsys, "check", "--no-config", "-f", "json", BITTER)
    diagnostics = json.loads(data)["files"][0]["diagnostics"]
    expected = [f"{BITTER}:{d['line'] or 1}:{d['column'] or 1}: {d['code']} {' '.join(d['message'].split())}" for d in diagnostics]
    assert sorted(out.splitlines()) == sorted(expected)


def test_concise_letter_inside_a_document_puts_absent_findings_on_its_first_line(capsys):
    guide = CORPUS / "embedded" / "guide-two-fenced.md"
    _, out, _ = run(capsys, "check", "--no-config", "-f", "json", str(guide))
    import json

    reports = json.loads(out)["files"]
    assert len(reports) == 2
    _, concise, _ = run(capsys, "check", "--no-config", "-f", "concise", str(guide))
    for report in reports:
        for d in report["diagnostics"]:
            line = d["line"] if d["line"] is not None else report["letter"]["start_line"]
            assert f"{guide}:{line}:{d['column'] or 1}: {d['code']} " in concise


def test_concise_reports_unreadable_inputs_as_lines(capsys, tmp_path):
    missing = tmp_path / "nowhere.md"
    code, out, err = run(capsys, "check", "-f", "concise", str(missing))
    assert code == 2
    assert out == f"{missing}:1:1: LLE300 no such file or folder\n"
    assert "no such file" in err


def test_a_concise_report_saved_among_the_letters_is_not_linted_as_one(capsys, tmp_path):
    (tmp_path / "letter.txt").write_text((ACCEPTANCE / "bitter.txt").read_text(encoding="utf-8"), encoding="utf-8")
    report = tmp_path / "report.txt"
    run(capsys, "check", "--no-config", "-f", "concise", "-o", str(report), str(tmp_path))
    assert report.read_text(encoding="utf-8").startswith(f"{tmp_path / 'letter.txt'}:1:1: LL102 ")
    _, again, _ = run(capsys, "check", "--no-config", "-f", "concise", str(tmp_path))
    assert "report.txt" not in again


def test_the_documented_vscode_problem_matcher_reads_every_line(capsys):
    import json

    from .conftest import ROOT

    docs = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    block = docs.split("<!-- tests/test_concise.py checks this matcher against real output -->", 1)[1]
    tasks = json.loads(block.split("```json", 1)[1].split("```", 1)[0])
    (task,) = tasks["tasks"]
    assert task["command"].startswith("lintletter check --format concise")
    pattern = task["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])  # JavaScript and Python read this pattern alike
    guide = CORPUS / "embedded" / "guide-two-fenced.md"
    _, out, _ = run(capsys, "check", "--no-config", "-f", "concise", BITTER, str(guide), str(CORPUS / "missing.md"))
    lines = out.splitlines()
    assert len(lines) >= 8  # the bitter letter's findings, the guide's, and the missing file
    for line in lines:
        m = regexp.match(line)
        assert m, line
        assert m.group(pattern["file"]) in (BITTER, str(guide), str(CORPUS / "missing.md"))
        assert int(m.group(pattern["line"])) >= 1 and int(m.group(pattern["column"])) >= 1
        assert re.fullmatch(r"LLE?\d{3}", m.group(pattern["code"])) and m.group(pattern["message"])
