"""GitHub Actions workflow commands: one `::error|warning|notice ...::message` line per finding,
which the runner turns into annotations on the pull request; plus a Markdown job summary.

Escaping follows the runner's rules (actions/toolkit `escapeData` / `escapeProperty`).
"""

from __future__ import annotations

import re
from typing import Iterator

from ..model import SECTIONS, LineIndex, Report, Severity, Status
from . import STATUS_MARK, Run, section_label

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
STATUS_CELLS = {status: f"{STATUS_MARK[status]} {status.value}" for status in Status}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!])")


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, properties: dict[str, object], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{kind} {props}::{escape_data(message)}" if props else f"::{kind}::{escape_data(message)}"


def _file_property(path: str | None) -> dict[str, str]:
    # Stdin or plain text has no file to annotate; the annotation then sits on the run itself.
    if not path or path == "-":
        return {}
    return {"file": path.replace("\\", "/")}


def _letter_lines(report: Report) -> dict[str, int]:
    if report.letter is None or not _file_property(report.path):
        return {}
    return {"line": report.letter.start_line, "endLine": report.letter.end_line}


def _finding_lines(report: Report) -> list[str]:
    index = LineIndex(report.text)
    lines = []
    for f in report.findings:
        props: dict[str, object] = _file_property(report.path)
        if f.span is not None:
            line, col = index.position(f.span.start)
            end_line, end_col = index.position(f.span.end)
            props.update(line=line, col=col, endLine=end_line, endColumn=end_col)
        else:  # about a letter inside a document as a whole: its lines
            props.update(_letter_lines(report))
        props["title"] = f"{f.code} {f.name}"
        message = f"{f.message}\nSuggestion: {f.suggestion}" if f.suggestion else f.message
        lines.append(_command(COMMANDS[f.severity], props, message))
    return lines


def render(run: Run) -> str:
    return "".join(render_chunks(run))


def render_chunks(run: Run) -> Iterator[str]:
    """Each report's annotations as it comes, then why the job fails."""
    for report in run.reports:
        yield "".join(line + "\n" for line in _finding_lines(report))
    lines = []
    for i in run.failing:  # why the job fails, on the letter itself ("score 69 below --min-score 80")
        failed = run.failed(i)
        props = {**_file_property(failed.path), **_letter_lines(failed), "title": "lintletter: letter fails"}
        lines.append(_command("error", props, "; ".join(run.reasons(i))))
    for reason in run.run_reasons:
        lines.append(_command("error", {"title": "lintletter: run fails"}, reason))
    for err in run.errors:
        props = {**_file_property(err.path), "title": f"{err.code} letter not read"}
        lines.append(_command("error", props, err.reason))
    yield "".join(line + "\n" for line in lines)


def _md(text: str) -> str:
    one_line = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line)


def step_summary(run: Run) -> str:
    """Markdown for $GITHUB_STEP_SUMMARY: one row per letter, one column per section.

    Pure: the caller decides where it goes. Cells say the status in words as well as a symbol.
    """
    out = ["## lintletter", ""]
    if run.reports:
        headers = ["File", "Score", "Verdict"] + [section_label(s) for s in SECTIONS]
        out.append("| " + " | ".join(headers) + " |")
        out.append("|" + "|".join([" --- "] + [" ---: "] + [" --- "] * (len(headers) - 2)) + "|")
        for report in run.reports:
            if report.no_letter:
                cells = [_md(report.label), "—", "no letter"] + ["—"] * len(SECTIONS)
            else:
                cells = [_md(report.label), f"{report.score.value}/100", _md(report.score.verdict)]
                cells += [STATUS_CELLS[report.sections[s].status] for s in SECTIONS]
            out.append("| " + " | ".join(cells) + " |")
    else:
        out.append("No letters were checked.")
    if run.errors:
        out += ["", "**Letters that could not be read:**", ""]
        out += [f"- {_md(err.path)}: {_md(err.reason)}" for err in run.errors]
    return "\n".join(out) + "\n"
