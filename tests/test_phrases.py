"""The cue-phrase grammar (lintletter/phrases.py), which the rule loader and the compiler share."""

import pytest

from lintletter.phrases import Alternative, PhraseError, PhraseWord, parse_phrase


def test_a_phrase_parses_into_typed_words():
    words = parse_phrase("~ask for? *2 a_few|~firm")
    assert words == (
        PhraseWord((Alternative(("ask",), True),)),
        PhraseWord((Alternative(("for",), False),), optional=True),
        PhraseWord(gap=2),
        PhraseWord((Alternative(("a", "few"), False), Alternative(("firm",), True))),
    )


def test_a_tilde_on_the_word_makes_every_alternative_a_lemma():
    (word,) = parse_phrase("~company|firm")
    assert all(alt.lemma for alt in word.alternatives)


@pytest.mark.parametrize(
    ("phrase", "messages"),
    [
        ("  ", ["empty pattern"]),
        ("a *0", ["wildcard '*0' must be '*N' with N from 1 to 9"]),
        ("*10 b|", ["wildcard '*10' must be '*N' with N from 1 to 9", "empty alternative in 'b|'"]),
        ("~|a", ["empty alternative in '~|a'"]),
    ],
)
def test_every_bad_word_is_named(phrase, messages):
    with pytest.raises(PhraseError) as caught:
        parse_phrase(phrase)
    assert list(caught.value.messages) == messages
