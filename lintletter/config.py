"""Project configuration: ``.lintletter.yaml`` or ``[tool.lintletter]`` in ``pyproject.toml``.

A letter's configuration is the nearest config file found walking up from the letter's folder
(``.lintletter.yaml`` / ``.lintletter.yml`` beat ``pyproject.toml`` in the same folder; a
pyproject without ``[tool.lintletter]`` is skipped). ``--config FILE`` replaces the search, and
command-line flags override what the file says (see :meth:`Config.with_cli`).

Globs (``exclude``, ``per-file-ignores``) are gitignore-style patterns relative to the folder of the
config file, matched with ``pathspec`` (the library black and others use for exactly this).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError, Problem
from .model import SECTIONS, Severity, Status
from .yamlload import LocatedDict, load_yaml

YAML_NAMES = (".lintletter.yaml", ".lintletter.yml")
PYPROJECT = "pyproject.toml"

#: Files in a letters repository that are not letters; `exclude` replaces this list.
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git/", ".hg/", ".venv/", "venv/", "node_modules/", "__pycache__/", "build/", "dist/",
    "README*", "CHANGELOG*", "CHANGES*", "LICENSE*", "LICENCE*", "CONTRIBUTING*", "CODE_OF_CONDUCT*",
    "SECURITY*",
)  # fmt: skip

_LEVELS = {s.value: s for s in Severity}


@dataclass(frozen=True)
class Config:
    """Settings for the letters under one config file (or the defaults when there is none)."""

    root: Path  # folder that relative globs and rule folders are resolved against
    path: Path | None = None  # the file these settings came from
    select: tuple[str, ...] | None = None  # None: every rule
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    min_score: int | None = None
    #: warning by default: a missing section (a warning) fails the letter, as any finding fails
    #: a ruff or flake8 run; info findings never fail unless fail-on is info
    fail_on: Severity = Severity.WARNING
    max_warnings: int | None = None
    #: rule code -> {status or "": severity}; "" applies to every status
    severity: Mapping[str, Mapping[str, Severity]] = field(default_factory=dict)
    weights: Mapping[str, float] = field(default_factory=dict)
    rules: tuple[Path, ...] = ()
    respect_gitignore: bool = True
    #: letters inside documents: off | marked | auto; None: the default (auto, see lintletter.embedded)
    embedded: str | None = None
    #: every document must contain a letter: a document without one is an error (LL317)
    require_letter: bool = False
    #: setting -> line in the config file, for error messages
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    # compiled globs, derived from the fields above
    _exclude_spec: "Globs" = field(init=False, repr=False, compare=False)
    _ignore_specs: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_exclude_spec", Globs(self.exclude + self.extend_exclude))
        object.__setattr__(
            self, "_ignore_specs", tuple((Globs((glob,)), codes) for glob, codes in self.per_file_ignores)
        )

    # Compiled globs may not pickle (pathspec can use re2); --jobs sends configs to worker
    # processes, so pickle the settings only and compile again on arrival.
    def __getstate__(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.init}

    def __setstate__(self, state: dict) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__post_init__()

    # -- what a letter gets ----------------------------------------------------------------

    def is_excluded(self, file: Path) -> bool:
        rel = _relative(file, self.root)
        return rel is not None and self._exclude_spec.match_file(rel)

    def ignores_for(self, file: Path | None) -> tuple[str, ...]:
        """Selectors ignored for this file by ``per-file-ignores``."""
        if file is None:
            return ()
        rel = _relative(file, self.root)
        if rel is None:
            return ()
        return tuple(code for spec, codes in self._ignore_specs if spec.match_file(rel) for code in codes)

    def check_codes(self, ruleset) -> None:
        """Every rule code the file names must exist; errors name the file, line and setting."""
        named = {
            "select": self.select or (),
            "extend-select": self.extend_select,
            "ignore": self.ignore,
            "per-file-ignores": tuple(c for _, codes in self.per_file_ignores for c in codes),
            "severity": tuple(self.severity),
        }
        problems = [
            Problem(str(self.path or "command line"), self.key_lines.get(key), key, f"unknown rule code or name {code!r}")
            for key, codes in named.items()
            for code in codes
            if not ruleset.knows(code)
        ]
        if problems:
            raise ConfigError(_summarise(problems))

    def ruleset_key(self) -> tuple:
        """Everything that changes the rule set or which rules run: letters sharing it share a Linter."""
        return (
            self.select,
            self.extend_select,
            self.ignore,
            tuple(sorted((c, tuple(sorted(m.items()))) for c, m in self.severity.items())),
            tuple(sorted(self.weights.items())),
            self.rules,
        )

    def with_cli(self, **flags: Any) -> "Config":
        """Apply command-line flags: values given replace the file's, lists given extend them
        (``select`` replaces, as in ruff: ``--select`` says exactly what to run)."""
        changes: dict[str, Any] = {}
        for name in ("select", "min_score", "fail_on", "max_warnings", "embedded"):
            if flags.get(name) is not None:
                changes[name] = tuple(flags[name]) if name == "select" else flags[name]
        for name in ("extend_select", "ignore", "extend_exclude"):
            if flags.get(name):
                changes[name] = getattr(self, name) + tuple(flags[name])
        if flags.get("rules"):
            changes["rules"] = self.rules + tuple(Path(p).resolve() for p in flags["rules"])
        return dataclasses.replace(self, **changes)


# --- finding and reading config files --------------------------------------------------------


class ConfigFinder:
    """Finds and caches the config for each folder; one per run."""

    def __init__(self, explicit: Path | None = None, cwd: Path | None = None) -> None:
        self._cwd = (cwd or Path.cwd()).resolve()
        self._explicit = read_config(explicit) if explicit is not None else None
        self._by_dir: dict[Path, Config] = {}

    def for_path(self, path: Path | None) -> Config:
        if self._explicit is not None:
            return self._explicit
        if path is None:  # stdin without --stdin-filename: the working folder's config
            return self._for_dir(self._cwd)
        resolved = path.resolve() if path.is_absolute() else (self._cwd / path).resolve()
        return self._for_dir(resolved if resolved.is_dir() else resolved.parent)

    def _for_dir(self, folder: Path) -> Config:
        chain: list[Path] = []
        found: Config | None = None
        current = folder
        while True:
            if current in self._by_dir:
                found = self._by_dir[current]
                break
            chain.append(current)
            candidate = config_file_in(current)
            if candidate is not None:
                found = read_config(candidate)
                break
            if current.parent == current:
                found = Config(root=self._cwd)
                break
            current = current.parent
        for d in chain:
            self._by_dir[d] = found
        return found


def config_file_in(folder: Path) -> Path | None:
    for name in YAML_NAMES:
        if (folder / name).is_file():
            return folder / name
    pyproject = folder / PYPROJECT
    if pyproject.is_file():
        try:
            with pyproject.open("rb") as handle:
                data = tomllib.load(handle)
        except (OSError, tomllib.TOMLDecodeError):
            return None  # not ours to judge: a broken pyproject is skipped, as other tools do
        if isinstance(data.get("tool"), dict) and "lintletter" in data["tool"]:
            return pyproject
    return None


def read_config(path: Path) -> Config:
    """Read and validate one config file; every problem names the file, line and key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.__class__.__name__})") from None
    if path.name == PYPROJECT or path.suffix == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: TOML error: {exc}") from None
        table = data.get("tool", {}).get("lintletter", {}) if path.name == PYPROJECT else data
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.lintletter] must be a table")
        line_of = _toml_line_finder(text)
    else:
        table, problem = load_yaml(text, str(path))
        if problem is not None:
            raise ConfigError(str(problem))
        if table is None:
            table = LocatedDict()
        if not isinstance(table, dict):
            raise ConfigError(f"{path}:1: the config must be a mapping of settings")
        line_of = table.line_of if isinstance(table, LocatedDict) else (lambda key: None)
    return _validate(table, path, line_of)


_LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude", "rules")
_KNOWN = set(_LIST_KEYS) | {
    "per-file-ignores", "min-score", "fail-on", "max-warnings", "severity", "weights", "respect-gitignore",
    "embedded", "require-letter",
}  # fmt: skip
#: embedded modes (lintletter.embedded.MODES, not imported here to keep config light)
_EMBEDDED = ("off", "marked", "auto")


def _validate(table: Mapping[str, Any], path: Path, line_of) -> Config:
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(str(path), line_of(key), key, message))

    root = path.parent.resolve()
    values: dict[str, Any] = {"key_lines": {}}
    for raw_key, value in table.items():
        key = str(raw_key).replace("_", "-")
        if key not in _KNOWN:
            bad(str(raw_key), f"unknown setting; known settings: {', '.join(sorted(_KNOWN))}")
            continue
        attr = key.replace("-", "_")
        values["key_lines"][key] = line_of(str(raw_key))
        if key in _LIST_KEYS:
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) and v.strip() for v in items):
                bad(key, "must be a list of strings")
                continue
            if key == "rules":
                values[attr] = tuple((root / v).resolve() for v in items)
            else:
                values[attr] = tuple(v.strip() for v in items)
        elif key == "per-file-ignores":
            if not isinstance(value, dict) or not all(
                isinstance(v, (list, str)) and all(isinstance(c, str) for c in ([v] if isinstance(v, str) else v))
                for v in value.values()
            ):
                bad(key, "must map globs to lists of rule codes, e.g. {'drafts/*': [LL308]}")
                continue
            values[attr] = tuple(
                (str(glob), tuple([codes] if isinstance(codes, str) else codes)) for glob, codes in value.items()
            )
        elif key in ("min-score", "max-warnings"):
            low, high = (0, 100) if key == "min-score" else (0, None)
            if isinstance(value, bool) or not isinstance(value, int) or value < low or (high and value > high):
                bad(key, f"must be a whole number {'from 0 to 100' if high else 'of 0 or more'}")
                continue
            values[attr] = value
        elif key == "fail-on":
            if value not in _LEVELS:
                bad(key, "must be one of error, warning, info")
                continue
            values[attr] = _LEVELS[value]
        elif key == "embedded":
            if value is False:  # YAML 1.1 reads a bare `off` as false
                value = "off"
            if value not in _EMBEDDED:
                bad(key, f"must be one of {', '.join(_EMBEDDED)}")
                continue
            values[attr] = value
        elif key in ("respect-gitignore", "require-letter"):
            if not isinstance(value, bool):
                bad(key, "must be true or false")
                continue
            values[attr] = value
        elif key == "severity":
            parsed = _parse_severity(value, lambda msg: bad(key, msg))
            if parsed is not None:
                values[attr] = parsed
        elif key == "weights":
            if not isinstance(value, dict):
                bad(key, f"must map sections ({', '.join(SECTIONS)}) to points")
                continue
            weights = {}
            for section, points in value.items():
                if section not in SECTIONS:
                    bad(key, f"unknown section {section!r}; sections are {', '.join(SECTIONS)}")
                elif isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
                    bad(key, f"{section}: points must be a number of 0 or more")
                else:
                    weights[section] = float(points)
            values[attr] = weights
    if problems:
        raise ConfigError(_summarise(problems))
    return Config(root=root, path=path.resolve(), **values)


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
        elif isinstance(level, dict) and all(k in statuses and v in _LEVELS for k, v in level.items()):
            out[str(code)] = {k: _LEVELS[v] for k, v in level.items()}
        else:
            bad(f"{code}: must be error, warning or info (or a mapping of present/weak/missing to those)")
    return out


