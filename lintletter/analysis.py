"""From a parsed letter to sentences that know which cues they contain.

Each prose block is tokenized by spaCy; whitespace-only tokens (double spaces, blanked Markdown) are
dropped so that patterns match across them, and every kept token remembers its offset in the file.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping

from .cues import CompiledCues
from .anatomy import Block, Letter
from .anatomy import _mask as mask_markup
from .honorifics import is_title
from .model import Span
from .tokens import normalise, tokenize

TokenSpan = tuple[int, int]  # token indices, half-open, relative to the sentence
#: Fewer words than this ending in "?" do not count as a question (``$question``).
MIN_QUESTION_WORDS = 3
#: Tokens after which a question's own words start ("Quick one - what would you do?").
_LEAD_BREAKS = frozenset({":", "-", "–", "—", "--"})
#: A list item under a lead-in with fewer words than this names a topic ("- Contacts", "- people to
#: talk to") and asks nothing (``$listed``). Chosen on out-of-fold train: 3-way 0.902 -> 0.906.
MIN_LISTED_WORDS = 5
#: A lead-in this short ("Questions:", "Three quick things:") may introduce asks; a longer one must
#: ask, or be a question, for its list items to count as asks: under "I wanted to write down what I
#: took from it:" the items are what the writer learned ("- that your team's advice to ... will stay
#: with me"), not requests.
SHORT_LEAD_IN_WORDS = 6
#: Words that say a lead-in introduces questions or asks ("A few questions, if you have a minute:").
_ASKING_WORDS = frozenset({"question", "questions", "ask", "asks", "asking", "request", "requests", "wondering",
                           # a demand introduces asks too: "here's what I need from you in return:"
                           "need", "want", "please", "grateful"})
#: Words that say a lead-in introduces what the writer took away, not asks, however short it is:
#: "Here is what I learned:", "Thank you for your feedback; here is what I took from it:".
_NARRATING_WORDS = frozenset({"learned", "learnt", "took", "takeaway", "takeaways", "noticed", "realised",
                              "realized", "enjoyed", "loved", "liked", "remember", "taught"})


@dataclass(frozen=True)
class Sentence:
    span: Span
    region: str  # body | ps | subject | salutation
    is_question: bool
    listed: bool  # a list item under a lead-in ending with ":"
    token_offsets: tuple[tuple[int, int], ...]  # (start, end) char offsets in the file, per token
    cues: Mapping[str, tuple[TokenSpan, ...]] = field(default_factory=dict)
    words: int = 0
    #: section -> the learned signal's probability; empty unless a rule consults ``$signal``
    signal: Mapping[str, float] = field(default_factory=dict)
    #: in a paragraph that turned, by name, to someone the letter does not greet (``$aside``)
    aside: bool = False

    def has(self, key: str) -> bool:
        if key == "$question":
            return self.is_question
        if key == "$listed":
            return self.listed
        if key == "$aside":
            return self.aside
        return key in self.cues

    def signal_at_least(self, section: str | None, threshold: float) -> bool:
        """``$signal`` for a rule of ``section``: the classifier's probability reaches the threshold."""
        return section is not None and self.signal.get(section, 0.0) >= threshold

    def token_span(self, ts: TokenSpan) -> Span:
        return Span(self.token_offsets[ts[0]][0], self.token_offsets[ts[1] - 1][1])


@dataclass(frozen=True)
class AnalysedLetter:
    letter: Letter
    sentences: tuple[Sentence, ...]
    #: paragraphs where cue matching ran out of its work budget (see lintletter.token_patterns)
    cut_short: int = 0

    def in_regions(self, regions: Iterable[str]) -> Iterator[Sentence]:
        wanted = set(regions)
        return (s for s in self.sentences if s.region in wanted)

    @property
    def body_words(self) -> int:
        return sum(s.words for s in self.sentences if s.region in ("body", "ps"))


def prose_blocks(letter: Letter) -> list[Block]:
    """The blocks that are parsed: everything but headings, plus the salutation and closing lines
    (a closing can say thanks: "With thanks,") and the signature (region ``signature``: only rules
    that name it look there, e.g. for "[Your Name]")."""
    blocks = [b for b in letter.blocks if b.kind != "heading"]
    for span, region in ((letter.salutation, "salutation"), (letter.closing, "closing")):
        if span is not None:
            text = letter.text[span.start : span.end]
            blocks.append(Block(span, text.replace("\n", " ").replace("\r", " "), "paragraph", region))
    if letter.signature is not None:
        text = letter.text[letter.signature.start : letter.signature.end]
        blocks.append(Block(letter.signature, mask_markup(text), "paragraph", "signature"))
    return blocks


def make_docs(nlp, blocks: list[Block]):
    """Tokenize blocks without whitespace tokens; return Docs ready for the pipeline's components.

    Tokens carry normalised text (no zero-width characters, no look-alike letters) and the offsets
    of the original characters; tokenizing is linear whatever the text (see lintletter.tokens)."""
    from spacy.tokens import Doc

    docs = []
    for block in blocks:
        kept = tokenize(nlp, block.text)
        words = [text for _, _, text in kept]
        doc = Doc(nlp.vocab, words=words, spaces=[True] * len(kept))
        base = block.span.start
        doc.user_data["offsets"] = tuple((base + start, base + end) for start, end, _ in kept)
        docs.append(doc)
    return docs


