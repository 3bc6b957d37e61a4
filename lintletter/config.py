"""Project configuration: ``.lintletter.yaml`` or ``[tool.lintletter]`` in ``pyproject.toml``.

A letter's configuration is the nearest config file found walking up from the letter's folder
(``.lintletter.yaml`` / ``.lintletter.yml`` beat ``pyproject.toml`` in the same folder; a
pyproject without ``[tool.lintletter]`` is skipped). ``--config FILE`` replaces the search, and
command-line flags override what the file says (see :meth:`Config.with_cli`).

Globs (``exclude``, ``per-file-ignores``) are gitignore-style patterns relative to the folder of the
config file, matched with ``pathspec`` (the library black and others use for exactly this).

Every setting is one row of :data:`lintletter.settings.SETTINGS`: its key, how its value is read
(each problem with file, line and setting, all in one run), how its command-line flag combines with
it, and its lines in the starter ``lintletter init`` writes.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError, Problem
from .model import Severity
from .realpaths import RealPaths, relative_posix
from .settings import INVALID, SETTINGS, Reading
from .settings import STARTER as STARTER  # what `lintletter init` writes, long imported from here
from .validate import Collector
from .located import LocatedDict

YAML_NAMES = (".lintletter.yaml", ".lintletter.yml")
PYPROJECT = "pyproject.toml"

#: Files in a letters repository that are never letters, the same list as the pre-commit hook's
#: `exclude` (.pre-commit-hooks.yaml; tests/test_config.py keeps them in step): each name alone or
#: with a suffix, and requirements*/constraints*. While these defaults are in force they match
#: without regard to case ("readme.md", "License.txt"), as the hook does. `exclude` replaces them.
_NOT_LETTERS = (
    "README", "CHANGELOG", "CHANGES", "HISTORY", "NEWS", "CONTRIBUTING", "CODE_OF_CONDUCT", "SECURITY",
    "SUPPORT", "LICENSE", "LICENCE", "COPYING", "NOTICE", "PATENTS", "AUTHORS", "MAINTAINERS", "CODEOWNERS",
)  # fmt: skip
DEFAULT_EXCLUDE: tuple[str, ...] = (
    ".git/", ".hg/", ".venv/", "venv/", "node_modules/", "__pycache__/", "build/", "dist/",
    *(pattern for name in _NOT_LETTERS for pattern in (name, f"{name}.*")),
    "requirements*", "constraints*",
)  # fmt: skip



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
    #: (setting, rule code it names) -> line of that code, so an unknown code is pointed at itself
    code_lines: Mapping[tuple[str, str], int] = field(default_factory=dict, compare=False, repr=False)
    # compiled globs, derived from the fields above
    _exclude_spec: "Globs" = field(init=False, repr=False, compare=False)
    _ignore_specs: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.exclude == DEFAULT_EXCLUDE and not any(p.startswith("!") for p in self.extend_exclude):
            spec = _AnyOf(Globs(DEFAULT_EXCLUDE, ignore_case=True), Globs(self.extend_exclude))
        else:  # the user's own list, or a negation that must see the defaults: gitignore semantics
            spec = Globs(self.exclude + self.extend_exclude)
        object.__setattr__(self, "_exclude_spec", spec)
        object.__setattr__(self, "_real", RealPaths())  # not a field: derived, never compared or pickled
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

    def is_excluded(self, file: Path, real: str | None = None) -> bool:
        """``real``: the file's real path, when the caller has it already."""
        rel = relative_posix(real if real is not None else self._real.text_of(file), self.root)
        return rel is not None and self._exclude_spec.match_file(rel)

    def ignores_for(self, file: Path | None) -> tuple[str, ...]:
        """Selectors ignored for this file by ``per-file-ignores``."""
        if file is None or not self._ignore_specs:
            return ()
        rel = relative_posix(self._real.text_of(file), self.root)
        if rel is None:
            return ()
        return tuple(code for spec, codes in self._ignore_specs if spec.match_file(rel) for code in codes)

    def names_codes(self) -> bool:
        """Whether the settings name any rule code (that :meth:`check_codes` must find)."""
        return bool(self.select or self.extend_select or self.ignore or self.severity or any(c for _, c in self.per_file_ignores))

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
            Problem(
                str(self.path or "command line"),
                self.code_lines.get((key, code), self.key_lines.get(key)),
                key,
                f"unknown rule code or name {code!r}",
            )
            for key, codes in named.items()
            for code in codes
            if not ruleset.knows(code)
        ]
        if problems:
            raise ConfigError.listing(problems)

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
        for setting in SETTINGS.values():  # how each combines with its flag is the table's to say
            given = flags.get(setting.attr)
            if setting.flag == "replace" and given is not None:
                changes[setting.attr] = setting.from_flag(given)
            elif setting.flag == "extend" and given:
                changes[setting.attr] = getattr(self, setting.attr) + setting.from_flag(given)
        return dataclasses.replace(self, **changes)


