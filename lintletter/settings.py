"""The config settings: one table (:data:`SETTINGS`) of every setting a ``.lintletter.yaml`` or a
``[tool.lintletter]`` table may give. Each row says how the value is read (a problem is reported with
the file, the line and the setting, and every problem of a file in one run), how the command-line flag
of the same name combines with it, and what ``lintletter init``'s commented starter says about it.
:mod:`lintletter.config` reads the files and builds a :class:`~lintletter.config.Config` from these.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .model import SECTIONS, Severity, Status

_LEVELS = {s.value: s for s in Severity}
#: embedded modes (lintletter.embedded.MODES, not imported here to keep config light)
_EMBEDDED = ("off", "marked", "auto")

#: What a reader returns for a value it reported as a problem (the setting keeps its default).
INVALID = object()


class Reading:
    """What a setting's reader needs: where to report a problem, where a token (a code, a glob) is
    written, and the config file's folder."""

    def __init__(self, key: str, raw_key: str, root: Path, bad, line_in, code_lines: dict) -> None:
        self.key, self.root = key, root
        self._raw_key, self._bad, self._line_in, self._code_lines = raw_key, bad, line_in, code_lines

    def bad(self, message: str, token: str | None = None) -> object:
        self._bad(self.key, message, token)
        return INVALID

    def names(self, code: str, written_at: str) -> None:
        """``code`` is named by this setting, written beside ``written_at`` (an unknown one is pointed at)."""
        self._code_lines[(self.key, code)] = self._line_in(self._raw_key, written_at)


def _strings(value: Any, r: Reading) -> Any:
    """A list of strings (or one string), each once: 50,000 copies of one code must not cost 50,000
    lookups per rule."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        return r.bad("must be a list of strings")
    out = tuple(dict.fromkeys(v.strip() for v in items))
    for v in out:
        r.names(v, v)
    return out


def _folders(value: Any, r: Reading) -> Any:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
        return r.bad("must be a list of strings")
    try:
        return tuple((r.root / v).resolve() for v in items)
    except (OSError, ValueError, RuntimeError):  # a NUL byte, a symlink loop
        return r.bad("must be a list of folder paths")


def _per_file_ignores(value: Any, r: Reading) -> Any:
    if not isinstance(value, dict) or not all(
        isinstance(v, (list, str)) and all(isinstance(c, str) for c in ([v] if isinstance(v, str) else v))
        for v in value.values()
    ):
        return r.bad("must map globs to lists of rule codes, e.g. {'drafts/*': [LL308]}")
    out = tuple((str(glob), tuple([codes] if isinstance(codes, str) else codes)) for glob, codes in value.items())
    for glob, codes in out:
        for code in codes:
            r.names(code, glob)
    return out


def _whole_number(low: int, high: int | None):
    def read(value: Any, r: Reading) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
            return r.bad(f"must be a whole number {'from 0 to 100' if high else 'of 0 or more'}")
        return value

    return read


def _level(value: Any, r: Reading) -> Any:
    if not isinstance(value, str) or value not in _LEVELS:
        return r.bad("must be one of error, warning, info")
    return _LEVELS[value]


def _embedded(value: Any, r: Reading) -> Any:
    if value is False:  # YAML 1.1 reads a bare `off` as false
        value = "off"
    if value not in _EMBEDDED:
        return r.bad(f"must be one of {', '.join(_EMBEDDED)}")
    return value


def _flag(value: Any, r: Reading) -> Any:
    if not isinstance(value, bool):
        return r.bad("must be true or false")
    return value


def _severity(value: Any, r: Reading) -> Any:
    parsed = _parse_severity(value, lambda msg, code=None: r.bad(msg, code))
    if parsed is None:
        return INVALID
    for code in parsed:
        r.names(code, code)
    return parsed


def _weights(value: Any, r: Reading) -> Any:
    if not isinstance(value, dict):
        return r.bad(f"must map sections ({', '.join(SECTIONS)}) to points")
    weights = {}
    for section, points in value.items():
        if section not in SECTIONS:
            r.bad(f"unknown section {section!r}; sections are {', '.join(SECTIONS)}", section)
        elif isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 <= points < float("inf"):
            r.bad(f"{section}: points must be a number of 0 or more", section)
        else:
            weights[section] = float(points)
    return weights


@dataclass(frozen=True)
class Setting:
    """One config setting: its key, how its value is read (every problem reported with file, line
    and setting), how the command-line flag of the same name combines with it, and what
    ``lintletter init``'s commented starter says about it. :data:`SETTINGS` is the one table the
    config keys, their validation, the flags' merge rules and the starter are derived from."""

    key: str
    #: ``read(value, reading)`` -> what :class:`Config` holds, or ``INVALID`` once it reported why not
    read: Callable[[Any, Reading], Any]
    #: "replace": a flag given replaces the file's value (``--select`` says exactly what to run, as
    #: in ruff); "extend": a flag given adds to it; None: no flag
    flag: str | None = None
    #: a flag's value -> the Config value
    from_flag: Callable[[Any], Any] = lambda value: value
    #: the starter's lines for this setting (with the comment that introduces its group, if first)
    starter: str = ""

    @property
    def attr(self) -> str:
        return self.key.replace("-", "_")


