"""Rules come from users' repositories: no rule file may hang or exhaust lintletter.

Regexes are checked statically (lintletter/regex_safety.py); YAML may not expand past a limit
(lintletter/yamlload.py); phrases may not expand or span past a limit, cue groups may not name each
other in a loop, and matching keeps position sets, caps match length and has a work budget
(lintletter/token_patterns.py, lintletter/cues.py). Anything that would hang without the fix runs
under a hang guard (tests/bounds.py).
"""

from __future__ import annotations

import json

import pytest

from lintletter import Linter, load_ruleset
from lintletter.errors import RuleError
from lintletter.regex_safety import UnsafeRegex, check
from lintletter.token_patterns import TokenMatcher, compile_pattern

from .bounds import run_cli, within
from .conftest import ACCEPTANCE, write_rule

LETTER = (ACCEPTANCE / "complete.md").read_text(encoding="utf-8")

RULE = """\
code: LL901
name: hostile-rule
kind: phrase
severity: warning
message: "Found it."
description: A rule a user wrote.
rationale: Testing.
suggestion: Do not.
cues:
  topic: {topic}
match: [[topic]]
{extra}examples:
  trigger: ["zzz"]
  pass: ["goodbye"]
"""


def rule(topic: str, extra: str = "") -> str:
    return RULE.format(topic=topic, extra=extra)


def rule_problems(tmp_path, text: str, nlp) -> list[str]:
    """Every problem loading the rule and compiling its patterns reports."""
    write_rule(tmp_path / "rules", "LL901-hostile.yml", text)
    with pytest.raises(RuleError) as caught:
        Linter(load_ruleset([tmp_path / "rules"]), nlp=nlp)
    return [str(p) for p in caught.value.problems]


# --- regular expressions -------------------------------------------------------------------


@pytest.mark.parametrize(
    "regex, reason",
    [
        ("^(?>(a+)+b)", "repeat inside a repeat"),  # an atomic group hid the nesting
        ("^(?>(a|aa)+)", "repeats an alternation"),
        ("^a{0,99999}a{0,99999}a{0,99999}b", "more than one unbounded repeat"),  # wide bounded = unbounded
        ("^a{0,9}a{0,9}a{0,9}b", "ways to match"),
        ("^(a|aa)(a|aa)(a|aa)(a|aa)(a|aa)(a|aa)(a|aa)b", "ways to match"),
    ],
)
def test_catastrophic_regexes_are_refused(regex, reason):
    with pytest.raises(UnsafeRegex, match=reason):
        check(regex)


@pytest.mark.parametrize("regex", ["^(XXX+|xxx+|TODO|TBD)$", "^_{3,}$", "^[A-Z]{2,8}$", "^(?>ab|cd)e+$", "^\\d{4}-\\d{2}$"])
def test_reasonable_regexes_still_pass(regex):
    check(regex)


def test_a_refused_regex_names_the_rule_file(tmp_path, linter):
    found = rule_problems(tmp_path, rule('[[{"TEXT": {"REGEX": "^(?>(a+)+b)"}}]]'), linter.nlp)
    assert any("LL901-hostile.yml:" in p and "cues.topic" in p and "repeat inside a repeat" in p for p in found), found


# --- YAML that expands -----------------------------------------------------------------------

ALIAS_BOMB = (
    "x0: &a0 [{LOWER: a}, {LOWER: a}, {LOWER: a}, {LOWER: a}, {LOWER: a}, {LOWER: a}, {LOWER: a}, {LOWER: a}]\n"
    + "".join(f"x{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n" for i in range(1, 9))
)


