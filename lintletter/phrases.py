"""The cue-phrase grammar, in one place: a phrase's text -> its typed words, or a :class:`PhraseError`.

A phrase is words separated by spaces; each word is one of::

    could               a plain word (matched lower-cased)
    ~ask                a lemma word (any inflection)
    firm|~company       alternatives; a tilde on the word, or on one alternative, means lemmas
    a_few|several       "a_few" is one alternative of two tokens
    not?                an optional word (the ``?`` is on the whole word)
    *2                  up to N tokens of anything, N from 1 to 9

The rule loader (:mod:`lintletter.cuegroups`) reports a :class:`PhraseError`'s messages with the
file, line and field; the compiler (:mod:`lintletter.cues`) turns the parsed words into Matcher
tokens against the pipeline's tokenizer and lemma table. Parses are memoised: each phrase is read
once however often it is checked or compiled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: A phrase's ``*N`` word: up to N tokens of anything.
WILDCARD = re.compile(r"^\*(\d+)$")
MAX_GAP = 9


class PhraseError(ValueError):
    """A phrase that does not parse; ``messages`` has one line per bad word (or the empty phrase)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = tuple(messages)


@dataclass(frozen=True)
class Alternative:
    """One alternative of a word: its pieces (``a_few`` -> ``("a", "few")``, each tokenized like the
    letter is when compiled) and whether they are matched as lemmas."""

    pieces: tuple[str, ...]
    lemma: bool


@dataclass(frozen=True)
class PhraseWord:
    """A word of a phrase: a gap of up to ``gap`` tokens (``*N``), or ``alternatives``, maybe optional."""

    alternatives: tuple[Alternative, ...] = ()
    optional: bool = False
    gap: int = 0


def parse_phrase(text: str) -> tuple[PhraseWord, ...]:
    """The words of a phrase; raises :class:`PhraseError` naming every bad word."""
    return _parse(text)


@lru_cache(maxsize=4096)  # the built-in rules hold ~800 phrases; a server reloading rules stays bounded
def _parse(text: str) -> tuple[PhraseWord, ...]:
    words = text.split()
    if not words:
        raise PhraseError(["empty pattern"])
    parsed: list[PhraseWord] = []
    problems: list[str] = []
    for w in words:
        try:
            parsed.append(_word(w))
        except PhraseError as exc:
            problems.extend(exc.messages)
    if problems:
        raise PhraseError(problems)
    return tuple(parsed)


def _word(w: str) -> PhraseWord:
    wild = WILDCARD.match(w)
    if wild or w.startswith("*"):
        if not wild or not 1 <= int(wild.group(1)) <= MAX_GAP:
            raise PhraseError([f"wildcard {w!r} must be '*N' with N from 1 to {MAX_GAP}"])
        return PhraseWord(gap=int(wild.group(1)))
    optional = w.endswith("?") and len(w) > 1
    core = w[:-1] if optional else w
    lemma_word = core.startswith("~")
    alts = core[1:].split("|") if lemma_word and len(core) > 1 else core.split("|")
    if "|" in core and any(not alt for alt in alts):
        raise PhraseError([f"empty alternative in {w!r}"])
    alternatives = []
    for alt in core.split("|"):
        is_lemma = lemma_word or alt.startswith("~")
        alt = alt.lstrip("~")
        alternatives.append(Alternative(tuple(piece for piece in alt.split("_") if piece), is_lemma))
    return PhraseWord(tuple(alternatives), optional)
