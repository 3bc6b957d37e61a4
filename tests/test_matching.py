"""The regex matcher (lintletter.token_patterns.TokenMatcher) finds exactly what spaCy's Matcher finds
with the same patterns."""

from __future__ import annotations

import pytest

from lintletter import anatomy
from lintletter.analysis import make_docs, prose_blocks
from lintletter import token_patterns
from lintletter.token_patterns import TokenMatcher, compile_pattern

from .conftest import CORPUS, corpus_sample


def spacy_matches(nlp, patterns, doc):
    from spacy.matcher import Matcher

    matcher = Matcher(nlp.vocab)
    for key, pattern in patterns:
        matcher.add(key, [pattern])
    return {(nlp.vocab.strings[m], s, e) for m, s, e in matcher(doc)}


@pytest.fixture(params=["regexes", "walk"])
def engine_path(request, monkeypatch):
    """Each test runs twice: with every regex compiled at once, and with none (a regex is compiled
    only after COMPILE_AFTER paragraphs, or one longer than WALK_TOKENS, needed it; until then its
    patterns are walked)."""
    monkeypatch.setattr(token_patterns, "COMPILE_AFTER", 0 if request.param == "regexes" else 10**9)
    monkeypatch.setattr(token_patterns, "WALK_TOKENS", 10**9)
    return request.param


@pytest.fixture(scope="module")
def spacy_reference(linter):
    """Every paragraph of a sample of the corpus (all of it under LINTLETTER_FULL_TESTS=1) and
    what spaCy's own Matcher finds in it, worked out once for both engine paths (the reference is
    the slow half of the comparison)."""
    from spacy.matcher import Matcher

    nlp = linter.nlp
    reference = Matcher(nlp.vocab)
    for key, pattern in linter.cues.patterns:
        reference.add(key, [pattern])
    paths = corpus_sample((CORPUS / "letters").iterdir(), every=6, salt="matching")
    paths += sorted((CORPUS / "acceptance").iterdir())
    out = []
    for path in paths:
        parsed = anatomy.parse(path.read_text(encoding="utf-8"))
        for doc in nlp.pipe(make_docs(nlp, prose_blocks(parsed))):
            out.append((doc, {(nlp.vocab.strings[m], s, e) for m, s, e in reference(doc)}))
    return out


def test_same_matches_as_spacy_on_corpus_paragraphs(linter, engine_path, spacy_reference):
    from lintletter import Linter

    cues = Linter(linter.ruleset, nlp=linter.nlp).cues  # its own matcher: compiled regexes or none
    assert [key for key, _ in cues.patterns] == [key for key, _ in linter.cues.patterns]
    for doc, expected in spacy_reference:
        assert {(m.key, m.start, m.end) for m in cues(doc)} == expected, doc.text[:80]
    assert len(spacy_reference) > 1000


def test_many_paragraphs_at_once_match_as_each_alone(linter, engine_path):
    """match_docs spells a batch of paragraphs as one string (a barrier token between them): the
    same matches per paragraph as one at a time, none running from one paragraph into the next."""
    from lintletter import Linter

    nlp = linter.nlp
    alone, together = Linter(linter.ruleset, nlp=nlp).cues, Linter(linter.ruleset, nlp=nlp).cues
    docs = []
    for path in sorted((CORPUS / "letters").iterdir())[:300]:
        docs += nlp.pipe(make_docs(nlp, prose_blocks(anatomy.parse(path.read_text(encoding="utf-8")))))
    docs.insert(5, nlp.make_doc(""))  # an empty paragraph takes no row
    expected = [list(alone(doc)) for doc in docs]
    assert together.match_docs(docs) == expected
    assert sum(map(len, expected)) > 1000


