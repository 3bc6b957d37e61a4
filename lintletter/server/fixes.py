"""Quick fixes for the editor: report + text -> edits. The one place the server asks for fixes.

    quick_fixes(report, text, ruleset) -> [QuickFix(title, finding, start, end, new_text), ...]

Offsets are into ``text``, the document as the editor has it (the text the report was linted
from, or a letter inside it); ``start == end`` is an insertion. The server turns each into an LSP
code action; nothing here knows about LSP.

For a letter that is its whole file, the sentences, closings and signatures come from the
``lintletter fix`` planner (:func:`lintletter.fix.plan`: its insertion points, the suggestion made
for this letter); what it does not fix (a weak section, a letter inside a document) falls back to
the rules below, with the finding's personalised suggestion:

Which fix a finding gets is its kind's ``suggests`` flag (:class:`lintletter.checks.Kind`), never
the kind's name:

- a sentence (kinds ``section`` and ``required``: a missing or weak section, no thanks, a closed door):
  the rule's suggested sentence, as a paragraph of its own **before the closing line** (before the
  signature when there is no closing; after the last paragraph of the body when there is neither;
  at the end of the text when there is no body either);
- a closing line (``signoff``/``closing``): the suggested closing above the signature, or at the end;
- a signature (``signoff``/``signature``): a closing when there is none, and a name line to fill
  in (``[Your name]``, which the placeholder rule keeps flagging until it is filled in);
- for every finding, "Disable LLxxx for this file": ``<!-- lintletter: disable-file=LLxxx -- ... -->``
  on its own line at the top (below the front matter; in an e-mail, above the body), with a reason
  placeholder for the writer to replace.

The fallback's sentences are the findings' suggestions, already made for this letter
(:mod:`lintletter.suggest`); :func:`for_this_letter` only still maps a house rule's example names
("Acme", "the Product Analyst role") to the front matter's ``company:`` / ``role:`` or neutral words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from .. import anatomy
from ..checks import KINDS
from ..model import Finding, Report
from ..model import RuleSet

#: What the writer is asked to replace in a disable comment.
REASON_PLACEHOLDER = "TODO: say why this rule does not apply"
#: The name line of an added signature, until the writer fills it in.
NAME_PLACEHOLDER = "[Your name]"
#: The example names in the built-in suggestions, and what stands in for them in this letter:
#: (example, front matter key, wording with {} for its value, neutral wording without one).
EXAMPLE_NAMES = (
    ("the Product Analyst role", "role", "the {} role", "the role"),
    ("your data team", None, "", "your team"),
    ("Acme", "company", "{}", "your company"),
)
_QUOTE_PREFIX = re.compile(r"(?:[ \t]*>[ \t]?)*")
_PLACEHOLDER_LIKE = re.compile(r"[\[\]{}<>]")


@dataclass(frozen=True)
class QuickFix:
    """One edit that answers one finding."""

    title: str
    finding: Finding
    start: int
    end: int
    new_text: str
    #: the fix to apply when the editor applies "the" fix (the sentence, not the suppression)
    preferred: bool = False
    #: what it does: "insert" (writes what the rule asks for) or "disable" (a suppression comment)
    kind: str = "insert"


def quick_fixes(report: Report, text: str, ruleset: RuleSet) -> list[QuickFix]:
    """The fixes for ``report``'s findings, in the report's order; ``text`` must have the report's
    offsets (the document it was linted from)."""
    if len(text) != len(report.text):
        return []  # offsets would not line up (the report is of a decoded copy)
    letter = parsed_letter(report)
    nl = _line_ending(text)
    planned = _planned(report, text)
    out: list[QuickFix] = []
    disabled: set[str] = set()
    for f in report.findings:
        rule = ruleset.get(f.code)
        if rule is None:
            continue
        fix = planned.get(f.code) or _insertion(f, rule, letter, text, nl, report.front_matter)
        if fix is not None:
            out.append(fix)
        if f.code not in disabled:
            disabled.add(f.code)
            at = _disable_point(letter, text, report.path)
            comment = f"<!-- lintletter: disable-file={f.code} -- {REASON_PLACEHOLDER} -->"
            out.append(QuickFix(f"Disable {f.code} ({f.name}) for this file", f, at, at, _prefix(text, at) + comment + nl, kind="disable"))
    return out


def _planned(report: Report, text: str) -> dict[str, QuickFix]:
    """``lintletter fix``'s own edits (its insertion points and the sentences made for this letter),
    by rule code, for a letter that is its whole file; the rest falls back to :func:`_insertion`."""
    from .. import fix

    if report.letter is not None:
        return {}
    by_code = {f.code: f for f in report.findings}
    out: dict[str, QuickFix] = {}
    for edit in fix.plan(report):
        (insertion,) = fix.insertions(text, [edit])
        f = by_code[edit.code]
        label = f.section.replace("_", " ") if f.section else f.name.replace("-", " ")
        title = f"Insert the missing {label}: \u201c{_short(' '.join(edit.text.split()))}\u201d"
        out[edit.code] = QuickFix(title, f, insertion.offset, insertion.offset, insertion.text, True)
    return out


def parsed_letter(report: Report) -> anatomy.Letter:
    """The parsed letter the report is about; for a letter inside a document, that letter alone
    (its lines kept, the rest of the shared view blanked, so offsets stay the document's)."""
    text = report.text
    if report.letter is not None:
        lines = anatomy.split_lines(text)
        first, last = report.letter.start_line - 1, report.letter.end_line - 1
        pieces = []
        for i, line in enumerate(lines):
            keep = first <= i <= last
            pieces.append(line.text if keep else " " * len(line.text))
            end = lines[i + 1].start if i + 1 < len(lines) else len(text)
            pieces.append(text[line.end : end])
        text = "".join(pieces)
    return anatomy.parse(text)


def for_this_letter(sentence: str, front_matter) -> str:
    """The suggestion with the built-in examples' names replaced (front matter, else neutral)."""
    for example, key, given, neutral in EXAMPLE_NAMES:
        if example not in sentence:
            continue
        value = front_matter.get(key) if key else None
        usable = isinstance(value, str) and value.strip() and not _PLACEHOLDER_LIKE.search(value)
        sentence = sentence.replace(example, given.format(value.strip()) if usable else neutral)
    return sentence


def _insertion(f: Finding, rule, letter: anatomy.Letter, text: str, nl: str, front_matter) -> QuickFix | None:
    # Each kind says what its suggestion is (Kind.suggests); a finding with a span is a weak
    # section, and only a section rule's sentence stands in for one.
    kind = KINDS.get(rule.kind)
    if kind is None or not rule.suggestion or f.span is not None and not kind.section_rule:
        return None
    shape = kind.suggestion_shape(rule)
    if shape == "sentence":
        sentence = " ".join(for_this_letter(f.suggestion or rule.suggestion, front_matter).split())
        at, new_text = _paragraph_before_closing(letter, text, nl, sentence)
        what = "the missing" if f.span is None else "a clearer"
        label = rule.section.replace("_", " ") if rule.section else rule.name.replace("-", " ")
        return QuickFix(f"Insert {what} {label} sentence: \u201c{_short(sentence)}\u201d", f, at, at, new_text, True)
    if shape == "closing":
        closing = rule.suggestion.strip().splitlines()[0]
        at, new_text = _line_above_signature(letter, text, nl, [closing])
        return QuickFix(f"Add the closing line \u201c{closing}\u201d", f, at, at, new_text, True)
    if shape == "signature":
        if letter.closing is not None:
            at = _line_end(text, letter.closing.end)
            new_text = nl + _prefix(text, letter.closing.start) + NAME_PLACEHOLDER
            return QuickFix(f"Add a signature: a line for your name under \u201c{_short(letter.closing.text(text), 30)}\u201d", f, at, at, new_text, True)
        closing = "Best regards,"  # the signature rule's own suggestion is the writer's name
        at, new_text = _at_end(letter, text, nl, [closing.strip(), NAME_PLACEHOLDER])
        return QuickFix(f"Add a closing and a line for your name (\u201c{closing.strip()}\u201d)", f, at, at, new_text, True)
    return None


def _paragraph_before_closing(letter, text: str, nl: str, sentence: str) -> tuple[int, str]:
    anchor = letter.closing or letter.signature
    if anchor is None:
        return _at_end(letter, text, nl, [sentence], paragraph=True)
    at = _line_start(text, anchor.start)
    prefix = _prefix(text, at)
    before = "" if _previous_line_blank(text, at) else prefix.rstrip() + nl
    return at, before + prefix + sentence + nl + prefix.rstrip() + nl


def _line_above_signature(letter, text: str, nl: str, lines: list[str]) -> tuple[int, str]:
    if letter.signature is None:
        return _at_end(letter, text, nl, lines)
    at = _line_start(text, letter.signature.start)
    prefix = _prefix(text, at)
    return at, "".join(prefix + line + nl for line in lines)


def _at_end(letter, text: str, nl: str, lines: list[str], paragraph: bool = True) -> tuple[int, str]:
    """After the writer's last words (the last body block, else the end of the text), as a new
    paragraph: never inside a P.S. or the quoted history below it."""
    body = [b for b in letter.blocks if b.region == "body"]
    ends = [s.end for s in (letter.closing, letter.signature) if s is not None]
    if body:
        ends.append(body[-1].span.end)
    at = _line_end(text, max(ends)) if ends else len(text.rstrip())
    prefix = _prefix(text, _line_start(text, at)) if ends else ""
    if at == 0:
        return 0, "".join(line + nl for line in lines)
    gap = nl + prefix.rstrip() + nl if paragraph else nl
    return at, gap + (nl).join(prefix + line for line in lines)


def _disable_point(letter, text: str, path: str | None) -> int:
    if path and PurePath(path).suffix.lower() == ".eml":
        first = [s.start for s in (letter.subject, letter.salutation) if s is not None] + [b.span.start for b in letter.blocks if b.region == "body"]
        body = [s for s in first if letter.subject is None or s != letter.subject.start]
        if body:
            return _line_start(text, min(body))
    if letter.front_matter_span is not None:
        end = _line_end(text, letter.front_matter_span.end)
        return _next_line(text, end)
    return 0


def _short(sentence: str, width: int = 60) -> str:
    return sentence if len(sentence) <= width else sentence[: width - 1].rstrip() + "\u2026"


def _line_ending(text: str) -> str:
    m = re.search(r"\r\n|\r|\n", text)
    return m.group(0) if m else "\n"


def _line_start(text: str, pos: int) -> int:
    return max(text.rfind("\n", 0, pos), text.rfind("\r", 0, pos)) + 1


def _line_end(text: str, pos: int) -> int:
    ends = [i for i in (text.find("\n", pos), text.find("\r", pos)) if i != -1]
    return min(ends) if ends else len(text)


def _next_line(text: str, line_end: int) -> int:
    if text.startswith("\r\n", line_end):
        return line_end + 2
    return min(line_end + 1, len(text))


def _prefix(text: str, at: int) -> str:
    """The blockquote marks ("> ") and indentation of the line at ``at``, for lines inserted there."""
    start = _line_start(text, at)
    return _QUOTE_PREFIX.match(text, start, _line_end(text, start)).group(0) if start < len(text) else ""


def _previous_line_blank(text: str, line_start: int) -> bool:
    if line_start == 0:
        return True
    prev_end = line_start - (2 if text[max(0, line_start - 2) : line_start] == "\r\n" else 1)
    prev = text[_line_start(text, prev_end) : prev_end]
    return not prev.strip(" \t>")
