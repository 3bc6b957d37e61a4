#!/usr/bin/env python3
"""Benchmark lintletter against its baselines and print one table (documented in bench/README.md).

    python bench/run.py [--quick] [--repeat N] [--repeat-large N] [--json OUT.json]
                        [--lintletter CMD] [--proselint CMD] [--corpus DIR] [--workdir DIR]
                        [--label TEXT] [--check]

Every measurement runs a command as a child process several times and reports the median wall
time. Baselines run in the same session, interleaved with lintletter (A B A B ...), so that load
on the machine hits both alike. The exit code is 0 whatever the figures (this measures, it does not
test) unless --check is given, which makes a missed or unmeasurable target exit 1.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / "corpus" / "letters"
LETTER_SUFFIXES = (".txt", ".md")
#: Both linters exit 1 when they find something to say: that is a normal, complete run.
OK_EXIT_CODES = (0, 1)
#: A line of `python -X importtime` output that imports spaCy or one of its modules.
SPACY_IMPORT = re.compile(r"^import time:.*\|\s*spacy(\.\S+)?\s*$", re.M)


@dataclass(frozen=True)
class Sizes:
    batch: int  # letters in the batch comparison; also the small side of the scale test
    large: int  # letters in the large side of the scale test, the --jobs test and the memory figure
    small_letter: int  # bytes of the small single letter
    big_letter: int  # bytes of the big single letter (10x the small one)


FULL = Sizes(batch=1_000, large=10_000, small_letter=100_000, big_letter=1_000_000)
QUICK = Sizes(batch=100, large=1_000, small_letter=10_000, big_letter=100_000)


# --- running commands ------------------------------------------------------------------------


@dataclass
class Sample:
    """Every run of one command: wall and CPU seconds, peak RSS and exit code of each."""

    name: str
    argv: list[str]
    wall_s: list[float] = field(default_factory=list)
    cpu_s: list[float] = field(default_factory=list)
    max_rss_kb: list[int] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)
    #: CPU seconds that *other* processes on the machine used during each run: contention.
    others_cpu_s: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.wall_s) if self.wall_s and self.error is None else None

    @property
    def median_cpu(self) -> float | None:
        return statistics.median(self.cpu_s) if self.cpu_s and self.error is None else None

    @property
    def peak_rss_mb(self) -> float | None:
        return max(self.max_rss_kb) / 1024 if self.max_rss_kb and self.error is None else None


@dataclass(frozen=True)
class RunResult:
    wall_s: float
    cpu_s: float
    max_rss_kb: int
    exit_code: int
    stderr: str
    others_cpu_s: float | None


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (Linux /proc/stat), else None."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # guest time is already counted in user time
    return busy / os.sysconf("SC_CLK_TCK")


def run_once(argv: list[str], out_path: Path, env: dict[str, str] | None = None) -> RunResult:
    """Run argv once, stdout to out_path.

    os.wait4 reaps exactly this child and returns its own rusage, so the peak RSS is this run's
    (the largest single process of its tree), not a maximum carried over from earlier children.
    """
    with open(out_path, "wb") as out, tempfile.TemporaryFile() as err:
        busy_before = machine_busy_seconds()
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        busy_after = machine_busy_seconds()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped above: Popen must not wait again
        err.seek(0)
        stderr = err.read().decode("utf-8", errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    others = None
    if busy_before is not None and busy_after is not None:
        others = max(0.0, busy_after - busy_before - cpu)
    return RunResult(wall, cpu, usage.ru_maxrss, proc.returncode, stderr, others)


def measure(samples: list[Sample], repeats: int, out_dir: Path, env: dict[str, str]) -> None:
    """Run the commands round-robin `repeats` times; a command that fails once is not run again."""
    for round_no in range(repeats):
        for sample in samples:
            if sample.error is None:
                record(sample, run_once(sample.argv, out_dir / f"{sample.name}.out", env), f"{round_no + 1}/{repeats}")


def record(sample: Sample, run: RunResult, which: str) -> None:
    sample.exit_codes.append(run.exit_code)
    if run.exit_code not in OK_EXIT_CODES:
        tail = " | ".join(run.stderr.strip().splitlines()[-3:])
        sample.error = f"exit code {run.exit_code}: {tail}"
        progress(f"  {sample.name}: FAILED ({sample.error})")
        return
    sample.wall_s.append(run.wall_s)
    sample.cpu_s.append(run.cpu_s)
    sample.max_rss_kb.append(run.max_rss_kb)
    if run.others_cpu_s is not None:
        sample.others_cpu_s.append(run.others_cpu_s)
    busy = f", others busy {run.others_cpu_s / run.wall_s:.2f} cores" if run.others_cpu_s is not None else ""
    progress(f"  {sample.name} [{which}]: {run.wall_s:.2f} s wall, {run.cpu_s:.2f} s CPU, {run.max_rss_kb / 1024:.0f} MB{busy}")


def imports_spacy(argv: list[str], out_dir: Path, env: dict[str, str]) -> bool:
    """Whether the command imports spaCy (read from Python's own import log, so any CMD works)."""
    traced = dict(env, PYTHONPROFILEIMPORTTIME="1")
    return bool(SPACY_IMPORT.search(run_once(argv, out_dir / "importtime.out", traced).stderr))


def capture(argv: list[str], env: dict[str, str] | None = None) -> str | None:
    """stdout of a quick command, or None when it cannot run."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the commands under test -----------------------------------------------------------------


def console_script(name: str, module: str) -> list[str]:
    """The console script installed beside this Python, else on PATH, else `python -m module`."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return [str(beside)]
    found = shutil.which(name)
    return [found] if found else [sys.executable, "-m", module]


def proselint_check_argv(base: list[str], env: dict[str, str]) -> list[str] | None:
    """proselint >= 0.14 lints with `proselint check PATHS`, older releases with `proselint PATHS`."""
    usage = capture(base + ["--help"], env)
    if usage is None:
        return None
    return base + ["check"] if re.search(r"^\s+check\s", usage, re.M) else base


def supports_jobs(lintletter: list[str], env: dict[str, str]) -> bool:
    usage = capture(lintletter + ["check", "--help"], dict(env, COLUMNS="200")) or ""
    return "--jobs" in usage


def supports_cache(lintletter: list[str], env: dict[str, str]) -> bool:
    """A lintletter with the result cache (issue 17): every run but the warm-cache one passes
    --no-cache, so that repeats measure linting, not the cache."""
    usage = capture(lintletter + ["check", "--help"], dict(env, COLUMNS="200")) or ""
    return "--no-cache" in usage


# --- inputs ----------------------------------------------------------------------------------


def corpus_letters(corpus: Path) -> list[tuple[Path, str]]:
    letters = []
    for path in sorted(corpus.iterdir()):
        if path.suffix in LETTER_SUFFIXES:
            try:
                letters.append((path, path.read_text(encoding="utf-8")))
            except UnicodeDecodeError:
                continue  # the suffix line appended below must not break another encoding
    if not letters:
        raise SystemExit(f"bench: no letters found in {corpus}")
    return letters


def write_batch(folder: Path, letters: list[tuple[Path, str]], count: int) -> Path:
    """`count` letters, cycling through the corpus; a unique last line keeps copies from being identical."""
    folder.mkdir(parents=True)
    for i in range(count):
        source, text = letters[i % len(letters)]
        body = text if text.endswith("\n") else text + "\n"
        name = f"{i:05d}-{source.stem}{source.suffix}"
        (folder / name).write_text(f"{body}<!-- bench copy {i:05d} -->\n", encoding="utf-8")
    return folder


_NOT_BODY = re.compile(
    r"^\s*(>|#|[-*+•]\s|\d+[.)]\s|---|p\.?\s?s\b|(subject|to|from|cc|date|sent|re)\s*:|"
    r"(dear|hi|hello|hey)\b)|wrote\s*:|original message",
    re.I | re.M,
)


def body_paragraphs(letters: list[tuple[Path, str]]) -> list[str]:
    """Plain prose paragraphs from the corpus: no headers, quotes, lists, greetings or sign-offs."""
    seen: dict[str, None] = {}
    for _, text in letters:
        for para in re.split(r"\n\s*\n", text):
            para = para.strip()
            prose = len(para.split()) >= 12 and para[-1:] in ".?!" and not _NOT_BODY.search(para)
            if prose:
                seen.setdefault(para, None)
    return list(seen)


def write_long_letters(folder: Path, letters: list[tuple[Path, str]], sizes: Sizes) -> tuple[Path, Path]:
    """A small and a big letter (a long paste, in paragraphs); the big one's body is the small
    one's ten times over, so the two differ in size only."""
    paragraphs = body_paragraphs(letters)
    small_body: list[str] = []
    length, i = 0, 0
    while length < sizes.small_letter:
        para = paragraphs[i % len(paragraphs)]
        small_body.append(para)
        length += len(para.encode("utf-8")) + 2
        i += 1
    repeat = max(1, round(sizes.big_letter / sizes.small_letter))
    paths = []
    for name, body in (("small-letter.txt", small_body), ("big-letter.txt", small_body * repeat)):
        text = "Dear Ms. Rivera,\n\n" + "\n\n".join(body) + "\n\nBest regards,\nSam Okafor\n"
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def typical_letter(letters: list[tuple[Path, str]]) -> Path:
    """The corpus letter of median length: the cold-start input."""
    by_size = sorted(letters, key=lambda item: (len(item[1]), item[0].name))
    return by_size[len(by_size) // 2][0]


# --- results ---------------------------------------------------------------------------------


@dataclass
class Row:
    measurement: str
    lintletter: str
    baseline: str
    ratio: float | None  # of median wall times: what the target is judged on
    target: str
    passed: bool | None  # None: could not be measured
    note: str = ""
    #: The same ratio of median CPU times: much less sensitive to other load on the machine.
    cpu_ratio: float | None = None


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_ratio(ratio: float | None) -> str:
    return f"{ratio:.2f}x" if ratio is not None else "n/a"


def judge(ratio: float | None, op: str, limit: float) -> bool | None:
    if ratio is None:
        return None
    return ratio <= limit if op == "<=" else ratio >= limit


def divide(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def ratio_row(title: str, measured: Sample, baseline: Sample, op: str, limit: float, speedup: bool = False, note: str = "") -> Row:
    """measured/baseline time (or baseline/measured for a speedup), judged against `op limit`."""
    a, b = measured.median, baseline.median
    ratio = divide(b, a) if speedup else divide(a, b)
    # CPU time says nothing about a parallel speedup (both sides burn the same CPU).
    cpu_ratio = None if speedup else divide(measured.median_cpu, baseline.median_cpu)
    target = f"{op} {limit:g}x" + (" speedup" if speedup else "")
    note = measured.error or baseline.error or note
    return Row(title, fmt_time(a), fmt_time(b), ratio, target, judge(ratio, op, limit), note, cpu_ratio)


def spacy_free_row(title: str, sample: Sample, floor: Sample, loads_spacy: bool) -> Row:
    """Startup paths that must not import spaCy: timed against an empty Python."""
    a, b = sample.median, floor.median
    note = sample.error or ("imports spaCy" if loads_spacy else "spaCy not imported")
    cpu_ratio = divide(sample.median_cpu, floor.median_cpu)
    passed = None if sample.error else not loads_spacy
    return Row(title, fmt_time(a), fmt_time(b), divide(a, b), "no spaCy import", passed, note, cpu_ratio)


def memory_row(title: str, large: Sample, batch: Sample, limit_mb: float, note: str) -> Row:
    peak, small = large.peak_rss_mb, batch.peak_rss_mb
    return Row(
        title,
        f"{peak:.0f} MB" if peak else "n/a",
        f"{small:.0f} MB" if small else "n/a",
        divide(peak, small),
        f"<= {limit_mb:g} MB",
        None if peak is None else peak <= limit_mb,
        large.error or note,
    )


def na_row(title: str, target: str, why: str) -> Row:
    return Row(title, "n/a", "n/a", None, target, None, why)


def render_table(rows: list[Row]) -> str:
    header = ("measurement", "lintletter", "baseline", "ratio", "cpu ratio", "target", "result", "note")
    cells = [header]
    for r in rows:
        result = "n/a" if r.passed is None else "pass" if r.passed else "FAIL"
        cells.append((r.measurement, r.lintletter, r.baseline, fmt_ratio(r.ratio), fmt_ratio(r.cpu_ratio), r.target, result, r.note))
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def contention(samples: dict[str, Sample]) -> float | None:
    """Cores that other processes kept busy, on average, while the timed commands ran."""
    timed = [(w, o) for s in samples.values() if len(s.others_cpu_s) == len(s.wall_s) for w, o in zip(s.wall_s, s.others_cpu_s)]
    wall = sum(w for w, _ in timed)
    return sum(o for _, o in timed) / wall if timed and wall else None


# --- the run ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark lintletter against proselint and the spaCy import floor.")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 repeat, 10x smaller inputs")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (default 3; 1 with --quick)")
    parser.add_argument("--repeat-large", type=int, default=None, help="runs per large-batch measurement (default 2; 1 with --quick)")
    parser.add_argument("--json", type=Path, help="also write every figure and raw time to this JSON file")
    parser.add_argument("--lintletter", help="command that runs lintletter (default: the console script beside this Python)")
    parser.add_argument("--proselint", help="command that runs proselint (default: the console script beside this Python)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of letters the inputs are made from (default: corpus/letters)")
    parser.add_argument("--label", default="", help="what is being measured (e.g. a commit); shown under the table and kept in the JSON")
    parser.add_argument("--workdir", type=Path, help="build the inputs here and keep them (default: a temporary folder)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed or could not be measured")
    parser.add_argument(
        "--only", type=lambda v: [g.strip() for g in v.split(",") if g.strip()], default=None, metavar="GROUPS",
        help=f"measure only these groups (comma-separated: {', '.join(GROUPS)}); the other rows are n/a",
    )  # fmt: skip
    args = parser.parse_args(argv)
    args.repeat = args.repeat or (1 if args.quick else 3)
    args.repeat_large = args.repeat_large or (1 if args.quick else 2)
    return args


@dataclass
class Inputs:
    batch: Path
    large: Path
    one: Path
    small_letter: Path
    big_letter: Path


def build_inputs(workdir: Path, sizes: Sizes, corpus: Path) -> Inputs:
    letters = corpus_letters(corpus)
    small, big = write_long_letters(workdir, letters, sizes)
    return Inputs(
        batch=write_batch(workdir / f"letters-{sizes.batch}", letters, sizes.batch),
        large=write_batch(workdir / f"letters-{sizes.large}", letters, sizes.large),
        one=typical_letter(letters),
        small_letter=small,
        big_letter=big,
    )


def run_benchmarks(args: argparse.Namespace, sizes: Sizes, inputs: Inputs, out_dir: Path, env: dict[str, str]) -> tuple[list[Row], dict[str, Sample], dict]:
    lintletter = shlex.split(args.lintletter) if args.lintletter else console_script("lintletter", "lintletter.cli")
    proselint_base = shlex.split(args.proselint) if args.proselint else console_script("proselint", "proselint")
    proselint = proselint_check_argv(proselint_base, env)
    has_jobs = supports_jobs(lintletter, env)
    has_cache = supports_cache(lintletter, env)
    py = sys.executable
    no_cache = ["--no-cache"] if has_cache else []
    check = lintletter + ["check", "--format", "json", *no_cache]
    cache_dir = out_dir / "result-cache"

    def sample(name: str, argv: list[str]) -> Sample:
        return Sample(name, [str(a) for a in argv])

    s = {
        "python_pass": sample("python_pass", [py, "-c", "pass"]),
        "help": sample("help", lintletter + ["--help"]),
        "rules": sample("rules", lintletter + ["rules"]),
        "cold": sample("cold", lintletter + ["check", *no_cache, inputs.one]),
        "spacy_import": sample("spacy_import", [py, "-c", "import spacy"]),
        # the same baseline again, interleaved with the warm-cache runs of its own group
        "spacy_import_batch": sample("spacy_import_batch", [py, "-c", "import spacy"]),
        "batch": sample("batch", check + [inputs.batch]),
        "small_letter": sample("small_letter", check + [inputs.small_letter]),
        "big_letter": sample("big_letter", check + [inputs.big_letter]),
        "large": sample("large", check + [inputs.large]),
    }
    if proselint:
        s["proselint_batch"] = sample("proselint_batch", proselint + [inputs.batch])
    if has_cache:  # the same 1,000 letters, unchanged since the run that filled the cache
        s["warm"] = sample("warm", lintletter + ["check", "--format", "json", "--cache-dir", cache_dir, inputs.batch])
    if has_jobs:
        s["large_jobs1"] = sample("large_jobs1", check + ["--jobs", "1", inputs.large])
        s["large_jobs2"] = sample("large_jobs2", check + ["--jobs", "2", inputs.large])

    # Warm up: fills the page cache and the bytecode cache (see child_env), so no timed run pays
    # for the disk or for compiling modules.
    warmups = [s["rules"].argv, s["cold"].argv, s["spacy_import"].argv]
    if proselint:
        warmups.append(proselint + [str(inputs.one)])
    if has_cache:
        warmups.append(s["warm"].argv)  # fills the cache that the warm row reads
    for argv in warmups:
        run_once(argv, out_dir / "warmup.out", env)

    groups: list[tuple[str, list[str], int]] = [
        ("startup", ["python_pass", "help", "rules", "cold", "spacy_import"], args.repeat),
        (f"batch of {sizes.batch:,}", ["batch", "proselint_batch", "warm", "spacy_import_batch"], args.repeat),
        ("letter size", ["small_letter", "big_letter"], args.repeat),
        (f"batch of {sizes.large:,}", ["large", "large_jobs1", "large_jobs2"], args.repeat_large),
    ]
    for (title, names, repeats), group in zip(groups, GROUPS):
        if args.only is not None and group not in args.only:
            for n in names:
                if n in s:
                    s[n].error = "not measured (--only)"
            continue
        progress(f"{title}:")
        measure([s[n] for n in names if n in s], repeats, out_dir, env)
    check_output_counts(s, sizes, out_dir)

    help_spacy = imports_spacy(s["help"].argv, out_dir, env)
    rules_spacy = imports_spacy(s["rules"].argv, out_dir, env)
    warm_spacy = imports_spacy(s["warm"].argv, out_dir, env) if has_cache else None
    rows = make_rows(s, sizes, help_spacy, rules_spacy, proselint is not None, has_jobs, warm_spacy)
    if args.only is None or "server" in args.only:
        progress("language server:")
        rows.append(server_row(lintletter, args.corpus, s, sizes, env, out_dir, no_cache))
    else:
        rows.append(na_row("server: didChange -> diagnostics, 300-word letter", "<= 100 ms median", "not measured (--only)"))
    tools = {"lintletter": lintletter, "proselint": proselint, "lintletter_has_jobs": has_jobs, "lintletter_has_cache": has_cache}
    return rows, s, tools


def server_row(lintletter: list[str], corpus: Path, samples: dict[str, Sample], sizes: Sizes, env: dict[str, str], out_dir: Path, no_cache: list[str] = ()) -> Row:
    """`lintletter server`: didChange -> publishDiagnostics on a warm server, for the corpus letter
    nearest 300 words (bench/lsp_latency.py), beside `lintletter check` on that letter."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import lsp_latency

    title = "server: didChange -> diagnostics, 300-word letter"
    target = f"<= {lsp_latency.TARGET_MS:g} ms median"
    try:
        letter = lsp_latency.letter_of_words(corpus)
        changes = 40 if sizes is FULL else 10
        found = lsp_latency.measure_server(lintletter, letter, changes=changes, env=env)
    except Exception as exc:  # no pygls, a server that does not start: not measurable, not a crash
        return na_row(title, target, f"not measured: {exc.__class__.__name__}: {exc}")
    cli = Sample("cli_same_letter", [*lintletter, "check", *no_cache, str(letter)])
    run_once(cli.argv, out_dir / "warmup.out", env)
    measure([cli], 3, out_dir, env)
    server = Sample("server_change", [*lintletter, "server"], wall_s=found["latencies_s"], exit_codes=[0])
    samples["server_change"], samples["cli_same_letter"] = server, cli
    median = server.median
    note = f"{len(found['latencies_s'])} edits, warm; baseline: check on the same letter, new process"
    return Row(title, fmt_time(median), fmt_time(cli.median), divide(median, cli.median), target,
               None if median is None else median * 1000 <= lsp_latency.TARGET_MS, cli.error or note)


def check_output_counts(samples: dict[str, Sample], sizes: Sizes, out_dir: Path) -> None:
    """A fast run that skipped letters would be a false win: the JSON must report every letter."""
    for name, expected in (("batch", sizes.batch), ("large", sizes.large)):
        sample = samples[name]
        if sample.error is not None:
            continue
        try:
            files = json.loads((out_dir / f"{name}.out").read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            sample.error = f"unreadable JSON output ({exc.__class__.__name__})"
            continue
        if len(files) != expected:
            sample.error = f"reported {len(files)} letters, expected {expected}"
    warm = samples.get("warm")
    if warm is not None and warm.error is None and samples["batch"].error is None:
        # the cache must not change a byte of the output (the warm run reads what a run like batch wrote)
        if (out_dir / "warm.out").read_bytes() != (out_dir / "batch.out").read_bytes():
            warm.error = "output differs from the --no-cache run"


#: The targets (issue 17); bench/README.md lists them with the rows.
#: what --only names: the measured groups in run order, then the language server
GROUPS = ("startup", "batch", "size", "large", "server")

TARGETS = {"cold": 1.2, "batch": 0.5, "warm": 0.3, "scale": 10.5, "jobs": 1.6, "size": 12.0, "memory_mb": 200}


def make_rows(s: dict[str, Sample], sizes: Sizes, help_spacy: bool, rules_spacy: bool, has_proselint: bool, has_jobs: bool, warm_spacy: bool | None = None) -> list[Row]:
    rows = [
        spacy_free_row("lintletter --help vs python -c pass", s["help"], s["python_pass"], help_spacy),
        spacy_free_row("lintletter rules vs python -c pass", s["rules"], s["python_pass"], rules_spacy),
        ratio_row("cold start: one letter vs import spacy", s["cold"], s["spacy_import"], "<=", TARGETS["cold"]),
    ]
    batch_title = f"batch: {sizes.batch:,} letters (--no-cache) vs proselint"
    if has_proselint:
        rows.append(ratio_row(batch_title, s["batch"], s["proselint_batch"], "<=", TARGETS["batch"]))
    else:
        rows.append(na_row(batch_title, f"<= {TARGETS['batch']:g}x", "proselint not installed: pip install -r bench/requirements.txt"))
    warm_title = f"warm cache: {sizes.batch:,} unchanged letters vs import spacy"
    if "warm" in s:
        note = "imports spaCy" if warm_spacy else "spaCy not imported; output identical to --no-cache"
        rows.append(ratio_row(warm_title, s["warm"], s["spacy_import_batch"], "<=", TARGETS["warm"], note=note))
    else:
        rows.append(na_row(warm_title, f"<= {TARGETS['warm']:g}x", "n/a (no result cache)"))
    rows.append(ratio_row(f"scale: {sizes.large:,} vs {sizes.batch:,} letters", s["large"], s["batch"], "<=", TARGETS["scale"], note="ideal 10x"))
    jobs_title = f"--jobs 2 vs --jobs 1 at {sizes.large:,} letters"
    if has_jobs:
        rows.append(ratio_row(jobs_title, s["large_jobs2"], s["large_jobs1"], ">=", TARGETS["jobs"], speedup=True))
    else:
        rows.append(na_row(jobs_title, ">= 1.6x speedup", "n/a (no --jobs)"))
    size_title = f"size: {sizes.big_letter // 1000:,} KB vs {sizes.small_letter // 1000:,} KB letter"
    rows.append(ratio_row(size_title, s["big_letter"], s["small_letter"], "<=", TARGETS["size"], note="ideal 10x"))
    # ru_maxrss is one process's peak, so with workers it would miss their sum: measure --jobs 1,
    # where one process does all the work, whenever lintletter has the option.
    memory_title = f"memory: peak RSS at {sizes.large:,} letters"
    if has_jobs:
        rows.append(memory_row(memory_title, s["large_jobs1"], s["batch"], TARGETS["memory_mb"], "--jobs 1; baseline: the batch run"))
    else:
        rows.append(memory_row(memory_title, s["large"], s["batch"], TARGETS["memory_mb"], "baseline: the batch run"))
    return rows


def git_state() -> dict:
    """Commit and locally changed files, read without taking git's optional locks (never writes)."""
    def git(*args: str) -> str | None:
        return capture(["git", "--no-optional-locks", "-C", str(REPO), *args])

    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": (git("rev-parse", "HEAD") or "").strip() or None, "changed_files": (status or "").split("\n")[:-1]}


def meta(args: argparse.Namespace, sizes: Sizes, inputs: Inputs, tools: dict, samples: dict[str, Sample], env: dict[str, str], started: float, load_before) -> dict:
    lintletter_version = (capture(tools["lintletter"] + ["--version"], env) or "").strip()
    proselint_version = capture(tools["proselint"][:-1] + ["version"], env) if tools["proselint"] and tools["proselint"][-1] == "check" else None
    return {
        "label": args.label,
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "other_processes_cores": contention(samples),
        "total_seconds": round(time.perf_counter() - started, 1),
        "git": git_state(),
        "lintletter": {"argv": tools["lintletter"], "version": lintletter_version, "has_jobs": tools["lintletter_has_jobs"], "has_cache": tools["lintletter_has_cache"]},
        "proselint": {"argv": tools["proselint"], "version": (proselint_version or "").strip() or None},
        "repeat": args.repeat,
        "repeat_large": args.repeat_large,
        "quick": args.quick,
        "sizes": asdict(sizes),
        "inputs": {
            "corpus": str(args.corpus),
            "corpus_letters": len(corpus_letters(args.corpus)),
            "cold_start_letter": inputs.one.name,
            "small_letter_bytes": inputs.small_letter.stat().st_size,
            "big_letter_bytes": inputs.big_letter.stat().st_size,
        },
    }


def child_env(tmp: Path) -> dict[str, str]:
    """The environment of every timed command.

    Bytecode goes to a private cache: an editable install under PYTHONDONTWRITEBYTECODE would
    otherwise recompile lintletter on every run, which a user's installed copy never does; the
    warm-up run fills the cache, and nothing is written into the repo or the virtualenv.
    """
    env = dict(os.environ, NO_COLOR="1", PYTHONPYCACHEPREFIX=str(tmp / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


WORKDIR_MARK = ".lintletter-bench"


def prepare_workdir(workdir: Path) -> Path:
    """An empty folder for the inputs; only a folder this script made before is ever emptied."""
    if workdir.exists() and any(workdir.iterdir()):
        if not (workdir / WORKDIR_MARK).exists():
            raise SystemExit(f"bench: {workdir} is not empty and was not made by bench/run.py; choose another --workdir")
        shutil.rmtree(workdir)  # stale inputs could hold the wrong number of letters
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / WORKDIR_MARK).touch()
    return workdir


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.only is not None and not set(args.only) <= set(GROUPS):
        raise SystemExit(f"bench: --only takes {', '.join(GROUPS)}, not {', '.join(sorted(set(args.only) - set(GROUPS)))}")
    sizes = QUICK if args.quick else FULL
    started, load_before = time.perf_counter(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lintletter-bench-") as tmp:
        env = child_env(Path(tmp))
        workdir = prepare_workdir(args.workdir) if args.workdir else Path(tmp)
        progress(f"building inputs in {workdir} ...")
        inputs = build_inputs(workdir, sizes, args.corpus)
        out_dir = Path(tmp)  # outputs are scratch, even when the inputs are kept
        rows, samples, tools = run_benchmarks(args, sizes, inputs, out_dir, env)
        info = meta(args, sizes, inputs, tools, samples, env, started, load_before)

    table = render_table(rows)
    print(table, end="")
    print(footer(info))
    if args.json:
        report = {"meta": info, "rows": [asdict(r) for r in rows], "samples": {k: asdict(v) for k, v in samples.items()}}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    missed = [r for r in rows if r.passed is not True]
    if args.check and missed:  # say which, not only that: a target missed, or one not measured
        for r in missed:
            why = "not measured" if r.passed is None else f"{r.lintletter} vs {r.baseline}, {fmt_ratio(r.ratio)}; target {r.target}"
            progress(f"bench --check: missed: {r.measurement} ({why}{'; ' + r.note if r.note else ''})")
    return 1 if args.check and missed else 0


def footer(info: dict) -> str:
    """What a reader needs to trust or distrust the figures."""
    load = ", ".join(f"{x:.2f}" for x in info["load_average_before"])
    others = info["other_processes_cores"]
    lines = [
        "",
        *([f"label: {info['label']}"] if info["label"] else []),
        f"medians of {info['repeat']} runs ({info['repeat_large']} for the {info['sizes']['large']:,}-letter batch); "
        f"total {info['total_seconds']:.0f} s; {info['cpus']} CPUs",
        f"other processes kept {'?' if others is None else f'{others:.2f}'} cores busy while commands ran "
        f"(load average before: {load})",
        f"lintletter: {info['lintletter']['version'] or '?'} ({' '.join(info['lintletter']['argv'])}); "
        f"proselint: {info['proselint']['version'] or 'not installed'}",
        f"inputs from {info['inputs']['corpus_letters']} letters in {info['inputs']['corpus']}; "
        f"bench script at git {(info['git']['commit'] or '?')[:12]} ({len(info['git']['changed_files'])} changed file(s))",
    ]
    if others is not None and others > 0.25:
        lines.append("warning: other processes competed for the CPUs; wall times may be inflated (the cpu ratio is steadier)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
