"""Measure judgement against the labelled corpus (``corpus/labels/*.yaml``, see corpus/README.md).

For each section: detection precision / recall / F1 (present or weak vs missing), the false-alarm rate
(gold missing, reported present or weak), evidence precision (share of cited sentences that overlap the
gold evidence) and evidence recall (share of gold evidence quotes that a cited sentence overlaps),
three-way accuracy and confusion (gold -> predicted); overall: the same figures pooled or averaged,
Spearman's rank correlation between score and the gold quality rating (replies to a rejection only),
how well letters that are not replies to a rejection are recognised, and every disagreement with its
sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .model import SECTIONS, Report
from .reading import read_file

#: The finding that says a letter does not read as a reply to a rejection.
NOT_A_REPLY_CODE = "LL316"

STATUSES = ("present", "weak", "missing")


@dataclass(frozen=True)
class Labelled:
    id: str
    path: Path
    split: str
    quality: int
    gold: dict[str, str]
    text: str
    #: section -> the gold evidence sentences (exact substrings of ``text``)
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: False for letters that are not replies to a rejection (a thank-you before the decision, ...)
    rejection_reply: bool = True

    def evidence_spans(self, section: str) -> list[tuple[int, int]]:
        """Character ranges of the gold evidence quotes (every occurrence of each quote)."""
        spans = []
        for quote in self.evidence.get(section, ()):
            start = self.text.find(quote)
            while start != -1:
                spans.append((start, start + len(quote)))
                start = self.text.find(quote, start + 1)
        return spans


@dataclass
class SectionStats:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    correct: int = 0
    total: int = 0
    #: gold missing (the denominator of the false-alarm rate)
    gold_missing: int = 0
    #: cited sentences, and those overlapping a gold evidence quote of this section
    cited: int = 0
    cited_right: int = 0
    #: gold evidence quotes, and those that some cited sentence overlaps
    quotes: int = 0
    quotes_found: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=lambda: {g: {p: 0 for p in STATUSES} for g in STATUSES})

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.fp / self.gold_missing if self.gold_missing else 0.0

    @property
    def evidence_precision(self) -> float:
        return self.cited_right / self.cited if self.cited else 1.0

    @property
    def evidence_recall(self) -> float:
        return self.quotes_found / self.quotes if self.quotes else 1.0


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def read_yaml(path: Path) -> Any:
    """A corpus YAML file (labels, gold spans), read like a rule file: a regular file of at most
    1 MB, its YAML bounded in expansion and depth; else a ConfigError naming it."""
    from .reading import MAX_SETTINGS_BYTES, Unreadable, read_bounded
    from .yamlload import load_yaml

    try:
        text = read_bounded(path, MAX_SETTINGS_BYTES).decode("utf-8")
    except Unreadable as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: cannot read: not UTF-8 text") from None
    data, problem = load_yaml(text, str(path))
    if problem is not None:
        raise ConfigError(str(problem))
    return data


def load_corpus(root: Path, split: str | None = None) -> list[Labelled]:
    labels = root / "labels"
    if not labels.is_dir():
        raise ConfigError(f"{root}: not a labelled corpus (no labels/ folder)")
    out = []
    for path in sorted(labels.glob("*.yaml")):
        data = read_yaml(path)
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: a label file is a mapping (split, quality, sections)")
        if split and data.get("split") != split:
            continue
        letters = [p for p in (root / "letters").glob(path.stem + ".*") if p.suffix in (".txt", ".md")]
        if len(letters) != 1:
            raise ConfigError(f"{path}: no letter file for this label")
        gold = {s: data["sections"][s]["status"] for s in SECTIONS}
        evidence = {s: tuple(data["sections"][s].get("evidence") or ()) for s in SECTIONS}
        text = read_file(letters[0], str(letters[0])).text  # as check reads it: a regular file, at most 20 MB
        out.append(Labelled(path.stem, letters[0], data.get("split", ""), int(data["quality"]), gold, text, evidence,
                            bool(data.get("rejection_reply", True))))
    if not out:  # measuring nothing would report a perfect macro-F1
        raise ConfigError(f"{root}: no labelled letters{f' in the {split} split' if split else ''}")
    return out


def spearman(xs: list[float], ys: list[float]) -> float:
    def ranks(values: list[float]) -> list[float]:
        order = sorted(range(len(values)), key=lambda i: values[i])
        r = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2 + 1
            i = j + 1
        return r

    if len(xs) < 2:
        return 0.0
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy) if vx and vy else 0.0


def evaluate(linter, items: list[Labelled]) -> dict[str, Any]:
    from .api import LetterInput

    reports: list[Report] = list(linter.lint_many(LetterInput(str(i.path), i.text) for i in items))
    stats = {s: SectionStats() for s in SECTIONS}
    disagreements = []
    for item, report in zip(items, reports):
        for s in SECTIONS:
            gold, pred = item.gold[s], report.sections[s].status.value
            st = stats[s]
            st.total += 1
            st.confusion[gold][pred] += 1
            st.correct += gold == pred
            g_on, p_on = gold != "missing", pred != "missing"
            st.tp += g_on and p_on
            st.fp += (not g_on) and p_on
            st.fn += g_on and not p_on
            st.gold_missing += not g_on
            gold_spans = item.evidence_spans(s)
            cited = [(e.start, e.end) for e in report.sections[s].evidence] if p_on else []
            st.cited += len(cited)
            st.cited_right += sum(any(_overlaps(c, g) for g in gold_spans) for c in cited)
            st.quotes += len(gold_spans) if g_on else 0
            st.quotes_found += sum(any(_overlaps(c, g) for c in cited) for g in gold_spans) if g_on else 0
            if gold != pred:
                ev = report.sections[s].evidence
                disagreements.append(
                    {"id": item.id, "section": s, "gold": gold, "predicted": pred,
                     "sentence": ev[0].text(report.text) if ev else None}
                )
    macro_f1 = sum(st.f1 for st in stats.values()) / len(SECTIONS)
    accuracy = sum(st.correct for st in stats.values()) / max(1, sum(st.total for st in stats.values()))
    replies = [(r, i) for r, i in zip(reports, items) if i.rejection_reply]
    rho = spearman([r.score.value for r, _ in replies], [i.quality for _, i in replies])
    pooled = SectionStats()
    for st in stats.values():
        for name in ("fp", "gold_missing", "cited", "cited_right", "quotes", "quotes_found"):
            setattr(pooled, name, getattr(pooled, name) + getattr(st, name))
    # Letters that are not replies to a rejection should be recognised as such (LL316).
    flagged = [any(f.code == NOT_A_REPLY_CODE for f in r.findings) for r in reports]
    not_reply = [not i.rejection_reply for i in items]
    tp = sum(f and g for f, g in zip(flagged, not_reply))
    return {
        "letters": len(items),
        "macro_f1": round(macro_f1, 4),
        "three_way_accuracy": round(accuracy, 4),
        "spearman_score_quality": round(rho, 4),
        "false_alarm_rate": round(pooled.false_alarm_rate, 4),
        "evidence_precision": round(pooled.evidence_precision, 4),
        "evidence_recall": round(pooled.evidence_recall, 4),
        "not_a_reply": {
            "letters": sum(not_reply),
            "flagged": sum(flagged),
            "precision": round(tp / sum(flagged), 4) if sum(flagged) else 1.0,
            "recall": round(tp / sum(not_reply), 4) if sum(not_reply) else 1.0,
        },
        "sections": {
            s: {"precision": round(st.precision, 4), "recall": round(st.recall, 4), "f1": round(st.f1, 4),
                "accuracy": round(st.accuracy, 4), "false_alarm_rate": round(st.false_alarm_rate, 4),
                "evidence_precision": round(st.evidence_precision, 4),
                "evidence_recall": round(st.evidence_recall, 4), "confusion": st.confusion}
            for s, st in stats.items()
        },
        "disagreements": disagreements,
    }


class _OutOfFold:
    """Lints each letter with a signal trained without that letter's fold (see :func:`cross_fit`)."""

    def __init__(self, items: list[Labelled], linters: list) -> None:
        from .train_signal import fold_of

        self._linter_of = {str(i.path): linters[fold_of(i.id, len(linters))] for i in items}

    def lint_many(self, items):
        for item in items:  # LetterInput, as Linter.lint_many takes
            yield next(self._linter_of[item.path].lint_many([item]))


