"""Kind ``section``: decide present / weak / missing for one of the six sections.

Judging happens in two steps, because the six sections compete for the same sentences:

1. :func:`candidates` — for each sentence in the body, P.S. and subject line, what it could earn
   for *this* section on its own cues:
   - a sentence with any ``exclude`` cue never counts (mentions that are not the section);
   - cue groups listed in ``negation`` do not count where a negation cue precedes them in the clause,
     nor those listed in ``hypothetical`` where a conditional does ("if I am not selected");
   - it is *present* if it satisfies one ``present`` conjunction, else *weak* if it satisfies a
     ``weak`` one; a present sentence with a ``demote`` cue (heavy hedging) or in a ``weak_regions``
     region (default: P.S. and subject line) counts as weak;
   - with ``signal_floor``, a ``weak`` cue match (a hint, not a demoted ask) on a sentence that the
     learned signal reads as this section with a lower probability does not count (a hint must be on
     the section's topic).
2. :func:`check_all` — the sections together: a sentence that fully does one section's job (present
   there) is not also a mere hint (weak) of another. "I'd value your advice" asks for advice; it is
   not lukewarm interest in the company. Then each section takes the best status left, and cites the
   sentence that reads most like that section (the learned signal's probability, when it is loaded),
   earliest first on a tie.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..model import Rule, SectionResult, Span, Status
from ..section_signal import DEFAULT_SURE, DEFAULT_THRESHOLD, SIGNAL_CUE
from ..tokens import normalise
from . import options as o
from .base import CheckResult, Context, Kind, excluded, finding, first_satisfied, spans_of

DEFAULT_WEAK_REGIONS = ("ps", "subject")
#: The lexicon group of words that join two asks in one sentence ("and", "as well as"); the rules do
#: not load without it (see :func:`_joined`).
COORDINATOR = "coordinator"


@dataclass(frozen=True)
class Options:
    present: o.Conjunctions = o.conjunctions()
    weak: o.Conjunctions = o.conjunctions(())
    #: groups a preceding negation cancels
    negation: tuple[str, ...] = o.groups()
    #: groups a preceding conditional ("if", "unless") cancels
    hypothetical: tuple[str, ...] = o.groups()
    #: groups that disqualify a sentence
    exclude: tuple[str, ...] = o.groups()
    #: groups that turn present into weak (heavy hedging)
    demote: tuple[str, ...] = o.groups()
    weak_regions: tuple[str, ...] = o.regions(DEFAULT_WEAK_REGIONS)
    #: when ``$signal`` holds
    signal_threshold: float = o.fraction(DEFAULT_THRESHOLD)
    #: when ``$signal_sure`` holds: the signal sure of its reading
    signal_sure: float = o.fraction(DEFAULT_SURE)
    #: a ``weak`` cue match on a sentence the signal reads as this section less than this does not count
    signal_floor: float = o.fraction(0.0)
    #: a hint in a clause of its own ("I was sorry not to get the post, but I enjoyed the day"): the
    #: floor also passes when the signal reads that clause as this section, and the hint is not
    #: taken by another section's present evidence in another clause (statements; an ask's words in
    #: a clause are rarely an ask of their own)
    clause_hints: bool = o.flag()
    #: a ``present`` cue match on a sentence the signal reads as this section less than this does not
    #: count: an ask's words in a sentence that does something else ("I learned a lot from your
    #: debrief", "so as not to make the same mistake with other companies"); 0 turns it off
    present_floor: float = o.fraction(0.0)
    #: weak conjunctions made only of these groups are statements specific enough to stand without
    #: the signal's assent (``signal_floor`` does not apply): "I've accepted an offer from another firm"
    floor_exempt: tuple[str, ...] = o.groups()
    #: groups that mark a sentence as only announcing the ask ("Could I ask your advice?"): it still
    #: counts, but another sentence at the same status (the question itself) is cited before it
    preamble: tuple[str, ...] = o.groups()


#: How many sentences a section cites: the best one. Listing every sentence at the best status cited
#: incidental ones ("Thank you again") beside the ask and cost users' trust in the evidence.
EVIDENCE_LIMIT = 1


@dataclass(frozen=True)
class Candidate:
    """A sentence that could earn ``status`` for a section, and why."""

    span: Span
    status: Status
    region: str
    #: the learned signal's probability for this section (0 when the signal is not loaded)
    signal: float
    #: the conjunction of cue groups that held (for ``lintletter explain``)
    matched: tuple[str, ...]
    #: why the candidate does not count, when it was kept only to be explained
    dropped: str | None = None
    #: tokens (in the sentence) of the conjunction's first cue group, the ask's topic ("advice")
    topic: tuple[int, int] | None = None
    #: where the sentence's coordinators start ("and", "as well as"): two asks joined by one are both made
    joins: tuple[int, ...] = ()
    #: the sentence only announces the ask (``preamble``): cited last among its equals
    preamble: bool = False
    #: for a preamble, the question right after it ("I'd love your advice on something. Would you
    #: focus on X or Y?"): that is what the announced ask asks, so it is cited in its place
    asked: Span | None = None
    #: for a hint (a weak cue match), the tokens of the clause that holds it, when the sentence has
    #: more than one ("I was sorry not to get the post, but I enjoyed the day"): see :func:`arbitrate`
    clause: tuple[int, int] | None = None


def candidates(rule: Rule, ctx: Context, keep_vetoed: bool = False) -> list[Candidate]:
    """What each sentence could earn for this section; with ``keep_vetoed`` (for ``explain``), the
    matches the signal vetoed are kept too, with ``dropped`` saying why."""
    opts: Options = rule.options
    negatable = opts.negation
    conditional = opts.hypothetical
    weak_regions = set(opts.weak_regions)
    floor = opts.signal_floor
    out: list[Candidate] = []
    # the sentence after each, for a preamble's question (only rules with a preamble need it)
    sents = ctx.analysed.sentences
    following = {id(a): b for a, b in zip(sents, sents[1:])} if opts.preamble else {}
    for sentence in ctx.analysed.in_regions(("body", "ps", "subject")):
        if excluded(ctx, rule, sentence):
            continue
        status, matched, hint_only, topic = None, (), False, None
        conj, shown = _first_conjunction(ctx, rule, sentence, opts.present, negatable, conditional)
        if conj is not None:
            status, matched, topic = Status.PRESENT, conj, shown[0]
            demoted = [d for d in opts.demote if spans_of(ctx, rule, sentence, d)]
            if demoted:
                status, matched = Status.WEAK, conj + tuple(f"demoted by {d}" for d in demoted)
            elif sentence.region in weak_regions:
                status, matched = Status.WEAK, conj + (f"only in the {sentence.region}",)
        else:
            conj, hint = _first_conjunction(ctx, rule, sentence, opts.weak, negatable, conditional)
            if conj is not None:
                status, matched, hint_only = Status.WEAK, conj, True
        if status is not None:
            signal = sentence.signal.get(rule.section or "", 0.0)
            # (only a present ask, whose topic is known, is read in its list or joined by it)
            questions, list_marks = ask_list(ctx, sentence) if topic is not None and rule.section in ASK_SECTIONS else ((), ())
            if questions and not hint_only and sentence.signal:
                # one of several questions in a row: the signal reads the ask's own question, which
                # the others would drown ("what should I fix, who should I meet, and which agencies
                # should I try?" reads as feedback as a whole)
                topics = spans_of(ctx, rule, sentence, conj[0])
                own = max((clause_signal(ctx, rule, sentence, q) for q in questions
                           if any(q[0] <= start < q[1] for start, _ in topics)), default=0.0)
                if own > signal and own >= LIST_QUESTION_SIGNAL:
                    signal, matched = own, (*matched, f"its own question in a list read as this section ({own:.2f})")
            # A hint must be on this section's topic: the signal can veto a weak cue match that reads
            # as nothing like the section ("what tipped it" is not a request for tips).
            dropped = None
            # (a real ask demoted to weak by a hedge or a P.S. is not a hint: the floor leaves it alone)
            clause = clause_of(ctx, sentence, hint) if hint_only and opts.clause_hints else None
            exempt = hint_only and opts.floor_exempt and all(g in opts.floor_exempt for g in conj)
            if hint_only and sentence.signal and signal < floor and SIGNAL_CUE not in matched and not exempt:
                on_topic = clause_signal(ctx, rule, sentence, clause)
                if on_topic >= floor:  # the clause holding the hint is on topic (``clause_hints``)
                    matched = (*matched, f"its clause read as this section ({on_topic:.2f})")
                elif not keep_vetoed:
                    continue
                else:
                    dropped = f"signal {signal:.2f} < signal_floor {floor:g}"
            elif (not hint_only and sentence.signal and signal < opts.present_floor
                  and len(sentence.token_offsets) <= SIGNAL_READS_TOKENS):
                # the ask's words, but the signal reads the sentence as nothing like the section;
                # a long run-on sentence is read again near the ask's own words (``shown``: the
                # present conjunction's spans, untouched by the weak branch)
                near = clause_signal(ctx, rule, sentence, window_of(sentence, shown))
                if near >= opts.present_floor:
                    matched = (*matched, f"read near its words as this section ({near:.2f})")
                elif not keep_vetoed:
                    continue
                else:
                    dropped = f"signal {signal:.2f} < present_floor {opts.present_floor:g}"
            # asks in a list are each made, like asks joined by "and": the marks between them join too
            joins = tuple(sorted(_coordinators(ctx, sentence) + list_marks)) if topic is not None else ()
            preamble = any(spans_of(ctx, rule, sentence, g) for g in opts.preamble)
            after = following.get(id(sentence)) if preamble else None
            asked = after.span if after is not None and after.is_question and after.region == sentence.region else None
            out.append(Candidate(sentence.span, status, sentence.region, signal, matched, dropped, topic, joins, preamble, asked, clause))
    return out


def _coordinators(ctx: Context, sentence) -> tuple[int, ...]:
    return tuple(sorted(s for k in ctx.cues.resolve(None, COORDINATOR) for s, _ in sentence.cues.get(k, ())))


def _joined(a: Candidate, b: Candidate) -> bool:
    """Two asks in one sentence, their topics apart and a coordinator between them: "your feedback on
    my interview, and any advice on my next steps" makes both; "advice on what I should focus on"
    is one ask whose object only looks like another's."""
    if a.topic is None or b.topic is None:
        return False
    first, second = sorted((a.topic, b.topic))
    return first[1] <= second[0] and any(first[1] <= j < second[0] for j in a.joins)


