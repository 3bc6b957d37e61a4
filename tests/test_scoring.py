"""The score follows the documented rubric."""

from __future__ import annotations

import dataclasses

from lintletter.model import SECTIONS, Finding, SectionResult, Severity, Status
from lintletter.ruleset import load_ruleset
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


def test_the_band_follows_the_verdict_not_the_number(ruleset):
    full = sections(**{s: "present" for s in SECTIONS})
    err = Finding("LL307", "placeholder", Severity.ERROR, "x")
    assert score(full, [], ruleset.scoring).band == "good"
    # a rubric whose error costs 15: 85 is ready's min_score, but an error blocks it
    rubric = dataclasses.replace(ruleset.scoring, deductions={**ruleset.scoring.deductions, Severity.ERROR: 15.0})
    blocked = score(full, [err], rubric)
    assert (blocked.value, blocked.verdict, blocked.band) == (85, "revise", "fair")
    assert score(sections(), [], ruleset.scoring).band == "poor"  # incomplete


def test_section_findings_do_not_deduct_twice(ruleset):
    f = Finding("LL106", "competitors", Severity.WARNING, "x", section="competitors")
    full = sections(**{s: "present" for s in SECTIONS if s != "competitors"})
    assert score(full, [f], ruleset.scoring).value == 100 - ruleset.scoring.weights["competitors"]


def test_ignored_sections_rescale(ruleset):
    only = sections(**{s: "present" for s in SECTIONS if s != "competitors"})
    scored = [s for s in SECTIONS if s != "competitors"]
    assert score(only, [], ruleset.scoring, scored).value == 100


# --- deselecting the section rules: score what is left, show them as ignored -------------------

import json  # noqa: E402

import pytest  # noqa: E402

from lintletter.cli import main  # noqa: E402

from .conftest import ACCEPTANCE  # noqa: E402

COMPLETE = ACCEPTANCE / "complete.md"
BITTER = ACCEPTANCE / "bitter.txt"


def _check_json(capsys, *argv):
    code = main(["check", "-f", "json", *map(str, argv)])
    return code, json.loads(capsys.readouterr().out)["files"][0]


@pytest.mark.parametrize("flags", [["--select", "LL2,LL3"], ["--ignore", "LL1"], ["--select", "LL201"]])
def test_a_perfect_letter_checked_for_tone_and_form_only_scores_100(capsys, flags):
    code, report = _check_json(capsys, *flags, "--min-score", "90", COMPLETE)
    assert report["score"] == 100 and report["verdict"] == "ready" and code == 0
    assert {s["status"] for s in report["sections"].values()} == {"ignored"}


def test_without_sections_the_other_findings_still_deduct(capsys):
    _, report = _check_json(capsys, "--ignore", "LL1", BITTER)
    rubric = load_ruleset().scoring
    # two errors and three warnings (LL303, LL304, LL308), at most the cap
    taken = 2 * rubric.deductions[Severity.ERROR] + 3 * rubric.deductions[Severity.WARNING]
    assert report["score"] == 100 - min(taken, rubric.deduction_cap)
    assert report["score_breakdown"][0] == {"item": "no section scored", "points": 100.0}


def test_all_zero_weights_and_per_file_ignores_score_what_is_left(capsys, tmp_path):
    letter = tmp_path / "letters" / "complete.md"
    letter.parent.mkdir()
    letter.write_text(COMPLETE.read_text())
    zero = "\n".join(f"  {s}: 0" for s in SECTIONS)
    (tmp_path / ".lintletter.yaml").write_text(f"weights:\n{zero}\n")
    assert _check_json(capsys, letter)[1]["score"] == 100
    (tmp_path / ".lintletter.yaml").write_text('per-file-ignores:\n  "letters/*": [LL1]\n')
    code, report = _check_json(capsys, "--min-score", "90", letter)
    assert report["score"] == 100 and code == 0 and report["sections"]["advice"]["status"] == "ignored"


def test_ignored_sections_are_shown_as_ignored_not_missing(capsys):
    main(["check", "--ignore", "LL106", str(BITTER)])
    out = capsys.readouterr().out
    assert "– ignored competitors" in out and "✗ missing competitors" not in out
    assert "✗ missing advice" in out  # the others are still judged
    main(["check", "-f", "pretty", "--ignore", "LL106", str(BITTER)])
    assert "– ignored" in capsys.readouterr().out
    main(["check", "-f", "junit", "--ignore", "LL106", str(BITTER)])
    assert "ignored: LL106" in capsys.readouterr().out
