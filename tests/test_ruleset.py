"""Rule files are validated strictly; every problem names file, line and field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from lintletter import Linter, load_ruleset
from lintletter.errors import RuleError
from lintletter.ruleset import BUILTIN_RULES

from .conftest import GOOD_RULE, write_rule

GOOD = GOOD_RULE


def problems(tmp_path, text, name="LL901-test.yml"):
    write_rule(tmp_path, name, text)
    with pytest.raises(RuleError) as info:
        load_ruleset([tmp_path])
    return [str(p) for p in info.value.problems]


def test_extra_rule_loads_and_runs(tmp_path):
    write_rule(tmp_path, "LL901-test.yml", GOOD)
    rs = load_ruleset([tmp_path])
    assert rs.get("LL901").name == "test-rule"
    report = Linter(rs).lint_text("Well hello there, friend.")
    assert any(f.code == "LL901" for f in report.findings)


def test_unknown_key_names_file_line_field(tmp_path):
    found = problems(tmp_path, GOOD + "colour: red\n")
    assert any("LL901-test.yml:15: colour: unknown key" in p for p in found), found


def test_wrong_type(tmp_path):
    found = problems(tmp_path, GOOD.replace('severity: warning', 'severity: [warning]'))
    assert any(":4: severity: must be text or mapping" in p for p in found), found


def test_bad_severity_value_lists_the_allowed_ones(tmp_path):
    found = problems(tmp_path, GOOD.replace("severity: warning", "severity: fatal"))
    assert any(":4: severity: invalid value 'fatal'; must be one of error, warning, info" in p for p in found), found


def test_missing_field(tmp_path):
    found = problems(tmp_path, GOOD.replace("rationale: Testing.\n", ""))
    assert any("rationale: required field is missing" in p for p in found), found


def test_unknown_cue_group(tmp_path):
    found = problems(tmp_path, GOOD.replace("match: [[hello]]", "match: [[hullo]]"))
    assert any("unknown cue group 'hullo'" in p for p in found), found


def test_duplicate_code_in_one_folder(tmp_path):
    write_rule(tmp_path, "a.yml", GOOD)
    found = problems(tmp_path, GOOD.replace("name: test-rule", "name: other-rule"), "b.yml")
    assert any("duplicate code LL901" in p for p in found), found


def test_broken_yaml_reports_line(tmp_path):
    found = problems(tmp_path, GOOD.replace("match: [[hello]]", "match: [[hello]"))
    assert any("LL901-test.yml:" in p and "YAML error" in p for p in found), found


def test_all_problems_reported_at_once(tmp_path):
    write_rule(tmp_path, "a.yml", GOOD.replace("code: LL901", "code: LL902").replace("test-rule", "rule-a") + "bogus: 1\n")
    found = problems(tmp_path, GOOD + "other: 2\n")
    assert len(found) >= 2


def test_one_bad_rule_reports_every_problem_in_one_run(tmp_path, capsys):
    """Not in rounds: structure, values, references and spaCy patterns all at once."""
    bad = (
        GOOD.replace("code: LL901", "code: LL9")
        .replace("rationale: Testing.\n", "")
        .replace("severity: warning", "severity: fatal")
        .replace("match: [[hello]]", "match: [[hullo]]")
        .replace('hello: ["hello"]', 'hello: ["hello"]\n  odd: [[{"LOWER": {"INN": ["x"]}}]]')
    )
    found = problems(tmp_path, bad)
    wanted = ["code: must look like LL123", "rationale: required field is missing", "severity: invalid value 'fatal'",
              ":11: match: unknown cue group 'hullo'", "odd: invalid pattern"]  # fmt: skip
    assert all(any(w in p for p in found) for w in wanted), found
    from lintletter.cli import main

    from .conftest import ACCEPTANCE

    assert main(["check", "--rules", str(tmp_path), str(ACCEPTANCE / "complete.md")]) == 2
    err = capsys.readouterr().err
    assert all(w in err for w in wanted), err


def test_unknown_kind_still_reports_the_other_fields(tmp_path):
    found = problems(tmp_path, GOOD.replace("kind: phrase", "kind: phrasing").replace("rationale: Testing.\n", ""))
    assert any("unknown kind 'phrasing'" in p for p in found) and any("rationale: required field" in p for p in found), found


def test_invalid_matcher_pattern_names_group(tmp_path):
    write_rule(tmp_path, "LL901-test.yml", GOOD.replace('hello: ["hello"]', 'hello: [[{"LOWER": {"INN": ["x"]}}]]'))
    rs = load_ruleset([tmp_path])
    from lintletter import pipeline

    with pytest.raises(RuleError) as info:
        Linter(rs, nlp=pipeline.load())
    assert "LL901-test.yml" in str(info.value) and "invalid pattern" in str(info.value)


def test_override_builtin_rule_by_code_says_replace(tmp_path):
    text = (BUILTIN_RULES / "form" / "LL308-too-short.yml").read_text().replace("words: 60", "words: 5")
    write_rule(tmp_path, "short.yml", "replace: true\n" + text)
    rs = load_ruleset([tmp_path])
    assert rs.get("LL308").options.words == 5


def test_the_same_code_in_two_folders_is_an_error_without_replace(tmp_path):
    text = (BUILTIN_RULES / "form" / "LL308-too-short.yml").read_text()
    found = problems(tmp_path, text, "short.yml")
    assert any("short.yml:1: code: LL308 is already defined in" in p and "'replace: true'" in p and "'extend: LL308'" in p for p in found), found
    (tmp_path / "short.yml").unlink()
    found = problems(tmp_path, "replace: true\n" + GOOD)
    assert any("replace: no earlier rule folder defines LL901" in p for p in found), found


def test_a_folder_named_twice_loads_once(tmp_path):
    write_rule(tmp_path, "LL901-test.yml", GOOD)
    assert load_ruleset([tmp_path, tmp_path]).get("LL901") is not None


def test_lexicon_cannot_silently_replace_a_builtin_group(tmp_path):
    write_rule(tmp_path, "lexicon.yml", 'groups:\n  request: ["please"]\n')
    found = [str(p) for p in pytest.raises(RuleError, load_ruleset, [tmp_path]).value.problems]
    assert any("groups.request: cue group 'request' is already defined in" in p and "'extend:'" in p for p in found), found
    write_rule(tmp_path, "lexicon.yml", 'replace:\n  request: ["please"]\n')
    assert load_ruleset([tmp_path]).lexicon["request"].patterns == ("please",)
    write_rule(tmp_path, "lexicon.yml", 'extend:\n  nosuch: ["please"]\n')
    found = [str(p) for p in pytest.raises(RuleError, load_ruleset, [tmp_path]).value.problems]
    assert any("no cue group 'nosuch' to extend" in p for p in found), found


def test_extend_a_builtin_rule_with_one_phrasing(tmp_path):
    letter = "Dear Sam,\n\nThank you. Could you hook me up with the platform team?\n\nBest,\nAl\n"
    assert Linter().lint_text(letter).sections["referrals"].status.value != "present"
    write_rule(tmp_path, "referrals-more.yml", 'extend: LL105\ncues:\n  topic: ["~hook me up"]\nexamples:\n  present: ["Could you hook me up with Dana?"]\n')
    rs = load_ruleset([tmp_path])
    assert len(rs.get("LL105").cues["topic"].patterns) == len(load_ruleset().get("LL105").cues["topic"].patterns) + 1
    assert Linter(rs).lint_text(letter).sections["referrals"].status.value == "present"


def test_extend_a_shared_cue_group_with_one_phrasing(tmp_path, ruleset):
    write_rule(tmp_path, "lexicon.yml", 'extend:\n  ask: ["~mind sharing"]\n')
    rs = load_ruleset([tmp_path])
    assert rs.lexicon["ask"].patterns == ruleset.lexicon["ask"].patterns + ("~mind sharing",)
    write_rule(tmp_path, "lexicon.yml", 'extend:\n  request: {any: [thanks]}\n')  # a union takes more names
    assert load_ruleset([tmp_path]).lexicon["request"].any_of == ruleset.lexicon["request"].any_of + ("thanks",)


def test_bad_extensions_name_file_and_field(tmp_path):
    found = problems(tmp_path, 'extend: LL999\ncues:\n  topic: ["x"]\n', "x.yml")
    assert any("extend: no rule 'LL999' to extend" in p for p in found), found
    found = problems(tmp_path, 'extend: LL105\ncues:\n  topics: ["~hook me up"]\n', "x.yml")
    assert any("cues.topics: LL105 has no cue group 'topics' (its own: " in p and re.search(r"[ (]topic[,)]", p) for p in found), found
    found = problems(tmp_path, 'extend: LL105\ncode: LL105\n', "x.yml")
    assert any("code: an extension of a section rule takes" in p for p in found), found


def test_missing_rule_folder(tmp_path):
    with pytest.raises(RuleError) as info:
        load_ruleset([tmp_path / "nope"])
    assert "rule folder does not exist" in str(info.value)


def test_scoring_weights_must_add_to_100(tmp_path):
    base = tmp_path / "rules"
    shutil.copytree(BUILTIN_RULES, base)
    score = base / "scoring.yml"
    score.write_text(score.read_text().replace("competitors: 15", "competitors: 25"))
    with pytest.raises(RuleError) as info:
        load_ruleset(base_dir=base)
    assert "scoring.yml" in str(info.value) and "add up to 100" in str(info.value)


def test_yaml_cannot_construct_objects(tmp_path):
    found = problems(tmp_path, GOOD.replace("name: test-rule", "name: !!python/object/apply:os.system ['true']"))
    assert any("YAML error" in p for p in found), found


@pytest.mark.parametrize(
    "regex, reason",
    [
        ("(a+)+$", "must start with ^"),
        ("^(a+)+$", "repeat inside a repeat"),
        ("^(x|xx)+$", "repeats an alternation"),
        ("^a+b+$", "more than one unbounded repeat"),
        ("^(a)\\\\1$", "backreferences"),
        ("^(", "does not compile"),
    ],
)
def test_unsafe_regex_is_refused_at_load(tmp_path, regex, reason):
    text = GOOD.replace('hello: ["hello"]', 'hello: [[{"TEXT": {"REGEX": "%s"}}]]' % regex)
    found = problems(tmp_path, text)
    assert any("LL901-test.yml:" in p and "cues.hello" in p and reason in p for p in found), found


def test_builtin_regexes_pass_the_safety_check():
    from lintletter.regex_safety import check, regexes_in

    seen = 0
    for rule in load_ruleset().rules:
        for group in rule.cues.values():
            for pattern in group.patterns:
                if isinstance(pattern, list):
                    for regex in regexes_in(pattern):
                        check(regex)
                        seen += 1
    assert seen >= 2  # LL307's placeholder patterns


def test_builtin_hand_written_patterns_pass_spacys_schema(ruleset):
    """CompiledCues skips spaCy's schema check for built-in rules at run time; this is that check."""
    from spacy.matcher import Matcher

    from lintletter import pipeline

    matcher = Matcher(pipeline.load().vocab, validate=True)
    groups = list(ruleset.lexicon.values()) + [g for r in ruleset.rules for g in r.cues.values()]
    hand_written = [(g.name, p) for g in groups for p in g.patterns if not isinstance(p, str)]
    assert hand_written
    for name, pattern in hand_written:
        matcher.add(name, [pattern])


