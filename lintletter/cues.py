"""Compile cue groups (rules' word patterns) into one spaCy ``Matcher``.

A pattern is either a list of Matcher token dicts, or a *phrase*, a compact spelling of one::

    "could you"                 LOWER could, LOWER you
    "~ask ~for ~feedback"       LEMMA ask, LEMMA for, LEMMA feedback   (any inflection)
    "firm|company|employer"     LOWER in {firm, company, employer}
    "~be not? ~select"          "not?" is optional
    "which *2 ~company"         up to 2 tokens of anything in between
    "a_few|several ~firm"       "a few" is one alternative of two tokens (alternatives expand into
                                several Matcher patterns)

Plain words are tokenized like the letter is ("i'd" becomes "i" + "'d"), and straight and curly
apostrophes match each other. Lemma words are lemmatized with the pipeline's own table, so
"~companies" and "~company" mean the same. The grammar itself (what a word of a phrase may be) is
:mod:`lintletter.phrases`, which the rule loader's checks share.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from .errors import Problem, RuleError
from .model import BUILTIN_CUES, CueGroup, Rule, RuleSet
from .model import builtin_rules_dir as _builtin_rules_dir
from .phrases import PhraseError, PhraseWord, parse_phrase
from .tokens import tokenize
from .token_patterns import MAX_SPAN, WORK_BASE, WORK_PER_TOKEN, TokenMatcher, TooManyWords, compile_pattern, parse_op

#: A phrase whose alternatives of different shapes expand into more token patterns than this is refused.
MAX_EXPANSIONS = 64
#: Hand-written patterns that need spaCy's own Matcher (attributes our matcher does not implement):
#: spaCy tries each one at every token and branches on every optional token, and ``+``, ``*`` and
#: ``{n,m}`` make it quadratic or worse, so these may use at most this many ``?`` and none of those.
MAX_SPACY_OPTIONAL = 4
MAX_SPACY_PATTERNS = 100


class PatternTooCostly(ValueError):
    """A pattern that could make matching slow on some text; the message says what to change."""


class PatternUnusable(PatternTooCostly):
    """A pattern that would fail on every letter (an attribute the pipeline never sets)."""


#: The tails of contractions as phones and hurried typists leave them: "dont", "wont", "im", "ive"
#: (spaCy's tokenizer splits these into "do" + "nt", "i" + "m", ...), so "n't" in a cue matches "nt".
#: Not "'s": "its" and "lets" are words of their own and are never split.
_BARE_TAILS = {"n't": "nt", "'m": "m", "'ve": "ve", "'re": "re", "'ll": "ll", "'d": "d"}


def _apostrophe_variants(value: str) -> list[str]:
    variants = {value, value.replace("'", "’"), value.replace("’", "'")}
    bare = _BARE_TAILS.get(value.replace("’", "'"))
    if bare:
        variants.add(bare)
    return sorted(variants)


class _PhraseCompiler:
    def __init__(self, nlp) -> None:
        self._tokenizer = nlp.tokenizer
        self._seen: dict[str, list[str]] = {}
        self._exceptions = frozenset(getattr(nlp.tokenizer, "rules", None) or ())
        self._lemma_table = None
        for name, component in nlp.pipeline:
            table = getattr(component, "table", None)
            if isinstance(table, dict):
                self._lemma_table = table

    def _tokens(self, piece: str) -> list[str]:
        """The tokenizer's reading of one word of a phrase, lower-cased ("can't" is two tokens).

        A plain alphabetic word without a tokenizer exception is one token: skip the tokenizer
        for it, which is most of compiling the rules at start-up."""
        if piece not in self._seen:
            if piece.isalpha() and piece not in self._exceptions and piece.lower() not in self._exceptions:
                self._seen[piece] = [piece.lower()]
            else:
                tokens = [token.lower() for _, _, token in tokenize(self._tokenizer, piece)]
                if len(tokens) == 2 and tokens[0] in ("'", "’") and piece[:1] in ("'", "’"):
                    # a clitic written alone ("'m", "'ve"): the tokenizer splits it off a word
                    # ("I'm" is "i" + "'m") but cuts it in two on its own, which no letter's tokens
                    # would ever match
                    attached = [token.lower() for _, _, token in tokenize(self._tokenizer, "i" + piece)]
                    if len(attached) == 2 and attached[0] == "i":
                        tokens = attached[1:]
                self._seen[piece] = tokens
        return self._seen[piece]

    def _lemma(self, word: str) -> str:
        word = word.lower()
        if self._lemma_table is None:
            return word
        found = self._lemma_table.get(word, word)
        return found if isinstance(found, str) else word

    def compile(self, phrase: str) -> list[list[dict[str, Any]]]:
        """One phrase -> one or more Matcher patterns (alternatives of different shapes expand).

        Raises :class:`PatternTooCostly` for a phrase that expands into more than
        :data:`MAX_EXPANSIONS` patterns or can span more than :data:`MAX_SPAN` tokens, and
        :class:`~lintletter.phrases.PhraseError` for one that does not parse (the loader reports
        those with file and line before anything is compiled)."""
        words = [self._word(word) for word in parse_phrase(phrase)]
        count, span = 1, 0
        for options in words:
            count *= len(options)
            if count > MAX_EXPANSIONS:
                raise PatternTooCostly(f"the phrase expands into more than {MAX_EXPANSIONS} token patterns; split it into several phrases")
            span += max(sum(_max_count(t) for t in option) for option in options)
        if span > MAX_SPAN:
            raise PatternTooCostly(f"the phrase can span {span} tokens; a cue spans at most {MAX_SPAN}")
        patterns: list[list[dict[str, Any]]] = [[]]
        for options in words:
            patterns = [p + option for p in patterns for option in options]
        return patterns

    def _word(self, word: PhraseWord) -> list[list[dict[str, Any]]]:
        """The token sequences one parsed word of a phrase may stand for."""
        if word.gap:
            return [[{"OP": "{0,%d}" % word.gap}]]
        optional = word.optional
        lower: set[str] = set()
        lemmas: set[str] = set()
        sequences: list[list[dict[str, Any]]] = []
        for alt in word.alternatives:
            parts = [t for piece in alt.pieces for t in self._tokens(piece)]
            if len(parts) == 1:
                (lemmas if alt.lemma else lower).add(parts[0])
                continue
            seq = []
            for t in parts:
                if alt.lemma:
                    seq.append(self._token("LEMMA", _apostrophe_variants(self._lemma(t)), False))
                else:
                    seq.append(self._token("LOWER", _apostrophe_variants(t), False))
            sequences.append(seq)
        out: list[list[dict[str, Any]]] = []
        if lower:
            out.append([self._token("LOWER", sorted({v for w in lower for v in _apostrophe_variants(w)}), optional)])
        if lemmas:
            values = sorted({v for w in lemmas for v in _apostrophe_variants(self._lemma(w))})
            out.append([self._token("LEMMA", values, optional)])
        out.extend(sequences)
        if optional and sequences:
            out.append([])  # an optional multi-token alternative may be absent altogether
        return out

    @staticmethod
    def _token(attr: str, values: list[str], optional: bool) -> dict[str, Any]:
        token: dict[str, Any] = {attr: values[0] if len(values) == 1 else {"IN": values}}
        if optional:
            token["OP"] = "?"
        return token


def _max_count(token: dict[str, Any]) -> int:
    counts = parse_op(token.get("OP"))
    return counts[1] if counts else 1


_COUNTS = re.compile(r"\d+")
#: Token attributes only a tagger, morphologizer or parser sets; lintletter's pipeline has neither.
_UNANNOTATED = frozenset({"POS", "TAG", "MORPH", "DEP"})


def check_cost(pattern: list[dict[str, Any]], on_spacy: bool) -> None:
    """Raise :class:`PatternTooCostly` unless matching ``pattern`` stays cheap on any text.

    Runs before spaCy's own schema check: spaCy unrolls ``{0,99999}`` into 99,999 tokens."""
    if len(pattern) > MAX_SPAN:
        raise PatternTooCostly(f"the pattern has {len(pattern)} tokens; a cue spans at most {MAX_SPAN}")
    for token in pattern:
        unannotated = sorted(set(token) & _UNANNOTATED) if isinstance(token, dict) else []
        if unannotated:  # spaCy's Matcher raises E155 on every letter for these
            raise PatternUnusable(f"{', '.join(unannotated)} needs a tagger or parser, and lintletter's pipeline has none")
        op = token.get("OP") if isinstance(token, dict) else None
        if isinstance(op, str) and any(int(n) > MAX_SPAN for n in _COUNTS.findall(op[:20])):
            raise PatternTooCostly(f"operator {op[:20]!r} counts past {MAX_SPAN}; a cue spans at most {MAX_SPAN} tokens")
    if not on_spacy:
        low = sum((parse_op(t.get("OP")) or (1, 1))[0] for t in pattern)
        if low > MAX_SPAN:
            raise PatternTooCostly(f"the pattern needs at least {low} tokens; a cue spans at most {MAX_SPAN}")
        return
    ops = [t.get("OP") for t in pattern]
    wide = sorted({str(op) for op in ops if op not in (None, "?", "!")})
    if wide:
        raise PatternTooCostly(
            f"operator(s) {', '.join(wide)} on a pattern that needs spaCy's Matcher (it uses attributes other than "
            "LOWER, LEMMA, TEXT, IS_SENT_START and the IS_/LIKE_ flags) can make matching quadratic; use ? or ! there"
        )
    if ops.count("?") > MAX_SPACY_OPTIONAL:
        raise PatternTooCostly(f"at most {MAX_SPACY_OPTIONAL} optional (?) tokens in a pattern that needs spaCy's Matcher")


