"""The pre-commit hook (.pre-commit-hooks.yaml), for real: `pre-commit install` in a throw-away git
repository of letters, then `git commit` of a failing letter is blocked and a good letter commits.

Why a snapshot repository rather than `repo: <this checkout>, rev: HEAD` or `pre-commit try-repo`:
pre-commit installs a hook repository at a committed rev, so `rev: HEAD` would test the last commit,
not the working tree being developed; and `try-repo` copies only changes to tracked files (a new,
untracked .pre-commit-hooks.yaml is not seen), installs into a fresh temporary store on every run
(a full pip install of spaCy each time), and never goes through `git commit`. So the test commits
the package's files, as they are on disk, into a snapshot repository with a fixed author and date:
the same content gives the same commit id, on a developer's dirty tree and on a clean CI clone
alike, and pre-commit's cached hook environment (PRE_COMMIT_HOME, kept in the pytest cache) is
reused until the package itself changes.

Run time: the first run builds the hook environment (pip installs lintletter and spaCy): about 20 s
with a warm pip cache, 45 s with a cold one; later runs, with the package unchanged, about 5 s.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ACCEPTANCE, ROOT

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("pre_commit") is None,
        reason="pre-commit is not installed (pip install -e '.[test]' brings it)",
    ),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]

HOOK_ID = "lintletter"
#: Folders that are not part of the installed package: leaving them out of the snapshot keeps its
#: commit id, and so pre-commit's cached hook environment, unchanged when only tests or docs change.
NOT_PACKAGED = ("tests/", "corpus/", "bench/", "docs/", ".ci/")
#: The first run pip-installs spaCy into pre-commit's environment; allow for a slow mirror.
INSTALL_TIMEOUT = 1200
#: A fixed identity and date make the snapshot commit reproducible (same files, same commit id).
FIXED_GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "lintletter tests",
    "GIT_AUTHOR_EMAIL": "tests@lintletter.invalid",
    "GIT_AUTHOR_DATE": "2000-01-01T00:00:00+0000",
    "GIT_COMMITTER_NAME": "lintletter tests",
    "GIT_COMMITTER_EMAIL": "tests@lintletter.invalid",
    "GIT_COMMITTER_DATE": "2000-01-01T00:00:00+0000",
}


def isolated_env(pre_commit_home: Path) -> dict[str, str]:
    """This process's environment, cut off from the user's git config and any enclosing git hook."""
    # GIT_DIR/GIT_INDEX_FILE are set when the tests themselves run inside a git hook; SKIP would
    # switch the hook off.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT")) and k != "SKIP"}
    env.update(FIXED_GIT_IDENTITY)
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,  # no global config needed, and none (signing, hooksPath) applies
        GIT_CONFIG_NOSYSTEM="1",
        PRE_COMMIT_HOME=str(pre_commit_home),
        PRE_COMMIT_COLOR="never",  # plain output to assert on
        NO_COLOR="1",
    )
    return env


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=cwd, env=env, timeout=timeout, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    result = run(["git", *args], cwd, env)
    assert result.returncode == 0, f"git {' '.join(args)} failed:\n{result.stdout}"
    return result.stdout.strip()


def pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    # sys.executable: `pre-commit install` writes this interpreter into .git/hooks/pre-commit.
    return run([sys.executable, "-m", "pre_commit", *args], cwd, env, timeout=INSTALL_TIMEOUT)


@pytest.fixture(scope="session")
def cache_dir(request, tmp_path_factory) -> Path:
    """Kept across test sessions (the pytest cache) so pre-commit's environment is built once."""
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    if cache is None:
        return tmp_path_factory.mktemp("pre-commit")
    return Path(cache.mkdir("lintletter-pre-commit"))


def package_files() -> list[str]:
    """The checkout's files as git sees them (tracked, and new ones not ignored), less tests/docs."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        capture_output=True,
    )
    if listed.returncode != 0:
        pytest.skip(f"{ROOT} is not a git checkout: the hook repository is built from its files")
    names = [n for n in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    # A deleted file is still listed by --cached until the deletion is committed.
    return sorted(n for n in names if not n.startswith(NOT_PACKAGED) and (ROOT / n).is_file())


@pytest.fixture(scope="session")
def hook_repo(cache_dir) -> tuple[Path, str]:
    """(path, rev) of a snapshot repository of this checkout's package files, as on disk now."""
    repo = cache_dir / "hook-repo"
    store = cache_dir / "store"
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir()
    for name in package_files():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    assert (repo / ".pre-commit-hooks.yaml").is_file(), "the hook manifest is missing from the checkout"

    env = isolated_env(store)
    git(repo, env, "-c", "init.defaultBranch=main", "init", "-q")
    git(repo, env, "add", "-A")
    git(repo, env, "commit", "-q", "--no-verify", "-m", "lintletter snapshot for tests/test_precommit.py")
    rev = git(repo, env, "rev-parse", "HEAD")

    # One hook environment at a time: a new snapshot (the package changed) makes the old one
    # unreachable, so drop it rather than let the cache grow by a spaCy install per change.
    marker = cache_dir / "store-rev"
    if not marker.exists() or marker.read_text().strip() != rev:
        shutil.rmtree(store, ignore_errors=True)
        marker.write_text(rev + "\n")
    return repo, rev