def _readme_blocks(heading: str) -> dict[str, list[str]]:
    """The fenced code blocks of rules/README.md's section ``heading``, by language."""
    text = (BUILTIN_RULES / "README.md").read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    blocks: dict[str, list[str]] = {}
    for part in section.split("```")[1::2]:
        language, _, body = part.partition("\n")
        blocks.setdefault(language.strip(), []).append(body)
    return blocks


def test_adding_a_kind_as_the_readme_shows(tmp_path, monkeypatch, linter):
    """rules/README.md's worked example, run as written: its module, registered by its one registry
    line, loads a rule of the new kind strictly and runs it."""
    import sys
    import types

    from lintletter.checks import KINDS

    blocks = _readme_blocks("Adding a kind")
    module = types.ModuleType("lintletter.checks.exclamation")
    monkeypatch.setitem(sys.modules, module.__name__, module)  # as if it were lintletter/checks/exclamation.py
    exec(compile(blocks["python"][0], "exclamation.py", "exec"), module.__dict__)
    line = blocks["python"][1].strip()
    assert line == '"exclamation": exclamation.KIND,'
    monkeypatch.setitem(KINDS, "exclamation", eval(line.rstrip(",").split(": ", 1)[1], {"exclamation": module}))

    rule_file = blocks["yaml"][0]
    write_rule(tmp_path, "LL206-exclamations.yml", rule_file)
    rs = load_ruleset([tmp_path])
    rule = rs.get("exclamations")
    assert rule.kind == "exclamation" and rule.options == module.Options(most=1, regions=("body", "ps"))
    mine = Linter(rs, nlp=linter.nlp)
    for text in rule.examples["trigger"]:
        found = [f for f in mine.lint_text(text).findings if f.code == "LL206"]
        assert [f.message for f in found] == ["3 exclamation marks read as excitable in a letter after a rejection."]
    for text in rule.examples["pass"]:
        assert not [f for f in mine.lint_text(text).findings if f.code == "LL206"]
    # strict decoding, with file, line and field
    write_rule(tmp_path, "LL206-exclamations.yml", rule_file.replace("most: 1", 'most: "two"').replace("severity: info", "severity: info\nmots: 2"))
    found = problems(tmp_path, (tmp_path / "LL206-exclamations.yml").read_text(), "LL206-exclamations.yml")
    assert any(p.endswith('LL206-exclamations.yml:4: most: must be whole number') for p in found), found
    assert any("LL206-exclamations.yml:6: mots: unknown key for a exclamation rule" in p for p in found), found


