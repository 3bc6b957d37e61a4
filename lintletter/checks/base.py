"""What every rule kind shares: the :class:`Kind` record a kind's module exports, the context a
check reads and how cue conditions are evaluated."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..analysis import AnalysedLetter, Sentence, TokenSpan
from ..cues import CompiledCues
from ..model import Finding, Rule, SectionResult, Span, Status
from ..section_signal import SIGNAL_CUE, SIGNAL_SURE_CUE, sure_threshold
from ..section_signal import threshold as signal_threshold

#: Negation reaches at most this many tokens forward ("I won't ask you to introduce me").
NEGATION_REACH = 8
#: Lexicon groups the conditions below look up by name: without them ``negation:`` and
#: ``hypothetical:`` would silently cancel nothing, so the rules do not load without them.
NEGATION = "negation"
CONDITIONAL = "conditional"
CLAUSE_BREAK = "clause_break"
LEXICON = {
    NEGATION: "a negation before a cue cancels it (rules' negation:)",
    CONDITIONAL: "a conditional before a cue makes it a possibility (rules' hypothetical:)",
    CLAUSE_BREAK: "where a negation or a conditional stops reaching",
}


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
    #: the learned section signal (``lintletter.section_signal``), when a rule consults it: the
    #: section rules score a clause of a sentence with it (see ``checks.section.clause_signal``)
    signal: Any = None
    #: per sentence, what negation tests need (see _negations); filled as rules ask
    _preceder_index: dict = field(default_factory=dict, compare=False, repr=False)
    #: clause text -> the signal's probabilities, filled as rules ask
    _clause_scores: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def letter(self):
        return self.analysed.letter


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...] = ()
    section: SectionResult | None = None


def spans_of(ctx: Context, rule: Rule, sentence: Sentence, name: str) -> tuple[TokenSpan, ...]:
    keys, plain = ctx.cues.plan(rule, name)
    if plain:  # only matcher keys (nearly always): their spans, in the order of the keys
        cues = sentence.cues
        if len(keys) == 1:
            return cues.get(keys[0], ())  # already a tuple
        out: list[TokenSpan] = []
        for key in keys:
            found = cues.get(key)
            if found:
                out.extend(found)
        return tuple(out)
    out = []
    for key in keys:
        if key == SIGNAL_CUE:  # the learned signal, for this rule's own section
            if sentence.signal_at_least(rule.section, signal_threshold(rule)):
                out.append((0, len(sentence.token_offsets)))
        elif key == SIGNAL_SURE_CUE:  # ... and sure of it
            if sentence.signal_at_least(rule.section, sure_threshold(rule)):
                out.append((0, len(sentence.token_offsets)))
        elif key.startswith("$"):
            if sentence.has(key):
                out.append((0, len(sentence.token_offsets)))
        else:
            out.extend(sentence.cues.get(key, ()))
    return tuple(out)


def _preceders(ctx: Context, sentence: Sentence, group: str) -> tuple[dict[int, int], list[int]]:
    """For one sentence and a lexicon ``group`` (negation, conditional): cue end -> the earliest start
    of a cue of the group ending there, and for each token position the earliest end of a clause break
    starting at or after it. Built once per sentence and group, so testing a span costs at most
    NEGATION_REACH + its length, however many cues match."""
    key = (id(sentence), group)
    cached = ctx._preceder_index.get(key)
    if cached is not None and cached[0] is sentence:
        return cached[1]
    size = len(sentence.token_offsets) + 1
    earliest_start: dict[int, int] = {}
    for k in ctx.cues.resolve(None, group):
        for ns, ne in sentence.cues.get(k, ()):
            if ns < earliest_start.get(ne, size):
                earliest_start[ne] = ns
    first_break_end = [size + 1] * (size + 1)
    for k in ctx.cues.resolve(None, CLAUSE_BREAK):
        for bs, be in sentence.cues.get(k, ()):
            if be - bs == 1 and _word_internal(sentence.token_offsets, bs):
                continue  # "post-mortem", "2019–20": a dash inside a word ends no clause
            if be < first_break_end[bs]:
                first_break_end[bs] = be
    for i in range(size - 1, -1, -1):  # suffix minimum: the first break end at or after each start
        if first_break_end[i + 1] < first_break_end[i]:
            first_break_end[i] = first_break_end[i + 1]
    index = (earliest_start, first_break_end)
    ctx._preceder_index[key] = (sentence, index)
    return index


def _word_internal(offsets: Sequence[tuple[int, int]], i: int) -> bool:
    """Token ``i`` touches the tokens either side of it (no space between): it is inside a word."""
    return 0 < i < len(offsets) - 1 and offsets[i - 1][1] == offsets[i][0] and offsets[i][1] == offsets[i + 1][0]


def _preceded_in_clause(ctx: Context, sentence: Sentence, span: TokenSpan, group: str) -> bool:
    """A cue of the lexicon ``group`` shortly before the span, in the same clause."""
    earliest_start, first_break_end = _preceders(ctx, sentence, group)
    if not earliest_start:
        return False
    for ne in range(max(0, span[0] - NEGATION_REACH), span[1] + 1):
        ns = earliest_start.get(ne)
        # a cue (ns, ne) with ns < span start and ne <= span end, and no clause break between
        if ns is not None and ns < span[0] and not first_break_end[min(ne, len(first_break_end) - 1)] <= span[0]:
            return True
    return False


def _negated(ctx: Context, sentence: Sentence, span: TokenSpan) -> bool:
    """A negation cue shortly before the span, in the same clause, cancels it."""
    return _preceded_in_clause(ctx, sentence, span, NEGATION)


def _hypothetical(ctx: Context, sentence: Sentence, span: TokenSpan) -> bool:
    """A conditional ("if", "unless", "whether") shortly before the span, in the same clause, makes
    it a possibility, not a statement: "if I am not selected" says nothing about the outcome."""
    return _preceded_in_clause(ctx, sentence, span, CONDITIONAL)


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
        if name in negatable or name in conditional:  # the first span (in order) that still counts
            first = next((s for s in sorted(spans)
                          if not (name in negatable and _negated(ctx, sentence, s))
                          and not (name in conditional and _hypothetical(ctx, sentence, s))), None)
        else:
            first = min(spans, default=None)
        if first is None:
            return None
        shown.append(first)
    return tuple(shown)


def first_satisfied(ctx, rule, sentence, conjunctions, negatable=(), conditional=()) -> tuple[TokenSpan, ...] | None:
    for conj in conjunctions:
        shown = satisfied(ctx, rule, sentence, conj, negatable, conditional)
        if shown is not None:
            return shown
    return None


def excluded(ctx: Context, rule: Rule, sentence: Sentence) -> bool:
    return any(spans_of(ctx, rule, sentence, name) for name in rule.options.exclude)


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


@dataclass(frozen=True)
class NoLetter:
    """What a check of a document with no letter in it reads (``--embedded``; see ``Kind.on_no_letter``)."""

    #: how the document was searched (``lintletter.embedded`` modes)
    mode: str
    #: the config says every document must contain a letter
    require: bool
    #: how the file was read
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kind:
    """One rule kind, as the rule loader and the Linter see it (Vale's rule struct and its ``Run``).

    Each ``checks/<kind>.py`` exports one, ``KIND``, and ``checks/__init__.py`` lists it: that is all
    there is to adding a kind. The policy flags say how the Linter treats the kind's rules, so that
    nothing outside the kind's module special-cases it by name.
    """

    name: str
    #: ``check(rule, ctx) -> CheckResult``, once per letter for each selected rule of the kind
    check: Callable[[Rule, Context], CheckResult]
    #: the frozen dataclass of the kind's options, decoded strictly from the rule file (see
    #: ``checks/options.py``); the rule's ``options`` is an instance of it
    options: type
    #: the keys of the rule's ``examples:`` (run as tests by tests/test_rule_examples.py)
    examples: tuple[str, ...] = ("trigger", "pass")
    #: its findings deduct from the score (False: about the file, not the letter)
    scored: bool = True
    #: a rule that names one of the six sections: ``section:`` is required, ``severity``/``message``
    #: may be given per status, ``$signal`` may be used
    section_rule: bool = False
    #: its rules run even when deselected (a deselected section is still reported, as ignored);
    #: only the findings of selected rules are reported
    always_runs: bool = False
    #: ``check_all(rules, ctx) -> {code: CheckResult}``: the kind's rules are judged together, before
    #: the other kinds, which read their sections from ``ctx.sections``
    check_all: Callable[[Sequence[Rule], Context], Mapping[str, CheckResult]] | None = None
    #: judged after every other rule, from what the letter's suppressions hid (lintletter.suppressions)
    after_suppressions: bool = False
    #: a finding placed outside every letter of a document is reported once, not once per letter
    document_wide: bool = False
    #: when one of its rules speaks, the letter is not a reply to a rejection, and the rules that
    #: judge only such replies (``only_for_rejection_replies``) are left out of the report
    not_a_reply: bool = False
    #: its rules judge only letters that reply to a rejection
    rejection_replies_only: bool = False
    #: ``on_no_letter(rule, NoLetter) -> findings`` for a document with no letter in it
    on_no_letter: Callable[[Rule, NoLetter], tuple[Finding, ...]] | None = None
    #: the shared cue groups (``lexicon.yml``) the kind's code looks up by name: the rules do not
    #: load without them, so renaming one is an error, not a check that silently stops working
    lexicon: tuple[str, ...] = ()
    #: what a rule's ``suggestion`` is, for the editor's quick fixes (lintletter.server.fixes):
    #: ``"sentence"`` (a paragraph for the body), ``"closing"`` (a closing line), ``"signature"`` (a
    #: name line under the closing), a function of the rule giving one of them, or None (no quick fix)
    suggests: str | Callable[[Rule], str | None] | None = None

    def suggestion_shape(self, rule: Rule) -> str | None:
        """What ``rule``'s suggestion is (see ``suggests``)."""
        return self.suggests(rule) if callable(self.suggests) else self.suggests

    def only_for_rejection_replies(self, rule: Rule) -> bool:
        """The kind's policy, or the rule's own ``rejection_replies_only: true``."""
        return self.rejection_replies_only or bool(getattr(rule.options, "rejection_replies_only", False))
