"""Kind ``context``: the letter does not read as a reply to a rejection.

A thank-you sent before any decision, a candidate declining an offer or withdrawing, a status
enquiry: such letters are not post-rejection letters, and grading their six sections as missing
would be noise. The rule speaks once, at the first sentence that satisfies a ``match``
conjunction, and only when the section named by ``unless_section`` (acknowledgement) is not present:
a letter that says it did not get the job is a reply to a rejection, whatever else it says. When
it speaks, the section rules' findings are left out of the report (``lintletter.api``); the
sections themselves are still reported.
"""

from __future__ import annotations

from ..model import Status
from ..ruleset import Rule
from .base import CheckResult, Context, excluded, finding, first_satisfied

DEFAULT_REGIONS = ("body", "ps", "subject")


def check(rule: Rule, ctx: Context) -> CheckResult:
    opts = rule.options
    guard = ctx.sections.get(opts.get("unless_section", "acknowledgement"))
    # only a plain acknowledgement makes the letter a rejection reply; a hint ("your decision")
    # is as common in a thank-you or an acceptance
    if guard is not None and guard.status is Status.PRESENT:
        return CheckResult()
    for sentence in ctx.analysed.in_regions(opts.get("regions", DEFAULT_REGIONS)):
        if excluded(ctx, rule, sentence):
            continue
        if first_satisfied(ctx, rule, sentence, opts["match"], opts.get("negation", ())) is not None:
            return CheckResult((finding(rule, sentence.span),))
    return CheckResult()
