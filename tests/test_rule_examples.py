"""Every rule's YAML examples are tests: `present`/`weak`/`missing` for section rules,
`trigger`/`pass` for the others. A rule without both kinds of example fails here."""

from __future__ import annotations

import pytest

from lintletter import load_ruleset
from lintletter.errors import RuleError
from lintletter.model import Status

from .conftest import GOOD_RULE, run_cli, write_rule

RULES = load_ruleset().rules
CASES = [
    pytest.param(rule.code, label, text, id=f"{rule.code}-{label}-{i}")
    for rule in RULES
    for label, texts in rule.examples.items()
    for i, text in enumerate(texts)
]


def test_every_rule_has_examples_both_ways():
    for rule in RULES:
        if rule.kind == "section":
            assert rule.examples.get("present") and rule.examples.get("missing"), rule.code
        else:
            assert rule.examples.get("trigger") and rule.examples.get("pass"), rule.code


def test_every_rule_documents_itself_where_users_read_it(capsys):
    """The documentation lives with the rule and reaches `lintletter rule CODE`, word for word."""
    for rule in RULES:
        code, out, err = run_cli(capsys, "rule", rule.code, "--no-config")
        assert code == 0 and not err, rule.code
        assert " ".join(rule.description.split()) in out, f"{rule.code}: description not shown"
        assert " ".join(rule.rationale.split()) in out, f"{rule.code}: rationale not shown"
        shown = out.split("Suggestion (filled in with the names each letter uses)\n", 1)[1].split("\nExamples\n", 1)[0]
        assert shown.strip() and "[" not in shown, f"{rule.code}: no suggestion shown, or one with a placeholder"


# the sample rule, whose documentation each case below takes out
UNDOCUMENTED = GOOD_RULE


@pytest.mark.parametrize("field", ["description", "rationale", "suggestion"])
@pytest.mark.parametrize("how", ["missing", "blank"])
def test_a_rule_that_does_not_document_itself_does_not_load(tmp_path, field, how):
    """What keeps every rule documented: the loader, not a test over rules that already loaded."""
    line = next(i for i, text in enumerate(UNDOCUMENTED.splitlines(), 1) if text.startswith(f"{field}:"))
    text = UNDOCUMENTED.replace(f"{field}: ", "# " if how == "missing" else f'{field}: "  " # ', 1)
    path = write_rule(tmp_path, "LL901-undocumented.yml", text)
    with pytest.raises(RuleError) as info:
        load_ruleset([tmp_path])
    found = [str(p) for p in info.value.problems]
    assert len(found) == 1 and str(path) in found[0] and field in found[0], found
    if how == "blank":
        assert f":{line}:" in found[0], found  # at the field's own line


@pytest.mark.parametrize("code,label,text", CASES)
def test_rule_example(linter, code, label, text):
    rule = linter.ruleset.get(code)
    if rule.kind == "document":  # about a document with no letter in it: the documents' API
        (report,) = linter.lint_documents([("example.md", text, (), (), "auto")])
    else:
        report = linter.lint_text(text)
    if rule.kind == "section":
        got = report.sections[rule.section].status
        assert got == Status(label), f"{code} on {text!r}: expected {label}, got {got.value}"
    else:
        codes = {f.code for f in report.findings}
        if label == "trigger":
            assert code in codes, f"{code} should trigger on {text!r}"
        else:
            assert code not in codes, f"{code} should not trigger on {text!r}"


# Section examples that only the learned signal gets right: an oblique cue matches ("the decision")
# and the signal's floor vetoes it, or no cue matches and the signal alone
# reads the sentence as the section. Every other example must hold on its cues
# alone, so that retraining the signal (which every new writer does) cannot break it; an example that
# came to depend on the signal, or stopped depending on it, fails here by name.
SIGNAL_VETOED_EXAMPLES = {
    ("LL101", "Your offer was competitive, and the decision was not an easy one."),
    # ... and one that only the signal makes weak (`weak: [..., [$signal]]`: a paraphrase no cue knows)
    ("LL104", "Any pointers for someone hoping to get into this field would be welcome."),
    # ... and one whose ask words only the signal's present floor sets aside (`present_floor`)
    ("LL103", "I learned a lot from the debrief with your team, far more than I expected."),
}


def test_section_examples_hold_without_the_learned_signal(linter):
    from lintletter import Linter

    unsignalled = Linter(linter.ruleset, nlp=linter.nlp)
    unsignalled.signal = None  # as when no rule consults $signal: no $signal cue, no floor
    depends = set()
    for rule in linter.ruleset.rules:
        if rule.kind != "section":
            continue
        for label, texts in rule.examples.items():
            for text in texts:
                got = unsignalled.lint_text(text).sections[rule.section].status
                if got != Status(label):
                    depends.add((rule.code, text))
    assert depends == SIGNAL_VETOED_EXAMPLES
