"""Kind ``mentions``: when front matter names the company, role or interviewer, the letter should too."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..about import FRONT_MATTER
from ..model import Rule
from . import options as o
from .base import CheckResult, Context, Kind, finding

_SLOT = {"company": "company", "role": "role", "interviewer": "reader"}


@dataclass(frozen=True)
class Options:
    #: what front matter names (as lintletter/about.py reads it) that the letter should name too
    field: str = o.choice(_SLOT)

#: A company, role or name longer than this is cut here before it is looked for.
MAX_VALUE = 200

# Words in a person's name that do not identify them.
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "jr", "sr", "ii", "iii"}


def check(rule: Rule, ctx: Context) -> CheckResult:
    letter = ctx.letter
    if letter.is_template:
        return CheckResult()
    # what front matter says the letter is about (a value read from the letter is in it by definition)
    fact = ctx.about.get(_SLOT[rule.options.field]) if ctx.about is not None else None
    if fact is None or fact.source != FRONT_MATTER:
        return CheckResult()
    value = fact.value.strip()[:MAX_VALUE]  # each variant is one scan of the letter: keep their number small
    # Everything the reader sees: the letter minus front matter and quoted history.
    start = letter.front_matter_span.end if letter.front_matter_span else 0
    end = letter.quote.start if letter.quote else len(letter.text)
    seen = letter.text[start:end].lower()
    if rule.options.field == "interviewer":
        names = [w for w in re.findall(r"[^\W\d_]+", value.lower()) if w not in _TITLES and len(w) > 1]
        found = any(re.search(rf"\b{re.escape(n)}\b", seen) for n in names)
    else:
        found = any(re.search(rf"(?<!\w){re.escape(v)}(?!\w)", seen) for v in _variants(value, first_word=rule.options.field == "company"))
    if found:
        return CheckResult()
    message = rule.message_for().format(value=value.strip())
    return CheckResult((finding(rule, letter.front_matter_span, message=message),))


_SUFFIXES = {"inc", "inc.", "llc", "ltd", "ltd.", "plc", "gmbh", "co", "co.", "corp", "corp.", "the", "&", "and"}


def _variants(value: str, first_word: bool) -> list[str]:
    """Ways a letter may name a company or role: in full, its first distinctive word, or the part
    before a comma ("Calloway Strategy Partners" -> "calloway"; "Senior Consultant, Operations" ->
    "senior consultant")."""
    full = value.strip().lower()
    out = [full]
    for part in re.split(r"\s*(?:,|\(|\)|/|;|\s[-–—]\s)\s*", full):
        if len(part) >= 4:
            out.append(part)
    words = [w for w in full.split() if w not in _SUFFIXES]
    if first_word and words and len(words[0]) >= 4:
        out.append(words[0])
    return out


KIND = Kind("mentions", check, Options)
