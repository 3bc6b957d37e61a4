"""Kind ``register``: text-speak and a letter typed without capitals.

A letter to an interviewer is read as a professional letter. "thx u", "wud", "pls", or a body with
no capital letters at all (names and the pronoun "I" included) reads as a text message. The rule
speaks once: at the first sentence with a ``match`` cue when the letter has at least ``min_count``
of them (chat words, not sentences), or else at the first sentence when ``lowercase`` is set and the body is typed without
capitals (at least ``min_sentences`` sentences, none starting with a capital letter, and a
lower-case "i" as a word).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Rule
from . import options as o
from .base import CheckResult, Context, Kind, finding, first_satisfied, spans_of

DEFAULT_REGIONS = ("body", "ps")


@dataclass(frozen=True)
class Options:
    #: chat-word groups
    match: o.Conjunctions = o.conjunctions()
    regions: tuple[str, ...] = o.regions(DEFAULT_REGIONS)
    #: chat words in the letter that make it speak
    min_count: int = o.count(1)
    #: also flag a body typed without capitals
    lowercase: bool = o.flag()
    min_sentences: int = o.count(2)
_LOWER_I = re.compile(r"(?<![\w'’])i(?![\w'’])|(?<![\w'’])i(?=['’](?:m|ve|ll|d)\b)")


def _matches(ctx: Context, rule: Rule, sentence) -> int:
    """How many cue matches the sentence has for the groups of the first ``match`` conjunction it satisfies."""
    for conj in rule.options.match:
        if first_satisfied(ctx, rule, sentence, [conj]) is not None:
            return max(len(spans_of(ctx, rule, sentence, name)) for name in conj)
    return 0


def check(rule: Rule, ctx: Context) -> CheckResult:
    opts: Options = rule.options
    sentences = list(ctx.analysed.in_regions(opts.regions))
    text = ctx.letter.text
    # count the chat words themselves, so "thx 4 the chance, wud love 2 kno" (one sentence) counts
    hits = [(s, n) for s in sentences if (n := _matches(ctx, rule, s)) > 0]
    if hits and sum(n for _, n in hits) >= opts.min_count:
        return CheckResult((finding(rule, hits[0][0].span),))
    if opts.lowercase and len(sentences) >= opts.min_sentences:
        bodies = [text[s.span.start : s.span.end] for s in sentences]
        starts = [next((c for c in b if c.isalpha()), "") for b in bodies]
        no_capitals = all(c.islower() for c in starts if c)
        if no_capitals and any(_LOWER_I.search(b) for b in bodies):
            return CheckResult((finding(rule, sentences[0].span),))
    return CheckResult()


KIND = Kind("register", check, Options)
