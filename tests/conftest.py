"""Shared fixtures: one Linter per test session (the pipeline loads once), and corpus paths."""

from __future__ import annotations

import os
import re
import zlib
from collections import defaultdict
from pathlib import Path

import pytest

# The result cache (lintletter/cache.py) is on by default for `lintletter check`. The suite turns it
# off, here and in every subprocess it starts, so that no test reads a report another test (or an
# earlier run) left behind, and nothing is written beside the corpus; tests/test_cache.py turns it
# back on where it is under test.
os.environ["LINTLETTER_NO_CACHE"] = "1"
# The compiled-rules cache (lintletter/compiled_rules.py) is kept in a folder of this session's
# own, never the user's cache folder: the suite runs with it (every test after the first that
# loads a rule set reads it), and tests/test_compiled_rules.py checks it.
if "LINTLETTER_COMPILED_CACHE" not in os.environ:
    import atexit
    import shutil
    import tempfile

    _compiled = tempfile.mkdtemp(prefix="lintletter-compiled-")
    os.environ["LINTLETTER_COMPILED_CACHE"] = _compiled
    atexit.register(shutil.rmtree, _compiled, True)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ACCEPTANCE = CORPUS / "acceptance"
COMPLETE = str(ACCEPTANCE / "complete.md")
BITTER = str(ACCEPTANCE / "bitter.txt")
THANKS = str(ACCEPTANCE / "thank-you-only.txt")
#: `LINTLETTER_FULL_TESTS=1` runs the tests that walk the corpus over every letter, and the size
#: tests at full size; by default they take a sample (see corpus_sample), which keeps CI well under
#: its time limit as the corpus grows. The evaluation gate always reads the whole corpus.
FULL_TESTS = os.environ.get("LINTLETTER_FULL_TESTS") == "1"


def corpus_sample(paths, every: int = 8, salt: str = "") -> list[Path]:
    """Every `every`-th letter of each writer and file type (at least one of each), so that a
    sample still has every voice and both .txt and .md; `salt` (a test's own name) shifts which
    ones, so that tests walking the corpus do not all see the same letters. All of them under
    LINTLETTER_FULL_TESTS=1."""
    paths = sorted(Path(p) for p in paths)
    if FULL_TESTS:
        return paths
    groups: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for path in paths:
        writer = re.match(r"[a-z]*", path.stem).group()
        groups[(writer, path.suffix)].append(path)
    offset = zlib.crc32(salt.encode()) % every
    picked: list[Path] = []
    for key in sorted(groups):
        members = groups[key]
        picked.extend(members[offset % len(members) :: every] or members[:1])
    return sorted(picked)


#: A small valid rule file, for tests that load, break or cache a rule of their own
GOOD_RULE = """\
code: LL901
name: test-rule
kind: phrase
severity: warning
message: "Says hello."
description: Flags hello.
rationale: Testing.
suggestion: Say goodbye.
cues:
  hello: ["hello"]
match: [[hello]]
examples:
  trigger: ["hello there"]
  pass: ["goodbye"]
"""


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
