"""Writing reports to disk. The only module that writes files, and it never writes a letter.

``--output FILE`` goes through :func:`write_atomic`: the report is written to a temporary file in
the same folder and renamed over the target, so a crash or a full disk never leaves a half-written
or truncated report, and an existing file is untouched unless the new one is complete.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

from .errors import OutputError


def write_atomic(target: Path, data: str | Iterable[str], protected: frozenset[Path] = frozenset()) -> None:
    """Write ``data`` (UTF-8 text, or text in chunks) to ``target`` atomically.

    ``protected`` are files that must not be replaced (the letters being checked)."""
    target = Path(target)
    resolved = target.resolve()
    if resolved in protected:
        raise OutputError(f"{target}: refusing to write the report over a letter being checked")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder")
    parent = resolved.parent
    if not parent.is_dir():
        raise OutputError(f"{target}: folder {parent} does not exist")
    try:
        mode = resolved.stat().st_mode & 0o777 if resolved.exists() else None
    except OSError:
        mode = None
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{resolved.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            for chunk in [data] if isinstance(data, str) else data:
                handle.write(chunk)
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
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass
