"""Prose to tokens: spaCy's tokenizer, kept linear on any input, on text normalised for matching.

Two things happen between a block's text and the tokens the rules see:

**Normalising.** Zero-width and other invisible format characters (U+200B, U+2060, soft hyphens,
bidi controls...) are dropped, combining marks on Latin letters are dropped (``s̶o̶r̶r̶y``),
compatibility letters become their ASCII letter (fullwidth ``ｓｏｒｒｙ``, mathematical ``𝐬𝐨𝐫𝐫𝐲``)
and, in a word written in Latin letters, Cyrillic and Greek look-alikes become the Latin letter they
imitate (``shоcked`` with a Cyrillic ``о``). Otherwise such a word is not the word a tone rule looks
for. The tokens get the normalised text; their offsets stay those of the original characters, so
every reported position still points into the file. Text without such characters (nearly all of
it) is not touched.

**Tokenizing in linear time.** spaCy strips prefixes and suffixes from a whitespace-free span one at
a time, copying and searching the rest of the span each time: ``word`` followed by 16,000 ``)``
takes 40 s. A span longer than :data:`LONG_SPAN` characters or with more than
:data:`MAX_SPAN_PUNCTUATION` non-alphanumeric characters (no word, e-mail address or URL in the corpus
comes near either) is split here instead, linearly: a URL at its start stays one token, runs of
letters and digits are tokens (cut every :data:`LONG_SPAN` characters), and every other character is
a token of its own, which is what spaCy makes of runs of punctuation anyway. Everything else goes
to spaCy's tokenizer unchanged.
"""

from __future__ import annotations

import re
import unicodedata

#: A whitespace-free span longer than this is split by :func:`_split_long` rather than by spaCy.
LONG_SPAN = 100
#: ... and so is one with more non-alphanumeric characters than this.
MAX_SPAN_PUNCTUATION = 8

_SPAN = re.compile(r"\S+")
_PIECES = re.compile(r"[^\W_]{1,%d}|." % LONG_SPAN, re.S)
#: The start of a hostile span: over LONG_SPAN characters, or over MAX_SPAN_PUNCTUATION characters
#: that are neither word characters nor space. Tried only where a span starts, and possessive, so
#: finding them is linear too.
_HOSTILE = re.compile(r"(?<!\S)(?:\S{%d}|(?:\w*+[^\w\s]){%d})" % (LONG_SPAN + 1, MAX_SPAN_PUNCTUATION + 1))

# --- normalising ------------------------------------------------------------------------------

#: Letters from other scripts that look like Latin ones (after Unicode's confusables list; only
#: those that really pass for the Latin letter in running text).
CONFUSABLES = {
    # Cyrillic
    "а": "a", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "о": "o", "р": "p",
    "с": "c", "у": "y", "х": "x", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ɡ": "g", "ү": "y", "ո": "n",
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "Ԛ": "Q", "Ԝ": "W", "Һ": "H", "Ӏ": "I", "Ү": "Y",
    # Greek
    "α": "a", "ο": "o", "ν": "v", "ρ": "p", "υ": "u", "ι": "i", "κ": "k", "ε": "e", "χ": "x", "τ": "t",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Latin letters outside ASCII that pass for ASCII ones, and Armenian
    "ı": "i", "ȷ": "j", "ʟ": "L", "օ": "o", "ս": "u", "ց": "g", "ᴄ": "c", "ᴏ": "o", "ᴠ": "v", "ᴡ": "w", "ᴢ": "z",
}  # fmt: skip

#: Invisible characters that can sit inside a word: format characters (Cf) and a few others.
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufe00-\ufe0f\ufeff\U000e0000-\U000e007f"
)
#: Characters that may need normalising; text without any of them is used as it is.
_SUSPECT = re.compile(
    "["
    + _INVISIBLE
    + "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"  # combining marks
    + "".join(sorted(CONFUSABLES))
    + "\uff01-\uff5e\U0001d400-\U0001d7ff\u2460-\u24ff\U0001f100-\U0001f1ff\ufb00-\ufb06"  # compatibility forms
    + "]"
)
_LATIN = re.compile("[A-Za-z]")
_EXTRA_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e")


def _is_invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in _EXTRA_INVISIBLE or "\ufe00" <= char <= "\ufe0f"


def _compat(char: str) -> str | None:
    """The ASCII letters or digits a compatibility character stands for (``ｓ`` -> ``s``), if any."""
    folded = unicodedata.normalize("NFKC", char)
    return folded if folded != char and folded.isascii() and folded.isalnum() else None