def test_a_paragraph_out_of_budget_in_a_batch_stops_as_it_would_alone(linter, engine_path):
    nlp = linter.nlp
    engine = TokenMatcher()
    for i in range(400):
        engine.add("k", compile_pattern([{"LOWER": "a"}, {"OP": "{0,3}"}, {"LOWER": f"b{i}"}, {"OP": "{0,3}"}, {"LOWER": "c"}]))
    engine.add("k", compile_pattern([{"LOWER": "a"}, {"LOWER": "c"}]))
    docs = [nlp.make_doc("a c b1 c"), nlp.make_doc(" ".join(["a"] * 3000)), nlp.make_doc("x a b7 y c a c")]
    budgets = [token_patterns.WORK_PER_TOKEN * len(d) + token_patterns.WORK_BASE for d in docs]
    expected = [engine.match(doc, budget) for doc, budget in zip(docs, budgets)]
    assert [complete for _, complete in expected] == [True, False, True]
    assert engine.match_many(docs, budgets) == expected


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
        # overlapping matches of one fixed-length pattern, each found
        ([{"LOWER": "a"}, {"LOWER": "a"}], "a a a a b a a"),
        # a wildcard or an optional word first: no word to skip to
        ([{"OP": "{2}"}, {"LOWER": "b"}], "b a b x y b"),
        ([{"LOWER": "not", "OP": "?"}, {"LEMMA": "select"}], "I was not selected and they selected me"),
        ([{"OP": "?"}, {"LOWER": "b", "OP": "?"}], "a b"),
        # tests that are not words (regexes, flags, sentence starts) on several attributes
        ([{"LOWER": {"REGEX": "^th"}, "IS_SENT_START": False}, {"IS_PUNCT": True}], "This, then, that; the end."),
        ([{"IS_TITLE": True, "OP": "+"}, {"LEMMA": "be"}], "New York Is big. Paris is old and London was"),
        ([{"TEXT": "Dear", "LOWER": "dear"}, {"IS_ALPHA": True}], "Dear Sam, dear Al, DEAR Bo"),
        # a value no token has, an empty list, and words spaCy's lemma and lower forms share
        ([{"LOWER": {"IN": []}}], "a b"),
        ([{"LEMMA": "zzzz"}, {"LOWER": "a"}], "a a"),
        ([{"LEMMA": "be"}, {"LOWER": "be", "OP": "?"}, {"LEMMA": "be"}], "be is be was been be"),
        # repeats whose choices multiply past MAX_WAYS: the regex is cut and the check does the rest
        ([{"LOWER": "a"}, {"OP": "{0,5}"}, {"LOWER": "b"}, {"OP": "{0,5}"}, {"LOWER": "c"}, {"OP": "{0,5}"}, {"LOWER": "d"}],
         "a b c d a x b x x c d b c a b b c c d d"),
        ([{"LOWER": "a", "OP": "+"}, {"OP": "*"}, {"LOWER": "b"}], "a a x b a b b"),
    ],
)
def test_quantifiers_match_like_spacy(linter, engine_path, pattern, text):
    nlp = linter.nlp
    doc = nlp(text)
    engine = TokenMatcher()
    engine.add("k", compile_pattern(pattern))
    assert engine(doc) == spacy_matches(nlp, [("k", pattern)], doc)


def test_patterns_of_one_cue_sharing_words_match_like_spacy(linter, engine_path):
    """Alternatives of different lengths and shapes under one key: each regex (one per length, one
    for the rest) finds its own, and a key's patterns do not hide each other's matches."""
    nlp = linter.nlp
    patterns = [
        ("k", [{"LOWER": "a"}]),
        ("k", [{"LOWER": "a"}, {"LOWER": "b"}]),
        ("k", [{"LOWER": "a"}, {"OP": "{0,2}"}, {"LOWER": "c"}]),
        ("k", [{"LEMMA": "be"}, {"LOWER": "a"}]),
        ("j", [{"LOWER": "a"}, {"LOWER": "b"}]),
        ("j", [{"TEXT": "A"}, {"IS_ALPHA": True, "OP": "+"}]),
    ]
    doc = nlp("A b c a b a x c is a b a was a")
    engine = TokenMatcher()
    for key, pattern in patterns:
        engine.add(key, compile_pattern(pattern))
    assert engine(doc) == spacy_matches(nlp, patterns, doc)


def test_more_tests_than_the_mask_holds_are_checked(linter, engine_path, monkeypatch):
    """With more distinct non-word tests than MAX_MASK_TESTS, none is spelt and every one is checked."""
    monkeypatch.setattr(token_patterns, "MAX_MASK_TESTS", 1)
    nlp = linter.nlp
    patterns = [("k", [{"IS_TITLE": True}, {"IS_PUNCT": True}]), ("k", [{"LOWER": "x", "IS_SENT_START": True}])]
    doc = nlp("Sam, x y. X is Al.")
    engine = TokenMatcher()
    for key, pattern in patterns:
        engine.add(key, compile_pattern(pattern))
    assert engine(doc) == spacy_matches(nlp, patterns, doc)


def test_other_pattern_features_are_left_to_spacy():
    assert compile_pattern([{"POS": "NOUN"}]) is None
    assert compile_pattern([{"LOWER": {"NOT_IN": ["x"]}}]) is None
    assert compile_pattern([{"LOWER": "a", "OP": "!"}]) is None
    assert compile_pattern([{"LENGTH": {">=": 3}}]) is None
