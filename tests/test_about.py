"""What a letter is about, read from the letter (lintletter/about.py): front matter first, then the
writer's own words, the salutation and signature, e-mail headers and the quoted message."""

from __future__ import annotations

import json
import re

import pytest

from lintletter import anatomy
from lintletter.about import extract
from lintletter.cli import main

from .conftest import CORPUS, ROOT

LETTERS = ROOT / "corpus" / "fixtures"


def about(linter, text):
    return linter.lint_text(text).about


def value(fact):
    return None if fact is None else fact.value


def test_about_front_matter_wins_and_says_where_it_came_from(linter):
    text = (LETTERS / "bellweather.md").read_text(encoding="utf-8").replace(
        "letting me know", "letting me know about the Analyst job at Northwind Logistics"
    )
    a = about(linter, text)
    assert (a.company.value, a.company.source) == ("Bellweather Foods", "front matter")
    assert (a.role.value, a.reader.value) == ("Data Analyst", "Marcus Lee")
    assert text[a.company.span.start : a.company.span.end] == "Bellweather Foods"
    assert (a.writer.value, a.writer.source) == ("Sam Ortiz", "signature")


def test_about_reads_the_letter_when_there_is_no_front_matter(linter):
    a = about(linter, (LETTERS / "northwind-no-front-matter.txt").read_text(encoding="utf-8"))
    assert (value(a.reader), a.reader.source) == ("Mr. Jones", "salutation")
    assert (value(a.company), a.company.source) == ("Northwind Logistics", "letter")
    assert value(a.role) == "Data Analyst" and value(a.writer) == "Priya Raman"
    assert value(a.stage) == "case study"
    assert (a.register, a.medium) == ("formal", "letter")


@pytest.mark.parametrize(
    "sentence, company",
    [
        ("I would still love to join Northwind one day.", "Northwind"),
        ("I admired Northwind's mission and its approach to routing.", "Northwind"),
        ("Everyone at Beacon & Pine was generous with their time.", "Beacon & Pine"),
        ("I remain interested in Harbor Analytics.", "Harbor Analytics"),
        ("I enjoyed meeting everyone at the Ashcombe Gallery.", "the Ashcombe Gallery"),
        # the writer's own employer, a person, a competency, a lone acronym: not the company
        ("I'm currently at Acme Corp and learning a lot.", None),
        ("Please thank Jenny's team for me.", None),
        ("My example on Delivering at Pace was weak.", None),
        ("I hope to see you at ASEH this spring.", None),
    ],
)
def test_about_company_from_the_writers_words(linter, sentence, company):
    a = about(linter, f"Hi Sam,\n\nThanks for your note. {sentence}\n\nBest,\nAl\n")
    assert value(a.company) == company


@pytest.mark.parametrize(
    "sentence, role",
    [
        ("I was sorry not to get the Senior Data Analyst role.", "Senior Data Analyst"),
        ("Not getting the backend role stings.", "backend"),
        ("I'm sad to miss out on the assistant coach spot.", "assistant coach"),
        ("I won't be joining Calloway as a Senior Consultant this cycle.", "Senior Consultant"),
        # not the role: an adjective, a comparison, a job the writer once had, a word in "role-play"
        ("I hope a suitable vacancy arises.", None),
        ("Would a stretch project put me in a better position?", None),
        ("I have eight years as a Navy Seabee.", None),
        ("The negotiation role-play was hard.", None),
    ],
)
def test_about_role_from_the_writers_words(linter, sentence, role):
    assert value(about(linter, f"Hi Sam,\n\n{sentence}\n\nBest,\nAl\n").role) == role


def test_about_reads_the_quoted_message_and_its_addresses(linter):
    text = (
        "Hi Dana,\n\nThanks for letting me know. I'd still love to work with you one day.\n\nBest,\nEli\n\n"
        "On Tue, 4 Mar 2025 at 16:12, Dana Whitlock <dana@bellweatherfoods.com> wrote:\n"
        "> Thank you for interviewing for the Backend Engineer role. We have chosen another candidate.\n"
        "> Dana Whitlock\n> Engineering Manager, Bellweather Foods\n"
    )
    a = about(linter, text)
    assert (value(a.company), a.company.source) == ("Bellweather Foods", "quoted message")
    assert (value(a.role), a.role.source) == ("Backend Engineer", "quoted message")
    assert value(a.reader) == "Dana" and value(a.writer) == "Eli"
    assert a.medium == "email"


@pytest.mark.parametrize(
    "greeting, reader",
    [("Dear Mr. Jones,", "Mr. Jones"), ("Hi Sam,", "Sam"), ("Caroline,", "Caroline"), ("Respected Dr. Gurung,", "Dr. Gurung"),
     ("Olá Henrik,", "Henrik"), ("Dear Hiring Manager,", None), ("Hello,", None), ("To whom it may concern,", None),
     ("Dear Sift and Interview Team,", None), ("Dear [Interviewer Name],", None), ("Respected Madam,", None)],
)
def test_about_reader_from_the_salutation(linter, greeting, reader):
    assert value(about(linter, f"{greeting}\n\nThank you for the interview.\n\nBest,\nAl\n").reader) == reader