# --- finding and reading config files --------------------------------------------------------


class ConfigFinder:
    """Finds and caches the config for each folder; one per run."""

    def __init__(self, explicit: Path | None = None, cwd: Path | None = None) -> None:
        self._cwd = (cwd or Path.cwd()).resolve()
        self._explicit = read_config(explicit) if explicit is not None else None
        self._by_dir: dict[Path, Config] = {}
        #: folder as given -> its real path (resolving every letter's path was a third of a warm run)
        self._real_parents: dict[str, Path] = {}

    def for_path(self, path: Path | None) -> Config:
        if self._explicit is not None:
            return self._explicit
        if path is None:  # stdin without --stdin-filename: the working folder's config
            return self._for_dir(self._cwd)
        absolute = path if path.is_absolute() else self._cwd / path
        if _is_plain_file(absolute):  # not a link: its folder is its parent's real path, once per folder
            parent = str(absolute.parent)
            if parent not in self._real_parents:
                self._real_parents[parent] = absolute.parent.resolve()
            return self._for_dir(self._real_parents[parent])
        resolved = absolute.resolve()
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


def _is_plain_file(path: Path) -> bool:
    """A regular file that is not a symbolic link (one lstat)."""
    import stat

    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False


def config_file_in(folder: Path) -> Path | None:
    for name in YAML_NAMES:
        candidate = folder / name
        if candidate.exists() and not candidate.is_dir():  # a FIFO or device here is refused when read
            return candidate
    pyproject = folder / PYPROJECT
    if pyproject.is_file():
        try:
            raw = _read_settings(pyproject)
        except ConfigError:
            return None  # cannot be read (over 1 MB, say): it cannot configure lintletter either
        import tomllib  # only when there is a pyproject.toml to look into

        try:
            data = tomllib.loads(raw.decode("utf-8", errors="replace"))
        except (tomllib.TOMLDecodeError, RecursionError) as exc:
            # Skipping it would drop its fail-on / min-score and let CI pass; a broken pyproject
            # that never mentions lintletter cannot configure it, so that one is not ours to judge.
            # tomllib parses nested arrays and tables recursively: too deep is broken too.
            if b"lintletter" in raw:
                raise ConfigError(_toml_problem(pyproject, exc)) from None
            return None
        if isinstance(data.get("tool"), dict) and "lintletter" in data["tool"]:
            return pyproject
    return None


def _toml_problem(path: Path, exc: Exception) -> str:
    """``pyproject.toml:3: TOML error: ...``: tomllib puts the position in its message."""
    if isinstance(exc, RecursionError):
        return f"{path}: TOML error: nested too deeply"
    message = str(exc)
    m = re.search(r"\s*\(at line (\d+), column \d+\)$", message)
    if m:
        return f"{path}:{m.group(1)}: TOML error: {message[: m.start()]}"
    return f"{path}: TOML error: {message}"


