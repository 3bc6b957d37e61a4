"""Readers for letters that are not plain text: e-mails (.eml) and Word documents (.docx).

Each reader is a pure function ``read(data, path) -> Extracted`` of the file's bytes; ``path`` is
only used in error messages. Readers raise :class:`~lintletter.errors.InputError` with a one-line
reason for anything they cannot read. ``lintletter.reading`` picks the reader by suffix.
"""

from __future__ import annotations

from typing import Callable, NamedTuple


class Extracted(NamedTuple):
    text: str
    encoding: str
    #: Short sentences on how the text was obtained (see ``reading.Source.notes``).
    notes: tuple[str, ...] = ()


def reader_for(suffix: str) -> Callable[[bytes, str], Extracted] | None:
    """The reader for a lower-case file suffix, or None for plain-text letters."""
    if suffix == ".eml":
        from . import eml

        return eml.read
    if suffix == ".docx":
        from . import docx  # imports python-docx only when a .docx is read

        return docx.read
    return None