#: After "Name," these start an apposition or a relative clause about the person, not words to them.
_APPOSITION = {"who", "whom", "whose", "my", "our", "the", "a", "an", "his", "her", "their", "its",
               "and", "or", "jr", "sr"}


def _greeted_names(letter: Letter) -> frozenset[str]:
    """The words of the greeting line, lower-cased ("Dear Ms. Lee and Tom," -> dear, ms, lee, and, tom)."""
    if letter.salutation is None:
        return frozenset()
    text = letter.text[letter.salutation.start : letter.salutation.end]
    # "Hi Benedikt (and cc'ing Priya, who referred me)": the one copied in is not greeted
    words = [w.strip(",:;!.").lower() for w in text.split("(")[0].split()]
    for n, w in enumerate(words):
        if w in ("cc", "cc'ing", "cc’ing", "ccing", "copying", "cc:"):
            words = words[:n]
            break
    return frozenset(words) - {""}


def _name_counts(text: str) -> Counter[str]:
    """How often each capitalised word occurs in the letter (one linear pass)."""
    return Counter(re.findall(r"\b[A-Z][A-Za-z]+\b", text))


def _vocative(toks) -> tuple[int, int] | None:
    """Where the name is when the sentence opens by calling someone ("Tom, ...", "Dr. Osei, ..."):
    the index of the name token and of the first word after the comma, else None."""
    at = 1 if len(toks) > 3 and is_title(toks[0].text) else 0  # "Dr. Osei, could you..."
    mark = at + 1
    # "Mike (cc'd), you mentioned...": a short parenthesis between the name and the comma
    if len(toks) > mark and toks[mark].text == "(":
        close = next((k for k in range(mark + 1, min(mark + 5, len(toks))) if toks[k].text == ")"), None)
        mark = close + 1 if close is not None else mark
    if len(toks) > mark + 1 and toks[mark].text in _CALLING_MARKS:
        return at, mark + 1
    return None


def _says_copied(toks) -> bool:
    """The words say someone is copied in ("cc'd", "copied", "copying")."""
    return any(t.lower_.startswith(("cc", "copied", "copying")) for t in toks)


#: What follows a name that calls someone: "Tom, ...", "Priya - thank you for...", "Priya — could you..."
_CALLING_MARKS = frozenset({",", "-", "–", "—"})


def _opens_aside(toks, greeted: frozenset[str], opener_starts: set[int], names: Counter[str]) -> bool:
    """The sentence opens with a name and a comma (not an apposition), and the name is not in the
    greeting but is named elsewhere in the letter (copied in, introduced): an ask put to someone in
    copy ("Tom, since you know the consultancies, could you...") is not an ask of the reader. Only
    letters that greet someone by name can tell."""
    found = _vocative(toks) if greeted else None
    if found is None:
        return False
    at, after = found
    word = toks[at].text
    if not (word[:1].isupper() and word.isalpha() and len(word) > 1):
        return False
    # openers are not names: "Honestly, could you...", "Looking back, would you...", "Thanks, ..."
    if at == 0 and (0 in opener_starts or word.lower().endswith(("ly", "ing", "ed"))):
        return False
    # "Leon, thanks again..." speaks to Leon; "Leon, who referred me, says..." speaks about him,
    # unless the apposition says the letter copies him in: "Joanna, whom I have copied here as my
    # former mentor, perhaps you could suggest..." turns to Joanna
    if word.lower() in greeted:
        return False
    if toks[after].lower_ in _APPOSITION:
        return _says_copied(toks[after : after + 8])
    # "Mike (cc'd), ...": the letter says it copies him in
    if _says_copied(toks[at + 1 : after]):
        return True
    # a name the letter mentions only here may be an unusual opener ("Further, ..."): not enough
    return names[word] >= 2


def _opens_with_greeted(toks, greeted: frozenset[str]) -> bool:
    """The sentence turns back to the reader by name ("Benedikt, could you...")."""
    found = _vocative(toks)
    return found is not None and toks[found[0]].lower_ in greeted


#: The lexicon group of words that open a sentence rather than call someone by name ("Thanks, Dana"
#: turns to no one); the rules do not load without it.
SENTENCE_OPENER = "sentence_opener"
#: The lexicon group of ask frames ("could you", "I'd love your"): a lead-in that holds one makes the
#: list under it a list of asks ($listed).
ASK = "ask"
#: The lexicon groups this module looks up by name, and why (checked when the rules load).
LEXICON = {SENTENCE_OPENER: "words that open a sentence, not a turn to someone by name ($aside)",
           ASK: "ask frames: a lead-in with one makes the list items under it asks ($listed)"}


