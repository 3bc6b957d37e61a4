"""Titles that come before a name ("Dr. Osei", "Rev Amadi", "Ms Lee"): one list for every place that
reads names, so the greeting, the names a suggestion uses and the asides put to someone in copy all
agree on what is a title and what is a name."""

from __future__ import annotations

#: lower case, without the full stop ("Dr." and "Dr" are both "dr")
TITLES = frozenset("mr mrs ms miss mx dr prof professor sir dame madam maam ma'am rev fr".split())


def is_title(word: str) -> bool:
    """``word`` is a title, with or without its full stop."""
    return word.lower().rstrip(".") in TITLES
