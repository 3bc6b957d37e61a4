"""Real paths of many files in few folders, one ``resolve()`` per folder instead of per file.

``Path.resolve()`` walks every component of a path (an ``lstat`` each); a run of 1,000 letters
in one folder resolved each of them up to three times (its config, its excludes, .gitignore),
about a third of a run from a warm cache. A file that is not itself a symbolic link has its
folder's real path plus its own name, so the folder is resolved once; a link is resolved itself.
Strings, not Paths, inside: making Path objects was most of what was left.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: A bound on the folders remembered (a long-running language server sees many).
MAX_FOLDERS = 4096
#: A bound on the files remembered by a run's resolver (``remember_files``).
MAX_FILES = 65536


class RealPaths:
    """``remember_files``: also remember each file's answer, for a resolver that one run shares
    (its config lookup, excludes, .gitignore and the inputs --output must not overwrite all ask
    about the same files; one lstat each instead of four). Not for long-lived owners: a file may
    become a link later."""

    def __init__(self, remember_files: bool = False) -> None:
        self._folders: dict[str, str] = {}
        self._files: dict[str, str] | None = {} if remember_files else None

    def text_of(self, path: str | os.PathLike) -> str:
        """``str(Path(path).resolve())``, folder by folder."""
        if self._files is None:
            return self._resolve(os.fspath(path))
        key = os.fspath(path)
        known = self._files.get(key)
        if known is None:
            if len(self._files) >= MAX_FILES:
                self._files.clear()
            known = self._files[key] = self._resolve(key)
        return known

    def _resolve(self, text: str) -> str:
        try:
            plain = stat.S_ISREG(os.lstat(text).st_mode)
        except (OSError, ValueError):
            plain = False
        if not plain:
            return str(Path(text).resolve())
        if not os.path.isabs(text):
            text = os.path.join(os.getcwd(), text)
        parent, name = os.path.split(text)
        folder = self._folders.get(parent)
        if folder is None:
            if len(self._folders) >= MAX_FOLDERS:
                self._folders.clear()
            folder = self._folders[parent] = str(Path(parent).resolve())
        return folder + name if folder.endswith(os.sep) else folder + os.sep + name

    def of(self, path: str | os.PathLike) -> Path:
        """``Path(path).resolve()``, folder by folder."""
        return Path(self.text_of(path))


def relative_posix(path: str | os.PathLike, root: str | os.PathLike) -> str | None:
    """``Path(path).relative_to(root).as_posix()`` for two real paths, or None when ``path`` is not
    under ``root`` (by string, as relative_to does it, without making Path objects)."""
    p, r = os.fspath(path), os.fspath(root)
    if os.sep != "/":  # pragma: no cover - Windows: let pathlib decide
        try:
            return Path(p).relative_to(r).as_posix()
        except ValueError:
            return None
    if p.startswith(r):
        if len(p) == len(r):
            return "."
        if r.endswith("/"):
            return p[len(r):]
        if p[len(r)] == "/":
            return p[len(r) + 1:]
    return None
