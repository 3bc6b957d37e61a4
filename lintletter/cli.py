"""Command line: a thin Typer layer over :mod:`lintletter.api`.

Exit codes (documented in the README):
    0  every letter passes
    1  some letter fails: an error-severity finding, or a score below --min-score
    2  usage, rule or config error, or an input that could not be read (other inputs still linted)
"""

from __future__ import annotations

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
    paths: List[str] = typer.Argument(..., help="Letters (.txt, .md), folders (searched recursively), or - for stdin."),
    format: str = typer.Option("text", "--format", "-f", help="Output format: text, json, sarif, github, junit, html or pretty."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file (atomically) instead of stdout."),
    min_score: Optional[int] = typer.Option(None, "--min-score", min=0, max=100, help="Fail letters scoring below this."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Only report these codes, prefixes or names (comma-separated)."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Do not report these codes, prefixes or names."),
    rules: Optional[List[Path]] = typer.Option(None, "--rules", help="Extra rule folder; a rule with an existing code replaces it."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only findings, no scores or sections."),
    statistics: bool = typer.Option(False, "--statistics", help="Also print how often each rule fired and how sections fared."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="Name to report for a letter read from stdin (-)."),
) -> None:
    """Check letters and report sections, findings and scores."""
    from .api import Linter
    from .formatters import FORMATS, Run, render
    from .formatters.statistics import render_statistics
    from .output import write_atomic
    from .reading import read_all
    from .ruleset import load_ruleset

    if format not in FORMATS:
        raise click.BadParameter(f"must be one of {', '.join(FORMATS)}", param_hint="--format")
    ruleset = load_ruleset(list(rules or []))
    linter = Linter(ruleset, select=_split(select), ignore=_split(ignore))

    sources, errors = [], []
    for item in read_all(paths, stdin_name=stdin_filename):
        (errors if isinstance(item, LintletterError) else sources).append(item)
    reports = tuple(linter.lint_many((s.path, s.text) for s in sources))
    for err in errors:
        typer.echo(f"lintletter: error: {err}", err=True)
    to_terminal = output is None and _use_color(sys.stdout)
    run = Run(reports, tuple(errors), color=to_terminal, quiet=quiet, rules=tuple(ruleset.rules))
    rendered = render(format, run)
    if statistics:
        stats = render_statistics(run)
        if format == "text" and output is None:
            rendered += stats
        else:  # keep machine-readable output valid: the counts go to stderr
            typer.echo(stats, err=True, nl=False)
    if output is not None:
        protected = frozenset(Path(s.path).resolve() for s in sources if s.path != "-")
        write_atomic(output, rendered, protected)
    else:
        sys.stdout.write(rendered)

    failed = any(_fails(r, min_score) for r in reports)
    raise typer.Exit(EXIT_ERROR if errors else EXIT_FINDINGS if failed else EXIT_OK)


def _fails(report, min_score: Optional[int]) -> bool:
    from .model import Severity

    if any(f.severity is Severity.ERROR for f in report.findings):
        return True
    return min_score is not None and report.score.value < min_score


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
    try:
        result = command.main(args=args, prog_name="lintletter", standalone_mode=False)
        return int(result or 0)
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
