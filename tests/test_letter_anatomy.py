"""The anatomy parser: which parts of a draft are the writer's own prose."""

from __future__ import annotations

import pytest

from lintletter.anatomy import parse


def part(letter, name):
    span = getattr(letter, name)
    return None if span is None else letter.text[span.start : span.end]


def body(letter):
    return [b.text.strip() for b in letter.blocks if b.region == "body"]


EMAIL = """Subject: Thank you - Senior Analyst role

Dear Ms. Chen,

Thank you for letting me know.
I enjoyed meeting the team.

Best regards,
Sam Lee
sam@example.com

P.S. Could you introduce me to someone?

On Tue, 4 Feb 2025 at 09:30, Jane Chen <jane@x.com> wrote:
> We chose another candidate. Feedback is welcome.
"""


def test_email_parts():
    letter = parse(EMAIL)
    assert part(letter, "subject") == "Thank you - Senior Analyst role"
    assert part(letter, "salutation") == "Dear Ms. Chen,"
    assert part(letter, "closing") == "Best regards,"
    assert part(letter, "signature") == "Sam Lee\nsam@example.com"
    assert part(letter, "quote").startswith("On Tue, 4 Feb")
    assert [letter.text[s.start : s.end] for s in letter.postscripts] == ["P.S. Could you introduce me to someone?"]


def test_body_lines_join_and_quote_never_counts():
    letter = parse(EMAIL)
    assert body(letter) == ["Thank you for letting me know. I enjoyed meeting the team."]
    assert all("Feedback" not in b.text for b in letter.blocks)
    ps = [b for b in letter.blocks if b.region == "ps"]
    assert ps[0].text.strip() == "Could you introduce me to someone?"


@pytest.mark.parametrize(
    "quote_marker",
    [
        "-----Original Message-----\nFrom: Jane\nWe chose another candidate.",
        "> We chose another candidate.",
        "On Tue, 4 Feb 2025 at 09:30, Jane Chen <jane@x.com>\nwrote:\nWe chose another candidate.",
        "From: Jane Chen\nSent: Monday\nWe chose another candidate.",
    ],
)
def test_quoted_history_styles(quote_marker):
    letter = parse(f"Hi Jane,\n\nThanks for the news.\n\nBest,\nSam\n\n{quote_marker}\n")
    assert letter.quote is not None
    assert all("another candidate" not in b.text for b in letter.blocks)


def test_masked_text_keeps_offsets():
    text = "---\ncompany: Acme\n---\n# Heading\n\nDear Jo,\n\nI **really** liked [Acme](https://acme.example).\n\n- Where did I fall short?\n"
    letter = parse(text)
    for block in letter.blocks:
        assert len(block.text) == block.span.end - block.span.start
        for i, ch in enumerate(block.text):
            if ch != " ":
                assert text[block.span.start + i] == ch
    prose = [b.text for b in letter.blocks if b.region == "body" and b.kind != "heading"]
    assert "**" not in "".join(prose) and "https" not in "".join(prose)
    assert letter.front_matter == {"company": "Acme"}


def test_list_items_after_lead_in():
    letter = parse("Hi Jo,\n\nA few questions:\n\n- Where did I fall short?\n- Who else should I meet?\n\nThanks,\nAl\n")
    items = [b for b in letter.blocks if b.kind == "list_item"]
    assert len(items) == 2 and all(b.after_lead_in for b in items)


def test_salutation_with_text_on_same_line():
    letter = parse("Hi Sam, thanks for the call today.\n\nBest,\nAl\n")
    assert part(letter, "salutation") == "Hi Sam,"
    assert body(letter) == ["thanks for the call today."]


def test_signature_without_closing():
    letter = parse("Dear Sam,\n\nThank you for the interview.\n\nPriya Raman\n")
    assert part(letter, "signature") == "Priya Raman"
    assert part(letter, "closing") is None


def test_invalid_front_matter_is_reported_not_raised():
    letter = parse("---\ncompany: [Acme\n---\nDear Sam,\n")
    assert letter.front_matter == {}
    assert "not valid YAML" in letter.front_matter_error


def test_template_flag():
    assert parse("---\ntemplate: true\n---\nHi [Name],\n").is_template
    assert not parse("Hi Sam,\n").is_template


@pytest.mark.parametrize("text", ["", "   \n\n", "\r\n\r\n", "---\n", "> only a quote\n", "P.S.\n"])
def test_degenerate_inputs(text):
    letter = parse(text)
    assert not [b for b in letter.blocks if b.region == "body" and b.text.strip()]


def test_bold_run_in_label_stays_with_its_question(linter):
    """'**Feedback.** Where did I fall short?' is one ask: the label says what the question is about."""
    text = (
        "Dear Sam,\n\nThank you for letting me know the role went to another candidate. I have two requests:\n\n"
        "1. **Feedback.** What would have moved me from close to yes?\n"
        "2. **Other firms:** Which GCs in the region would you point me toward?\n\nBest,\nAl\n"
    )
    report = linter.lint_text(text)
    feedback = report.sections["feedback_request"]
    assert feedback.status.value == "present"
    quoted = feedback.evidence[0].text(text)
    assert quoted.startswith("Feedback.**") and quoted.endswith("close to yes?")


