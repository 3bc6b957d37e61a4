"""A cache of the loaded rule set and its compiled cues, so that a cold run does not redo them.

Loading and validating the rule files (~60 ms) and compiling their cue patterns (~70 ms) were a
third of what a one-letter ``check --no-cache`` spends above spaCy's import (issue 17). Both are
pure functions of the rule files' bytes, lintletter's code and the pipeline in ``models/``, so
they are kept, like Python's bytecode, in the user's cache folder
(``$LINTLETTER_COMPILED_CACHE``, else ``$XDG_CACHE_HOME/lintletter/compiled``, else
``~/.cache/lintletter/compiled``), whatever ``--no-cache`` says (that flag is about the result
cache, which holds reports). ``LINTLETTER_COMPILED_CACHE=off`` turns it off.

The key is the result cache's: :func:`lintletter.cache._code_fingerprint` (lintletter's version
and modules, Python, spaCy, PyYAML, the models) and :func:`lintletter.cache.rules_fingerprint`
(every rule file's name and bytes, read with the bounded read). An entry is read with a bounded
read (a regular file, no link, at most :data:`MAX_BYTES`), must carry this format's magic, its
own key and a matching CRC-32, and is unpickled by an unpickler that makes only lintletter's own
classes and a few plain ones (no function of any module is callable from an entry); anything
else, or any error, is a miss: the rules are loaded and compiled again and the entry rewritten
(atomically: a temporary file and ``os.replace``). A rule set with problems is never cached.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import zlib
from pathlib import Path
from typing import Sequence

FORMAT = 1
MAGIC = b"lintletter-compiled\0"
MAX_BYTES = 32 * 1024 * 1024
#: entries kept (one per set of rule folders and code): the oldest go when a write passes this
MAX_ENTRIES = 8
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)

#: (module, name) an entry may name besides lintletter's own classes
_ALLOWED = frozenset(
    {
        ("builtins", n)
        for n in ("set", "frozenset", "dict", "list", "tuple", "str", "bytes", "int", "float", "bool", "complex", "slice", "object")
    }
    | {("re", "_compile"), ("pathlib", "PosixPath"), ("pathlib", "WindowsPath"), ("pathlib", "Path"), ("collections", "OrderedDict")}
    | {("copyreg", "_reconstructor")}
    | {(m, "_reconstruct") for m in ("numpy.core.multiarray", "numpy._core.multiarray")}
    | {(m, "_frombuffer") for m in ("numpy.core.numeric", "numpy._core.numeric")}
    | {("numpy", "ndarray"), ("numpy", "dtype")}
)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if "." in name:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed")
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        if module == "lintletter" or module.startswith("lintletter."):
            found = super().find_class(module, name)
            if isinstance(found, type):  # a class of ours; never a function
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed")


def folder() -> Path | None:
    """Where entries are kept, or None when the cache is off."""
    chosen = os.environ.get("LINTLETTER_COMPILED_CACHE")
    if chosen is not None:
        if chosen.strip().lower() in ("", "0", "off", "no", "false"):
            return None
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lintletter" / "compiled"


def key_for(rule_dirs: Sequence[Path]) -> str:
    from .cache import _code_fingerprint, rules_fingerprint
    from .model import builtin_rules_dir

    dirs = [builtin_rules_dir(), *rule_dirs]
    return hashlib.sha256(f"{FORMAT}\0{_code_fingerprint()}\0{rules_fingerprint(dirs)}".encode()).hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        fd = os.open(path, _READ_FLAGS)
    except (OSError, ValueError):
        return None
    try:
        import stat

        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        data = os.read(fd, st.st_size + 1)
        return data if len(data) == st.st_size else None  # grew or shrank while read: a miss
    except OSError:
        return None
    finally:
        os.close(fd)


def read(key: str):
    """The (rule set, cues state) stored for ``key``, or None."""
    where = folder()
    if where is None:
        return None
    data = _read(where / f"v{FORMAT}" / key)
    head = len(MAGIC) + 64 + 4
    if data is None or len(data) < head or not data.startswith(MAGIC):
        return None
    if data[len(MAGIC) : len(MAGIC) + 64] != key.encode():
        return None
    crc = int.from_bytes(data[head - 4 : head], "big")
    body = data[head:]
    if zlib.crc32(body) != crc:
        return None
    import gc

    # ~20,000 small objects and no cycles to find: the collector, run every 700 of them, was
    # three quarters of the load (~35 of ~45 ms)
    enabled = gc.isenabled()
    gc.disable()
    try:
        value = _Unpickler(io.BytesIO(body)).load()
    except Exception:  # a damaged or foreign entry is a miss, whatever it raises
        return None
    finally:
        if enabled:
            gc.enable()
    from .model import RuleSet

    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], RuleSet) and isinstance(value[1], dict)):
        return None
    return value


def write(key: str, ruleset, cues_state: dict) -> None:
    """Store an entry; any failure (read-only home, full disk) leaves the run as it was."""
    where = folder()
    if where is None:
        return
    try:
        body = pickle.dumps((ruleset, cues_state), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # something in the rule set cannot be pickled: no entry
        return
    data = MAGIC + key.encode() + zlib.crc32(body).to_bytes(4, "big") + body
    if len(data) > MAX_BYTES:
        return
    import tempfile

    entries = where / f"v{FORMAT}"
    try:
        entries.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entries, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, entries / key)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        _prune(entries, keep=key)
    except OSError:
        return


def _prune(entries: Path, keep: str) -> None:
    """At most :data:`MAX_ENTRIES` entries: the least recently written go (a run that edits its
    rule files leaves one entry per version of them)."""
    found = []
    with os.scandir(entries) as listing:
        for entry in listing:
            if entry.name != keep and entry.is_file(follow_symlinks=False):
                try:
                    found.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
                except OSError:
                    continue
    found.sort()
    for _, path in found[: max(0, len(found) + 1 - MAX_ENTRIES)]:
        try:
            os.unlink(path)
        except OSError:
            pass


def clean() -> Path | None:
    """Remove the compiled-rules entries (``lintletter clean``): only files named as entries or as
    this module's temporary files, never following a link; the folders go when nothing else is in
    them. Returns the folder when there was something to remove."""
    from .cache import _KEY  # entries are named by their key, as the result cache's are

    where = folder()
    if where is None or where.is_symlink() or not where.is_dir():
        return None
    removed = False
    for sub in where.iterdir():
        if not (sub.name.startswith("v") and sub.name[1:].isdigit()) or sub.is_symlink() or not sub.is_dir():
            continue
        for entry in sub.iterdir():
            named = _KEY.match(entry.name) is not None or entry.name.startswith(".tmp-")
            if named and not entry.is_symlink() and entry.is_file():
                try:
                    entry.unlink()
                    removed = True
                except OSError:
                    pass
        try:
            sub.rmdir()
        except OSError:  # something that is not ours is left in it
            pass
    try:
        where.rmdir()
    except OSError:
        pass
    return where if removed else None


def lookup(rule_dirs: Sequence[Path]):
    """(rule set, cues state or None, key or None) for ``rule_dirs`` (after the built-in rules):
    the stored ones when an entry for exactly these files (and this code and these models) is
    there, else the rule set loaded now and no state. Raises what :func:`load_ruleset` raises."""
    key = key_for(rule_dirs) if folder() is not None else None
    found = read(key) if key is not None else None
    if found is not None:
        return found[0], found[1], key
    from .ruleset import load_ruleset  # (and PyYAML): only when the rules are read

    return load_ruleset(list(rule_dirs)), None, key


def cues_for(nlp, ruleset, state: dict | None, key: str | None):
    """The :class:`~lintletter.cues.CompiledCues` of ``ruleset``: restored from ``state`` (from
    :func:`lookup`), else compiled now and, with a key, stored with the rule set."""
    from .cues import CompiledCues

    if state is not None:
        try:
            return CompiledCues.restore(nlp, state)
        except Exception:  # a state this code cannot use: compile again
            pass
    cues = CompiledCues(nlp, ruleset)
    if key is not None:
        write(key, ruleset, cues.export())
    return cues
