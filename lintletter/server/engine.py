"""What the language server knows about a document, without any LSP: its config, its reports.

One :class:`Engine` per server process holds the spaCy pipeline (loaded once) and a Linter per
distinct configuration, found exactly as ``lintletter check`` finds it: the nearest
``.lintletter.yaml`` / ``.lintletter.yml`` / ``[tool.lintletter]`` walking up from the document's
folder. A broken config or rules folder is reported through ``on_problem`` (the server shows it
once) and the document is linted with the built-in defaults meanwhile, as ruff's server does; a
document that cannot be linted at all gets an :class:`Analysis` with a ``reason`` and no reports.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from ..runner import _Linters
from ..config import PYPROJECT, YAML_NAMES, Config, ConfigFinder
from ..errors import LintletterError
from ..model import Report
from ..reading import MAX_BYTES, MAX_RULE_TREE, TreeTooLarge, extract, walk
from ..model import RuleSet

log = logging.getLogger("lintletter.server")

#: Files the server lints, by suffix (a .docx is not text an editor can hold).
SUFFIXES = (".txt", ".md", ".markdown", ".mdx", ".eml")
#: And, for documents whose name says nothing (untitled buffers, odd names), by the editor's language.
LANGUAGES = frozenset({"markdown", "plaintext", "text", "mdx", "mail", "email", "eml"})
#: File names whose change means the configuration may have changed.
CONFIG_NAMES = (*YAML_NAMES, PYPROJECT)


@dataclass(frozen=True)
class Analysis:
    """One document as last linted: its text, the reports (one per letter), or why there are none."""

    text: str
    path: str | None
    version: int | None = None
    reports: tuple[Report, ...] = ()
    ruleset: RuleSet | None = None
    #: the reports' offsets are offsets into ``text`` (false for an e-mail read from its decoded body)
    in_place: bool = True
    #: why nothing was linted (not a letter file, excluded by config, unreadable); None when linted
    reason: str | None = None


def lintable(path: str | None, language_id: str | None) -> bool:
    suffix = Path(path).suffix.lower() if path else ""
    if suffix in SUFFIXES:
        return True
    if suffix == ".docx":
        return False
    return (language_id or "").lower() in LANGUAGES


class Engine:
    """Config discovery and linting for every document of one server."""

    def __init__(self, nlp=None, cwd: Path | None = None, on_problem: Callable[[str], None] | None = None) -> None:
        self._cwd = (cwd or Path.cwd()).resolve()
        self._on_problem = on_problem or (lambda message: log.error("%s", message))
        self._linters = _Linters(nlp)
        self._finder = ConfigFinder(cwd=self._cwd)
        self._checked: dict[Path | None, Config] = {}
        self.rules_dirs: set[Path] = set()

    def reload(self) -> None:
        """Forget every config and rule set read so far (the pipeline stays loaded)."""
        self._linters = _Linters(self._linters._nlp)
        self._finder = ConfigFinder(cwd=self._cwd)
        self._checked = {}
        self.rules_dirs = set()

    def preload(self) -> None:
        """Load the pipeline and the built-in rules now, so the first document is quick."""
        self._linters.linter(Config(root=self._cwd))

    # -- configuration -------------------------------------------------------------------------

    def config_for(self, path: str | None) -> Config:
        """The config ``check`` would use for this document; the defaults when it is broken."""
        where = Path(path) if path else None
        try:
            cfg = self._finder.for_path(where)
        except LintletterError as exc:
            self._on_problem(f"lintletter: {exc}; linting with the default settings until it is fixed")
            return Config(root=(where.parent if where else self._cwd))
        key = cfg.path
        if key not in self._checked:
            self.rules_dirs.update(cfg.rules)  # watched even when broken: fixing them reloads
            try:
                cfg.check_codes(self._linters.ruleset(cfg.rules))
            except LintletterError as exc:
                self._on_problem(f"lintletter: {exc}; linting with the default settings until it is fixed")
                cfg = Config(root=cfg.root)
            self._checked[key] = cfg
        return self._checked[key]

    def _linter(self, cfg: Config):
        try:
            return self._linters.linter(cfg)
        except LintletterError as exc:
            self._on_problem(f"lintletter: {exc}; linting with the default settings until it is fixed")
            return self._linters.linter(Config(root=cfg.root))

    def watches(self, path: Path) -> bool:
        """Whether a change to this file changes how documents are linted."""
        if path.name in CONFIG_NAMES:
            return True
        resolved = _resolved(path)
        return any(resolved == d or d in resolved.parents for d in self.rules_dirs)

    def fingerprint(self, paths: Iterable[str | None]) -> dict[str, tuple]:
        """What the configs of these documents depend on: every config file that is or could be
        found above them, and the files in the rules folders in use (sizes, times). Compare two
        with :func:`changed`."""
        seen: dict[str, tuple] = {}
        folders: set[Path] = set()
        for path in paths:
            folder = Path(path).resolve().parent if path else self._cwd
            folders.update([folder, *folder.parents])
        for folder in folders:
            for name in CONFIG_NAMES:
                seen[str(folder / name)] = _stat(folder / name)
        for folder in self.rules_dirs:
            # the files rules load from (hidden names skipped), walked without recursion as they are
            try:
                listing = [(str(path), *_stat(path)) for path in walk(folder, MAX_RULE_TREE)]
            except TreeTooLarge:  # the rule set's load refuses it
                listing = [("too large",)]
            seen[str(folder)] = tuple(sorted(listing))
        return seen

    # -- linting -------------------------------------------------------------------------------

    def analyse(self, text: str, path: str | None, language_id: str | None = None, version: int | None = None) -> Analysis:
        """Lint one document's text as it is in the editor (``path`` is where it lives, if on disk)."""
        def nothing(reason: str) -> Analysis:
            log.info("%s: not linted: %s", path or "untitled document", reason)
            return Analysis(text, path, version, reason=reason)

        if not lintable(path, language_id):
            return nothing(f"not a letter file ({', '.join(SUFFIXES)}) nor a Markdown or plain-text document")
        if len(text) > MAX_BYTES:
            return nothing(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
        cfg = self.config_for(path)
        if path and cfg.is_excluded(Path(path)):
            return nothing(f"excluded by {cfg.path or 'the default excludes (README, LICENSE, ...)'}")
        linter = self._linter(cfg)
        linted, notes, in_place = text, (), True
        if path and Path(path).suffix.lower() == ".eml":  # an e-mail opened as text: read as check reads it
            try:
                source = extract(text.encode("utf-8", "surrogatepass"), path)
            except LintletterError as exc:
                return nothing(str(getattr(exc, "reason", exc)))
            linted, notes = source.text, source.notes
            in_place = len(linted) == len(text)
        elif "\x00" in text:
            return nothing("binary file (contains NUL bytes), not a letter")
        from ..embedded import DEFAULT_MODE

        item = (path, linted, cfg.ignores_for(Path(path) if path else None), notes, cfg.embedded or DEFAULT_MODE, cfg.require_letter)
        reports = tuple(linter.lint_documents([item]))
        return Analysis(text, path, version, reports, linter.ruleset, in_place)


def changed(before: dict[str, tuple], after: dict[str, tuple]) -> bool:
    """Whether anything both fingerprints know of differs (a document opened in a new folder adds
    entries, which is no change: its config is read fresh anyway)."""
    return any(after[key] != value for key, value in before.items() if key in after)


def _stat(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return (None, None)
    return (st.st_mtime_ns, st.st_size)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()