# --- a suppression comment above the greeting ------------------------------------------------

@pytest.mark.parametrize(
    "above",
    ["<!-- lintletter: disable-next-line=LL201 -- quoting them -->\n", "<!-- draft 2 -->\n\n", "<!-- a --> <!-- b -->\n"],
)
def test_a_comment_above_the_salutation_does_not_hide_it(above, linter):
    letter = parse(above + "Dear Dana,\n\nThank you for letting me know.\n\nBest,\nSam\n")
    assert part(letter, "salutation") == "Dear Dana,"
    report = linter.lint_text(above + "Dear Dana,\n\nThank you for letting me know.\n\nBest,\nSam\n")
    assert "LL301" not in {f.code for f in report.findings}


# --- placeholders: in the signature, and every one of them ------------------------------------

def test_placeholder_in_the_signature_is_flagged(linter):
    from .conftest import ACCEPTANCE

    text = (ACCEPTANCE / "complete.md").read_text(encoding="utf-8").replace("Priya Raman", "[Your Name]")
    report = linter.lint_text(text)
    found = [f for f in report.findings if f.code == "LL307"]
    assert len(found) == 1 and text[found[0].span.start : found[0].span.end] == "[Your Name]"
    assert report.score.value < 100 and report.score.verdict != "ready"


def test_every_placeholder_of_a_sentence_is_reported(linter):
    text = "Dear Sam,\n\nI would love to join [Company] as a [Role] on {{team}} one day, TODO.\n\nBest,\nAl\n"
    flagged = [text[f.span.start : f.span.end] for f in linter.lint_text(text).findings if f.code == "LL307"]
    assert flagged == ["[Company]", "[Role]", "{team}", "TODO"] or flagged == ["[Company]", "[Role]", "{{team}}", "TODO"], flagged


def test_greeting_below_an_address_block_date_and_memo_headers():
    from lintletter.anatomy import parse

    formal = "Flat 3, 27 Mornington Road\nBristol\nBS8 2UT\n\n2 June 2025\n\nMs Claire Redfern\nPupillage Secretary\n\nDear Ms Redfern,\n\nThank you for your letter.\n\nYours sincerely,\nAmal Haddad\n"
    memo = "**To:** Julian Moss\n**Re:** Associate interview\n\nDear Julian,\n\nThank you for letting me know.\n\nBest,\nSam\n"
    for text, greeting in ((formal, "Dear Ms Redfern,"), (memo, "Dear Julian,")):
        letter = parse(text)
        assert text[letter.salutation.start : letter.salutation.end] == greeting
        # the preamble is not body prose
        assert all("Mornington" not in b.text and "Re:" not in b.text for b in letter.blocks)
    # a first sentence of prose is not a preamble: no greeting is looked for below it
    assert parse("Thanks for the call today.\n\nDear Sam, that was kind.\n").salutation is None


def test_greetings_in_other_languages_and_on_the_same_line():
    from lintletter.anatomy import parse

    text = "Hola Mike - thanks for the call today. I'd love to stay in touch.\n"
    letter = parse(text)
    assert text[letter.salutation.start : letter.salutation.end].strip() == "Hola Mike -"


@pytest.mark.parametrize("first, greeting", [
    ("Kia ora Sarah (and cc Aroha),", "Kia ora Sarah (and cc Aroha),"),
    ("G'day Bruce,", "G'day Bruce,"),
    ("Morning Sam,", "Morning Sam,"),
    ("Morning, all!", "Morning,"),
    ("Morning meetings were the best part of the visit.", None),  # prose that opens with the word
    ("Evening classes, I gather, are where the new role starts.", None),
])
def test_greetings_of_english_around_the_world(first, greeting):
    letter = parse(f"{first}\n\nThank you for letting me know.\n\nCheers,\nHana\n")
    assert part(letter, "salutation") == greeting


def test_signatures_with_credentials_and_title_lines():
    from lintletter.anatomy import parse

    for tail in ("Jonah Whitcombe, P.E.\nTraffic Engineer, City of Bellmont",
                 "Julia Rautenberg, M.Sc., P.Biol.",
                 "Theresa Aldana\nSenior Planner, Marlow County Department of Planning"):
        text = f"Dear Sam,\n\nThank you for your time.\n\nSincerely,\n{tail}\n"
        letter = parse(text)
        assert letter.signature is not None and text[letter.signature.start : letter.signature.end] == tail


