"""Configuration files: discovery (nearest wins), validation, and every setting changing behaviour."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from lintletter.cli import main
from lintletter.config import DEFAULT_EXCLUDE, STARTER, ConfigFinder, read_config
from lintletter.errors import ConfigError

from .conftest import ACCEPTANCE

BITTER = ACCEPTANCE / "bitter.txt"
COMPLETE = ACCEPTANCE / "complete.md"
THANKS = ACCEPTANCE / "thank-you-only.txt"


def run_json(capsys, *argv):
    code = main(["check", "-f", "json", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def codes(doc, index=0):
    return [d["code"] for d in doc["files"][index]["diagnostics"]]


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A letters folder with one good, one bitter and one thank-you-only letter; cwd inside it."""
    for letter in (BITTER, COMPLETE, THANKS):
        shutil.copy(letter, tmp_path / letter.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_yaml_config_changes_severity_and_fail_on(repo, capsys):
    assert run_json(capsys, repo / "thank-you-only.txt")[0] == 1  # its warnings fail by default
    (repo / ".lintletter.yaml").write_text("fail-on: error\nseverity:\n  LL201: info\n")
    code, doc, _ = run_json(capsys, repo / "thank-you-only.txt")
    assert code == 0  # only errors fail now
    code, doc, _ = run_json(capsys, repo / "bitter.txt")
    severities = {d["code"]: d["severity"] for d in doc["files"][0]["diagnostics"]}
    assert severities["LL201"] == "info"


def test_pyproject_table_is_read_and_nearest_config_wins(repo, capsys):
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.lintletter]\nignore = ["LL201"]\n')
    sub = repo / "drafts"
    sub.mkdir()
    shutil.copy(BITTER, sub / "bitter.txt")
    (sub / ".lintletter.yaml").write_text("ignore: [LL202]\n")
    _, doc, _ = run_json(capsys, repo / "bitter.txt", sub / "bitter.txt")
    top, nested = codes(doc, 0), codes(doc, 1)
    assert "LL201" not in top and "LL202" in top
    assert "LL202" not in nested and "LL201" in nested  # the nearer file replaces, not merges


