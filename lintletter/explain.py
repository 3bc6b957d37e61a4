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


def matching_patterns(nlp, ruleset, rule, group_names, sentence: str) -> dict[str, list[str]]:
    """For each named cue group, the patterns (as written in the rule files) that match ``sentence``.

    Explain-time only: each pattern is compiled on its own and run on the sentence, so a rule author
    sees which of a group's thirty phrasings caught it ("~tip|~tipped *3 ~balance|~decision|it")."""
    import warnings

    from .cues import CompiledCues
    from .model import CueGroup, RuleSet

    written: dict[str, Any] = {}
    for name in group_names:
        if name.startswith("$") or " " in name:  # built-ins and "demoted by ..." notes
            continue
        group = rule.cues.get(name) or ruleset.lexicon.get(name)
        if group is None:
            continue
        parts = [group] if not group.any_of else [
            g for g in (rule.cues.get(n) or ruleset.lexicon.get(n) for n in group.any_of) if g is not None
        ]
        for part in parts:
            for pattern in part.patterns:
                written[f"p{len(written)}"] = (name, pattern, CueGroup(f"p{len(written)}", (pattern,), source=part.source))
    if not written:
        return {}
    lexicon = {key: group for key, (_, _, group) in written.items()}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore")
        cues = CompiledCues(nlp, RuleSet(rules=(), lexicon=lexicon, scoring=ruleset.scoring))
        hits = {m.key for m in cues(nlp(sentence))}
    out: dict[str, list[str]] = {}
    for key, (name, pattern, _) in written.items():
        if key in hits:
            out.setdefault(name, []).append(pattern if isinstance(pattern, str) else str(pattern))
    return out


def explain_data(report: Report, found: dict[str, list], rules_by_section: dict[str, Any], patterns=None) -> dict[str, Any]:
    """``patterns(rule, groups, sentence) -> {group: [pattern, ...]}`` adds the matching phrasings."""
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
                "patterns": patterns(rule, c.matched, report.text[c.span.start : c.span.end]) if patterns else {},
                "signal": round(c.signal, 3),
                "outcome": "cited" if c.span in cited and c.dropped is None
                else (f"dropped: {c.dropped}" if c.dropped
                      else "counted; the question after it is cited" if c.asked is not None and c.asked in cited
                      else "counted, not cited"),
            })
        sections[name] = {"status": result.status.value, "rule": result.rule, "sentences": rows}
    return {"path": report.path, "sections": sections}


def render_text(data: dict[str, Any]) -> str:
    marks = {"cited": "✓", "counted, not cited": "·", "counted; the question after it is cited": "·"}
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
            for group, found in row.get("patterns", {}).items():
                for pattern in found[:3]:
                    lines.append(f"        {group}: {pattern if len(pattern) <= 100 else pattern[:99] + '…'}")
    return "\n".join(lines) + "\n"