def _summarise(problems: list[Problem]) -> str:
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return f"invalid config: {problems[0]}{more}"


def _toml_line_finder(text: str):
    """tomllib keeps no positions; find a key's line in the [tool.lintletter] table by text."""
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if re.match(r"\s*\[tool\.lintletter", l)), 0)

    def line_of(key: str) -> int | None:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for i in range(start, len(lines)):
            if pattern.match(lines[i]):
                return i + 1
        return start + 1 if lines else None

    return line_of


# --- helpers ---------------------------------------------------------------------------------


def _relative(file: Path, root: Path) -> str | None:
    try:
        return file.resolve().relative_to(root).as_posix()
    except ValueError:
        return None


_SIMPLE_DIR = re.compile(r"^[^/*?\[\]!\\#]+/$")  # "build/": a folder of that name anywhere
_SIMPLE_NAME = re.compile(r"^[^/!\\#\s][^/\\]*$")  # "README*": any file or folder name matching


class Globs:
    """gitignore-style patterns matched against paths relative to a config file's folder.

    Folder names ("build/") and name globs without a slash ("README*") are matched here with
    fnmatch, which for them means exactly what git means; anything else (paths, "**", negation)
    goes to ``pathspec``, imported only then. Most runs never need it, which keeps start-up short.
    """

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self._dirs = frozenset(p[:-1] for p in patterns if _SIMPLE_DIR.match(p))
        self._names = tuple(p for p in patterns if not _SIMPLE_DIR.match(p) and _SIMPLE_NAME.match(p))
        rest = tuple(p for p in patterns if not _SIMPLE_DIR.match(p) and not _SIMPLE_NAME.match(p))
        self._rest = None
        if rest:
            import pathspec

            self._rest = pathspec.GitIgnoreSpec.from_lines(patterns)  # all of them, in order (negation)

    def match_file(self, relative: str) -> bool:
        if self._rest is not None:
            return self._rest.match_file(relative)
        parts = relative.split("/")
        if any(part in self._dirs for part in parts[:-1]):
            return True
        return any(fnmatch.fnmatchcase(part, name) for part in parts for name in self._names)


