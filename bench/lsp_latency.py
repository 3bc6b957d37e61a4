#!/usr/bin/env python3
"""How long `lintletter server` takes from a keystroke to the diagnostics, beside the CLI's time.

    python bench/lsp_latency.py [--changes N] [--lintletter CMD] [--letter FILE] [--json OUT.json]

A warm server (pipeline loaded, the letter open and linted once) gets N edits of a 300-word letter,
one at a time (a word typed at the end of a body line, then removed again, as incremental
changes), each after the previous edit's diagnostics arrived and a pause, so no two are coalesced.
Each figure is the wall time from sending ``textDocument/didChange`` to receiving the
``textDocument/publishDiagnostics`` for that version, measured in this client: it includes the
server's debounce (its default, 30 ms), the lint, and the JSON-RPC round trip over stdio. Beside
it, the median of `lintletter check` on the same letter (a new process each time: what an editor
that runs the CLI on save pays). A measurement, not a test: it exits 0 whatever the figures
(bench/run.py reports the same figure as one row of its table).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus" / "letters"
TARGET_MS = 100.0
TIMEOUT = 60.0


def letter_of_words(corpus: Path = CORPUS, words: int = 300) -> Path:
    """The corpus letter whose length is nearest ``words`` (ties: the first by name)."""
    letters = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".md"))
    return min(letters, key=lambda p: (abs(len(p.read_text(encoding="utf-8").split()) - words), p.name))


def default_command() -> list[str]:
    beside = Path(sys.executable).parent / "lintletter"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("lintletter")
    return [found] if found else [sys.executable, "-m", "lintletter.cli"]


async def _latencies(command: list[str], letter: Path, changes: int, warmup: int, env: dict[str, str]) -> dict:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("lintletter-bench", "1")
    published: dict[int, float] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def _published(params):
        if params.version is not None:
            published.setdefault(params.version, time.perf_counter())
            arrived.set()

    await client.start_io(command[0], *command[1:], "server", env=env, cwd=str(letter.parent))
    await asyncio.wait_for(client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=letter.parent.as_uri(),
    )), TIMEOUT)  # fmt: skip
    client.initialized(types.InitializedParams())
    text = letter.read_text(encoding="utf-8")
    uri = letter.as_uri()

    async def wait_for(version: int) -> float:
        while version not in published:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), TIMEOUT)
        return published[version]

    start = time.perf_counter()
    client.text_document_did_open(types.DidOpenTextDocumentParams(types.TextDocumentItem(uri, "plaintext", 1, text)))
    first = await wait_for(1) - start
    # the end of the longest line: inside the body
    lines = text.splitlines()
    row = max(range(len(lines)), key=lambda i: len(lines[i]))
    end = types.Position(row, len(lines[row]))
    word = " again"
    times: list[float] = []
    for i in range(warmup + changes):
        version = i + 2
        if i % 2 == 0:
            change = types.TextDocumentContentChangePartial(range=types.Range(end, end), text=word)
        else:
            after = types.Position(row, end.character + len(word))
            change = types.TextDocumentContentChangePartial(range=types.Range(end, after), text="")
        await asyncio.sleep(0.15)  # let the previous lint settle: each edit is measured alone
        sent = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change],
        ))  # fmt: skip
        got = await wait_for(version)
        if i >= warmup:
            times.append(got - sent)
    await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
    client.exit(None)
    await asyncio.wait_for(client.stop(), TIMEOUT)
    return {"first_open_s": first, "latencies_s": times}


def measure_server(command: list[str], letter: Path, changes: int = 40, warmup: int = 6, env: dict[str, str] | None = None) -> dict:
    """didChange -> publishDiagnostics on a warm server: every latency, and the first open's time."""
    return asyncio.run(_latencies(command, letter, changes, warmup, dict(env or os.environ)))


def measure_cli(command: list[str], letter: Path, repeats: int = 5, env: dict[str, str] | None = None) -> list[float]:
    """`lintletter check LETTER`, a new process each time (one warm-up run first)."""
    times = []
    for i in range(repeats + 1):
        start = time.perf_counter()
        subprocess.run(command + ["check", str(letter)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, timeout=120)
        if i:
            times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=40, help="edits timed (default 40)")
    parser.add_argument("--lintletter", help="command that runs lintletter (default: the script beside this Python)")
    parser.add_argument("--letter", type=Path, help="letter to edit (default: the corpus letter nearest 300 words)")
    parser.add_argument("--json", type=Path, help="also write every time here")
    args = parser.parse_args(argv)
    command = shlex.split(args.lintletter) if args.lintletter else default_command()
    letter = (args.letter or letter_of_words()).resolve()
    words = len(letter.read_text(encoding="utf-8").split())
    server = measure_server(command, letter, args.changes)
    cli = measure_cli(command, letter)
    ms = [t * 1000 for t in server["latencies_s"]]
    median = statistics.median(ms)
    p90 = sorted(ms)[int(0.9 * (len(ms) - 1))]
    print(f"letter: {letter.relative_to(REPO) if letter.is_relative_to(REPO) else letter} ({words} words)")
    print(f"server, didChange -> publishDiagnostics (warm, {len(ms)} edits): median {median:.0f} ms, "
          f"p90 {p90:.0f} ms, min {min(ms):.0f} ms, max {max(ms):.0f} ms "
          f"(target <= {TARGET_MS:.0f} ms median: {'met' if median <= TARGET_MS else 'MISSED'})")
    print(f"server, first open (loads the pipeline): {server['first_open_s'] * 1000:.0f} ms")
    print(f"CLI, lintletter check on the same letter (new process): median {statistics.median(cli) * 1000:.0f} ms")
    if args.json:
        args.json.write_text(json.dumps({"letter": str(letter), "words": words, "server": server, "cli_s": cli}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