#: Words and marks that end a clause for :func:`clause_signal`: "I was sorry not to be offered the
#: post, but I enjoyed the day" is an acknowledgement and a hint of interest in one sentence. Fewer
#: than the lexicon's ``clause_break`` (which bounds a negation's reach): split at every comma or
#: "and", a clause is too short for the signal to read.
CLAUSE_BREAKS = frozenset({";", ":", "-", "–", "—", "but", "though", "although", "however", "yet", "whereas"})
#: A clause shorter than this is not scored on its own (too few words for the signal to read).
MIN_CLAUSE_WORDS = 4


def clause_of(ctx: Context, sentence, shown) -> tuple[int, int] | None:
    """The tokens of the clause holding a match (``shown``: its cue spans), or None when the
    sentence is one clause or the clause is too short to read on its own."""
    if not shown:
        return None
    text = ctx.letter.text
    # a hyphen inside a word ("health-system") is a token of its own but no break
    words = [text[a:b].lower() if text[a:b] != "-" or text[a - 1 : a].isspace() else "" for a, b in sentence.token_offsets]
    # a mark that opens or closes the sentence ("Things I'd love your take on:") splits nothing
    lo, hi = 0, len(words)
    while lo < hi and words[lo] in CLAUSE_BREAKS:
        lo += 1
    while hi > lo and (words[hi - 1] in CLAUSE_BREAKS or not words[hi - 1][:1].isalnum()):
        hi -= 1
    first, last = min(s for s, _ in shown), max(e for _, e in shown)
    start = max((i + 1 for i in range(lo, first) if words[i] in CLAUSE_BREAKS), default=lo)
    end = min((i for i in range(last, hi) if words[i] in CLAUSE_BREAKS), default=hi)
    if (start, end) == (lo, hi) or end - start < MIN_CLAUSE_WORDS:
        return None
    return start, end


