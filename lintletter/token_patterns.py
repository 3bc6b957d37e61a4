"""A small matcher for the token patterns that phrases compile to, indexed by their first word.

spaCy's ``Matcher`` starts every pattern at every token and builds a Python ``Token`` per token per
call, so with ~400 patterns it was three quarters of lintletter's run time. Almost all of our
patterns are simple: each token tests ``LOWER`` or ``LEMMA`` against a set of words, optionally with
``?`` or a ``{lo,hi}`` repeat (the phrase syntax's ``word?`` and ``*N``). For those this module looks
up, at each token, only the patterns whose first token can match it, and extends them from there
(REGEX and IS_SENT_START tests are supported too). It returns exactly the (key, start, end)
triples spaCy would (tests compare the two on the corpus); any pattern using more of spaCy's
pattern language stays with spaCy's Matcher.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Iterator

_RANGE = re.compile(r"^\{(\d*),(\d+)\}$")
LOWER, LEMMA, TEXT = 0, 1, 2
_ATTRS = {"LOWER": LOWER, "LEMMA": LEMMA, "TEXT": TEXT, "ORTH": TEXT}

#: one compiled token: (attribute, allowed values or None, regex or None, must start a sentence
#: (None: either), min count, max count)
Step = tuple[int, "frozenset[str] | None", "re.Pattern | None", "bool | None", int, int]
#: what the matcher reads of a token: (lower, lemma, text, starts a sentence)
Word = tuple[str, str, str, bool]


def words_of(doc) -> list[Word]:
    return [(t.lower_, t.lemma_, t.text, bool(t.is_sent_start)) for t in doc]


def compile_pattern(pattern: list[dict[str, Any]]) -> tuple[Step, ...] | None:
    """The pattern as steps, or None if it uses more of spaCy's pattern language than we implement:
    one of LOWER/LEMMA/TEXT/ORTH per token (a word, {"IN": [...]} or {"REGEX": ...}), IS_SENT_START,
    and the operators ``?`` and ``{lo,hi}``."""
    steps: list[Step] = []
    for token in pattern:
        if set(token) - {"LOWER", "LEMMA", "TEXT", "ORTH", "OP", "IS_SENT_START"}:
            return None
        op = token.get("OP")
        low, high = 1, 1
        if op == "?":
            low, high = 0, 1
        elif op is not None:
            bounds = _RANGE.match(op)
            if not bounds:
                return None
            low, high = int(bounds.group(1) or 0), int(bounds.group(2))
        sent_start = token.get("IS_SENT_START")
        if sent_start is not None and not isinstance(sent_start, bool):
            return None
        named = [name for name in _ATTRS if name in token]
        if len(named) > 1:
            return None  # two attributes on one token: leave it to spaCy
        attr, values, regex = LOWER, None, None
        if named:
            attr, value = _ATTRS[named[0]], token[named[0]]
            if isinstance(value, str):
                values = frozenset([value])
            elif isinstance(value, dict) and set(value) == {"IN"} and all(isinstance(v, str) for v in value["IN"]):
                values = frozenset(value["IN"])
            elif isinstance(value, dict) and set(value) == {"REGEX"} and isinstance(value["REGEX"], str):
                regex = re.compile(value["REGEX"])
            else:
                return None
        steps.append((attr, values, regex, sent_start, low, high))
    return tuple(steps) if steps else None


class FirstWordMatcher:
    """Patterns indexed by the words their first step accepts; the rest are tried at every token."""

    def __init__(self) -> None:
        self._by_first: dict[tuple[int, str], list[tuple[str, tuple[Step, ...]]]] = defaultdict(list)
        self._anywhere: list[tuple[str, tuple[Step, ...]]] = []

    def add(self, key: str, steps: tuple[Step, ...]) -> None:
        attr, values, _, _, low, _ = steps[0]
        if low >= 1 and values is not None:
            for word in values:
                self._by_first[(attr, word)].append((key, steps))
        else:
            self._anywhere.append((key, steps))

    def __call__(self, words: list[Word]) -> set[tuple[str, int, int]]:
        """All (key, start, end) matches in a paragraph given as :data:`Word` per token."""
        found: set[tuple[str, int, int]] = set()
        by_first = self._by_first
        for start, (lower, lemma, text, _) in enumerate(words):
            firsts = (by_first.get((LOWER, lower)), by_first.get((LEMMA, lemma)), by_first.get((TEXT, text)))
            for candidates in (*firsts, self._anywhere):
                if not candidates:
                    continue
                for key, steps in candidates:
                    for end in _ends(steps, 0, start, words):
                        if end > start:  # spaCy never reports an empty match
                            found.add((key, start, end))
        return found


def _ends(steps: tuple[Step, ...], step: int, at: int, words: list[Word]) -> Iterator[int]:
    """Every token index where the pattern can end, having matched steps[step:] from ``at``."""
    if step == len(steps):
        yield at
        return
    attr, values, regex, sent_start, low, high = steps[step]
    position = at
    for taken in range(high + 1):
        if taken >= low:
            yield from _ends(steps, step + 1, position, words)
        if taken == high or position >= len(words):
            return
        word = words[position]
        if values is not None and word[attr] not in values:
            return
        if regex is not None and regex.search(word[attr]) is None:
            return
        if sent_start is not None and word[3] != sent_start:
            return
        position += 1