def test_without_its_registry_line_a_kind_is_unknown(tmp_path):
    found = problems(tmp_path, _readme_blocks("Adding a kind")["yaml"][0], "LL206-exclamations.yml")
    assert any("LL206-exclamations.yml:3: kind: unknown kind 'exclamation'" in p for p in found), found


def _code_groups():
    from lintletter.checks import lexicon_used

    return sorted(lexicon_used())


def test_the_code_names_its_lexicon_groups():
    assert {"greeting", "negation", "clause_break", "conditional", "sentence_opener", "coordinator"} <= set(_code_groups())


@pytest.mark.parametrize("group", _code_groups())
def test_a_lexicon_group_the_code_relies_on_cannot_go_missing(tmp_path, group):
    """Renaming ``greeting`` in lexicon.yml must not load fine and silently disable LL302."""
    base = tmp_path / "rules"
    shutil.copytree(BUILTIN_RULES, base)
    lexicon = base / "lexicon.yml"
    text = lexicon.read_text(encoding="utf-8")
    assert f"\n  {group}:" in text
    lexicon.write_text(text.replace(f"\n  {group}:", f"\n  {group}_renamed:"), encoding="utf-8")
    groups_line = text.splitlines().index("groups:") + 1
    with pytest.raises(RuleError) as info:
        load_ruleset(base_dir=base)
    found = [str(p) for p in info.value.problems]
    want = f"{lexicon}:{groups_line}: groups.{group}: cue group {group!r} is missing; lintletter's code looks it up by name"
    assert any(p.startswith(want) for p in found), found


