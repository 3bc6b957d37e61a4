"""The learned section signal: a small bag-of-words classifier that rules may consult as ``$signal``.

``models/section_signal`` holds a spaCy pipeline with one ``textcat_multilabel`` component
(``spacy.TextCatBOW.v3``: hashed unigrams and bigrams, no vectors), trained per sentence on the
corpus' train split by ``python -m lintletter.train_signal``. For each sentence it gives one
probability per section: how much the sentence reads like that section's gold evidence.

A rule uses it as a built-in cue: ``$signal`` holds on a sentence when the probability for *the
rule's own section* is at least the rule's ``signal_threshold`` (default
:data:`DEFAULT_THRESHOLD`), and ``$signal_sure`` when it is at least ``signal_sure`` (default
:data:`DEFAULT_SURE`). The model is loaded only when some rule names ``$signal``; a finding it
contributes is still the section rule's finding, anchored at the sentence.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from .errors import PipelineError
from .model import RuleSet
from .validate import cue_lists

SIGNAL_NAME = "section_signal"
SIGNAL_CUE = "$signal"
#: The same classifier, sure of its reading (``signal_sure``): in a question it makes an ask present.
SIGNAL_SURE_CUE = "$signal_sure"
SIGNAL_CUES = frozenset({SIGNAL_CUE, SIGNAL_SURE_CUE})
DEFAULT_SURE = 0.9
COMPONENT = "textcat_multilabel"
DEFAULT_THRESHOLD = 0.5


def model_path() -> Path:
    """``models/section_signal`` beside the package (installed under ``_data`` or checked out)."""
    from .pipeline import models_dir

    return models_dir(SIGNAL_NAME) / SIGNAL_NAME


def normalise(text: str) -> str:
    """What the classifier reads: the sentence with whitespace collapsed, lower-cased.

    The BOW features hash token texts (ORTH), so lower-casing here makes them case-insensitive.
    Training and scoring both go through this function.
    """
    return " ".join(text.split()).lower()


def uses_signal(ruleset: RuleSet) -> bool:
    """Whether any rule's condition names ``$signal`` or ``$signal_sure`` (only then is the model loaded)."""
    for rule in ruleset.rules:
        if any(SIGNAL_CUES & set(names) for _, names in cue_lists(rule.options)):
            return True
        if any(SIGNAL_CUES & set(group.any_of) for group in rule.cues.values()):
            return True
    return False


def threshold(rule) -> float:
    return float(getattr(rule.options, "signal_threshold", DEFAULT_THRESHOLD))


def sure_threshold(rule) -> float:
    return float(getattr(rule.options, "signal_sure", DEFAULT_SURE))


#: Sentences per classifier batch (as ``textcat.pipe`` was given them).
BATCH_SIZE = 256


class _TokenIds:
    """One sentence as the bag-of-words model reads a Doc: its tokens' ORTH ids, through
    ``to_array([ORTH])`` (spaCy's ``extract_ngrams`` reads nothing else), and its length."""

    __slots__ = ("ids",)

    def __init__(self, ids) -> None:
        self.ids = ids

    def __len__(self) -> int:
        return len(self.ids)

    def to_array(self, attrs):
        return self.ids


