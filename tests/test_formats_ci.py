"""CI output formats: SARIF (validated against the OASIS schema), GitHub workflow commands, JUnit XML."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from lintletter import LetterInput
from lintletter.cli import main
from lintletter.errors import InputError
from lintletter.formatters import FORMATS, Run, render
from lintletter.formatters.github import escape_data, escape_property, step_summary
from lintletter.model import Finding, Severity, Span, Status

from .conftest import ACCEPTANCE

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
LETTERS = sorted(ACCEPTANCE.iterdir())
BITTER_LETTER = """Dear Dana,

Thank you for letting me know that you chose another candidate.
Frankly the whole process was rigged from the start.
I think the interview panel was biased against me.

Best,
Al
"""


def sarif_of(run: Run) -> dict:
    doc = json.loads(render("sarif", run))
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    return doc


def results_of(linter, text: str, path: str = "letters/a.md") -> list[dict]:
    report = linter.lint_text(text, path)
    return sarif_of(Run((report,), rules=linter.ruleset.rules))["runs"][0]["results"]


@pytest.fixture(scope="module")
def acceptance_run(linter) -> Run:
    reports = tuple(
        linter.lint_many(LetterInput(f"corpus/acceptance/{p.name}", p.read_text(encoding="utf-8")) for p in LETTERS)
    )
    return Run(reports, rules=linter.ruleset.rules)


def test_every_formatter_is_registered_and_documented():
    """A format module nobody registered, or a format that --help or the README does not name."""
    import typer.main

    from lintletter import formatters
    from lintletter.cli import app

    folder = Path(formatters.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "statistics"}  # statistics: --statistics, not a --format
    assert set(FORMATS.values()) == modules
    for name, module in FORMATS.items():
        imported = __import__(f"lintletter.formatters.{module}", fromlist=["render"])
        assert callable(getattr(imported, "render", None)), f"{name}: no render()"
    check = typer.main.get_command(app).commands["check"]
    (option,) = [p for p in check.params if "--format" in p.opts]
    listed = re.findall(r"[a-z]+", option.help.split(":", 1)[1])
    assert set(listed) - {"or"} == set(FORMATS), option.help
    table = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8").split("| format | for |", 1)[1]
    rows = re.findall(r"^\| `([a-z]+)`", table.split("\n\n", 1)[0], re.M)
    assert set(rows) == set(FORMATS), rows


# --- SARIF ------------------------------------------------------------------------------------


def test_sarif_validates_and_describes_every_rule(acceptance_run):
    doc = sarif_of(acceptance_run)
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "lintletter" and driver["version"] and driver["informationUri"]
    assert [r["id"] for r in driver["rules"]] == [r.code for r in acceptance_run.rules]
    for descriptor, rule in zip(driver["rules"], acceptance_run.rules):
        assert descriptor["name"] == rule.name
        assert descriptor["help"]["text"] and descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule.kind in descriptor["properties"]["tags"]
    assert run["invocations"][0]["executionSuccessful"] is True


def test_sarif_results_point_at_their_rules(acceptance_run):
    run = sarif_of(acceptance_run)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    findings = [f for report in acceptance_run.reports for f in report.findings]
    assert len(run["results"]) == len(findings) > 0
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for result, finding in zip(run["results"], findings):
        assert result["ruleId"] == finding.code == rules[result["ruleIndex"]]["id"]
        assert result["level"] == levels[finding.severity]
        assert finding.message in result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"].startswith("corpus/acceptance/")
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        if finding.span is None:
            assert location["region"] == {"startLine": 1}
        else:
            assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(location["region"])


def test_sarif_input_errors_become_notifications(acceptance_run):
    run = dataclasses.replace(acceptance_run, errors=(InputError("letters/missing.txt", "no such file or folder"),))
    invocation = sarif_of(run)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "no such file" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "letters/missing.txt"
    assert sarif_of(Run((), errors=run.errors))["runs"][0]["results"] == []


def test_sarif_uris_are_relative_with_forward_slashes(linter, acceptance_run):
    report = acceptance_run.reports[0]

    def location(path):
        run = sarif_of(Run((dataclasses.replace(report, path=path),)))["runs"][0]
        return run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]

    assert location("letters\\june\\my letter.md") == {"uri": "letters/june/my%20letter.md", "uriBaseId": "%SRCROOT%"}
    assert location("./letters/a.md")["uri"] == "letters/a.md"
    assert location("/home/al/a.md") == {"uri": "file:///home/al/a.md"}


def fingerprint(result: dict) -> str:
    return result["partialFingerprints"]["lintletterFinding/v1"]


def test_fingerprints_survive_an_unrelated_line_above(linter):
    before = [r for r in results_of(linter, BITTER_LETTER) if r["ruleId"] == "LL201"]
    edited = BITTER_LETTER.replace("Dear Dana,\n", "Dear Dana,\n\nI hope your week is going well.\n")
    after = [r for r in results_of(linter, edited) if r["ruleId"] == "LL201"]
    assert len(before) == len(after) == 2
    for old, new in zip(before, after):
        region_old = old["locations"][0]["physicalLocation"]["region"]
        region_new = new["locations"][0]["physicalLocation"]["region"]
        assert region_new["startLine"] == region_old["startLine"] + 2
        assert fingerprint(old) == fingerprint(new)


def test_fingerprints_tell_findings_of_one_rule_apart(linter):
    results = [r for r in results_of(linter, BITTER_LETTER) if r["ruleId"] == "LL201"]
    assert len({fingerprint(r) for r in results}) == 2
    repeated = BITTER_LETTER.replace("Best,", "Frankly the whole process was rigged from the start.\n\nBest,")
    results = [r for r in results_of(linter, repeated) if r["ruleId"] == "LL201"]
    assert len(results) == 3 and len({fingerprint(r) for r in results}) == 3
    # span-less findings: one per rule and file, so the same rule in two files differs
    def spanless(path):
        results = results_of(linter, "Hi.", path)
        return {fingerprint(r) for r in results if r["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}}

    assert spanless("a.md") and spanless("a.md").isdisjoint(spanless("b.md"))


def test_sarif_marks_suppressed_findings(acceptance_run):
    from lintletter import model

    if not hasattr(model, "Suppressed"):
        pytest.skip("this model has no suppressions")
    report = next(r for r in acceptance_run.reports if r.findings)
    hidden, *shown = report.findings
    suppressed = (model.Suppressed(hidden, "on purpose", Span(0, 4)),)
    run = Run((dataclasses.replace(report, findings=tuple(shown), suppressed=suppressed),), rules=acceptance_run.rules)
    results = sarif_of(run)["runs"][0]["results"]
    assert len(results) == len(report.findings)
    marked = [r for r in results if "suppressions" in r]
    assert [(r["ruleId"], r["suppressions"][0]["kind"], r["suppressions"][0]["justification"]) for r in marked] == [
        (hidden.code, "inSource", "on purpose")
    ]


# --- GitHub workflow commands -----------------------------------------------------------------


def test_github_escapes_data_and_properties():
    assert escape_data("100%\r\nsure: a, b") == "100%25%0D%0Asure: a, b"
    assert escape_property("50%/a,b:c.md\n") == "50%25/a%2Cb%3Ac.md%0A"


def test_github_annotations(linter):
    report = linter.lint_text(BITTER_LETTER, "letters/50%/a,b:c.md")
    odd = Finding("LL999", "odd", Severity.INFO, "100% odd\nsecond line", None, None, None)
    report = dataclasses.replace(report, findings=report.findings + (odd,))
    error = InputError("letters/x,y.md", "no such file")
    lines = render("github", Run((report,), errors=(error,))).splitlines()
    assert len(lines) == len(report.findings) + 2  # + why the letter fails, + the unreadable input
    prefix = "file=letters/50%25/a%2Cb%3Ac.md,"
    assert lines[-2].startswith("::error " + prefix + "title=lintletter%3A letter fails::2 errors, ")
    lines = lines[:-2] + lines[-1:]
    spanned = [ln for ln in lines if ln.startswith("::error ") and ",line=" in ln]
    assert spanned and all(ln.startswith("::error " + prefix + "line=") for ln in spanned)
    assert all(re.search(r",col=\d+,endLine=\d+,endColumn=\d+,title=LL201 bitterness::", ln) for ln in spanned)
    assert all("%0ASuggestion: " in ln for ln in spanned)
    assert lines[-2] == "::notice " + prefix + "title=LL999 odd::100%25 odd%0Asecond line"
    assert lines[-1].startswith("::error file=letters/x%2Cy.md,") and lines[-1].endswith("::no such file")
    assert all("\n" not in ln and "\r" not in ln for ln in lines)


def test_github_step_summary(acceptance_run, linter):
    piped = linter.lint_text(BITTER_LETTER, "odd|name.md")
    run = dataclasses.replace(acceptance_run, reports=acceptance_run.reports + (piped,))
    summary = step_summary(run)
    rows = [ln for ln in summary.splitlines() if ln.startswith("|")]
    assert len(rows) == 2 + len(run.reports)
    widths = {len(re.split(r"(?<!\\)\|", row)) for row in rows}
    assert widths == {9 + 2}  # file, score, verdict, six sections, and the empty ends
    assert "odd\\|name.md" in summary
    for report, row in zip(run.reports, rows[2:]):
        assert f"{report.score.value}/100" in row and report.score.verdict in row
        assert row.count("missing") == sum(s.status is Status.MISSING for s in report.sections.values())
        assert row.count("present") == sum(s.status is Status.PRESENT for s in report.sections.values())


# --- JUnit XML --------------------------------------------------------------------------------


def junit_of(run: Run) -> ET.Element:
    return ET.fromstring(render("junit", run).encode("utf-8"))


def test_junit_one_suite_per_letter_with_expected_failures(acceptance_run):
    root = junit_of(acceptance_run)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [r.path for r in acceptance_run.reports]
    for suite, report in zip(suites, acceptance_run.reports):
        section_codes = {r.rule for r in report.sections.values()}
        others = [f for f in report.findings if f.code not in section_codes]
        cases = suite.findall("testcase")
        assert len(cases) == int(suite.get("tests")) == 6 + len(others)
        assert all(c.get("classname") == report.path for c in cases)
        # every finding that fails the letter (warning and up by default) fails exactly one case:
        # missing and weak sections, and each other finding; info findings pass, with their details
        failing = [f for f in report.findings if f.severity is not Severity.INFO]
        failures = suite.findall("testcase/failure")
        assert len(failures) == int(suite.get("failures")) == len(failing)
        for name, result in report.sections.items():
            failure = suite.find(f"testcase[@name='{name}']/failure")
            finding = next((f for f in report.findings if f.code == result.rule), None)
            assert (failure is None) == (finding is None or finding.severity is Severity.INFO)
            if failure is not None:
                assert failure.get("type") == result.rule
                assert failure.get("message").startswith(result.status.value + ":")
            elif finding is not None:
                assert finding.message in suite.find(f"testcase[@name='{name}']/system-out").text
    assert int(root.get("failures")) == sum(
        f.severity is not Severity.INFO for r in acceptance_run.reports for f in r.findings
    )


def test_junit_skips_a_section_whose_rule_was_not_reported(acceptance_run):
    report = next(r for r in acceptance_run.reports if r.sections["advice"].status is Status.MISSING)
    quiet = dataclasses.replace(report, findings=tuple(f for f in report.findings if f.code != report.sections["advice"].rule))
    suite = junit_of(Run((quiet,))).find("testsuite")
    assert suite.find("testcase[@name='advice']/skipped") is not None and suite.get("skipped") == "1"


def test_junit_input_error_and_control_characters(acceptance_run):
    report = acceptance_run.reports[0]
    nasty = Finding("LL998", "nasty", Severity.WARNING, "bell\x07 form\x0c feed & <tag>", Span(0, 3), None, "fix \x00it")
    report = dataclasses.replace(report, path="odd\x01<name>.md", findings=report.findings + (nasty,))
    run = Run((report,), errors=(InputError("gone\x1b.md", "no such file"),))
    root = junit_of(run)  # parses: forbidden characters were dropped, the rest escaped
    failure = root.find("testsuite/testcase[@name='LL998 nasty']/failure")
    assert failure.get("message") == "bell form feed & <tag>"
    assert root.find("testsuite").get("name") == "odd<name>.md"
    error = root.find("testsuite[@name='gone.md']/testcase/error")
    assert error is not None and error.get("message") == "no such file" and error.get("type") == "LLE300"
    assert root.get("errors") == "1"


# --- through the CLI --------------------------------------------------------------------------


def test_cli_sarif(capsys):
    code = main(["check", "-f", "sarif", str(ACCEPTANCE / "bitter.txt")])
    doc = json.loads(capsys.readouterr().out)
    jsonschema.Draft4Validator(SCHEMA).validate(doc)
    assert code == 1 and {r["ruleId"] for r in doc["runs"][0]["results"]} >= {"LL201", "LL202"}
    assert len(doc["runs"][0]["tool"]["driver"]["rules"]) > 6


def test_cli_github_and_junit(capsys, tmp_path):
    missing = str(tmp_path / "missing.txt")
    code = main(["check", "-f", "github", str(ACCEPTANCE / "bitter.txt"), missing])
    out = capsys.readouterr().out
    assert code == 2 and out.startswith("::") and "title=LL201 bitterness::" in out
    assert out.splitlines()[-1].startswith("::error file=")
    main(["check", "-f", "junit", str(ACCEPTANCE / "complete.md"), missing])
    root = ET.fromstring(capsys.readouterr().out.encode("utf-8"))
    assert root.get("failures") == "0" and root.get("errors") == "1"


def test_json_prints_what_json_dumps_would_on_every_corpus_letter(linter):
    """The JSON format's own indenting encoder (faster than json's) gives json.dumps's bytes."""
    import json
    import math

    from lintletter.formatters.json import _dumps, report_to_dict
    from lintletter.policy import Policy

    from .conftest import CORPUS

    letters = sorted((CORPUS / "letters").iterdir())
    from lintletter.api import LetterInput

    items = [LetterInput(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in letters]
    checked = 0
    for report in linter.lint_many(items):
        entry = report_to_dict(report, Policy())
        assert _dumps(entry) == json.dumps(entry, indent=2, ensure_ascii=False)
        assert "    " + _dumps(entry, "    ") == "    " + json.dumps(entry, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        checked += 1
    assert checked == len(letters)
    odd = {"s": "é \u2028 \"q\" \\ \x00 \ud800", "n": [None, True, False, 0, -1, 10**30, 1.5, 1e-7, math.inf, -math.inf],
           1: {}, 2.5: [], None: [[], {}, [[1]]], True: ("t", "u"), "nan": math.nan}  # fmt: skip
    assert _dumps(odd) == json.dumps(odd, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError):
        _dumps({"x": object()})
