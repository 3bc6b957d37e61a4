"""Seeded fuzz run: generated hostile letters through the linter and every output format.

    python -m tests.fuzz --count 10000 --seed 1      # the documented full run (README)

CI runs a small slice of it through tests/test_fuzz.py. Inputs are corpus letters mutated in the
ways real drafts go wrong (sentences dropped, duplicated, shuffled, case flipped, whitespace and
punctuation noise, pasted markup, suppression comments, front matter, control characters, random
Unicode), plus wholly random text. For each input it checks the invariants that must always hold:
no exception, a whole-number score in 0..100, every position inside the text and quoting it
exactly, byte-identical JSON when linted twice, and every output format rendering.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = [
    "<!-- lintletter: disable=LL201 -- why -->", "<!-- lintletter: enable -->", "<!-- lintletter: disable-next-line",
    "<!-- lintletter: disable-file=LL1,bitterness -->", "<!--", "-->", "---\ncompany: [x\n---\n", "---\n",
    "> ", ">> quoted", "On Mon, 3 Mar 2025, Dana <d@x.com> wrote:", "-----Original Message-----", "-- \n",
    "P.S. ", "Subject: ", "Dear ", "Best,\n", "**", "__", "`", "```", "[link](", "](http://x)", "# ", "- ", "1. ",
    "\r\n", "\r", "\t", "\u00a0", "\u200b", "\ufeff", "\ufffd", "\x0b", "\x0c", "\x1b[31m", "\u202e", "é", "😀",
    "?!", "...", "…", "—", "[Company]", "XXX", "TODO", "<script>alert(1)</script>", "%s%n", "\\", "'", "\"",
    ")" * 300, "'s" * 100, "😀" * 200, "rig\u200bged", "shоcked", "ｓｏｒｒｙ", "\u0336", "\x9b31m", "i " * 300,
]  # fmt: skip


def load_letters() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "letters").iterdir())]


def mutate(text: str, rng: random.Random) -> str:
    """One to four mutations of the kinds drafts really suffer."""
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(9)
        sentences = text.replace("\n", "\n\x00").split("\x00") if "\n" in text else text.split(". ")
        if kind == 0 and len(sentences) > 1:  # drop a sentence/line
            del sentences[rng.randrange(len(sentences))]
            text = "".join(sentences)
        elif kind == 1 and sentences:  # duplicate one
            i = rng.randrange(len(sentences))
            sentences.insert(i, sentences[i])
            text = "".join(sentences)
        elif kind == 2:  # shuffle lines
            rng.shuffle(sentences)
            text = "".join(sentences)
        elif kind == 3:  # case
            text = rng.choice([text.upper(), text.lower(), text.swapcase()])
        elif kind == 4:  # whitespace noise
            chars = list(text)
            for _ in range(rng.randint(1, 20)):
                chars.insert(rng.randint(0, len(chars)), rng.choice([" ", "  ", "\n", "\n\n", "\t", "\r\n", "\r"]))
            text = "".join(chars)
        elif kind == 5:  # punctuation noise
            chars = list(text)
            for _ in range(rng.randint(1, 20)):
                chars.insert(rng.randint(0, len(chars)), rng.choice(list(".,;:!?-—()[]{}*_#>\"'")))
            text = "".join(chars)
        elif kind == 6:  # pasted snippets
            for _ in range(rng.randint(1, 6)):
                at = rng.randint(0, len(text))
                text = text[:at] + rng.choice(SNIPPETS) + text[at:]
        elif kind == 7:  # cut somewhere
            text = text[: rng.randint(0, len(text))]
        else:  # random characters
            at = rng.randint(0, len(text))
            text = text[:at] + random_unicode(rng, rng.randint(1, 40)) + text[at:]
    return text


def random_unicode(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        block = rng.choice([(0x20, 0x7E), (0x00, 0x1F), (0xA0, 0x24F), (0x370, 0x3FF), (0x590, 0x6FF), (0x4E00, 0x4FFF), (0x1F300, 0x1F64F), (0x2000, 0x206F)])
        out.append(chr(rng.randint(*block)))
    return "".join(out)


def generate(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    letters = load_letters()
    out = []
    for i in range(count):
        if i % 10 == 9:
            out.append(random_unicode(rng, rng.randint(0, 400)))
        else:
            out.append(mutate(rng.choice(letters), rng))
    return out


def check_report(report, text: str) -> None:
    assert isinstance(report.score.value, int) and 0 <= report.score.value <= 100, report.score
    spans = [f.span for f in report.findings if f.span] + [s for r in report.sections.values() for s in r.evidence]
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text), (span, len(text))
    assert report.text == text
    # the built-in rules never need more matching work than the budget allows
    assert not any("too costly" in f.message for f in report.findings), "matching budget ran out"


def run(count: int, seed: int, formats_every: int = 25, out=sys.stdout) -> dict:
    from lintletter import Linter
    from lintletter.formatters import FORMATS, Run, render
    from lintletter.formatters.json import report_to_dict

    linter = Linter()
    inputs = generate(count, seed)
    started = time.perf_counter()
    failures: list[str] = []
    reports = lint_all(linter, inputs, failures)
    for i, (text, report) in enumerate(zip(inputs, reports)):
        if report is None:
            continue
        try:
            check_report(report, text)
            as_json = report_to_dict(report)
            for item in as_json["diagnostics"]:  # positions quote the text they point at
                if item["line"] is not None:
                    assert item["text"] is not None
            if i % formats_every == 0:
                again = report_to_dict(linter.lint_text(text, f"fuzz/{i}.md"))
                assert json.dumps(again, sort_keys=True) == json.dumps(as_json, sort_keys=True), "not deterministic"
                for name in FORMATS:
                    render(name, Run((report,), rules=tuple(linter.ruleset.rules)))
        except Exception as exc:  # collect, do not stop: the summary lists every failing seed index
            failures.append(f"input {i}: {exc.__class__.__name__}: {exc}")
    elapsed = time.perf_counter() - started
    summary = {"count": count, "seed": seed, "seconds": round(elapsed, 1), "failures": failures}
    print(f"fuzz: {count} inputs, seed {seed}, {elapsed:.1f} s, {len(failures)} failure(s)", file=out)
    for line in failures[:20]:
        print("  " + line, file=out)
    return summary


def lint_all(linter, inputs: list[str], failures: list[str], chunk: int = 200) -> list:
    """Batched like the CLI; a chunk that raises is re-linted one by one to name the input."""
    from lintletter import LetterInput

    reports: list = []
    for first in range(0, len(inputs), chunk):
        texts = inputs[first : first + chunk]
        try:
            reports.extend(linter.lint_many(LetterInput(f"fuzz/{first + k}.md", t) for k, t in enumerate(texts)))
        except Exception:
            for k, text in enumerate(texts):
                try:
                    reports.append(linter.lint_text(text, f"fuzz/{first + k}.md"))
                except Exception as exc:
                    failures.append(f"input {first + k}: {exc.__class__.__name__}: {exc}")
                    reports.append(None)
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    return 1 if run(args.count, args.seed)["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
