"""Paths to letter texts: files, folders (recursive) and stdin. The only module that reads letters.

Decoding: UTF-8 (a BOM is dropped), UTF-16 with a BOM, then Windows-1252 for old Word exports; a
file with NUL bytes that is not UTF-16 is refused as binary. E-mails (.eml) and Word documents
(.docx) go to the readers in ``lintletter.readers``, chosen by suffix. Nothing here ever writes.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from .errors import InputError
from .readers import reader_for

LETTER_SUFFIXES = (".txt", ".md", ".markdown", ".mdx", ".eml", ".docx")
#: The most a letter may be (a file, stdin, or the text extracted from an e-mail or Word document).
MAX_BYTES = 20 * 1024 * 1024
#: The most a rule file, config file or .gitignore may be: they are a few kB.
MAX_SETTINGS_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Source:
    path: str  # as given (or found under a folder given); "-" for stdin
    text: str
    encoding: str = "utf-8"
    #: How the text was obtained when that is worth telling the user (a fallback encoding, the
    #: part of an e-mail that was read). Each note becomes an info finding on the letter.
    notes: tuple[str, ...] = ()


def decode(data: bytes, path: str) -> tuple[str, str, tuple[str, ...]]:
    """Bytes of a plain-text letter -> (text, encoding, notes on any choice the user should know of)."""
    if data.startswith(b"\xef\xbb\xbf"):
        text, replaced = _utf8(data[3:])
        return text, "utf-8-sig", replaced
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", ("read as UTF-16 (the file starts with a UTF-16 byte-order mark)",)
        except UnicodeDecodeError:
            raise InputError(path, "looks like UTF-16 but cannot be decoded") from None
    if b"\x00" in data:
        raise InputError(path, "binary file (contains NUL bytes), not a letter")
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    try:  # old Word and Outlook exports on Windows; Latin-1 text reads the same way
        return data.decode("cp1252"), "cp1252", ("not valid UTF-8; read as Windows-1252 (Latin-1)",)
    except UnicodeDecodeError:
        text, notes = _utf8(data)
        return text, "utf-8", notes


def _utf8(data: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8, with undecodable bytes replaced by U+FFFD and a note saying how many."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    return text, ((f"{bad} byte(s) are not valid UTF-8 and were replaced by \ufffd",) if bad else ())


class Unreadable(Exception):
    """A file :func:`read_bounded` refused or could not read; ``str()`` is the one-line reason."""


class Missing(Unreadable):
    """There is no such file."""


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} kB"


def _not_regular(mode: int) -> str:
    kind = (
        "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a FIFO" if stat.S_ISFIFO(mode)
        else "a socket" if stat.S_ISSOCK(mode)
        else "a special file"
    )  # fmt: skip
    return f"not a regular file ({kind}); only regular files are read"


def read_bounded(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else :class:`Unreadable`.

    Every file lintletter reads goes through here (letters, rule files, config files, .gitignore).
    Only regular files are read: ``/dev/zero`` or ``/dev/urandom`` (or a link to one) would fill
    memory, and a FIFO would block forever; they are refused without reading a byte. The file is
    opened non-blocking (so even a FIFO swapped in after a check cannot hang the open), read-only,
    and never more than ``limit`` + 1 bytes are read, whatever its size claims to be.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise Missing("no such file or folder") from None
    except PermissionError:
        raise Unreadable("permission denied") from None
    except IsADirectoryError:
        raise Unreadable("is a folder") from None
    except OSError as exc:
        raise Unreadable(f"cannot read ({exc.strerror or exc.__class__.__name__})") from None
    try:
        with os.fdopen(fd, "rb", buffering=0) as handle:
            return _read_regular(handle, limit)
    except OSError as exc:
        raise Unreadable(f"cannot read ({exc.strerror or exc.__class__.__name__})") from None


def _read_regular(handle: BinaryIO, limit: int) -> bytes:
    st = os.fstat(handle.fileno())
    if stat.S_ISDIR(st.st_mode):
        raise Unreadable("is a folder")
    if not stat.S_ISREG(st.st_mode):
        raise Unreadable(_not_regular(st.st_mode))
    if st.st_size > limit:
        raise Unreadable(f"file is larger than {_size(limit)}")
    data = read_capped(handle, limit, st.st_size)
    if data is None:  # it grew while we read it, or is a /proc-style file with no size
        raise Unreadable(f"file is larger than {_size(limit)}")
    return data


def read_capped(stream: BinaryIO, limit: int, expected: int | None = None) -> bytes | None:
    """At most ``limit`` bytes from ``stream``, or None if there are more. ``expected``: the size
    the file says it has, read in one call (a 1 MB buffer per call made reading a 4 KB letter,
    or a cache entry, cost more than all the rest of it); then small reads up to the end."""
    parts: list[bytes] = []
    total = 0
    chunk = 1024 * 1024 if expected is None else expected + 1
    while total <= limit:
        part = stream.read(min(chunk, limit + 1 - total))
        chunk = 1024 * 1024 if expected is None else 64 * 1024
        if not part:
            break
        parts.append(part)
        total += len(part)
    return None if total > limit else b"".join(parts)


def read_file(path: Path, shown: str) -> Source:
    return extract(read_bytes(path, shown), shown)


def read_bytes(path: Path, shown: str) -> bytes:
    """A letter file's bytes (a regular file of at most ``MAX_BYTES``), or an InputError that says why not."""
    try:
        return read_bounded(path, MAX_BYTES)  # read-only: lintletter never writes a letter
    except Unreadable as exc:
        raise InputError(shown, str(exc)) from None


