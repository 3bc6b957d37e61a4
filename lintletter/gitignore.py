"""Which files found by walking a folder are letters to check: config excludes and .gitignore.

Git's ignore rules are read from the files themselves (``.gitignore`` in every folder from the
repository root down, plus ``.git/info/exclude``) with ``pathspec``'s GitIgnoreSpec, so no ``git``
binary is needed and a letters folder that is not a repository works the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InputError
from .reading import MAX_SETTINGS_BYTES, Unreadable, read_bounded
from .realpaths import RealPaths


class GitIgnore:
    """Answers "would git ignore this file?"; caches each folder's rules. One per run.

    An ignore file that exists but cannot be read (not a regular file, over 1 MB, unreadable) is
    left out and recorded in :attr:`problems`, which the run reports as input errors."""

    def __init__(self, real: RealPaths | None = None) -> None:
        """``real``: the run's resolver, shared with its other path lookups."""
        self._specs: dict[Path, object] = {}
        self._roots: dict[Path, Path | None] = {}
        self.problems: list[InputError] = []
        self._real = real if real is not None else RealPaths()
        self._outside: dict[str, bool] = {}

    def ignores(self, file: Path) -> bool:
        real = self._real.text_of(file)
        parent = os.path.dirname(real)
        if self._outside.get(parent):  # no repository above this folder (known): nothing to read
            return False
        file = Path(real)
        root = self._repo_root(file.parent)
        if root is None:
            self._outside[parent] = True
            return False
        verdict = False
        parts = file.parent.relative_to(root).parts
        for folder in (root.joinpath(*parts[:i]) for i in range(len(parts) + 1)):
            spec = self._spec(folder, is_root=folder == root)
            if spec is None:
                continue
            result = spec.check_file(file.relative_to(folder).as_posix())
            if result.include is not None:  # a deeper .gitignore overrides a shallower one
                verdict = result.include
        return verdict

    def _repo_root(self, folder: Path) -> Path | None:
        # A loop, not recursion: a letter 1,200 folders deep must not hit the recursion limit.
        chain: list[Path] = []
        current: Path | None = folder
        root: Path | None = None
        while current is not None:
            if current in self._roots:
                root = self._roots[current]
                break
            chain.append(current)
            if (current / ".git").exists():
                root = current
                break
            current = None if current.parent == current else current.parent
        for visited in chain:
            self._roots[visited] = root
        return root

    def _spec(self, folder: Path, is_root: bool):
        if folder not in self._specs:
            lines: list[str] = []
            sources = [folder / ".gitignore"] + ([folder / ".git" / "info" / "exclude"] if is_root else [])
            for source in sources:
                if not os.path.lexists(source):
                    continue
                try:
                    lines += read_bounded(source, MAX_SETTINGS_BYTES).decode("utf-8", errors="replace").splitlines()
                except Unreadable as exc:
                    self.problems.append(InputError(str(source), f"{exc}; its ignore rules are not applied"))
            if lines:
                self._specs[folder] = _spec_from(lines)
            else:
                self._specs[folder] = None
        return self._specs[folder]


def _spec_from(lines: list[str]):
    """A GitIgnoreSpec of the lines; like git, a line that is no valid pattern is skipped."""
    import pathspec  # only when some folder really has a .gitignore

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except Exception:  # pathspec's pattern errors, ValueError
        kept = []
        for line in lines:
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
            except Exception:
                continue
            kept.append(line)
        return pathspec.GitIgnoreSpec.from_lines(kept)
