"""Command line: a thin Typer layer over :mod:`lintletter.api`.

Exit codes (documented in the README):
    0  every letter passes
    1  some letter fails: an error-severity finding, or a score below --min-score
    2  usage, rule or config error, or an input that could not be read (other inputs still linted)
"""

from __future__ import annotations

import itertools
import os
import sys
import traceback
from pathlib import Path
from typing import List, Optional

import click
import typer

from . import __version__
from .errors import LintletterError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="lintletter",
    help="Lint post-interview networking letters: six sections, tone, form, and a score out of 100.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lintletter {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """lintletter checks the letter a candidate sends after a final-round rejection."""


@app.command()
def check(
    paths: List[str] = typer.Argument(..., help="Letters (.txt, .md, .eml, .docx), folders (searched recursively), or - for stdin."),
    format: str = typer.Option("text", "--format", "-f", help="Output format: text, json, sarif, github, junit, html or pretty."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically) instead of stdout."),
    min_score: Optional[int] = typer.Option(None, "--min-score", min=0, max=100, help="Fail letters scoring below this."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", help="Lowest severity that fails a letter: error (default), warning or info."),
    max_warnings: Optional[int] = typer.Option(None, "--max-warnings", min=0, help="Fail when there are more warnings than this."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only report these codes, prefixes or names (comma-separated)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Report these too, on top of the selection."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Do not report these codes, prefixes or names."),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="Extra rule folder; a rule with an existing code replaces it."),
    config: Optional[Path] = typer.Option(None, "--config", help="Use this config file instead of searching for one."),
    no_config: bool = typer.Option(False, "--no-config", help="Ignore config files; use only the defaults and flags."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only findings, no scores or sections."),
    statistics: bool = typer.Option(False, "--statistics", help="Also print how often each rule fired and how sections fared."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Name to report for a letter read from stdin (-)."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Processes to lint with; 0 (default): one per core for 200+ letters, else one."),
) -> None:
    """Check letters and report sections, findings and scores."""
    from .checking import Options, run_check
    from .formatters import FORMATS, render_chunks
    from .formatters.statistics import render_statistics
    from .output import write_atomic, write_stream

    if format not in FORMATS:
        raise click.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    if fail_on not in (None, "error", "warning", "info"):
        raise click.BadParameter("must be error, warning or info", param_hint="--fail-on")
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
    )
    outcome = run_check(paths, options, color=output is None and _use_color(sys.stdout), quiet=quiet)
    for err in outcome.run.errors:
        typer.echo(f"lintletter: error: {err}", err=True)
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
    if format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_step_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), outcome.run)
    raise typer.Exit(EXIT_ERROR if outcome.run.errors else EXIT_FINDINGS if outcome.failed else EXIT_OK)


def _append_step_summary(path: Path, run) -> None:
    """GitHub shows this file's Markdown on the run's summary page; failing to write it is not fatal."""
    from .formatters.github import step_summary

    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(step_summary(run))
    except OSError as exc:
        typer.echo(f"lintletter: warning: cannot append to GITHUB_STEP_SUMMARY ({exc.strerror})", err=True)


@app.command()
def init(
    folder: Path = typer.Argument(Path("."), help="Where to write .lintletter.yaml."),
    force: bool = typer.Option(False, "--force", help="Replace an existing .lintletter.yaml."),
) -> None:
    """Write a commented starter .lintletter.yaml."""
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


@app.command("rules")
def list_rules(
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="Extra rule folder to include."),
) -> None:
    """List every rule: code, name, kind, severity and what it checks."""
    from .ruleset import load_ruleset

    ruleset = load_ruleset(list(rules or []))
    for rule in ruleset.rules:
        sev = "/".join(sorted({s.value for s in rule.severity.values()}))
        summary = rule.description.split(". ")[0].rstrip(".")
        typer.echo(f"{rule.code}  {rule.name:<24} {rule.kind:<12} {sev:<13} {summary}")


@app.command("rule")
def show_rule(
    code: str = typer.Argument(..., help="A rule code (LL103) or name (feedback-request)."),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="Extra rule folder to include."),
) -> None:
    """Explain one rule: what it checks, why it matters, how to fix it, and examples."""
    from .errors import ConfigError
    from .ruleset import load_ruleset

    ruleset = load_ruleset(list(rules or []))
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
        "Suggestion",
        *[f"  {line}" for line in rule.suggestion.splitlines()],
        "",
        "Examples",
    ]
    for label, texts in rule.examples.items():
        for t in texts:
            lines.append(f"  {label}: {' '.join(t.split())}")
    lines.append("")
    lines.append(f"Defined in {rule.source}")
    typer.echo("\n".join(lines))


@app.command("eval")
def evaluate_corpus(
    corpus: Path = typer.Argument(..., help="A labelled corpus folder (letters/ and labels/)."),
    split: Optional[str] = typer.Option(None, "--split", help="Only this split: train, dev or test."),
    format: str = typer.Option("text", "--format", "-f", help="text or json."),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="Extra rule folder."),
    brief: bool = typer.Option(False, "--brief", help="Leave out the list of disagreements."),
) -> None:
    """Measure lintletter's judgement against gold labels: per-section P/R/F1, accuracy, Spearman."""
    import json as _json

    from .api import Linter
    from .evaluation import evaluate, load_corpus, render_text
    from .ruleset import load_ruleset

    if split not in (None, "train", "dev", "test"):
        raise click.BadParameter("must be train, dev or test", param_hint="--split")
    items = load_corpus(corpus, split)
    result = evaluate(Linter(load_ruleset(list(rules or []))), items)
    if format == "json":
        typer.echo(_json.dumps(result, indent=2))
    else:
        typer.echo(render_text(result, not brief), nl=False)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (never raises for expected failures)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    args = [a for a in args if a != "--debug"]
    command = typer.main.get_command(app)
    from .signals import Terminated, terminate_cleanly

    try:
        with terminate_cleanly():  # SIGTERM/SIGHUP unwind like Ctrl+C: temp files go, workers stop
            result = command.main(args=args, prog_name="lintletter", standalone_mode=False)
        return int(result or 0)
    except Terminated as exc:
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        typer.echo("lintletter: aborted", err=True)
        return EXIT_ERROR
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except LintletterError as exc:
        typer.echo(f"lintletter: error: {exc}", err=True)
        for problem in getattr(exc, "problems", [])[1:]:
            typer.echo(f"  {problem}", err=True)
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


def entry_point() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
