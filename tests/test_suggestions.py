"""Suggestions made for this letter (lintletter/suggest.py): the letter's own names in its slots,
neutral wording when it does not say, a variant that fits its register, and never a name the
letter does not contain."""

from __future__ import annotations

import json
import re

import pytest

from lintletter import Linter, load_ruleset
from lintletter.about import About, Fact
from lintletter.errors import RuleError
from lintletter.formatters import Run, render
from lintletter.suggest import _SLOT, fill, generic

from .conftest import CORPUS, ROOT, write_rule
from .test_ruleset import GOOD

LETTERS = ROOT / "corpus" / "fixtures"
RULES = load_ruleset().rules
# (never the blind holdout: a failing test would tell us about letters we must not see)
CORPUS_LETTERS = sorted((CORPUS / "letters").glob("*.*")) + sorted((CORPUS / "acceptance").glob("*.*"))
#: the last names of the old fixed suggestions, which named people and companies no letter had
OLD_NAMES = ("Acme", "Okafor", "Osei", "Priya", "Raman", "Calloway", "Product Analyst", "Senior Analyst", "final-round case")


def suggestions(report):
    return [f.suggestion for f in report.findings if f.suggestion]


def test_the_bellweather_letter_is_told_about_bellweather_foods_the_data_analyst_role_and_marcus(linter):
    report = linter.lint_text((LETTERS / "bellweather.md").read_text(encoding="utf-8"))
    made = " ".join(suggestions(report))
    assert "Bellweather Foods" in made and "the Data Analyst role" in made and "Marcus" in made
    for name in OLD_NAMES:
        assert name not in made, name
    by_code = {f.code: f.suggestion for f in report.findings}
    assert by_code["LL302"] == "Hi Marcus," and by_code["LL312"] == "Hi Marcus,"  # "Hi," is a warm letter
    assert "Bellweather Foods" in by_code["LL102"] and "Bellweather Foods" in by_code["LL105"]
    assert "the Data Analyst role" in by_code["LL101"] and by_code["LL311"].endswith("the Data Analyst role.")
    # ... and nothing else: every capitalised word it suggests is one the letter has, or starts a sentence
    assert _foreign_names(made, report.text) == set()


def test_a_letter_without_front_matter_gets_the_names_it_uses(linter):
    report = linter.lint_text((LETTERS / "northwind-no-front-matter.txt").read_text(encoding="utf-8"))
    by_code = {f.code: f.suggestion for f in report.findings}
    assert "Northwind Logistics" in by_code["LL105"] and "Northwind Logistics" in by_code["LL102"]
    assert "the Data Analyst role" in by_code["LL101"] and "my case study" in by_code["LL103"]
    assert _foreign_names(" ".join(by_code.values()), report.text) == set()


def test_a_letter_that_names_nobody_gets_neutral_wording(linter):
    report = linter.lint_text((LETTERS / "names-nobody.txt").read_text(encoding="utf-8"))
    made = suggestions(report)
    assert any("your organisation" in s for s in made) and any("the role" in s for s in made)
    assert any("my interview" in s for s in made)
    for s in made:
        assert not re.search(r"[\[\]{}<>]", s), s
    # the greeting cannot be written without a name: advice instead, and it is not offered as text
    sal = next(f for f in report.findings if f.code == "LL302")
    assert sal.suggestion.startswith("Greet the person") and sal.insert_at is None
    assert _foreign_names(" ".join(made), report.text) == set()


def _static_capitals() -> set[str]:
    """Capitalised words the templates themselves write (not from a slot)."""
    words = set()
    for rule in RULES:
        for text in [v.text for v in rule.variants] + [rule.advice or ""]:
            words |= set(re.findall(r"\b[A-Z][\w'’-]*", _SLOT.sub(lambda m: m.group(2) or "", text)))
    return words


_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|[\"“(]\s*|\n)([A-Z][\w'’-]*)")


def _foreign_names(suggested: str, letter: str) -> set[str]:
    """Capitalised words in ``suggested`` that do not start a sentence, are not the templates' own
    words, and are not in the letter: names made up for it."""
    starts = {m.start(1) for m in _SENTENCE_START.finditer(suggested)}
    own = _static_capitals()
    found = set()
    for m in re.finditer(r"\b[A-Z][\w'’-]*", suggested):
        word = m.group()
        if m.start() in starts or word in own or word in ("I", "I'm", "I'd", "I’m", "I’d"):
            continue
        if not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", letter):
            found.add(word)
    return found


