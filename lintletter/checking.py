"""One `lintletter check` run: paths + options -> reports, input errors and pass/fail.

This is the glue between reading files, per-folder configuration and the pure core
(:class:`lintletter.api.Linter`); the CLI only parses flags and prints what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Sequence

from .config import Config, ConfigFinder
from .discovery import GitIgnore
from .errors import InputError, LintletterError
from .formatters import Run
from .model import Report, Severity
from .reading import Source, expand, read_all


@dataclass(frozen=True)
class Options:
    """Command-line choices; None / empty means "as the config file says"."""

    select: Sequence[str] | None = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    min_score: int | None = None
    fail_on: str | None = None
    max_warnings: int | None = None
    rules: tuple[Path, ...] = ()
    config: Path | None = None
    no_config: bool = False
    stdin_filename: str | None = None


@dataclass(frozen=True)
class CheckOutcome:
    run: Run
    failed: bool
    #: every letter read, resolved: --output must never replace one of them
    inputs: frozenset[Path] = field(default_factory=frozenset)


class _Linters:
    """One spaCy pipeline per process, one rule set and Linter per distinct configuration."""

    def __init__(self) -> None:
        self._nlp = None
        self._rulesets: dict[tuple[Path, ...], object] = {}
        self._linters: dict[tuple, object] = {}

    def ruleset(self, rules: tuple[Path, ...]):
        from .ruleset import load_ruleset

        if rules not in self._rulesets:
            self._rulesets[rules] = load_ruleset(list(rules))
        return self._rulesets[rules]

    def linter(self, config: Config):
        from . import pipeline
        from .api import Linter

        key = config.ruleset_key()
        if key not in self._linters:
            if self._nlp is None:
                self._nlp = pipeline.load()
            ruleset = self.ruleset(config.rules).with_overrides(config.severity, config.weights)
            self._linters[key] = Linter(
                ruleset, self._nlp, select=config.select, ignore=config.ignore, extend_select=config.extend_select
            )
        return self._linters[key]


def run_check(paths: Sequence[str], options: Options, color: bool = False, quiet: bool = False) -> CheckOutcome:
    finder = ConfigFinder(options.config) if not options.no_config else None
    linters = _Linters()
    checked: dict[Path | None, Config] = {}

    def config_for(path: Path | None) -> Config:
        base = finder.for_path(path) if finder else Config(root=Path.cwd().resolve())
        if base.path not in checked:  # validate each config file's rule codes once, naming the file
            base.check_codes(linters.ruleset(base.rules))
            checked[base.path] = base
        return base.with_cli(
            select=options.select,
            extend_select=options.extend_select,
            ignore=options.ignore,
            min_score=options.min_score,
            fail_on=Severity(options.fail_on) if options.fail_on else None,
            max_warnings=options.max_warnings,
            rules=options.rules,
        )

    wanted = _letters_to_read(paths, config_for)
    sources: list[tuple[Source, Config]] = []
    errors: list[InputError] = []
    for item in read_all(wanted, stdin_name=options.stdin_filename):
        if isinstance(item, LintletterError):
            errors.append(item)
        else:
            where = None if item.path == "-" else Path(item.path)
            sources.append((item, config_for(where)))

    reports: list[Report] = []
    failed = False
    described = None  # the rules formats such as SARIF describe: the first configuration's
    for _, group in groupby(sources, key=lambda pair: pair[1].ruleset_key()):
        group = list(group)
        linter = linters.linter(group[0][1])
        described = described or linter.ruleset.rules
        items = ((s.path, s.text, cfg.ignores_for(Path(s.path) if s.path != "-" else None)) for s, cfg in group)
        for report, (_, cfg) in zip(linter.lint_many(items), group):
            reports.append(report)
            failed |= _fails(report, cfg)
    failed |= _too_many_warnings(reports, [cfg for _, cfg in sources])
    inputs = frozenset(Path(s.path).resolve() for s, _ in sources if s.path != "-")
    if described is None:
        described = linters.ruleset(tuple(Path(p).resolve() for p in options.rules)).rules
    run = Run(tuple(reports), tuple(errors), color=color, quiet=quiet, rules=tuple(described))
    return CheckOutcome(run, failed, inputs)


def _letters_to_read(paths: Sequence[str], config_for) -> list[str]:
    """Expand folders and drop what config excludes; .gitignore applies to files found by walking."""
    gitignore = GitIgnore()
    given = set(paths)
    wanted: list[str] = []
    for shown, path in expand(list(paths)):
        if path is None or not path.is_file():
            wanted.append(shown)  # stdin, folders without letters and missing paths: reading reports them
            continue
        cfg = config_for(path)
        if cfg.is_excluded(path):
            continue
        if shown not in given and cfg.respect_gitignore and gitignore.ignores(path):
            continue
        wanted.append(shown)
    return wanted


def _fails(report: Report, config: Config) -> bool:
    if any(f.severity.rank >= config.fail_on.rank for f in report.findings):
        return True
    return config.min_score is not None and report.score.value < config.min_score


def _too_many_warnings(reports: list[Report], configs: list[Config]) -> bool:
    """max-warnings counts every warning under the letters that share a limit."""
    by_limit: dict[int, int] = {}
    for report, cfg in zip(reports, configs):
        if cfg.max_warnings is not None:
            warnings = sum(f.severity is Severity.WARNING for f in report.findings)
            by_limit[cfg.max_warnings] = by_limit.get(cfg.max_warnings, 0) + warnings
    return any(count > limit for limit, count in by_limit.items())