#: The signal reads a sentence as a bag of words: in a longer one (a whole letter typed as one
#: run-on sentence) its reading says little, so ``present_floor`` does not apply there.
SIGNAL_READS_TOKENS = 60
#: How many tokens either side of an ask's cue words :func:`window_of` keeps.
WINDOW_REACH = 8


def window_of(sentence, shown) -> tuple[int, int] | None:
    """The tokens around an ask's cue words (``WINDOW_REACH`` either side), or None when that is the
    whole sentence: in a run-on sentence ("thank u for the call, i know u choose other candidate,
    ... i wud be grateful if u introduce me to someone in ur team") the rest drowns the ask. A
    question's request is its question mark, the whole sentence, so a question is never re-read:
    the topic alone is too little ("other offices in Hamburg" always reads as other companies)."""
    if not shown:
        return None
    size = len(sentence.token_offsets)
    start = max(0, min(s for s, _ in shown) - WINDOW_REACH)
    end = min(size, max(e for _, e in shown) + WINDOW_REACH)
    return None if (start, end) == (0, size) else (start, end)


#: Marks that part the questions of a list asked in one sentence, and words that may open one
#: (not "when" or "if": "When you have a minute, who should I meet?" is a lead-in and one question).
LIST_BREAKS = frozenset({",", ";", ":"})
LIST_JOINERS = frozenset({"and", "or", "also", "plus", "&"})
QUESTION_OPENERS = frozenset({
    "what", "which", "who", "whom", "whose", "where", "how", "why", "whether", "is", "are", "was", "were",
    "do", "does", "did", "would", "could", "can", "should", "will", "any", "anyone", "anybody",
})
#: A question in a list needs this many words, its opener included, to be read on its own.
MIN_LIST_QUESTION_WORDS = 3
#: A question word opens a question only with an auxiliary or "you" within this many words after it
#: ("who should I meet", "which agencies would you try"; not "who works with other firms", a
#: relative clause; not "has": "who has worked at other agencies" is one too).
WH_WORDS = frozenset({"what", "which", "who", "whom", "whose", "where", "how", "why"})
AUXILIARIES = frozenset({"should", "would", "could", "can", "will", "do", "does", "did", "is", "are", "was",
                         "were", "might", "must", "shall", "'d", "’d", "'s", "’s", "you", "u", "i"})
