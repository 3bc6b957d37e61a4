"""One `lintletter check` run: paths + options -> reports, input errors and pass/fail.

This is the glue between reading files, per-folder configuration and the pure core
(:class:`lintletter.api.Linter`); the CLI only parses flags and prints what this returns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Collection, Iterator, Sequence

from .config import Config, ConfigFinder
from .gitignore import GitIgnore
from .errors import InputError, LintletterError
from .formatters import LateReasons, ReportStream, Run, looks_like_report
from .model import Report, Severity
from .policy import Policy, too_many_warnings
from .reading import Source, expand, read_all
from .realpaths import RealPaths


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
    jobs: int | None = None  # None/0: automatic
    embedded: str | None = None  # off | marked | auto; None: as the config says (default auto)
    #: keep and reuse reports in the result cache (lintletter.cache); off unless the CLI asks
    cache: bool = False
    #: one cache folder for every letter, instead of one next to each letter's config file
    cache_dir: Path | None = None


@dataclass(frozen=True)
class CheckOutcome:
    run: Run
    #: every input named or found (read or not), resolved: --output must never replace one of them
    inputs: Collection[Path] = field(default_factory=frozenset)
    #: one-line warnings for stderr (a cache folder that cannot be used); never a failure. Of a
    #: streamed run, one may come as the reports are written (a cache entry that cannot be stored)
    warnings: Sequence[str] = ()

    @property
    def failed(self) -> bool:
        """Some letter or the run fails (of a streamed run: known once its reports are written)."""
        return not self.run.passed


#: whether spaCy's import was frozen out of the collector (gc.freeze) in this process
_SPACY_FROZEN = False


class _Linters:
    """One spaCy pipeline per process, one rule set and Linter per distinct configuration."""

    def __init__(self, nlp=None) -> None:
        self._nlp = nlp  # given: a pipeline already loaded (the language server keeps one across reloads)
        self._rulesets: dict[tuple[Path, ...], tuple] = {}  # rules -> (rule set, cues state, key)
        self._cues: dict[tuple[Path, ...], object] = {}
        self._linters: dict[tuple, object] = {}

    def ruleset(self, rules: tuple[Path, ...]):
        """The rule set of ``rules``, from lintletter.compiled_rules' cache when it has it."""
        from . import compiled_rules

        if rules not in self._rulesets:
            self._rulesets[rules] = compiled_rules.lookup(rules)
        return self._rulesets[rules][0]

    def linter(self, config: Config):
        key = config.ruleset_key()
        if key not in self._linters:
            import gc

            # Building the first Linter imports spaCy and lintletter's linting modules, loads the
            # pipeline and the rules: ~135,000 objects that live as long as the run and no cycles
            # to free, so the collector (every 700 allocations) only costs time (~50 ms of a
            # one-letter run, issue 17). It runs again as soon as the Linter is built. spaCy's
            # import is frozen (kept out of every later collection): srsly turns the collector
            # back on after each msgpack file it reads, as the pipeline loads, and the first
            # collection then went through all of spaCy's import (~35 ms).
            enabled = gc.isenabled()
            gc.disable()
            try:
                global _SPACY_FROZEN
                if self._nlp is None and not _SPACY_FROZEN:  # once a process (tests call main() often)
                    import spacy  # noqa: F401

                    gc.freeze()
                    _SPACY_FROZEN = True
                self._linters[key] = self._build(config)
            finally:
                if enabled:
                    gc.enable()
        return self._linters[key]

    def _build(self, config: Config):
        from . import compiled_rules, pipeline
        from .api import Linter

        if self._nlp is None:
            self._nlp = pipeline.load()
        base = self.ruleset(config.rules)
        if config.rules not in self._cues:
            _, state, entry = self._rulesets[config.rules]
            self._cues[config.rules] = compiled_rules.cues_for(self._nlp, base, state, entry)
        ruleset = base.with_overrides(config.severity, config.weights)
        return Linter(
            ruleset, self._nlp, select=config.select, ignore=config.ignore, extend_select=config.extend_select,
            cues=self._cues[config.rules],
        )


#: Below this many letters a run is quick enough to need no progress line.
PROGRESS_MIN_LETTERS = 100


