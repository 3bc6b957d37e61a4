"""The score follows the documented rubric."""

from __future__ import annotations

from lintletter.model import SECTIONS, Finding, SectionResult, Severity, Status
from lintletter.scoring import score


def sections(**statuses):
    return {s: SectionResult(s, Status(statuses.get(s, "missing")), "LL1") for s in SECTIONS}


def test_all_present_no_findings_is_100(ruleset):
    result = score(sections(**{s: "present" for s in SECTIONS}), [], ruleset.scoring)
    assert result.value == 100 and result.verdict == "ready"


def test_weak_gets_half_credit(ruleset):
    w = ruleset.scoring.weights
    result = score(sections(feedback_request="weak"), [], ruleset.scoring)
    assert result.value == round(w["feedback_request"] * ruleset.scoring.weak_credit)


def test_deductions_by_severity_and_cap(ruleset):
    full = sections(**{s: "present" for s in SECTIONS})
    err = Finding("LL201", "bitterness", Severity.ERROR, "x")
    result = score(full, [err], ruleset.scoring)
    assert result.value == 100 - ruleset.scoring.deductions[Severity.ERROR]
    assert result.verdict != "ready"  # an error blocks "ready" whatever the score
    many = score(full, [err] * 20, ruleset.scoring)
    assert many.value == 100 - ruleset.scoring.deduction_cap


def test_section_findings_do_not_deduct_twice(ruleset):
    f = Finding("LL106", "competitors", Severity.WARNING, "x", section="competitors")
    full = sections(**{s: "present" for s in SECTIONS if s != "competitors"})
    assert score(full, [f], ruleset.scoring).value == 100 - ruleset.scoring.weights["competitors"]


def test_ignored_sections_rescale(ruleset):
    only = sections(**{s: "present" for s in SECTIONS if s != "competitors"})
    scored = [s for s in SECTIONS if s != "competitors"]
    assert score(only, [], ruleset.scoring, scored).value == 100
