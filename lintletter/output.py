"""Writing reports. The only module that writes files; it writes a letter only for
``lintletter fix --write``, the same atomic way.

``--output FILE`` goes through :func:`write_atomic`: a regular file (or a new one) is written to a
temporary file in the same folder and renamed over the target, so a crash, a signal or a full disk
never leaves a half-written or truncated report, and an existing file is untouched unless the new
one is complete. A target that is not a regular file (``/dev/null``, ``/dev/stdout``, a FIFO, a
terminal) is written in place and never renamed over: replacing ``/dev/null`` with a regular file,
as root in a CI container, would break every later job in it.

Standard output goes through :func:`write_stream`, which turns a failed write (a full disk, a
closed pipe) into an :class:`~lintletter.errors.OutputError` instead of a traceback.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import stat
import sys
from pathlib import Path
from typing import Iterable, TextIO

from .errors import OutputError

_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(chunk: str) -> str:
    """Lone surrogates (from file names that are not UTF-8) as U+FFFD: the output stays valid UTF-8."""
    if chunk.isascii():  # most output is (JSON escapes the rest): no scan needed
        return chunk
    return _SURROGATE.sub("\ufffd", chunk) if _SURROGATE.search(chunk) else chunk


def _kind(mode: int) -> str:
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _is_protected(target: Path, resolved: Path, target_stat: os.stat_result | None, protected: Iterable[Path]) -> bool:
    """The target is one of the inputs: the same resolved path, or the same file under another name."""
    protected = frozenset(protected)
    if resolved in protected:
        return True
    if target_stat is None:
        return False
    identity = (target_stat.st_dev, target_stat.st_ino)
    for path in protected:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            continue
        if (st.st_dev, st.st_ino) == identity:
            return True
    return False


def write_atomic(target: Path, data: str | bytes | Iterable[str], protected: Iterable[Path] = frozenset()) -> None:
    """Write ``data`` (UTF-8 text, text in chunks, or bytes) to ``target``: atomically for a regular file,
    in place for a device, FIFO or terminal.

    ``protected`` are files that must not be replaced: every input named or found (the letters
    being checked, and those that could not be read)."""
    target = Path(target)
    try:
        target_stat: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        target_stat = None
    except (OSError, ValueError) as exc:
        raise OutputError(f"{target}: cannot write ({getattr(exc, 'strerror', None) or exc.__class__.__name__})") from None
    resolved = target.resolve()
    if _is_protected(target, resolved, target_stat, protected):
        raise OutputError(f"{target}: refusing to write the report over an input being checked")
    if target_stat is not None and stat.S_ISDIR(target_stat.st_mode):
        raise OutputError(f"{target}: is a folder")
    if target_stat is not None and not stat.S_ISREG(target_stat.st_mode):
        _write_in_place(target, data, _kind(target_stat.st_mode))
        return
    parent = resolved.parent
    if not parent.is_dir():
        raise OutputError(f"{target}: folder {parent} does not exist")
    mode = target_stat.st_mode & 0o777 if target_stat is not None else None
    tmp_name = None
    import tempfile  # only when a file is written (not for standard output)

    try:
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{resolved.name}.", suffix=".tmp")
        # bytes are written as they are (``lintletter fix`` keeps a letter's own encoding)
        binary = isinstance(data, bytes)
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as handle:
            for chunk in [data] if isinstance(data, (str, bytes)) else data:
                handle.write(chunk if binary else _encodable(chunk))
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp_name, mode)
        else:  # mkstemp makes 0600; a report should get the usual umask-governed mode
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        os.replace(tmp_name, resolved)
        tmp_name = None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc.__class__.__name__})") from None
    finally:  # also on KeyboardInterrupt and on SIGTERM/SIGHUP (lintletter.shutdown raises for them)
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _write_in_place(target: Path, data: str | Iterable[str], kind: str) -> None:
    """Write to a device, FIFO or terminal as a shell redirection would, without replacing it."""
    try:
        # O_NONBLOCK so that a FIFO nobody reads fails at once (ENXIO) instead of hanging; the
        # writes themselves block as usual.
        fd = os.open(target, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"{target}: cannot write ({kind} that nothing is reading)") from None
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc.__class__.__name__})") from None
    try:
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="") as handle:
            fd = -1  # the handle owns it now
            for chunk in [data] if isinstance(data, str) else data:
                handle.write(_encodable(chunk))
            handle.flush()
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc.__class__.__name__})") from None
    finally:
        if fd >= 0:
            os.close(fd)


def write_stream(chunks: Iterable[str], stream: TextIO | None = None) -> None:
    """Write the report to standard output; a failed write is an OutputError, never a traceback.

    A reader that goes away (``| head``) is not an error: the rest of the report is dropped."""
    stream = sys.stdout if stream is None else stream
    try:
        for chunk in chunks:
            chunk = _encodable(chunk)
            try:
                stream.write(chunk)
            except UnicodeEncodeError:  # a terminal that cannot show every character
                encoding = getattr(stream, "encoding", None) or "utf-8"
                stream.write(chunk.encode(encoding, "replace").decode(encoding, "replace"))
        stream.flush()
    except BrokenPipeError:
        _discard(stream)
    except OSError as exc:
        _discard(stream)
        raise OutputError(f"standard output: cannot write ({exc.strerror or exc.__class__.__name__})") from None


def _discard(stream: TextIO) -> None:
    """Point the stream's descriptor at /dev/null, so the interpreter's last flush of what is still
    buffered cannot fail again (Python would print a traceback and exit 120)."""
    try:
        fileno = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fileno)
        os.close(devnull)
    except OSError:
        pass


def write_new(target: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to a file that must not exist yet, whole or not at all: it is written
    to a temporary file next to it and linked into place, which fails if the name is taken, so an
    existing file is never replaced, not even one created a moment ago."""
    target = Path(target)
    if os.path.lexists(target):
        raise OutputError(f"{target}: already exists; lintletter new never replaces a file")
    parent = target.absolute().parent
    if not parent.is_dir():
        raise OutputError(f"{target}: folder {parent} does not exist")
    tmp_name = None
    import tempfile  # only when a file is written (not for standard output)

    try:
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_name, 0o666 & ~umask)
        try:
            os.link(tmp_name, target)
        except FileExistsError:
            raise OutputError(f"{target}: already exists; lintletter new never replaces a file") from None
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc.__class__.__name__})") from None
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
