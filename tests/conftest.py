"""Shared fixtures: one Linter per test session (the pipeline loads once), and corpus paths."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ACCEPTANCE = CORPUS / "acceptance"


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
