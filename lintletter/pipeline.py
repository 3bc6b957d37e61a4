"""The spaCy pipeline lintletter runs: build it reproducibly into ``models/``, load it offline.

The pipeline is deliberately small: spaCy's English tokenizer, a lookup lemmatizer whose table is
baked in at build time from ``spacy-lookups-data`` (plus ``models/lemma_overrides.json``), and a
rule-based sentencizer. It needs no statistical model, so nothing is ever downloaded.

Rebuild (after changing the overrides or upgrading spaCy)::

    python -m lintletter.pipeline build            # writes models/en_lintletter

Lookup tables are case-sensitive ("Thank" is not in the table), so our lemmatizer looks the
lower-cased form up first: every lemma is lower case, which is what the rule patterns expect.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .errors import PipelineError

PIPELINE_NAME = "en_lintletter"
LEMMATIZER_FACTORY = "lintletter_lemmatizer"


def models_dir(name: str = PIPELINE_NAME) -> Path:
    """The ``models/`` folder holding ``name``: inside the installed package, or beside a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data" / "models", here.parent / "models"):
        if (candidate / name).is_dir():
            return candidate
    return here.parent / "models"


def _register_components() -> None:
    """Register our lemmatizer factory with spaCy (idempotent: a registry entry, not state we mutate)."""
    from spacy.language import Language

    if Language.has_factory(LEMMATIZER_FACTORY):
        return

    @Language.factory(LEMMATIZER_FACTORY, assigns=["token.lemma"])
    def make_lemmatizer(nlp: Language, name: str):
        return LowercaseLookupLemmatizer(name)


class LowercaseLookupLemmatizer:
    """Sets every token's lemma from a lower-case lookup table, so sentence-initial words lemmatize too.

    A plain dict saved as msgpack rather than spaCy's Lemmatizer and Lookups: it does the same
    lookups and loads several times faster, which is most of a one-letter run's start-up.
    """

    FILE = "lemma_lookup.msgpack"

    def __init__(self, name: str, table: dict[str, str] | None = None) -> None:
        self.name = name
        self.table: dict[str, str] = dict(table or {})

    def __call__(self, doc):
        table = self.table
        for token in doc:
            lower = token.lower_
            token.lemma_ = table.get(lower, lower)
        return doc

    def to_disk(self, path, exclude=()) -> None:
        import srsly

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_msgpack(path / self.FILE, dict(sorted(self.table.items())))

    def from_disk(self, path, exclude=()) -> "LowercaseLookupLemmatizer":
        import srsly

        table = srsly.read_msgpack(Path(path) / self.FILE)  # a dict already: no copy of ~100,000 entries
        self.table = table if isinstance(table, dict) else dict(table)
        return self


def build(output: Path) -> Path:
    """Build the pipeline from files in the repo into ``output`` and return it."""
    import spacy
    import spacy_lookups_data
    import srsly

    _register_components()
    overrides_path = Path(__file__).resolve().parent.parent / "models" / "lemma_overrides.json"
    overrides: dict[str, str] = json.loads(overrides_path.read_text(encoding="utf-8"))
    base: dict[str, str] = srsly.read_gzip_json(Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz")
    table = {k.lower(): v.lower() for k, v in sorted(base.items()) if k == k.lower() or k.lower() not in base}
    table.update({k.lower(): v.lower() for k, v in overrides.items()})
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe(LEMMATIZER_FACTORY)
    lemmatizer.table = dict(sorted(table.items()))
    # Ellipses and doubled marks end sentences too ("...", "?!"): people write letters that way.
    from spacy.pipeline.sentencizer import Sentencizer

    extra = ["...", "....", "…", "?!", "!?", "??", "!!", "???", "!!!"]
    nlp.add_pipe("sentencizer", config={"punct_chars": list(Sentencizer.default_punct_chars) + extra})
    nlp.meta["name"] = PIPELINE_NAME.removeprefix("en_")
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "lintletter: tokenizer, lower-case lookup lemmas, sentencizer (no statistical model)"
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    # spaCy writes the sentencizer's punctuation set in hash order, which changes from run to run;
    # sort it so that two builds are byte-identical (the set it is read back into is the same).
    sentencizer_file = output / "sentencizer.json"
    data = srsly.read_json(sentencizer_file)
    data["punct_chars"] = sorted(data["punct_chars"])
    srsly.write_json(sentencizer_file, data)
    return output


def load(path: Path | None = None):
    """Load the bundled pipeline from disk (offline). Raises PipelineError if it is missing."""
    import spacy

    _register_components()
    target = path or models_dir() / PIPELINE_NAME
    if not (target / "config.cfg").is_file():
        raise PipelineError(
            f"the spaCy pipeline is missing at {target}; rebuild it with 'python -m lintletter.pipeline build'"
        )
    import gc

    collecting = gc.isenabled()
    try:
        # The saved tokenizer is spaCy's default English one (build() never changes it; a test
        # checks), so skip reading it back: that halves the load time of a one-letter run.
        nlp = spacy.load(target, exclude=["tokenizer"])
    except Exception as exc:  # spaCy raises many types for a damaged pipeline
        raise PipelineError(f"the spaCy pipeline at {target} could not be loaded: {exc}") from exc
    finally:
        if not collecting:  # srsly's read_msgpack ends with gc.enable(), whatever the caller had
            gc.disable()
    # spaCy refuses texts over 1M characters to protect its parser's memory; this pipeline has no
    # parser and a paragraph is tokenized in linear time, so allow anything reading.py accepts.
    nlp.max_length = 25_000_000
    return nlp


def main(argv: list[str]) -> int:
    if argv[:1] != ["build"]:
        print("usage: python -m lintletter.pipeline build [OUTPUT_DIR]", file=sys.stderr)
        return 2
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "models" / PIPELINE_NAME
    print(f"built {build(out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
