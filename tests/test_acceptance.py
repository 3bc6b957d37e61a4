"""The issue's acceptance letters: a complete letter, a thank-you-only note, a bitter letter."""

from __future__ import annotations

from lintletter.model import Status

from .conftest import ACCEPTANCE


def lint(linter, name):
    return linter.lint_text((ACCEPTANCE / name).read_text(encoding="utf-8"), name)


def test_complete_letter_scores_high_with_all_sections(linter):
    report = lint(linter, "complete.md")
    assert all(r.status is Status.PRESENT for r in report.sections.values()), {
        k: v.status.value for k, v in report.sections.items()
    }
    assert report.score.value >= 85 and report.score.verdict == "ready"


def test_thank_you_note_scores_low(linter):
    report = lint(linter, "thank-you-only.txt")
    present_or_weak = [k for k, r in report.sections.items() if r.status is not Status.MISSING]
    assert len(present_or_weak) <= 2
    assert report.score.value <= 40


def test_bitter_letter_gets_tone_findings(linter):
    report = lint(linter, "bitter.txt")
    codes = {f.code for f in report.findings}
    assert "LL201" in codes and "LL202" in codes
    assert report.score.verdict != "ready"


def test_each_section_carries_its_evidence_sentence(linter):
    report = lint(linter, "complete.md")
    quote = report.sections["advice"].evidence[0].text(report.text)
    assert quote.startswith("If you were in my position")