def _optional_tokens(pattern: list[dict[str, Any]]) -> int:
    return sum(1 for t in pattern if t.get("OP") == "?")


class CueMatch(NamedTuple):
    """One cue group matched over tokens ``start:end`` of a Doc. A NamedTuple rather than a frozen
    dataclass: a letter makes hundreds, and a tuple is built (and its fields read) several times faster."""

    key: str
    start: int  # token index in the doc
    end: int


class CompiledCues:
    """All cue groups of a rule set, compiled for matching, and how rules' names resolve to them.

    Phrase patterns, and token patterns that use only LOWER, LEMMA, TEXT, REGEX, IS_SENT_START and
    the IS_/LIKE_ flags, run on :class:`~lintletter.token_patterns.TokenMatcher` (regular
    expressions over the paragraph spelt as codes: same matches as spaCy's Matcher, several times
    faster); token patterns that use more of spaCy's pattern language run on spaCy's Matcher.
    """

    def __init__(self, nlp, ruleset: RuleSet) -> None:
        from spacy.errors import MatchPatternError
        from spacy.matcher import Matcher

        compiler = _PhraseCompiler(nlp)
        self._composite: dict[str, tuple[str, ...]] = {}
        self._indexed = TokenMatcher()
        self._spacy = Matcher(nlp.vocab)
        self._spacy_added: list[tuple[str, list]] = []  # what went into it, in order (export)
        # spaCy's Matcher is only run on a paragraph holding a word its patterns can start with
        # (None: some pattern can start anywhere, so always run it)
        self._spacy_firsts: frozenset[str] | None = frozenset()
        #: every (key, token pattern), as spaCy's Matcher would take them (tests compare the engines)
        self.patterns: list[tuple[str, list]] = []
        #: spaCy's Matcher's work per token: one unit per pattern, doubled by each optional token
        self._spacy_cost = 0
        self._resolved: dict[tuple[str | None, str], tuple[str, ...]] = {}
        self._plans: dict[tuple[str | None, str], tuple[tuple[str, ...], bool]] = {}
        problems: list[Problem] = []

        def add(key: str, group: CueGroup) -> None:
            if group.any_of:
                self._composite[key] = group.any_of
                return
            try:
                patterns = [q for p in group.patterns for q in (compiler.compile(p) if isinstance(p, str) else [p])]
            except PatternTooCostly as exc:
                problems.append(Problem(group.source, group.line, group.name, f"pattern too costly: {exc}"))
                return
            except PhraseError as exc:  # a group built in code, not read by the loader
                problems.append(Problem(group.source, group.line, group.name, f"invalid pattern: {exc}"))
                return
            # Compiled phrases are valid by construction; hand-written token patterns are checked
            # against spaCy's schema, except the built-in rules' (the test-suite checks those, and
            # the schema check costs a one-letter run a tenth of its start-up).
            hand_written = [p for p in group.patterns if not isinstance(p, str)]
            builtin = _is_builtin(group.source)
            compiled = [(pattern, compile_pattern(pattern)) for pattern in patterns]
            try:
                if not builtin:
                    for pattern, steps in compiled:
                        check_cost(pattern, on_spacy=steps is None)
                    _validate(nlp.vocab, key, hand_written)
            except PatternTooCostly as exc:
                what = "invalid pattern" if isinstance(exc, PatternUnusable) else "pattern too costly"
                problems.append(Problem(group.source, group.line, group.name, f"{what}: {exc}"))
                return
            except (MatchPatternError, ValueError, TypeError, KeyError, AttributeError) as exc:
                message = " ".join(str(exc).split())[:300]
                problems.append(Problem(group.source, group.line, group.name, f"invalid pattern: {message}"))
                return
            for pattern, steps in compiled:
                if steps is None:
                    try:  # spaCy's schema accepts some patterns its Matcher then refuses (zero tokens)
                        self._spacy.add(key, [pattern])
                        self._spacy_added.append((key, pattern))
                    except (MatchPatternError, ValueError, TypeError, KeyError) as exc:
                        message = " ".join(str(exc).split())[:300]
                        problems.append(Problem(group.source, group.line, group.name, f"invalid pattern: {message}"))
                        return
                    self._spacy_cost += 2 ** _optional_tokens(pattern)
                else:
                    self._indexed.add(key, steps)
                self.patterns.append((key, pattern))
                if steps is None:
                    first = _first_words(pattern)
                    self._spacy_firsts = None if first is None or self._spacy_firsts is None else self._spacy_firsts | first

        for name, group in ruleset.lexicon.items():
            add(name, group)
        for rule in ruleset.rules:
            for name, group in rule.cues.items():
                add(self.local_key(rule, name), group)
        spacy_patterns = len(self._spacy)
        if spacy_patterns > MAX_SPACY_PATTERNS:
            problems.append(
                Problem(
                    "rules", None, None,
                    f"{spacy_patterns} token patterns need spaCy's Matcher (at most {MAX_SPACY_PATTERNS}): "
                    "use only LOWER, LEMMA, TEXT, IS_SENT_START and the IS_/LIKE_ flags where you can",
                )
            )
        if not problems:
            try:
                self._indexed.compile()
            except TooManyWords as exc:
                problems.append(Problem("rules", None, None, f"pattern too costly: {exc}"))
        if problems:
            raise RuleError(problems)

    def export(self) -> dict:
        """Everything but spaCy's Matcher, which :meth:`restore` builds again from the patterns
        it was given (lintletter.compiled_rules stores this). Call it before any matching."""
        return {name: value for name, value in self.__dict__.items() if name != "_spacy"}

    @classmethod
    def restore(cls, nlp, state: dict) -> "CompiledCues":
        """Cues from :meth:`export`'s state: the same matching, without compiling the patterns."""
        from spacy.matcher import Matcher

        self = cls.__new__(cls)
        self.__dict__.update(state)
        self._resolved = {}
        self._plans = {}
        self._spacy = Matcher(nlp.vocab)
        for key, pattern in self._spacy_added:
            self._spacy.add(key, [pattern])
        return self

    @staticmethod
    def local_key(rule: Rule, name: str) -> str:
        return f"{rule.code}:{name}"

    def resolve(self, rule: Rule | None, name: str) -> tuple[str, ...]:
        """The matcher keys (and builtin names) a cue name stands for, from the rule's point of view:
        each key once, in order of first appearance. Groups that name each other in a loop are
        refused when rules load; here a loop just ends (each group is expanded once)."""
        memo_key = (rule.code if rule is not None else None, name)
        if memo_key in self._resolved:
            return self._resolved[memo_key]
        out: dict[str, None] = {}
        expanded: set[str] = set()
        stack = [name]
        while stack:
            current = stack.pop()
            if current in BUILTIN_CUES:
                out.setdefault(current)
                continue
            key = self.local_key(rule, current) if rule is not None and current in rule.cues else current
            if key in self._composite:
                if key not in expanded:
                    expanded.add(key)
                    stack.extend(reversed(self._composite[key]))
            else:
                out.setdefault(key)
        self._resolved[memo_key] = result = tuple(out)
        return result

    def plan(self, rule: Rule | None, name: str) -> tuple[tuple[str, ...], bool]:
        """:meth:`resolve`, and whether every key it gives is a matcher key (none a built-in such as
        ``$question`` or ``$signal``): the checks look a sentence's spans up by these keys hundreds
        of times a letter, and take the short way when they are all matcher keys."""
        memo_key = (rule.code if rule is not None else None, name)
        found = self._plans.get(memo_key)
        if found is None:
            keys = self.resolve(rule, name)
            found = self._plans[memo_key] = (keys, not any(key.startswith("$") for key in keys))
        return found

    def __call__(self, doc) -> Iterable[CueMatch]:
        budget = WORK_PER_TOKEN * len(doc) + WORK_BASE
        found, complete = self._indexed.match(doc, budget)
        return self._finish(doc, found, complete)

    def match_docs(self, docs) -> list[list[CueMatch]]:
        """What calling this on each Doc gives, for several Docs at once (much cheaper: see
        :meth:`~lintletter.token_patterns.TokenMatcher.match_many`)."""
        budgets = [WORK_PER_TOKEN * len(doc) + WORK_BASE for doc in docs]
        found = self._indexed.match_many(docs, budgets)
        return [list(self._finish(doc, matches, complete)) for doc, (matches, complete) in zip(docs, found)]

    def _finish(self, doc, found: set, complete: bool) -> Iterable[CueMatch]:
        """The matches of spaCy's Matcher added to ``found``, all in order."""
        firsts = self._spacy_firsts
        if len(self._spacy) and (firsts is None or not firsts.isdisjoint(v for t in doc for v in (t.lower_, t.lemma_, t.text))):
            if self._spacy_cost * len(doc) <= WORK_PER_TOKEN * len(doc) + WORK_BASE:  # it cannot be stopped half-way
                strings = doc.vocab.strings
                found.update((strings[match_id], start, end) for match_id, start, end in self._spacy(doc))
            else:
                complete = False
        if not complete:  # the analysis tells the user that some findings may be missing
            doc.user_data["matching_cut_short"] = True
        for key, start, end in sorted(found, key=lambda m: (m[1], m[2], m[0])):
            yield CueMatch(key, start, end)


