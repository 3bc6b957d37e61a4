"""Kind ``length``: the body is shorter (``check: short``) or longer (``check: long``) than ``words``.
The message may say ``{words}`` (the body's) and ``{limit}``."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Rule
from . import options as o
from .base import CheckResult, Context, Kind, finding


@dataclass(frozen=True)
class Options:
    check: str = o.choice(("short", "long"))
    words: int = o.count(positive=True)


def check(rule: Rule, ctx: Context) -> CheckResult:
    words = ctx.analysed.body_words
    limit = rule.options.words
    too_short = rule.options.check == "short" and 0 < words < limit
    too_long = rule.options.check == "long" and words > limit
    if not (too_short or too_long):
        return CheckResult()
    message = rule.message_for().format(words=words, limit=limit)
    return CheckResult((finding(rule, None, message=message),))


KIND = Kind("length", check, Options)
