"""Same input, same bytes, whichever process renders it.

Two renders in one process share one string-hash seed, so they agree even when the output follows
the iteration order of a set or a dict built from one: only separate processes with different
``PYTHONHASHSEED`` values can show that. Each case here runs the real CLI in two child processes,
seeds 1 and 2, and requires byte-identical stdout (and the same exit code and stderr).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .bounds import ROOT, child_env

#: a few letters of each kind: plain and Markdown letters, a bitter one, e-mails (plain and
#: base64), a Word document, and documents with letters inside (fenced, blockquoted, two variants)
LETTERS = [
    "corpus/acceptance/complete.md",
    "corpus/acceptance/bitter.txt",
    "corpus/letters/b12-analyst-reply-onwrote.txt",
    "corpus/letters/j13-hr-newsletter-template-short.md",
    "corpus/inputs/reply-plain.eml",
    "corpus/inputs/reply-base64-utf8.eml",
    "corpus/inputs/letter.docx",
    "corpus/embedded/guide-two-fenced.md",
    "corpus/embedded/blockquoted-sample.md",
    "corpus/embedded/two-variants.md",
]

#: (format, --jobs): --jobs 2 forks workers whose reports are joined in the parent
CASES = [("json", "1"), ("sarif", "1"), ("text", "1"), ("html", "1"), ("json", "2")]
SEEDS = ("1", "2")
TIMEOUT = 180


@pytest.fixture(scope="module")
def outputs() -> dict[tuple[str, str, str], subprocess.CompletedProcess]:
    """Every (format, jobs, seed) run, started together (each child loads its own pipeline)."""
    started = {}
    for fmt, jobs in CASES:
        for seed in SEEDS:
            env = child_env() | {"PYTHONHASHSEED": seed}
            argv = [sys.executable, "-m", "lintletter.cli", "check", "--no-config", "--format", fmt, "--jobs", jobs, *LETTERS]
            started[fmt, jobs, seed] = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
    done = {}
    try:
        for key, process in started.items():
            out, err = process.communicate(timeout=TIMEOUT)
            done[key] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    finally:
        for process in started.values():
            if process.poll() is None:
                process.kill()
                process.wait()
    return done


@pytest.mark.parametrize("fmt,jobs", CASES)
def test_output_is_byte_identical_across_hash_seeds(outputs, fmt, jobs):
    one, two = (outputs[fmt, jobs, seed] for seed in SEEDS)
    assert one.returncode == 1, one.stderr.decode(errors="replace")  # the bitter letter fails; nothing crashed
    assert len(one.stdout) > 1000
    assert one.stdout == two.stdout, f"--format {fmt} --jobs {jobs}: PYTHONHASHSEED=1 and =2 print different bytes"
    assert (one.returncode, one.stderr) == (two.returncode, two.stderr)


def test_parallel_output_is_the_serial_output(outputs):
    assert outputs["json", "2", "1"].stdout == outputs["json", "1", "2"].stdout


def test_the_children_really_had_different_hash_seeds():
    """Guard for the test above: if the seed did not reach the child, the comparison proves nothing."""
    code = "print(hash('lintletter'))"
    seen = {
        subprocess.run([sys.executable, "-c", code], env=child_env() | {"PYTHONHASHSEED": seed}, capture_output=True, check=True).stdout
        for seed in SEEDS
    }
    assert len(seen) == 2


def test_every_letter_was_read():
    for path in LETTERS:
        assert os.path.isfile(ROOT / path), path
