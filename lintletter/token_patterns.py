"""A small matcher for the token patterns that phrases compile to, indexed by their first word.

spaCy's ``Matcher`` starts every pattern at every token and builds a Python ``Token`` per token per
call, so with ~400 patterns it was three quarters of lintletter's run time. Almost all of our
patterns are simple: each token tests ``LOWER``, ``LEMMA`` or ``TEXT`` against a set of words or a
regex, and boolean flags such as ``IS_ALPHA``, optionally with an operator (``?``, ``+``, ``*``,
``{n}``, ``{lo,hi}``: the phrase syntax's ``word?`` and ``*N``). For those this module looks up, at
each token, only the patterns whose first token can match it, and extends them from there. It
returns exactly the (key, start, end) triples spaCy would (tests compare the two on the corpus),
except that no match is longer than :data:`MAX_SPAN` tokens; any pattern using more of spaCy's
pattern language stays with spaCy's Matcher.

Bounded on any input and any rule set:

* Extending a pattern keeps the *set* of token positions it can have reached after each step, not
  every way of getting there, so ``i *9 *9 *9 *9 *9 *9 *9 zzz`` costs steps x positions instead of
  10^7 paths per start.
* A match spans at most :data:`MAX_SPAN` tokens (``+`` and ``*`` stop there), so a pattern that
  matches everywhere yields O(n) matches, not O(n^2).
* Each call has a work budget proportional to its number of tokens (:data:`WORK_PER_TOKEN`); a rule
  set too costly for a text stops there and the call says so (the letter gets a note), so time
  stays linear in the text whatever the rules. The built-in rules use a small fraction of it.
"""

from __future__ import annotations

import re
from collections import defaultdict
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


#: what the matcher reads of a token: (lower, lemma, text, starts a sentence, the token itself)
Word = tuple


def words_of(doc) -> list[Word]:
    return [(t.lower_, t.lemma_, t.text, bool(t.is_sent_start), t) for t in doc]


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


class FirstWordMatcher:
    """Patterns indexed by the words their first step accepts; the rest are tried at every token."""

    def __init__(self) -> None:
        self._by_first: dict[tuple[int, str], list[tuple[str, tuple[Step, ...]]]] = defaultdict(list)
        self._anywhere: list[tuple[str, tuple[Step, ...]]] = []

    def add(self, key: str, steps: tuple[Step, ...]) -> None:
        first = steps[0]
        if first.low >= 1 and first.values is not None:
            for word in first.values:
                self._by_first[(first.attr, word)].append((key, steps))
        else:
            self._anywhere.append((key, steps))

    def __call__(self, words: list[Word]) -> set[tuple[str, int, int]]:
        """All (key, start, end) matches in a paragraph given as :data:`Word` per token."""
        return self.match(words)[0]

    def match(self, words: list[Word], budget: int | None = None) -> tuple[set[tuple[str, int, int]], bool]:
        """(matches, complete): ``complete`` is False when the work budget ran out (the matches
        found until then are returned)."""
        found: set[tuple[str, int, int]] = set()
        by_first = self._by_first
        work = [WORK_PER_TOKEN * len(words) + WORK_BASE if budget is None else budget]
        try:
            for start, word in enumerate(words):
                firsts = (by_first.get((LOWER, word[0])), by_first.get((LEMMA, word[1])), by_first.get((TEXT, word[2])))
                for candidates in (*firsts, self._anywhere):
                    if not candidates:
                        continue
                    for key, steps in candidates:
                        for end in _ends(steps, start, words, work):
                            if end > start:  # spaCy never reports an empty match
                                found.add((key, start, end))
        except BudgetExceeded:
            return found, False
        return found, True


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


def _ends(steps: tuple[Step, ...], start: int, words: list[Word], work: list[int]) -> set[int]:
    """Every token index where the pattern can end, having started at ``start``.

    Keeps the set of positions reachable after each step (never the paths to them) and never goes
    past ``start + MAX_SPAN``. Per step, each token of that window is tested at most once (how many
    tokens in a row from each position pass the step's test), and each test is charged to ``work``:
    at most MAX_SPAN tests per step per start, whatever the operators."""
    limit = min(len(words), start + MAX_SPAN)
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
        word = words[at]
        spent += 1
        values = step.values
        if (values is not None and word[step.attr] not in values) or (not step.plain and not _accepts(step, word)):
            work[0] -= spent
            if work[0] < 0:
                raise BudgetExceeded
            return set()
        at += 1
        i += 1
    single = True  # while only one position is reachable it is ``at``; else ``positions``
    positions: set[int] = set()
    for step in steps[i:]:
        low, high = step.low, step.high
        if single:  # scan forward from the one position: how many tokens in a row pass
            taken, values, attr, plain = 0, step.values, step.attr, step.plain
            while taken < high and at + taken < limit:
                word = words[at + taken]
                spent += 1
                if (values is not None and word[attr] not in values) or (not plain and not _accepts(step, word)):
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
            if _accepts(step, words[q]):
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
