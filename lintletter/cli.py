"""Command line: a thin Typer layer over :mod:`lintletter.api`.

Exit codes (documented in the README):
    0  every letter passes (or --exit-zero)
    1  some letter fails: a finding at or above --fail-on (default warning), a score below
       --min-score, or more warnings than --max-warnings
    2  usage, rule or config error, an input that could not be read (other inputs still linted),
       or nothing to check
"""

from __future__ import annotations

import itertools
import os
import sys
import traceback
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .errors import LintletterError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="lintletter",
    help="Lint post-interview networking letters: six sections, tone, form, and a score out of 100.",
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # Plain help: option metavars (--select CODES) rather than Python types (<list[str]>).
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _typer_exceptions() -> tuple[type, type]:
    """(UsageError, ClickException) as typer raises them.

    typer vendors its own copy of click from 0.26 on, so its exceptions are not click's; take the
    classes from typer's public ``BadParameter`` (a UsageError, a ClickException) rather than from
    a private module, which works whichever copy of click typer uses.
    """
    mro = typer.BadParameter.__mro__
    by_name = {cls.__name__: cls for cls in mro}
    return by_name["UsageError"], by_name["ClickException"]


_UsageError, _ClickException = _typer_exceptions()


def _split(values: Optional[List[str]]) -> list[str]:
    """--select A,B --select C -> [A, B, C]."""
    out: list[str] = []
    for v in values or []:
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def _use_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def _is_terminal(stream) -> bool:
    return hasattr(stream, "isatty") and stream.isatty()


