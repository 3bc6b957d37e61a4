"""The first-word-indexed matcher finds exactly what spaCy's Matcher finds with the same patterns."""

from __future__ import annotations

import pytest

from lintletter import letter as letter_mod
from lintletter.analysis import make_docs, prose_blocks
from lintletter.token_patterns import FirstWordMatcher, compile_pattern, words_of

from .conftest import CORPUS


def spacy_matches(nlp, patterns, doc):
    from spacy.matcher import Matcher

    matcher = Matcher(nlp.vocab)
    for key, pattern in patterns:
        matcher.add(key, [pattern])
    return {(nlp.vocab.strings[m], s, e) for m, s, e in matcher(doc)}


def test_same_matches_as_spacy_on_every_corpus_paragraph(linter):
    from spacy.matcher import Matcher

    nlp, cues = linter.nlp, linter.cues
    reference = Matcher(nlp.vocab)
    for key, pattern in cues.patterns:
        reference.add(key, [pattern])
    paths = sorted((CORPUS / "letters").iterdir()) + sorted((CORPUS / "acceptance").iterdir())
    checked = 0
    for path in paths:
        parsed = letter_mod.parse(path.read_text(encoding="utf-8"))
        for doc in nlp.pipe(make_docs(nlp, prose_blocks(parsed))):
            expected = {(nlp.vocab.strings[m], s, e) for m, s, e in reference(doc)}
            assert {(m.key, m.start, m.end) for m in cues(doc)} == expected, doc.text[:80]
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    "pattern, text",
    [
        ([{"LOWER": "keep"}, {"OP": "{0,2}"}, {"LOWER": "mind"}], "please keep me in mind and keep in mind"),
        ([{"LOWER": {"IN": ["could", "would"]}}, {"LOWER": "you", "OP": "?"}, {"LOWER": "share"}], "could share would you share"),
        ([{"LEMMA": "introduce"}, {"OP": "{0,3}"}, {"LOWER": {"IN": ["someone", "anyone"]}}], "introduced me to someone or anyone"),
        ([{"LOWER": "a", "OP": "?"}, {"LOWER": "b"}], "a b b a a b"),
        ([{"TEXT": {"REGEX": "^(XXX+|TODO)$"}}], "Dear XXX, see TODO and xxx"),
        ([{"IS_SENT_START": True, "LEMMA": {"IN": ["tell", "share"]}}], "Tell me more. Please share. Share it."),
        ([{"TEXT": "["}, {"IS_ALPHA": True, "OP": "+"}, {"TEXT": "]"}], "Dear [First Name], at [Company 2] or [ ]"),
        ([{"LOWER": "a", "OP": "*"}, {"LOWER": "b"}], "a a b b a b"),
        ([{"LOWER": "a", "OP": "{2}"}, {"IS_DIGIT": False, "LOWER": "b"}], "a a b a b a a a b"),
        ([{"LOWER": "a"}, {"OP": "{1,}"}, {"LOWER": "b"}], "a x y b b a b"),
    ],
)
def test_quantifiers_match_like_spacy(linter, pattern, text):
    nlp = linter.nlp
    doc = nlp(text)
    engine = FirstWordMatcher()
    engine.add("k", compile_pattern(pattern))
    assert engine(words_of(doc)) == spacy_matches(nlp, [("k", pattern)], doc)


def test_other_pattern_features_are_left_to_spacy():
    assert compile_pattern([{"POS": "NOUN"}]) is None
    assert compile_pattern([{"LOWER": {"NOT_IN": ["x"]}}]) is None
    assert compile_pattern([{"LOWER": "a", "OP": "!"}]) is None
    assert compile_pattern([{"LENGTH": {">=": 3}}]) is None