def cross_fit(linter, items: list[Labelled], folds: int = 5) -> dict[str, Any]:
    """Evaluate ``items`` (the train split) honestly: the learned signal has seen every train
    sentence, so each letter is judged with a signal retrained without its fold. Slow (trains
    ``folds`` models); only the signal changes, the rules are ``linter``'s."""
    import copy
    import tempfile

    from . import section_signal
    from .train_signal import train_folds

    models = train_folds(items, folds, linter.nlp)
    linters = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, model in enumerate(models):
            path = Path(tmp) / f"fold{k}"
            model.to_disk(path)
            fold_linter = copy.copy(linter)  # same pipeline and rules, its own signal
            fold_linter.signal = section_signal.load(path, nlp=linter.nlp)
            linters.append(fold_linter)
    return evaluate(_OutOfFold(items, linters), items)


def render_text(result: dict[str, Any], show_disagreements: bool = True) -> str:
    lines = [f"{'section':<20}{'precision':>10}{'recall':>8}{'F1':>7}{'3-way':>7}{'false-al':>9}{'ev-prec':>8}"
             f"{'ev-rec':>7}   confusion (gold -> predicted p/w/m)"]
    for s, m in result["sections"].items():
        conf = "  ".join(f"{g[0]}:{'/'.join(str(m['confusion'][g][p]) for p in STATUSES)}" for g in STATUSES)
        lines.append(f"{s:<20}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>7.3f}{m['accuracy']:>7.3f}"
                     f"{m['false_alarm_rate']:>9.3f}{m['evidence_precision']:>8.3f}{m['evidence_recall']:>7.3f}   {conf}")
    lines.append("")
    lines.append(f"letters: {result['letters']}   detection macro-F1: {result['macro_f1']:.3f}   "
                 f"three-way accuracy: {result['three_way_accuracy']:.3f}   "
                 f"Spearman(score, quality): {result['spearman_score_quality']:.3f}")
    nr = result["not_a_reply"]
    lines.append(f"false-alarm rate: {result['false_alarm_rate']:.3f}   evidence precision: "
                 f"{result['evidence_precision']:.3f}   evidence recall: {result['evidence_recall']:.3f}   "
                 f"not a reply to a rejection: {nr['letters']} letters, flagged {nr['flagged']} "
                 f"(precision {nr['precision']:.3f}, recall {nr['recall']:.3f})")
    if show_disagreements and result["disagreements"]:
        lines.append("")
        lines.append("disagreements:")
        for d in result["disagreements"]:
            sentence = " ".join((d["sentence"] or "-").split())
            lines.append(f"  {d['id']}  {d['section']}: gold {d['gold']}, got {d['predicted']}  | {sentence[:110]}")
    return "\n".join(lines) + "\n"
