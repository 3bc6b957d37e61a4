"""`--statistics`: how often each rule fired across the run, and how each section fared."""

from __future__ import annotations

from collections import Counter

from ..model import SECTIONS, Status
from . import Run


def rule_counts(run: Run) -> list[tuple[str, str, str, int]]:
    """(code, name, severity, count) for every rule that fired, most frequent first, then by code."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for report in run.reports:
        for f in report.findings:
            counts[(f.code, f.name, f.severity.value)] += 1
    return sorted(((c, n, s, k) for (c, n, s), k in counts.items()), key=lambda row: (-row[3], row[0], row[2]))


def render_statistics(run: Run) -> str:
    rows = rule_counts(run)
    lines = ["Findings per rule:"]
    if rows:
        width = max(len(str(k)) for *_, k in rows)
        lines += [f"  {k:>{width}}  {code}  {name:<24} [{sev}]" for code, name, sev, k in rows]
    else:
        lines.append("  (none)")
    lines.append("")
    letters = [r for r in run.reports if not r.no_letter]
    tallies = {section: Counter(r.sections[section].status for r in letters) for section in SECTIONS}
    ignored = any(t[Status.IGNORED] for t in tallies.values())
    header = "  present  weak  missing" + ("  ignored" if ignored else "")
    lines.append(f"Sections over {len(letters)} letter{'s' if len(letters) != 1 else ''}:{header}")
    for section, tally in tallies.items():
        row = f"  {section:<20}{tally[Status.PRESENT]:>9}{tally[Status.WEAK]:>6}{tally[Status.MISSING]:>9}"
        lines.append(row + (f"{tally[Status.IGNORED]:>9}" if ignored else ""))
    return "\n".join(lines) + "\n"