def test_pyproject_without_our_table_is_skipped(tmp_path):
    (tmp_path / ".lintletter.yaml").write_text("min-score: 70\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert ConfigFinder().for_path(inner / "letter.txt").min_score == 70


def test_cli_flags_override_the_file(repo, capsys):
    (repo / ".lintletter.yaml").write_text("min-score: 95\nfail-on: error\n")
    assert run_json(capsys, repo / "thank-you-only.txt")[0] == 1
    assert run_json(capsys, repo / "thank-you-only.txt", "--min-score", "0")[0] == 0
    assert run_json(capsys, repo / "thank-you-only.txt", "--no-config", "--fail-on", "error")[0] == 0
    assert run_json(capsys, repo / "thank-you-only.txt", "--no-config")[0] == 1


def test_explicit_config_replaces_discovery(repo, tmp_path_factory, capsys):
    (repo / ".lintletter.yaml").write_text("ignore: [LL201]\n")
    other = tmp_path_factory.mktemp("elsewhere") / "strict.yaml"
    other.write_text("ignore: [LL202]\n")
    _, doc, _ = run_json(capsys, repo / "bitter.txt", "--config", other)
    assert "LL201" in codes(doc) and "LL202" not in codes(doc)


def test_per_file_ignores_use_globs_relative_to_the_config(repo, capsys):
    (repo / "templates").mkdir()
    shutil.copy(BITTER, repo / "templates" / "bitter.txt")
    (repo / ".lintletter.yaml").write_text('per-file-ignores:\n  "templates/*": [bitterness]\n')
    _, doc, _ = run_json(capsys, repo / "bitter.txt", repo / "templates" / "bitter.txt")
    assert "LL201" in codes(doc, 0) and "LL201" not in codes(doc, 1)


def test_exclude_extend_exclude_and_gitignore(repo, capsys):
    (repo / "README.md").write_text("# My letters\n\nThis folder holds my drafts.\n")
    (repo / "old").mkdir()
    shutil.copy(BITTER, repo / "old" / "x.txt")
    (repo / "private").mkdir()
    shutil.copy(BITTER, repo / "private" / "y.txt")
    (repo / ".git").mkdir()
    (repo / ".gitignore").write_text("private/\n")
    (repo / ".lintletter.yaml").write_text("extend-exclude: [old/]\n")
    _, doc, _ = run_json(capsys, repo)
    seen = sorted(Path(f["path"]).name for f in doc["files"])
    assert seen == ["bitter.txt", "complete.md", "thank-you-only.txt"]  # no README, old/ or private/
    _, doc, _ = run_json(capsys, repo / "private" / "y.txt")  # named explicitly: git's ignore does not apply
    assert len(doc["files"]) == 1


def test_weights_change_the_score(repo, capsys):
    _, before, _ = run_json(capsys, repo / "thank-you-only.txt")
    (repo / ".lintletter.yaml").write_text("weights:\n  continued_interest: 300\n")
    _, after, _ = run_json(capsys, repo / "thank-you-only.txt")
    assert after["files"][0]["score"] > before["files"][0]["score"]


def test_max_warnings_and_extend_select(repo, capsys):
    (repo / ".lintletter.yaml").write_text("max-warnings: 3\nselect: [LL1]\nextend-select: [LL303]\n")
    code, doc, _ = run_json(capsys, repo / "thank-you-only.txt")
    assert code == 1
    assert set(codes(doc)) <= {f"LL10{i}" for i in range(1, 7)} | {"LL303"}


@pytest.mark.parametrize(
    "text, where",
    [
        ("bogus: 1\n", ":1: bogus: unknown setting"),
        ("min-score: high\n", ":1: min-score: must be a whole number"),
        ("fail-on: sometimes\n", ":1: fail-on: must be one of"),
        ("ignore: [LL999]\n", ":1: ignore: unknown rule code or name 'LL999'"),
        ("min-score: 10\nweights:\n  vibes: 3\n", ":3: weights: unknown section 'vibes'"),  # the entry's line
        ("min-score: 10\nweights:\n  advice: 3\n  referrals: -1\n", ":4: weights: referrals: points must be"),
        ("severity:\n  LL101: info\n  LL999: info\n", ":3: severity: unknown rule code or name 'LL999'"),
        ("severity:\n  LL101: loud\n", ":2: severity: LL101: must be error, warning or info"),
        ("ignore:\n  - LL101\n  - LL999\n", ":3: ignore: unknown rule code or name 'LL999'"),
        ("per-file-ignores:\n  'a/*': [LL101]\n  'b/*': [LL999]\n", ":3: per-file-ignores: unknown rule code or name 'LL999'"),
        ("select: [LL1\n", ":2: YAML error"),
    ],
)
def test_bad_config_names_file_line_and_key(repo, capsys, text, where):
    (repo / ".lintletter.yaml").write_text(text)
    code = main(["check", str(repo / "complete.md")])
    err = capsys.readouterr().err
    assert code == 2
    assert ".lintletter.yaml" in err and where in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_toml_errors_name_the_line(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "x"\n\n[tool.lintletter]\nmin-score = 10\nbogus = true\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml:6: bogus: unknown setting"):
        read_config(path)


def test_init_writes_a_valid_commented_starter(tmp_path, capsys):
    assert main(["init", str(tmp_path)]) == 0
    written = (tmp_path / ".lintletter.yaml").read_text()
    assert written == STARTER
    assert read_config(tmp_path / ".lintletter.yaml").min_score is None  # all commented out, still valid
    setting = re.compile(r'^# (\s*"?[\w*/.-]+"?:(\s|$))')
    uncommented = "\n".join(line[2:] if setting.match(line) else line for line in STARTER.splitlines())
    (tmp_path / "full.yaml").write_text(uncommented)
    (tmp_path / "house-rules").mkdir()
    config = read_config(tmp_path / "full.yaml")  # every example in the starter is itself valid
    assert config.min_score == 70 and config.max_warnings == 10
    assert main(["init", str(tmp_path)]) == 2  # never overwrites without --force
    assert "already exists" in capsys.readouterr().err


@pytest.mark.parametrize(
    "patterns",
    [
        DEFAULT_EXCLUDE,
        ("drafts/", "*.notes.md", "old*"),
        ("templates/*",),
        ("docs/**/*.md", "!docs/keep.md"),
        ("README*", "!README.letter.md"),
    ],
)
def test_fast_globs_mean_what_gitignore_means(patterns):
    import pathspec

    from lintletter.config import Globs

    paths = [
        "README.md", "readme.md", "README.letter.md", "a/README.txt", "README_old/x.md", "build/x.md", "a/build/x.md",
        "build.md", "x/venv/y.md", ".git/x.md", "drafts/a.md", "a/drafts/b.md", "drafts.md", "b.notes.md",
        "x/y.notes.md", "old.md", "older/x.md", "templates/a.md", "templates/b/c.md", "docs/a/b.md", "docs/keep.md",
        "LICENSE", "src/LICENCE.txt", "letters/CHANGES.md", "node_modules/p/q.md",
    ]  # fmt: skip
    reference = pathspec.GitIgnoreSpec.from_lines(patterns)
    ours = Globs(tuple(patterns))
    for path in paths:
        assert ours.match_file(path) == reference.match_file(path), (patterns, path)


@pytest.mark.parametrize(
    "toml, where",
    [
        ('[tool.lintletter]\nignore = ["LL106"\nfail-on = "warning"\n', "pyproject.toml:3: TOML error: Unclosed array"),
        ('[project]\nname = "x"\n[tool.lintletter]\nmin-score = 70\nmin-score = 80\n', "pyproject.toml:5: TOML error"),
        ('[tool.lintletter]\nmin-score = 10\n\n[tool.lintletter.severity]\nLL101 = "info"\nLL999 = "info"\n', "pyproject.toml:6: severity: unknown rule code or name 'LL999'"),
    ],
)
def test_broken_pyproject_is_an_error_naming_file_and_line(repo, capsys, toml, where):
    """A typo must not silently drop fail-on / min-score and let CI pass."""
    (repo / "pyproject.toml").write_text(toml)
    code = main(["check", str(repo / "complete.md")])
    err = capsys.readouterr().err
    assert code == 2 and where in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_broken_pyproject_that_never_mentions_lintletter_is_not_ours(repo, capsys):
    (repo / "pyproject.toml").write_text('[project]\nname = "x\n')
    assert main(["check", str(repo / "complete.md")]) == 0


def test_a_folder_whose_letters_are_all_excluded_is_an_error(repo, capsys):
    """A run that checks nothing must not pass silently."""
    (repo / ".lintletter.yaml").write_text('extend-exclude: ["*.txt", "*.md"]\n')
    code = main(["check", str(repo)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert f"{repo}: nothing to check: the 3 letter file(s) found are all excluded" in err


def test_named_files_that_config_excludes_are_skipped_quietly(repo, capsys):
    """pre-commit names every staged file; an excluded one is not an error."""
    (repo / ".lintletter.yaml").write_text('extend-exclude: ["bitter.txt"]\n')
    code = main(["check", str(repo / "bitter.txt")])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""


def test_eval_on_no_letters_is_an_error(tmp_path, capsys):
    (tmp_path / "labels").mkdir()
    (tmp_path / "letters").mkdir()
    code = main(["eval", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2 and "no labelled letters" in err and "1.000" not in err


def test_default_excludes_agree_with_the_pre_commit_hook(tmp_path):
    """`lintletter check .` and the hook leave out the same non-letters (requirements.txt ...)."""
    import yaml

    from .conftest import ROOT

    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    hook_excludes = re.compile(hook["exclude"]).search
    names = [
        "README.md", "readme.txt", "Readme.markdown", "docs/README.md", "LICENSE", "License.txt", "COPYING",
        "requirements.txt", "requirements-dev.txt", "constraints.txt", "NOTICE.md", "AUTHORS", "CHANGELOG.md",
        "HISTORY.md", "news.txt", "SUPPORT.md", "SECURITY.md", "CODEOWNERS", "CONTRIBUTING.md",
        "letters/acme.md", "security-analyst-followup.md", "news-corp-letter.txt", "support-engineer.md",
        "history-teacher.txt", "notes/license-to-drive.md", "dear-authors.md",
    ]  # fmt: skip
    config = ConfigFinder(cwd=tmp_path).for_path(tmp_path / "x.md")
    for name in names:
        ours = config.is_excluded(tmp_path / name)
        assert ours == bool(hook_excludes(name)), (name, ours)


def test_check_dot_skips_requirements_txt(repo, capsys):
    (repo / "requirements.txt").write_text("spacy>=3.8\n")
    (repo / "readme.md").write_text("# my letters\n")
    code, doc, _ = run_json(capsys, repo, "--exit-zero")
    paths = [f["path"] for f in doc["files"]]
    assert not any(p.endswith(("requirements.txt", "readme.md")) for p in paths) and len(paths) == 3


def test_a_symlinked_letter_takes_the_config_of_the_folder_it_lives_in(tmp_path):
    """ConfigFinder resolves a letter's folder once per folder, but a link still leads to its target."""
    real, links = tmp_path / "real", tmp_path / "links"
    real.mkdir()
    links.mkdir()
    (real / ".lintletter.yaml").write_text("min-score: 40\n", encoding="utf-8")
    (links / ".lintletter.yaml").write_text("min-score: 60\n", encoding="utf-8")
    (real / "a.md").write_text("Dear Sam,\n", encoding="utf-8")
    (links / "b.md").write_text("Dear Sam,\n", encoding="utf-8")
    (links / "a.md").symlink_to(real / "a.md")
    finder = ConfigFinder(cwd=tmp_path)
    assert finder.for_path(links / "b.md").min_score == 60
    assert finder.for_path(links / "a.md").min_score == 40  # the link's target folder
    assert finder.for_path(Path("links") / "b.md").min_score == 60  # relative to cwd
    assert finder.for_path(links).min_score == 60  # a folder is its own


def test_every_config_problem_is_listed_with_file_line_and_setting(repo, capsys):
    """Like rule files: one run names every problem, not the first of them."""
    (repo / ".lintletter.yaml").write_text("min-score: 200\nfail-on: loud\nbogus: 1\nignore: [LL999]\n")
    code = main(["check", str(repo / "complete.md")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    wanted = [":1: min-score: must be a whole number from 0 to 100", ":2: fail-on: must be one of error, warning, info",
              ":3: bogus: unknown setting"]  # fmt: skip
    assert all(any(".lintletter.yaml" + w in line for line in err.splitlines()) for w in wanted), err
    assert "(and 2 more problem(s))" in err and len(err.strip().splitlines()) == 3


def test_one_settings_table_gives_the_keys_the_starter_and_the_docs():
    """settings.SETTINGS is the one table: every Config setting is in it, and so in the starter
    `lintletter init` writes and in the README's Configuration section."""
    import dataclasses
    from pathlib import Path

    from lintletter.config import Config
    from lintletter.settings import SETTINGS

    derived = {"root", "path", "key_lines", "code_lines", "_exclude_spec", "_ignore_specs"}
    assert {f.name for f in dataclasses.fields(Config)} - derived == {s.attr for s in SETTINGS.values()}
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    for key in SETTINGS:
        assert f"# {key}:" in STARTER or f"`{key}`" in STARTER, key
        assert f"\n{key}:" in section or f"`{key}`" in section, key
    flags = {s.attr for s in SETTINGS.values() if s.flag}
    assert {"select", "ignore", "extend_select", "min_score", "fail_on", "max_warnings", "rules", "embedded"} <= flags
