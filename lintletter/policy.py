"""When a letter fails, and why: the pass/fail policy as plain data, judged without I/O.

A letter fails when it has a finding at or above ``fail_on`` or scores below ``min_score``; a run
also fails when the letters sharing a ``max-warnings`` limit have more warnings than it. Every
failure comes with a reason a person can act on ("score 69 below --min-score 80"), which the
formatters print and the exit code agrees with.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from .model import Finding, Report, Severity

_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@dataclass(frozen=True)
class Policy:
    """The settings that decide whether one letter passes (from its config file and the flags)."""

    #: findings at or above this severity fail the letter
    fail_on: Severity = Severity.WARNING
    min_score: int | None = None

    def fails(self, finding: Finding) -> bool:
        return finding.severity.rank >= self.fail_on.rank

    def score_reason(self, report: Report) -> str | None:
        if self.min_score is not None and report.score is not None and report.score.value < self.min_score:
            return f"score {report.score.value} below --min-score {self.min_score}"
        return None

    def reasons(self, report: Report) -> tuple[str, ...]:
        """Why the letter fails, most important first; empty when it passes."""
        out: list[str] = []
        failing = [f for f in report.findings if self.fails(f)]
        if failing:
            counts = Counter(f.severity for f in failing)
            parts = ", ".join(f"{n} {sev.value}{'s' if n != 1 else ''}" for sev in _ORDER if (n := counts[sev]))
            codes = ", ".join(sorted({f.code for f in failing}))
            out.append(f"{parts} at or above --fail-on {self.fail_on.value} ({codes})")
        score = self.score_reason(report)
        if score:
            out.append(score)
        return tuple(out)

    def passes(self, report: Report) -> bool:
        return not self.reasons(report)


def too_many_warnings(reports: Sequence[Report], limits: Sequence[int | None]) -> tuple[str, ...]:
    """Reasons the run fails on ``max-warnings``: the warnings of the letters sharing a limit, totalled."""
    by_limit: dict[int, int] = {}
    for report, limit in zip(reports, limits):
        if limit is not None:
            warnings = sum(f.severity is Severity.WARNING for f in report.findings)
            by_limit[limit] = by_limit.get(limit, 0) + warnings
    return tuple(
        f"{count} warning{'s' if count != 1 else ''}, more than --max-warnings {limit}"
        for limit, count in sorted(by_limit.items())
        if count > limit
    )
