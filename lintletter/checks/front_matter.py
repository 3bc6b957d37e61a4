"""Kind ``front_matter``: the letter's YAML front matter could not be read."""

from __future__ import annotations

from ..model import Rule
from .base import CheckResult, Context, Kind, finding
from .options import NoOptions


def check(rule: Rule, ctx: Context) -> CheckResult:
    letter = ctx.letter
    if letter.front_matter_error is None:
        return CheckResult()
    message = f"{rule.message_for()}: {letter.front_matter_error}"
    return CheckResult((finding(rule, letter.front_matter_span, message=message),))


KIND = Kind("front_matter", check, NoOptions)