class _Progress:
    """"lintletter: 2,300 of 10,000 letters" on one terminal line, rewritten in place."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self._shown = -1
        self._written = False

    def __call__(self, done: int, total: int) -> None:
        percent = done * 100 // total
        if percent == self._shown:
            return
        self._shown = percent
        self._written = True
        self._stream.write(f"\rlintletter: {done:,} of {total:,} letters ({percent}%)")
        self._stream.flush()

    def clear(self) -> None:
        if self._written:
            self._stream.write("\r\x1b[K")
            self._stream.flush()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lintletter {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", "-V", callback=_version, is_eager=True, help="Show the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show the traceback of a crash (a bug); accepted anywhere on the line."),
) -> None:
    """lintletter checks the letter a candidate sends after a final-round rejection."""


@app.command()
def check(
    paths: List[str] = typer.Argument(..., metavar="PATH", hidden=True),
    format: str = typer.Option("text", "--format", "-f", metavar="FORMAT", help="Output format: text, concise, json, sarif, github, junit, html or pretty.", show_default=True),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the report to this file (atomically) instead of stdout."),
    min_score: Optional[int] = typer.Option(None, "--min-score", min=0, max=100, metavar="N", help="Fail letters scoring below N."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="SEVERITY", help="Lowest severity that fails a letter: error, warning (default) or info."),
    max_warnings: Optional[int] = typer.Option(None, "--max-warnings", min=0, metavar="N", help="Fail the run when there are more than N warnings in total."),
    select: Optional[List[str]] = typer.Option(None, "--select", metavar="CODES", help="Only report these codes, prefixes or names (comma-separated)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", metavar="CODES", help="Report these too, on top of the selection."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="CODES", help="Do not report these codes, prefixes or names."),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", metavar="DIR", help="Extra rule folder (repeatable): new rules, extensions, replacements."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this config file instead of searching for one."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore config files; use only the defaults and flags."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only each letter's score line and its findings."),
    statistics: bool = typer.Option(False, "--statistics", help="Also print how often each rule fired and how sections fared."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", metavar="NAME", help="Name to report for a letter read from stdin (-)."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when letters fail (report only); errors still exit 2."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, metavar="N", help="Processes to lint with; 0 (default): one per core for 200+ letters, else one."),
    embedded: Optional[str] = typer.Option(None, "--embedded", metavar="MODE", help="Letters inside documents: off (the file is one letter), marked (```letter blocks, lintletter markers) or auto (default: marked and found in the prose)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Lint every letter again: neither read nor write the result cache (also LINTLETTER_NO_CACHE=1)."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", metavar="DIR", help="Keep the result cache in DIR (also LINTLETTER_CACHE_DIR) instead of .lintletter_cache next to each letter's config file."),
) -> None:
    """Check letters and report sections, findings and scores.

    PATH: letters (.txt, .md, .eml, .docx), folders (searched recursively), or - for stdin.
    """
    from .runner import Options, run_check
    from .formatters import FORMATS, STREAMING, render_chunks
    from .formatters.statistics import render_statistics
    from .output import write_atomic, write_stream

    if format not in FORMATS:
        raise typer.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    if fail_on not in (None, "error", "warning", "info"):
        raise typer.BadParameter("must be error, warning or info", param_hint="--fail-on")
    if embedded not in (None, "off", "marked", "auto"):
        raise typer.BadParameter("must be off, marked or auto", param_hint="--embedded")
    options = Options(
        select=_split(select) or None,
        extend_select=_split(extend_select),
        ignore=_split(ignore),
        min_score=min_score,
        fail_on=fail_on,
        max_warnings=max_warnings,
        rules=tuple(rules or ()),
        config=config,
        no_config=no_config,
        stdin_filename=stdin_filename,
        jobs=jobs,
        embedded=embedded,
        cache=not no_cache and not _env_flag("LINTLETTER_NO_CACHE"),
        cache_dir=cache_dir or (Path(os.environ["LINTLETTER_CACHE_DIR"]) if os.environ.get("LINTLETTER_CACHE_DIR") else None),
    )
    progress = _Progress(sys.stderr) if _is_terminal(sys.stderr) else None  # never in pipes, CI logs or files
    summary = format == "github" and bool(os.environ.get("GITHUB_STEP_SUMMARY"))
    # Formats that write each report as it comes get them as they are linted, and let each go once
    # written; --statistics and the job summary read every report again, so they keep them all.
    stream = format in STREAMING and not statistics and not summary and progress is None
    try:
        outcome = run_check(
            paths, options, color=output is None and _use_color(sys.stdout), quiet=quiet, progress=progress, stream=stream,
        )  # fmt: skip
    finally:
        if progress is not None:
            progress.clear()
    from .formatters import visible

    warned = len(outcome.warnings)
    for warning in outcome.warnings:
        typer.echo(f"lintletter: warning: {visible(warning)}", err=True)  # it may name a folder
    for err in outcome.run.errors:
        typer.echo(f"lintletter: error: {visible(str(err))}", err=True)  # a file name may hold a line break
    chunks = render_chunks(format, outcome.run)  # written as produced: 10,000 reports need not sit in memory twice
    if statistics:
        stats = render_statistics(outcome.run)
        if format == "text" and output is None:
            chunks = itertools.chain(chunks, [stats])
        else:  # keep machine-readable output valid: the counts go to stderr
            typer.echo(stats, err=True, nl=False)
    if output is not None:
        write_atomic(output, chunks, outcome.inputs)
    else:
        write_stream(chunks)
    for warning in outcome.warnings[warned:]:  # a streamed run's, as its reports were written
        typer.echo(f"lintletter: warning: {visible(warning)}", err=True)
    if summary:
        _append_step_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), outcome.run)
    raise typer.Exit(EXIT_ERROR if outcome.run.errors else EXIT_FINDINGS if outcome.failed and not exit_zero else EXIT_OK)


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


@app.command("clean")
def clean(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATH", hidden=True),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="The config file whose cache to remove, instead of searching for one."),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", metavar="DIR", help="Remove the cache in DIR (as given to check --cache-dir)."),
) -> None:
    """Remove the result cache (.lintletter_cache) that check keeps, and the compiled rules it keeps
    in your cache folder.

    PATH: folders or letters (default: the current folder): the cache next to the config file that
    applies to each, and a .lintletter_cache inside each folder given.
    """
    from . import cache, compiled_rules
    from .config import ConfigFinder

    folders: dict[Path, None] = {}
    if cache_dir is not None:
        folders[cache_dir] = None
    else:
        finder = ConfigFinder(config)
        for path in paths or [Path(".")]:
            folders[cache.folder_for(finder.for_path(path).path, Path.cwd())] = None
            if path.is_dir():
                folders[path / cache.DIR_NAME] = None
    removed = [folder for folder in folders if cache.clean(folder)]
    compiled = compiled_rules.clean()
    if compiled is not None:
        removed.append(compiled)
    for folder in removed:
        typer.echo(f"removed {folder}")
    if not removed:
        typer.echo("no cache to remove", err=True)


def _append_step_summary(path: Path, run) -> None:
    """GitHub shows this file's Markdown on the run's summary page; failing to write it is not fatal."""
    from .formatters.github import step_summary

    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(step_summary(run))
    except OSError as exc:
        typer.echo(f"lintletter: warning: cannot append to GITHUB_STEP_SUMMARY ({exc.strerror})", err=True)


@app.command("fix")
def fix_letters(
    paths: List[str] = typer.Argument(..., metavar="LETTER", hidden=True),
    write: bool = typer.Option(False, "--write", "-w", help="Rewrite the letters (atomically) instead of printing a diff."),
    select: Optional[List[str]] = typer.Option(None, "--select", metavar="CODES", help="Only fix what these codes, prefixes or names report (comma-separated)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", metavar="CODES", help="Fix these too, on top of the selection."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", metavar="CODES", help="Do not fix what these codes, prefixes or names report."),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", metavar="DIR", help="Extra rule folder (repeatable)."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this config file instead of searching for one."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore config files; use only the defaults and flags."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", metavar="NAME", help="Name to show for a letter read from stdin (-)."),
) -> None:
    """Insert the suggested sentences where they belong, as a unified diff (nothing changes on disk).

    LETTER: .txt or .md letters, folders, or - for stdin (diff only). Exit 1 when something would
    be inserted, 0 when there is nothing to do (or after --write), 2 on errors.
    """
    from .runner import Options
    from .fix import unified_diff
    from .fixing import run_fix
    from .output import write_stream

    if write and "-" in paths:
        raise _UsageError("--write cannot rewrite standard input; give the letter's path")
    options = Options(
        select=_split(select) or None,
        extend_select=_split(extend_select),
        ignore=_split(ignore),
        rules=tuple(rules or ()),
        config=config,
        no_config=no_config,
        stdin_filename=stdin_filename,
    )
    from .formatters import visible

    outcome = run_fix(paths, options, write=write)
    for err in outcome.errors:
        typer.echo(f"lintletter: error: {visible(str(err))}", err=True)  # a file name may hold a line break
    color = _use_color(sys.stdout)
    if not write:  # the letters' lines as they are (a diff to apply), their file names escaped
        write_stream(_paint_diff(unified_diff(visible(f.path if f.path != "-" else (stdin_filename or "-")), f.old, f.new), color)
                     for f in outcome.fixes if f.changed)
    for f in outcome.fixes:
        shown = visible(f.path)
        if f.changed:
            verb = "inserted" if f.path in outcome.written else "would insert"
            codes = ", ".join(dict.fromkeys(e.code for e in f.edits))
            typer.echo(f"{shown}: {verb} {len(f.edits)} sentence{'s' if len(f.edits) != 1 else ''} ({codes})", err=True)
        for code, why in f.left_out:
            typer.echo(f"{shown}: {code} not fixed: {visible(why)}", err=True)
        if f.remaining and f.changed:
            typer.echo(f"{shown}: left for you: {', '.join(f.remaining)} (lintletter check shows how)", err=True)
    changed = any(f.changed for f in outcome.fixes)
    raise typer.Exit(EXIT_ERROR if outcome.errors else EXIT_FINDINGS if changed and not write else EXIT_OK)


def _paint_diff(diff: str, color: bool) -> str:
    if not color:
        return diff
    out = []
    for line in diff.splitlines(keepends=True):
        code = "1" if line.startswith(("+++", "---")) else "32" if line.startswith("+") else "31" if line.startswith("-") else "36" if line.startswith("@@") else ""
        out.append(f"\x1b[{code}m{line.rstrip(chr(13) + chr(10))}\x1b[0m{line[len(line.rstrip(chr(13) + chr(10))):]}" if code else line)
    return "".join(out)


@app.command("new")
def new(
    company: str = typer.Option(..., "--company", metavar="NAME", help="The company you interviewed with."),
    role: str = typer.Option(..., "--role", metavar="ROLE", help="The role you interviewed for."),
    interviewer: str = typer.Option(..., "--interviewer", metavar="NAME", help="Who interviewed you (and told you the news)."),
    name: str = typer.Option(..., "--name", metavar="NAME", help="Your name, to sign the letter."),
    tone: str = typer.Option("formal", "--tone", metavar="TONE", help="formal (default) or warm."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write the letter to this new file (never replaces one) instead of stdout."),
) -> None:
    """Write a starter letter with front matter and all six sections, ready to make your own."""
    from .output import write_new, write_stream
    from .starter import TONES, new_letter

    if tone not in TONES:
        raise typer.BadParameter(f"must be one of {', '.join(TONES)}", param_hint="--tone")
    text = new_letter(company, role, interviewer, name, tone)
    if output is None:
        write_stream([text])
    else:
        write_new(output, text)
        typer.echo(f"wrote {output}", err=True)


@app.command()
def init(
    folder: Path = typer.Argument(Path("."), metavar="FOLDER", hidden=True),
    force: bool = typer.Option(False, "--force", help="Replace an existing .lintletter.yaml."),
) -> None:
    """Write a commented starter .lintletter.yaml.

    FOLDER: where to write it (default: the current folder).
    """
    from .config import STARTER, YAML_NAMES
    from .errors import ConfigError
    from .output import write_atomic

    if not folder.is_dir():
        raise ConfigError(f"{folder}: no such folder")
    target = folder / YAML_NAMES[0]
    if target.exists() and not force:
        raise ConfigError(f"{target} already exists; use --force to replace it")
    write_atomic(target, STARTER)
    typer.echo(f"wrote {target}")


@app.command("explain")
def explain(
    path: Optional[Path] = typer.Argument(None, help="A letter file, or - for stdin."),
    sentence: Optional[str] = typer.Option(None, "--sentence", "-s", help="Explain one sentence instead of a letter."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="Extra rule folder."),
) -> None:
    """Show why each section got its verdict: the sentences whose cues matched, the cue groups, the signal."""
    import json as _json

    from .api import Linter
    from .explain import explain_data, render_text
    from .reading import read_all
    from .ruleset import load_ruleset

    if (path is None) == (sentence is None):
        raise _UsageError("give a letter PATH or --sentence TEXT (one of them)")
    if format not in ("text", "json"):
        raise typer.BadParameter("must be text or json", param_hint="--format")
    if sentence is not None:
        # one sentence inside a minimal letter, so it is read as body text
        text, name = f"Dear reader,\n\n{sentence}\n\nBest,\nA. Writer\n", "<sentence>"
    else:
        source = next(read_all([str(path)]))
        if isinstance(source, Exception):  # unreadable: one line, exit 2
            raise source
        text, name = source.text, str(path)
    linter = Linter(load_ruleset(list(rules or [])))
    report, found = linter.explain_text(text, name)
    by_section = {r.section: r for r in linter.section_rules}
    from .explain import matching_patterns

    def patterns(rule, groups, text):
        return matching_patterns(linter.nlp, linter.ruleset, rule, groups, text)

    data = explain_data(report, found, by_section, patterns)
    typer.echo(_json.dumps(data, indent=2, ensure_ascii=False) if format == "json" else render_text(data), nl=format == "json")


def _house_ruleset(rules: Optional[List[Path]], config: Optional[Path], no_config: bool):
    """The rules `check` would apply here: built-ins, the config's `rules:` folders (the config for
    the current folder, or --config) with its severity overrides, and --rules."""
    from .config import Config, ConfigFinder
    from .ruleset import load_ruleset

    settings = Config(root=Path.cwd()) if no_config else ConfigFinder(config).for_path(None)
    extra = [*settings.rules, *(Path(p).resolve() for p in rules or [])]
    return load_ruleset(extra).with_overrides(settings.severity, settings.weights)


@app.command("rules")
def list_rules(
    rules: Optional[List[Path]] = typer.Option(None, "--rules", metavar="DIR", help="Extra rule folder to include (repeatable)."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this config file instead of searching for one."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore config files: built-in rules and --rules only."),
) -> None:
    """List every rule: code, name, kind, severity and what it checks (with the config's house rules)."""
    ruleset = _house_ruleset(rules, config, no_config)
    for rule in ruleset.rules:
        sev = "/".join(sorted({s.value for s in rule.severity.values()}))
        summary = rule.description.split(". ")[0].rstrip(".")
        typer.echo(f"{rule.code}  {rule.name:<24} {rule.kind:<12} {sev:<13} {summary}")


@app.command("rule")
def show_rule(
    code: str = typer.Argument(..., metavar="CODE", hidden=True),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", metavar="DIR", help="Extra rule folder to include (repeatable)."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="Use this config file instead of searching for one."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore config files: built-in rules and --rules only."),
) -> None:
    """Explain one rule: what it checks, why it matters, how to fix it, and examples.

    CODE: a rule code (LL103) or name (feedback-request), including the config's house rules.
    """
    from .errors import ConfigError
    from .suggest import generic

    ruleset = _house_ruleset(rules, config, no_config)
    rule = ruleset.get(code)
    if rule is None:
        raise ConfigError(f"unknown rule {code!r}; 'lintletter rules' lists them")
    sev = ", ".join(f"{k or 'all'}: {v.value}" for k, v in rule.severity.items())
    lines = [
        f"{rule.code} {rule.name} ({rule.kind}{', section ' + rule.section if rule.section else ''}; {sev})",
        "",
        "What it does",
        f"  {' '.join(rule.description.split())}",
        "",
        "Why it matters",
        f"  {' '.join(rule.rationale.split())}",
        "",
        "Suggestion (filled in with the names each letter uses)",
        *[f"  {line}" for line in generic(rule).splitlines()],
        "",
        "Examples",
    ]
    for label, texts in rule.examples.items():
        for t in texts:
            lines.append(f"  {label}: {' '.join(t.split())}")
    for letter, suggestion in rule.suggestion_examples:
        lines.append(f"  suggested for: {' '.join(letter.split())}")
        lines.append(f"             -> {' '.join(suggestion.split())}")
    lines.append("")
    lines.append(f"Defined in {rule.source}")
    typer.echo("\n".join(lines))