def test_about_never_takes_a_placeholder(linter):
    text = (CORPUS / "letters" / "a07-template-md.md").read_text(encoding="utf-8")
    a = about(linter, text)
    assert a.company is None and a.role is None and a.reader is None and a.writer is None


@pytest.mark.parametrize(
    "text, register, medium",
    [
        ("Hi Sam,\n\nThanks so much, I'm gutted but I'd love to stay in touch.\n\nCheers,\nAl\n", "warm", None),
        ("Dear Ms. Okafor,\n\nThank you for your letter.\n\nYours sincerely,\nAl Jones\n", "formal", "letter"),
        ("Subject: Thank you\n\nDear Ms. Okafor,\n\nThank you.\n\nKind regards,\nAl\n", "formal", "email"),
        ("---\ntone: warm\n---\nDear Ms. Okafor,\n\nThank you.\n\nYours sincerely,\nAl\n", "warm", "letter"),
    ],
)
def test_about_register_and_medium(linter, text, register, medium):
    a = about(linter, text)
    assert (a.register, a.medium) == (register, medium)


def test_about_without_docs_reads_the_same(linter):
    """The extractor also works on a parsed letter alone (its tokens found by pattern)."""
    text = (LETTERS / "northwind-no-front-matter.txt").read_text(encoding="utf-8")
    a = extract(anatomy.parse(text))
    assert (value(a.company), value(a.role), value(a.reader)) == ("Northwind Logistics", "Data Analyst", "Mr. Jones")


def _compatible(found: str, truth: str) -> bool:
    """The value read from the letter names (part of) what the front matter says."""
    titles = {"the", "of", "and", "mr", "mrs", "ms", "dr", "prof", "professor", "sir", "eng"}
    words = lambda s: set(re.findall(r"\w+", s.lower())) - titles
    # a short form names the person too: "Sam" for "Samuel Achterberg"
    named = lambda w, others: any(o == w or (len(w) >= 3 and o.startswith(w)) for o in others)
    a, b = words(found), words(truth)
    if a and (all(named(w, b) for w in a) or all(named(w, a) for w in b)):
        return True
    # one organisation by two of its names: "Eastbrook High" in a letter whose front matter says
    # "Eastbrook Unified School District" (the same leading name)
    head = lambda s: next(iter(re.findall(r"\w+", s.lower())), "")
    return len(head(found)) >= 4 and head(found) == head(truth) and head(found) not in titles


def test_about_on_the_corpus_agrees_with_front_matter(linter):
    """Strip each corpus letter's front matter and read it again: whatever is read from the letter
    itself must agree with what its front matter says (precision first: a wrong name in a
    suggestion is worse than none)."""
    checked = {"company": [0, 0], "role": [0, 0], "reader": [0, 0]}
    keys = {"company": "company", "role": "role", "reader": "interviewer"}
    for path in sorted((CORPUS / "letters").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        parsed = anatomy.parse(text)
        if parsed.front_matter_span is None or parsed.is_template:
            continue
        a = linter.lint_text(text[parsed.front_matter_span.end :]).about
        for slot, key in keys.items():
            truth, fact = parsed.front_matter.get(key), a.get(slot)
            if isinstance(truth, str) and fact is not None:
                checked[slot][0] += 1
                checked[slot][1] += _compatible(fact.value, truth)
                assert _compatible(fact.value, truth) or slot == "role", (path.name, slot, fact.value, truth)
    assert checked["company"][0] >= 5 and checked["reader"][0] >= 15, checked
    # a role is read in the writer's words ("the operations job"): most agree, a few paraphrase
    assert checked["role"][1] >= 0.8 * checked["role"][0] and checked["role"][0] >= 12, checked


def test_json_reports_about(capsys):
    code = main(["check", "-f", "json", "--exit-zero", str(LETTERS / "northwind-no-front-matter.txt")])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    about_ = doc["files"][0]["about"]
    assert about_["company"] == {"value": "Northwind Logistics", "source": "letter", "line": 3, "column": 58, "end_line": 3, "end_column": 77}
    assert about_["reader"]["source"] == "salutation" and about_["writer"]["value"] == "Priya Raman"
    assert about_["register"] == "formal" and set(about_) == {"reader", "company", "role", "writer", "stage", "register", "medium"}


def test_about_reads_the_company_from_the_quoted_signature(linter):
    text = (
        "Hi Natalie,\n\nThanks for letting me know.\n\nBest,\nEli\n\n"
        "On Tue, 4 Mar 2025 at 16:12, Natalie <natalie@gmail.com> wrote:\n> We went with someone else.\n>\n"
        "> Best,\n> Natalie Okoro\n> Engineering Manager, Parcelwise\n"
    )
    a = about(linter, text)
    assert (value(a.company), a.company.source) == ("Parcelwise", "quoted message")
    # the writer's own signature names their current employer: never the company
    own = "Hi Natalie,\n\nThanks for letting me know.\n\nBest,\nEli Brandt\nData Analyst, Acme Corp\n"
    assert about(linter, own).company is None
