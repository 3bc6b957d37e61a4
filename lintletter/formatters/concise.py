"""One line per finding, ``path:line:col: CODE message``, for editors and tools that parse text.

Every finding gets a position, so ``file:line:col`` problem matchers and errorformats keep all of
them: a finding about something absent (a missing section, no signature) is put on line 1,
column 1 (for a letter inside a document, on the first line of that letter). Lines and columns
are 1-based, columns count characters, as in the ``text`` format. Messages are one line. Inputs
that could not be read are a line too (``path:1:1: LLE300 reason``). Nothing else is printed: no
scores, no summary (the exit code says whether the run passed).
"""

from __future__ import annotations

from typing import Iterator

from ..model import LineIndex, Report
from . import Run, visible


def _one_line(text: str) -> str:
    """One line, safe for a terminal: no line break, no escape sequence (see ``visible``)."""
    return visible(" ".join(text.split()))


def report_lines(report: Report) -> list[str]:
    path = visible(report.path or "-")  # a file name may hold a line break ("\n::error file=...")
    index = LineIndex(report.text)
    absent = (report.letter.start_line if report.letter is not None else 1, 1)
    lines = []
    for f in report.findings:
        line, col = index.position(f.span.start) if f.span is not None else absent
        lines.append(f"{path}:{line}:{col}: {f.code} {_one_line(f.message)}")
    return lines


def render(run: Run) -> str:
    return "".join(render_chunks(run))


def render_chunks(run: Run) -> Iterator[str]:
    """Each report's lines as it comes, then the inputs not read."""
    for report in run.reports:
        yield "".join(line + "\n" for line in report_lines(report))
    yield "".join(f"{visible(err.path)}:1:1: {err.code} {_one_line(err.reason)}\n" for err in run.errors)
