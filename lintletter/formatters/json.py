"""The JSON contract (schema_version 1). Keep these names; add fields freely. Positions are 1-based."""

from __future__ import annotations

import json as _json
from json.encoder import encode_basestring as _string  # json's own (C) string escaping, as ensure_ascii=False
from typing import Any, Iterator

from .. import __version__
from ..model import LineIndex, Report, Span
from ..policy import Policy
from . import Run


def _position(index: LineIndex, span: Span | None) -> dict[str, Any]:
    if span is None:
        return {"line": None, "column": None, "end_line": None, "end_column": None}
    line, col = index.position(span.start)
    end_line, end_col = index.position(span.end)
    return {"line": line, "column": col, "end_line": end_line, "end_column": end_col}


def _evidence(report: Report, index: LineIndex, span, result) -> dict[str, Any]:
    """A cited sentence, its position, and what earned it: the cue groups that held and the signal."""
    out: dict[str, Any] = {"text": span.text(report.text), **_position(index, span)}
    for c in result.cited:
        if c.span == span:
            out["matched"] = list(c.matched)
            out["signal"] = round(c.signal, 3)
    return out


def report_to_dict(report: Report, policy: Policy | None = None) -> dict[str, Any]:
    """One file's entry; ``policy`` (default: the default policy) decides ``passed`` and ``reasons``."""
    from ..about import About  # not at import: a run from a warm cache renders no report
    from ..about import to_dict as about_to_dict

    index = LineIndex(report.text)
    reasons = list((policy or Policy()).reasons(report))
    sections = {}
    for name, result in report.sections.items():
        sections[name] = {
            "status": result.status.value,
            "rule": result.rule,
            "evidence": [_evidence(report, index, s, result) for s in result.evidence],
        }
    diagnostics = []
    for f in report.findings:
        diagnostics.append(
            {
                "code": f.code,
                "name": f.name,
                "severity": f.severity.value,
                "message": f.message,
                "section": f.section,
                **_position(index, f.span),
                "text": f.span.text(report.text) if f.span else None,
                "suggestion": f.suggestion,
            }
        )
    place = report.letter
    return {
        "path": report.path,
        # a letter inside a document: its number and its first and last line in the file at "path"
        "letter": {"index": place.index, "start_line": place.start_line, "end_line": place.end_line} if place else None,
        # a document with no letter in it is never scored
        "score": None if report.no_letter else report.score.value,
        "verdict": "no letter" if report.no_letter else report.score.verdict,
        "passed": not reasons,
        "reasons": reasons,
        "words": report.word_count,
        # what the letter is about, as its suggestions use it: each value with where it came from
        "about": about_to_dict(report.about or About(), lambda span: _position(index, span)),
        "sections": sections,
        "diagnostics": diagnostics,
        "suppressed": [
            {
                "code": s.finding.code,
                "message": s.finding.message,
                **_position(index, s.finding.span),
                "reason": s.reason,
                "suppressed_at": _position(index, s.directive)["line"],
            }
            for s in report.suppressed
        ],
        "score_breakdown": [{"item": label, "points": pts} for label, pts in (report.score.breakdown if report.score else ())],
    }


def render(run: Run) -> str:
    return "".join(render_chunks(run))


def render_chunks(run: Run) -> Iterator[str]:
    """The same text as ``json.dumps(document, indent=2)``, one file at a time.

    Dumping the whole document at once holds every intermediate piece of every file (json's
    pure-Python indenting encoder), several times the output's size for 10,000 letters; the CLI
    writes these chunks as they come.
    """
    head = _json.dumps({"schema_version": 1, "lintletter_version": __version__}, indent=2, ensure_ascii=False)
    yield head[:-2] + ",\n"
    if run.reports:
        yield '  "files": [\n'
        for i, report in enumerate(run.reports):
            parts = getattr(report, "json_parts", None)  # a report from the result cache: rendered when it was linted
            if parts is not None:
                yield (",\n    " if i else "    ") + join_parts(parts, run.reasons(i))
                continue
            entry = report_to_dict(report, run.policy(i))
            yield (",\n    " if i else "    ") + _dumps(entry, "    ")
        yield "\n  ],\n"
    else:
        yield '  "files": [],\n'
    errors = [{"path": e.path, "message": e.reason} for e in run.errors]
    yield '  "errors": ' + _json.dumps(errors, indent=2, ensure_ascii=False).replace("\n", "\n  ") + ",\n"
    # the run as a whole: every letter passes and nothing else fails it (errors are listed above)
    yield '  "passed": ' + _json.dumps(run.passed) + ",\n"
    yield '  "reasons": ' + _json.dumps(list(run.run_reasons), indent=2, ensure_ascii=False).replace("\n", "\n  ") + "\n}\n"


def entry_parts(report: Report) -> tuple[str, str]:
    """One file's entry as :func:`render_chunks` writes it, in the two pieces either side of
    ``passed`` and ``reasons`` (which the run's policy decides): the result cache keeps them, so
    that a run from a warm cache writes its reports without decoding or rendering them again."""
    entry = report_to_dict(report)
    keys = list(entry)
    at = keys.index("passed")
    assert keys[at + 1] == "reasons"
    head = _dumps({k: entry[k] for k in keys[:at]}, "    ")
    tail = _dumps({k: entry[k] for k in keys[at + 2:]}, "    ")
    assert head.endswith("\n    }") and tail.startswith("{\n")
    return head[: -len("\n    }")], tail[1:]


def join_parts(parts: tuple[str, str], reasons: tuple[str, ...]) -> str:
    """The entry again from :func:`entry_parts` and the reasons the letter fails (none: it passes),
    byte for byte what ``_dumps(report_to_dict(report, policy), "    ")`` writes."""
    head, tail = parts
    passed = "false" if reasons else "true"
    return f'{head},\n      "passed": {passed},\n      "reasons": {_dumps(list(reasons), "      ")},{tail}'


def _dumps(value: Any, base: str = "") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)`` with ``base`` after every line break,
    byte for byte, about three times as fast: json's own indenting encoder is pure Python
    generators, which was most of the time a run from a warm cache took to print 1,000 reports
    (tests/test_formats_ci.py compares the two on every corpus letter)."""
    parts: list[str] = []
    _dump(value, "\n" + base, parts.append)
    return "".join(parts)


def _dump(value: Any, newline: str, out) -> None:
    if isinstance(value, str):
        out(_string(value))
    elif value is None:
        out("null")
    elif value is True:
        out("true")
    elif value is False:
        out("false")
    elif isinstance(value, int):
        out(int.__repr__(value))
    elif isinstance(value, float):
        out(_float(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out("[]")
            return
        inner = newline + "  "
        out("[")
        first = True
        for item in value:
            out(inner if first else "," + inner)
            first = False
            kind = type(item)  # the common leaves inline: a call per value was most of the time
            if kind is str:
                out(_string(item))
            elif kind is int:
                out(int.__repr__(item))
            elif item is None:
                out("null")
            else:
                _dump(item, inner, out)
        out(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out("{}")
            return
        inner = newline + "  "
        out("{")
        first = True
        for key, item in value.items():
            out((inner if first else "," + inner) + _string(key if type(key) is str else _key(key)) + ": ")
            first = False
            kind = type(item)
            if kind is str:
                out(_string(item))
            elif kind is int:
                out(int.__repr__(item))
            elif item is None:
                out("null")
            else:
                _dump(item, inner, out)
        out(newline + "}")
    else:
        raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)