@pytest.mark.parametrize("notice", [
    "DISCLAIMER: This email and any attachments are confidential and intended solely for the\naddressee. "
    "If you have received it in error, please delete it.",
    "I work flexibly - please don't feel obliged to reply outside your own working hours.",
    "My working hours may not be yours; please reply when it suits you.",
    "Confidentiality notice - this message is intended only for the named recipient.",
    "Please consider the environment before printing this email.",
    "(Writing from my phone between lessons - apologies for any stray typos!)",
])
def test_an_e_mail_notice_below_the_signature_is_signature_not_prose(notice):
    text = f"Dear Sam,\n\nThank you for letting me know.\n\nBest regards,\n\nPriya Raman\nSenior Officer\n\n{notice}\n"
    letter = parse(text)
    assert part(letter, "closing") == "Best regards,"
    assert part(letter, "signature").startswith("Priya Raman") and part(letter, "signature").endswith(notice)
    assert body(letter) == ["Thank you for letting me know."]


def test_a_sentence_about_hours_above_the_closing_stays_prose():
    text = "Dear Sam,\n\nI know my working hours differ from yours.\n\nBest,\nPriya\n"
    assert body(parse(text)) == ["I know my working hours differ from yours."]


@pytest.mark.parametrize("line, salutation", [
    ("hi mr obrien thx for the interview today and for showing me round, it was great", "hi mr obrien"),
    ("hey sarah thanks for the chat yesterday and for the tour, it was great", "hey sarah"),
    ("Hi Mr John Smith thank you for the interview and the tour of the plant today", "Hi Mr John Smith"),
    ("Dear Dr. Mary Anne Smith-Jones, thank you.", "Dear Dr. Mary Anne Smith-Jones,"),
])
def test_a_greeting_run_into_the_body_keeps_only_the_name(line, salutation):
    letter = parse(line + "\n")
    assert part(letter, "salutation") == salutation
    assert body(letter) == [line[len(salutation):].strip()]


@pytest.mark.parametrize("closing", ["With warmest wishes,", "With kind regards,", "My very best wishes,", "Fond regards,"])
def test_closings_with_wishes_and_regards(closing):
    letter = parse(f"Dear Sam,\n\nThank you for letting me know.\n\n{closing}\n\nCatriona MacLeod\nViolin Teacher\n")
    assert part(letter, "closing") == closing and part(letter, "signature").startswith("Catriona")


def test_notes_below_a_signed_letter_after_a_break_are_not_the_letter():
    """A draft with the writer's notes below a rule ("---\\nnotes to self: send Monday"): the closing
    and signature are found above the break and the notes are not body prose (before, the closing
    went unseen, `fix` added a sign-off below the notes and a second run wanted to add more)."""
    letter = parse("Hi Graham,\n\nThanks for ringing on Friday.\n\nThanks again,\nRyan\n\n---\n"
                   "notes to self: send Mon morning, not Sun night.\n")
    assert part(letter, "closing") == "Thanks again,"
    assert part(letter, "signature") == "Ryan"
    assert body(letter) == ["Thanks for ringing on Friday."]
    # a rule inside an unsigned draft is still just a rule: the prose below it stays the body
    unsigned = parse("Hi Graham,\n\nThanks for ringing.\n\n---\n\nOne more question: who else is hiring?\n")
    assert "One more question: who else is hiring?" in body(unsigned)


@pytest.mark.parametrize("note", [
    "context: final round at Tessellate, got the no on Friday from Priya. She was great. Go for all the asks.",
    "note to self: send tonight, she said decision by Friday",
    "draft — cool off before sending?? maybe don't send at all",
    "**Context:** area manager role, Mel rang Tuesday, it went to the internal person. Short one.",
])
def test_a_note_to_self_above_the_greeting_is_not_the_letter(note):
    """A draft kept with a line of context above it: the greeting below the note is found and the
    note ("got the no on Friday") is not body prose, however long it runs."""
    letter = parse(f"{note}\n\nSubject: Thank you\n\nHi Priya,\n\nThanks for the call on Friday.\n\nBest,\nNadia\n")
    assert part(letter, "salutation") == "Hi Priya,"
    assert body(letter) == ["Thanks for the call on Friday."]


def test_a_first_line_of_prose_that_starts_like_a_note_is_the_letter():
    assert parse("Drafting this took me a week, honestly.\n\nHi Priya,\n\nThanks.\n").salutation is None


def test_a_comment_below_the_signature_leaves_the_sign_off_found():
    """A note to self kept in an HTML comment under the name ("<!-- send Tuesday -->") is neither
    signature nor body: the closing and the name above it are still found (they were not, and the
    letter got false LL305 / LL306 findings, and ``fix`` inserted a closing twice)."""
    letter = parse("Dear Ananya,\n\nThank you for your email on Friday.\n\nWarm regards,\nRohit Saxena\n\n"
                   "<!-- note to self: don't mention the other interview -->\n")
    assert part(letter, "closing") == "Warm regards,"
    assert part(letter, "signature") == "Rohit Saxena"
    assert "note to self" not in " ".join(letter.text[b.span.start : b.span.end] for b in letter.blocks)
