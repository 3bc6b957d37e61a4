"""Typer's option coercion without pydantic, for the values it can be sure of.

typer 0.26-0.29 coerces every option that is not a bool flag through a pydantic ``TypeAdapter``:
importing pydantic and building ~20 adapters is ~100 ms of every ``lintletter check``, more than
the rest of a run from a warm cache. lintletter's options are only ``str``, ``int`` (some with a
``min``/``max``), ``Path`` and lists or optionals of them, so :func:`install` gives each such
parameter a coercion that returns what typer's would for the plain cases (a ``str``, a decimal
number in range, a path typer would not refuse) and hands every other value to typer's own
coercion, which builds its adapter then: any error message is typer's own, word for word.

This reaches into typer's private parameter class (``_runtime_param``, ``type_descriptor``,
``typer._coercion``); with a typer that does not have them, :func:`install` does nothing and
typer coerces everything as before (slower, same results). Typer stays the CLI library.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, List, Union, get_args, get_origin

_DECIMAL = re.compile(r"(?:0|[1-9][0-9]{0,17})\Z")


class _Delegate(Exception):
    """Not a plain case: typer's own coercion decides (and words any error)."""


def _exactly(kind: type):
    """A value already of ``kind`` as it is; anything else is typer's to coerce."""

    def coerce(value: Any):
        if type(value) is kind:
            return value
        raise _Delegate

    return coerce


def _leaf(annotation: Any, info: Any):
    """A coercion for one value of ``annotation``, or None when it is not a plain type."""
    if getattr(info, "parser", None) is not None or getattr(info, "clamp", False):
        return None
    if annotation in (bool, str):  # (a flag not given, None, reaches the coercion too: typer's then)
        return _exactly(annotation)
    if annotation is int:
        low, high = info.min, info.max

        def coerce_int(value: Any) -> int:
            if type(value) is int:
                number = value
            elif type(value) is str and _DECIMAL.match(value):
                number = int(value)
            else:
                raise _Delegate
            if (low is not None and number < low) or (high is not None and number > high):
                raise _Delegate  # typer words the range error
            return number

        return coerce_int
    if annotation is Path:
        plain = (
            info.path_type is None and not info.resolve_path and not info.exists and not info.writable
            and info.file_okay and info.dir_okay
        )  # fmt: skip
        if not plain:
            return None
        readable = info.readable

        def coerce_path(value: Any) -> Path:
            if isinstance(value, Path):
                path = value  # a default: typer keeps it as it is
            elif type(value) is str and value and "\0" not in value:
                path = Path(value)
            else:
                raise _Delegate
            try:
                os.stat(path)
            except (OSError, ValueError):
                return path  # a path that does not exist (yet) is typer's Path too
            if readable and not os.access(path, os.R_OK):
                raise _Delegate  # typer refuses it: "... is not readable."
            return path

        return coerce_path
    return None


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) is Union:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _coercion_for(annotation: Any, info: Any):
    annotation = _unwrap_optional(annotation)
    if get_origin(annotation) in (list, List):
        (item,) = get_args(annotation) or (None,)
        leaf = _leaf(item, info)
        if leaf is None:
            return None

        def coerce_list(value: Any) -> list:
            if not isinstance(value, (list, tuple)):
                raise _Delegate
            return [leaf(v) for v in value]

        return coerce_list
    return _leaf(annotation, info)


def install(command: Any) -> int:
    """Give the plain parameters of ``command`` (a click group or command built by typer) and its
    subcommands the fast coercion; returns how many. Does nothing with a typer it does not know."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:  # pragma: no cover - another typer: its own coercion, as before
        return 0
    import dataclasses

    @dataclasses.dataclass(frozen=True)
    class _Fast(RuntimeParam):
        fast: Any = None
        descriptor: Any = None

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                return self.fast(value)
            except _Delegate:
                pass
            slow = build_runtime_param(self.descriptor)  # typer's, with its pydantic adapter
            return slow._coerce_value(value, param=param, ctx=ctx)

    def give(param: Any) -> bool:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", False) is not None:
            return False
        if getattr(descriptor, "file_annotation", None) is not None:
            return False
        fast = _coercion_for(descriptor.annotation, descriptor.parameter_info)
        if fast is None:
            return False
        param._runtime_param = _Fast(
            parameter_info=descriptor.parameter_info, annotation=descriptor.annotation, fast=fast, descriptor=descriptor
        )
        return True

    def with_fast_help(original):
        def get_help_option(ctx: Any) -> Any:  # --help is made when a context asks for it
            option = original(ctx)
            if option is not None:
                give(option)
            return option

        return get_help_option

    done = 0
    commands = [command]
    while commands:
        current = commands.pop()
        commands.extend(getattr(current, "commands", {}).values())
        done += sum(give(param) for param in getattr(current, "params", ()))
        if callable(getattr(current, "get_help_option", None)):
            current.get_help_option = with_fast_help(current.get_help_option)
    return done