def run_check(
    paths: Sequence[str], options: Options, color: bool = False, quiet: bool = False, progress=None,
    stream: bool = False,
) -> CheckOutcome:
    """``progress(done, total)``, if given, is called as letters are linted (runs of at least
    :data:`PROGRESS_MIN_LETTERS`); the CLI passes one only when stderr is a terminal.

    ``stream``: the run's reports are a :class:`~lintletter.formatters.ReportStream`, linted as
    the format reads them (once, in order), so that a report is written and let go as soon as it is
    done: memory stays flat however many letters there are. Letters are still read, and the cache
    looked up, before the first is linted; the run's pass/fail is known once the stream is read.
    Without it, every report is in ``run.reports`` (the same reports, in the same order)."""
    finder = ConfigFinder(options.config) if not options.no_config else None
    linters = _Linters()
    effective: dict[Path | None, Config] = {}  # config file -> its settings with the flags applied
    no_file = Config(root=Path.cwd().resolve())

    found: dict[str, Config] = {}  # a letter's path -> its config file's settings (looked up once)

    def config_for(path: Path | None) -> Config:
        if path is not None:
            known = found.get(str(path))
            if known is not None:
                return known
        base = finder.for_path(path) if finder else no_file
        if base.path not in effective:  # once per config file: check its rule codes, apply the flags
            if base.names_codes():  # else nothing to check: a run from a warm cache never loads the rules
                base.check_codes(linters.ruleset(base.rules))
            effective[base.path] = _with_flags(base, options)
        if path is not None:
            found[str(path)] = effective[base.path]
        return effective[base.path]

    named: set[Path] = set()
    files: dict[str, Path] = {}
    real = RealPaths(remember_files=True)  # one resolver for the run: each file is looked at once
    wanted, errors = _letters_to_read(paths, config_for, named, files, real)
    sources: list[tuple[Source, Config]] = []
    given = set(paths)
    for item in _read(wanted, files, options.stdin_filename):
        if isinstance(item, LintletterError):
            errors.append(item)
        elif item.path not in given and looks_like_report(item.text):
            continue  # a report saved with -o into the letters' folder is not a letter
        else:
            where = None if item.path == "-" else files.get(item.path) or Path(item.path)
            sources.append((item, config_for(where)))

    warnings: list[str] = []
    cache = _RunCache(options, linters, warnings) if options.cache else None
    stdin = (options.stdin_filename or "-") if "-" in given else None  # how a letter read from stdin is named
    cached = cache.look_up(sources, stdin) if cache is not None else [None] * len(sources)
    todo = [pair for pair, hit in zip(sources, cached) if hit is None]
    jobs = choose_jobs(options.jobs, todo)
    if progress is None or len(todo) < PROGRESS_MIN_LETTERS:
        progress = None
    if not todo:  # every letter from the cache: nothing of the linter is imported
        linted = iter(())
    else:
        linted = _lint_parallel(todo, jobs, linters, progress) if jobs > 1 else iter_sources(todo, linters, progress)
    in_order = _in_order(sources, cached, linted, cache)  # (report, its file's config): a file may give several
    if stream:
        reports = ReportStream((r, Policy(cfg.fail_on, cfg.min_score), cfg.max_warnings) for r, cfg in in_order)
        policies, run_reasons = reports.policies, LateReasons(reports)
    else:
        pairs = list(in_order)
        reports = [r for r, _ in pairs]
        policies = tuple(Policy(cfg.fail_on, cfg.min_score) for _, cfg in pairs)
        run_reasons = too_many_warnings(reports, [cfg.max_warnings for _, cfg in pairs])
        reports = tuple(reports)
        del pairs
    given_paths = named | {Path(p) for p in paths if p != "-"}
    if options.stdin_filename:  # an editor's buffer: its file on disk is the letter too
        given_paths.add(Path(options.stdin_filename))
    inputs = _Resolved(given_paths, real)
    # the rules that formats such as SARIF describe: the first letter's configuration's
    first = sources[0][1] if sources else config_for(None)
    described = _RulesOf(lambda: linters.ruleset(first.rules).with_overrides(first.severity, first.weights).rules)
    run = Run(
        reports, tuple(errors), color=color, quiet=quiet, rules=described,
        policies=policies, run_reasons=run_reasons,
    )  # fmt: skip
    return CheckOutcome(run, inputs, warnings if stream else tuple(warnings))


class _Resolved(Collection):
    """The real paths of a run's inputs, resolved when first asked for: only --output needs them, and
    resolving a thousand paths was a tenth of a run from a warm cache."""

    def __init__(self, paths: set[Path], real: RealPaths) -> None:
        self._paths, self._real = paths, real
        self._resolved: frozenset[Path] | None = None

    def _get(self) -> frozenset[Path]:
        if self._resolved is None:
            self._resolved = frozenset(_resolved(p, self._real) for p in self._paths)
        return self._resolved

    def __contains__(self, path) -> bool:
        return path in self._get()

    def __iter__(self):
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())


