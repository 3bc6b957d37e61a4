"""Kind ``required``: a finding when no sentence satisfies any ``match`` conjunction (thanks, door open).

``satisfied_by: [section, ...]`` also counts the requirement met when one of those sections is
present: "Acme is still the place I'd most like to work" leaves the door open without the words
"keep me in mind". ``rejection_replies_only: true`` rules say nothing about a letter that is not a
reply to a rejection (see the ``context`` kind).
"""

from __future__ import annotations

from ..model import Status
from ..ruleset import Rule
from .base import CheckResult, Context, finding, first_satisfied

DEFAULT_REGIONS = ("body", "ps")


def check(rule: Rule, ctx: Context) -> CheckResult:
    for name in rule.options.get("satisfied_by", ()):
        result = ctx.sections.get(name)
        if result is not None and result.status is Status.PRESENT:
            return CheckResult()
    for sentence in ctx.analysed.in_regions(rule.options.get("regions", DEFAULT_REGIONS)):
        if first_satisfied(ctx, rule, sentence, rule.options["match"]) is not None:
            return CheckResult()
    return CheckResult((finding(rule, None),))
