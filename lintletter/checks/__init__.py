"""Rule kinds: one module each, holding its options, its check and its policy (a :class:`Kind`).
This table is the registry: the rule loader reads a kind's options through it, the Linter its check
and flags. Adding a kind is one module and one line here (see rules/README.md, "Adding a kind").
"""

from __future__ import annotations

from .. import analysis
from . import base
from . import (
    context, document, front_matter, inputs, length, mentions, phrase, register, required, salutation, section,
    signoff, suppression,
)  # fmt: skip
from .base import CheckResult, Context, Kind, NoLetter

KINDS: dict[str, Kind] = {
    "section": section.KIND,
    "phrase": phrase.KIND,
    "required": required.KIND,
    "salutation": salutation.KIND,
    "signoff": signoff.KIND,
    "length": length.KIND,
    "front_matter": front_matter.KIND,
    "mentions": mentions.KIND,
    "context": context.KIND,
    "register": register.KIND,
    "input": inputs.KIND,
    "suppression": suppression.KIND,
    "document": document.KIND,
}



def lexicon_used() -> dict[str, str]:
    """The shared cue groups lintletter's code looks up by name -> what relies on each. The rule
    loader refuses a lexicon without one of them (file, line and field), and the Linter resolves
    them when it is built."""
    used = {**analysis.LEXICON, **base.LEXICON}
    for kind in KINDS.values():
        for name in kind.lexicon:
            used.setdefault(name, f"the {kind.name} kind's check")
    return used


__all__ = ["KINDS", "CheckResult", "Context", "Kind", "NoLetter", "lexicon_used"]
