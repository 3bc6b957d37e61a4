"""Which files found by walking a folder are letters to check: config excludes and .gitignore.

Git's ignore rules are read from the files themselves (``.gitignore`` in every folder from the
repository root down, plus ``.git/info/exclude``) with ``pathspec``'s GitIgnoreSpec, so no ``git``
binary is needed and a letters folder that is not a repository works the same way.
"""

from __future__ import annotations

from pathlib import Path


class GitIgnore:
    """Answers "would git ignore this file?"; caches each folder's rules. One per run."""

    def __init__(self) -> None:
        self._specs: dict[Path, object] = {}
        self._roots: dict[Path, Path | None] = {}

    def ignores(self, file: Path) -> bool:
        file = file.resolve()
        root = self._repo_root(file.parent)
        if root is None:
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
        if folder in self._roots:
            return self._roots[folder]
        root = folder if (folder / ".git").exists() else (None if folder.parent == folder else self._repo_root(folder.parent))
        self._roots[folder] = root
        return root

    def _spec(self, folder: Path, is_root: bool):
        if folder not in self._specs:
            lines: list[str] = []
            sources = [folder / ".gitignore"] + ([folder / ".git" / "info" / "exclude"] if is_root else [])
            for source in sources:
                try:
                    lines += source.read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    pass
            if lines:
                import pathspec  # only when some folder really has a .gitignore

                self._specs[folder] = pathspec.GitIgnoreSpec.from_lines(lines)
            else:
                self._specs[folder] = None
        return self._specs[folder]
