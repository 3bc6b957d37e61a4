"""The dict YAML documents are read into (lintletter.yamlload), which knows its lines.

Apart from the loader so that modules which only test for it (the config reader, the validator)
do not import PyYAML: a run whose letters all come from the result cache and whose config is
TOML, or absent, never needs it.
"""

from __future__ import annotations


class LocatedDict(dict):
    """A dict from YAML that knows the 1-based line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)
