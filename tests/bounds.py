"""Hang guards for tests of hostile inputs: a test that would hang fails after a generous bound instead.

``within(seconds)`` interrupts pure-Python work in this process (SIGALRM raises in the main thread);
``run_cli`` runs lintletter in a child process with a timeout, for work that a signal cannot
interrupt (a regular expression inside the C engine) or that must be killed from outside.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import lintletter

#: the checkout whose lintletter the tests import (children import the same one)
ROOT = Path(lintletter.__file__).resolve().parent.parent


class Hung(AssertionError):
    """The guarded block ran past its bound: with hostile input, that is the bug being tested."""


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    def expire(signum, frame):
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def child_env(cache: bool = False) -> dict[str, str]:
    """The environment for a child run; the result cache stays off (tests/conftest.py) unless
    ``cache``, for tests of what the default run (cache on) reads before any letter is linted."""
    env = dict(os.environ)
    if cache:
        env.pop("LINTLETTER_NO_CACHE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.pop("GITHUB_STEP_SUMMARY", None)
    env["NO_COLOR"] = "1"
    return env


#: Address space for a child run: lintletter itself needs about 300 MB; an unbounded read of
#: /dev/zero fails fast against this instead of taking the test machine's memory.
CHILD_MEMORY = 1536 * 1024 * 1024


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def run_cli(
    *args: str, timeout: float = 60, stdin: bytes | None = None, cwd: Path | None = None, cache: bool = False
) -> subprocess.CompletedProcess:
    """``lintletter ARGS`` in a child process with bounded memory; raises Hung if it outlives ``timeout``.
    ``cache``: with the result cache on, as a user's run has it (give ``--cache-dir``)."""
    try:
        return subprocess.run(
            [sys.executable, "-m", "lintletter.cli", *args],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=timeout,
            env=child_env(cache),
            cwd=cwd,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        raise Hung(f"lintletter {' '.join(args)[:200]} still running after {timeout} s") from None


def run_python(code: str, timeout: float = 60, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """A Python snippet in a child process (with lintletter importable); raises Hung past ``timeout``."""
    try:
        return subprocess.run(
            [sys.executable, "-c", code], capture_output=True, timeout=timeout, env=child_env(), cwd=cwd,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        raise Hung(f"snippet still running after {timeout} s") from None