@app.command("eval")
def evaluate_corpus(
    corpus: Path = typer.Argument(..., metavar="CORPUS", hidden=True),
    split: Optional[str] = typer.Option(None, "--split", metavar="SPLIT", help="Only this split: train, dev or test."),
    format: str = typer.Option("text", "--format", "-f", metavar="FORMAT", help="text or json."),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", metavar="DIR", help="Extra rule folder (repeatable)."),
    brief: bool = typer.Option(False, "--brief", help="Leave out the list of disagreements."),
    cross_fit: int = typer.Option(
        0, "--cross-fit", metavar="K", min=0, max=20,
        help="Judge each letter with the learned signal retrained without its fold (K folds): honest figures on the train split.",
    ),
) -> None:
    """Measure lintletter's judgement against gold labels: per-section P/R/F1, accuracy, Spearman.

    CORPUS: a labelled corpus folder (letters/ and labels/), or a folder of documents with a
    spans.yaml of gold letter spans (corpus/embedded): then how well letters inside documents are
    found (exact-line precision and recall per --embedded mode).
    """
    import json as _json

    from . import embedded_eval
    from .api import Linter
    from .evaluation import cross_fit as cross_fitted
    from .evaluation import evaluate, load_corpus, render_text
    from .ruleset import load_ruleset

    if split not in (None, "train", "dev", "test"):
        raise typer.BadParameter("must be train, dev or test", param_hint="--split")
    if embedded_eval.has_gold(corpus):
        spans = embedded_eval.evaluate_spans(corpus)
        text = _json.dumps(spans, indent=2) if format == "json" else embedded_eval.render_text(spans, not brief)
        typer.echo(text, nl=format == "json")
        return
    items = load_corpus(corpus, split)
    linter = Linter(load_ruleset(list(rules or [])))
    result = cross_fitted(linter, items, cross_fit) if cross_fit >= 2 else evaluate(linter, items)
    if format == "json":
        typer.echo(_json.dumps(result, indent=2))
    else:
        typer.echo(render_text(result, not brief), nl=False)


