"""What the input fuzzers (tests/fuzz_inputs.py) found in rule and config files: each was a Python
exception (an "internal error") instead of an error naming the file, or a value accepted that
should not be."""

from __future__ import annotations

import pytest

from lintletter import Linter, load_ruleset
from lintletter.config import read_config
from lintletter.gitignore import GitIgnore
from lintletter.errors import ConfigError, RuleError

from .conftest import write_rule
from .test_hostile_rules import rule


@pytest.mark.parametrize(
    "text, needle",
    [
        ("fail-on: [warning]\n", "fail-on: must be one of error, warning, info"),
        ("severity: {LL106: {missing: [info]}}\n", "severity: LL106: must be error, warning or info"),
        ("weights: {competitors: .nan}\n", "points must be a number of 0 or more"),
        ("weights: {competitors: .inf}\n", "points must be a number of 0 or more"),
        ('exclude: ["\\\\"]\n', "exclude: invalid glob"),
        ('per-file-ignores: {"\\\\": [LL307]}\n', "per-file-ignores: invalid glob"),
    ],
)
def test_bad_config_values_are_config_errors(tmp_path, text, needle):
    path = tmp_path / ".lintletter.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match="invalid config") as caught:
        read_config(path)
    assert needle in str(caught.value)


def test_an_invalid_gitignore_line_is_skipped_like_git_does(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("\\\n*.tmp.md\n")
    ignore = GitIgnore()
    assert ignore.ignores(tmp_path / "a.tmp.md") and not ignore.ignores(tmp_path / "a.md")


@pytest.mark.parametrize(
    "change, needle",
    [
        (("kind: phrase", "kind: [phrase]"), "kind: unknown kind"),
    ],
)
def test_list_valued_rule_fields_are_rule_errors(tmp_path, change, needle):
    write_rule(tmp_path, "LL901-hostile.yml", rule('["zzz"]').replace(*change))
    with pytest.raises(RuleError) as caught:
        load_ruleset([tmp_path])
    assert any(needle in str(p) for p in caught.value.problems), caught.value.problems


def test_a_list_valued_severity_of_a_section_rule_is_a_rule_error(tmp_path):
    from lintletter.ruleset import BUILTIN_RULES

    text = (BUILTIN_RULES / "sections" / "LL101-acknowledgement.yml").read_text(encoding="utf-8")
    write_rule(tmp_path, "LL101-acknowledgement.yml", text.replace("weak: info", "weak: [info]", 1))
    with pytest.raises(RuleError) as caught:
        load_ruleset([tmp_path])
    assert any("severity.weak: invalid value" in str(p) for p in caught.value.problems), caught.value.problems


def test_a_list_valued_verdict_severity_is_a_rule_error(tmp_path):
    from lintletter.ruleset import BUILTIN_RULES

    text = (BUILTIN_RULES / "scoring.yml").read_text(encoding="utf-8")
    write_rule(tmp_path, "scoring.yml", text.replace("max_severity: warning", "max_severity: [warning]", 1))
    with pytest.raises(RuleError) as caught:
        load_ruleset([tmp_path])
    assert any("max_severity" in str(p) for p in caught.value.problems)


def test_a_phrase_that_can_match_nothing_is_a_rule_error(tmp_path, linter):
    """"a_b|c?" alone compiles to an empty token pattern, which spaCy refuses with a ValueError."""
    write_rule(tmp_path, "LL901-hostile.yml", rule('["zzz_yyy|x?"]'))
    with pytest.raises(RuleError) as caught:
        Linter(load_ruleset([tmp_path]), nlp=linter.nlp)
    assert any("invalid pattern" in str(p) for p in caught.value.problems)


def test_a_pattern_on_an_attribute_the_pipeline_never_sets_is_a_rule_error(tmp_path, linter):
    """spaCy's Matcher raised E155 (no tagger) on the first letter: an internal error."""
    write_rule(tmp_path, "LL901-hostile.yml", rule('[[{"POS": "NOUN"}, {"LOWER": "zzz"}]]'))
    with pytest.raises(RuleError) as caught:
        Linter(load_ruleset([tmp_path]), nlp=linter.nlp)
    assert any("POS needs a tagger" in str(p) for p in caught.value.problems)


def test_a_rules_path_with_a_nul_byte_is_a_config_error(tmp_path):
    path = tmp_path / ".lintletter.yaml"
    path.write_text('rules: ["a\\0b"]\n')
    with pytest.raises(ConfigError, match="rules: must be a list of folder paths"):
        read_config(path)


def test_repeated_codes_in_a_config_are_kept_once(tmp_path):
    path = tmp_path / ".lintletter.yaml"
    path.write_text("ignore: [" + ", ".join(["LL101"] * 50_000) + "]\n")
    assert read_config(path).ignore == ("LL101",)


@pytest.mark.parametrize("layout", ["one line", "one per line"])
def test_where_each_of_40000_codes_is_written_is_found_in_linear_time(tmp_path, layout):
    """Each code's line (for an error that points at it) was found by searching the setting's
    lines once per code: 40,000 codes, 400 kB, took 200 s."""
    from .bounds import within

    codes = [f"LL{i:06d}" for i in range(40_000)]
    path = tmp_path / ".lintletter.yaml"
    if layout == "one line":
        path.write_text("fail-on: error\nselect: [" + ", ".join(codes) + "]\n")
    else:
        path.write_text("fail-on: error\nselect:\n" + "".join(f"  - {c}\n" for c in codes))
    with within(20):
        config = read_config(path)
    assert config.code_lines[("select", codes[-1])] == (2 if layout == "one line" else 40_002)


def test_where_each_of_10000_globs_is_written_is_found_in_linear_time(tmp_path):
    """Globs that are no plain run of name characters are searched for, within a budget: 10,000
    per-file-ignores took 80 s."""
    from .bounds import within

    path = tmp_path / ".lintletter.yaml"
    path.write_text("per-file-ignores:\n" + "".join(f'  "[a]{i}.md": [X{i}]\n' for i in range(10_000)))
    with within(20):
        config = read_config(path)
    assert len(config.per_file_ignores) == 10_000
    assert config.code_lines[("per-file-ignores", "X0")] == 2  # found on its own line
    assert config.code_lines[("per-file-ignores", "X9999")] in (1, 10_001)  # or, past the budget, the setting's


@pytest.mark.parametrize(
    "extra, needle",
    [
        ("suggestions:\n", "suggestions: must be list"),  # an empty value is None: was a TypeError
        ("suggestion_examples:\n", "suggestion_examples: must be list"),
        ("advice: [Greet them]\n", "advice: must be text"),  # was AttributeError: no .strip()
        ("insert_at: [signoff]\n", "insert_at: must be text"),
    ],
)
def test_suggestion_fields_of_the_wrong_type_are_rule_errors(tmp_path, extra, needle):
    """What the rule fuzzer's 10,000-input run found in main's suggestion fields (issue 13)."""
    write_rule(tmp_path, "LL901-hostile.yml", rule('["zzz"]') + extra)
    with pytest.raises(RuleError) as caught:
        load_ruleset([tmp_path])
    assert any(needle in str(p) for p in caught.value.problems), caught.value.problems