AUXILIARY_REACH = 5
#: ... and the signal must read it as the section at least this much for its reading to count (a
#: question read low on its own is not rescued: "which boutiques would you recommend me to contact"
#: asks for firms, 0.04 for contacts). It is above ``YIELD_SIGNAL``, so a question read so never
#: yields to another section's ask in the same sentence: each question of the list is its own ask.
LIST_QUESTION_SIGNAL = 0.3


def ask_list(ctx: Context, sentence) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """A sentence that asks two or more questions in a row, parted by commas, semicolons or a colon
    ("when you have a sec: what should I fix from my interview, who should I meet, and which agencies
    should I try?"): the tokens of each question, from its opening word, and the marks just before
    each question (they join it to the ask before it, as "and" does); ``((), ())`` for any other
    sentence. A part that does not open with a question word ("when you have a sec", "I'd really
    value") is a lead-in or an ask of another shape; one whose question word has no auxiliary close
    behind it ("Priya, who works with other firms") is a relative clause, not a question."""
    text = ctx.letter.text
    words = [text[a:b].lower() for a, b in sentence.token_offsets]
    cuts = [i for i, w in enumerate(words) if w in LIST_BREAKS]
    if not cuts:
        return (), ()
    questions, marks = [], []
    for mark, (start, end) in zip([None] + cuts, zip([0] + [c + 1 for c in cuts], cuts + [len(words)])):
        while start < end and words[start] in LIST_JOINERS:
            start += 1
        if end - start < MIN_LIST_QUESTION_WORDS or words[start] not in QUESTION_OPENERS:
            continue
        if words[start] in WH_WORDS and not AUXILIARIES.intersection(words[start + 1 : start + 1 + AUXILIARY_REACH]):
            continue
        questions.append((start, end))
        if mark is not None:
            marks.append(mark)
    return (tuple(questions), tuple(marks)) if len(questions) >= 2 else ((), ())


