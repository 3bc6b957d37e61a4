"""The learned section signal (``$signal``): offline, deterministic, reproducible, explained by its rule.

See lintletter/section_signal.py (loading, scoring) and lintletter/train_signal.py (the training command).
"""

from __future__ import annotations

import dataclasses
import hashlib
import socket

import pytest

from lintletter import section_signal
from lintletter.errors import PipelineError, RuleError
from lintletter.model import Status

from .conftest import ROOT, write_rule

#: A paraphrase of an advice ask that no advice cue matches: only the classifier reads it as advice.
PARAPHRASE = "Any pointers for someone hoping to get into this field would be welcome."
LETTER = f"Dear Ms Lee,\n\nThank you for your time last week.\n\n{PARAPHRASE}\n\nBest,\nSam\n"


def _digest(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _without_signal(ruleset):
    """The same rule set with every ``$signal`` / ``$signal_sure`` condition (and ``signal_threshold``) taken out."""
    rules = []
    for rule in ruleset.rules:
        options = rule.options
        if hasattr(options, "signal_threshold"):  # a section rule
            plain = [tuple(c for c in getattr(options, k) if not section_signal.SIGNAL_CUES & set(c)) for k in ("present", "weak")]
            options = dataclasses.replace(options, present=plain[0], weak=plain[1], signal_threshold=section_signal.DEFAULT_THRESHOLD)
        rules.append(dataclasses.replace(rule, options=options))
    return dataclasses.replace(ruleset, rules=tuple(rules))


@pytest.fixture(scope="module")
def model():
    return section_signal.load()


def test_model_is_bundled_small_and_loads_offline(monkeypatch):
    path = section_signal.model_path()
    assert path == ROOT / "models" / section_signal.SIGNAL_NAME or path.parent.parent.name == "_data"
    size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    assert size < 3_000_000, f"the signal model grew to {size} bytes"

    def no_network(*args, **kwargs):
        raise AssertionError("the signal model must load without the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    loaded = section_signal.load()
    assert loaded.labels == (
        "acknowledgement", "continued_interest", "feedback_request", "advice", "referrals", "competitors",
    )


def test_predictions_are_deterministic_and_sensible(model):
    texts = [PARAPHRASE, "Is there anyone in your network I should talk to?", "Thank you for your time."]
    first = model.score(texts)
    assert model.score(texts) == first
    assert section_signal.load().score(texts) == first  # a fresh load gives the same numbers
    # whitespace and case do not change what the classifier reads
    assert model.score(["  any POINTERS for someone hoping\nto get into this field would be welcome. "]) == first[:1]
    assert first[0]["advice"] >= 0.6 and max(first[0].values()) == first[0]["advice"]
    assert first[1]["referrals"] >= 0.9
    assert max(first[2].values()) < 0.6


def test_training_is_reproducible(tmp_path):
    """Retraining gives the shipped model: every file byte for byte but the weights, and the weights
    to float rounding (the BLAS that numpy ships sums in its own order, so another numpy release can
    move a weight in its seventh digit; a change in data, seed or settings moves them by far more)."""
    import numpy
    import srsly

    from lintletter.train_signal import main

    assert main(["--output", str(tmp_path / "signal")]) == 0
    new, shipped = _digest(tmp_path / "signal"), _digest(section_signal.model_path())
    weights = "textcat_multilabel/model"
    assert {k: v for k, v in new.items() if k != weights} == {k: v for k, v in shipped.items() if k != weights}
    a, b = (srsly.msgpack_loads((folder / weights).read_bytes()) for folder in (tmp_path / "signal", section_signal.model_path()))
    assert {k: v for k, v in a.items() if k != "params"} == {k: v for k, v in b.items() if k != "params"}
    assert len(a["params"]) == len(b["params"])
    for mine, theirs in zip(a["params"], b["params"]):
        assert mine.keys() == theirs.keys()
        for name in mine:
            assert numpy.shape(mine[name]) == numpy.shape(theirs[name]), name  # allclose would broadcast
            assert numpy.allclose(mine[name], theirs[name], rtol=0, atol=1e-4), name


def test_builtin_rules_consult_signal_and_it_names_rule_and_sentence(linter):
    assert linter.signal is not None
    assert all(
        section_signal.SIGNAL_CUE in {c for conj in r.options.weak for c in conj}
        for r in linter.ruleset.rules if r.kind == "section"
    )
    report = linter.lint_text(LETTER)
    advice = report.sections["advice"]
    # the signal never gives full credit: a paraphrase the cues miss counts as weak, not present
    assert advice.status is Status.WEAK
    assert advice.rule == "LL104"
    assert [span.text(report.text) for span in advice.evidence] == [PARAPHRASE]
    (found,) = [f for f in report.findings if f.section == "advice"]
    assert (found.code, found.name) == ("LL104", "advice")
    assert found.span.text(report.text) == PARAPHRASE


def test_a_weak_finding_from_the_signal_names_rule_and_sentence(tmp_path, linter):
    from lintletter import Linter, load_ruleset

    write_rule(tmp_path / "sections", "LL104-advice.yml", """\
replace: true
code: LL104
name: advice
kind: section
section: advice
severity: {weak: info, missing: warning}
message: {weak: "Advice is only hinted at.", missing: "No advice asked for."}
description: Only the learned signal.
rationale: Test.
suggestion: Ask for advice.
cues:
  never: ["zzzqqq"]
present: [[never]]
weak: [[$signal]]
signal_threshold: 0.6
examples:
  weak: ["Any thoughts on the search in general would be welcome too."]
  missing: ["Thank you."]
""")
    custom = Linter(load_ruleset([tmp_path]), nlp=linter.nlp)
    report = custom.lint_text(LETTER)
    assert report.sections["advice"].status is Status.WEAK
    (found,) = [f for f in report.findings if f.code == "LL104"]
    assert found.name == "advice" and found.section == "advice"
    assert found.span.text(report.text) == PARAPHRASE


def test_threshold_is_the_rules_own(tmp_path, linter):
    from lintletter import Linter, load_ruleset

    rule = (ROOT / "rules" / "sections" / "LL104-advice.yml").read_text(encoding="utf-8")
    assert "signal_threshold: 0.6" in rule
    write_rule(tmp_path / "sections", "LL104-advice.yml", "replace: true\n" + rule.replace("signal_threshold: 0.6", "signal_threshold: 0.99"))
    strict = Linter(load_ruleset([tmp_path]), nlp=linter.nlp)
    assert strict.lint_text(LETTER).sections["advice"].status is Status.MISSING


def test_a_ruleset_without_signal_never_loads_the_model(monkeypatch, linter):
    from lintletter import Linter

    def refuse(path=None):
        raise AssertionError("the signal model was loaded for a rule set that does not use it")

    monkeypatch.setattr(section_signal, "load", refuse)
    plain = Linter(_without_signal(linter.ruleset), nlp=linter.nlp)
    assert plain.signal is None
    assert not section_signal.uses_signal(plain.ruleset)
    report = plain.lint_text(LETTER)
    assert report.sections["advice"].status is Status.MISSING


@pytest.mark.parametrize("cue", ["$signal", "$signal_sure"])
def test_signal_is_only_for_section_rules(tmp_path, cue):
    from lintletter import load_ruleset

    write_rule(tmp_path / "tone", "LL399-signal-phrase.yml", f"""\
code: LL399
name: signal-phrase
kind: phrase
severity: info
message: "x"
description: x
rationale: x
suggestion: x
section: advice
match: [[{cue}]]
examples:
  trigger: ["a"]
  pass: ["b"]
""")
    with pytest.raises(RuleError, match="only section rules"):
        load_ruleset([tmp_path])


@pytest.mark.parametrize("cue", ["$signal", "$signal_sure"])
def test_signal_is_not_allowed_in_shared_groups(tmp_path, cue):
    from lintletter import load_ruleset

    write_rule(tmp_path, "lexicon.yml", f"groups:\n  learned:\n    any: [{cue}]\n")
    with pytest.raises(RuleError, match="shared group"):
        load_ruleset([tmp_path])


@pytest.mark.parametrize("value", ["1.5", "-0.1", "true"])
def test_signal_threshold_must_be_a_probability(tmp_path, value):
    from lintletter import load_ruleset

    rule = (ROOT / "rules" / "sections" / "LL104-advice.yml").read_text(encoding="utf-8")
    write_rule(tmp_path / "sections", "LL104-advice.yml", rule.replace("signal_threshold: 0.6", f"signal_threshold: {value}"))
    with pytest.raises(RuleError, match="signal_threshold"):
        load_ruleset([tmp_path])


def test_a_missing_model_is_a_clear_error(tmp_path):
    with pytest.raises(PipelineError, match="train_signal"):
        section_signal.load(tmp_path / "nowhere")


def _corpus_sentences():
    """Every corpus paragraph cut at sentence ends, as the signal reads a sentence, and a few made
    to leave the fast path (a span split apart here, look-alike letters, spaCy's special cases)."""
    from lintletter import tokens

    out = []
    for folder in ("letters", "embedded", "fixtures", "acceptance"):
        for path in sorted((ROOT / "corpus" / folder).rglob("*")):
            if path.is_file() and path.suffix in (".txt", ".md"):
                for para in path.read_text(encoding="utf-8", errors="replace").split("\n\n"):
                    for line in para.replace("? ", "?\n").replace(". ", ".\n").replace("! ", "!\n").split("\n"):
                        if line.strip():
                            out.append(section_signal.normalise(tokens.normalise(line)[0]))
    out += [section_signal.normalise(s) for s in (
        "İSTANBUL ＳＯＲＲＹ I was shоcked", "word" + ")" * 40, "a\u200bb c", "x" * 300, "don't can't u.s. dr. smith",
        "end.Start", "write to a@b.com :) :-)", "see https://example.com/a/b?c=d))))))))))",
    )]  # fmt: skip
    return list(dict.fromkeys(out))


def test_the_tokenizers_own_doc_scores_exactly_as_a_doc_of_its_words(model):
    """The signal scores the tokenizer's Doc where it has tokenize()'s tokens, instead of building a
    second Doc from those words: the same token texts and the very same probabilities (unrounded)."""
    from lintletter.tokens import spacy_doc

    texts = _corpus_sentences()
    assert len(texts) > 5000
    fast = [spacy_doc(model._tokenizer, t) is not None for t in texts]
    assert sum(fast) > 0.9 * len(texts) and not all(fast)  # both ways are exercised
    for text in texts:
        assert [t.text for t in model._doc(text)] == [t.text for t in model._words_doc(text)], text
    new = [doc.cats for doc in model._textcat.pipe((model._doc(t) for t in texts), batch_size=256)]
    old = [doc.cats for doc in model._textcat.pipe((model._words_doc(t) for t in texts), batch_size=256)]
    assert new == old


def test_sentences_tokenized_together_score_as_each_alone(model):
    """score() tokenizes a letter's sentences in one call (joined by newlines) and hands the model
    their token ids: the very same probabilities as a Doc per sentence, including for groups that
    must take the Doc per sentence (a span tokenize() splits itself)."""
    texts = _corpus_sentences()
    groups = [texts[at : at + 40] for at in range(0, len(texts), 40)] + [texts[:300]]
    fast = [model._token_ids([section_signal.normalise(t) for t in g]) is not None for g in groups]
    assert sum(fast) > 0.5 * len(groups) and not all(fast)  # both ways are exercised
    for group in groups:
        docs = model._textcat.pipe((model._doc(section_signal.normalise(t)) for t in group), batch_size=256)
        alone = [{label: round(float(doc.cats[label]), 6) for label in model.labels} for doc in docs]
        assert model.score(group) == alone