def read_config(path: Path) -> Config:
    """Read and validate one config file; every problem names the file, line and key."""
    path = Path(path)
    try:
        text = _read_settings(path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: cannot read config file ({exc.__class__.__name__})") from None
    if path.name == PYPROJECT or path.suffix == ".toml":
        import tomllib

        try:
            data = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, RecursionError) as exc:  # tomllib recurses into nested arrays
            raise ConfigError(_toml_problem(path, exc)) from None
        table = data.get("tool", {}).get("lintletter", {}) if path.name == PYPROJECT else data
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.lintletter] must be a table")
        line_of = _toml_line_finder(text)
        text_lines = text.splitlines()
    else:
        from .yamlload import load_yaml  # PyYAML only when a YAML config is read

        table, problem = load_yaml(text, str(path))
        if problem is not None:
            raise ConfigError(str(problem))
        if table is None:
            table = LocatedDict()
        if not isinstance(table, dict):
            raise ConfigError(f"{path}:1: the config must be a mapping of settings")
        line_of = table.line_of if isinstance(table, LocatedDict) else (lambda key: None)
        text_lines = text.splitlines()
    return _validate(table, path, line_of, _token_finder(text_lines, line_of))


def _read_settings(path: Path) -> bytes:
    """A config file's bytes: a regular file of at most 1 MB (see ``reading.read_bounded``)."""
    from .reading import MAX_SETTINGS_BYTES, Missing, Unreadable, read_bounded

    try:
        return read_bounded(path, MAX_SETTINGS_BYTES)
    except Missing:
        raise ConfigError(f"{path}: config file does not exist") from None
    except Unreadable as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None


#: A run of the characters a token is bounded by (see _token_finder): a rule code, a name, most globs.
_TOKEN_RUN = re.compile(r"[\w*/.-]+")
#: Characters of the config the tokens that are no such run (globs such as ``[ab]*.md``) may be
#: searched for, in all; past it they get their setting's line.
_TOKEN_SEARCH_BUDGET = 2_000_000


def _token_finder(lines: list[str], line_of):
    """line_in(key, token): the line, at or below ``key``'s, where ``token`` (a rule code, a glob, a
    section name under that setting) is written; the key's own line when it cannot be found.
    Works on the text, so the same for YAML and TOML (tomllib keeps no positions).

    Linear in the config: each setting's lines are split into runs once, and a token that is one
    run is looked up; searching the lines once per token took 200 s for 40,000 codes (400 kB)."""
    other_key = re.compile(rf"^\s*(?:\[|[\"']?(?:{'|'.join(re.escape(k) for k in sorted(SETTINGS))})[\"']?\s*[:=])")
    blocks: dict[str, tuple[range, dict[str, int]]] = {}  # key -> its lines, and run -> first line
    found: dict[tuple[str, str], int] = {}
    budget = [_TOKEN_SEARCH_BUDGET]

    def block(start: int) -> tuple[range, dict[str, int]]:
        end = start  # the key's line, and the lines after it up to the next setting
        while end < len(lines) and not other_key.match(lines[end]):
            end += 1
        words: dict[str, int] = {}
        for i in range(start - 1, end):
            for m in _TOKEN_RUN.finditer(lines[i]):
                words.setdefault(m.group(), i + 1)
        return range(start - 1, end), words

    def line_in(key: str, token: str) -> int | None:
        start = line_of(key)
        if start is None:
            return None
        token = str(token)
        if (key, token) in found:
            return found[(key, token)]
        if key not in blocks:
            blocks[key] = block(start)
        where, words = blocks[key]
        if _TOKEN_RUN.fullmatch(token):  # bounded by other characters: exactly one whole run
            line = words.get(token, start)
        else:
            line = start
            word = re.compile(rf"(?<![\w*/.-]){re.escape(token)}(?![\w*/.-])")
            for i in where:
                budget[0] -= len(lines[i]) * max(1, len(token))
                if budget[0] < 0:
                    break
                if word.search(lines[i]):
                    line = i + 1
                    break
        found[(key, token)] = line
        return line

    return line_in


