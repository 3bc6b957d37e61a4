"""Kind ``suppression``: suppressions in the letter that hide nothing or name no rule.

Judged after every other rule has run, from what the letter's suppressions hid
(:func:`lintletter.suppressions.apply`), so its per-letter check says nothing. About the file, not
the letter: never scored; a stale suppression outside every letter of a document is reported once.
"""

from __future__ import annotations

from ..model import Rule
from .base import CheckResult, Context, Kind
from .options import NoOptions


def check(rule: Rule, ctx: Context) -> CheckResult:
    return CheckResult()


KIND = Kind("suppression", check, NoOptions, scored=False, after_suppressions=True, document_wide=True)
