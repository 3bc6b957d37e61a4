"""Kind ``phrase``: a finding wherever a sentence satisfies one ``match`` conjunction (tone, placeholders).

With ``min_count: N`` the rule speaks only when at least N sentences match (one apology is polite,
three are too many), and then once, at the first of them. With ``every_match: true`` a matching
sentence gets one finding per match of the conjunction's first cue group, not one in all: each
placeholder in "at [Company] as [Role]" is its own thing to fill in.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis import Sentence, TokenSpan
from ..model import Rule
from . import options as o
from .base import CheckResult, Context, Kind, excluded, finding, first_satisfied, satisfied, spans_of, without_negated

DEFAULT_REGIONS = ("body", "ps")


@dataclass(frozen=True)
class Options:
    match: o.Conjunctions = o.conjunctions()
    regions: tuple[str, ...] = o.regions(DEFAULT_REGIONS)
    #: say nothing about a letter marked ``template: true`` (placeholders are its point)
    skip_templates: bool = o.flag()
    negation: tuple[str, ...] = o.groups()
    exclude: tuple[str, ...] = o.groups()
    #: speak only when at least this many sentences match, and then once
    min_count: int = o.count(1)
    #: one finding per match of the first cue group, not one per sentence
    every_match: bool = o.flag()


def check(rule: Rule, ctx: Context) -> CheckResult:
    opts: Options = rule.options
    if opts.skip_templates and ctx.letter.is_template:
        return CheckResult()
    out = []
    for sentence in ctx.analysed.in_regions(opts.regions):
        if excluded(ctx, rule, sentence):
            continue
        if opts.every_match:
            out.extend(finding(rule, sentence.token_span(span)) for span in _every_match(ctx, rule, sentence))
            continue
        shown = first_satisfied(ctx, rule, sentence, opts.match, opts.negation)
        if shown is None:
            continue
        out.append(finding(rule, sentence.token_span(shown[0])))
    min_count = opts.min_count
    if len(out) < min_count:
        return CheckResult()
    return CheckResult(tuple(out[:1]) if min_count > 1 else tuple(out))


def _every_match(ctx: Context, rule: Rule, sentence: Sentence) -> list[TokenSpan]:
    """The non-overlapping matches (longest first where two start together) of the first cue group
    of the first conjunction the sentence satisfies."""
    negatable = rule.options.negation
    for conj in rule.options.match:
        if satisfied(ctx, rule, sentence, conj, negatable) is None:
            continue
        spans = spans_of(ctx, rule, sentence, conj[0])
        if conj[0] in negatable:
            spans = without_negated(ctx, sentence, spans)
        kept: list[TokenSpan] = []
        for span in sorted(set(spans), key=lambda s: (s[0], -s[1])):
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept
    return []


KIND = Kind("phrase", check, Options)
