"""Kinds about the letter's frame rather than its sentences: salutation, sign-off, length, front matter."""

from __future__ import annotations

from ..ruleset import Rule
from .base import CheckResult, Context, finding, spans_of


def salutation(rule: Rule, ctx: Context) -> CheckResult:
    span = ctx.letter.salutation
    if rule.options["check"] == "missing":
        return CheckResult() if span is not None else CheckResult((finding(rule, None),))
    if span is None:
        return CheckResult()  # the "missing" rule speaks for this case
    for sentence in ctx.analysed.in_regions(("salutation",)):
        if any(spans_of(ctx, rule, sentence, name) for name in rule.options.get("generic", ())):
            return CheckResult((finding(rule, span),))
        # A greeting with no name after it ("Hi," / "Hello there,") does not name the reader.
        covered = {i for s, e in spans_of(ctx, rule, sentence, "greeting") for i in range(s, e)}
        text = ctx.letter.text
        rest = [
            i for i, (a, b) in enumerate(sentence.token_offsets)
            if i not in covered and any(ch.isalpha() for ch in text[a:b])
        ]
        if not rest:
            return CheckResult((finding(rule, span),))
    return CheckResult()


def signoff(rule: Rule, ctx: Context) -> CheckResult:
    part = ctx.letter.closing if rule.options["check"] == "closing" else ctx.letter.signature
    return CheckResult() if part is not None else CheckResult((finding(rule, None),))


def length(rule: Rule, ctx: Context) -> CheckResult:
    words = ctx.analysed.body_words
    limit = rule.options["words"]
    too_short = rule.options["check"] == "short" and 0 < words < limit
    too_long = rule.options["check"] == "long" and words > limit
    if not (too_short or too_long):
        return CheckResult()
    message = rule.message_for().format(words=words, limit=limit)
    return CheckResult((finding(rule, None, message=message),))


def front_matter(rule: Rule, ctx: Context) -> CheckResult:
    letter = ctx.letter
    if letter.front_matter_error is None:
        return CheckResult()
    message = f"{rule.message_for()}: {letter.front_matter_error}"
    return CheckResult((finding(rule, letter.front_matter_span, message=message),))
