"""Kind ``salutation``: the letter greets no one (``check: missing``), or greets without naming the
reader (``check: generic``: "To whom it may concern", or a greeting with no name after it)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Rule
from . import options as o
from .base import CheckResult, Context, Kind, finding, spans_of

#: The lexicon group of greeting words ("dear", "hi"): what is left of the salutation is the name.
GREETING = "greeting"


@dataclass(frozen=True)
class Options:
    check: str = o.choice(("missing", "generic"))
    #: groups marking a salutation that does not name the reader
    generic: tuple[str, ...] = o.groups()


def check(rule: Rule, ctx: Context) -> CheckResult:
    span = ctx.letter.salutation
    if rule.options.check == "missing":
        return CheckResult() if span is not None else CheckResult((finding(rule, None),))
    if span is None:
        return CheckResult()  # the "missing" rule speaks for this case
    for sentence in ctx.analysed.in_regions(("salutation",)):
        if any(spans_of(ctx, rule, sentence, name) for name in rule.options.generic):
            return CheckResult((finding(rule, span),))
        # A greeting with no name after it ("Hi," / "Hello there,") does not name the reader.
        covered = {i for s, e in spans_of(ctx, rule, sentence, GREETING) for i in range(s, e)}
        text = ctx.letter.text
        rest = [
            i for i, (a, b) in enumerate(sentence.token_offsets)
            if i not in covered and any(ch.isalpha() for ch in text[a:b])
        ]
        if not rest:
            return CheckResult((finding(rule, span),))
    return CheckResult()


KIND = Kind("salutation", check, Options, lexicon=(GREETING,))
