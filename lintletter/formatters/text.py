"""Human-readable output: per letter the score, the six sections, then `path:line:col: CODE message`."""

from __future__ import annotations

import re
from typing import Iterator

from ..model import LineIndex, Report, SECTIONS, Severity, Status
from . import STATUS_MARK, Run, visible

_COLOR = {Status.PRESENT: "32", Status.WEAK: "33", Status.MISSING: "31", Status.IGNORED: "2"}
_SEV_COLOR = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
QUOTE_WIDTH = 70
_EMPHASIS = re.compile(r"\*\*|__")


def _paint(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def _quote(text: str) -> str:
    # the quote is for reading: drop Markdown emphasis markers ("**Feedback.** Where ...")
    one_line = " ".join(_EMPHASIS.sub("", text).split())
    if len(one_line) > QUOTE_WIDTH:
        one_line = one_line[: QUOTE_WIDTH - 1].rstrip() + "…"
    return f"\u201c{visible(one_line)}\u201d"


def render_report(report: Report, color: bool = False, quiet: bool = False) -> list[str]:
    path = visible(report.path or "<text>")  # a file name may hold a line break or an escape sequence
    index = LineIndex(report.text)
    label = visible(report.label)
    if report.no_letter:
        head = f"{label}: no letter found"
    else:  # a letter inside a document is named by its lines: article.md:67-83
        head = f"{label}: score {report.score.value}/100 ({visible(report.score.verdict)})"
    lines: list[str] = [_paint(head, "1", color)]
    if not quiet and not report.no_letter:
        for name in SECTIONS:
            result = report.sections[name]
            mark = _paint(f"{STATUS_MARK[result.status]} {result.status.value:<7}", _COLOR[result.status], color)
            quote = _quote(result.evidence[0].text(report.text)) if result.evidence else ""
            lines.append(f"  {mark} {name:<19}{quote}".rstrip())
    for f in report.findings:
        if f.span is not None:
            line, col = index.position(f.span.start)
            where = f"{path}:{line}:{col}"
        else:
            where = label
        sev = _paint(f.severity.value, _SEV_COLOR[f.severity], color)
        lines.append(f"{where}: {f.code} [{sev}] {visible(f.message)}")
        if f.suggestion and not quiet:
            lines.append(f"    suggestion: {visible(' '.join(f.suggestion.split()))}")
    return lines


def render(run: Run) -> str:
    return "".join(render_chunks(run))


def render_chunks(run: Run) -> Iterator[str]:
    """Each report's lines as soon as it comes (a run streams them: lintletter.formatters.ReportStream),
    then the summary and why letters fail: the same text as joining every line at once."""
    letters = documents = issues = 0
    for report in run.reports:
        lines = render_report(report, run.color, run.quiet)
        if not run.quiet:
            lines.append("")
        documents += 1
        letters += not report.no_letter
        issues += len(report.findings)
        yield "".join(line + "\n" for line in lines)
    out: list[str] = []
    if documents and not run.quiet:
        out.append(summary_line(letters, documents - letters, issues))
    out.extend(render_failures(run))
    yield "".join(line + "\n" for line in out)


def summary(run: Run) -> str:
    """``3 letters checked, 2 findings.`` (and how many documents held no letter)."""
    n = sum(not r.no_letter for r in run.reports)
    return summary_line(n, len(run.reports) - n, sum(len(r.findings) for r in run.reports))


def summary_line(n: int, empty: int, issues: int) -> str:
    line = f"{n} letter{'s' if n != 1 else ''} checked, {issues} finding{'s' if issues != 1 else ''}."
    if empty:
        line = line[:-1] + f"; {empty} document{'s' if empty != 1 else ''} with no letter."
    return line


def render_failures(run: Run) -> list[str]:
    """Which letters fail and why, and why the run fails: what the exit code 1 is about."""
    failing = run.failing
    lines: list[str] = []
    if failing:
        n = len(failing)
        lines.append(f"{n} of {len(run.reports)} letter{'s' if len(run.reports) != 1 else ''} fail{'s' if n == 1 else ''}:")
        for i in failing:
            lines.append(f"  {visible(run.failed(i).label)}: {'; '.join(run.reasons(i))}")
    lines.extend(f"The run fails: {reason}." for reason in run.run_reasons)
    return lines