def _lead_in_asks(found, words: int, text: str) -> bool:
    """The last sentence of a paragraph before a list: does it introduce asks?"""
    if "?" in text or found:
        return True
    said = {w.strip(".,:;!\"'()").lower() for w in text.split()}
    if said & _NARRATING_WORDS:
        return False
    return words <= SHORT_LEAD_IN_WORDS or bool(said & _ASKING_WORDS)


def analyse(letter: Letter, blocks: list[Block], docs, cues: CompiledCues, signal=None, cue_matches=None) -> AnalysedLetter:
    """Split processed Docs into sentences and attach the cue matches that fall inside each.

    With ``signal`` (a :class:`lintletter.section_signal.SectionSignal`), each sentence also gets the
    classifier's per-section probabilities, for rules that consult ``$signal``. ``cue_matches``: each
    Doc's cue matches, when the caller has them (``cues.match_docs`` over many letters at once).
    """
    if cue_matches is None:
        cue_matches = cues.match_docs(docs)
    sentences: list[Sentence] = []
    greeted = _greeted_names(letter)
    names = _name_counts(letter.text) if greeted else Counter()
    opener_keys = set(cues.resolve(None, SENTENCE_OPENER)) if greeted else set()
    ask_keys = set(cues.resolve(None, ASK))
    cut_short = 0
    # the last sentence of the last paragraph (its ask-frame keys, words, text), read only when a
    # list follows it (see _lead_in_asks)
    last_of_paragraph = None
    for block, doc, doc_matches in zip(blocks, docs, cue_matches):
        offsets = doc.user_data["offsets"]
        if not offsets:
            continue
        matches = sorted(doc_matches, key=lambda m: (m.start, m.end))
        cut_short += bool(doc.user_data.get("matching_cut_short"))
        starts = [m.start for m in matches]
        # an aside opened at the start of a paragraph ("Dana, I've copied you since...") goes on
        # to the paragraph's end: "Do you know of other hospitals...?" is asked of Dana too
        aside_open = False
        # Read off arrays and the sentence Span: making a Token object for every token of every
        # sentence was a tenth of the time a letter took, and only the first few are ever looked at.
        punct = doc.to_array("IS_PUNCT")
        if block.after_lead_in and last_of_paragraph is not None:
            found_keys, n, sent_of = last_of_paragraph
            block_asks = _lead_in_asks(ask_keys.intersection(found_keys), n, sent_of.text)
        else:
            block_asks = True
        for sent in doc.sents:
            if sent.end == sent.start:
                continue
            found: dict[str, list[TokenSpan]] = {}
            # only the matches starting inside this sentence: linear overall, even for a 1 MB block
            first, last_ = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
            for m in matches[first:last_]:
                if m.end <= sent.end:
                    found.setdefault(m.key, []).append((m.start - sent.start, m.end - sent.start))
            tok_offsets = offsets[sent.start : sent.end]
            opener_starts = {ts for key in opener_keys for ts, _ in found.get(key, ())}
            if block.region in ("body", "ps") and _opens_aside(sent, greeted, opener_starts, names):
                aside_open = True
            elif _opens_with_greeted(sent, greeted):
                aside_open = False
            last = doc[sent.end - 1].text
            words = (sent.end - sent.start) - int(punct[sent.start : sent.end].sum())
            # the words of the question itself: after the last colon or dash ("quick one - feedback?",
            # "before you close the file though: feedback?" ask no more than "Feedback?" does)
            asked_words = words
            if "?" in last:
                for i in range(sent.end - 2, sent.start - 1, -1):
                    # a hyphen only with a space either side: "the take-home?" is one word (the
                    # Doc's own whitespace is not the letter's: read the characters' offsets);
                    # every break is punctuation, so no Token is made for the words
                    if punct[i] and doc[i].text in _LEAD_BREAKS and (doc[i].text != "-" or (
                            i > sent.start and offsets[i - 1][1] < offsets[i][0] and offsets[i][1] < offsets[i + 1][0])):
                        asked_words = (sent.end - i - 1) - int(punct[i + 1 : sent.end].sum())
                        break
            sentences.append(
                Sentence(
                    span=Span(tok_offsets[0][0], tok_offsets[-1][1]),
                    region=block.region,
                    # A bare keyword with a question mark ("Feedback? Advice?") names a topic but
                    # asks nothing: a question needs a few words to say what it wants to know.
                    is_question="?" in last and asked_words >= MIN_QUESTION_WORDS,
                    # the same for a list item: "- Contacts" under "Things I'd love:" names a topic
                    listed=block.after_lead_in and words >= MIN_LISTED_WORDS and block_asks,
                    token_offsets=tuple(tok_offsets),
                    cues={k: tuple(v) for k, v in found.items()},
                    words=words,
                    aside=aside_open,
                )
            )
            if block.kind != "list_item":
                last_of_paragraph = (found, words, sent)
    sentences.sort(key=lambda s: s.span.start)
    if signal is not None and sentences:
        probs = signal.score([normalise(letter.text[s.span.start : s.span.end])[0] for s in sentences])
        sentences = [dataclasses.replace(s, signal=p) for s, p in zip(sentences, probs)]
    return AnalysedLetter(letter, tuple(sentences), cut_short)
