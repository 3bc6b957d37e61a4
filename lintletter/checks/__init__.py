"""Rule kinds. Each kind is one function ``check(rule, ctx) -> CheckResult``; this table is the registry.

Adding a kind: write the function, add one line here and its schema line in ``ruleset.KIND_SCHEMAS``.
"""

from __future__ import annotations

from typing import Callable

from . import context, inputs, layout, mentions, phrase, register, required, section
from .base import CheckResult, Context

KINDS: dict[str, Callable] = {
    "section": section.check,
    "phrase": phrase.check,
    "required": required.check,
    "salutation": layout.salutation,
    "signoff": layout.signoff,
    "length": layout.length,
    "front_matter": layout.front_matter,
    "mentions": mentions.check,
    "context": context.check,
    "register": register.check,
    "input": inputs.check,
    # Suppressions are judged after every other rule has run, by lintletter.suppressions.apply.
    "suppression": lambda rule, ctx: CheckResult(),
    # About a document with no letter in it (--embedded), reported by Linter.lint_documents.
    "document": lambda rule, ctx: CheckResult(),
}

__all__ = ["KINDS", "CheckResult", "Context"]
