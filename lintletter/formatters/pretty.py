"""A rich terminal view: per letter a score bar, the checklist, the letter with evidence highlighted
and findings underlined, then the findings.

Readable without colour too: statuses and severities carry an icon and a word, and a gutter beside
each line of the letter names the sections and findings that touch it.
"""

from __future__ import annotations

import bisect
import io

from rich.cells import cell_len
from rich.console import Console, Group
from rich.rule import Rule
from rich.style import Style
from rich.table import Table
from rich.text import Text

from ..model import SECTIONS, LineIndex, Report, Severity, Status
from . import STATUS_MARK, Run
from .text import render_failures, summary

WIDTH = 100
BAR_CELLS = 30
STATUS_LOOK = {
    status: (STATUS_MARK[status], color)
    for status, color in ((Status.PRESENT, "green"), (Status.WEAK, "yellow"), (Status.MISSING, "red"), (Status.IGNORED, "bright_black"))
}
SEVERITY_LOOK = {Severity.ERROR: ("✗", "red"), Severity.WARNING: ("▲", "yellow"), Severity.INFO: ("i", "cyan")}
SECTION_TAG = {
    "acknowledgement": "ack",
    "continued_interest": "interest",
    "feedback_request": "feedback",
    "advice": "advice",
    "referrals": "referrals",
    "competitors": "companies",
}
# Highlight backgrounds under black text. Pastels where the terminal has 256+ colours; on a
# 16-colour terminal rich would turn every pastel into the same white, so use the basic colours.
PASTEL = {
    "acknowledgement": "#cfe2ff",
    "continued_interest": "#c8f0d2",
    "feedback_request": "#fde9b0",
    "advice": "#e6d5fb",
    "referrals": "#ffd6dc",
    "competitors": "#bff3ea",
}
BASIC = {
    "acknowledgement": "bright_blue",
    "continued_interest": "green",
    "feedback_request": "yellow",
    "advice": "magenta",
    "referrals": "bright_red",
    "competitors": "cyan",
}


# One character for one character, so span offsets still hold: a letter must not be able to send
# escape sequences to the terminal, and rich would silently drop \r (shifting every later offset).
_SAFE = {c: chr(0x2400 + c) for c in range(32) if c not in (9, 10, 13)}
_SAFE |= {13: "\n", 0x7F: "\u2421"} | {c: "\ufffd" for c in range(0x80, 0xA0)}


def _terminal_safe(text: str) -> str:
    return text.translate(_SAFE)


# A file name is shown on one line: its line breaks too become pictures (a name holding
# "\n::error file=..." would otherwise start a line GitHub Actions reads as an annotation).
_SAFE_LINE = _SAFE | {9: "\u2409", 10: "\u240a", 13: "\u240d"}


def _one_line(text: str) -> str:
    return text.translate(_SAFE_LINE)


#: the score's colour by its verdict's band (scoring.score), not by the number
BAND_COLOR = {"good": "green", "fair": "yellow", "poor": "red"}


def _band(report: Report) -> str:
    return BAND_COLOR.get(report.score.band, "yellow")


def _header(report: Report) -> Text:
    if report.no_letter:
        return Text.assemble((_one_line(report.label), "bold"), "  no letter found: not scored")
    value = max(0, min(100, report.score.value))
    filled = round(value * BAR_CELLS / 100)
    tail = Text.assemble(
        "  ",
        ("█" * filled, _band(report)),
        ("░" * (BAR_CELLS - filled), "bright_black"),
        f"  {value}/100 ",
        (_terminal_safe(report.score.verdict), f"bold {_band(report)}"),
    )
    # One line, and the score and verdict always whole: a long path gives way from its start.
    label = _fit_from_left(_one_line(report.label), WIDTH - tail.cell_len)
    header = Text.assemble((label, "bold"), tail)
    header.no_wrap, header.overflow = True, "crop"
    return header


def _fit_from_left(label: str, room: int) -> str:
    if cell_len(label) <= room:
        return label
    kept, used = len(label), 0
    while kept and used + cell_len(label[kept - 1]) <= room - 1:
        kept -= 1
        used += cell_len(label[kept])
    return "…" + label[kept:]


def _highlight(section: str, tints: dict[str, str]) -> Style:
    return Style(color="black", bgcolor=tints.get(section, "white"))