def normalise(text: str) -> tuple[str, list[int] | None]:
    """(normalised text, origin): ``origin[i]`` is the offset in ``text`` of the character that
    produced normalised character ``i`` (a space between words points at the whitespace after the
    word), plus one last entry, ``len(text)``. ``origin`` is None when nothing needs normalising, and
    then the text is returned as it is."""
    if text.isascii() or _SUSPECT.search(text) is None:
        return text, None
    out: list[str] = []
    origin: list[int] = []
    letters = [c for c in text if c.isalpha()]
    # Text mostly in Latin letters: a word made only of look-alikes is a disguised Latin word there
    # (in Russian text it is Russian, and left alone).
    latin_text = sum(c.isascii() for c in letters) >= 0.8 * len(letters)
    for span in _SPAN.finditer(text):
        word = span.group()
        # look-alikes count in a word that has Latin letters, or is all look-alikes in Latin text
        latin = bool(_LATIN.search(word)) or (latin_text and all(c in CONFUSABLES or not c.isalpha() for c in word))
        after_latin = False
        for k, char in enumerate(word):
            if _is_invisible(char):
                continue
            if after_latin and unicodedata.category(char) in ("Mn", "Me"):  # a mark on a Latin letter
                continue
            if latin and char in CONFUSABLES:
                char = CONFUSABLES[char]
            elif not char.isascii():
                char = _compat(char) or char
            out.append(char)
            origin.extend([span.start() + k] * len(char))
            after_latin = char.isascii() and char.isalpha()
        out.append(" ")  # words stay apart; whitespace is never part of a token
        origin.append(span.end())
    origin.append(len(text))
    return "".join(out), origin


# --- tokenizing -------------------------------------------------------------------------------


def _split_long(tokenizer, span: str, at: int) -> list[tuple[int, str]]:
    """A hostile span as tokens, in linear time (see the module docstring)."""
    out: list[tuple[int, str]] = []
    start = 0
    url_match = getattr(tokenizer, "url_match", None)
    if url_match is not None:
        head = re.match(r"\S{1,%d}" % LONG_SPAN, span)
        # a URL at the start, without the punctuation after it ("https://x.com/a)))...")
        candidate = head.group().rstrip(".,;:!?)]}\"'>") if head else ""
        if candidate and url_match(candidate):
            out.append((at, candidate))
            start = len(candidate)
    for piece in _PIECES.finditer(span, start):
        out.append((at + piece.start(), piece.group()))
    return out


def tokenize(nlp, text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of every token that is not whitespace; offsets are into ``text``, the
    token text is normalised (see :func:`normalise`). ``nlp`` is a pipeline or just its tokenizer."""
    tokenizer = getattr(nlp, "tokenizer", nlp)
    normalised, origin = normalise(text)
    pieces: list[tuple[int, str]] = []  # (offset in normalised, token text)
    done = 0  # normalised[:done] is tokenized

    def spacy_part(end: int) -> None:
        if end > done:
            part = normalised[done:end]
            pieces.extend((done + t.idx, t.text) for t in tokenizer(part) if not t.is_space)

    for found in _HOSTILE.finditer(normalised):
        span = _SPAN.match(normalised, found.start())
        spacy_part(span.start())
        pieces.extend(_split_long(tokenizer, span.group(), span.start()))
        done = span.end()
    spacy_part(len(normalised))
    if origin is None:
        return [(start, start + len(token), token) for start, token in pieces]
    tokens = []
    for start, token in pieces:
        last = start + len(token) - 1
        # up to where the next character kept starts: characters dropped after the token's last one
        # (a zero-width space, a combining mark) belong to it; the word's end bounds it
        end = max(origin[last] + 1, origin[last + 1])
        tokens.append((origin[start], end, token))
    return tokens


def spacy_doc(nlp, text: str):
    """The tokenizer's own Doc of ``text`` normalised, when its tokens are exactly :func:`tokenize`'s
    (no span to split here, no whitespace token), else None. For what reads only the tokens' texts
    (the section signal's bag of words): no second Doc built from a list of words."""
    tokenizer = getattr(nlp, "tokenizer", nlp)
    normalised, _ = normalise(text)
    if _HOSTILE.search(normalised) is not None:
        return None
    doc = tokenizer(normalised)
    if doc.to_array("IS_SPACE").any():  # tokenize() leaves whitespace tokens out
        return None
    return doc
