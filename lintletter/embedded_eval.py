"""How well ``lintletter.embedded`` finds letters in documents, against gold spans.

A folder of documents with a ``spans.yaml`` (``corpus/embedded/``) lists, per file, the gold
letters as ``lines: [first, last]`` (1-based, the letter's own first and last non-blank line) and a
``layout``. A found letter counts only when its first *and* last line are exactly a gold letter's
(exact-line precision and recall): a span that starts at the salutation but runs into the author's
bio is wrong, as the report for it would be.

``lintletter eval corpus/embedded`` prints the figures for ``marked`` and ``auto``; under
``marked`` the gold is the marked letters only (layout ``fenced`` or ``marker``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .embedded import find_letters
from .errors import ConfigError
from .reading import read_file

GOLD_FILE = "spans.yaml"
MARKED_LAYOUTS = ("fenced", "marker")


def has_gold(folder: Path) -> bool:
    return (Path(folder) / GOLD_FILE).is_file()


def load_gold(folder: Path) -> dict[str, list[dict[str, Any]]]:
    from .evaluation import read_yaml

    path = Path(folder) / GOLD_FILE
    data = read_yaml(path) or {}  # a regular file of at most 1 MB, its YAML bounded
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must map file names to lists of letters")
    gold: dict[str, list[dict[str, Any]]] = {}
    for name, letters in data.items():
        letters = letters or []
        if not isinstance(letters, list) or not all(
            isinstance(l, dict) and isinstance(l.get("lines"), list) and len(l["lines"]) == 2 for l in letters
        ):
            raise ConfigError(f"{path}: {name}: each letter needs lines: [first, last] and a layout")
        if not (Path(folder) / str(name)).is_file():
            raise ConfigError(f"{path}: {name}: no such file in {folder}")
        gold[str(name)] = [{"lines": tuple(l["lines"]), "layout": str(l.get("layout", "prose"))} for l in letters]
    return gold


def evaluate_spans(folder: Path, modes: tuple[str, ...] = ("marked", "auto")) -> dict[str, Any]:
    """Per mode: found / gold / exact matches, precision and recall, per layout recall, and each
    file's misses and false letters."""
    folder = Path(folder)
    gold = load_gold(folder)
    texts = {name: read_file(folder / name, str(folder / name)).text for name in gold}
    result: dict[str, Any] = {"documents": len(gold), "modes": {}}
    for mode in modes:
        found_total = gold_total = hits = 0
        by_layout: dict[str, list[int]] = {}
        files = []
        for name, letters in sorted(gold.items()):
            wanted = [l for l in letters if mode == "auto" or l["layout"] in MARKED_LAYOUTS]
            document = find_letters(texts[name], mode, name)
            if document.whole:  # read as one letter: the file's own first and last lines
                lines = [i + 1 for i, line in enumerate(texts[name].splitlines()) if line.strip()]
                found = [(lines[0], lines[-1])] if lines else []
            else:
                found = [(l.start_line, l.end_line) for l in document.letters]
            gold_spans = [l["lines"] for l in wanted]
            matched = [s for s in found if s in gold_spans]
            for l in wanted:
                counts = by_layout.setdefault(l["layout"], [0, 0])
                counts[1] += 1
                counts[0] += l["lines"] in found
            found_total += len(found)
            gold_total += len(gold_spans)
            hits += len(matched)
            files.append({
                "file": name,
                "gold": [list(s) for s in gold_spans],
                "found": [list(s) for s in found],
                "missed": [list(s) for s in gold_spans if s not in found],
                "false": [list(s) for s in found if s not in gold_spans],
            })  # fmt: skip
        result["modes"][mode] = {
            "found": found_total,
            "gold": gold_total,
            "exact": hits,
            "precision": round(hits / found_total, 3) if found_total else 1.0,
            "recall": round(hits / gold_total, 3) if gold_total else 1.0,
            "recall_by_layout": {k: {"found": v[0], "gold": v[1]} for k, v in sorted(by_layout.items())},
            "files": files,
        }
    return result


def render_text(result: dict[str, Any], details: bool = True) -> str:
    out = [f"Letter spans in {result['documents']} documents (exact first and last line):"]
    for mode, m in result["modes"].items():
        layouts = ", ".join(f"{k} {v['found']}/{v['gold']}" for k, v in m["recall_by_layout"].items())
        out.append(
            f"  {mode:<7} precision {m['precision']:.3f} ({m['exact']}/{m['found']})  "
            f"recall {m['recall']:.3f} ({m['exact']}/{m['gold']})  by layout: {layouts or '-'}"
        )
        if details:
            for f in m["files"]:
                if f["missed"] or f["false"]:
                    out.append(f"    {f['file']}: missed {f['missed']}, false {f['false']}")
    return "\n".join(out) + "\n"
