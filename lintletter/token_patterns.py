"""A matcher for the token patterns that phrases compile to: regular expressions over a paragraph
spelt as a string of codes, with no Python per token.

spaCy's ``Matcher`` starts every pattern at every token and builds a Python ``Token`` per token per
call; the first-word index that replaced it still ran Python for every (token, pattern starting
with that word). Almost all of our patterns are simple: each token tests ``LOWER``, ``LEMMA`` or
``TEXT`` against a set of words or a regex, and boolean flags such as ``IS_ALPHA``, optionally with
an operator (``?``, ``+``, ``*``, ``{n}``, ``{lo,hi}``: the phrase syntax's ``word?`` and ``*N``).
:class:`TokenMatcher` spells each paragraph once (from ``Doc.to_array``, through numpy) and runs a
few regexes per cue group over it (see its docstring). It returns exactly the (key, start, end)
triples spaCy would (tests compare the two on the corpus), except that no match is longer than
:data:`MAX_SPAN` tokens; any pattern using more of spaCy's pattern language stays with spaCy's Matcher.

Bounded on any input and any rule set:

* A generated regex cannot backtrack badly: a token is a fixed number of characters from disjoint
  ranges (one way to read it), each repeat is bounded, and a pattern's regex keeps its repeats only
  while the product of their choices is at most :data:`MAX_WAYS` (then it stops: what is left
  matches a superset of starts, which the check settles).
* The regexes cannot be stopped half-way, so each is charged its worst case (choices x tokens, at
  every token of the paragraph) before it runs, against a budget proportional to the paragraph
  (:data:`REGEX_WORK_PER_TOKEN`); a rule set too costly for a text stops there and the call says so
  (the letter gets a note). The built-in rules use about a quarter of it.
* The check of a possible match keeps the *set* of token positions a pattern can have reached
  after each step, not every way of getting there, so ``i *9 *9 *9 *9 *9 *9 *9 zzz`` costs steps x
  positions instead of 10^7 paths per start; it has its own work budget proportional to the
  paragraph (:data:`WORK_PER_TOKEN`).
* A match spans at most :data:`MAX_SPAN` tokens (``+`` and ``*`` stop there), so a pattern that
  matches everywhere yields O(n) matches, not O(n^2).
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

#: The longest match, in tokens. The longest built-in cue spans 17.
MAX_SPAN = 32
#: Matching work (token tests) allowed per token of a paragraph, plus a fixed allowance per call.
WORK_PER_TOKEN = 400
WORK_BASE = 20_000

_RANGE = re.compile(r"^\{(\d*),(\d*)\}$|^\{(\d+)\}$")
LOWER, LEMMA, TEXT = 0, 1, 2
_ATTRS = {"LOWER": LOWER, "LEMMA": LEMMA, "TEXT": TEXT, "ORTH": TEXT}
#: Boolean token attributes (spaCy's lexical flags) the matcher tests on the token itself.
FLAGS = frozenset(
    {
        "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE",
        "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY",
        "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL",
    }
)  # fmt: skip


class Step(NamedTuple):
    """One compiled token: the attribute its index uses, allowed values (None: any) or a regex, whether
    it must start a sentence (None: either), min and max count, and further tests on the same token:
    (attribute, values, regex) triples and (flag, wanted) pairs."""

    attr: int
    values: "frozenset[str] | None"
    regex: "re.Pattern | None"
    sent_start: "bool | None"
    low: int
    high: int
    more: tuple = ()
    flags: tuple = ()
    #: only ``values`` to test (no regex, sentence start, further tests or flags): the common case
    plain: bool = True


#: what a check reads of a token for tests that are not codes: (lower, lemma, text, starts a
#: sentence, the token itself)
Word = tuple


def parse_op(op: Any) -> tuple[int, int] | None:
    """spaCy's operator as (min, max count), unbounded as :data:`MAX_SPAN`; None if not a count
    (``!`` and anything unknown)."""
    if op is None:
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "+":
        return 1, MAX_SPAN
    if op == "*":
        return 0, MAX_SPAN
    if not isinstance(op, str):
        return None
    bounds = _RANGE.match(op)
    if not bounds:
        return None
    if bounds.group(3) is not None:
        low = high = int(bounds.group(3))
    else:
        low = int(bounds.group(1) or 0)
        high = int(bounds.group(2)) if bounds.group(2) else MAX_SPAN
    if low > high or high == 0:
        return None
    return low, min(high, MAX_SPAN)


def _test(value: Any) -> tuple["frozenset[str] | None", "re.Pattern | None"] | None:
    if isinstance(value, str):
        return frozenset([value]), None
    if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list) and all(isinstance(v, str) for v in value["IN"]):
        return frozenset(value["IN"]), None
    if isinstance(value, dict) and set(value) == {"REGEX"} and isinstance(value["REGEX"], str):
        try:
            return None, re.compile(value["REGEX"])
        except re.error:
            return None
    return None


def compile_pattern(pattern: list[dict[str, Any]]) -> tuple[Step, ...] | None:
    """The pattern as steps, or None if it uses more of spaCy's pattern language than we implement:
    LOWER/LEMMA/TEXT/ORTH per token (a word, {"IN": [...]} or {"REGEX": ...}), IS_SENT_START and the
    flags in :data:`FLAGS` (true or false), and the operators ``?``, ``+``, ``*`` and ``{n,m}``."""
    steps: list[Step] = []
    if not isinstance(pattern, list):
        return None
    for token in pattern:
        if not isinstance(token, dict) or set(token) - {*_ATTRS, *FLAGS, "OP", "IS_SENT_START"}:
            return None
        counts = parse_op(token.get("OP"))
        if counts is None:
            return None
        sent_start = token.get("IS_SENT_START")
        if sent_start is not None and not isinstance(sent_start, bool):
            return None
        flags = tuple(sorted((name, token[name]) for name in FLAGS if name in token))
        if not all(isinstance(wanted, bool) for _, wanted in flags):
            return None
        tests = []
        for name in _ATTRS:
            if name in token:
                test = _test(token[name])
                if test is None:
                    return None
                tests.append((_ATTRS[name], *test))
        attr, values, regex = tests[0] if tests else (LOWER, None, None)
        plain = regex is None and sent_start is None and len(tests) <= 1 and not flags
        steps.append(Step(attr, values, regex, sent_start, *counts, tuple(tests[1:]), flags, plain))
    return tuple(steps) if steps else None


class BudgetExceeded(Exception):
    """Matching one paragraph needed more work than its budget."""


#: The order in which the string a regex reads spells each token's attributes, chosen by the
#: attribute the regex's first token tests: ``re`` then skips to that token's words by their first
#: character (a character-set prefix), instead of trying the regex at every token.
#: Patterns with tests that are not words (regexes, flags, sentence starts) read a string with a
#: fourth character per token, the ``MASK`` of which of those tests the token passes.
MASK = 3
ORDERS = (
    (LOWER, LEMMA, TEXT), (LEMMA, TEXT, LOWER), (TEXT, LOWER, LEMMA),
    (LOWER, LEMMA, TEXT, MASK), (LEMMA, TEXT, LOWER, MASK), (TEXT, LOWER, LEMMA, MASK), (MASK, LOWER, LEMMA, TEXT),
)  # fmt: skip
_ORDER_OF = {(False, LOWER): 0, (False, LEMMA): 1, (False, TEXT): 2, (True, LOWER): 3, (True, LEMMA): 4, (True, TEXT): 5, (True, MASK): 6}
#: At most this many distinct tests that are not words are spelt in the mask (2^N codes); with
#: more, none is, and the check does them all.
MAX_MASK_TESTS = 10
#: A regex is compiled the first time more than this many paragraphs need it, or a paragraph of
#: more than WALK_TOKENS tokens does; until then its patterns are matched by the position-set walk
#: from each token holding a first word. Compiling every regex (~90 ms) costs a one-letter run more
#: than walking its few short paragraphs; a long paragraph is cheaper by regex, and the walk's work
#: budget would cut a long one short sooner. 16, not 8: a letter is often more than eight blocks
#: (salutation, paragraphs, sign-off, signature), and then a one-letter run compiled every regex its
#: words selected (one letter, byte-compiled: 0.79 s -> 0.63 s; 1,000 letters: unchanged).
COMPILE_AFTER = 16
WALK_TOKENS = 200
#: Tests' results kept per word (hash) for regex tests, before the cache starts again.
REGEX_CACHE = 100_000
_FIRST_CODE = 0x100  # above Latin-1: no code is a character ``re`` treats specially
#: What :meth:`TokenMatcher.match_many` spells between two Docs: a newline, which no character
#: class of a code and no ``.`` matches, so no match runs from one Doc into the next.
BARRIER = "\n"
_LAST_CODE = 0x10FFFF
#: A pattern's regex keeps its repeats while the product of their choices stays within this; past
#: that it stops (what is left selects a superset of the starts, which are then checked).
MAX_WAYS = 16
#: Regex work allowed per token of a paragraph: for every regex run, its choices times its tokens
#: (the most one attempt at one token can cost; the built-in rules' regexes add up to about 13,000).
REGEX_WORK_PER_TOKEN = 50_000
REGEX_WORK_BASE = 500_000


#: Per attribute, XOR-ed into a word's hash so that one sorted table holds all three attributes' words.
_SALTS = (0, 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)


class TooManyWords(ValueError):
    """The patterns name more distinct words than there are characters to spell them."""


class _Check(NamedTuple):
    """A :class:`Step` for checking a match: ``values`` as codes, the step itself for other tests."""

    attr: int
    values: "frozenset[int] | None"
    low: int
    high: int
    plain: bool
    step: Step


class _Regex(NamedTuple):
    """One regex over the paragraph's string, for the patterns of one cue (key) it stands for."""

    key: str
    order: int  # index in ORDERS: which string it reads
    #: the patterns' (first, parts, cost, checks): spelt and compiled only when paragraphs need it
    alts: list
    #: > 0: every match is exactly this many tokens (the patterns' every token is one plain test);
    #: 0: a match only says where to look: the patterns in ``checked`` find the real ends there
    length: int
    #: first character's code -> the patterns (as _Check tuples) that may start with it (for a
    #: regex not compiled yet, every pattern is matched so, from each token it may start at)
    checked: "dict[int, tuple]"
    #: the patterns that may start with any code (an optional or any first token)
    checked_anywhere: tuple
    cost: int  # worst-case work of one attempt at one token
    #: the codes (of the order's first attribute) a match can start with; None: any
    firsts: "frozenset[int] | None"