class SectionSignal:
    """The loaded classifier: sentence texts -> {section: probability}."""

    def __init__(self, tokenizer, textcat) -> None:
        self._tokenizer = tokenizer
        self._textcat = textcat
        self.labels: tuple[str, ...] = tuple(textcat.labels)

    def score(self, texts: Sequence[str]) -> list[Mapping[str, float]]:
        # Tokenize and classify directly: a bag of words needs no ``nlp.max_length`` memory guard,
        # so a pathological one-sentence paste is scored rather than refused.
        texts = [normalise(t) for t in texts]
        sentences = self._token_ids(texts)
        if sentences is None:
            docs = self._textcat.pipe((self._doc(t) for t in texts), batch_size=BATCH_SIZE)
            return [{label: round(float(doc.cats[label]), 6) for label in self.labels} for doc in docs]
        out: list[Mapping[str, float]] = []
        for at in range(0, len(sentences), BATCH_SIZE):  # the batches textcat.pipe makes
            scores = self._textcat.predict(sentences[at : at + BATCH_SIZE])
            out += ({label: round(float(row[j]), 6) for j, label in enumerate(self.labels)} for row in scores)
        return out

    def _token_ids(self, texts: list[str]) -> "list[_TokenIds] | None":
        """Each text's tokens as the model reads them (ORTH ids), from one tokenizer call over all
        of them, or None when that could differ from a Doc per text (then :meth:`_doc` makes them).

        A Doc per sentence was most of what the signal cost. The texts are joined by newlines:
        spaCy's tokenizer cuts at whitespace first, so each text gets the tokens it gets alone, with
        one newline token between two texts (counted, to be sure no text held whitespace of its own)."""
        import numpy as np
        from spacy.attrs import IS_SPACE, ORTH

        from .tokens import _HOSTILE
        from .tokens import normalise as normalise_characters

        spelt = [normalise_characters(t)[0] for t in texts]  # what _doc tokenizes
        if not spelt or any(not t.strip() for t in spelt):
            return None
        joined = "\n".join(spelt)
        if _HOSTILE.search(joined) is not None:  # a span tokenize() splits itself: _doc's way
            return None
        columns = self._tokenizer(joined).to_array([ORTH, IS_SPACE])
        breaks = np.flatnonzero(columns[:, 1]).tolist()
        if len(breaks) != len(spelt) - 1:
            return None
        ids = np.ascontiguousarray(columns[:, 0])
        starts, ends = [0] + [b + 1 for b in breaks], breaks + [len(ids)]
        return [_TokenIds(ids[start:end]) for start, end in zip(starts, ends)]


    def _doc(self, text: str):
        """The stock tokenizer's Doc, built in linear time whatever the text (see lintletter.tokens):
        the tokenizer's own when it holds exactly the tokens ``tokenize`` gives (nearly always; the
        classifier reads only the tokens' texts), else one built from those tokens."""
        from .tokens import spacy_doc, tokenize

        doc = spacy_doc(self._tokenizer, text)
        if doc is not None:
            return doc
        from spacy.tokens import Doc

        words = [token for _, _, token in tokenize(self._tokenizer, text)]
        return Doc(self._tokenizer.vocab, words=words)

    def _words_doc(self, text: str):
        """The Doc as it was always built, from ``tokenize``'s words (tests compare the two)."""
        from spacy.tokens import Doc

        from .tokens import tokenize

        return Doc(self._tokenizer.vocab, words=[token for _, _, token in tokenize(self._tokenizer, text)])


def load(path: Path | None = None, nlp=None) -> SectionSignal:
    """Load the bundled classifier from disk (offline). Raises PipelineError if it is missing.

    Only the ``textcat_multilabel`` component is built, on ``nlp`` (lintletter's pipeline, whose
    tokenizer is the same stock English one the model was trained with): loading the model's
    whole pipeline would build a second tokenizer, a fifth of a one-letter run's start-up.
    """
    import spacy

    from . import pipeline

    target = path or model_path()
    if not (target / "config.cfg").is_file():
        raise PipelineError(
            f"the section signal model is missing at {target}; train it with 'python -m lintletter.train_signal'"
        )
    nlp = nlp if nlp is not None else pipeline.load()
    try:
        config = spacy.util.load_config(target / "config.cfg")
        settings = dict(config["components"][COMPONENT])
        textcat = nlp.create_pipe(settings.pop("factory"), name=COMPONENT, config=settings)
        textcat.from_disk(target / COMPONENT, exclude=["vocab"])
    except KeyError:
        raise PipelineError(f"the section signal model at {target} has no {COMPONENT} component") from None
    except Exception as exc:  # spaCy raises many types for a damaged model
        raise PipelineError(f"the section signal model at {target} could not be loaded: {exc}") from exc
    return SectionSignal(nlp.tokenizer, textcat)