def clause_signal(ctx: Context, rule: Rule, sentence, clause: tuple[int, int] | None) -> float:
    """The signal's reading of just one clause of a sentence, or any token range of it (a
    :func:`window_of`; 0 without one or without a signal): the whole sentence can read as another
    section though this clause is on this one's topic."""
    if ctx.signal is None or clause is None:
        return 0.0
    text = ctx.letter.text[sentence.token_offsets[clause[0]][0] : sentence.token_offsets[clause[1] - 1][1]]
    if text not in ctx._clause_scores:  # read as analysis reads a sentence (lintletter.analysis)
        ctx._clause_scores[text] = ctx.signal.score([normalise(text)[0]])[0]
    return ctx._clause_scores[text].get(rule.section or "", 0.0)


def _first_conjunction(ctx, rule, sentence, conjunctions, negatable, conditional=()):
    """The first conjunction of cue groups that the sentence satisfies, and the spans that show it."""
    for conj in conjunctions:
        shown = first_satisfied(ctx, rule, sentence, [conj], negatable, conditional)
        if shown is not None:
            return tuple(conj), shown
    return None, ()


#: A weak candidate whose sentence is present evidence of another section survives only if the signal
#: still reads it as this section at least this much (one sentence can serve two sections).
#: Chosen on out-of-fold train (lintletter eval --split train --cross-fit 5) and checked on dev.
ARBITRATION_SIGNAL = 0.3
#: ... and the other section's reading that makes a present claim yield (see :func:`arbitrate`).
CLEAR_SIGNAL = 0.5
#: A present claim yields only when the signal reads the sentence as its section less than this
#: (0.2, chosen on out-of-fold train: "feedback on my interview, and any advice on..." keeps both).
YIELD_SIGNAL = 0.2


def arbitrate(found: dict[str, list[Candidate]], asks: frozenset[str] = frozenset()) -> dict[str, list[Candidate]]:
    """Settle sentences that several sections claim.

    - A weak candidate whose sentence is present evidence of another section is dropped unless the
      signal still reads it as this section (``ARBITRATION_SIGNAL``).
    - A present candidate whose sentence is present evidence of another section that the signal
      reads it as (``CLEAR_SIGNAL``) is dropped when the signal hardly reads it as this section
      (``YIELD_SIGNAL``):
      "would you have any advice on what I should focus on?" asks for advice, not feedback, though
      "what I should focus on" is a feedback cue too. Only asks yield, and only to asks: ``asks``
      are the codes of the rules whose sections are requests of the reader (not statements).
    """
    present: dict[Span, dict[str, Candidate]] = {}
    for code, cands in found.items():
        for c in cands:
            if c.status is Status.PRESENT:
                present.setdefault(c.span, {})[code] = c

    def keep(code: str, c: Candidate) -> bool:
        others = {k: v for k, v in present.get(c.span, {}).items() if k != code}
        if not others:
            return True
        if c.status is Status.PRESENT:
            # only asks yield to asks: "did I fall short" vs "what should I focus on" compete, but an
            # outcome stated in a run-on sentence is still stated, whatever else the sentence does;
            # and two asks joined by "and" are both made, whatever the signal makes of the sentence
            rivals = [v for k, v in others.items() if k in asks] if code in asks else []
            return c.signal >= YIELD_SIGNAL or not any(v.signal >= CLEAR_SIGNAL and not _joined(c, v) for v in rivals)
        # a hint in a clause of its own ("..., but I enjoyed the day") is not the other section's
        return c.signal >= ARBITRATION_SIGNAL or _own_clause(c, others.values())

    return {code: [c for c in cands if keep(code, c)] for code, cands in found.items()}