def _validate(table: Mapping[str, Any], path: Path, line_of, line_in=None) -> Config:
    """Every setting checked in one pass (lintletter.validate's collector, as rule files are): the
    ConfigError lists every problem, each with file, line and setting."""
    out = Collector()
    line_in = line_in or (lambda key, token: line_of(key))

    def bad(key: str, message: str, token: str | None = None) -> None:
        out.add(str(path), line_of(key) if token is None else line_in(key, token), key, message)

    root = path.parent.resolve()
    values: dict[str, Any] = {"key_lines": {}, "code_lines": {}}
    for raw_key, value in table.items():
        key = str(raw_key).replace("_", "-")
        setting = SETTINGS.get(key)
        if setting is None:
            bad(str(raw_key), f"unknown setting; known settings: {', '.join(sorted(SETTINGS))}")
            continue
        values["key_lines"][key] = line_of(str(raw_key))
        read = setting.read(value, Reading(key, str(raw_key), root, bad, line_in, values["code_lines"]))
        if read is not INVALID:
            values[setting.attr] = read
    for key in ("exclude", "extend-exclude"):  # a pattern pathspec cannot compile is the file's error
        for glob in values.get(key.replace("-", "_"), ()):
            if not _valid_glob(glob):
                bad(key, f"invalid glob {glob!r}")
    for glob, _ in values.get("per_file_ignores", ()):
        if not _valid_glob(glob):
            bad("per-file-ignores", f"invalid glob {glob!r}")
    if out.problems:
        raise ConfigError.listing(out.problems)
    return Config(root=root, path=path.resolve(), **values)


def _valid_glob(glob: str) -> bool:
    try:
        Globs((glob,))
        import pathspec

        pathspec.GitIgnoreSpec.from_lines([glob])
    except Exception:  # pathspec raises its own error types, and ValueError, on patterns it cannot read
        return False
    return True


def _toml_line_finder(text: str):
    """tomllib keeps no positions; find a key's line in the [tool.lintletter] table by text."""
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if re.match(r"\s*\[tool\.lintletter", l)), 0)

    def line_of(key: str) -> int | None:
        pattern = re.compile(rf"^\s*(?:[\"']?{re.escape(key)}[\"']?\s*=|\[\s*tool\.lintletter\.[\"']?{re.escape(key)}[\"']?\s*\])")
        for i in range(start, len(lines)):
            if pattern.match(lines[i]):
                return i + 1
        return start + 1 if lines else None

    return line_of


# --- helpers ---------------------------------------------------------------------------------


_SIMPLE_DIR = re.compile(r"^[^/*?\[\]!\\#]+/$")  # "build/": a folder of that name anywhere
_SIMPLE_NAME = re.compile(r"^[^/!\\#\s][^/\\]*$")  # "README*": any file or folder name matching


class Globs:
    """gitignore-style patterns matched against paths relative to a config file's folder.

    Folder names ("build/") and name globs without a slash ("README*") are matched here with
    fnmatch, which for them means exactly what git means; anything else (paths, "**", negation)
    goes to ``pathspec``, imported only then. Most runs never need it, which keeps start-up short.
    """

    def __init__(self, patterns: tuple[str, ...], ignore_case: bool = False) -> None:
        fold = str.lower if ignore_case else str
        self._fold = fold
        self._dirs = frozenset(fold(p[:-1]) for p in patterns if _SIMPLE_DIR.match(p))
        self._names = tuple(fold(p) for p in patterns if not _SIMPLE_DIR.match(p) and _SIMPLE_NAME.match(p))
        # one expression for all the name globs: fnmatchcase(part, name) for any name, in one match
        self._any_name = re.compile("|".join(fnmatch.translate(n) for n in self._names)) if self._names else None
        rest = tuple(p for p in patterns if not _SIMPLE_DIR.match(p) and not _SIMPLE_NAME.match(p))
        self._rest = None
        if rest:
            import pathspec

            self._rest = pathspec.GitIgnoreSpec.from_lines(patterns)  # all of them, in order (negation)

    def match_file(self, relative: str) -> bool:
        if self._rest is not None:
            return self._rest.match_file(relative)
        parts = self._fold(relative).split("/")
        if any(part in self._dirs for part in parts[:-1]):
            return True
        match = self._any_name.match if self._any_name is not None else None
        return match is not None and any(match(part) for part in parts)


class _AnyOf:
    """Excluded when any of the specs says so."""

    def __init__(self, *specs: Globs) -> None:
        self._specs = specs

    def match_file(self, relative: str) -> bool:
        return any(spec.match_file(relative) for spec in self._specs)


