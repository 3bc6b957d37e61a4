"""How sections are judged together: one cited sentence, arbitration between sections, the signal's
veto on off-topic hints, P.S.-only messages, and ``lintletter explain``."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from lintletter.checks.section import Candidate, arbitrate
from lintletter.cli import main
from lintletter.model import Span, Status


def _letter(*sentences: str) -> str:
    return "Dear Ms Lee,\n\n" + " ".join(sentences) + "\n\nBest,\nSam\n"


def test_a_section_cites_one_sentence_not_every_match(linter):
    text = _letter(
        "Thank you for letting me know that the role went to another candidate.",
        "I was sorry to hear that you chose someone else.",
    )
    report = linter.lint_text(text)
    ack = report.sections["acknowledgement"]
    assert ack.status is Status.PRESENT
    assert len(ack.evidence) == 1


def test_arbitration_drops_a_hint_that_is_another_sections_ask():
    span = Span(0, 10)
    found = {
        "LL104": [Candidate(span, Status.PRESENT, "body", 0.9, ("topic", "request"))],
        # the same sentence as a mere hint of interest, and the signal does not read it as interest
        "LL102": [Candidate(span, Status.WEAK, "body", 0.02, ("liking",))],
        # a hint elsewhere, on its own sentence, survives
        "LL105": [Candidate(Span(20, 30), Status.WEAK, "body", 0.02, ("hint",))],
    }
    kept = arbitrate(found)
    assert kept["LL102"] == [] and kept["LL104"] == found["LL104"] and kept["LL105"] == found["LL105"]
    # one sentence may serve two sections: a hint the signal does read as interest stays
    found["LL102"] = [Candidate(span, Status.WEAK, "body", 0.6, ("liking",))]
    assert arbitrate(found)["LL102"] == found["LL102"]


def test_advice_ask_is_not_lukewarm_interest(linter):
    report = linter.lint_text(_letter("I would also value your advice on my search more broadly."))
    assert report.sections["advice"].status is Status.PRESENT
    assert report.sections["continued_interest"].status is Status.MISSING


@pytest.mark.parametrize("sentence", ["Feedback? Advice? Introductions? Competitors?", "Feedback?\n\nAdvice?"])
def test_bare_keywords_ask_nothing(linter, sentence):
    report = linter.lint_text(_letter(sentence))
    assert all(r.status is not Status.PRESENT for r in report.sections.values())


def test_an_ask_only_in_a_ps_says_so(linter):
    text = _letter("Thank you for letting me know.") + "\nP.S. Would you be willing to share where my case study fell short?\n"
    report = linter.lint_text(text)
    assert report.sections["feedback_request"].status is Status.WEAK
    (finding,) = [f for f in report.findings if f.code == "LL103"]
    assert "only in a P.S." in finding.message


def test_signal_floor_is_validated(tmp_path):
    from lintletter.errors import RuleError
    from lintletter.ruleset import load_ruleset

    from .conftest import ROOT

    source = (ROOT / "rules" / "sections" / "LL104-advice.yml").read_text(encoding="utf-8")
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "LL104-advice.yml").write_text(source.replace("signal_floor: 0.1", "signal_floor: 3"), encoding="utf-8")
    with pytest.raises(RuleError, match="signal_floor"):
        load_ruleset([folder])


def test_text_speak_and_lower_case_letters_are_flagged(linter):
    speak = "hi sam,\n\nthx 4 letting me kno. wud u tell me wat i cud do better?\n\nali\n"
    lower = "hi sam\n\nthanks for letting me know. i enjoyed meeting the team and i hope we stay in touch.\n\nali\n"
    proper = "Hi Sam,\n\nThanks for letting me know. I enjoyed meeting the team.\n\nBest,\nAli\n"
    assert "LL205" in [f.code for f in linter.lint_text(speak).findings]
    assert "LL205" in [f.code for f in linter.lint_text(lower).findings]
    assert "LL205" not in [f.code for f in linter.lint_text(proper).findings]


def test_explain_a_sentence_shows_the_cues_and_the_veto(capsys):
    assert main(["explain", "--sentence", "What tipped it? Could you tell me where I fell short?"]) == 0
    out = capsys.readouterr().out
    assert "feedback_request: present (LL103)" in out
    assert "cues: topic + request" in out
    # the acknowledgement hint in the feedback ask is shown, and why it does not count
    assert "acknowledgement: missing (LL101)" in out and "dropped:" in out


def test_explain_json_names_what_matched(capsys, tmp_path):
    letter = tmp_path / "l.txt"
    letter.write_text(_letter("Is there anyone in your network I should talk to?"), encoding="utf-8")
    assert main(["explain", str(letter), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (row,) = [r for r in data["sections"]["referrals"]["sentences"] if r["outcome"] == "cited"]
    assert row["could_earn"] == "present" and row["matched"] == ["topic", "request"]
    assert 0 <= row["signal"] <= 1
    # the phrasings, as written in the rule files, that caught the sentence
    assert any("network" in p for p in row["patterns"]["topic"]) and row["patterns"]["request"]


def test_explain_names_the_pattern_behind_a_match(capsys):
    assert main(["explain", "--sentence", "What tipped it?"]) == 0
    out = capsys.readouterr().out
    assert "topic: ~tip|~tipped *3 ~balance|~scale|~decision|it" in out


def test_explain_needs_a_letter_or_a_sentence(capsys):
    assert main(["explain"]) == 2
    assert main(["explain", "nope-not-here.txt"]) == 2


def test_json_evidence_names_the_matching_cues(capsys):
    from .conftest import ACCEPTANCE

    assert main(["check", str(ACCEPTANCE / "complete.md"), "--format", "json"]) in (0, 1)
    doc = json.loads(capsys.readouterr().out)
    (evidence,) = doc["files"][0]["sections"]["referrals"]["evidence"]
    assert evidence["matched"] == ["topic", "request"] and 0 <= evidence["signal"] <= 1


def test_a_present_claim_yields_to_the_section_the_sentence_clearly_asks_for():
    span = Span(0, 10)
    found = {
        "LL104": [Candidate(span, Status.PRESENT, "body", 0.95, ("topic", "request"))],
        "LL103": [Candidate(span, Status.PRESENT, "body", 0.05, ("topic", "request"))],
    }
    asks = frozenset({"LL103", "LL104"})
    kept = arbitrate(found, asks)
    assert kept["LL104"] == found["LL104"] and kept["LL103"] == []
    # a sentence that really asks two things keeps both
    found["LL103"] = [Candidate(span, Status.PRESENT, "body", 0.7, ("topic", "request"))]
    assert arbitrate(found, asks) == found


def test_two_asks_joined_by_and_are_both_made_whatever_the_signal_reads():
    span = Span(0, 10)
    # "your feedback on my interview, and any advice on ...": topics at tokens 3 and 12, "and" at 8
    feedback = Candidate(span, Status.PRESENT, "body", 0.95, ("topic", "request"), topic=(3, 4), joins=(8,))
    advice = Candidate(span, Status.PRESENT, "body", 0.05, ("topic", "request"), topic=(12, 13), joins=(8,))
    asks = frozenset({"LL103", "LL104"})
    assert arbitrate({"LL103": [feedback], "LL104": [advice]}, asks)["LL104"] == [advice]
    # the same topics with no coordinator between them ("advice on what I should focus on"): one ask
    lone = dataclasses.replace(advice, joins=(14,))
    assert arbitrate({"LL103": [feedback], "LL104": [lone]}, asks)["LL104"] == []


@pytest.mark.parametrize("sentence, made", [
    ("I would be grateful for your feedback on my technical interview, and for any advice on how to "
     "strengthen my application.", {"feedback_request", "advice"}),
    # "or" between two options is one advice question, not an ask about other companies as well
    ("For someone coming from broking, which experience would make me a stronger candidate next time: "
     "a year in claims, or a move to a smaller insurer?", {"advice"}),
])
def test_a_sentence_keeps_both_asks_only_when_and_joins_them(linter, sentence, made):
    report = linter.lint_text(_letter(sentence))
    asks = {"feedback_request", "advice", "referrals", "competitors"}
    assert {name for name in asks if report.sections[name].status is Status.PRESENT} == made


def test_a_stated_outcome_never_yields_to_an_ask_in_the_same_run_on_sentence():
    span = Span(0, 10)
    found = {
        "LL101": [Candidate(span, Status.PRESENT, "body", 0.05, ("outcome",))],
        "LL102": [Candidate(span, Status.PRESENT, "body", 0.9, ("interest",))],
    }
    assert arbitrate(found, frozenset({"LL103", "LL104", "LL105", "LL106"})) == found


def test_an_advice_ask_that_names_what_to_focus_on_is_not_a_feedback_ask(linter):
    report = linter.lint_text(_letter(
        "Would you have any advice on what I should focus on in my last semester to be a stronger candidate?"))
    assert report.sections["advice"].status is Status.PRESENT
    assert report.sections["feedback_request"].status is Status.MISSING


def test_still_wanting_to_work_there_leaves_the_door_open(linter):
    text = _letter("Thank you for letting me know. Harrowfield Zoo is still the place I'd most like to work.")
    assert "LL304" not in [f.code for f in linter.lint_text(text).findings]
    closed = _letter("Thank you for letting me know. Could you share any feedback on my interview?")
    assert "LL304" in [f.code for f in linter.lint_text(closed).findings]


def test_a_letter_that_is_not_a_reply_is_not_told_to_leave_the_door_open(linter):
    text = _letter("I am delighted to accept the post of Lecturer and look forward to starting in September.")
    codes = [f.code for f in linter.lint_text(text).findings]
    assert "LL316" in codes and "LL304" not in codes


@pytest.mark.parametrize("aside, section", [
    ("Tom, since you know the regional consultancies, could you point me to anyone at Grayline who's hiring?",
     "referrals"),
    # a dash calls someone as a comma does ("Priya - thank you for the reference; could you...")
    # ("if you hear of anyone hiring" would be only a hint: LL105's chance_encounter)
    ("Priya - thank you for the reference, and could you introduce me to anyone hiring for "
     "engagement roles?", "referrals"),
    ("Dana, could you send me a copy of my interview scoring sheet when you have a moment?", "feedback_request"),
    ("Dr. Osei, which other labs would you suggest I approach?", "competitors"),
])
def test_an_ask_put_to_someone_the_letter_does_not_greet_is_not_an_ask_of_the_reader(linter, aside, section):
    """A writer who copies a mentor or HR in often turns to them mid-letter; that ask is theirs."""
    called = re.split(r",| - ", aside)[0]
    name = called.split()[-1]
    text = _letter("Thank you for letting me know that the role went to another candidate.",
                   f"I have copied in {name}, who has been advising me.", aside)
    assert linter.lint_text(text).sections[section].status is Status.MISSING
    # named only where the sentence opens, the word may be an unusual opener: the ask stands
    alone = _letter("Thank you for letting me know that the role went to another candidate.", aside)
    assert linter.lint_text(alone).sections[section].status is Status.PRESENT
    # the same words to the person greeted are an ask of the reader
    to_reader = text.replace("Dear Ms Lee,", "Dear " + called + ",")
    assert linter.lint_text(to_reader).sections[section].status is Status.PRESENT


@pytest.mark.parametrize("opener", ["Honestly", "Looking back", "Also", "Finally", "Separately", "Further"])
def test_an_opening_word_before_a_comma_is_not_someone_else_addressed(linter, opener):
    text = _letter("Thank you for letting me know that the role went to another candidate.",
                   f"{opener}, could you tell me where my interview fell short?")
    assert linter.lint_text(text).sections["feedback_request"].status is Status.PRESENT


def test_an_aside_lasts_to_the_end_of_its_paragraph(linter):
    text = ("Hi Marta (and copying Leon, who referred me),\n\n"
            "Thank you for letting me know that the role went to another candidate.\n\n"
            "Leon, thanks again for putting my name forward. Which other agencies would you suggest I approach?\n\n"
            "Best,\nSam\n")
    assert linter.lint_text(text).sections["competitors"].status is Status.MISSING
    # in a paragraph of its own, the same question is asked of the reader again
    apart = text.replace("forward. Which", "forward.\n\nWhich")
    assert linter.lint_text(apart).sections["competitors"].status is Status.PRESENT
    # and a paragraph that turns back to the reader by name asks the reader
    back = text.replace("forward. Which", "forward. Marta, which")
    assert linter.lint_text(back).sections["competitors"].status is Status.PRESENT


@pytest.mark.parametrize("items, status", [
    (["Feedback", "Career advice", "Contacts", "Other companies hiring analysts"], Status.WEAK),
    (["Feedback on my case study and interview", "Your advice on what to focus on next",
      "Anyone in your network I could talk to", "Which other companies you would look at"], Status.PRESENT),
])
def test_a_list_item_asks_only_when_it_says_what_it_wants(linter, items, status):
    text = ("Dear Ms Lee,\n\nThank you for letting me know. A few things I'd love your help with:\n\n"
            + "".join(f"- {item}\n" for item in items) + "\nBest,\nSam\n")
    report = linter.lint_text(text)
    for name in ("feedback_request", "advice", "referrals", "competitors"):
        assert report.sections[name].status is status, name


def test_a_letter_that_is_not_a_reply_acknowledges_no_rejection(linter):
    """A hint of the news ("I understand the decision...") is an oblique acknowledgement in a reply to
    a rejection; in a thank-you sent before the decision there is no rejection to acknowledge. The
    acknowledgement rule's signal floor is lifted here so that the hint counts whatever the learned
    signal makes of it: what is tested is the letter-level rule, not the signal."""
    from lintletter import Linter
    from lintletter.ruleset import load_ruleset

    rules = load_ruleset()
    unfloored = dataclasses.replace(
        rules, rules=tuple(dataclasses.replace(r, options=dataclasses.replace(r.options, signal_floor=0.0))
                           if r.code == "LL101" else r for r in rules.rules))
    hinting = Linter(unfloored, nlp=linter.nlp)
    text = _letter("Thank you for meeting with me today about the Analyst role.",
                   "I understand the decision will take a few more weeks, and I look forward to hearing the outcome.")
    report = hinting.lint_text(text)
    assert "LL316" in [f.code for f in report.findings]
    assert report.sections["acknowledgement"].status is Status.MISSING
    assert not report.sections["acknowledgement"].evidence
    # the same hint, with the not-a-reply rule switched off, is a weak acknowledgement
    without = Linter(unfloored, nlp=linter.nlp, ignore=["LL316"]).lint_text(text)
    assert without.sections["acknowledgement"].status is Status.WEAK


@pytest.mark.parametrize("title", ["Rev.", "Dame", "Miss", "Mx", "Fr"])
def test_an_aside_to_someone_with_any_title_is_not_an_ask_of_the_reader(linter, title):
    """Titles are one list (lintletter/honorifics.py): an aside that calls a "Rev. Okafor" in copy is
    read as one that calls a "Dr. Okafor" (before, analysis knew only Mr, Ms, Mrs, Dr, Prof, Sir, Madam)."""
    text = ("Dear Ms Lee,\n\nThank you for letting me know that the role went to another candidate. "
            f"{title} Okafor, could you point me to anyone at Grayline who is hiring?\n\n"
            f"Best,\nSam\n\ncc: {title} Okafor\n")
    assert linter.lint_text(text).sections["referrals"].status is Status.MISSING


@pytest.mark.parametrize("preamble", ["I'd love your advice on something.", "Could I ask your advice?",
                                      "I would also welcome your advice more broadly."])
def test_the_question_is_cited_before_the_sentence_that_announces_it(linter, preamble):
    """A sentence that only announces an ask still counts, but the ask itself is the evidence
    (the advice rule's ``preamble``), wherever the two stand and whatever the signal reads."""
    from lintletter import Linter

    # without the learned signal every sentence ties, and a tie goes to the earlier sentence
    unsignalled = Linter(linter.ruleset, nlp=linter.nlp)
    unsignalled.signal = None
    question = "If you were in my shoes, would you look for a junior role or take a course first?"
    for judge in (linter, unsignalled):
        text = _letter(preamble, question)
        section = judge.lint_text(text).sections["advice"]
        assert section.status is Status.PRESENT
        assert [e.text(text) for e in section.evidence] == [question]


def test_an_announced_ask_cites_the_question_that_follows_it(linter, capsys):
    """ "Could I ask your advice?" announces an ask; when the question after it has no advice cue of
    its own, the question is still what the letter asks, so it is the evidence (and `explain` says so)."""
    from lintletter.cli import main

    question = "Would a portfolio of small open-source fixes count for more than a certificate?"
    text = _letter("In the meantime, could I ask your advice?", question)
    section = linter.lint_text(text).sections["advice"]
    assert section.status is Status.PRESENT
    assert [e.text(text) for e in section.evidence] == [question]
    # a statement after the announcement is not what it asks: the announcement stays the evidence
    text = _letter("In the meantime, could I ask your advice?", "The certificate course starts in May.")
    assert [e.text(text) for e in linter.lint_text(text).sections["advice"].evidence] == ["In the meantime, could I ask your advice?"]
    main(["explain", "--sentence", "Could I ask your advice? Would a portfolio count for more than a certificate?"])
    assert "the question after it is cited" in capsys.readouterr().out


def test_a_hint_in_a_clause_of_its_own_is_not_taken_by_the_other_clauses_section():
    span = Span(0, 10)
    # "I was sorry not to be offered the post, but I enjoyed the day": the outcome at tokens 2-3,
    # the hint of interest in the clause after "but" (tokens 10-16)
    outcome = Candidate(span, Status.PRESENT, "body", 0.9, ("outcome",), topic=(2, 3))
    hint = Candidate(span, Status.WEAK, "body", 0.05, ("liking",), clause=(10, 16))
    assert arbitrate({"LL101": [outcome], "LL102": [hint]})["LL102"] == [hint]
    # the same hint in the clause that states the outcome is still the outcome's sentence
    inside = dataclasses.replace(hint, clause=(0, 9))
    assert arbitrate({"LL101": [outcome], "LL102": [inside]})["LL102"] == []


@pytest.mark.parametrize("sentence, clause", [
    # the signal reads the whole sentence as an acknowledgement, the clause after "but" as interest
    ("I was sorry not to be offered the post, but I enjoyed the day enormously.", "I enjoyed the day enormously"),
    ("It wasn't what I hoped for - your studio seemed like a lovely place to work.", "your studio seemed like a lovely place to work"),
    # a hyphen inside a word, and a colon that closes the sentence, split nothing
    ("Our health-system partners seemed like a lovely team.", None),
    ("Things I'd love your take on, whenever:", None),
])
def test_a_clause_is_what_lies_between_breaks_around_the_match(linter, sentence, clause):
    text = _letter(sentence)
    _, explained = linter.explain_text(text)
    hint = next(c for c in explained["LL102"] if c.status is Status.WEAK)
    if clause is None:
        assert hint.clause is None
    else:  # the clause's first and last words
        words = [t.text for t in linter.nlp.make_doc(text[hint.span.start : hint.span.end]) if not t.is_space]
        start, end = hint.clause
        assert " ".join(words[start:end]) == " ".join(t.text for t in linter.nlp.make_doc(clause))


class _ReadsAs:
    """A stand-in for the learned signal: every text reads as ``section`` with ``default`` unless it
    contains one of ``near`` and has at most ``words`` words (then 0.9), so a test decides what the
    signal says of a whole sentence and of a few words of it."""

    def __init__(self, section: str, default: float, near: tuple[str, ...] = (), words: int = 10**6):
        self.section, self.default, self.near, self.words = section, default, near, words

    def score(self, texts):
        return [{self.section: 0.9 if any(w in t for w in self.near) and len(t.split()) <= self.words
                 else self.default} for t in texts]


def _with_signal(linter, signal):
    import copy

    judged = copy.copy(linter)
    judged.signal = signal
    return judged


def test_a_present_ask_needs_the_signals_assent(linter):
    """``present_floor``: the words of a feedback ask ("debrief", "than I expected") in a sentence
    the signal reads as nothing like one do not make the section; a sentence the signal does read
    so keeps it."""
    text = _letter("I learned a lot from your debrief, far more than I expected.")
    assert _with_signal(linter, _ReadsAs("feedback_request", 0.0)).lint_text(text).sections["feedback_request"].status is Status.MISSING
    assert _with_signal(linter, _ReadsAs("feedback_request", 0.5)).lint_text(text).sections["feedback_request"].status is Status.PRESENT


def test_a_run_on_sentence_is_read_again_near_the_ask(linter):
    """In a long sentence the rest drowns the ask: the words around its cues are read on their own,
    and a sentence too long for a bag of words to read is not held to the floor at all."""
    ask = "I would be grateful if you could introduce me to someone in your network who is hiring"
    filler = "the weather was lovely and the trains were on time and the coffee was good"
    silent = _with_signal(linter, _ReadsAs("referrals", 0.0))
    # 40-odd tokens: the whole sentence reads as nothing, the words near the ask (at most 25 words) as referrals
    medium = _letter(f"Thanks for the call on Friday, {filler}, and {ask}.")
    near = _with_signal(linter, _ReadsAs("referrals", 0.0, near=("introduce me",), words=25))
    assert near.lint_text(medium).sections["referrals"].status is Status.PRESENT
    assert silent.lint_text(medium).sections["referrals"].status is Status.MISSING
    # over 60 tokens: not held to the floor at all
    long = _letter(f"Thanks for the call on Friday, {filler}, {filler}, {filler}, and {ask}.")
    assert silent.lint_text(long).sections["referrals"].status is Status.PRESENT


def test_the_writers_own_search_stands_without_the_signal(linter):
    """``floor_exempt``: "I have a second round with another insurer on Monday" is a competitors
    statement (weak) even where the signal reads it as a status note; other hints still need the
    signal."""
    silent = _with_signal(linter, _ReadsAs("competitors", 0.0))
    text = _letter("I have a second round with another insurer on Monday, so I wanted to ask where things stand.")
    assert silent.lint_text(text).sections["competitors"].status is Status.WEAK
    rules = linter.ruleset
    unexempt = dataclasses.replace(rules, rules=tuple(
        dataclasses.replace(r, options=dataclasses.replace(r.options, floor_exempt=())) if r.code == "LL106" else r
        for r in rules.rules))
    from lintletter import Linter

    strict = _with_signal(Linter(unexempt, nlp=linter.nlp), _ReadsAs("competitors", 0.0))
    assert strict.lint_text(text).sections["competitors"].status is Status.MISSING


def test_an_offer_accepted_elsewhere_is_a_competitors_hint_whatever_the_signal_reads(linter):
    """An offer accepted or in hand at another company is a statement about the writer's own search:
    a weak competitors hint (the guide; the blind writer bb labelled all four of theirs so), even where
    the signal reads the sentence as a withdrawal; a hypothetical "I'd happily take a position at a
    competitor ... which ones would you look at?" still asks."""
    silent = _with_signal(linter, _ReadsAs("competitors", 0.0))
    for settled in ("I've accepted an offer from another firm and need to withdraw from the process.",
                    "I have a competing offer with a Friday deadline, so I wanted to check in.",
                    "I've decided to accept a position with another company closer to home."):
        assert silent.lint_text(_letter(settled)).sections["competitors"].status is Status.WEAK, settled
    keen = _with_signal(linter, _ReadsAs("competitors", 0.9))
    asks = "I would happily take a position at a competitor if you think that's wiser; which ones would you look at?"
    assert keen.lint_text(_letter(asks)).sections["competitors"].status is Status.PRESENT


def test_what_feedback_is_for_is_not_an_advice_ask_however_far_it_trails(linter):
    """An ask for feedback on the interview that ends with what it is for ("... as I consider my next
    steps") asks nothing about the next steps, even when the purpose comes many words after the ask
    and the signal reads the whole sentence as advice (the advice rule's ``feedback_purpose``)."""
    reads_advice = _with_signal(linter, _ReadsAs("advice", 0.9))
    text = _letter("Any candid observations about where I was less convincing than the successful candidate "
                   "would be of real value to me as I consider my next steps.")
    assert reads_advice.lint_text(text).sections["advice"].status is Status.MISSING
    # ... while the next steps asked about are advice
    asked = _letter("I'd value your advice on my next steps.")
    assert reads_advice.lint_text(asked).sections["advice"].status is Status.PRESENT


def test_each_question_in_a_list_is_read_on_its_own(linter):
    """Several questions in one sentence ("what should I fix..., who should I meet..., and which
    agencies...?"): the signal reads the whole as one of them, so each ask is read in its own
    question, from its question word; a lead-in ("When you have a minute") is no question, and one
    question after a lead-in is no list (the sentence's reading stands)."""
    signal = _ReadsAs("referrals", 0.0, near=("who should I meet",), words=8)
    judged = _with_signal(linter, signal)
    listed = _letter("When you have a minute: what should I fix from my interview, who should I meet in your "
                     "network, and which agencies should I try?")
    assert judged.lint_text(listed).sections["referrals"].status is Status.PRESENT
    single = _letter("When you have a minute, who should I meet in your network?")
    assert judged.lint_text(single).sections["referrals"].status is Status.MISSING
    # a question the signal reads low even on its own is not rescued
    low = _with_signal(linter, _ReadsAs("referrals", 0.0))
    assert low.lint_text(listed).sections["referrals"].status is Status.MISSING
    # a relative clause after a name is no question of its own ("Omar, who consults for other
    # hospitals"): the competitors words in it are not read apart from the ask for a contact
    relative = _letter("Would you put me in touch with Omar, who consults for other hospitals in the region, "
                       "or with anyone in your finance team?")
    sure_of_hospitals = _with_signal(linter, _ReadsAs("competitors", 0.0, near=("other hospitals",), words=12))
    assert sure_of_hospitals.lint_text(relative).sections["competitors"].status is Status.MISSING


def test_asks_in_a_list_are_each_made(linter):
    """An ask made before a list of questions ("I'd value your view on what you would do in my
    position, who else ..., and which of your competitors ...?") does not yield to one of them that
    the signal reads clearly: asks parted by commas in a list are joined, as by "and"."""
    judged = _with_signal(linter, _ReadsAs("competitors", 0.0, near=("which of your competitors",), words=10))
    text = _letter("I'd value your view on what you would do in my position, who else in your network I should "
                   "speak with, and which of your competitors are hiring at this level?")
    sections = judged.lint_text(text).sections
    assert sections["competitors"].status is Status.PRESENT
    assert sections["advice"].status is Status.PRESENT


def test_a_question_the_signal_is_sure_of_is_a_present_ask(linter):
    """``[$signal_sure, $question]``: a real ask in words no cue knows ("Was it the budgeting case?")
    is present when the signal is sure of it (``signal_sure``, 0.9), a hint when it only leans that
    way (``$signal`` at 0.6), and a statement stays a hint however sure the signal is."""
    question = _letter("Was it the budgeting case?")
    statement = _letter("It was probably the budgeting case.")
    sure = _with_signal(linter, _ReadsAs("feedback_request", 0.95))
    leaning = _with_signal(linter, _ReadsAs("feedback_request", 0.7))
    assert sure.lint_text(question).sections["feedback_request"].status is Status.PRESENT
    assert leaning.lint_text(question).sections["feedback_request"].status is Status.WEAK
    assert sure.lint_text(statement).sections["feedback_request"].status is Status.WEAK


def test_the_place_praised_stands_without_the_signal(linter):
    """``floor_exempt: [praise]``: "the crew on the Saturday shift were brilliant" is weak interest
    even where the signal reads it as a thank-you; other hints of liking still need the signal."""
    silent = _with_signal(linter, _ReadsAs("continued_interest", 0.0))
    praised = _letter("The crew on the Saturday shift were brilliant with me.")
    assert silent.lint_text(praised).sections["continued_interest"].status is Status.WEAK
    enjoyed = _letter("I enjoyed our conversation about the menu.")
    assert silent.lint_text(enjoyed).sections["continued_interest"].status is Status.MISSING
    assert linter.lint_text(praised).sections["continued_interest"].status is Status.WEAK
