"""Kind ``section``: decide present / weak / missing for one of the six sections.

For each sentence in the body, P.S. and subject line:
- a sentence with any ``exclude`` cue never counts (mentions that are not the section);
- cue groups listed in ``negation`` do not count where a negation cue precedes them in the clause;
- it is *present* if it satisfies one ``present`` conjunction, else *weak* if it satisfies a ``weak``
  one; a present sentence with a ``demote`` cue (heavy hedging) or in a ``weak_regions`` region
  (default: P.S. and subject line) counts as weak.
The section takes the best status over all sentences; the evidence is every sentence at that status.
"""

from __future__ import annotations

from ..model import SectionResult, Status
from ..ruleset import Rule
from .base import CheckResult, Context, excluded, finding, first_satisfied, spans_of

DEFAULT_WEAK_REGIONS = ("ps", "subject")


def check(rule: Rule, ctx: Context) -> CheckResult:
    opts = rule.options
    negatable = opts.get("negation", ())
    weak_regions = set(opts.get("weak_regions", DEFAULT_WEAK_REGIONS))
    best = Status.MISSING
    evidence: dict[Status, list] = {Status.PRESENT: [], Status.WEAK: []}
    for sentence in ctx.analysed.in_regions(("body", "ps", "subject")):
        if excluded(ctx, rule, sentence):
            continue
        status = None
        if first_satisfied(ctx, rule, sentence, opts["present"], negatable) is not None:
            status = Status.PRESENT
            demoted = any(spans_of(ctx, rule, sentence, d) for d in opts.get("demote", ()))
            if demoted or sentence.region in weak_regions:
                status = Status.WEAK
        elif first_satisfied(ctx, rule, sentence, opts.get("weak", ()), negatable) is not None:
            status = Status.WEAK
        if status is None:
            continue
        evidence[status].append(sentence.span)
        if status.rank > best.rank:
            best = status
    spans = tuple(evidence.get(best, ()))
    result = SectionResult(rule.section or "", best, rule.code, spans)
    findings = ()
    if best is not Status.PRESENT:
        anchor = spans[0] if spans else None
        findings = (finding(rule, anchor, best),)
    return CheckResult(findings, result)
