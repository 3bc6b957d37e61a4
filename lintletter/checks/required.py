"""Kind ``required``: a finding when no sentence satisfies any ``match`` conjunction (thanks, door open)."""

from __future__ import annotations

from ..ruleset import Rule
from .base import CheckResult, Context, finding, first_satisfied

DEFAULT_REGIONS = ("body", "ps")


def check(rule: Rule, ctx: Context) -> CheckResult:
    for sentence in ctx.analysed.in_regions(rule.options.get("regions", DEFAULT_REGIONS)):
        if first_satisfied(ctx, rule, sentence, rule.options["match"]) is not None:
            return CheckResult()
    return CheckResult((finding(rule, None),))
