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

The rubric is read here too (:func:`load_rubric`), beside the formula it feeds.
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

from .model import SECTIONS, Finding, Score, Scoring, SectionResult, Severity, Status, Verdict
from .validate import Collector, is_type
from .located import LocatedDict


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


def load_rubric(data: Any, file: str, out: Collector) -> Scoring | None:
    """``scoring.yml`` (read as YAML) -> the rubric; None, with every problem in ``out``, if it is not one."""
    if not isinstance(data, LocatedDict):
        out.add(file, 1, None, "scoring must be a mapping")
        return None
    before = len(out.problems)
    allowed = {"weights", "weak_credit", "deductions", "deduction_cap", "verdicts"}
    for key in data:
        if key not in allowed:
            out.add(file, data.line_of(key), str(key), "unknown key")
    for key in allowed:
        if key not in data:
            out.add(file, data.line, key, "required field is missing")
    if len(out.problems) > before:
        return None
    weights = data["weights"]
    if not isinstance(weights, dict) or set(weights) != set(SECTIONS):
        out.add(file, data.line_of("weights"), "weights", f"must give a weight for each of {list(SECTIONS)}")
    elif not all(is_type(v, (int, float)) and v >= 0 for v in weights.values()):
        out.add(file, data.line_of("weights"), "weights", "weights are numbers >= 0")
    elif abs(sum(weights.values()) - 100) > 1e-9:
        out.add(file, data.line_of("weights"), "weights", f"must add up to 100 (they add up to {sum(weights.values())})")
    if not is_type(data["weak_credit"], (int, float)) or not 0 <= data["weak_credit"] <= 1:
        out.add(file, data.line_of("weak_credit"), "weak_credit", "must be a number from 0 to 1")
    ded = data["deductions"]
    if not isinstance(ded, dict) or set(ded) != {s.value for s in Severity} or not all(is_type(v, (int, float)) and v >= 0 for v in ded.values()):
        out.add(file, data.line_of("deductions"), "deductions", "must give points >= 0 for error, warning and info")
    if not is_type(data["deduction_cap"], (int, float)) or not 0 <= data["deduction_cap"] <= 100:
        out.add(file, data.line_of("deduction_cap"), "deduction_cap", "must be a number from 0 to 100")
    verdicts = []
    vlist = data["verdicts"]
    if not isinstance(vlist, list) or not vlist:
        out.add(file, data.line_of("verdicts"), "verdicts", "must be a non-empty list")
    else:
        for v in vlist:
            vline = v.line if isinstance(v, LocatedDict) else data.line_of("verdicts")
            if not isinstance(v, dict) or not isinstance(v.get("verdict"), str) or not is_type(v.get("min_score"), int):
                out.add(file, vline, "verdicts", "each verdict needs 'verdict' (text) and 'min_score' (whole number)")
                continue
            extra = set(v) - {"verdict", "min_score", "max_severity"}
            if extra:
                out.add(file, vline, "verdicts", f"unknown key(s) {sorted(extra)}")
            ms = v.get("max_severity")
            if ms is not None and (not isinstance(ms, str) or ms not in {s.value for s in Severity}):
                out.add(file, vline, "verdicts.max_severity", "must be error, warning or info")
                continue
            verdicts.append(Verdict(v["verdict"], v["min_score"], Severity(ms) if ms else None))
        if verdicts and min(v.min_score for v in verdicts) > 0:
            out.add(file, data.line_of("verdicts"), "verdicts", "one verdict must have min_score 0 so every score gets one")
    if len(out.problems) > before:
        return None
    return Scoring(
        weights={k: float(weights[k]) for k in SECTIONS},
        weak_credit=float(data["weak_credit"]),
        deductions={Severity(k): float(v) for k, v in ded.items()},
        deduction_cap=float(data["deduction_cap"]),
        verdicts=tuple(sorted(verdicts, key=lambda v: -v.min_score)),
    )
