"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one run, one result per finding.

A finding whose suggestion ``lintletter fix`` can insert carries it as a SARIF ``fix``: the text
and the insertion point, so a viewer can apply it.

Kept deterministic (same input, same bytes): no timestamps, no absolute base URIs, stable order.
"""

from __future__ import annotations

import hashlib
import json as _json
import posixpath
import re
from collections import Counter
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .. import __version__
from ..model import Finding, LineIndex, Report, Severity, Span
from . import Run

if TYPE_CHECKING:
    from ..model import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/lintletter/lintletter"
SRCROOT = "%SRCROOT%"
#: Versioned, and not GitHub's own `primaryLocationLineHash`, which its uploader recomputes.
FINGERPRINT_KEY = "lintletterFinding/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
#: How each kind of rule example reads in help text.
EXAMPLE_LABELS = {
    "present": "Counts as present",
    "weak": "Counts only as weak",
    "missing": "Does not count",
    "trigger": "Flagged",
    "pass": "Not flagged",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bMs\.)(?<!\bMr\.)(?<!\bDr\.)(?<!\bMrs\.)\s+(?=[A-Z\"(])")
#: Where a sentence or paragraph ends, for the sentence around a flagged span.
_SENTENCE_BREAK = re.compile(r"[.!?](?=\s)|\n[ \t]*\n")
#: How far to look for the sentence around a span, so huge inputs stay linear.
SENTENCE_REACH = 1000
_MARKDOWN_SPECIAL = re.compile(r"([\\*_\[\]<>|#])")  # backticks kept: rule texts use them for code


def _uri(path: str | None) -> tuple[str, str | None]:
    """(uri, uriBaseId): relative paths hang off %SRCROOT% so code scanning can map them to the repo."""
    shown = (path or "<text>").replace("\\", "/")
    if re.match(r"^[A-Za-z]:/", shown):  # a Windows drive path
        return "file:///" + quote(shown, safe="/:"), None
    if shown.startswith("/"):
        return "file://" + quote(shown, safe="/"), None
    return quote(posixpath.normpath(shown), safe="/"), SRCROOT


def _first_sentence(text: str) -> str:
    one_line = " ".join(text.split())
    return _SENTENCE_END.split(one_line, maxsplit=1)[0]


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _help(rule: Rule) -> dict[str, str]:
    from ..suggest import generic

    rationale = " ".join(rule.rationale.split())
    suggestion = generic(rule)  # results carry the suggestion made for their letter
    text = [rationale, f"Suggestion: {suggestion}"]
    markdown = [_md(rationale), "**Suggestion:** " + _md(suggestion).replace("\n", "  \n")]
    for kind, examples in rule.examples.items():
        if examples:
            label = EXAMPLE_LABELS.get(kind, kind)
            example = " ".join(examples[0].split())
            text.append(f"{label}: {example}")
            markdown.append(f"**{label}:** {_md(example)}")
    return {"text": "\n\n".join(text), "markdown": "\n\n".join(markdown)}


def _descriptor(rule: Rule) -> dict[str, Any]:
    severity = max(rule.severity.values(), key=lambda s: s.rank, default=Severity.WARNING)
    tags = ["lintletter", rule.kind] + ([rule.section] if rule.section else [])
    properties: dict[str, Any] = {"tags": tags}
    if rule.section:
        properties["section"] = rule.section
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _first_sentence(rule.description)},
        "fullDescription": {"text": " ".join(rule.description.split())},
        "help": _help(rule),
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": properties,
    }


def _stand_in_descriptor(finding: Finding) -> dict[str, Any]:
    """For a finding whose rule is not in run.rules, so every result still has a valid ruleIndex."""
    return {
        "id": finding.code,
        "name": finding.name,
        "shortDescription": {"text": finding.message},
        "defaultConfiguration": {"level": LEVELS[finding.severity]},
    }


def _utf16_column(text: str, offset: int, column: int) -> int:
    # SARIF counts columns in UTF-16 code units unless told otherwise; they differ past U+FFFF.
    line_start = offset - (column - 1)
    return len(text[line_start:offset].encode("utf-16-le")) // 2 + 1


def _region(text: str, index: LineIndex, span: Span | None, report: Report | None = None) -> dict[str, int]:
    if span is None:  # something absent: code scanning still needs a location, so the file's top
        if report is not None and report.letter is not None:  # or the lines of the letter it is about
            return {"startLine": report.letter.start_line, "endLine": report.letter.end_line}
        return {"startLine": 1}
    line, col = index.position(span.start)
    end_line, end_col = index.position(span.end)
    return {
        "startLine": line,
        "startColumn": _utf16_column(text, span.start, col),
        "endLine": end_line,
        "endColumn": _utf16_column(text, span.end, end_col),
    }


def _sentence_around(text: str, span: Span) -> str:
    """The sentence holding the span (spans are often a few words), found by punctuation."""
    low = max(0, span.start - SENTENCE_REACH)
    breaks = list(_SENTENCE_BREAK.finditer(text, low, span.start))
    start = breaks[-1].end() if breaks else low
    if text[span.start : span.end].rstrip()[-1:] in (".", "!", "?"):
        return text[start : span.end]
    after = _SENTENCE_BREAK.search(text, span.end, span.end + SENTENCE_REACH)
    return text[start : after.end() if after else min(len(text), span.end + SENTENCE_REACH)]


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _fingerprint(finding: Finding, text: str, where: str, seen: Counter, letter: int | None = None) -> str:
    """Hash of rule, file, flagged words and their sentence, never their position: edits elsewhere
    in the letter keep it, so code scanning keeps one alert per problem.

    The file is part of it so the same sentence in two letters stays two alerts; the occurrence
    counter tells apart repeats of the same words under the same rule in one letter.
    """
    parts = [finding.code, where]
    if finding.span is None and letter is not None:  # "LL106 missing" in letter 2 is not letter 1's
        parts.append(f"letter {letter}")
    if finding.span is not None:
        parts += [_normalised(finding.span.text(text)), _normalised(_sentence_around(text, finding.span))]
    key = "\x00".join(parts)
    seen[key] += 1
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"{digest}:{seen[key]}"


def _message(finding: Finding) -> str:
    if finding.suggestion:
        return f"{finding.message}\nSuggestion: {finding.suggestion}"
    return finding.message


def _artifact(path: str | None) -> dict[str, str]:
    uri, base = _uri(path)
    return {"uri": uri, "uriBaseId": base} if base else {"uri": uri}


def _suppression(report: Report, index: LineIndex, hidden: Any) -> dict[str, Any]:
    """A finding hidden in the letter (inSource) or by configuration (external), kept for audits."""
    suppression: dict[str, Any] = {"kind": "inSource" if hidden.directive else "external"}
    if hidden.reason:
        suppression["justification"] = hidden.reason
    if hidden.directive:
        region = _region(report.text, index, hidden.directive)
        suppression["location"] = {"physicalLocation": {"artifactLocation": _artifact(report.path), "region": region}}
    return suppression


def _results(report: Report, rule_index: dict[str, int]) -> list[dict[str, Any]]:
    index = LineIndex(report.text)
    artifact = _artifact(report.path)
    # Suppressed findings are listed too, marked with `suppressions` (SARIF's audit trail), in one
    # position order with the rest so a finding keeps its fingerprint whether or not it is hidden.
    hidden = {id(s.finding): s for s in getattr(report, "suppressed", ())}
    findings = sorted([*report.findings, *(s.finding for s in hidden.values())], key=Finding.sort_key)
    seen: Counter = Counter()
    results = []
    fixes = _fixes(report, index, artifact)
    for f in findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": rule_index[f.code],
            "level": LEVELS[f.severity],
            "message": {"text": _message(f)},
            "locations": [{"physicalLocation": {"artifactLocation": artifact, "region": _region(report.text, index, f.span, report)}}],
            "partialFingerprints": {
                FINGERPRINT_KEY: _fingerprint(f, report.text, artifact["uri"], seen, report.letter.index if report.letter else None)
            },
        }
        if id(f) in hidden:
            result["suppressions"] = [_suppression(report, index, hidden[id(f)])]
        elif f.code in fixes:
            result["fixes"] = [fixes[f.code]]
        properties: dict[str, Any] = {}
        if f.section:
            properties["section"] = f.section
        if report.letter is not None:  # which letter of the document the result is about
            place = report.letter
            properties["letter"] = {"index": place.index, "startLine": place.start_line, "endLine": place.end_line}
        if properties:
            result["properties"] = properties
        results.append(result)
    return results


def _fixes(report: Report, index: LineIndex, artifact: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per rule code, the SARIF ``fix`` that inserts its suggestion where ``lintletter fix`` would:
    an empty ``deletedRegion`` (an insertion point) and the text to insert there."""
    from .. import fix

    out = {}
    for edit in fix.plan(report):
        (insertion,) = fix.insertions(report.text, [edit])
        line, col = index.position(insertion.offset)
        column = _utf16_column(report.text, insertion.offset, col)
        region = {"startLine": line, "startColumn": column, "endLine": line, "endColumn": column}
        out[edit.code] = {
            "description": {"text": f"Insert: {' '.join(edit.text.split())}"},
            "artifactChanges": [
                {"artifactLocation": artifact, "replacements": [{"deletedRegion": region, "insertedContent": {"text": insertion.text}}]}
            ],
        }
    return out


def _invocation(run: Run) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": not run.errors}
    if run.errors:
        notifications = []
        for err in run.errors:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{err.path}: {err.reason}"},
                    "descriptor": {"id": err.code},
                    "locations": [{"physicalLocation": {"artifactLocation": _artifact(err.path)}}],
                }
            )
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def render(run: Run) -> str:
    descriptors = [_descriptor(r) for r in run.rules]
    rule_index = {r.code: i for i, r in enumerate(run.rules)}
    for report in run.reports:
        for f in [*report.findings, *(s.finding for s in getattr(report, "suppressed", ()))]:
            if f.code not in rule_index:
                rule_index[f.code] = len(descriptors)
                descriptors.append(_stand_in_descriptor(f))
    doc = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lintletter",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "invocations": [_invocation(run)],
                "columnKind": "utf16CodeUnits",
                "results": [r for report in run.reports for r in _results(report, rule_index)],
            }
        ],
    }
    return _json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