def _from_folders(paths: Any) -> tuple[Path, ...]:
    return tuple(Path(p).resolve() for p in paths)


SETTINGS: dict[str, Setting] = {s.key: s for s in (
    Setting("select", _strings, "replace", tuple, starter=(
        "\n# Which rules run: codes (LL105), prefixes (LL2 = all tone rules) or names (referrals).\n"
        "# select: [LL1, LL2, LL3]\n")),
    Setting("extend-select", _strings, "extend", tuple, starter="# extend-select: []\n"),
    Setting("ignore", _strings, "extend", tuple, starter="# ignore: [LL309]            # e.g. allow long letters\n"),
    Setting("per-file-ignores", _per_file_ignores, starter=(
        "\n# Rules to skip for some files (gitignore-style globs, relative to this file).\n"
        "# per-file-ignores:\n"
        '#   "templates/*": [LL307]   # placeholders are expected in templates\n')),
    Setting("exclude", _strings, starter=(
        "\n# Files that are never letters. `exclude` replaces the defaults (README, LICENSE, requirements*.txt, .git/ ...);\n"
        "# `extend-exclude` adds to them. .gitignore is respected when walking folders.\n")),
    Setting("extend-exclude", _strings, "extend", tuple, starter='# extend-exclude: ["drafts/", "*.notes.md"]\n'),
    Setting("respect-gitignore", _flag, starter="# respect-gitignore: true\n"),
    Setting("fail-on", _level, "replace", starter=(
        "\n# When a letter fails (exit code 1). `lintletter check --exit-zero` reports without failing.\n"
        "# fail-on: warning           # error | warning | info: the lowest severity that fails a letter\n")),
    Setting("min-score", _whole_number(0, 100), "replace", starter="# min-score: 70              # letters scoring below this fail\n"),
    Setting("max-warnings", _whole_number(0, None), "replace",
            starter="# max-warnings: 10           # the run fails when there are more warnings than this in total\n"),
    Setting("embedded", _embedded, "replace", starter=(
        "\n# Letters inside documents (articles, guides, templates): off (the whole file is one letter),\n"
        "# marked (only ```letter blocks and <!-- lintletter: letter --> ... <!-- lintletter: end -->),\n"
        "# auto (marked letters and letters found in the prose; a file that is a letter is read whole).\n"
        "# embedded: auto\n")),
    Setting("require-letter", _flag,
            starter="# require-letter: false      # true: a document with no letter in it is an error (LL317)\n"),
    Setting("severity", _severity, starter=(
        "\n# Change a rule's severity: error | warning | info; section rules may set it per status.\n"
        "# severity:\n"
        "#   LL308: info\n"
        "#   LL106: {missing: info, weak: info}\n")),
    Setting("weights", _weights, starter=(
        "\n# How many points each section is worth (the others keep their defaults; the score is rescaled to 100).\n"
        "# weights:\n"
        "#   competitors: 5\n")),
    Setting("rules", _folders, "extend", _from_folders, starter=(
        "\n# Extra rule folders (relative to this file): new rules, `extend: LL105` files that add phrasings,\n"
        "# and `replace: true` rules that replace a built-in one (rules/README.md).\n"
        "# rules: [house-rules/]\n")),
)}  # fmt: skip

_STARTER_HEAD = """\
# lintletter configuration (https://github.com/lintletter/lintletter#configuration).
# lintletter uses the nearest .lintletter.yaml (or [tool.lintletter] in pyproject.toml) above each
# letter. Every setting is optional; delete what you do not need.
# `lintletter check` keeps its result cache in .lintletter_cache/ next to this file (it ignores
# itself in git); `lintletter clean` removes it and `--no-cache` runs without it.
"""
#: What ``lintletter init`` writes: every setting of :data:`SETTINGS`, commented out, in its order.
STARTER = _STARTER_HEAD + "".join(s.starter for s in SETTINGS.values())


def _parse_severity(value: Any, bad) -> dict[str, dict[str, Severity]] | None:
    """``{LL105: error}`` or, for section rules, ``{LL106: {missing: info, weak: info}}``."""
    if not isinstance(value, dict):
        bad("must map rule codes to error, warning or info")
        return None
    out: dict[str, dict[str, Severity]] = {}
    statuses = {s.value for s in Status}
    for code, level in value.items():
        if isinstance(level, str) and level in _LEVELS:
            out[str(code)] = {"": _LEVELS[level]}
        elif isinstance(level, dict) and all(isinstance(v, str) and k in statuses and v in _LEVELS for k, v in level.items()):
            out[str(code)] = {k: _LEVELS[v] for k, v in level.items()}
        else:
            bad(f"{code}: must be error, warning or info (or a mapping of present/weak/missing to those)", str(code))
    return out
