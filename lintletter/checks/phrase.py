"""Kind ``phrase``: a finding wherever a sentence satisfies one ``match`` conjunction (tone, placeholders).

With ``min_count: N`` the rule speaks only when at least N sentences match (one apology is polite,
three are too many), and then once, at the first of them.
"""

from __future__ import annotations

from ..ruleset import Rule
from .base import CheckResult, Context, excluded, finding, first_satisfied

DEFAULT_REGIONS = ("body", "ps")


def check(rule: Rule, ctx: Context) -> CheckResult:
    opts = rule.options
    if opts.get("skip_templates") and ctx.letter.is_template:
        return CheckResult()
    out = []
    for sentence in ctx.analysed.in_regions(opts.get("regions", DEFAULT_REGIONS)):
        if excluded(ctx, rule, sentence):
            continue
        shown = first_satisfied(ctx, rule, sentence, opts["match"], opts.get("negation", ()))
        if shown is None:
            continue
        out.append(finding(rule, sentence.token_span(shown[0])))
    min_count = opts.get("min_count", 1)
    if len(out) < min_count:
        return CheckResult()
    return CheckResult(tuple(out[:1]) if min_count > 1 else tuple(out))
