"""The score: a transparent checklist rubric from ``rules/scoring.yml``. Not a hiring prediction.

score = sum over the six sections of weight x credit (present 1, weak ``weak_credit``, missing 0)
        minus, for every other finding, the points for its severity (in total at most ``deduction_cap``),
        clamped to 0..100 and rounded half up.
Sections whose rule is ignored are left out and the remaining weights are scaled back up to 100;
with no section left to score (or all weights 0), the sections' part is the full 100, so a letter
checked for tone and form only is scored on those.
The verdict is the first (highest) one whose ``min_score`` the score reaches and whose
``max_severity``, if given, no finding exceeds; its place in the list is the score's ``band``
(first: good, last: poor, between: fair), which the reports colour.
"""

from __future__ import annotations

import math
from typing import Iterable, Mapping

from .model import SECTIONS, Finding, Score, SectionResult, Status
from .model import Scoring


def score(
    sections: Mapping[str, SectionResult],
    findings: Iterable[Finding],
    rubric: Scoring,
    scored_sections: Iterable[str] = SECTIONS,
) -> Score:
    findings = list(findings)
    counted = [s for s in SECTIONS if s in set(scored_sections)]
    total_weight = sum(rubric.weights[s] for s in counted)
    scale = 100.0 / total_weight if total_weight else 0.0
    breakdown: list[tuple[str, float]] = []
    points = 0.0
    if not total_weight:
        points = 100.0
        breakdown.append(("no section scored", 100.0))
        counted = []
    for name in counted:
        status = sections[name].status
        credit = {Status.PRESENT: 1.0, Status.WEAK: rubric.weak_credit, Status.MISSING: 0.0}[status]
        gained = rubric.weights[name] * scale * credit
        breakdown.append((f"{name} ({status.value})", round(gained, 2)))
        points += gained
    deduction = sum(rubric.deductions[f.severity] for f in findings if f.section is None)
    deduction = min(deduction, rubric.deduction_cap)
    if deduction:
        breakdown.append(("other findings", -round(deduction, 2)))
    value = int(math.floor(max(0.0, min(100.0, points - deduction)) + 0.5))
    worst = max((f.severity.rank for f in findings), default=-1)
    place = len(rubric.verdicts) - 1
    for i, v in enumerate(rubric.verdicts):
        if value >= v.min_score and (v.max_severity is None or worst <= v.max_severity.rank):
            place = i
            break
    band = "good" if place == 0 else "poor" if place == len(rubric.verdicts) - 1 else "fair"
    return Score(value, rubric.verdicts[place].name, tuple(breakdown), band)
