"""Stopping cleanly on SIGTERM and SIGHUP, and worker processes that never outlive their parent.

Python's default for SIGTERM and SIGHUP is to die on the spot: no ``finally`` runs, so a report
being written with ``-o`` leaves its temporary file behind, and ``--jobs`` workers keep running
with nobody to report to. While the CLI runs, both signals raise :class:`Terminated` instead (like
SIGINT raises KeyboardInterrupt), which unwinds through the same clean-up as any error; the CLI
then exits with the shell's code for the signal (128 + its number).

Worker processes ask the kernel to kill them when their parent dies (Linux ``PR_SET_PDEATHSIG``),
so even a parent killed with SIGKILL leaves no worker behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from typing import Iterator

HANDLED = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


class Terminated(BaseException):
    """Raised in the main thread on SIGTERM or SIGHUP; a BaseException so ``except Exception`` lets it through."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"terminated by signal {signum}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _raise(signum, frame) -> None:
    raise Terminated(signum)


@contextlib.contextmanager
def terminate_cleanly() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated`; the old handlers come back after."""
    previous = {}
    try:
        for signum in HANDLED:
            try:
                previous[signum] = signal.signal(signum, _raise)
            except (ValueError, OSError):  # not the main thread: leave the defaults
                pass
        yield
    finally:
        for signum, handler in previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def become_worker(parent: int) -> None:
    """In a freshly started worker of process ``parent``: die with the parent, and let SIGTERM and
    SIGHUP end it at once (a worker has nothing to clean up; the parent reports the interruption)."""
    for signum in HANDLED:
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signum, signal.SIG_DFL)
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the whole group; the parent handles it
    _die_with_parent(parent)


def _die_with_parent(parent: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the parent still terminates us
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)
