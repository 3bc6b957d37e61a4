"""``lintletter explain``: why each section got its verdict, sentence by sentence.

For every section: the verdict and its rule, then each sentence whose cues matched: what it could
earn (present / weak), which cue groups held (the rule's conjunction, e.g. ``topic + request``),
the learned signal's probability for the section, and whether it was cited, counted, or dropped
(vetoed by ``signal_floor``, or present evidence of another section). Rule authors use it to find
the cue behind a lexical accident; the JSON form is the same data.
"""

from __future__ import annotations

from typing import Any

from .model import SECTIONS, LineIndex, Report


def explain_data(report: Report, found: dict[str, list], rules_by_section: dict[str, Any]) -> dict[str, Any]:
    index = LineIndex(report.text)
    sections = {}
    for name in SECTIONS:
        result = report.sections[name]
        rule = rules_by_section.get(name)
        cited = set(result.evidence)
        rows = []
        for c in found.get(rule.code, []) if rule else []:
            line, col = index.position(c.span.start)
            rows.append({
                "text": " ".join(report.text[c.span.start : c.span.end].split()),
                "line": line, "column": col,
                "could_earn": c.status.value,
                "matched": [m for m in c.matched],
                "signal": round(c.signal, 3),
                "outcome": "cited" if c.span in cited and c.dropped is None
                else (f"dropped: {c.dropped}" if c.dropped else "counted, not cited"),
            })
        sections[name] = {"status": result.status.value, "rule": result.rule, "sentences": rows}
    return {"path": report.path, "sections": sections}


def render_text(data: dict[str, Any]) -> str:
    marks = {"cited": "✓", "counted, not cited": "·"}
    lines = [f"{data['path'] or '<text>'}"]
    for name, sec in data["sections"].items():
        lines.append(f"{name}: {sec['status']} ({sec['rule'] or 'no rule'})")
        if not sec["sentences"]:
            lines.append("    no sentence matched this section's cues")
        for row in sec["sentences"]:
            mark = marks.get(row["outcome"], "✗")
            text = row["text"] if len(row["text"]) <= 90 else row["text"][:89] + "…"
            lines.append(f"  {mark} {row['line']}:{row['column']} {row['could_earn']:<7} “{text}”")
            lines.append(f"      cues: {' + '.join(row['matched'])}; signal {row['signal']:.2f}; {row['outcome']}")
    return "\n".join(lines) + "\n"
