"""Safe YAML loading that remembers the line of every mapping key, for error messages."""

from __future__ import annotations

from typing import Any

import yaml

from .errors import Problem
from .located import LocatedDict as LocatedDict  # where it always was imported from


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


#: Limits on what a YAML document may expand to. Aliases are references, so ``&a [*a, *a]`` nested
#: ten times is a few lines that stand for a million values: every later walk over the data (checking
#: a rule's patterns, say) would take that long. Real rule, config and front-matter files have a few
#: hundred values and are a handful of levels deep.
MAX_VALUES = 100_000
MAX_DEPTH = 64


class TooLarge(yaml.YAMLError):
    """The document expands to more values than MAX_VALUES, nests deeper than MAX_DEPTH, or refers to itself."""


def check_expansion(root: yaml.Node) -> None:
    """Raise :class:`TooLarge` if the composed document, with aliases expanded, is too big or too deep.

    Each distinct node is measured once (aliases share nodes), without recursion."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            if size[key] > MAX_VALUES:
                raise TooLarge(f"the document expands to more than {MAX_VALUES:,} values (aliases inside aliases?)")
            if depth[key] > MAX_DEPTH:
                raise TooLarge(f"the document nests more than {MAX_DEPTH} levels deep")
            continue
        if key in size:
            continue
        if key in on_path:
            raise TooLarge("an alias refers to the value that contains it")
        on_path.add(key)
        stack.append((node, True))
        if len(on_path) > MAX_DEPTH:
            raise TooLarge(f"the document nests more than {MAX_DEPTH} levels deep")
        stack.extend((child, False) for child in _children(node) if id(child) not in size)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_bounded(text: str, loader_class) -> Any:
    """``yaml.load(text, loader_class)`` for one document, refusing documents that expand too much
    (:class:`TooLarge`) before constructing any Python value."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_expansion(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_yaml(text: str, filename: str) -> tuple[Any, Problem | None]:
    """Parse YAML text; on failure return (None, Problem) naming the file and line."""
    try:
        return load_bounded(text, _Loader), None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return None, Problem(filename, line, None, f"YAML error: {exc.problem or exc.context}")
    except yaml.YAMLError as exc:
        return None, Problem(filename, None, None, f"YAML error: {exc}")
