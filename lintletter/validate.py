"""The small validation layer that rule files share: collect every problem (file, line, field) in one
pass, and decode a mapping into a frozen dataclass whose fields say how each value is read.

A field of such a dataclass is declared with :func:`option` (a default, the YAML types it accepts,
a further check and a conversion to an immutable value). :func:`decode` reads a YAML mapping into
it: a missing required field, a value of the wrong type and a value its check refuses are each
one :class:`~lintletter.errors.Problem`, and the fields that are fine are still checked, so one run
reports everything. Unknown keys are the caller's to report (a rule file has fields besides its
kind's options).
"""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING, dataclass
from typing import Any, Callable, Iterator, Mapping

from .errors import Problem
from .located import LocatedDict

_TYPE_NAMES = {str: "text", dict: "mapping", list: "list", int: "whole number", bool: "true/false", float: "number"}


def type_name(t: Any) -> str:
    """``(str, dict)`` -> "text or mapping": how a problem names the types a field accepts."""
    if isinstance(t, tuple):
        return " or ".join(_TYPE_NAMES[x] for x in t)
    return _TYPE_NAMES[t]


def is_type(value: Any, t: Any) -> bool:
    """isinstance, except that true/false is not a whole number."""
    if t is int and isinstance(value, bool):
        return False
    return isinstance(value, t)


class Collector:
    """Every problem found so far, in the order found."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int | None, fld: str | None, msg: str) -> None:
        self.problems.append(Problem(file, line, fld, msg))


@dataclass(frozen=True)
class Spec:
    """How one field is read: the YAML types it takes, then ``check`` (the problem, or None) and
    ``convert`` (to the immutable value the code reads). ``cues`` says whether it names cue groups
    ("conjunctions": a list of lists of names; "groups": a list of names), which the rule loader
    resolves against the rule's cues, the lexicon and the built-in conditions."""

    types: Any
    check: Callable[[Any], str | None] | None = None
    convert: Callable[[Any], Any] | None = None
    cues: str | None = None


def option(
    types: Any,
    default: Any = MISSING,
    *,
    check: Callable[[Any], str | None] | None = None,
    convert: Callable[[Any], Any] | None = None,
    cues: str | None = None,
) -> Any:
    """A dataclass field read by :func:`decode`; without ``default`` it is required."""
    spec = Spec(types, check, convert, cues)
    return dataclasses.field(default=default, metadata={"spec": spec})


def specs(cls: type) -> dict[str, Spec]:
    """Field name -> :class:`Spec`, in declaration order."""
    return {f.name: f.metadata["spec"] for f in dataclasses.fields(cls) if "spec" in f.metadata}


def cue_lists(options: Any) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(field, names) for each list of cue group names in decoded ``options``: one per conjunction
    of a "conjunctions" field, one for a "groups" field."""
    for key, spec in specs(type(options)).items():
        if spec.cues:
            value = getattr(options, key)
            for names in value if spec.cues == "conjunctions" else (value,):
                yield key, names


def required(cls: type) -> tuple[str, ...]:
    return tuple(
        f.name for f in dataclasses.fields(cls)
        if "spec" in f.metadata and f.default is MISSING and f.default_factory is MISSING
    )  # fmt: skip


def read_value(spec: Spec, value: Any) -> tuple[Any, str | None]:
    """(the converted value, None) or (None, the problem)."""
    if not is_type(value, spec.types):
        return None, f"must be {type_name(spec.types)}"
    if spec.check is not None:
        problem = spec.check(value)
        if problem:
            return None, problem
    return (spec.convert(value) if spec.convert else value), None


def line_of(data: Any, key: str) -> int | None:
    return data.line_of(key) if isinstance(data, LocatedDict) else getattr(data, "line", None)


def decode(
    cls: type, data: Mapping[str, Any], file: str, out: Collector, *, missing_line: int | None = None
) -> tuple[Any, dict[str, Any]]:
    """``cls`` built from ``data`` (None when a field has a problem, each reported), and the raw
    values of the fields that are fine (checked further by the caller, e.g. the cue names in them)."""
    found: dict[str, Any] = {}
    fine: dict[str, Any] = {}
    bad = False
    for name in required(cls):
        if name not in data:
            out.add(file, missing_line if missing_line is not None else line_of(data, name), name, "required field is missing")
            bad = True
    for name, spec in specs(cls).items():
        if name not in data:
            continue
        value, problem = read_value(spec, data[name])
        if problem:
            out.add(file, line_of(data, name), name, problem)
            bad = True
        else:
            found[name] = value
            fine[name] = data[name]
    return (None if bad else cls(**found)), fine
