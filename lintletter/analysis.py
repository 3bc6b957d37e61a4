"""From a parsed letter to sentences that know which cues they contain.

Each prose block is tokenized by spaCy; whitespace-only tokens (double spaces, blanked Markdown) are
dropped so that patterns match across them, and every kept token remembers its offset in the file.
"""

from __future__ import annotations

import dataclasses
import bisect
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping

from .cues import CompiledCues
from .letter import Block, Letter
from .letter import _mask as mask_markup
from .model import Span
from .tokens import normalise, tokenize

TokenSpan = tuple[int, int]
#: Fewer words than this ending in "?" do not count as a question (``$question``).
MIN_QUESTION_WORDS = 3  # token indices, half-open, relative to the sentence


@dataclass(frozen=True)
class Sentence:
    span: Span
    region: str  # body | ps | subject | salutation
    block_kind: str
    is_question: bool
    listed: bool  # a list item under a lead-in ending with ":"
    token_offsets: tuple[tuple[int, int], ...]  # (start, end) char offsets in the file, per token
    cues: Mapping[str, tuple[TokenSpan, ...]] = field(default_factory=dict)
    words: int = 0
    #: section -> the learned signal's probability; empty unless a rule consults ``$signal``
    signal: Mapping[str, float] = field(default_factory=dict)

    def has(self, key: str) -> bool:
        if key == "$question":
            return self.is_question
        if key == "$listed":
            return self.listed
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


def analyse(letter: Letter, blocks: list[Block], docs, cues: CompiledCues, signal=None) -> AnalysedLetter:
    """Split processed Docs into sentences and attach the cue matches that fall inside each.

    With ``signal`` (a :class:`lintletter.signal.SectionSignal`), each sentence also gets the
    classifier's per-section probabilities, for rules that consult ``$signal``.
    """
    sentences: list[Sentence] = []
    cut_short = 0
    for block, doc in zip(blocks, docs):
        offsets = doc.user_data["offsets"]
        if not offsets:
            continue
        matches = sorted(cues(doc), key=lambda m: (m.start, m.end))
        cut_short += bool(doc.user_data.get("matching_cut_short"))
        starts = [m.start for m in matches]
        for sent in doc.sents:
            toks = [t for t in sent]
            if not toks:
                continue
            found: dict[str, list[TokenSpan]] = {}
            # only the matches starting inside this sentence: linear overall, even for a 1 MB block
            first, last_ = bisect.bisect_left(starts, sent.start), bisect.bisect_left(starts, sent.end)
            for m in matches[first:last_]:
                if m.end <= sent.end:
                    found.setdefault(m.key, []).append((m.start - sent.start, m.end - sent.start))
            tok_offsets = offsets[sent.start : sent.end]
            last = toks[-1].text
            words = sum(1 for t in toks if not t.is_punct)
            sentences.append(
                Sentence(
                    span=Span(tok_offsets[0][0], tok_offsets[-1][1]),
                    region=block.region,
                    block_kind=block.kind,
                    # A bare keyword with a question mark ("Feedback? Advice?") names a topic but
                    # asks nothing: a question needs a few words to say what it wants to know.
                    is_question="?" in last and words >= MIN_QUESTION_WORDS,
                    listed=block.after_lead_in,
                    token_offsets=tuple(tok_offsets),
                    cues={k: tuple(v) for k, v in found.items()},
                    words=words,
                )
            )
    sentences.sort(key=lambda s: s.span.start)
    if signal is not None and sentences:
        probs = signal.score([normalise(letter.text[s.span.start : s.span.end])[0] for s in sentences])
        sentences = [dataclasses.replace(s, signal=p) for s, p in zip(sentences, probs)]
    return AnalysedLetter(letter, tuple(sentences), cut_short)
