"""Suppressions written in the letter itself, each with an optional reason.

Inline HTML comments (invisible in rendered Markdown, harmless in plain text)::

    <!-- lintletter: disable=LL201,LL202 -- quoting the rejection on purpose -->
    ...                                  findings that start here are suppressed...
    <!-- lintletter: enable=LL201 -->     ...until re-enabled (or the end of the letter)
    A sentence. <!-- lintletter: disable=LL201 -->   after text on a line: that line only (# noqa)
    <!-- lintletter: disable-next-line=LL307 -- reason -->   the next non-blank line only
    <!-- lintletter: disable-file=LL106 -- reason -->        the whole letter

and front matter::

    lintletter:
      ignore: [LL106, "LL308 -- a short note on purpose"]      # or a mapping {LL106: reason}

Codes may also be prefixes (LL2) or rule names (bitterness); no codes means every rule.
Letter-wide suppressions (front matter, ``disable-file``) work like ``--ignore`` for that letter:
a section rule ignored this way leaves the score and the other weights are rescaled. A range
suppression only hides the findings that start inside it. A suppression that hides nothing, or
names no rule, is itself reported (rule ``unused-suppression``), so stale ones do not pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from .model import Finding, Rule, RuleSet, Span, Suppressed

# Bounded repetitions keep this linear on hostile input (a huge comment that never closes).
_DIRECTIVE = re.compile(
    r"<!--[ \t]{0,20}lintletter[ \t]{0,20}:[ \t]{0,20}(?P<action>[\w-]{1,40})"
    r"(?:[ \t]{0,20}=[ \t]{0,20}(?P<codes>[\w ,\t-]{0,300}?))?"
    r"(?:[ \t]{1,20}--[ \t]{0,20}(?P<reason>[^\n]{0,500}?))?[ \t]{0,20}-->",
    re.I,
)
ACTIONS = ("disable", "enable", "disable-next-line", "disable-file")
#: ``<!-- lintletter: letter -->`` ... ``<!-- lintletter: end -->`` mark a letter inside a document
#: (lintletter.embedded); they are not suppressions.
MARKERS = ("letter", "end")


@dataclass(frozen=True)
class Directive:
    """One suppression as written: where, what it does, which rules, and why."""

    action: str  # one of ACTIONS, or "front-matter"
    selectors: tuple[str, ...]  # () means every rule
    reason: str | None
    span: Span | None  # the comment (front matter: its block)
    problem: str | None = None  # set when the directive cannot be understood


@dataclass(frozen=True)
class Region:
    """Where a range directive applies: findings starting in [start, end) are suppressed."""

    directive: Directive
    start: int
    end: int
    selector: str | None  # the selector this region covers; None = every rule


@dataclass(frozen=True)
class Suppressions:
    letter_wide: tuple[Directive, ...]
    regions: tuple[Region, ...]
    #: directives that could not be understood or matched nothing structurally (e.g. a stray enable)
    invalid: tuple[Directive, ...]


def _selectors(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(s for s in re.split(r"[\s,]+", raw.strip()) if s)


def _split_reason(item: str) -> tuple[str, str | None]:
    code, _, reason = item.partition("--")
    return code.strip(), reason.strip() or None


def from_front_matter(front_matter: Mapping[str, Any], span: Span | None) -> list[Directive]:
    block = front_matter.get("lintletter")
    if block is None:
        return []
    if not isinstance(block, Mapping) or set(block) - {"ignore"}:
        return [Directive("front-matter", (), None, span, "front matter 'lintletter' must be {ignore: [CODE, ...]}")]
    ignore = block.get("ignore") or []
    entries: list[tuple[str, str | None]] = []
    if isinstance(ignore, str):
        ignore = [ignore]
    if isinstance(ignore, Mapping):
        entries = [(str(code), str(reason) if reason else None) for code, reason in ignore.items()]
    elif isinstance(ignore, list) and all(isinstance(i, str) for i in ignore):
        entries = [_split_reason(i) for i in ignore]
    else:
        return [Directive("front-matter", (), None, span, "front matter 'lintletter: ignore' must list rule codes")]
    return [Directive("front-matter", (code,), reason, span) for code, reason in entries]


def parse(text: str, front_matter: Mapping[str, Any], front_matter_span: Span | None) -> Suppressions:
    letter_wide = from_front_matter(front_matter, front_matter_span)
    invalid = [d for d in letter_wide if d.problem]
    letter_wide = [d for d in letter_wide if not d.problem]
    regions: list[Region] = []
    open_regions: dict[str | None, tuple[Directive, int]] = {}
    for m in _DIRECTIVE.finditer(text):
        action = m.group("action").lower()
        span = Span(m.start(), m.end())
        selectors = _selectors(m.group("codes"))
        reason = (m.group("reason") or "").strip() or None
        if action in MARKERS:
            continue
        if action not in ACTIONS:
            invalid.append(Directive(action, selectors, reason, span, f"unknown directive {action!r}; use {', '.join(ACTIONS)}"))
            continue
        directive = Directive(action, selectors, reason, span)
        if action == "disable-file":
            letter_wide.append(directive)
        elif action == "disable-next-line":
            start, end = _next_line(text, m.end())
            regions.extend(Region(directive, start, end, s) for s in (selectors or (None,)))
        elif action == "disable" and _after_text(text, m.start()):
            # At the end of a line of prose it is that line's, like `# noqa`: it opens no range.
            start, end = _line_start(text, m.start()), _line_end(text, m.end())
            regions.extend(Region(directive, start, end, s) for s in (selectors or (None,)))
        elif action == "disable":
            for s in selectors or (None,):
                open_regions.setdefault(s, (directive, m.end()))
        else:  # enable
            keys = [k for k in open_regions if not selectors or (k is not None and k.lower() in {s.lower() for s in selectors})]
            if not keys:
                invalid.append(Directive(action, selectors, reason, span, "enable without a matching disable"))
            for k in keys:
                opener, start = open_regions.pop(k)
                regions.append(Region(opener, start, m.start(), k))
    for k, (opener, start) in open_regions.items():
        regions.append(Region(opener, start, len(text), k))
    regions.sort(key=lambda r: (r.start, r.end))
    return Suppressions(tuple(letter_wide), tuple(regions), tuple(invalid))


def _next_line(text: str, pos: int) -> tuple[int, int]:
    """The next line after ``pos`` that has text (the comment's own line end is skipped)."""
    line_end = _line_end(text, pos)
    start = line_end
    while start < len(text):
        if text[start] in "\r\n":
            start += 1
            continue
        end = _line_end(text, start)
        if text[start:end].strip():
            return start, end
        start = end
    return len(text), len(text)


_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _line_start(text: str, pos: int) -> int:
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1


def _after_text(text: str, pos: int) -> bool:
    """Is there prose (not just other comments) before ``pos`` on its line?"""
    return bool(_COMMENT.sub("", text[_line_start(text, pos) : pos]).strip())


def _line_end(text: str, pos: int) -> int:
    ends = [i for i in (text.find("\n", pos), text.find("\r", pos)) if i != -1]
    return min(ends) if ends else len(text)


@dataclass(frozen=True)
class Outcome:
    kept: tuple[Finding, ...]
    suppressed: tuple[Suppressed, ...]
    #: codes ignored for the whole letter (they leave the score, like --ignore)
    ignored_codes: frozenset[str]


def apply(
    found: Suppressions,
    findings: list[Finding],
    ruleset: RuleSet,
    active: frozenset[str],
    per_file_ignore: tuple[str, ...] = (),
    rule: Rule | None = None,
) -> Outcome:
    """Hide what the letter's suppressions and per-file-ignores cover; report the ones that hide
    nothing as findings of ``rule`` (the rule set's ``suppression`` rule, if it has one)."""

    def codes_for(selectors: tuple[str, ...]) -> frozenset[str]:
        return frozenset(r.code for r in ruleset.rules if not selectors or ruleset.matches(r, list(selectors)))

    problems: list[tuple[Directive, str]] = [(d, d.problem or "") for d in found.invalid]
    ignored = set(codes_for(per_file_ignore)) if per_file_ignore else set()

    wide: list[tuple[Directive, frozenset[str]]] = []
    for d in found.letter_wide:
        codes = codes_for(d.selectors)
        if not codes:
            problems.append((d, f"no rule is called {', '.join(d.selectors)}"))
        else:
            wide.append((d, codes))
            ignored |= codes
    regions: list[tuple[Region, frozenset[str]]] = []
    for r in found.regions:
        codes = codes_for((r.selector,) if r.selector else ())
        if not codes:
            problems.append((r.directive, f"no rule is called {r.selector}"))
        else:
            regions.append((r, codes))

    kept: list[Finding] = []
    hidden: list[Suppressed] = []
    used: set[tuple[Directive, str | None]] = set()
    for f in findings:
        if f.code in ignored and not any(f.code in codes for _, codes in wide):
            continue  # per-file-ignores: as if the rule were not selected
        hit = next(((d, d.selectors[0] if d.selectors else None) for d, codes in wide if f.code in codes), None)
        if hit is None and f.span is not None:
            hit = next(
                ((r.directive, r.selector) for r, codes in regions if f.code in codes and r.start <= f.span.start < r.end),
                None,
            )
        if hit is None:
            kept.append(f)
            continue
        used.add(hit)
        hidden.append(Suppressed(f, hit[0].reason, hit[0].span))

    seen: set[tuple[Directive, str | None]] = set()
    for d, codes in wide:
        key = (d, d.selectors[0] if d.selectors else None)
        if key not in used and codes & active and key not in seen:
            seen.add(key)
            problems.append((d, f"{', '.join(d.selectors) or 'every rule'}: no finding to suppress"))
    for r, codes in regions:
        key = (r.directive, r.selector)
        if key not in used and codes & active and key not in seen:
            seen.add(key)
            problems.append((r.directive, f"{r.selector or 'every rule'}: no finding to suppress"))

    if rule is not None and rule.code in active and rule.code not in ignored:
        for d, detail in problems:
            kept.append(
                Finding(
                    rule.code, rule.name, rule.severity_for(), f"{rule.message_for()}: {detail}",
                    span=d.span, suggestion=rule.suggestion,
                )
            )
    return Outcome(tuple(kept), tuple(hidden), frozenset(ignored))