def _own_clause(hint: Candidate, rivals) -> bool:
    """Whether a hint's clause holds none of the rivals' topics (each rival is present there)."""
    if hint.clause is None:
        return False
    start, end = hint.clause
    return all(v.topic is not None and (v.topic[1] <= start or v.topic[0] >= end) for v in rivals)


def verdict(rule: Rule, cands: list[Candidate]) -> CheckResult:
    best = max((c.status for c in cands), key=lambda s: s.rank, default=Status.MISSING)
    at_best = [c for c in cands if c.status is best]
    # The ask itself before a sentence that only announces it, then highest signal first; Python's
    # sort is stable, so ties keep the letter's order.
    cited = sorted(at_best, key=lambda c: (c.preamble, -c.signal))[:EVIDENCE_LIMIT]
    # an announcement with nothing better beside it: the question it announces is the evidence
    cited = [dataclasses.replace(c, span=c.asked) if c.preamble and c.asked else c for c in cited]
    spans = tuple(c.span for c in cited)
    result = SectionResult(rule.section or "", best, rule.code, spans, tuple(cited))
    findings = ()
    if best is not Status.PRESENT:
        anchor = spans[0] if spans else None
        # A real ask made only in a P.S. is weak for where it is, not for what it says.
        only_ps = bool(at_best) and all("only in the ps" in c.matched for c in at_best)
        message = rule.message.get("ps") if only_ps else None
        findings = (finding(rule, anchor, best, message),)
    return CheckResult(findings, result)


def check(rule: Rule, ctx: Context) -> CheckResult:
    """One section on its own (no arbitration with the others)."""
    return verdict(rule, candidates(rule, ctx))


#: The sections that are requests of the reader; acknowledgement and interest are statements.
ASK_SECTIONS = frozenset({"feedback_request", "advice", "referrals", "competitors"})


def _asks(rules: list[Rule]) -> frozenset[str]:
    return frozenset(r.code for r in rules if r.section in ASK_SECTIONS)


def explain_all(rules: list[Rule], ctx: Context) -> dict[str, list[Candidate]]:
    """Every candidate of every section rule, with ``dropped`` set on those that do not count."""
    raw = {rule.code: candidates(rule, ctx, keep_vetoed=True) for rule in rules}
    kept = arbitrate({code: [c for c in cands if c.dropped is None] for code, cands in raw.items()}, _asks(rules))
    present = {c.span: code for code, cands in kept.items() for c in cands if c.status is Status.PRESENT}
    out: dict[str, list[Candidate]] = {}
    for code, cands in raw.items():
        survivors = {id(c) for c in kept[code]}
        out[code] = [
            c if c.dropped or id(c) in survivors
            else dataclasses.replace(c, dropped=f"present evidence of {present.get(c.span, 'another section')}")
            for c in cands
        ]
    return out


def check_all(rules: list[Rule], ctx: Context) -> dict[str, CheckResult]:
    """Every section rule together, arbitrated: rule code -> result."""
    found = arbitrate({rule.code: candidates(rule, ctx) for rule in rules}, _asks(rules))
    return {rule.code: verdict(rule, found[rule.code]) for rule in rules}


# Always run (a deselected section is still reported) and judged together: the six sections compete
# for the same sentences. Only replies to a rejection are graded on them (see the ``context`` kind).
KIND = Kind(
    "section", check, Options, examples=("present", "weak", "missing"),
    section_rule=True, always_runs=True, check_all=check_all, rejection_replies_only=True, lexicon=(COORDINATOR,),
    suggests="sentence",
)  # fmt: skip
