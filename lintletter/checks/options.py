"""The kinds of option a rule kind declares, each read strictly from its rule file.

A kind's options are a frozen dataclass in its module (``checks/<kind>.py``) whose fields are made
here: ``match: Conjunctions = conjunctions()``, ``regions: tuple[str, ...] = regions(("body", "ps"))``.
Each says what YAML it takes, what is refused (with the message the rule file's author sees) and
the immutable value the check reads. Fields that name cue groups (:func:`conjunctions`,
:func:`groups`) are resolved when the rules load, so a name nothing defines is an error then.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass
from typing import Any, Iterable

from ..model import REGIONS
from ..validate import option

#: A list of conjunctions: each a tuple of cue group names that must all occur in one sentence.
Conjunctions = tuple[tuple[str, ...], ...]
_NAMES = "each condition is a non-empty list of cue group names"


def _is_names(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(n, str) for n in value)


def conjunctions(default: Any = MISSING) -> Any:
    """A list of conjunctions (``[[topic, request], [topic, $question]]``)."""
    return option(
        list, default, cues="conjunctions",
        check=lambda v: None if all(_is_names(c) for c in v) else _NAMES,
        convert=lambda v: tuple(tuple(c) for c in v),
    )  # fmt: skip


def groups() -> Any:
    """A non-empty list of cue group names (``negation: [topic]``)."""
    return option(list, (), cues="groups", check=lambda v: None if _is_names(v) else _NAMES, convert=tuple)


def regions(default: tuple[str, ...]) -> Any:
    """Parts of the letter (:data:`~lintletter.model.REGIONS`)."""
    return option(
        list, default, convert=tuple,
        check=lambda v: None if all(r in REGIONS for r in v) else f"regions are {list(REGIONS)}",
    )  # fmt: skip


def flag() -> Any:
    return option(bool, False)


def count(default: Any = MISSING, positive: bool = False) -> Any:
    """A whole number; ``positive``: greater than 0."""
    check = (lambda v: None if v > 0 else "must be a positive whole number") if positive else None
    return option(int, default, check=check)


def fraction(default: float) -> Any:
    """A number from 0 to 1."""
    return option(
        (int, float), default, convert=float,
        check=lambda v: "must be a number from 0 to 1" if isinstance(v, bool) or not 0 <= v <= 1 else None,
    )  # fmt: skip


def choice(values: Iterable[str], default: Any = MISSING) -> Any:
    """One text of ``values``."""
    values = tuple(values)
    return option(str, default, check=lambda v: None if v in values else f"must be one of {list(values)}")


def text(default: Any = MISSING) -> Any:
    return option(str, default)


def names() -> Any:
    """A list of names the check looks up itself (``satisfied_by: [advice]``)."""
    return option(list, (), convert=tuple)


@dataclass(frozen=True)
class NoOptions:
    """The options of a kind that takes none."""
