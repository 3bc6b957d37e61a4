"""When a letter fails, and why: the pass/fail policy as plain data, judged without I/O.

A letter fails when it has a finding at or above ``fail_on`` or scores below ``min_score``; a run
also fails when the letters sharing a ``max-warnings`` limit have more warnings than it. Every
failure comes with a reason a person can act on ("score 69 below --min-score 80"), which the
formatters print and the exit code agrees with.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple, Sequence

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
        value = judged(report).score
        if self.min_score is not None and value is not None and value < self.min_score:
            return f"score {value} below --min-score {self.min_score}"
        return None

    def reasons(self, report: Report) -> tuple[str, ...]:
        """Why the letter fails, most important first; empty when it passes."""
        out: list[str] = []
        view = judged(report)
        bar = self.fail_on.rank
        failing = [(code, severity) for code, severity in view.findings if severity.rank >= bar]
        if failing:
            counts = Counter(severity for _, severity in failing)
            parts = ", ".join(f"{n} {sev.value}{'s' if n != 1 else ''}" for sev in _ORDER if (n := counts[sev]))
            codes = ", ".join(sorted({code for code, _ in failing}))
            out.append(f"{parts} at or above --fail-on {self.fail_on.value} ({codes})")
        if self.min_score is not None and view.score is not None and view.score < self.min_score:
            out.append(f"score {view.score} below --min-score {self.min_score}")
        return tuple(out)

    def passes(self, report: Report) -> bool:
        return not self.reasons(report)


class Judged(NamedTuple):
    """What the policy reads of a report: each finding's (code, severity) and the score's value."""

    findings: tuple[tuple[str, Severity], ...]
    score: int | None


def judged(report: Report) -> Judged:
    """A report read back from the result cache carries this (``judged``), so that deciding pass or
    fail does not decode the whole report; any other report gives it from its findings and score."""
    view = getattr(report, "judged", None)
    if view is not None:
        return view
    return Judged(tuple((f.code, f.severity) for f in report.findings), None if report.score is None else report.score.value)


def too_many_warnings(reports: Sequence[Report], limits: Sequence[int | None]) -> tuple[str, ...]:
    """Reasons the run fails on ``max-warnings``: the warnings of the letters sharing a limit, totalled."""
    by_limit: dict[int, int] = {}
    for report, limit in zip(reports, limits):
        if limit is not None:
            warnings = sum(severity is Severity.WARNING for _, severity in judged(report).findings)
            by_limit[limit] = by_limit.get(limit, 0) + warnings
    return warning_reasons(by_limit)


def warning_reasons(by_limit: dict[int, int]) -> tuple[str, ...]:
    """The reasons for ``{limit: warnings of the letters sharing it}`` (a run whose reports are
    written as they come totals them as it goes: lintletter.formatters.ReportStream)."""
    return tuple(
        f"{count} warning{'s' if count != 1 else ''}, more than --max-warnings {limit}"
        for limit, count in sorted(by_limit.items())
        if count > limit
    )
