"""Paths to letter texts: files, folders (recursive) and stdin. The only module that reads letters.

Decoding: UTF-8 (a BOM is dropped), UTF-16 with a BOM, then Windows-1252 for old Word exports; a
file with NUL bytes that is not UTF-16 is refused as binary. E-mails (.eml) and Word documents
(.docx) go to the readers in ``lintletter.readers``, chosen by suffix. Nothing here ever writes.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import InputError
from .readers import reader_for

LETTER_SUFFIXES = (".txt", ".md", ".markdown", ".mdx", ".eml", ".docx")
MAX_BYTES = 20 * 1024 * 1024


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


def read_file(path: Path, shown: str) -> Source:
    return extract(read_bytes(path, shown), shown)


def read_bytes(path: Path, shown: str) -> bytes:
    """A letter file's bytes (at most ``MAX_BYTES``), or an InputError that says why not."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(shown, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        with path.open("rb") as handle:  # read-only: lintletter never writes a letter
            return handle.read()
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(shown, "no such file or folder") from None
    except PermissionError:
        raise InputError(shown, "permission denied") from None
    except IsADirectoryError:
        raise InputError(shown, "is a folder") from None
    except OSError as exc:
        raise InputError(shown, f"cannot read ({exc.strerror or exc.__class__.__name__})") from None


def extract(data: bytes, shown: str) -> Source:
    """The letter in ``data``; the suffix of ``shown`` picks the reader (plain text by default)."""
    suffix = Path(shown).suffix.lower()
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
            found = []
            seen_dirs: set[tuple[int, int]] = set()
            for root, dirs, files in os.walk(p, followlinks=True):
                st = os.stat(root)
                if (st.st_dev, st.st_ino) in seen_dirs:  # symlink loop
                    dirs[:] = []
                    continue
                seen_dirs.add((st.st_dev, st.st_ino))
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in files:
                    if name.lower().endswith(LETTER_SUFFIXES) and not name.startswith("."):
                        found.append(Path(root) / name)
            if not found:
                yield given, p  # reported as "no letters found"
            for f in sorted(found):
                yield str(f), f
        else:
            yield given, p


def read_all(paths: list[str], stdin_name: str | None = None) -> Iterator[Source | InputError]:
    """Read every letter named; ``stdin_name`` is the path reported for "-" (editors pass the buffer's file)."""
    for shown, path in expand(paths):
        if path is None:
            data = sys.stdin.buffer.read()
            name = stdin_name or "-"
            try:
                yield extract(data, name)
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
