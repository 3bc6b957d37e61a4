"""Train the section signal (see :mod:`lintletter.section_signal`) from the labelled corpus, reproducibly.

    python -m lintletter.train_signal                 # corpus/ train split -> models/section_signal

Every sentence of the writer's own text in a train-split letter is one example. Sentences are cut
exactly as the linter cuts them (``anatomy.parse`` -> ``prose_blocks`` -> ``make_docs`` -> the
bundled pipeline -> ``analyse``), so quoted history never appears, and only the regions section rules
read (body, P.S., subject line) are used. A sentence is labelled 1 for a section when it overlaps one
of that section's gold evidence strings (present or weak), else 0. The classifier is spaCy's
``textcat_multilabel`` with ``spacy.TextCatBOW.v3`` (unigrams and bigrams, no vectors); the seed is
fixed, examples are read in file order and shuffled with a seeded generator, so two runs write the
same files. Dev and test letters are never read.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import warnings
from pathlib import Path
from typing import Iterable, Sequence

from .model import SECTIONS, Span

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ("body", "ps", "subject")
SEED = 0
EPOCHS = 12
#: hashed feature table rows (x 6 labels x 4 bytes: 1.5 MB of weights)
HASH_LENGTH = 2**16


def _evidence_spans(text: str, evidence: Iterable[str]) -> list[Span]:
    spans = []
    for ev in evidence:
        start = text.find(ev)
        while ev and start >= 0:
            spans.append(Span(start, start + len(ev)))
            start = text.find(ev, start + 1)
    return spans


def sentence_examples(items, nlp=None) -> list[tuple[str, dict[str, float]]]:
    """(sentence text, {section: 0/1}) for every sentence the section rules read, in corpus order."""
    from . import anatomy
    from . import pipeline
    from .analysis import analyse, make_docs, prose_blocks
    from .cues import CompiledCues
    from .model import RuleSet

    nlp = nlp or pipeline.load()
    # Sentences do not depend on the rules: analyse with no cue groups, so the model never changes
    # when a rule file does.
    cues = CompiledCues(nlp, RuleSet(rules=(), lexicon={}, scoring=None))  # type: ignore[arg-type]
    out: list[tuple[str, dict[str, float]]] = []
    for item in items:
        parsed = anatomy.parse(item.text)
        blocks = prose_blocks(parsed)
        docs = list(nlp.pipe(make_docs(nlp, blocks)))
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"\[W036\]")  # the empty matcher, on purpose
            analysed = analyse(parsed, blocks, docs, cues)
        gold = {s: _evidence_spans(parsed.text, item.evidence.get(s, ())) for s in SECTIONS}
        for sentence in analysed.in_regions(REGIONS):
            a, b = sentence.span.start, sentence.span.end
            cats = {s: float(any(e.start < b and a < e.end for e in gold[s])) for s in SECTIONS}
            out.append((parsed.text[a:b], cats))
    return out


def train(examples: Sequence[tuple[str, dict[str, float]]], seed: int = SEED, epochs: int = EPOCHS):
    """A blank English pipeline with one trained ``textcat_multilabel``."""
    import spacy
    from spacy.training import Example
    from spacy.util import compounding, fix_random_seed, minibatch

    from .section_signal import COMPONENT, normalise

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe(
        COMPONENT,
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": False,
                "ngram_size": 2,
                "no_output_layer": False,
                "length": HASH_LENGTH,
            }
        },
    )
    for section in SECTIONS:
        textcat.add_label(section)
    data = [Example.from_dict(nlp.make_doc(normalise(text)), {"cats": cats}) for text, cats in examples]
    optimizer = nlp.initialize(lambda: data)
    rng = random.Random(seed)
    for _ in range(epochs):
        order = list(data)
        rng.shuffle(order)
        for batch in minibatch(order, size=compounding(4.0, 32.0, 1.001)):
            nlp.update(batch, sgd=optimizer, drop=0.0)
    nlp.meta["name"] = "section_signal"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = (
        "lintletter: per-sentence section classifier (textcat_multilabel, BOW 1-2 grams), trained on the corpus train split"
    )
    return nlp


def fold_of(letter_id: str, folds: int) -> int:
    """A letter's cross-fitting fold: a pure function of its id, like the splits."""
    import hashlib

    return int(hashlib.sha1(("fold" + letter_id).encode()).hexdigest(), 16) % folds


def train_folds(items, folds: int, nlp=None, seed: int = SEED, epochs: int = EPOCHS) -> list:
    """``folds`` classifiers, the k-th trained without the letters of fold k (for out-of-fold eval)."""
    examples = {item.id: sentence_examples([item], nlp) for item in items}
    return [
        train([e for item in items if fold_of(item.id, folds) != k for e in examples[item.id]], seed, epochs)
        for k in range(folds)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    from .evaluation import load_corpus
    from .section_signal import SIGNAL_NAME

    parser = argparse.ArgumentParser(prog="python -m lintletter.train_signal", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--output", type=Path, default=ROOT / "models" / SIGNAL_NAME)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args(argv)

    began = time.perf_counter()
    items = load_corpus(args.corpus, "train")
    examples = sentence_examples(items)
    nlp = train(examples, args.seed, args.epochs)
    args.output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.output)
    positives = {s: int(sum(c[s] for _, c in examples)) for s in SECTIONS}
    size = sum(p.stat().st_size for p in args.output.rglob("*") if p.is_file())
    print(f"{len(items)} train letters, {len(examples)} sentences; positives per section: {positives}")
    print(f"wrote {args.output} ({size / 1e6:.2f} MB) in {time.perf_counter() - began:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
