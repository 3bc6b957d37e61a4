"""Measure judgement against the labelled corpus (``corpus/labels/*.yaml``, see corpus/README.md).

For each section: detection precision / recall / F1 (present or weak vs missing), three-way accuracy
and confusion (gold -> predicted); overall: macro-F1, three-way accuracy, and Spearman's rank
correlation between score and the gold quality rating; plus every disagreement with its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .model import SECTIONS, Report

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


@dataclass
class SectionStats:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    correct: int = 0
    total: int = 0
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


def load_corpus(root: Path, split: str | None = None) -> list[Labelled]:
    labels = root / "labels"
    if not labels.is_dir():
        raise ConfigError(f"{root}: not a labelled corpus (no labels/ folder)")
    out = []
    for path in sorted(labels.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if split and data.get("split") != split:
            continue
        letters = [p for p in (root / "letters").glob(path.stem + ".*") if p.suffix in (".txt", ".md")]
        if len(letters) != 1:
            raise ConfigError(f"{path}: no letter file for this label")
        gold = {s: data["sections"][s]["status"] for s in SECTIONS}
        evidence = {s: tuple(data["sections"][s].get("evidence") or ()) for s in SECTIONS}
        text = letters[0].read_text(encoding="utf-8")
        out.append(Labelled(path.stem, letters[0], data.get("split", ""), int(data["quality"]), gold, text, evidence))
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
    reports: list[Report] = list(linter.lint_many((str(i.path), i.text) for i in items))
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
            if gold != pred:
                ev = report.sections[s].evidence
                disagreements.append(
                    {"id": item.id, "section": s, "gold": gold, "predicted": pred,
                     "sentence": ev[0].text(report.text) if ev else None}
                )
    macro_f1 = sum(st.f1 for st in stats.values()) / len(SECTIONS)
    accuracy = sum(st.correct for st in stats.values()) / max(1, sum(st.total for st in stats.values()))
    rho = spearman([r.score.value for r in reports], [i.quality for i in items])
    return {
        "letters": len(items),
        "macro_f1": round(macro_f1, 4),
        "three_way_accuracy": round(accuracy, 4),
        "spearman_score_quality": round(rho, 4),
        "sections": {
            s: {"precision": round(st.precision, 4), "recall": round(st.recall, 4), "f1": round(st.f1, 4),
                "accuracy": round(st.accuracy, 4), "confusion": st.confusion}
            for s, st in stats.items()
        },
        "disagreements": disagreements,
    }


def render_text(result: dict[str, Any], show_disagreements: bool = True) -> str:
    lines = [f"{'section':<20}{'precision':>10}{'recall':>8}{'F1':>7}{'3-way':>7}   confusion (gold -> predicted p/w/m)"]
    for s, m in result["sections"].items():
        conf = "  ".join(f"{g[0]}:{'/'.join(str(m['confusion'][g][p]) for p in STATUSES)}" for g in STATUSES)
        lines.append(f"{s:<20}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>7.3f}{m['accuracy']:>7.3f}   {conf}")
    lines.append("")
    lines.append(f"letters: {result['letters']}   detection macro-F1: {result['macro_f1']:.3f}   "
                 f"three-way accuracy: {result['three_way_accuracy']:.3f}   "
                 f"Spearman(score, quality): {result['spearman_score_quality']:.3f}")
    if show_disagreements and result["disagreements"]:
        lines.append("")
        lines.append("disagreements:")
        for d in result["disagreements"]:
            sentence = " ".join((d["sentence"] or "-").split())
            lines.append(f"  {d['id']}  {d['section']}: gold {d['gold']}, got {d['predicted']}  | {sentence[:110]}")
    return "\n".join(lines) + "\n"
