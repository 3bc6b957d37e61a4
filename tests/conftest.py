"""Shared fixtures: one Linter per test session (the pipeline loads once), and corpus paths."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ACCEPTANCE = CORPUS / "acceptance"
COMPLETE = str(ACCEPTANCE / "complete.md")
BITTER = str(ACCEPTANCE / "bitter.txt")
THANKS = str(ACCEPTANCE / "thank-you-only.txt")


def run_cli(capsys, *argv):
    """The CLI through ``main(argv)``: (exit code, stdout, stderr)."""
    from lintletter.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="session")
def linter():
    from lintletter import Linter

    return Linter()


@pytest.fixture(scope="session")
def ruleset():
    from lintletter import load_ruleset

    return load_ruleset()


def write_rule(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def pytest_addoption(parser):
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="Rewrite tests/snapshots/ with what lintletter reports now (then review `git diff tests/snapshots`).",
    )


@pytest.fixture(scope="session")
def update_snapshots(request) -> bool:
    return bool(request.config.getoption("--update-snapshots"))