def read_stdin(name: str) -> Source:
    """The letter on standard input, capped like a file."""
    return extract(read_stdin_bytes(name), name)


def read_stdin_bytes(name: str) -> bytes:
    """Standard input's bytes (at most ``MAX_BYTES``), or an InputError that says why not."""
    stream = getattr(sys.stdin, "buffer", None)
    try:
        if stream is None:  # a text stream (tests): the cap still holds, in characters
            text = sys.stdin.read(MAX_BYTES + 1)
            data = None if len(text) > MAX_BYTES else text.encode("utf-8", "surrogateescape")
        else:
            data = read_capped(stream, MAX_BYTES)
    except OSError as exc:
        raise InputError(name, f"cannot read standard input ({exc.strerror or exc.__class__.__name__})") from None
    if data is None:
        raise InputError(name, f"standard input is larger than {_size(MAX_BYTES)}")
    return data


def _suffix(shown: str) -> str:
    """``Path(shown).suffix.lower()`` without making a Path (a thousand of them were a tenth of a
    run from a warm cache): from the last dot of the name, unless that is its first character."""
    name = os.path.basename(shown)
    if not name or name.endswith("."):  # "notes.txt/", "a/.", "draft.": pathlib decides (its answer
        return Path(shown).suffix.lower()  # for a trailing dot changed in Python 3.14)
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


def extract(data: bytes, shown: str) -> Source:
    """The letter in ``data``; the suffix of ``shown`` picks the reader (plain text by default)."""
    suffix = _suffix(shown)
    if suffix == ".doc":  # would otherwise be refused as "binary", which does not say what to do
        raise InputError(shown, "old Word .doc format is not supported; save as .docx")
    reader = reader_for(suffix)
    if reader is not None:
        text, encoding, notes = reader(data, shown)
        return Source(shown, text, encoding, notes)
    text, encoding, notes = decode(data, shown)
    return Source(shown, text, encoding, notes)


def expand(paths: list[str]) -> Iterator[tuple[str, Path | None]]:
    """Yield (shown path, Path) for every letter named; folders are walked in sorted order.

    Yields (shown, None) for "-" (stdin). Missing paths are yielded as-is so reading reports them.
    """
    for given in paths:
        if given == "-":
            yield given, None
            continue
        p = Path(given)
        if p.is_dir():
            found = [f for f in walk(p) if f.name.lower().endswith(LETTER_SUFFIXES)]
            if not found:
                yield given, p  # reported as "no letters found"
            for f in sorted(found, key=_parts):  # Path order, compared as tuples in C (not __lt__ per pair)
                yield str(f), f
        else:
            yield given, p


#: A rule folder holding more files and folders than this (all the way down) is refused: a config's
#: ``rules: [../../..]`` can name ``/``, and the whole file system was walked (minutes, gigabytes).
MAX_RULE_TREE = 10_000


class TreeTooLarge(Unreadable):
    """A folder :func:`walk` was given a limit for holds more entries than that."""


def _parts(path: Path) -> tuple[str, ...]:
    return path.parts


def walk(top: Path, limit: int | None = None) -> Iterator[Path]:
    """Every file under ``top`` (following links to folders, each folder once), skipping names
    that start with a dot; in no particular order.

    Iterative, unlike os.walk before Python 3.12, so 1,200 nested folders are no RecursionError.
    A folder that cannot be listed is skipped, as os.walk does. With ``limit``, raises
    :class:`TreeTooLarge` once more than that many entries (files and folders) have been listed.
    """
    import itertools

    seen: set[tuple[int, int]] = set()
    stack = [str(top)]
    listed_so_far = 0
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen:  # a symlink loop, or two links to one folder
                continue
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as entries:
                listed = list(entries) if limit is None else list(itertools.islice(entries, limit - listed_so_far + 1))
        except OSError:
            continue
        listed_so_far += len(listed)
        if limit is not None and listed_so_far > limit:
            raise TreeTooLarge(f"holds more than {limit:,} files and folders")
        for entry in listed:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()  # follows links, as os.walk(followlinks=True) does
            except OSError:
                is_dir = False
            if is_dir:
                stack.append(entry.path)
            else:
                yield Path(entry.path)


def read_all(paths: list[str], stdin_name: str | None = None) -> Iterator[Source | InputError]:
    """Read every letter named; ``stdin_name`` is the path reported for "-" (editors pass the buffer's file)."""
    for shown, path in expand(paths):
        if path is None:
            try:
                yield read_stdin(stdin_name or "-")
            except InputError as exc:
                yield exc
            continue
        if path.is_dir():
            yield InputError(shown, "folder contains no .txt or .md letters, nor .eml or .docx files")
            continue
        try:
            yield read_file(path, shown)
        except InputError as exc:
            yield exc