class _RulesOf(Sequence):
    """The rules a run describes (SARIF's tool.driver.rules), loaded only when a format reads them:
    a run whose letters all come from the cache then never parses the rule files."""

    def __init__(self, load) -> None:
        self._load = load
        self._rules: tuple | None = None

    def _get(self) -> tuple:
        if self._rules is None:
            self._rules = tuple(self._load())
        return self._rules

    def __getitem__(self, index):
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())

    def __iter__(self):
        return iter(self._get())

    def __eq__(self, other) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) else other)

    def __repr__(self) -> str:
        return f"_RulesOf({self._get()!r})"


class _RunCache:
    """The result cache for one run (:mod:`lintletter.cache`): the key of each file's reports,
    the folder they go to, hits read back, misses written after they are linted."""

    def __init__(self, options: Options, linters: _Linters, warnings: list[str]) -> None:
        from . import cache

        self._cache = cache
        self._options = options
        self._linters = linters
        self._warnings = warnings
        self._keys = cache.Keys()
        self._codec = cache.Codec()
        self._folders: dict[Path, object] = {}
        self._per_config: dict[int, tuple] = {}
        self._cwd = Path.cwd()
        self._pending: list[tuple[object, str, str]] = []  # (folder, key, source text) per miss

    def _warn(self, message: str) -> None:
        if not self._warnings:  # at most one line a run
            self._warnings.append(message)

    def _for_config(self, cfg: Config) -> tuple[object, str]:
        """The folder and the settings' part of the key for the letters under ``cfg``."""
        if id(cfg) not in self._per_config:
            root = Path(os.path.abspath(self._options.cache_dir or self._cache.folder_for(cfg.path, self._cwd)))
            if root not in self._folders:
                self._folders[root] = self._cache.CacheFolder(root, self._warn)
            from .model import builtin_rules_dir as _builtin_rules_dir

            # the folders load_ruleset reads for this config: the built-in rules, then its own
            settings = self._keys.settings((_builtin_rules_dir(), *cfg.rules), cfg)
            self._per_config[id(cfg)] = (cfg, self._folders[root], settings)  # cfg: its id stays its own
        _, folder, settings = self._per_config[id(cfg)]
        return folder, settings

    def look_up(self, sources: Sequence[tuple[Source, Config]], stdin: str | None) -> list[list[Report] | None]:
        """Each file's reports from the cache, or None; ``stdin`` is the name of a letter read from
        standard input, which is never cached (an editor's buffer: new text nearly every time)."""
        found: list[list[Report] | None] = []
        for source, cfg in sources:
            if source.path == stdin:
                found.append(None)
                self._pending.append((None, "", ""))
                continue
            folder, settings = self._for_config(cfg)
            ignored = cfg.ignores_for(Path(source.path)) if cfg.per_file_ignores else ()
            key = self._keys.letter(settings, source.path, source.text, source.encoding, source.notes, ignored)
            data = folder.read(key)
            reports = self._cache.decode_entry(data, key, source.text, self._codec) if data is not None else None
            found.append(reports)
            if reports is None:
                self._pending.append((folder, key, source.text))
        return found

    def store(self, index: int, reports: list[Report]) -> None:
        """Keep the reports of the ``index``-th file that was not found."""
        folder, key, text = self._pending[index]
        if folder is None or not folder.writable:
            return
        try:
            data = self._cache.encode_entry(key, reports, text, self._codec)
        except self._cache.Unencodable:
            return  # a value the cache cannot store faithfully: this file is linted every time
        folder.write(key, data)

    def finish(self) -> None:
        for folder in self._folders.values():
            if folder.written:
                folder.prune()


def _in_order(
    sources: Sequence[tuple[Source, Config]], cached: list[list[Report] | None], linted: Iterator[Report],
    cache: _RunCache | None,
) -> Iterator[tuple[Report, Config]]:
    """Each report in input order with its file's configuration: each file's reports from the cache,
    or the next file's of ``linted`` (which the cache then keeps), as soon as they are done."""
    linted = iter(linted)
    ahead: list[Report] = []  # the first report of the next file, read to know that a file ended

    def next_file() -> list[Report]:
        group = ahead[:] or [next(linted)]
        ahead.clear()
        for report in linted:
            if _starts_file(report):
                ahead.append(report)
                break
            group.append(report)
        return group

    done = 0
    for (_, cfg), hit in zip(sources, cached):
        if hit is None:
            group = next_file()
            if cache is not None:
                cache.store(done, group)
            done += 1
        else:
            group = hit
        for report in group:
            yield report, cfg
    if cache is not None:
        cache.finish()