def test_every_group_name_the_code_passes_is_declared():
    """A lexicon group named by a literal in a cue look-up (not through the declared constants)
    would escape the load-time check above."""
    import ast

    import lintletter

    looked_up = {"resolve", "spans_of", "satisfied", "first_satisfied", "_preceded_in_clause"}
    lexicon = set(load_ruleset().lexicon)
    stray = []
    for path in sorted(Path(lintletter.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in looked_up:
                for arg in node.args:
                    if isinstance(arg, ast.Constant) and arg.value in lexicon and arg.value not in _code_groups():
                        stray.append(f"{path.name}:{node.lineno}: {arg.value}")
    assert not stray, stray


def test_the_readme_names_every_field_of_every_kind():
    """rules/README.md's table of kind-specific fields is the users' schema: it must keep up with the
    kinds' Options."""
    import dataclasses
    import re

    from lintletter.checks import KINDS
    from lintletter.validate import required

    text = (BUILTIN_RULES / "README.md").read_text(encoding="utf-8")
    table = text.split("\n## Kind-specific fields\n", 1)[1].strip().split("\n\n", 1)[0]
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(\w+)` \| (.*) \|$", table, re.M)}
    assert set(rows) == set(KINDS)
    for name, kind in KINDS.items():
        fields = [f.name for f in dataclasses.fields(kind.options)]
        assert all(f"`{f}" in rows[name] for f in fields), (name, fields, rows[name])
        assert set(required(kind.options)) <= {"present", "match", "check", "words", "field"}, name


@pytest.mark.parametrize("clitic, text", [("'m", "I'm owed an answer."), ("'ve", "I've waited weeks."),
                                           ("'m", "I’m owed an answer."), ("'ve", "I’ve waited weeks.")])
def test_a_clitic_written_alone_in_a_cue_matches_the_letters_contraction(tmp_path, linter, clitic, text):
    """spaCy splits "I'm" into "I" + "'m" but cuts "'m" written alone into "'" + "m": a cue word
    "'m" (or "'ve") must be read as the letter's token, or no letter could ever match it."""
    rule = GOOD.replace('hello: ["hello"]', f'hello: ["i {clitic}"]').replace('"hello there"', f'"{text}"').replace(
        'pass: ["goodbye"]', 'pass: ["I am here."]')
    write_rule(tmp_path, "LL901-test.yml", rule)
    rs = load_ruleset([tmp_path])
    report = Linter(rs, nlp=linter.nlp).lint_text(text)
    assert any(f.code == "LL901" for f in report.findings)
