"""Kind ``signoff``: the letter has no closing (``check: closing``) or no signature (``check: signature``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Rule
from . import options as o
from .base import CheckResult, Context, Kind, finding


@dataclass(frozen=True)
class Options:
    check: str = o.choice(("closing", "signature"))


def check(rule: Rule, ctx: Context) -> CheckResult:
    part = ctx.letter.closing if rule.options.check == "closing" else ctx.letter.signature
    return CheckResult() if part is not None else CheckResult((finding(rule, None),))


KIND = Kind("signoff", check, Options, suggests=lambda rule: rule.options.check)  # "closing" or "signature"