def _starts_file(report: Report) -> bool:
    return report.letter is None or report.letter.index == 1


def source_of(reports: Sequence[Report]) -> list[int]:
    """For each report, the index of the file it came from: a file gives one report, or one per
    letter found in it (numbered from 1), in order."""
    owners: list[int] = []
    current = -1
    for report in reports:
        if _starts_file(report):
            current += 1
        owners.append(current)
    return owners


def _with_flags(base: Config, options: Options) -> Config:
    return base.with_cli(
        select=options.select,
        extend_select=options.extend_select,
        ignore=options.ignore,
        min_score=options.min_score,
        fail_on=Severity(options.fail_on) if options.fail_on else None,
        max_warnings=options.max_warnings,
        rules=options.rules,
        embedded=options.embedded,
    )


def _documents(group: Sequence[tuple[Source, Config]]) -> Iterator[tuple]:
    """The ``Linter.lint_documents`` items for letters that share one configuration."""
    from .embedded import DEFAULT_MODE

    for s, cfg in group:
        ignore = cfg.ignores_for(Path(s.path) if s.path != "-" else None)
        yield (s.path, s.text, ignore, s.notes, cfg.embedded or DEFAULT_MODE, cfg.require_letter)


def lint_sources(sources: Sequence[tuple[Source, Config]], linters: _Linters | None = None, progress=None) -> list[Report]:
    """Lint in order; consecutive letters with the same configuration share one batched Linter.

    Each file gives one report per letter in it (``embedded``: a file that is a letter gives one)."""
    return list(iter_sources(sources, linters, progress))


def iter_sources(sources: Sequence[tuple[Source, Config]], linters: _Linters | None = None, progress=None) -> Iterator[Report]:
    """:func:`lint_sources`, each report handed on as soon as it is done."""
    linters = linters or _Linters()
    count = 0
    for _, group in groupby(sources, key=lambda pair: pair[1].ruleset_key()):
        group = list(group)
        for report in linters.linter(group[0][1]).lint_documents(_documents(group)):
            count += 1
            if progress is not None:
                progress(min(count, len(sources)), len(sources))
            yield report


def lint_source_groups(sources: Sequence[tuple[Source, Config]], linters: _Linters) -> list[tuple[Report, ...]]:
    """:func:`lint_sources` for ``fix``: each file's reports together (one tuple per source), each
    letter's report with its own text, not the document's shared view."""
    groups: list[tuple[Report, ...]] = []
    for _, group in groupby(sources, key=lambda pair: pair[1].ruleset_key()):
        group = list(group)
        groups += linters.linter(group[0][1]).lint_document_groups(_documents(group), shared_view=False)
    return groups


#: Below this many letters a second process costs more (its own pipeline start-up) than it saves.
PARALLEL_MIN_LETTERS = 200


def choose_jobs(requested: int | None, sources: Sequence) -> int:
    """--jobs N, at most one process per core and per letter; by default (0/None) one process per
    core (up to 8) for large runs, else one. More processes than cores only cost memory: each
    holds its own copy of the pipeline."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if requested and requested > 0:
        return max(1, min(requested, cores, len(sources)))
    return min(cores, 8) if len(sources) >= PARALLEL_MIN_LETTERS else 1


#: Letters per piece of work handed to a worker process: small enough that the reports come back
#: (and are written) while the workers go on, and that the workers finish together; large enough
#: that handing work out costs nothing next to linting it (~10 ms a letter).
CHUNK_LETTERS = 64


def _lint_parallel(sources: list[tuple[Source, Config]], jobs: int, linters: _Linters, progress=None) -> Iterator[Report]:
    """Split the letters into contiguous chunks of similar size, lint them in ``jobs`` processes,
    and hand the reports on in input order as each chunk comes back: the output is identical to a
    serial run."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = _balanced_chunks(sources, max(jobs, -(-len(sources) // CHUNK_LETTERS)))
    if "fork" in multiprocessing.get_all_start_methods():
        # Load the pipeline and compile the rules once, here; forked workers inherit them.
        for _, cfg in sources:
            linters.linter(cfg)
        # ... and keep all of that out of the collector: a worker's collections would otherwise go
        # through the inherited objects, copying every page they sit on (copy-on-write), and take
        # the time to do it; the parent frees nothing cyclic among them during the run anyway.
        import gc

        gc.freeze()
        context, args = multiprocessing.get_context("fork"), (linters, os.getpid())
    else:  # spawn: each worker loads its own
        context, args = multiprocessing.get_context("spawn"), (None, os.getpid())
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_adopt_linters, initargs=args)
    try:
        done = 0
        for part in pool.map(_lint_chunk, chunks):
            done += len(part)
            if progress is not None:
                progress(min(done, len(sources)), len(sources))
            yield from part
            del part
    except BaseException:  # Ctrl+C, SIGTERM, a dead worker, output closed: stop the others now, do not wait
        _stop_workers(pool)
        raise
    pool.shutdown()