def test_an_alias_bomb_in_a_token_pattern_is_refused_quickly(tmp_path):
    text = ALIAS_BOMB + rule("[*a8]")  # 8^9 tokens
    write_rule(tmp_path / "rules", "LL901-hostile.yml", text)
    letter = tmp_path / "x.md"
    letter.write_text(LETTER)
    result = run_cli("check", str(letter), "--rules", str(tmp_path / "rules"), timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2 and "expands to more than 100,000 values" in err, err
    assert "internal error" not in err


def test_deeply_nested_yaml_in_a_rule_file_is_a_yaml_error(capsys, tmp_path):
    write_rule(tmp_path / "rules", "LL901-deep.yml", "x: " + "[" * 900 + "]" * 900 + "\n")  # libyaml stops at 1,000
    letter = tmp_path / "x.md"
    letter.write_text(LETTER)
    from lintletter.cli import main

    assert main(["check", str(letter), "--rules", str(tmp_path / "rules")]) == 2
    err = capsys.readouterr().err
    assert "LL901-deep.yml" in err and "nests more than" in err and "internal error" not in err


# --- phrases and token patterns ------------------------------------------------------------


def test_a_phrase_of_wildcards_is_refused(tmp_path, linter):
    found = rule_problems(tmp_path, rule('["i *9 *9 *9 *9 *9 *9 *9 zzz"]'), linter.nlp)
    assert any("pattern too costly" in p and "span" in p for p in found), found


# The matcher runs a pattern two ways (lintletter/token_patterns.py): a regular expression over
# the paragraph spelt as codes (long paragraphs, or a pattern many paragraphs need), or the
# position-set walk from each token holding a first word (the first few short paragraphs). Both
# must stay bounded, so the tests of hostile patterns below run on each.
PATHS = pytest.mark.parametrize("path", ["regex", "walk"])


def force_path(monkeypatch, path: str) -> None:
    from lintletter import token_patterns

    if path == "regex":
        monkeypatch.setattr(token_patterns, "COMPILE_AFTER", 0)
    else:
        monkeypatch.setattr(token_patterns, "COMPILE_AFTER", 10**9)
        monkeypatch.setattr(token_patterns, "WALK_TOKENS", 10**9)


@PATHS
def test_wildcards_are_matched_by_position_not_by_path(linter, monkeypatch, path):
    """The same pattern built by hand (no load-time check): the matcher itself stays polynomial."""
    force_path(monkeypatch, path)
    pattern = [{"LOWER": "i"}] + [{"OP": "{0,9}"}] * 7 + [{"LOWER": "zzz"}]
    engine = TokenMatcher()
    engine.add("k", compile_pattern(pattern))
    doc = linter.nlp.make_doc(" ".join(["i"] * 200) + " zzz")
    with within(30):
        found, complete = engine.match(doc)
    assert complete
    assert found == {("k", start, 201) for start in range(201 - 32, 200)}  # at most 32 tokens long


@PATHS
@pytest.mark.parametrize(
    "pattern, words",
    [
        ([{"OP": "+"}], ["word"] * 8000),  # a match everywhere, of every length
        ([{"OP": "*"}, {"OP": "*"}, {"LOWER": "x", "OP": "?"}], ["word"] * 8000),
        ([{"LOWER": "i"}] + [{"OP": "{0,4}"}] * 7 + [{"LOWER": "zzz"}], ["i"] * 8000),  # 30 tokens: loads
        ([{"TEXT": {"REGEX": "^a{0,9}a{0,9}a*b"}, "OP": "+"}], ["a" * 95 + str(i) for i in range(8000)]),  # long words
    ],
    ids=["plus", "star-star", "gaps", "regex-on-long-words"],
)
def test_hostile_patterns_are_bounded_on_either_path(linter, monkeypatch, path, pattern, words):
    """8,000 tokens in one paragraph: at most 32 matches a token, whichever way it is matched."""
    force_path(monkeypatch, path)
    engine = TokenMatcher()
    engine.add("k", compile_pattern(pattern))
    doc = linter.nlp.make_doc(" ".join(words))
    with within(30):
        found, complete = engine.match(doc)
    assert len(found) <= 32 * len(doc)


def test_rules_that_load_but_work_hard_lint_a_hostile_letter_in_bounded_time(tmp_path):
    """The hostile patterns that pass the load-time checks, as rule files, on a letter of 6,000
    "i", 6,000 "word", 3,000 100-letter words and a 1 MB word: lintletter check returns, without
    an internal error (before the bounds this ran for hours)."""
    rules = tmp_path / "rules"
    write_rule(rules, "lexicon.yml", EVERYWHERE_LEXICON)
    write_rule(rules, "LL901-hostile.yml", rule('[[{"OP": "+"}]]', "negation: [topic]\n"))
    write_rule(rules, "LL902-gaps.yml", rule('["i *4 *4 *4 *4 *4 *4 *4 zzz"]').replace("LL901", "LL902").replace("hostile-rule", "gaps"))
    regex = rule('[[{"TEXT": {"REGEX": "^a{0,9}a{0,9}a*b"}, "OP": "+"}]]').replace("LL901", "LL903").replace("hostile-rule", "regex")
    write_rule(rules, "LL903-regex.yml", regex)
    letter = tmp_path / "x.md"
    body = [" ".join(["i"] * 6000), " ".join(["word"] * 6000), " ".join("a" * 96 + f"{i:04}" for i in range(3000)), "a" * 1_000_000]
    letter.write_text("Dear Sam,\n\n" + "\n\n".join(body) + "\n\nBest,\nAl\n")
    result = run_cli("check", "-f", "json", str(letter), "--rules", str(rules), timeout=240)
    assert result.returncode in (0, 1), result.stderr
    assert b"internal error" not in result.stderr
    assert json.loads(result.stdout)["files"][0]["words"] >= 15000


def test_a_phrase_that_expands_into_millions_of_patterns_is_refused(tmp_path):
    phrase = " ".join(["a_b|c"] * 24)  # 2^24 shapes
    write_rule(tmp_path / "rules", "LL901-hostile.yml", rule(f'["{phrase}"]'))
    letter = tmp_path / "x.md"
    letter.write_text(LETTER)
    result = run_cli("check", str(letter), "--rules", str(tmp_path / "rules"), timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2 and "expands into more than 64 token patterns" in err, err


def test_unbounded_operators_on_spacys_matcher_are_refused(tmp_path, linter):
    found = rule_problems(tmp_path, rule('[[{"LOWER": "zzz"}, {"LENGTH": {">=": 1}, "OP": "*"}, {"LOWER": "x"}]]'), linter.nlp)
    assert any("pattern too costly" in p and "quadratic" in p for p in found), found
    found = rule_problems(tmp_path, rule("[[" + ", ".join(['{"LENGTH": {">=": 1}, "OP": "?"}'] * 6) + ', {"LOWER": "x"}]]'), linter.nlp)
    assert any("optional (?) tokens" in p for p in found), found


def test_a_huge_count_is_refused_before_spacy_unrolls_it(tmp_path):
    """spaCy's Matcher turns {0,99999999} into that many tokens before it matches anything
    (in a child process with bounded memory: without the check this exhausts it)."""
    write_rule(tmp_path / "rules", "LL901-hostile.yml", rule('[[{"LOWER": "zzz"}, {"OP": "{0,99999999}"}, {"LOWER": "x"}]]'))
    letter = tmp_path / "x.md"
    letter.write_text(LETTER)
    result = run_cli("check", str(letter), "--rules", str(tmp_path / "rules"), timeout=60)
    err = result.stderr.decode()
    assert result.returncode == 2 and "counts past 32" in err, err


# The built-in negation and clause_break groups, redefined (a rule folder redefines a shared group
# under replace:; under groups: it would be refused as already defined).
EVERYWHERE_LEXICON = """\
replace:
  negation: [[{"OP": "+"}]]
  clause_break: [[{"OP": "+"}]]
"""


def test_a_cue_that_matches_everywhere_stays_linear(tmp_path):
    """Every token starts a match of every length: O(n^2) matches without the cap, and negation
    tests were O(spans x negations x breaks) on top."""
    rules = tmp_path / "rules"
    write_rule(rules, "lexicon.yml", EVERYWHERE_LEXICON)
    write_rule(rules, "LL901-hostile.yml", rule('[[{"OP": "+"}]]', "negation: [topic]\n"))
    letter = tmp_path / "x.md"
    letter.write_text("Dear Sam,\n\n" + " ".join(["word"] * 6000) + "\n\nBest,\nAl\n")
    result = run_cli("check", "-f", "json", str(letter), "--rules", str(rules), timeout=90)
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["files"][0]["words"] >= 6000



def test_a_rule_set_too_costly_for_a_text_is_cut_short_and_says_so(tmp_path):
    patterns = ", ".join("[" + '{"OP": "*"}, ' * 30 + f'{{"LOWER": "z{i}"}}]' for i in range(40))
    write_rule(tmp_path / "rules", "LL901-hostile.yml", rule(f"[{patterns}]"))
    letter = tmp_path / "x.md"
    letter.write_text(LETTER + "\n" + " ".join(["word"] * 3000) + "\n")
    result = run_cli("check", "-f", "json", str(letter), "--rules", str(tmp_path / "rules"), timeout=90)
    assert result.returncode in (0, 1), result.stderr
    notes = [d["message"] for d in json.loads(result.stdout)["files"][0]["diagnostics"] if d["code"] == "LL315"]
    assert any("too costly" in n and "some findings may be missing" in n for n in notes), notes


def test_regexes_too_costly_for_a_text_are_cut_short_and_say_so(tmp_path):
    """Cue patterns run as regular expressions, which cannot be stopped half-way: each is charged
    its worst case over the paragraph (choices x tokens) before it runs, and a rule set whose
    regexes would cost more than the budget stops there. 400 patterns sharing their first word,
    each with 16 ways through its gaps, cost more than the budget allows at every "a"."""
    phrases = ", ".join(f'"a *3 b{i} *3 c"' for i in range(400))
    write_rule(tmp_path / "rules", "LL901-hostile.yml", rule(f"[{phrases}]"))
    letter = tmp_path / "x.md"
    letter.write_text("Dear Sam,\n\n" + " ".join(["a"] * 3000) + "\n\nBest,\nAl\n")
    result = run_cli("check", "-f", "json", str(letter), "--rules", str(tmp_path / "rules"), timeout=90)
    assert result.returncode in (0, 1), result.stderr
    notes = [d["message"] for d in json.loads(result.stdout)["files"][0]["diagnostics"] if d["code"] == "LL315"]
    assert any("too costly" in n and "some findings may be missing" in n for n in notes), notes


@pytest.mark.parametrize("compile_after", [0, 10**9])
def test_costly_patterns_stop_on_either_path(linter, monkeypatch, compile_after):
    """The same costly patterns in process, by regexes (charged their worst case before they run)
    and by the walk (charged each token test): both stop, say so, and return in bounded time."""
    from lintletter import token_patterns

    monkeypatch.setattr(token_patterns, "COMPILE_AFTER", compile_after)
    monkeypatch.setattr(token_patterns, "WALK_TOKENS", 10**9)
    engine = TokenMatcher()
    for i in range(400):
        engine.add("k", compile_pattern([{"LOWER": "a"}, {"OP": "{0,3}"}, {"LOWER": f"b{i}"}, {"OP": "{0,3}"}, {"LOWER": "c"}]))
    doc = linter.nlp.make_doc(" ".join(["a"] * 3000))
    with within(30):
        found, complete = engine.match(doc)
    assert not complete and not found


def test_builtin_rules_never_run_out_of_budget(linter):
    text = " ".join(["i would be happy to ask if you could"] * 500) + "\n\n" + " ".join(["i"] * 3000)
    report = linter.lint_text(text)
    assert not [f for f in report.findings if f.code == "LL315"]


# --- cue groups that name each other --------------------------------------------------------


def test_lexicon_groups_in_a_loop_are_refused(tmp_path):
    write_rule(tmp_path / "rules", "lexicon.yml", "groups:\n  ping: {any: [pong]}\n  pong: {any: [ping]}\n")
    write_rule(tmp_path / "rules", "LL901-hostile.yml", rule("{any: [ping]}"))
    with pytest.raises(RuleError) as caught:
        load_ruleset([tmp_path / "rules"])
    assert any("name each other in a loop" in str(p) and "ping" in str(p) for p in caught.value.problems)


def test_a_rules_own_groups_in_a_loop_are_refused(tmp_path):
    text = rule("{any: [other]}").replace("cues:\n", "cues:\n  other: {any: [topic]}\n")
    write_rule(tmp_path / "rules", "LL901-hostile.yml", text)
    with pytest.raises(RuleError) as caught:
        load_ruleset([tmp_path / "rules"])
    assert any("name each other in a loop: topic -> other -> topic" in str(p) or "other -> topic -> other" in str(p)
               for p in caught.value.problems), caught.value.problems


def test_a_rules_own_group_naming_an_unknown_group_is_refused(tmp_path):
    write_rule(tmp_path / "rules", "LL901-hostile.yml", rule("{any: [nowhere]}"))
    with pytest.raises(RuleError) as caught:
        load_ruleset([tmp_path / "rules"])
    assert any("unknown cue group 'nowhere'" in str(p) for p in caught.value.problems)


def test_groups_fanning_out_resolve_once_each(tmp_path, linter):
    """a -> [b x 10] -> [c x 10] ... expands to 10^8 names when duplicates are kept."""
    groups = "  g0: [hello]\n" + "".join(f"  g{i}: {{any: [{', '.join([f'g{i - 1}'] * 10)}]}}\n" for i in range(1, 9))
    write_rule(tmp_path / "rules", "lexicon.yml", "groups:\n" + groups)
    write_rule(tmp_path / "rules", "LL901-hostile.yml", rule("{any: [g8]}"))
    lint = Linter(load_ruleset([tmp_path / "rules"]), nlp=linter.nlp)
    with within(30):
        report = lint.lint_text("Dear Sam,\n\nhello there.\n\nBest,\nAl\n")
    assert any(f.code == "LL901" for f in report.findings)