def _next_code(code: int) -> int:
    code += 1
    if 0xD800 <= code < 0xE000:  # surrogates are not characters
        code = 0xE000
    if code > _LAST_CODE:
        raise TooManyWords("the patterns name more than a million distinct words")
    return code


def _charset(codes) -> str:
    codes = sorted(codes)
    if len(codes) == 1:
        return re.escape(chr(codes[0]))
    return "[" + "".join(re.escape(chr(c)) for c in codes) + "]"


def _repeat(body: str, low: int, high: int) -> str:
    if low == high == 1:
        return body
    if high == 0:
        return ""
    return f"(?:{body}){{{low}}}" if low == high else f"(?:{body}){{{low},{high}}}"


class TokenMatcher:
    """Token patterns matched by regular expressions over a paragraph spelt as a string.

    Each token of a Doc becomes three characters: a code for its lower-case form, its lemma and its
    text (one code per word any pattern names, one "any other word" code per attribute; each
    attribute's codes form their own range, so a token's characters are never mistaken for
    another attribute's), and a fourth for the patterns that also test regexes, flags or sentence
    starts: a code for which of those tests the token passes (:data:`MAX_MASK_TESTS`). The codes
    come from ``Doc.to_array`` through numpy, so spelling a paragraph runs no Python per token
    (regex tests run once per distinct word, cached). A token test becomes a character class per
    attribute, ``*N`` a bounded repeat of them, and each cue group becomes a few regexes
    (alternations), one per attribute its patterns start with, so that ``re`` can skip to the
    words they start with; a regex whose first words are not in the paragraph is not run:

    * patterns of fixed length whose every test is spelt, grouped by length: every match of the
      regex is a match (start, start + length), found with no Python per token;
    * the others (optional words, gaps; tests the mask cannot hold): the regex finds where one may
      start (its repeats bounded by :data:`MAX_WAYS`), and the position-set walk of :func:`_ends`
      finds every end there, exactly.

    Every (key, start, end) that spaCy's Matcher finds is found, and nothing else (the tests
    compare the two on every corpus paragraph), except that no match is longer than :data:`MAX_SPAN`.
    """

    def __init__(self) -> None:
        self._patterns: list[tuple[str, tuple[Step, ...]]] = []
        self._regexes: list[_Regex] | None = None

    def __len__(self) -> int:
        return len(self._patterns)

    def add(self, key: str, steps: tuple[Step, ...]) -> None:
        self._patterns.append((key, steps))
        self._regexes = None

    def __call__(self, doc) -> set[tuple[str, int, int]]:
        """All (key, start, end) matches in a Doc."""
        return self.match(doc)[0]

    # --- compiling -----------------------------------------------------------------------

    def compile(self) -> None:
        from spacy.strings import get_string_id  # the hash Doc.to_array gives for a string
        import numpy as np

        words: list[set[str]] = [set(), set(), set()]
        for _, steps in self._patterns:
            for step in steps:
                for attr, values, _ in ((step.attr, step.values, None), *step.more):
                    if values:
                        words[attr].update(values)
        code = _FIRST_CODE
        self._memo: dict = {}  # word sets -> codes, codes -> their class
        self._code: list[dict[str, int]] = []  # per attribute: word -> code
        self._any: list[str] = []  # per attribute: the class of all its codes
        self._tables = []  # per attribute: (sorted hashes, their codes, the code of other words)
        for attr in range(3):
            unknown = code
            by_hash: dict[int, int] = {}
            table: dict[str, int] = {}
            for word in sorted(words[attr]):
                h = get_string_id(word)
                if h not in by_hash:  # words spaCy cannot tell apart share a code
                    code = _next_code(code)
                    by_hash[h] = code
                table[word] = by_hash[h]
            self._code.append(table)
            self._any.append(f"[{re.escape(chr(unknown))}-{re.escape(chr(code))}]")
            hashes = np.array(sorted(by_hash), dtype=np.uint64)
            codes = np.array([by_hash[h] for h in sorted(by_hash)], dtype=np.uint32)
            self._tables.append((hashes, codes, unknown))
            code = _next_code(code)
        tests: dict[tuple, int] = {}
        for _, steps in self._patterns:
            for step in steps:
                for test, _ in _other_tests(step):
                    tests.setdefault(test, len(tests))
        self._tests = tests if len(tests) <= MAX_MASK_TESTS else {}
        from spacy import attrs

        # what Doc.to_array reads: the three attributes, then each flag test's attribute
        flags = [test for test in self._tests if test[0] != "regex"]
        self._array_attrs = [attrs.LOWER, attrs.LEMMA, attrs.ORTH] + [
            attrs.SENT_START if test[0] == "sent" else getattr(attrs, test[1]) for test in flags
        ]
        self._flag_columns = [(3 + column, self._tests[test]) for column, test in enumerate(flags)]
        # per attribute: (bit, regex, results cached per word hash) of each regex test
        self._regex_tests: dict[int, list] = {}
        for test, bit in self._tests.items():
            if test[0] == "regex":
                self._regex_tests.setdefault(test[1], []).append((bit, test[2], {}))
        if code <= 0xD7FF < code + 2 ** len(self._tests):
            code = 0xE000
        if code + 2 ** len(self._tests) > _LAST_CODE:
            raise TooManyWords("the patterns name more than a million distinct words")
        self._mask_base = code
        self._any.append(f"[{re.escape(chr(code))}-{re.escape(chr(code + 2 ** len(self._tests) - 1))}]")
        exact: dict[tuple[str, int, int], list[tuple]] = {}
        checked: dict[tuple[str, int], list[tuple]] = {}
        for key, steps in self._patterns:
            if sum(step.low for step in steps) > MAX_SPAN:
                continue  # never matches: no match is longer than MAX_SPAN
            masked = bool(self._tests) and any(_other_tests(step) for step in steps)
            lead = steps[0].attr if steps[0].values is not None else MASK if masked and _other_tests(steps[0]) else LOWER
            order = _ORDER_OF[(masked, lead)]
            first, parts, is_exact, cost = self._plan(steps, order)
            checks = tuple(_Check(s.attr, self._codes_of(s.attr, s.values), s.low, s.high, s.plain, s) for s in steps)
            if is_exact:
                length = sum(step.low for step in steps)
                exact.setdefault((key, order, length), []).append((first, parts, cost, checks))
            else:
                checked.setdefault((key, order), []).append((first, parts, cost, checks))
        regexes = []

        def firsts(alts) -> "frozenset[int] | None":
            codes = [first[0] if first else None for first, *_ in alts]
            return None if any(c is None for c in codes) else frozenset().union(*codes)

        groups = [(key, order, length, alts) for (key, order, length), alts in exact.items()]
        groups += [(key, order, 0, alts) for (key, order), alts in checked.items()]
        for key, order, length, alts in groups:
            anywhere = tuple(a[3] for a in alts if not a[0] or a[0][0] is None)
            by_code: dict[int, list] = {}
            for first, _, _, checks in alts:
                for code in first[0] if first and first[0] is not None else ():
                    by_code.setdefault(code, []).append(checks)
            by_code_t = {code: tuple(found) + anywhere for code, found in by_code.items()}
            regexes.append(_Regex(key, order, alts, length, by_code_t, anywhere, self._alternation_cost(alts), firsts(alts)))
        self._regexes = regexes
        self._compiled: list = [None] * len(regexes)
        self._uses = [0] * len(regexes)  # paragraphs each regex was needed in, until it is compiled
        self._orders = sorted({r.order for r in regexes})
        # which regexes can start at a code: per lead attribute, code -> bit set of regex indices
        self._always = 0  # regexes that may start anywhere
        self._starting: dict[int, dict[int, int]] = {}
        for index, rx in enumerate(regexes):
            if rx.firsts is None:
                self._always |= 1 << index
                continue
            by_code = self._starting.setdefault(ORDERS[rx.order][0], {})
            for code in rx.firsts:
                by_code[code] = by_code.get(code, 0) | 1 << index
        # one table for the three attributes: a word's hash, salted by attribute
        salted = [(int(h) ^ _SALTS[attr], int(c)) for attr, (hashes, codes, _) in enumerate(self._tables) for h, c in zip(hashes, codes)]
        salted.sort()
        self._salted = np.array([h for h, _ in salted], dtype=np.uint64)
        self._salted_codes = np.array([c for _, c in salted] or [0], dtype=np.uint32)
        self._salts = np.array(_SALTS, dtype=np.uint64)
        self._unknown = np.array([unknown for _, _, unknown in self._tables], dtype=np.uint32)

    def _codes_of(self, attr: int, values) -> "frozenset[int] | None":
        if values is None:
            return None
        memo = self._memo.get((attr, values))
        if memo is None:  # phrases' alternatives repeat the same word sets many times over
            memo = self._memo[(attr, values)] = frozenset(self._code[attr][v] for v in values)
        return memo

    def _token(self, step: Step, order: int) -> "list[frozenset[int] | None] | None":
        """The codes a token the step accepts may have, per attribute in ``order``'s order (None:
        any), or None if no token can pass. Regex, flag and sentence-start tests are in the mask
        when ``order`` has one, else left to the check."""
        tests: dict[int, frozenset[int]] = {}
        for attr, values, _ in ((step.attr, step.values, None), *step.more):
            if values is not None:
                codes = self._codes_of(attr, values)
                tests[attr] = tests[attr] & codes if attr in tests else codes
        if MASK in ORDERS[order]:
            wanted = tuple((self._tests[test], want) for test, want in _other_tests(step))
            if wanted:
                tests[MASK] = self._memo.get(wanted) or self._memo.setdefault(wanted, frozenset(
                    self._mask_base + m for m in range(2 ** len(self._tests)) if all((m >> bit & 1) == want for bit, want in wanted)
                ))  # fmt: skip
        if any(not codes for codes in tests.values()):
            return None
        return [tests.get(attr) for attr in ORDERS[order]]

    def _class(self, codes: "frozenset[int] | None") -> str:
        """A character class; an attribute not tested is any character: a match stays on the
        tokens' boundaries because it starts on one (see _plan), and classes cost ``re`` to compile."""
        if codes is None:
            return "."
        spelt = self._memo.get(codes)
        if spelt is None:
            spelt = self._memo[codes] = _charset(codes)
        return spelt

    def _plan(self, steps: tuple[Step, ...], order: int):
        """(first, parts, exact, cost) of a pattern's regex. ``parts``: (token codes, low, high)
        repeats; ``first``: None when the pattern may start with an optional token, else a 1-tuple
        of the codes its first character may have (None: any).

        ``exact``: the regex matches exactly the pattern. Otherwise it matches a superset of its
        starts: a run of several optional or repeated tokens becomes one gap of any tokens, and the
        regex stops before a repeat that would take its choices past :data:`MAX_WAYS`. ``cost``
        bounds one attempt at one token: choices times tokens."""
        spelt = MASK in ORDERS[order]  # every test is in the mask (else no test is)
        is_exact = all((step.plain or spelt) and step.low == step.high for step in steps)
        any_token = [None] * len(ORDERS[order])
        parts: list = []
        ways, span, i = 1, 0, 0
        while i < len(steps):
            step, j = steps[i], i + 1
            if step.low != step.high:
                while j < len(steps) and steps[j].low != steps[j].high:
                    j += 1
            if j - i == 1:
                token, low, high = self._token(step, order), step.low, step.high
            else:
                token = any_token
                low = sum(s.low for s in steps[i:j])
                high = min(MAX_SPAN, sum(s.high for s in steps[i:j]))
            if ways * (high - low + 1) > MAX_WAYS:
                break  # never for an exact pattern: it has no choices
            ways *= high - low + 1
            span += high
            parts.append((token, low, high))
            i = j
        if not parts:  # even the first repeat has too many choices: look everywhere
            return None, [], False, 1
        token, low, _ = parts[0]
        first = (token[0],) if token is not None and low >= 1 else None
        return first, parts, is_exact, ways * max(span, 1)

    def _rest(self, first, parts: list) -> str:
        """The regex after its first character (all of it when ``first`` is None)."""

        def spell(token) -> str:
            return "(?!)" if token is None else "".join(self._class(codes) for codes in token)

        if not parts:
            return ""
        (token, low, high), more = parts[0], parts[1:]
        if first is not None:
            head = "".join(self._class(codes) for codes in token[1:]) + _repeat(spell(token), low - 1, high - 1)
        else:
            head = _repeat(spell(token), low, high)
        return head + "".join(_repeat(spell(t), lo, hi) for t, lo, hi in more)

    @staticmethod
    def _alternation_cost(alts: list) -> int:
        """The worst-case cost of one attempt at one token of the regex for several patterns'
        (first, parts, cost, ...): with the lookbehind dispatch of :meth:`_alternation`, what the
        patterns that can start at one code cost."""
        if any(first is None or first[0] is None for first, *_ in alts):
            return sum(cost for _, _, cost, *_ in alts) + len(alts)
        at_code: dict[int, int] = {}
        for first, _, cost, *_ in alts:
            for code in first[0]:
                at_code[code] = at_code.get(code, 0) + cost
        return max(at_code.values()) + len(alts)

    def _alternation(self, alts: list, order: int) -> str:
        """One regex for several patterns' (first, parts, ...). When each starts with a class, the
        regex starts with their union, so that ``re`` skips to it, and a lookbehind per class
        picks the patterns of the character found."""
        lead = self._any[ORDERS[order][0]]

        def first_class(first) -> str:
            return lead if first[0] is None else self._class(first[0])

        if any(first is None for first, *_ in alts):  # start on a token's first character
            regex = "|".join(f"(?:{first_class(first) if first else ''}{self._rest(first, parts)})" for first, parts, *_ in alts)
            return f"(?={lead})(?:{regex})"
        by_first: dict[str, list[str]] = {}
        for first, parts, *_ in alts:
            by_first.setdefault(first_class(first), []).append(self._rest(first, parts))
        groups = {cls: rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")" for cls, rests in by_first.items()}
        if len(groups) == 1:
            ((cls, group),) = groups.items()
            return cls + group
        codes = [first[0] for first, *_ in alts]
        union = lead if any(c is None for c in codes) else _charset(frozenset().union(*codes))
        return union + "(?:" + "|".join(f"(?<={cls}){group}" for cls, group in groups.items()) + ")"

    # --- matching ------------------------------------------------------------------------

    def _strings(self, doc) -> tuple:
        """The Doc's codes, an (n, 4) array (per token: lower, lemma, text, mask), and its string in
        each order needed (None for the others)."""
        return self._spell(doc.to_array(self._array_attrs), doc.vocab)  # one call: lower, lemma, text, flags

    def _spell(self, raw, vocab, barriers=None) -> tuple:
        """:meth:`_strings` of the rows of ``Doc.to_array(self._array_attrs)``; the rows at
        ``barriers`` (indices) are spelt :data:`BARRIER`, a token no pattern matches."""
        import numpy as np

        n = len(raw)
        hashes = raw[:, :3] ^ self._salts
        table = self._salted
        codes = np.empty((n, 4), dtype=np.uint32)
        if len(table):
            at = np.searchsorted(table, hashes)
            at[at == len(table)] = 0
            codes[:, :3] = np.where(table[at] == hashes, self._salted_codes[at], self._unknown)
        else:
            codes[:, :3] = self._unknown
        mask = np.zeros(n, dtype=np.uint32)
        for column, bit in self._flag_columns:
            mask |= (raw[:, column] == 1).astype(np.uint32) << bit
        if self._regex_tests:
            strings = vocab.strings
            for attr, tests in self._regex_tests.items():
                column = raw[:, attr]
                passed: dict[int, list[int]] = {}
                for h in set(column.tolist()):  # each distinct word once, and once per run
                    for bit, regex, results in tests:
                        result = results.get(h)
                        if result is None:
                            if len(results) > REGEX_CACHE:
                                results.clear()
                            result = results[h] = regex.search(strings[h]) is not None
                        if result:
                            passed.setdefault(bit, []).append(h)
                for bit, words in passed.items():
                    mask |= np.isin(column, np.array(words, dtype=np.uint64)).astype(np.uint32) << bit
        codes[:, MASK] = self._mask_base + mask
        if barriers is not None:
            codes[barriers] = ord(BARRIER)
        out: list[str | None] = [None] * len(ORDERS)
        for order in self._orders:
            out[order] = np.ascontiguousarray(codes[:, ORDERS[order]]).tobytes().decode("utf-32-le")
        return codes, out

    def _selected(self, codes) -> int:
        """The regexes (a bit per regex) that can start on some row of ``codes``: those that may
        start anywhere, and those whose first word's code occurs there."""
        selected = self._always
        for lead, by_code in self._starting.items():
            for code in set(codes[:, lead].tolist()):
                selected |= by_code.get(code, 0)
        return selected

    def match(self, doc, budget: int | None = None) -> tuple[set[tuple[str, int, int]], bool]:
        """(matches, complete): ``complete`` is False when a work budget ran out (the matches found
        until then are returned). ``budget`` is the checks' (token tests); the regexes have their
        own, charged for each regex its worst case over the paragraph before it runs."""
        if self._regexes is None:
            self.compile()
        found: set[tuple[str, int, int]] = set()
        n = len(doc)
        if not n or not self._regexes:
            return found, True
        codes, strings = self._strings(doc)
        work = [WORK_PER_TOKEN * n + WORK_BASE if budget is None else budget]
        regex_work = REGEX_WORK_PER_TOKEN * n + REGEX_WORK_BASE
        words = None
        tokens: dict[int, Word] = {}

        def real(i: int) -> Word:
            if i not in tokens:
                t = doc[i]
                tokens[i] = (t.lower_, t.lemma_, t.text, bool(t.is_sent_start), t)
            return tokens[i]

        try:
            selected = self._selected(codes)  # the regexes whose first words are in the paragraph
            regexes, compiled, uses = self._regexes, self._compiled, self._uses
            starts = None  # per lead attribute: code -> the tokens with it (for _walk)
            while selected:
                low = selected & -selected
                selected ^= low
                index = low.bit_length() - 1
                rx, regex = regexes[index], compiled[index]
                if regex is None:
                    if n <= WALK_TOKENS and uses[index] < COMPILE_AFTER:  # not worth compiling for
                        uses[index] += 1
                        if words is None:
                            words = codes.tolist()
                        if starts is None:
                            starts = {}
                        by_code = starts.get(ORDERS[rx.order][0])
                        if by_code is None:
                            by_code = starts[ORDERS[rx.order][0]] = _positions(codes[:, ORDERS[rx.order][0]].tolist())
                        _walk(rx, by_code, n, words, real, work, found)
                        continue
                    regex = compiled[index] = re.compile(self._alternation(rx.alts, rx.order))
                regex_work -= rx.cost * n
                if regex_work < 0:
                    return found, False
                string, key, length = strings[rx.order], rx.key, rx.length
                width = len(ORDERS[rx.order])  # characters per token
                if length == 1:  # one-token matches cannot overlap
                    found.update((key, m.start() // width, m.start() // width + 1) for m in regex.finditer(string))
                    continue
                search = regex.search
                m = search(string)
                while m is not None:
                    at = m.start()
                    start = at // width  # every match starts at a token: each attribute has its own codes
                    if start >= n:
                        break
                    if length:
                        found.add((key, start, start + length))
                    else:
                        if words is None:
                            words = codes.tolist()
                        for steps in rx.checked.get(ord(string[at]), rx.checked_anywhere) if at < len(string) else rx.checked_anywhere:
                            for end in _ends(steps, start, words, real, work):
                                if end > start:  # spaCy never reports an empty match
                                    found.add((key, start, end))
                    m = search(string, at + width)
        except BudgetExceeded:
            return found, False
        return found, True

    def match_many(self, docs, budgets: list[int]) -> list[tuple[set[tuple[str, int, int]], bool]]:
        """:meth:`match` of each Doc (``budgets[i]`` is Doc ``i``'s), with the same results, found
        in one go: the Docs are spelt as one string with a :data:`BARRIER` token between them, and
        each regex runs once over it. Per Doc, a regex search and the Python around it cost about
        what a whole short paragraph's spelling does, and only one search in twenty finds anything.

        Each Doc keeps its own budgets. A Doc whose regex budget could run out (the rule set's
        regexes together cost more per token than :data:`REGEX_WORK_PER_TOKEN`), or whose check
        budget does run out, is matched again on its own by :meth:`match`, which says where it stopped."""
        import numpy as np

        if self._regexes is None:
            self.compile()
        results: list = [None] * len(docs)
        regex_cost = sum(rx.cost for rx in self._regexes)
        batched: list[int] = []
        for d, doc in enumerate(docs):
            n = len(doc)
            if not n or not self._regexes:
                results[d] = (set(), True)
            elif regex_cost * n > REGEX_WORK_PER_TOKEN * n + REGEX_WORK_BASE:
                results[d] = self.match(doc, budgets[d])
            else:
                batched.append(d)
        if not batched:
            return results
        group = [docs[d] for d in batched]
        layout = _Layout(group, [len(doc) for doc in group])
        width_attrs = len(self._array_attrs)
        barrier_row = np.zeros((1, width_attrs), dtype=np.uint64)
        rows = []
        for doc in group:
            rows.append(doc.to_array(self._array_attrs).reshape(-1, width_attrs))
            rows.append(barrier_row)
        codes, strings = self._spell(np.concatenate(rows), group[0].vocab, layout.stop)
        total = len(codes)
        found: list[set] = [set() for _ in group]
        work = [[budgets[d]] for d in batched]
        spent = [False] * len(group)  # the Doc's check budget ran out: matched again on its own
        words = None
        doc_of, stop_of, base = layout.doc_of, layout.stop, layout.base
        longest = max(len(doc) for doc in group)

        def check(rx, start: int, candidates) -> None:
            d = doc_of[start]
            if spent[d]:
                return
            try:
                for steps in candidates:
                    for end in _ends(steps, start, words, layout.real, work[d], stop_of[d]):
                        if end > start:  # spaCy never reports an empty match
                            found[d].add((rx.key, start - base[d], end - base[d]))
            except BudgetExceeded:
                spent[d] = True

        selected = self._selected(codes)  # the regexes whose first words are in some Doc
        regexes, compiled, uses = self._regexes, self._compiled, self._uses
        starts = None  # per lead attribute: code -> the rows with it (for walking)
        while selected:
            low = selected & -selected
            selected ^= low
            index = low.bit_length() - 1
            rx, regex = regexes[index], compiled[index]
            if words is None and (regex is None or not rx.length):
                words = codes.tolist()
            if regex is None:
                # as match does per paragraph: walk while few paragraphs have needed the regex
                if longest <= WALK_TOKENS and uses[index] + len(group) <= COMPILE_AFTER:
                    uses[index] += len(group)
                    if starts is None:
                        starts = {}
                    lead = ORDERS[rx.order][0]
                    if lead not in starts:
                        starts[lead] = _positions(codes[:, lead].tolist())
                    at = range(total) if rx.firsts is None else sorted(
                        i for code, rows_ in starts[lead].items() if code in rx.firsts for i in rows_
                    )  # fmt: skip
                    for start in at:
                        if start < stop_of[doc_of[start]]:  # not a barrier row
                            check(rx, start, rx.checked.get(words[start][lead], rx.checked_anywhere))
                    continue
                regex = compiled[index] = re.compile(self._alternation(rx.alts, rx.order))
            string, key, length = strings[rx.order], rx.key, rx.length
            width = len(ORDERS[rx.order])  # characters per token
            if length:  # every match is one: (start, start + length)
                for m in regex.finditer(string) if length == 1 else _overlapping(regex, string, width):
                    start = m.start() // width
                    d = doc_of[start]
                    found[d].add((key, start - base[d], start - base[d] + length))
                continue
            m = regex.search(string)
            while m is not None:
                at = m.start()
                start = at // width  # every match starts at a token: each attribute has its own codes
                check(rx, start, rx.checked.get(ord(string[at]), rx.checked_anywhere))
                m = regex.search(string, at + width)
        for i, d in enumerate(batched):
            results[d] = self.match(docs[d], budgets[d]) if spent[i] else (found[i], True)
        return results


class _Layout:
    """Several Docs spelt as one string: Doc ``d``'s tokens are rows ``base[d]`` to ``stop[d]`` of
    the codes, each Doc followed by one barrier row; ``doc_of[row]`` says whose a row is."""

    def __init__(self, docs, sizes: list[int]) -> None:
        self.docs = docs
        self.base: list[int] = []
        self.stop: list[int] = []
        self.doc_of: list[int] = []
        at = 0
        for d, n in enumerate(sizes):
            self.base.append(at)
            self.stop.append(at + n)
            self.doc_of.extend([d] * (n + 1))
            at += n + 1
        self._tokens: dict[int, Word] = {}

    def real(self, row: int) -> Word:
        """The token at ``row`` as the checks read it (see :data:`Word`)."""
        word = self._tokens.get(row)
        if word is None:
            d = self.doc_of[row]
            t = self.docs[d][row - self.base[d]]
            word = self._tokens[row] = (t.lower_, t.lemma_, t.text, bool(t.is_sent_start), t)
        return word


def _overlapping(regex: "re.Pattern", string: str, width: int):
    """Every match of ``regex`` starting at a token, overlapping ones too (a search from each
    match's token on)."""
    m = regex.search(string)
    while m is not None:
        yield m
        m = regex.search(string, m.start() + width)


def _positions(codes: list[int]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for i, code in enumerate(codes):
        out.setdefault(code, []).append(i)
    return out


def _walk(rx: _Regex, by_code: dict[int, list[int]], n: int, words: list, real, work: list[int], found: set) -> None:
    """A regex's patterns matched without it: from every token holding one of their first words
    (every token if one may start anywhere), by the position-set walk."""
    if rx.firsts is None:
        at = range(n)
    else:
        firsts = rx.firsts
        at = sorted(i for code, tokens in by_code.items() if code in firsts for i in tokens)
    key, checked, anywhere = rx.key, rx.checked, rx.checked_anywhere
    lead = ORDERS[rx.order][0]
    for start in at:
        for steps in checked.get(words[start][lead], anywhere):
            for end in _ends(steps, start, words, real, work):
                if end > start:
                    found.add((key, start, end))


def _other_tests(step: Step) -> list[tuple[tuple, bool]]:
    """The step's tests that are not words, as (test, wanted): ("regex", attribute, compiled),
    ("sent",) and ("flag", name)."""
    out: list[tuple[tuple, bool]] = []
    if step.regex is not None:
        out.append((("regex", step.attr, step.regex), True))
    out.extend((("regex", attr, regex), True) for attr, _, regex in step.more if regex is not None)
    if step.sent_start is not None:
        out.append((("sent",), step.sent_start))
    out.extend((("flag", name), wanted) for name, wanted in step.flags)
    return out


def _accepts(step: Step, word: Word) -> bool:
    if step.values is not None and word[step.attr] not in step.values:
        return False
    if step.regex is not None and step.regex.search(word[step.attr]) is None:
        return False
    if step.sent_start is not None and word[3] != step.sent_start:
        return False
    for attr, values, regex in step.more:
        if values is not None and word[attr] not in values:
            return False
        if regex is not None and regex.search(word[attr]) is None:
            return False
    for flag, wanted in step.flags:
        if bool(getattr(word[4], flag.lower())) != wanted:
            return False
    return True


def _ends(steps: tuple[_Check, ...], start: int, words: list, real, work: list[int], stop: int | None = None) -> set[int]:
    """Every token index where the pattern can end, having started at ``start``.

    ``words`` holds each token's codes (lower, lemma, text); ``real(i)`` the token's :data:`Word`,
    for the tests that are not codes (regexes, flags, sentence starts).

    Keeps the set of positions reachable after each step (never the paths to them) and never goes
    past ``start + MAX_SPAN``. Per step, each token of that window is tested at most once (how many
    tokens in a row from each position pass the step's test), and each test is charged to ``work``:
    at most MAX_SPAN tests per step per start, whatever the operators."""
    limit = min(len(words) if stop is None else stop, start + MAX_SPAN)
    at, i, count = start, 0, len(steps)
    spent = 0
    # One position and steps of exactly one token: most patterns fail here, on their second word.
    while i < count:
        step = steps[i]
        if step.low != 1 or step.high != 1:
            break
        if at >= limit:
            work[0] -= spent
            return set()
        spent += 1
        values = step.values
        if (values is not None and words[at][step.attr] not in values) or (not step.plain and not _accepts(step.step, real(at))):
            work[0] -= spent
            if work[0] < 0:
                raise BudgetExceeded
            return set()
        at += 1
        i += 1
    single = True  # while only one position is reachable it is ``at``; else ``positions``
    positions: set[int] = set()
    for step in steps[i:]:
        low, high, values, attr, plain = step.low, step.high, step.values, step.attr, step.plain
        if single:  # scan forward from the one position: how many tokens in a row pass
            taken = 0
            while taken < high and at + taken < limit:
                spent += 1
                if (values is not None and words[at + taken][attr] not in values) or (not plain and not _accepts(step.step, real(at + taken))):
                    break
                taken += 1
            if taken < low:
                positions, single = set(), False
                break
            if taken == low:
                at += low
            else:
                positions, single = set(range(at + low, at + taken + 1)), False
            continue
        first = min(positions)
        end = min(limit, max(positions) + high)  # no position can get past this
        # run[q - first]: how many tokens from q on pass the step's test (counting stops at end)
        run = [0] * (end - first + 1)
        for q in range(end - 1, first - 1, -1):
            spent += 1
            if (values is None or words[q][attr] in values) and (plain or _accepts(step.step, real(q))):
                run[q - first] = run[q + 1 - first] + 1
        reached: set[int] = set()
        for at in positions:
            taken = min(high, run[at - first])
            if taken >= low:
                reached.update(range(at + low, at + taken + 1))
        positions = reached
        if not reached:
            break
    work[0] -= spent
    if work[0] < 0:
        raise BudgetExceeded
    return {at} if single else positions
