"""Kind ``required``: a finding when no sentence satisfies any ``match`` conjunction (thanks, door open).

``satisfied_by: [section, ...]`` also counts the requirement met when one of those sections is
present: "Acme is still the place I'd most like to work" leaves the door open without the words
"keep me in mind". ``rejection_replies_only: true`` rules say nothing about a letter that is not a
reply to a rejection (see the ``context`` kind).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Rule, Status
from . import options as o
from .base import CheckResult, Context, Kind, finding, first_satisfied

DEFAULT_REGIONS = ("body", "ps")


@dataclass(frozen=True)
class Options:
    match: o.Conjunctions = o.conjunctions()
    regions: tuple[str, ...] = o.regions(DEFAULT_REGIONS)
    #: sections whose *present* verdict also meets the requirement
    satisfied_by: tuple[str, ...] = o.names()
    #: silent on letters that are not replies to a rejection (see the ``context`` kind)
    rejection_replies_only: bool = o.flag()


def check(rule: Rule, ctx: Context) -> CheckResult:
    opts: Options = rule.options
    for name in opts.satisfied_by:
        result = ctx.sections.get(name)
        if result is not None and result.status is Status.PRESENT:
            return CheckResult()
    for sentence in ctx.analysed.in_regions(opts.regions):
        if first_satisfied(ctx, rule, sentence, opts.match) is not None:
            return CheckResult()
    return CheckResult((finding(rule, None),))


KIND = Kind("required", check, Options, suggests="sentence")
