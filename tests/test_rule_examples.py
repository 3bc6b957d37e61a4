"""Every rule's YAML examples are tests: `present`/`weak`/`missing` for section rules,
`trigger`/`pass` for the others. A rule without both kinds of example fails here."""

from __future__ import annotations

import pytest

from lintletter import load_ruleset
from lintletter.model import Status

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


def test_every_rule_documents_itself():
    for rule in RULES:
        assert rule.description and rule.rationale and rule.suggestion, rule.code


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
