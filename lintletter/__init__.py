"""lintletter: checks post-interview networking letters (after a rejection) for the six sections
a good one has, its tone and its form, and scores it.

Public API: :class:`Linter` (and :class:`LetterInput`, what its ``lint_many`` takes), :func:`lint_text`, :func:`load_ruleset`, and the report types in
:mod:`lintletter.model`. Importing this package does not import spaCy.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["Linter", "LetterInput", "lint_text", "load_ruleset", "__version__"]


def __getattr__(name: str):
    # Lazy, so `lintletter --help` and `lintletter rules` never pay for importing spaCy.
    if name in ("Linter", "LetterInput", "lint_text"):
        from . import api

        return getattr(api, name)
    if name == "load_ruleset":
        from .ruleset import load_ruleset

        return load_ruleset
    raise AttributeError(name)
