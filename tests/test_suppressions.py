"""Suppressions in the letter: inline ranges, next-line, file-wide, front matter; unused ones reported."""

from __future__ import annotations

import json

from lintletter.cli import main

BITTER_SENTENCE = "Frankly, your process was a complete waste of my time."
LETTER = """Dear Sam,

Thank you for letting me know that the role went to another candidate.
{before}{bitter}
{after}I remain very interested in Acme and would still love to work there one day.

Best regards,
Al
"""


def lint(linter, before="", after="", bitter=BITTER_SENTENCE, front=""):
    return linter.lint_text(front + LETTER.format(before=before, after=after, bitter=bitter))


def codes(report):
    return [f.code for f in report.findings]


def test_range_suppression_hides_the_finding_and_keeps_the_reason(linter):
    plain = lint(linter)
    assert "LL201" in codes(plain)
    report = lint(linter, before="<!-- lintletter: disable=LL201 -- quoting my first draft -->\n",
                  after="<!-- lintletter: enable=LL201 -->\n")
    assert "LL201" not in codes(report) and "LL314" not in codes(report)
    assert [s.finding.code for s in report.suppressed] == ["LL201"]
    assert report.suppressed[0].reason == "quoting my first draft"
    assert report.score.value > plain.score.value  # a suppressed finding does not deduct


def test_range_ends_at_enable(linter):
    report = lint(linter, before="<!-- lintletter: disable=LL201 -->\n<!-- lintletter: enable=LL201 -->\n")
    assert "LL201" in codes(report)  # the sentence comes after the range closed
    assert "LL314" in codes(report)  # and the empty range is reported as unused


def test_names_and_prefixes_work_and_disable_runs_to_the_end(linter):
    for selector in ("bitterness", "LL2"):
        report = lint(linter, before=f"<!-- lintletter: disable={selector} -->\n")
        assert "LL201" not in codes(report), selector


def test_next_line_form_covers_only_the_next_line(linter):
    report = lint(linter, before="<!-- lintletter: disable-next-line=LL201 -- sarcasm, on purpose -->\n")
    assert "LL201" not in codes(report)
    report = lint(linter, before="<!-- lintletter: disable-next-line=LL201 -->\nSome other line here.\n")
    assert "LL201" in codes(report) and "LL314" in codes(report)


def test_front_matter_ignore_is_letter_wide_and_leaves_the_score(linter):
    front = "---\ncompany: Acme\nlintletter:\n  ignore: [LL106, 'LL201 -- kept for the record']\n---\n"
    report = lint(linter, front=front)
    assert "LL106" not in codes(report) and "LL201" not in codes(report)
    assert {s.finding.code for s in report.suppressed} == {"LL106", "LL201"}
    assert not any("competitors" in label for label, _ in report.score.breakdown)
    assert report.sections["competitors"].status.value == "ignored"  # shown as ignored, and not scored


def test_disable_file_comment_works_in_plain_text(linter):
    report = lint(linter, before="<!-- lintletter: disable-file=LL106 -- no competitors in this niche -->\n")
    assert "LL106" not in codes(report)
    assert not any("competitors" in label for label, _ in report.score.breakdown)


def test_unknown_codes_and_directives_are_reported(linter):
    report = lint(linter, before="<!-- lintletter: disable=LL999 -->\n<!-- lintletter: disabel=LL201 -->\n")
    messages = [f.message for f in report.findings if f.code == "LL314"]
    assert any("LL999" in m for m in messages) and any("disabel" in m for m in messages)
    assert "LL201" in codes(report)


def test_unused_suppression_respects_selection(linter, ruleset):
    from lintletter import Linter

    quiet = Linter(ruleset, linter.nlp, ignore=["LL314"])
    report = quiet.lint_text(LETTER.format(before="<!-- lintletter: disable=LL203 -->\n", after="", bitter=""))
    assert "LL314" not in codes(report)


def test_suppressions_in_json(tmp_path, capsys):
    path = tmp_path / "letter.md"
    path.write_text(LETTER.format(before="<!-- lintletter: disable=LL201 -- why not -->\n", after="", bitter=BITTER_SENTENCE))
    main(["check", "-f", "json", str(path)])
    doc = json.loads(capsys.readouterr().out)
    (entry,) = doc["files"][0]["suppressed"]
    assert entry["code"] == "LL201" and entry["reason"] == "why not" and entry["line"] == 5
    assert entry["suppressed_at"] == 4


def test_trailing_disable_suppresses_its_own_line_like_noqa(linter):
    report = lint(linter, bitter=BITTER_SENTENCE + " <!-- lintletter: disable=LL201 -- quoting on purpose -->")
    assert "LL201" not in codes(report)
    assert [s.finding.code for s in report.suppressed] == ["LL201"] and report.suppressed[0].reason == "quoting on purpose"
    assert "LL314" not in codes(report)  # used, so not reported as stale


def test_trailing_disable_opens_no_range(linter):
    # the same bitter sentence on the next line is still reported
    text = LETTER.format(before="", after=BITTER_SENTENCE + "\n", bitter="Fine. <!-- lintletter: disable=LL201 -->")
    report = linter.lint_text(text)
    assert codes(report).count("LL201") == 1
