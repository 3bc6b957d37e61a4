"""Output formats. Each module exposes ``render(run) -> str``; formatters never see rules or spaCy."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from ..model import Report


@dataclass(frozen=True)
class Run:
    """What one `lintletter check` produced: reports in input order, and inputs that failed."""

    reports: tuple[Report, ...]
    errors: tuple[InputError, ...] = ()
    color: bool = False
    quiet: bool = False


FORMATS = ("text", "json")


def render(name: str, run: Run) -> str:
    if name == "json":
        from . import json as fmt
    else:
        from . import text as fmt
    return fmt.render(run)