def _stop_workers(pool) -> None:
    # ProcessPoolExecutor has no public way to end running work before Python 3.14 (terminate_workers).
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        try:
            process.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass


#: Set once in each forked worker process by the pool's initializer; never in the main process.
_worker_linters: _Linters | None = None


def _adopt_linters(linters: _Linters | None, parent: int) -> None:
    from .shutdown import become_worker

    become_worker(parent)
    global _worker_linters
    _worker_linters = linters


def _lint_chunk(chunk: list[tuple[Source, Config]]) -> list[Report]:
    return lint_sources(chunk, _worker_linters)


def _balanced_chunks(items: list, n: int) -> list[list]:
    """``n`` contiguous slices with about the same number of characters each (cost follows length)."""
    total = sum(len(s.text) for s, _ in items) or 1
    chunks: list[list] = [[]]
    done = 0
    for item in items:
        if done >= total * len(chunks) / n and len(chunks) < n and chunks[-1]:
            chunks.append([])
        chunks[-1].append(item)
        done += len(item[0].text)
    return chunks


def _resolved(path: Path, real: RealPaths | None = None) -> Path:
    try:
        return real.of(path) if real is not None else path.resolve()
    except (OSError, RuntimeError, ValueError):
        return path.absolute()


def _read(wanted: list[str], files: dict[str, Path], stdin_name: str | None):
    """read_all(wanted), with the files already found to be regular files read straight away
    (not looked up and expanded again)."""
    from .reading import read_file

    for shown in wanted:
        path = files.get(shown)
        if path is None:  # stdin, a folder without letters, a missing path: read_all says what it is
            yield from read_all([shown], stdin_name=stdin_name)
            continue
        try:
            yield read_file(path, shown)
        except InputError as exc:
            yield exc


def _letters_to_read(
    paths: Sequence[str], config_for, seen: set[Path] | None = None, files: dict[str, Path] | None = None,
    real: RealPaths | None = None,
) -> tuple[list[str], list[InputError]]:
    """Expand folders and drop what config excludes; .gitignore applies to files found by walking.

    A folder whose letters are all excluded is an error (a run that checks nothing must not pass
    silently); a file named on the command line and excluded is skipped quietly, as pre-commit,
    which names every staged file, needs. ``seen`` collects every path named or found, excluded or
    not, for --output to protect; ``files`` the path of each letter wanted that is a file. The ignore files that could not be read are errors too."""
    real = real if real is not None else RealPaths(remember_files=True)
    gitignore = GitIgnore(real)
    given = set(paths)
    wanted: list[str] = []
    errors: list[InputError] = []
    for argument in paths:
        found = kept = 0
        for shown, path in expand([argument]):
            if path is not None and seen is not None:
                seen.add(path)
            if path is None or not path.is_file():
                wanted.append(shown)  # stdin, folders without letters and missing paths: reading reports them
                continue
            found += 1
            cfg = config_for(path)
            if cfg.is_excluded(path, real.text_of(path)):
                continue
            if shown not in given and cfg.respect_gitignore and gitignore.ignores(path):
                continue
            wanted.append(shown)
            if files is not None:  # a regular file (is_file above): read it without looking again
                files[shown] = path
            kept += 1
        if found and not kept and Path(argument).is_dir():
            errors.append(
                InputError(argument, f"nothing to check: the {found} letter file(s) found are all excluded (exclude, extend-exclude or .gitignore)")
            )
    errors.extend(gitignore.problems)
    return wanted, errors