def _first_words(pattern: list[dict[str, Any]]) -> frozenset[str] | None:
    """The words a pattern's first token must be (any attribute), or None if it can start anywhere."""
    first = pattern[0]
    if first.get("OP") not in (None, "+"):  # optional or negated: the pattern may start on any word
        return None
    for attr in ("LOWER", "LEMMA", "TEXT", "ORTH"):
        value = first.get(attr)
        if isinstance(value, str):
            return frozenset([value])
        if isinstance(value, dict) and set(value) == {"IN"}:
            return frozenset(value["IN"])
    return None


def pattern_problems(groups: Iterable[CueGroup]) -> list[Problem]:
    """spaCy's verdict on the hand-written token patterns of rule folders other than the built-in
    one, without a pipeline (a blank vocabulary is enough for the schema check). Used when rule
    files have other problems too, so that every problem is reported in the same run."""
    from spacy.errors import MatchPatternError
    from spacy.vocab import Vocab

    vocab = Vocab()
    problems = []
    for group in groups:
        hand_written = [p for p in group.patterns if not isinstance(p, str)]
        if not hand_written or _is_builtin(group.source):
            continue
        try:
            _validate(vocab, group.name, hand_written)
        except (MatchPatternError, ValueError, TypeError, KeyError, re.error) as exc:
            message = " ".join(str(exc).split())[:300]
            problems.append(Problem(group.source, group.line, group.name, f"invalid pattern: {message}"))
    return problems


def _is_builtin(source: str) -> bool:
    builtin = _builtin_rules_dir()
    try:
        return Path(source).resolve().is_relative_to(builtin.resolve())
    except (OSError, ValueError):
        return False


def _validate(vocab, key: str, patterns: list) -> None:
    """Raise if spaCy rejects a pattern (validate=True checks the schema, e.g. an unknown operator)."""
    from spacy.matcher import Matcher

    if patterns:
        Matcher(vocab, validate=True).add(key, patterns)

