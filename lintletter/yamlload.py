"""Safe YAML loading that remembers the line of every mapping key, for error messages."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import Problem


class LocatedDict(dict):
    """A dict from YAML that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when present: 4x faster start-up
    """SafeLoader (no arbitrary objects, so no rule can run code) that records line numbers."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "mapping keys must be plain words", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[str(key)] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, filename: str) -> tuple[Any, Problem | None]:
    """Parse YAML text; on failure return (None, Problem) naming the file and line."""
    try:
        return yaml.load(text, Loader=_Loader), None  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return None, Problem(filename, line, None, f"YAML error: {exc.problem or exc.context}")
    except yaml.YAMLError as exc:
        return None, Problem(filename, None, None, f"YAML error: {exc}")