STARTER = """\
# lintletter configuration (https://github.com/lintletter/lintletter#configuration).
# lintletter uses the nearest .lintletter.yaml (or [tool.lintletter] in pyproject.toml) above each
# letter. Every setting is optional; delete what you do not need.

# Which rules run: codes (LL105), prefixes (LL2 = all tone rules) or names (referrals).
# select: [LL1, LL2, LL3]
# extend-select: []
# ignore: [LL309]            # e.g. allow long letters

# Rules to skip for some files (gitignore-style globs, relative to this file).
# per-file-ignores:
#   "templates/*": [LL307]   # placeholders are expected in templates

# Files that are never letters. `exclude` replaces the defaults (README*, LICENSE*, .git/, ...);
# `extend-exclude` adds to them. .gitignore is respected when walking folders.
# extend-exclude: ["drafts/", "*.notes.md"]
# respect-gitignore: true

# When a letter fails (exit code 1). `lintletter check --exit-zero` reports without failing.
# fail-on: warning           # error | warning | info: the lowest severity that fails a letter
# min-score: 70              # letters scoring below this fail
# max-warnings: 10           # the run fails when there are more warnings than this in total

# Letters inside documents (articles, guides, templates): off (the whole file is one letter),
# marked (only ```letter blocks and <!-- lintletter: letter --> ... <!-- lintletter: end -->),
# auto (marked letters and letters found in the prose; a file that is a letter is read whole).
# embedded: auto
# require-letter: false      # true: a document with no letter in it is an error (LL317)

# Change a rule's severity: error | warning | info; section rules may set it per status.
# severity:
#   LL308: info
#   LL106: {missing: info, weak: info}

# How many points each section is worth (the others keep their defaults; the score is rescaled to 100).
# weights:
#   competitors: 5

# Extra rule folders (relative to this file); a rule with an existing code replaces it.
# rules: [house-rules/]
"""
