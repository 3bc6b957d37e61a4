"""Kind ``context``: the letter does not read as a reply to a rejection.

A thank-you sent before any decision, a candidate declining an offer or withdrawing, a status
enquiry: such letters are not post-rejection letters, and grading their six sections as missing
would be noise. The rule speaks once, at the first sentence that satisfies a ``match``
conjunction, and only when the section named by ``unless_section`` (acknowledgement) is not present:
a letter that says it did not get the job is a reply to a rejection, whatever else it says. When
it speaks, the section rules' findings are left out of the report (``lintletter.api``); the
sections themselves are still reported, except that a weak ``unless_section`` becomes missing (a
hint of "your decision" acknowledges no rejection in a letter that is not a reply to one).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Rule, Status
from . import options as o
from .base import CheckResult, Context, Kind, excluded, finding, first_satisfied

DEFAULT_REGIONS = ("body", "ps", "subject")


@dataclass(frozen=True)
class Options:
    match: o.Conjunctions = o.conjunctions()
    regions: tuple[str, ...] = o.regions(DEFAULT_REGIONS)
    negation: tuple[str, ...] = o.groups()
    exclude: tuple[str, ...] = o.groups()
    #: the section whose presence makes the letter a reply to a rejection, whatever else it says
    unless_section: str = o.text("acknowledgement")


def check(rule: Rule, ctx: Context) -> CheckResult:
    opts: Options = rule.options
    guard = ctx.sections.get(opts.unless_section)
    # only a plain acknowledgement makes the letter a rejection reply; a hint ("your decision")
    # is as common in a thank-you or an acceptance
    if guard is not None and guard.status is Status.PRESENT:
        return CheckResult()
    for sentence in ctx.analysed.in_regions(opts.regions):
        if excluded(ctx, rule, sentence):
            continue
        if first_satisfied(ctx, rule, sentence, opts.match, opts.negation) is not None:
            return CheckResult((finding(rule, sentence.span),))
    return CheckResult()


# When it speaks, the section rules and the rules only for rejection replies are left out (lintletter.api).
KIND = Kind("context", check, Options, not_a_reply=True)
