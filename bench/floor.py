#!/usr/bin/env python3
"""How close can a batch get? Time the spaCy work every lint needs, beside lintletter and proselint.

    python bench/floor.py [--letters N] [--repeat N] [--json OUT.json] [--label TEXT]
                          [--lintletter CMD] [--proselint CMD] [--workdir DIR]

Issue 17 asks for 1,000 letters in at most half proselint's time. Whether that is reachable on one
core depends on what spaCy alone costs for those letters, so each of these runs as its own child
process on the same bench letters, interleaved (A B C ... A B C), timed like bench/run.py does:

* ``import spacy``: the import alone;
* ``pipeline``: the import, loading lintletter's pipeline, and ``nlp.pipe`` over every letter's
  whole text (tokenizer, lemmatizer, sentencizer): no anatomy, no rules;
* ``pipeline + signal``: the same, plus the section signal (the textcat) on every sentence;
* ``lintletter --jobs 1``: ``check --format json --no-cache --jobs 1``, all of it on one core;
* ``proselint``: ``proselint check`` on the same folder (the baseline).

Each row's ratios are to proselint's median wall and CPU time: the pipeline rows are the floor a
one-core batch cannot go under (without giving up spaCy). Exit code 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shlex
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run  # noqa: E402  (bench/run.py: the timing helpers and the inputs)

TARGET = run.TARGETS["batch"]
STAGES = ("pipeline", "signal")


# --- the stages, each run as a child process: python bench/floor.py --stage NAME FOLDER -------


def stage(name: str, folder: Path) -> int:
    """Do the spaCy part of linting every letter in ``folder``, and print how many sentences."""
    from lintletter import pipeline, section_signal

    nlp = pipeline.load()
    signal = section_signal.load(nlp=nlp) if name == "signal" else None
    texts = (path.read_text(encoding="utf-8") for path in sorted(folder.iterdir()) if path.is_file())
    sentences = 0
    for doc in nlp.pipe(texts, batch_size=256):
        sents = [sent.text for sent in doc.sents]
        sentences += len(sents)
        if signal is not None:
            signal.score(sents)
    print(sentences)
    return 0


# --- the comparison ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time spaCy's share of a batch beside lintletter and proselint.")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)  # a child process's work
    parser.add_argument("folder", nargs="?", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--letters", type=int, default=1_000, help="letters in the batch (default 1,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (default 3)")
    parser.add_argument("--json", type=Path, help="also write every figure and raw time to this JSON file")
    parser.add_argument("--label", default="", help="what is being measured; shown under the table")
    parser.add_argument("--lintletter", help="command that runs lintletter (default: the console script beside this Python)")
    parser.add_argument("--proselint", help="command that runs proselint (default: the console script beside this Python)")
    parser.add_argument("--corpus", type=Path, default=run.DEFAULT_CORPUS, help="folder of letters the inputs are made from")
    parser.add_argument("--workdir", type=Path, help="build the inputs here and keep them (default: a temporary folder)")
    return parser.parse_args(argv)


def render(samples: list[run.Sample], baseline: run.Sample) -> str:
    header = ("stage", "wall", "cpu", "wall vs proselint", "cpu vs proselint")
    cells = [header]
    for s in samples:
        cells.append((
            s.name, run.fmt_time(s.median), run.fmt_time(s.median_cpu),
            run.fmt_ratio(run.divide(s.median, baseline.median)), run.fmt_ratio(run.divide(s.median_cpu, baseline.median_cpu)),
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.stage:
        return stage(args.stage, args.folder)
    started, load_before = time.perf_counter(), os.getloadavg()
    py, me = sys.executable, str(Path(__file__).resolve())
    lintletter = shlex.split(args.lintletter) if args.lintletter else run.console_script("lintletter", "lintletter.cli")
    proselint_base = shlex.split(args.proselint) if args.proselint else run.console_script("proselint", "proselint")
    with tempfile.TemporaryDirectory(prefix="lintletter-floor-") as tmp:
        env = run.child_env(Path(tmp))
        proselint = run.proselint_check_argv(proselint_base, env)
        if proselint is None:
            raise SystemExit("bench/floor.py: proselint is not installed: pip install -r bench/requirements.txt")
        workdir = run.prepare_workdir(args.workdir) if args.workdir else Path(tmp)
        folder = run.write_batch(workdir / f"letters-{args.letters}", run.corpus_letters(args.corpus), args.letters)
        no_cache = ["--no-cache"] if run.supports_cache(lintletter, env) else []
        samples = [
            run.Sample("import spacy", [py, "-c", "import spacy"]),
            run.Sample("pipeline", [py, me, "--stage", "pipeline", str(folder)]),
            run.Sample("pipeline + signal", [py, me, "--stage", "signal", str(folder)]),
            run.Sample("lintletter --jobs 1", [*lintletter, "check", "--format", "json", *no_cache, "--jobs", "1", str(folder)]),
            run.Sample("proselint", [*proselint, str(folder)]),
        ]
        out_dir = Path(tmp)
        for s in samples:  # warm-up: the page cache and the bytecode cache
            run.run_once(s.argv, out_dir / "warmup.out", env)
        run.measure(samples, args.repeat, out_dir, env)
    baseline = samples[-1]
    table = render(samples, baseline)
    others = run.contention({s.name: s for s in samples})
    floor = run.divide(samples[2].median_cpu, baseline.median_cpu)
    lines = [
        "",
        *([f"label: {args.label}"] if args.label else []),
        f"{args.letters:,} bench letters; medians of {args.repeat} runs, interleaved; total {time.perf_counter() - started:.0f} s",
        f"target: lintletter <= {TARGET:g}x proselint; spaCy's share alone (pipeline + signal) is {run.fmt_ratio(floor)} of proselint's CPU",
        f"other processes kept {'?' if others is None else f'{others:.2f}'} cores busy while commands ran "
        f"(load average before: {', '.join(f'{x:.2f}' for x in load_before)})",
    ]
    print(table + "\n".join(lines))
    if args.json:
        report = {
            "label": args.label, "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "letters": args.letters, "repeat": args.repeat, "other_processes_cores": others,
            "load_average_before": load_before, "git": run.git_state(),
            "samples": {s.name: asdict(s) for s in samples},
        }  # fmt: skip
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
