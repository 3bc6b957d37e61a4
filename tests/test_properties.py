"""Invariants checked with hypothesis on arbitrary text and on mutated corpus letters."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintletter.formatters import Run
from lintletter.formatters.json import render
from lintletter.model import SECTIONS, Status

from .conftest import CORPUS

LETTERS = sorted((CORPUS / "letters").glob("*.*"))[:40] + sorted((CORPUS / "acceptance").glob("*.*"))
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text that looks like letters: words, punctuation, markup, quote markers and odd whitespace.
letterish = st.lists(
    st.sampled_from(
        ["Dear Sam,", "Hi", "thank you", "could you", "feedback", "?", ".", "\n", "\n\n", "> quoted", "P.S.",
         "---", "**", "[Company]", "\r\n", "other firms", "introduce me", "-", "1.", "On Mon Jo wrote:", "Best,", "\t", "…"]
    )
    | st.text(max_size=20),
    max_size=60,
).map(" ".join)


def check_report(report, text):
    assert isinstance(report.score.value, int) and 0 <= report.score.value <= 100
    assert set(report.sections) == set(SECTIONS)
    for result in report.sections.values():
        for span in result.evidence:
            assert 0 <= span.start < span.end <= len(text)
    for f in report.findings:
        if f.span is not None:
            assert 0 <= f.span.start <= f.span.end <= len(text)


@SETTINGS
@given(text=st.text(max_size=400) | letterish)
def test_never_crashes_and_stays_in_bounds(linter, text):
    check_report(linter.lint_text(text), text)


@SETTINGS
@given(text=letterish)
def test_linting_again_gives_the_same_json(linter, text):
    """Nothing carries over from one lint to the next (caches, matcher state). Determinism across
    processes and hash seeds is tests/test_determinism.py's."""
    a = render(Run((linter.lint_text(text, "x"),)))
    b = render(Run((linter.lint_text(text, "x"),)))
    assert a == b
    json.loads(a)


@SETTINGS
@given(index=st.integers(0, len(LETTERS) - 1), seed=st.integers(0, 2**16), op=st.sampled_from(["drop", "dup", "shuffle", "upper", "lower", "noise"]))
def test_mutated_letters(linter, index, seed, op):
    text = LETTERS[index].read_text(encoding="utf-8")
    rng = random.Random(seed)
    parts = text.split("\n")
    if op == "drop" and parts:
        parts.pop(rng.randrange(len(parts)))
    elif op == "dup" and parts:
        i = rng.randrange(len(parts))
        parts.insert(i, parts[i])
    elif op == "shuffle":
        rng.shuffle(parts)
    mutated = "\n".join(parts)
    if op == "upper":
        mutated = mutated.upper()
    elif op == "lower":
        mutated = mutated.lower()
    elif op == "noise":
        chars = list(mutated)
        for _ in range(10):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(" \t,.!?;:\n"))
        mutated = "".join(chars)
    check_report(linter.lint_text(mutated), mutated)


SECTION_SENTENCES = {
    "acknowledgement": "Thank you for letting me know that you chose another candidate.",
    "continued_interest": "I remain very interested in working at your company.",
    "feedback_request": "Would you be willing to share any feedback on my interview?",
    "advice": "If you were in my shoes, what would you focus on next?",
    "referrals": "Is there anyone in your network you think I should talk to?",
    "competitors": "Which other companies in the space would you suggest I look at?",
}


@SETTINGS
@given(index=st.integers(0, len(LETTERS) - 1), section=st.sampled_from(SECTIONS))
def test_adding_a_clear_section_sentence_never_lowers_it(linter, index, section):
    text = LETTERS[index].read_text(encoding="utf-8")
    before = linter.lint_text(text).sections[section].status
    # Add the sentence as its own paragraph right after the salutation line.
    lines = text.split("\n")
    at = next((i + 1 for i, l in enumerate(lines) if l.strip().lower().startswith(("dear", "hi", "hello"))), 0)
    lines.insert(at, "\n" + SECTION_SENTENCES[section] + "\n")
    after = linter.lint_text("\n".join(lines)).sections[section].status
    assert after.rank >= before.rank
    assert after is Status.PRESENT


def test_removing_the_body_leaves_all_missing(linter):
    for path in LETTERS:
        letter_text = path.read_text(encoding="utf-8")
        from lintletter.anatomy import parse

        parsed = parse(letter_text)
        chars = list(letter_text)
        for block in parsed.blocks:
            for i in range(block.span.start, block.span.end):
                if not chars[i].isspace():
                    chars[i] = " "
        report = linter.lint_text("".join(chars))
        assert all(r.status is Status.MISSING for r in report.sections.values()), path.name
