"""Kind ``input``: how the letter was read. Notes from reading (a fallback encoding, which part of
an e-mail was used) and replacement characters (U+FFFD) left by bytes that could not be decoded.
About the file, not the letter: never scored; reported for a document with no letter in it too."""

from __future__ import annotations

from ..model import Finding, Rule, Span
from .base import CheckResult, Context, Kind, NoLetter, finding
from .options import NoOptions

REPLACEMENT = "\ufffd"


def check(rule: Rule, ctx: Context) -> CheckResult:
    found = [finding(rule, None, message=f"{rule.message_for()}: {note}") for note in ctx.notes]
    text = ctx.letter.text
    at = text.find(REPLACEMENT)
    if at != -1:
        count = text.count(REPLACEMENT)
        message = f"{rule.message_for()}: {count} character(s) could not be decoded and show as {REPLACEMENT}"
        found.append(finding(rule, Span(at, at + 1), message=message))
    return CheckResult(tuple(found))


def on_no_letter(rule: Rule, document: NoLetter) -> tuple[Finding, ...]:
    return tuple(Finding(rule.code, rule.name, rule.severity_for(), f"{rule.message_for()}: {n}") for n in document.notes)


KIND = Kind("input", check, NoOptions, scored=False, on_no_letter=on_no_letter)
