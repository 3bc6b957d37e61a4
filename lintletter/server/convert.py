"""Reports -> LSP values: diagnostics, hovers and code actions (lsprotocol types, no I/O).

Where a finding goes in the editor:

- a finding about a passage: the passage's range;
- a finding about something absent (a missing section, no signature), and the letter's summary
  (its score and six sections, one information diagnostic): the letter's **salutation line**, or the
  letter's first line when it has no salutation, or line 1 of the file. Never a made-up range: it is
  the whole of a line that is there;
- with ``evidence`` on, every sentence cited as a section's evidence as a hint ("✓ referrals:
  present"), which editors show faintly, so the sentences that earned each section are visible;
- nothing for suppressed findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types

from .. import __version__
from ..formatters import STATUS_MARK, section_label
from ..model import SECTIONS, Finding, Report, Severity, Span, Status
from ..model import BUILTIN_RULES, Rule, RuleSet
from . import fixes
from .engine import Analysis
from .positions import Positions

SOURCE = "lintletter"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
#: Where a rule's documentation is read: its YAML file (description, rationale, suggestion,
#: examples) at the release the server is; a house rule links to its own file.
DOCS_URL = f"https://github.com/lintletter/lintletter/blob/v{__version__}/rules/"
_BUILTIN_ROOTS = (BUILTIN_RULES.resolve(), (Path(__file__).resolve().parent.parent / "_data" / "rules"))


def rule_url(rule: Rule) -> str | None:
    source = Path(rule.source) if rule.source else None
    if source is None:
        return None
    for root in _BUILTIN_ROOTS:
        try:
            return DOCS_URL + source.resolve().relative_to(root).as_posix()
        except ValueError:
            continue
    return source.resolve().as_uri() if source.is_absolute() else None


@dataclass(frozen=True)
class Placed:
    """A finding (or the summary, or a piece of evidence) and the offsets it is shown at."""

    report: Report
    start: int
    end: int
    finding: Finding | None = None
    #: for evidence: (section, status, span); for the summary: None with finding None
    evidence: tuple[str, Status, Span] | None = None
    #: shown on the anchor line (the summary, a finding about something absent)
    anchored: bool = False


def anchor(report: Report, positions: Positions, in_place: bool = True) -> tuple[int, int]:
    """Offsets of the line that findings about something absent are shown on (line 1 when the
    report's offsets are not the document's)."""
    if not in_place:
        return positions.line_span(0)
    letter = fixes.parsed_letter(report) if not report.no_letter else None
    if letter is not None and letter.salutation is not None and letter.salutation.end <= len(positions.text):
        line = positions.line_of(letter.salutation.start)
    elif report.letter is not None:
        line = report.letter.start_line - 1
    else:
        line = 0
    return positions.line_span(line)


def placed(analysis: Analysis, positions: Positions, evidence: bool = True) -> list[Placed]:
    """Everything the editor shows for this document, in report order."""
    out: list[Placed] = []
    for report in analysis.reports:
        a_start, a_end = anchor(report, positions, analysis.in_place)
        if not report.no_letter:
            out.append(Placed(report, a_start, a_end, anchored=True))
        spans_of_findings = set()
        for f in report.findings:
            if f.span is not None and analysis.in_place:
                out.append(Placed(report, f.span.start, f.span.end, f))
                spans_of_findings.add((f.span, f.section))
            else:
                out.append(Placed(report, a_start, a_end, f, anchored=True))
        if evidence and analysis.in_place and not report.no_letter:
            for name in SECTIONS:
                result = report.sections[name]
                if result.status not in (Status.PRESENT, Status.WEAK):
                    continue
                for span in result.evidence:
                    if (span, name) not in spans_of_findings:
                        out.append(Placed(report, span.start, span.end, evidence=(name, result.status, span)))
    return out


def _range(positions: Positions, start: int, end: int) -> types.Range:
    return types.Range(types.Position(*positions.position(start)), types.Position(*positions.position(end)))


def summary(report: Report) -> str:
    """``score 78/100 (revise) · ✓ acknowledgement · ! feedback request (weak) · ✗ referrals (missing) …``"""
    parts = [f"lintletter: score {report.score.value}/100 ({report.score.verdict})"]
    for name in SECTIONS:
        result = report.sections[name]
        label = section_label(name).lower()
        status = "" if result.status is Status.PRESENT else f" ({result.status.value})"
        parts.append(f"{STATUS_MARK[result.status]} {label}{status}")
    return " · ".join(parts)


def diagnostics(analysis: Analysis, positions: Positions, evidence: bool = True) -> list[types.Diagnostic]:
    rules = analysis.ruleset
    out: list[types.Diagnostic] = []
    for item in placed(analysis, positions, evidence):
        rng = _range(positions, item.start, item.end)
        if item.finding is not None:
            f = item.finding
            rule = rules.get(f.code) if rules is not None else None
            url = rule_url(rule) if rule is not None else None
            out.append(types.Diagnostic(
                range=rng, message=f.message, severity=SEVERITIES[f.severity], code=f.code, source=SOURCE,
                code_description=types.CodeDescription(href=url) if url else None,
                data={"kind": "finding", "code": f.code, "section": f.section},
            ))  # fmt: skip
        elif item.evidence is not None:
            name, status, _ = item.evidence
            rule = item.report.sections[name].rule
            out.append(types.Diagnostic(
                range=rng, message=f"{STATUS_MARK[status]} {section_label(name).lower()}: {status.value}",
                severity=types.DiagnosticSeverity.Hint, code=rule or None, source=SOURCE,
                data={"kind": "evidence", "section": name},
            ))  # fmt: skip
        else:
            out.append(types.Diagnostic(
                range=rng, message=summary(item.report), severity=types.DiagnosticSeverity.Information,
                source=SOURCE, data={"kind": "summary"},
            ))  # fmt: skip
    return out


# --- hover --------------------------------------------------------------------------------------


def hover(analysis: Analysis, positions: Positions, line: int, character: int) -> types.Hover | None:
    """What the passage under the cursor earned or is flagged for; on the summary line, the
    score and the absent findings. None when there is nothing to say there."""
    offset = positions.offset(line, character)
    rules = analysis.ruleset
    blocks: list[str] = []
    hit: list[tuple[int, int]] = []
    for item in placed(analysis, positions, evidence=True):
        # an anchor line is hovered up to its end (where the cursor sits after its last character)
        if not (item.start <= offset < item.end or (item.anchored or item.start == item.end) and offset == item.end):
            continue
        hit.append((item.start, item.end))
        if item.evidence is not None:
            blocks.append(_evidence_text(item.report, item.evidence, rules))
        elif item.finding is not None:
            blocks.append(_finding_text(item.finding, rules.get(item.finding.code) if rules else None))
        else:
            blocks.append(_summary_text(item.report))
    if not blocks:
        return None
    start, end = min(s for s, _ in hit), max(e for _, e in hit)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(blocks)),
        range=_range(positions, start, end),
    )


def _md(text: str) -> str:
    return " ".join(text.split()).replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def _evidence_text(report: Report, evidence: tuple[str, Status, Span], rules: RuleSet | None) -> str:
    name, status, span = evidence
    result = report.sections[name]
    rule = rules.get(result.rule) if rules is not None and result.rule else None
    lines = [f"**{STATUS_MARK[status]} {section_label(name)}: {status.value}** — this sentence earned it"]
    cited = next((c for c in result.cited if getattr(c, "span", None) == span), None)
    why = []
    if rule is not None:
        why.append(f"rule {rule.code} `{rule.name}`")
    if cited is not None and getattr(cited, "matched", ()):
        why.append("cues matched: " + " + ".join(f"`{m}`" for m in cited.matched))
    if cited is not None and getattr(cited, "signal", 0):
        why.append(f"learned signal {cited.signal:.2f}")
    if why:
        lines.append("Why: " + "; ".join(why) + ".")
    if rule is not None:
        lines.append(_md(rule.description))
        if status is Status.WEAK:
            lines.append(f"To make it present: {_md(rule.suggestion)}")
    return "\n\n".join(lines)


def _finding_text(f: Finding, rule: Rule | None) -> str:
    lines = [f"**{f.code} {f.name}** ({f.severity.value}): {_md(f.message)}"]
    if rule is not None:
        lines.append(f"**What it checks:** {_md(rule.description)}")
        lines.append(f"**Why it matters:** {_md(rule.rationale)}")
        url = rule_url(rule)
        if url:
            lines.append(f"[Rule documentation]({url})")
    if f.suggestion:
        lines.append(f"**Suggestion:** {_md(f.suggestion)}")
    return "\n\n".join(lines)


def _summary_text(report: Report) -> str:
    lines = [f"**lintletter: score {report.score.value}/100 ({report.score.verdict})**", ""]
    lines.append("| section | status |")
    lines.append("|---|---|")
    for name in SECTIONS:
        result = report.sections[name]
        lines.append(f"| {section_label(name)} | {STATUS_MARK[result.status]} {result.status.value} |")
    return "\n".join(lines)


# --- code actions -------------------------------------------------------------------------------


def code_actions(
    analysis: Analysis, positions: Positions, uri: str, rng: types.Range, context_diagnostics=(),
) -> list[types.CodeAction]:
    """Quick fixes for the findings shown in ``rng`` (or named in ``context_diagnostics``)."""
    if analysis.ruleset is None or not analysis.in_place:
        return []
    start = positions.offset(rng.start.line, rng.start.character)
    end = positions.offset(rng.end.line, rng.end.character)
    named = {(d.code, d.range.start.line) for d in context_diagnostics if getattr(d, "source", None) == SOURCE}
    where: dict[Finding, types.Range] = {}
    diag_of: dict[Finding, types.Diagnostic] = {}
    for d, item in zip(diagnostics(analysis, positions, evidence=False), placed(analysis, positions, evidence=False)):
        if item.finding is None:
            continue
        overlaps = item.start <= end and start <= item.end
        if overlaps or (item.finding.code, d.range.start.line) in named:
            where[item.finding] = d.range
            diag_of[item.finding] = d
    out: list[types.CodeAction] = []
    seen: set[tuple[str, int, str]] = set()
    for report in analysis.reports:
        for fix in fixes.quick_fixes(report, analysis.text, analysis.ruleset):
            if fix.finding not in diag_of:
                continue
            key = (fix.title, fix.start, fix.new_text)
            if key in seen:
                continue
            seen.add(key)
            edit = types.TextEdit(range=_range(positions, fix.start, fix.end), new_text=fix.new_text)
            out.append(types.CodeAction(
                title=fix.title, kind=types.CodeActionKind.QuickFix, diagnostics=[diag_of[fix.finding]],
                is_preferred=fix.preferred or None, edit=types.WorkspaceEdit(changes={uri: [edit]}),
            ))  # fmt: skip
    return out
