"""What every check kind shares: the context it reads and how cue conditions are evaluated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..analysis import AnalysedLetter, Sentence, TokenSpan
from ..cues import CompiledCues
from ..model import Finding, SectionResult, Span, Status
from ..ruleset import Rule
from ..signal import SIGNAL_CUE
from ..signal import threshold as signal_threshold

#: Negation reaches at most this many tokens forward ("I won't ask you to introduce me").
NEGATION_REACH = 8


@dataclass(frozen=True)
class Context:
    analysed: AnalysedLetter
    cues: CompiledCues
    #: how the letter was read (from lintletter.reading), reported by the ``input`` kind
    notes: tuple[str, ...] = ()
    #: the six sections' results, once the section rules have run (read by the ``context`` kind)
    sections: Mapping[str, SectionResult] = field(default_factory=dict)
    #: what the letter is about (``lintletter.about``), read by the ``mentions`` kind
    about: Any = None

    @property
    def letter(self):
        return self.analysed.letter


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...] = ()
    section: SectionResult | None = None


def spans_of(ctx: Context, rule: Rule, sentence: Sentence, name: str) -> tuple[TokenSpan, ...]:
    out: list[TokenSpan] = []
    for key in ctx.cues.resolve(rule, name):
        if key == SIGNAL_CUE:  # the learned signal, for this rule's own section
            if sentence.signal_at_least(rule.section, signal_threshold(rule)):
                out.append((0, len(sentence.token_offsets)))
        elif key.startswith("$"):
            if sentence.has(key):
                out.append((0, len(sentence.token_offsets)))
        else:
            out.extend(sentence.cues.get(key, ()))
    return tuple(out)


def _preceded_in_clause(ctx: Context, sentence: Sentence, span: TokenSpan, group: str) -> bool:
    """A cue of the lexicon ``group`` shortly before the span, in the same clause."""
    breaks = [b for key in ctx.cues.resolve(None, "clause_break") for b in sentence.cues.get(key, ())]
    for key in ctx.cues.resolve(None, group):
        for ns, ne in sentence.cues.get(key, ()):
            if ns < span[0] and ne <= span[1] and span[0] - ne <= NEGATION_REACH:
                if not any(ne <= bs and be <= span[0] for bs, be in breaks):
                    return True
    return False


def _negated(ctx: Context, sentence: Sentence, span: TokenSpan) -> bool:
    """A negation cue shortly before the span, in the same clause, cancels it."""
    return _preceded_in_clause(ctx, sentence, span, "negation")


def _hypothetical(ctx: Context, sentence: Sentence, span: TokenSpan) -> bool:
    """A conditional ("if", "unless", "whether") shortly before the span, in the same clause, makes
    it a possibility, not a statement: "if I am not selected" says nothing about the outcome."""
    return _preceded_in_clause(ctx, sentence, span, "conditional")


def without_negated(ctx: Context, sentence: Sentence, spans: Iterable[TokenSpan]) -> tuple[TokenSpan, ...]:
    return tuple(s for s in spans if not _negated(ctx, sentence, s))


def satisfied(
    ctx: Context, rule: Rule, sentence: Sentence, conjunction: Iterable[str], negatable: Iterable[str] = (),
    conditional: Iterable[str] = (),
) -> tuple[TokenSpan, ...] | None:
    """If the sentence has every cue group in the conjunction, the spans that show it; else None.
    Spans of ``negatable`` groups after a negation, and of ``conditional`` groups after an "if", do
    not count."""
    negatable, conditional = set(negatable), set(conditional)
    shown: list[TokenSpan] = []
    for name in conjunction:
        spans = spans_of(ctx, rule, sentence, name)
        if name in negatable:
            spans = tuple(s for s in spans if not _negated(ctx, sentence, s))
        if name in conditional:
            spans = tuple(s for s in spans if not _hypothetical(ctx, sentence, s))
        if not spans:
            return None
        shown.append(min(spans))
    return tuple(shown)


def first_satisfied(ctx, rule, sentence, conjunctions, negatable=(), conditional=()) -> tuple[TokenSpan, ...] | None:
    for conj in conjunctions:
        shown = satisfied(ctx, rule, sentence, conj, negatable, conditional)
        if shown is not None:
            return shown
    return None


def excluded(ctx: Context, rule: Rule, sentence: Sentence) -> bool:
    return any(spans_of(ctx, rule, sentence, name) for name in rule.options.get("exclude", ()))


def finding(rule: Rule, span: Span | None, status: Status | None = None, message: str | None = None) -> Finding:
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=rule.severity_for(status),
        message=message or rule.message_for(status),
        span=span,
        section=rule.section,
        suggestion=rule.suggestion,
    )