def test_the_templates_themselves_name_nobody():
    """A template's own words never hold a proper name: only what starts a sentence or a line,
    "I", the greetings and closings, and rule codes."""
    allowed = {"I", "Dear", "Hi", "Best", "Kind", "Yours", "Cut", "Turn", "Replace", "Keep", "Spell", "Open", "Greet",
               "Thank", "Thanks", "Please", "Would", "Could", "If", "Is", "Which", "Sign", "Fill", "Add", "Remove",
               "Write", "Save", "UTF-8", "LL201", "I'm", "I'd", "Is", "Put"}
    for rule in RULES:
        for text in [v.text for v in rule.variants] + [rule.advice or ""]:
            static = _SLOT.sub(lambda m: m.group(2) or "", text)
            for m in re.finditer(r"\b[A-Z][\w'’-]*", static):
                assert m.group() in allowed, (rule.code, m.group(), text)


@pytest.mark.parametrize("path", CORPUS_LETTERS, ids=lambda p: p.stem)
def test_no_suggestion_names_anyone_the_letter_does_not(linter, path):
    text = path.read_text(encoding="utf-8")
    report = linter.lint_text(text, path.name)
    for f in (*report.findings, *(s.finding for s in report.suppressed)):
        assert f.suggestion, f.code
        assert _foreign_names(f.suggestion, text) == set(), (f.code, f.suggestion)
        assert not re.search(r"\[[^\]]*\]|\{\{|\{[a-z]+[|}]", f.suggestion), (f.code, f.suggestion)


@pytest.mark.parametrize(
    "rule, letter, suggestion",
    [pytest.param(r.code, letter, s, id=f"{r.code}-{i}") for r in RULES for i, (letter, s) in enumerate(r.suggestion_examples)],
)
def test_rule_suggestion_examples(linter, rule, letter, suggestion):
    """Each rule's ``suggestion_examples``: the letter gets exactly that suggestion."""
    if linter.ruleset.get(rule).kind == "document":  # about a document with no letter in it
        reports = list(linter.lint_documents([(None, letter, (), (), "auto")]))
    else:
        reports = [linter.lint_text(letter)]
    got = [f.suggestion for r in reports for f in r.findings if f.code == rule]
    assert got == [suggestion] or (got and got[0] == suggestion), (rule, got)


def test_every_rule_shows_a_rendered_suggestion():
    for rule in RULES:
        assert rule.suggestion_examples, rule.code
        if len(rule.variants) > 1 or "{" in rule.suggestion:
            # a rule that fills in names shows it on a letter that gives them
            assert any(s != generic(rule) for _, s in rule.suggestion_examples), rule.code


BELL = About(company=Fact("Bellweather Foods", "front matter"), role=Fact("Data Analyst", "front matter"),
             reader=Fact("Marcus Lee", "front matter"), stage=Fact("case study", "letter"))


@pytest.mark.parametrize("about", [About(), BELL, About(company=Fact("AT&T", "letter"), role=Fact("Head of Science", "letter"), apostrophe="’")])
@pytest.mark.parametrize("rule", [r for r in RULES if r.kind == "section"], ids=lambda r: r.code)
def test_every_section_wording_reads_as_that_section(linter, rule, about):
    """Each wording of a section's suggestion, filled in, is that section present, and no other
    section: so ``fix`` leaves no missing section and steals no evidence."""
    for variant in rule.variants:
        sentence = fill(variant.text, about)
        report = linter.lint_text(f"Dear Sam,\n\n{sentence}\n\nBest,\nAl\n")
        assert report.sections[rule.section].status.value == "present", sentence
        others = {k for k, v in report.sections.items() if k != rule.section and v.status.value != "missing"}
        assert not others, (sentence, others)


@pytest.mark.parametrize(
    "text, wanted",
    [
        ("Dear Ms. Okafor,\n\nThank you for your letter.\n\nYours sincerely,\nAl Jones\n", "would welcome the chance"),
        ("Hi Sam,\n\nThanks so much, I'm gutted but I get it.\n\nCheers,\nAl\n", "I'm still really keen"),
        ("Dear Sam,\n\nThank you.\n\nBest,\nAl\n", "I remain very interested in your organisation, and I would still love"),
    ],
)
def test_the_wording_fits_the_register(linter, text, wanted):
    made = {f.code: f.suggestion for f in linter.lint_text(text).findings}
    assert wanted in made["LL102"], made["LL102"]