@pytest.fixture
def letters_repo(tmp_path, hook_repo, cache_dir) -> tuple[Path, dict[str, str]]:
    """A fresh git repository of letters with the lintletter hook installed, as docs/ci.md shows."""
    repo_path, rev = hook_repo
    env = isolated_env(cache_dir / "store")
    letters = tmp_path / "letters-repo"
    letters.mkdir()
    git(letters, env, "-c", "init.defaultBranch=main", "init", "-q")
    # Local identity too, so a person re-running these commands by hand needs no global config.
    git(letters, env, "config", "user.name", "Letter Writer")
    git(letters, env, "config", "user.email", "writer@example.invalid")
    # The hook as most people will write it: no args, so lintletter's defaults decide.
    (letters / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {repo_path}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        f"      - id: {HOOK_ID}\n",
        encoding="utf-8",
    )
    # A non-letter that identify tags as markdown: the hook's default exclude must keep it out,
    # or its missing sections would fail it.
    (letters / "README.md").write_text("# Letters\n\nDrafts of my follow-up letters.\n", encoding="utf-8")
    git(letters, env, "add", "-A")
    git(letters, env, "commit", "-q", "-m", "pre-commit config")  # pre-commit refuses an unstaged config

    installed = pre_commit(letters, env, "install")
    assert installed.returncode == 0, installed.stdout
    return letters, env


def commit_count(letters: Path, env: dict[str, str]) -> int:
    return int(git(letters, env, "rev-list", "--count", "HEAD"))


def test_commit_of_failing_letter_is_blocked(letters_repo):
    letters, env = letters_repo
    shutil.copy(ACCEPTANCE / "bitter.txt", letters / "bitter.txt")
    git(letters, env, "add", "bitter.txt")

    result = run(["git", "commit", "-m", "bitter letter"], letters, env, timeout=INSTALL_TIMEOUT)

    assert result.returncode != 0, result.stdout
    assert "Failed" in result.stdout and f"- hook id: {HOOK_ID}" in result.stdout, result.stdout
    assert "- exit code: 1" in result.stdout, result.stdout
    assert "bitter.txt:3:87: LL201 [error]" in result.stdout, result.stdout  # the bitterness, located
    assert "LL202" in result.stdout, result.stdout
    assert commit_count(letters, env) == 1, "the failing letter was committed"


def test_thank_you_only_letter_is_blocked_with_no_args(letters_repo):
    """A letter scoring 0 must not get in through a hook nobody configured."""
    letters, env = letters_repo
    shutil.copy(ACCEPTANCE / "thank-you-only.txt", letters / "thanks.txt")
    git(letters, env, "add", "thanks.txt")

    result = run(["git", "commit", "-m", "thank-you note"], letters, env, timeout=INSTALL_TIMEOUT)

    assert result.returncode != 0, result.stdout
    assert "Failed" in result.stdout and "- exit code: 1" in result.stdout, result.stdout
    assert "thanks.txt: score 0/100 (incomplete)" in result.stdout, result.stdout
    assert "thanks.txt: LL106 [warning]" in result.stdout, result.stdout  # a missing section, named
    assert commit_count(letters, env) == 1, "the thank-you-only letter was committed"


def test_good_letter_commits(letters_repo):
    letters, env = letters_repo
    shutil.copy(ACCEPTANCE / "complete.md", letters / "complete.md")
    git(letters, env, "add", "complete.md")

    result = run(["git", "commit", "-m", "good letter"], letters, env, timeout=INSTALL_TIMEOUT)

    assert result.returncode == 0, result.stdout
    assert "lintletter" in result.stdout and "Passed" in result.stdout, result.stdout
    assert commit_count(letters, env) == 2
    assert "complete.md" in git(letters, env, "show", "--name-only", "--format=", "HEAD")


def test_non_letters_are_skipped(letters_repo):
    # Linting README.md (10 words, no sections) would fail; excluded, it is skipped.
    letters, env = letters_repo
    result = pre_commit(letters, env, "run", HOOK_ID, "--files", "README.md")
    assert result.returncode == 0, result.stdout
    assert "(no files to check)Skipped" in result.stdout, result.stdout


def test_article_with_a_sample_letter_commits_and_the_hook_takes_the_mode_from_config(letters_repo):
    """A coaching article passes on its sample letter (auto, the default: read whole, its advice
    would fail it); with `embedded: marked` and `require-letter: true` in the repository's config,
    an MDX page whose letter is not marked is blocked."""
    letters, env = letters_repo
    shutil.copy(ROOT / "corpus" / "embedded" / "article.md", letters / "article.md")
    git(letters, env, "add", "article.md")
    result = run(["git", "commit", "-m", "article"], letters, env, timeout=INSTALL_TIMEOUT)
    assert result.returncode == 0, result.stdout
    assert commit_count(letters, env) == 2

    (letters / ".lintletter.yaml").write_text("embedded: marked\nrequire-letter: true\n", encoding="utf-8")
    shutil.copy(ROOT / "corpus" / "embedded" / "callout.mdx", letters / "after-the-no.mdx")
    git(letters, env, "add", ".lintletter.yaml", "after-the-no.mdx")
    result = run(["git", "commit", "-m", "page"], letters, env, timeout=INSTALL_TIMEOUT)
    assert result.returncode != 0, result.stdout
    assert "after-the-no.mdx: LL317 [error]" in result.stdout, result.stdout
    assert commit_count(letters, env) == 2
