"""Kind ``input``: how the letter was read. Notes from reading (a fallback encoding, which part of
an e-mail was used) and replacement characters (U+FFFD) left by bytes that could not be decoded."""

from __future__ import annotations

from ..model import Span
from ..ruleset import Rule
from .base import CheckResult, Context, finding

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
