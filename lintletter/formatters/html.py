"""One self-contained HTML page: per letter a score bar, the six-section checklist, the letter with
evidence highlighted and findings anchored in place, then the findings list.

No scripts and no external resources (a CSP meta tag forbids them), so the page works offline, as an
e-mail attachment, and without JavaScript. Output is deterministic: same run, same bytes.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace
from html import escape
from itertools import pairwise

from .. import __version__
from ..model import SECTIONS, Finding, LineIndex, Report, Severity, Status, line_ranges
from . import STATUS_MARK, Run, section_label

STATUS_ICON = STATUS_MARK
SEVERITY_ICON = {Severity.ERROR: "✗", Severity.WARNING: "▲", Severity.INFO: "ℹ"}


def _attrs(pairs: tuple[tuple[str, str], ...]) -> str:
    return "".join(f' {name}="{escape(value)}"' for name, value in pairs)


# --- the letter text: overlapping ranges become validly nested elements ---------------------------


@dataclass(frozen=True)
class Layer:
    """An element wrapped around ``text[start:end]``. If other layers cross it, it is split into
    fragments; ``first_attrs`` (ids, tabindex) go on the first fragment only, so ids stay unique."""

    start: int
    end: int
    tag: str
    attrs: tuple[tuple[str, str], ...]
    first_attrs: tuple[tuple[str, str], ...] = ()
    depth_hint: int = 0  # for equal ranges: lower is outer (findings wrap evidence marks)
    trail: str = ""  # raw markup closing every fragment (the tooltip's empty anchor)


def markup(text: str, layers: list[Layer]) -> str:
    """Escape ``text`` and wrap each layer's range, from sorted boundary events (never string replace).

    Between two consecutive boundaries the set of covering layers is constant; we keep the open
    elements that are still wanted in the same nesting order, close the rest and open what is missing.
    """
    layers = [layer for layer in layers if layer.start < layer.end]
    nesting = {id(layer): (layer.start, -layer.end, layer.depth_hint, i) for i, layer in enumerate(layers)}
    bounds = sorted({0, len(text)} | {b for layer in layers for b in (layer.start, layer.end)})
    # A sweep over the boundaries: the layers covering [a, b) are those opened at or before a and
    # not yet closed, kept in nesting order as they come and go (not a scan of every layer per
    # boundary, which made 16,000 findings take 36 s).
    opening: dict[int, list[Layer]] = {}
    closing: dict[int, list[Layer]] = {}
    for layer in layers:
        opening.setdefault(layer.start, []).append(layer)
        closing.setdefault(layer.end, []).append(layer)
    active: list[tuple[tuple, Layer]] = []
    out: list[str] = []
    stack: list[Layer] = []
    opened: set[int] = set()
    for a, b in pairwise(bounds):
        if a in closing:
            gone = {id(layer) for layer in closing[a]}
            active = [item for item in active if id(item[1]) not in gone]
        for layer in opening.get(a, ()):
            bisect.insort(active, (nesting[id(layer)], layer), key=lambda item: item[0])
        wanted = [layer for _, layer in active]
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        out.extend(f"{layer.trail}</{layer.tag}>" for layer in reversed(stack[keep:]))
        del stack[keep:]
        for layer in wanted[keep:]:
            first = id(layer) not in opened
            opened.add(id(layer))
            extra = layer.first_attrs if first else (("data-continued", "true"),)
            out.append(f"<{layer.tag}{_attrs(layer.attrs + extra)}>")
            stack.append(layer)
        out.append(escape(text[a:b], quote=False))
    out.extend(f"{layer.trail}</{layer.tag}>" for layer in reversed(stack))
    return "".join(out)


def _anchored(f: Finding) -> bool:
    """A finding with a non-empty span gets an anchor in the letter; the rest live only in the list."""
    return f.span is not None and f.span.start < f.span.end


def _finding_id(prefix: str, number: int) -> str:
    return f"{prefix}-f{number}"


def _tip(f: Finding) -> str:
    tip = f"{f.code} {f.severity.value}: {f.message}"
    return tip + (f"\nSuggestion: {' '.join(f.suggestion.split())}" if f.suggestion else "")


def _view(report: Report) -> tuple[int, int]:
    """The part of ``report.text`` the page shows: all of it, or the lines of a letter inside a
    document (the rest of the host file is blank in ``report.text``)."""
    if report.letter is None:
        return 0, len(report.text)
    ranges = line_ranges(report.text, upto=report.letter.end_line)  # up to the letter's last line
    return ranges[report.letter.start_line - 1][0], ranges[report.letter.end_line - 1][1]


def _shown(f: Finding, view: tuple[int, int]) -> bool:
    return _anchored(f) and view[0] <= f.span.start and f.span.end <= view[1]


def _letter_layers(report: Report, prefix: str) -> list[Layer]:
    layers: list[Layer] = []
    view = _view(report)
    for number, f in enumerate(report.findings, 1):
        if not _shown(f, view):
            continue
        anchor = _finding_id(prefix, number)
        common = (("class", f"finding sev-{f.severity.value}"), ("data-finding", anchor), ("data-code", f.code),
                  ("data-severity", f.severity.value))
        # Only the first fragment is focusable and carries the id; every fragment shows the tooltip on hover.
        first = (("id", anchor), ("tabindex", "0"), ("aria-describedby", f"{anchor}-note"), ("data-anchor", "true"))
        # The tooltip is CSS-generated text on an empty child, so it never enters the letter's text
        # (marks keep exactly the evidence text) and screen readers get the list item instead.
        tip = f'<span class="tip" aria-hidden="true" data-tip="{escape(_tip(f))}"></span>'
        layers.append(Layer(f.span.start, f.span.end, "span", common, first, depth_hint=0, trail=tip))
    for rank, name in enumerate(SECTIONS):
        result = report.sections.get(name)
        for n, span in enumerate(result.evidence if result else (), 1):
            mark_id = f"{prefix}-ev-{name}-{n}"
            # data-ev names the evidence on every fragment, so a split highlight can be put back together.
            common = (("class", f"ev sec-{name}"), ("data-section", name), ("data-ev", mark_id))
            first = (("id", mark_id), ("data-label", section_label(name)))
            layers.append(Layer(span.start, span.end, "mark", common, first, depth_hint=1 + rank))
    if view != (0, len(report.text)):  # shift into the shown slice
        layers = [
            replace(layer, start=layer.start - view[0], end=layer.end - view[0])
            for layer in layers if view[0] <= layer.start and layer.end <= view[1]
        ]  # fmt: skip
    return layers


# --- page parts -----------------------------------------------------------------------------------


def _band(report: Report) -> str:
    """The CSS band (good, fair, poor) follows the verdict, not the number (scoring.score)."""
    return report.score.band if report.score.band in ("good", "fair", "poor") else "fair"


def _score(report: Report, prefix: str) -> str:
    if report.no_letter:
        return f'<div class="score" data-score="" data-verdict="no letter"><p id="{prefix}-score-text" class="score-text">No letter found: not scored</p></div>'
    value = max(0, min(100, report.score.value))
    verdict = escape(report.score.verdict)
    return (
        f'<div class="score band-{_band(report)}" data-score="{value}" data-verdict="{verdict}">'
        f'<div class="meter" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="{value}"'
        f' aria-labelledby="{prefix}-score-text"><div class="fill" style="width:{value}%"></div></div>'
        f'<p id="{prefix}-score-text" class="score-text"><strong>{value}</strong>/100 '
        f'<span class="verdict">{verdict}</span></p></div>'
    )


def _checklist(report: Report, prefix: str) -> str:
    items = []
    for name in SECTIONS:
        result = report.sections.get(name)
        if result is None:
            continue
        status = result.status
        quote = ""
        if result.evidence:
            words = " ".join(result.evidence[0].text(report.text).split())
            quote = f' <a class="quote" href="#{prefix}-ev-{name}-1">“{escape(words)}”</a>'
        items.append(
            f'<li class="check sec-{name} status-{status.value}" data-section="{name}" data-status="{status.value}">'
            f'<span class="badge"><span class="icon" aria-hidden="true">{STATUS_ICON[status]}</span> '
            f"{status.value}</span> <strong>{section_label(name)}</strong>{quote}</li>"
        )
    return f'<ul class="checklist" aria-label="Sections">{"".join(items)}</ul>'


def _findings(report: Report, prefix: str) -> str:
    if not report.findings:
        return '<p class="none">No findings.</p>'
    index = LineIndex(report.text)
    view = _view(report)
    items = []
    for number, f in enumerate(report.findings, 1):
        anchor = _finding_id(prefix, number)
        if _shown(f, view):
            line, col = index.position(f.span.start)
            where = f'<a class="where" href="#{anchor}">line {line}, column {col}</a>'
        else:
            where = '<span class="where">whole letter</span>'
        suggestion = (
            f'<p class="suggestion"><span class="hint">Try:</span> {escape(" ".join(f.suggestion.split()))}</p>'
            if f.suggestion else ""
        )
        items.append(
            f'<li id="{anchor}-note" class="note sev-{f.severity.value}" data-code="{escape(f.code)}"'
            f' data-severity="{f.severity.value}" data-anchored="{str(_anchored(f)).lower()}">'
            f'<span class="sev"><span class="icon" aria-hidden="true">{SEVERITY_ICON[f.severity]}</span> '
            f"{f.severity.value}</span> <code>{escape(f.code)}</code> <span class=\"name\">{escape(f.name)}</span>"
            f" · {where}<p class=\"message\">{escape(f.message)}</p>{suggestion}</li>"
        )
    return f'<ol class="findings">{"".join(items)}</ol>'


def _about(report: Report) -> str:
    from ..about import describe

    line = describe(report.about)
    return f'<p class="about">{escape(line)}</p>' if line else ""


def _letter(report: Report, number: int) -> str:
    prefix = f"l{number}"
    path = escape(report.path or "<text>")
    count = len(report.findings)
    score = "" if report.no_letter else report.score.value
    verdict = "no letter" if report.no_letter else report.score.verdict
    head = (
        f'<article class="report" id="letter-{number}" data-path="{path}" data-score="{score}"'
        f' data-verdict="{escape(verdict)}" aria-labelledby="{prefix}-title">'
        f'<h2 id="{prefix}-title"><span class="path">{escape(report.label)}</span></h2>'
        f"{_score(report, prefix)}"
    )
    if report.no_letter:
        return head + f"<h3>Findings ({count})</h3>{_findings(report, prefix)}</article>"
    start, end = _view(report)
    where = f" (lines {report.letter.start_line}–{report.letter.end_line} of {path})" if report.letter else ""
    return (
        head
        + f"<h3>Sections</h3>{_checklist(report, prefix)}"
        f"<h3>The letter{where}</h3><p class=\"legend\">Highlights show the sentences that count for each section; "
        f"underlined passages have findings: hover, or focus them with Tab, to read them.</p>"
        f'<div class="letter-text">{markup(report.text[start:end], _letter_layers(report, prefix))}</div>'
        f"<h3>Findings ({count})</h3>{_about(report)}{_findings(report, prefix)}</article>"
    )


def _index(run: Run) -> str:
    rows = "".join(
        f'<tr data-letter="{n}"><td><a href="#letter-{n}">{escape(r.label)}</a></td>'
        + (
            '<td class="num">—</td><td><span class="verdict">no letter</span></td>'
            if r.no_letter else
            f'<td class="num">{r.score.value}</td><td><span class="verdict band-{_band(r)}">'
            f"{escape(r.score.verdict)}</span></td>"
        )
        + f'<td class="num">{len(r.findings)}</td></tr>'
        for n, r in enumerate(run.reports, 1)
    )  # fmt: skip
    return (
        '<nav class="index" aria-label="Letters"><div class="scroll"><table><thead><tr><th scope="col">Letter</th>'
        '<th scope="col">Score</th><th scope="col">Verdict</th><th scope="col">Findings</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div></nav>"
    )


def _errors(run: Run) -> str:
    if not run.errors:
        return ""
    items = "".join(
        f'<li data-path="{escape(e.path)}"><code>{escape(e.path)}</code>: {escape(e.reason)}</li>' for e in run.errors
    )
    return (
        '<section class="errors" aria-labelledby="errors-title">'
        f'<h2 id="errors-title">Could not read</h2><ul>{items}</ul></section>'
    )


def render(run: Run) -> str:
    from .text import summary as run_summary

    letters = len(run.reports)
    summary = escape(run_summary(run))
    body = [
        f'<header><h1>lintletter report</h1><p class="summary">{summary}</p></header>',
        _errors(run),
        _index(run) if letters > 1 else "",
        *(_letter(r, n) for n, r in enumerate(run.reports, 1)),
        f'<footer>Generated by lintletter {escape(__version__)}.</footer>',
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # Nothing may load from anywhere: the report must be complete on its own.
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="color-scheme" content="light">'
        '<link rel="icon" href="data:,">'
        f"<title>lintletter report</title><style>{CSS}</style></head>"
        f'<body><main>{"".join(body)}</main></body></html>\n'
    )


CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

# Section tints are light so dark text on them keeps a contrast ratio well above 7:1.
SECTION_COLORS = {
    "acknowledgement": ("#dbeafe", "#1d4ed8"),
    "continued_interest": ("#dcfce7", "#15803d"),
    "feedback_request": ("#fef3c7", "#b45309"),
    "advice": ("#f3e8ff", "#7e22ce"),
    "referrals": ("#ffe4e6", "#be123c"),
    "competitors": ("#ccfbf1", "#0f766e"),
}

_SECTION_CSS = "".join(
    f".sec-{name}{{--tint:{tint};--ink:{ink}}}" for name, (tint, ink) in SECTION_COLORS.items()
)

CSS = _SECTION_CSS + """
*{box-sizing:border-box}
body{margin:0;background:#f6f7f9;color:#1f2328;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
main{max-width:52rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 0}h2{font-size:1.2rem;margin:0 0 .75rem;overflow-wrap:anywhere}
h3{font-size:1rem;margin:1.5rem 0 .5rem;text-transform:uppercase;letter-spacing:.04em;color:#4b5563}
.summary{margin:.25rem 0 1rem;color:#4b5563}
a{color:#1d4ed8}
a:focus-visible,[tabindex]:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px;border-radius:2px}
.report,.index,.errors{background:#fff;border:1px solid #d8dee4;border-radius:10px;padding:1rem 1.25rem;margin:0 0 1.25rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e5e7eb}
td a{overflow-wrap:anywhere}.num{text-align:right;font-variant-numeric:tabular-nums}
.errors{border-color:#b91c1c}.errors h2{color:#b91c1c}
.score{display:flex;align-items:center;gap:1rem;flex-wrap:wrap}
.meter{flex:1 1 12rem;height:.9rem;background:#e5e7eb;border-radius:99px;overflow:hidden;border:1px solid #c9ced6}
.fill{height:100%;background:var(--band)}
.score-text{margin:0;font-size:1.1rem}.score-text strong{font-size:1.6rem}
.band-good{--band:#15803d;--band-bg:#dcfce7}.band-fair{--band:#b45309;--band-bg:#fef3c7}.band-poor{--band:#b91c1c;--band-bg:#fee2e2}
.verdict{display:inline-block;padding:.05rem .6rem;border-radius:99px;background:var(--band-bg);color:#1f2328;border:1px solid var(--band);font-weight:600}
.checklist{list-style:none;padding:0;margin:0;display:grid;gap:.4rem}
.check{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem .5rem;padding:.45rem .6rem;border-radius:8px;border:1px solid #e5e7eb;border-left:6px solid var(--ink)}
.badge{display:inline-block;min-width:6.2rem;font-weight:700;text-transform:uppercase;font-size:.8rem;letter-spacing:.04em;padding:.1rem .5rem;border-radius:99px}
.icon{display:inline-block;width:1.1em;text-align:center;font-weight:800;text-transform:none}
.status-present .badge{background:#dcfce7;color:#14532d}
.status-weak .badge{background:#fef3c7;color:#78350f}
.status-missing .badge{background:#fee2e2;color:#7f1d1d}
.status-ignored .badge{background:#f3f4f6;color:#374151}
.quote{color:#374151;font-style:italic;overflow-wrap:anywhere;text-decoration:none}.quote:hover,.quote:focus{text-decoration:underline}
.legend{margin:0 0 .5rem;color:#4b5563;font-size:.9rem}
.letter-text{position:relative;white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,"DejaVu Serif",serif;font-size:1.02rem;line-height:1.9;background:#fcfcfd;border:1px solid #e5e7eb;border-left:4px solid #9ca3af;border-radius:6px;padding:1rem}
mark.ev{background:var(--tint);color:inherit;border-bottom:2px solid var(--ink);padding:.1em 0;border-radius:2px}
mark.ev mark.ev{background:linear-gradient(var(--tint) 55%,transparent 55%)}
mark.ev[data-label]::before{content:attr(data-label);font:700 .68rem/1 system-ui,"DejaVu Sans",sans-serif;color:#fff;background:var(--ink);border-radius:3px;padding:.1rem .3rem;margin-right:.25rem;vertical-align:.15em;white-space:nowrap}
.finding{text-decoration:underline wavy var(--sev);text-decoration-thickness:2px;text-underline-offset:.25em;cursor:help}
.finding.sev-error{text-decoration-style:solid}.finding.sev-info{text-decoration-style:dotted}
.sev-error{--sev:#b91c1c}.sev-warning{--sev:#b45309}.sev-info{--sev:#1d4ed8}
/* The tooltip spans the letter box (never off-screen, even on a phone) and sits just below the line
   where the finding ends: with top:auto an absolute box keeps its in-flow vertical position. */
.tip::after{content:attr(data-tip);position:absolute;left:.75rem;right:.75rem;margin-top:1.75em;z-index:5;white-space:pre-line;font:400 .88rem/1.45 system-ui,"DejaVu Sans",sans-serif;color:#fff;background:#1f2328;border-left:5px solid var(--sev);padding:.5rem .7rem;border-radius:6px;box-shadow:0 4px 14px rgba(0,0,0,.25);visibility:hidden;opacity:0;pointer-events:none}
.finding:hover>.tip::after,.finding:focus>.tip::after,.finding:target>.tip::after{visibility:visible;opacity:1}
.finding:has(.finding:hover)>.tip::after{visibility:hidden;opacity:0}
.finding:target{background:#fff7c2}
.findings{padding-left:1.4rem;margin:0}
.note{margin:.5rem 0;padding:.4rem .6rem;border-left:4px solid var(--sev);background:#fafafa;border-radius:0 6px 6px 0}
.note:target{background:#fff7c2}
.sev{font-weight:700;color:var(--sev);text-transform:uppercase;font-size:.8rem;letter-spacing:.04em}
.name{color:#4b5563}.message{margin:.2rem 0}.suggestion{margin:.2rem 0;color:#374151}.hint{font-weight:700}
code{font:600 .85rem ui-monospace,"DejaVu Sans Mono",monospace;background:#eef1f4;padding:.05rem .3rem;border-radius:4px}
footer{color:#6b7280;font-size:.85rem;text-align:center;padding:1rem}
@media (max-width:36rem){main{padding:.5rem}.report,.index,.errors{padding:.75rem;border-radius:8px}.letter-text{padding:.6rem;font-size:1rem}.badge{min-width:auto}}
@media print{.tip::after{display:none}body{background:#fff}}
"""