def test_the_closing_fits_letter_or_email(linter):
    letter = "14 March 2025\n\nDear Ms. Okafor,\n\nThank you for your letter and for the interview.\n\nAl Jones\n"
    email = "Subject: Thank you\n\nDear Ms. Okafor,\n\nThank you for your e-mail and for the interview.\n\nAl Jones\n"
    closing = lambda t: next(f.suggestion for f in linter.lint_text(t).findings if f.code == "LL305")
    assert closing(letter) == "Yours sincerely," and closing(email) == "Kind regards,"


def test_suggestions_are_deterministic_and_follow_the_apostrophe(linter):
    text = "Hi Sam,\n\nThanks, I’m gutted but I’d love to hear from you.\n\nCheers,\nAl\n"
    one = suggestions(linter.lint_text(text))
    assert one == suggestions(linter.lint_text(text))
    assert any("I’d love" in s for s in one) and not any("I'd" in s for s in one)


def test_the_reader_is_addressed_as_the_register_wants():
    from lintletter.suggest import address

    dr = Fact("Dr. Amara Okafor", "front matter")
    assert (address(dr, "formal"), address(dr, "warm")) == ("Dr. Okafor", "Amara")
    assert (address(Fact("Marcus Lee", "front matter"), "formal"), address(Fact("Marcus Lee", "front matter"), None)) == ("Marcus Lee", "Marcus")
    assert address(Fact("Mr. Jones", "salutation"), "warm") == "Mr. Jones"  # as the letter itself greets them


def test_reports_show_the_personalised_suggestions(linter):
    report = linter.lint_text((LETTERS / "bellweather.md").read_text(encoding="utf-8"), "bellweather.md")
    for fmt in ("text", "html", "pretty", "json", "sarif"):
        out = render(fmt, Run((report,), rules=RULES))
        if fmt == "sarif":  # the rules' own help quotes their examples; the results are this letter's
            out = " ".join(r["message"]["text"] for r in json.loads(out)["runs"][0]["results"])
        assert "Bellweather Foods" in out and "Hi Marcus," in out, fmt
        assert "Acme" not in out and "Okafor" not in out, fmt


# --- the rule schema --------------------------------------------------------------------------


def _problems(tmp_path, text):
    write_rule(tmp_path, "LL901-test.yml", text)
    with pytest.raises(RuleError) as info:
        load_ruleset([tmp_path])
    return [str(p) for p in info.value.problems]


def test_schema_rejects_an_unknown_slot(tmp_path):
    found = _problems(tmp_path, GOOD.replace("suggestion: Say goodbye.", 'suggestion: "Say goodbye to {employer}."'))
    assert any("LL901-test.yml:8: suggestion: unknown slot {employer}" in p for p in found), found


def test_schema_rejects_a_name_without_neutral_wording_unless_there_is_advice(tmp_path):
    found = _problems(tmp_path, GOOD.replace("suggestion: Say goodbye.", 'suggestion: "Dear {reader},"'))
    assert any("suggestion: {reader} has no neutral wording" in p for p in found), found
    write_rule(tmp_path, "LL901-test.yml", GOOD.replace("suggestion: Say goodbye.", 'suggestion: "Dear {reader},"\nadvice: "Greet them by name."'))
    rule = load_ruleset([tmp_path]).get("LL901")
    assert generic(rule) == "Greet them by name."
    assert Linter(load_ruleset([tmp_path])).lint_text("---\ninterviewer: Jo Park\n---\nWell hello there.").findings


@pytest.mark.parametrize(
    "change, message",
    [
        ('suggestion: "Write to [Company]."', "no [bracketed] or {{mustache}} placeholders"),
        ('suggestion: "Hi {company|}."', "has an empty fallback"),
        ('suggestion: Say goodbye.\nsuggestions:\n  - {register: chatty, text: "Bye."}', "suggestions[0].register: must be one of"),
        ('suggestion: Say goodbye.\nsuggestions:\n  - {text: "Bye.", tone: warm}', "suggestions[0].tone: unknown key"),
        ('suggestion: Say goodbye.\ninsert_at: middle', "insert_at: must be one of"),
        ('suggestion: Say goodbye.\nsuggestion_examples:\n  - {letter: "hello"}', "suggestion_examples[0]: each example is"),
    ],
)
def test_schema_checks_suggestion_fields(tmp_path, change, message):
    found = _problems(tmp_path, GOOD.replace("suggestion: Say goodbye.", change))
    assert any(message in p for p in found), found
