#!/usr/bin/env python3
"""What a command imports besides spaCy: medians over N runs of ``python -X importtime``.

    python bench/importtime.py 7 -m lintletter check --no-cache corpus/fixtures/bellweather.md

Prints the total of the top-level imports, spaCy's share (its own subtree: numpy, thinc, ...
are imported under it), the rest, and the largest imports outside spaCy (top level and one below).
The figures in bench/results/importtime-2026-12-01.txt were taken with it.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def tree(stderr: str) -> list[tuple[int, int, int, str]]:
    """(depth, self µs, cumulative µs, module) per line of -X importtime output."""
    rows = []
    for line in stderr.splitlines():
        m = _LINE.match(line)
        if m:
            rows.append(((len(m.group(3)) - 1) // 2, int(m.group(1)), int(m.group(2)), m.group(4)))
    return rows


def main(argv: list[str]) -> int:
    if len(argv) < 2 or not argv[0].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    runs, command = int(argv[0]), argv[1:]
    totals, spacy, per = [], [], {}
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-X", "importtime", *command], capture_output=True, text=True)
        rows = tree(done.stderr)
        top = [r for r in rows if r[0] == 0]
        totals.append(sum(r[2] for r in top) / 1000)
        spacy.append(sum(r[2] for r in top if r[3] == "spacy" or r[3].startswith("spacy.")) / 1000)
        for depth, _, cumulative, name in rows:
            if depth <= 1:
                per.setdefault((depth, name), []).append(cumulative / 1000)
    rest = [t - s for t, s in zip(totals, spacy)]
    print(f"all imports {statistics.median(totals):.0f} ms, spaCy's {statistics.median(spacy):.0f} ms, the rest {statistics.median(rest):.0f} ms")
    largest = sorted(
        ((statistics.median(v), k) for k, v in per.items() if not k[1].startswith(("spacy", "thinc", "numpy"))), reverse=True
    )[: int(os.environ.get("TOP", "18"))]
    for ms, (depth, name) in largest:
        print(f"  {'  ' * depth}{name:<36} {ms:6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