def _checklist(report: Report, tints: dict[str, str]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
    table.add_column("status", no_wrap=True, width=10)
    table.add_column("section", no_wrap=True, width=20)
    table.add_column("evidence", ratio=1, overflow="fold")
    for name in SECTIONS:
        result = report.sections.get(name)
        if result is None:
            continue
        icon, color = STATUS_LOOK[result.status]
        quote = " ".join(_terminal_safe(result.evidence[0].text(report.text)).split()) if result.evidence else ""
        table.add_row(
            Text(f"{icon} {result.status.value}", style=f"bold {color}"),
            Text.assemble(("■", _highlight(name, tints)) if tints else "", " " if tints else "", name),
            Text(f"“{quote}”" if quote else "—", style="italic" if quote else "bright_black"),
        )
    return table


def _line_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without its break, with the same breaks as LineIndex."""
    ranges, start, i = [], 0, 0
    while i < len(text):
        if text[i] in "\r\n":
            ranges.append((start, i))
            i += 2 if text[i] == "\r" and text[i + 1 : i + 2] == "\n" else 1
            start = i
        else:
            i += 1
    if start < len(text) or not ranges:  # no empty last line after a final line break
        ranges.append((start, len(text)))
    return ranges


def _letter(report: Report, tints: dict[str, str]) -> Table:
    """The letter, one grid row per line: number, tags, text. Each line is its own Text holding only
    the highlights that touch it (found by bisecting line starts), so the work grows with the
    letter and its findings, not with their product (slicing one styled Text per line did)."""
    safe = _terminal_safe(report.text)
    ranges = _line_ranges(report.text)
    starts = [start for start, _ in ranges]
    styles: list[list[tuple[Style, int, int]]] = [[] for _ in ranges]  # per line, in stylize order
    tags: list[list[tuple[str, object, str]]] = [[] for _ in ranges]  # (label, style, then)

    def touched(span) -> range:
        """Lines whose range overlaps the span (the span starts before the line ends and ends after it starts)."""
        first = max(0, bisect.bisect_right(starts, span.start) - 1)
        last = bisect.bisect_left(starts, span.end) - 1
        return range(first, max(first, last) + 1)

    for name in SECTIONS:
        result = report.sections.get(name)
        tagged: set[int] = set()
        for span in result.evidence if result else ():
            for i in touched(span):
                start, end = ranges[i]
                if span.start < end and start < span.end:
                    styles[i].append((_highlight(name, tints), max(start, span.start), min(end, span.end)))
                    tagged.add(i)
        for i in sorted(tagged):
            tags[i].append((SECTION_TAG.get(name, name), _highlight(name, tints), " "))
    anchored = [f for f in report.findings if f.span is not None and f.span.start < f.span.end]
    for f in anchored:  # applied after the highlights so the severity colour wins on overlap
        underline = Style(underline=True, bold=True, color=SEVERITY_LOOK[f.severity][1])
        for i in touched(f.span):
            start, end = ranges[i]
            if f.span.start < end and start < f.span.end:
                styles[i].append((underline, max(start, f.span.start), min(end, f.span.end)))
        line = max(0, bisect.bisect_right(starts, f.span.start) - 1)
        if ranges[line][0] <= f.span.start <= ranges[line][1]:  # tag the line where the finding starts
            tags[line].append((f"{SEVERITY_LOOK[f.severity][0]} {f.code} ", SEVERITY_LOOK[f.severity][1], ""))

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", style="bright_black", no_wrap=True)
    grid.add_column(width=16, overflow="fold")
    grid.add_column(ratio=1, overflow="fold")
    for number, (start, end) in enumerate(ranges, 1):
        if report.letter and not report.letter.start_line <= number <= report.letter.end_line:
            continue  # a letter inside a document: only its own lines, numbered as in the file
        row_tags = Text()
        for label, style, then in tags[number - 1]:
            row_tags.append(label, style=style)
            if then:
                row_tags.append(then)
        line_text = Text(safe[start:end])
        for style, a, b in styles[number - 1]:
            line_text.stylize(style, a - start, b - start)
        grid.add_row(str(number), row_tags, line_text)
    return grid


def _findings(report: Report) -> Table:
    index = LineIndex(report.text)
    table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False)
    table.add_column("severity", no_wrap=True, width=10)
    table.add_column("where", no_wrap=True, width=8)
    table.add_column("what", ratio=1, overflow="fold")
    for f in report.findings:
        icon, color = SEVERITY_LOOK[f.severity]
        if f.span is not None:
            line, col = index.position(f.span.start)
            where = f"{line}:{col}"
        else:
            where = "letter"
        what = Text.assemble((f.code, "bold"), " ", (f.name, "bright_black"), "  ", _terminal_safe(f.message))
        if f.suggestion:
            what.append("\n→ try: ", style="bold")
            what.append(" ".join(_terminal_safe(f.suggestion).split()), style="italic")
        table.add_row(Text(f"{icon} {f.severity.value}", style=f"bold {color}"), where, what)
    return table


def _report(report: Report, quiet: bool, tints: dict[str, str]) -> Group:
    if report.no_letter:
        return Group(Rule(style="bright_black"), _header(report), _findings(report), Text(""))
    if quiet:  # like the text format: the score line and the findings
        return Group(_header(report), _findings(report)) if report.findings else _header(report)
    parts = [
        Rule(style="bright_black"),
        _header(report),
        Text("\nSections", style="bold underline"),
        _checklist(report, tints),
        Text("\nLetter", style="bold underline"),
        _letter(report, tints),
        Text(f"\nFindings ({len(report.findings)})", style="bold underline"),
    ]
    parts.append(_findings(report) if report.findings else Text("No findings.", style="green"))
    from ..about import describe

    about = describe(report.about)
    if about and report.findings:
        parts.append(Text(_terminal_safe(about), style="bright_black"))
    return Group(*parts, Text(""))


def render(run: Run) -> str:
    out = io.StringIO()
    console = Console(
        file=out,
        width=WIDTH,
        force_terminal=run.color,
        no_color=not run.color,
        color_system="auto" if run.color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    tints = {} if not run.color else PASTEL if console.color_system in ("256", "truecolor") else BASIC
    for error in run.errors:
        path, reason = _one_line(error.path), _one_line(error.reason)
        console.print(Text.assemble(("✗ could not read ", "bold red"), (path, "bold"), f": {reason}"))
    for report in run.reports:
        console.print(_report(report, run.quiet, tints))
    if not run.quiet and run.reports:
        console.print(summary(run))
    for line in render_failures(run):
        console.print(Text(_one_line(line), style="bold red" if not line.startswith("  ") else ""))
    # Table cells are padded to full width; trailing blanks only get in the way of copy and diff.
    return "\n".join(line.rstrip() for line in out.getvalue().split("\n"))