@app.command("server")
def language_server(
    stdio: bool = typer.Option(True, "--stdio", help="Speak LSP over stdin and stdout (the default and only transport; accepted because editors pass it)."),
    log_level: str = typer.Option("warning", "--log-level", metavar="LEVEL", help="What the server logs on stderr: error, warning, info or debug."),
) -> None:
    """Run the language server (LSP over stdio) for editors: diagnostics, quick fixes, hovers.

    Set-up for Neovim, Helix, VS Code and Emacs: docs/editors.md.
    """
    import logging

    levels = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}
    if log_level not in levels:
        raise typer.BadParameter("must be error, warning, info or debug", param_hint="--log-level")
    # stdout carries the protocol: everything else goes to stderr, which editors keep in their LSP log
    logging.basicConfig(stream=sys.stderr, level=levels[log_level], format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    from .server.app import serve

    raise typer.Exit(serve())


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (never raises for expected failures)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    command = typer.main.get_command(app)
    from .cli_coercion import install

    install(command)  # plain option values without pydantic (typer's own coercion for the rest)
    from .shutdown import Terminated, terminate_cleanly

    try:
        with terminate_cleanly():  # SIGTERM/SIGHUP unwind like Ctrl+C: temp files go, workers stop
            result = command.main(args=args, prog_name="lintletter", standalone_mode=False)
        return int(result or 0)
    except Terminated as exc:
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except SystemExit as exc:  # typer's --show-completion / --install-completion exit this way
        return exc.code if isinstance(exc.code, int) else EXIT_OK if exc.code is None else EXIT_ERROR
    except typer.Abort:
        typer.echo("lintletter: aborted", err=True)
        return EXIT_ERROR
    except _UsageError as exc:
        if exc.__class__.__name__ == "NoArgsIsHelpError":  # bare `lintletter`: the help, as a usage error
            typer.echo(exc.format_message(), err=True)
        else:
            typer.echo(f"lintletter: error: {_usage_message(exc)}", err=True)
        return EXIT_ERROR
    except _ClickException as exc:
        typer.echo(f"lintletter: error: {exc.format_message()}", err=True)
        return EXIT_ERROR
    except LintletterError as exc:
        from .formatters import visible

        typer.echo(f"lintletter: error: {visible(str(exc))}", err=True)
        for problem in getattr(exc, "problems", [])[1:]:
            typer.echo(f"  {visible(str(problem))}", err=True)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line, and the traceback only with --debug
        if debug:
            traceback.print_exc()
        typer.echo(f"lintletter: internal error: {exc.__class__.__name__}: {exc} (run with --debug for details)", err=True)
        return EXIT_ERROR


def _usage_message(exc) -> str:
    """One line: typer's message and where to read more ("No such option: --bogus (see ...)")."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else "lintletter"
    return f"{message} (see '{path} --help')"


def entry_point() -> None:
    _exit(main())


def _exit(code: int) -> None:
    """End the process without tearing the interpreter down, as mypy does: after a letter is
    linted that is ~150,000 objects (spaCy's among them) freed one by one, ~20 ms of a one-letter
    run (issue 17). The atexit functions still run (logging's, multiprocessing's) and stdout and
    stderr are flushed first; under a profiler or tracer (cProfile, coverage), or if flushing
    fails (a closed pipe), the ordinary exit."""
    import atexit

    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(code)
    try:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        sys.exit(code)
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    entry_point()
