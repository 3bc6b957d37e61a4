"""Word documents (.docx) as letters, read with python-docx.

python-docx (MIT, maintained since 2013, pure Python over lxml) resolves the package's parts from
its relationships and parses XML with entity resolution off; we only walk the body it hands us.

What is read: every paragraph of the document body in order, including those in table cells (a
letterhead or signature laid out in a table) and tracked insertions; deleted text, field codes,
text boxes, headers, footers, footnotes and comments are not the letter and are left out. Empty
paragraphs are dropped and the rest joined with one blank line, so the anatomy parser sees Word's
paragraphs as paragraphs; a line break inside a paragraph (Shift+Enter) stays a line break.
Positions therefore refer to this extracted text, which a note on every .docx letter says.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import InputError
from . import Extracted

#: Cap on the unpacked size of all parts: a letter is a few hundred kB; this stops zip bombs.
#: zipfile never inflates a member past its declared size, so summing declared sizes is enough.
MAX_UNPACKED = 50 * 1024 * 1024
NOT_DOCX = "not a valid Word .docx file"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # stream name in a password-protected .docx

POSITIONS_NOTE = "positions count lines of the text extracted from the Word document, one blank line between paragraphs"
# Text-bearing run children (w:r/ because w:pPr holds tab *stops* named w:tab too). w:delText
# (deleted text) and w:instrText (field codes) are deliberately absent.
_TEXT_XPATH = (
    "(.//w:r/w:t | .//w:r/w:tab | .//w:r/w:br | .//w:r/w:cr | .//w:r/w:noBreakHyphen)"
    "[not(ancestor::w:txbxContent)][not(ancestor::w:del)]"  # w:p only nests inside text boxes
)


def read(data: bytes, path: str) -> Extracted:
    _check_container(data, path)
    try:
        import docx
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise InputError(path, "reading .docx needs python-docx (pip install python-docx)") from None
    try:
        document = docx.Document(io.BytesIO(data))
        text = _body_text(document.element.body)
    except _TooMuchText:
        from ..reading import MAX_BYTES

        raise InputError(path, f"Word document holds more than {MAX_BYTES // (1024 * 1024)} MB of text") from None
    except Exception:  # python-docx, lxml and zipfile raise many types on damaged or non-Word packages
        raise InputError(path, f"{NOT_DOCX} (damaged, or not a Word document)") from None
    if not text.strip():
        raise InputError(path, "Word document has no text")
    return Extracted(text, "utf-8", (POSITIONS_NOTE,))


def _check_container(data: bytes, path: str) -> None:
    """Refuse old .doc files, encrypted documents, non-zips and zip bombs with a clear reason."""
    if data.startswith(_OLE2_MAGIC):
        if _ENCRYPTED in data:
            raise InputError(path, "Word document is password-protected; save a copy without a password")
        raise InputError(path, "old Word .doc format is not supported; save as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:  # BadZipFile, or NotImplementedError/ValueError/EOFError on odd headers
        why = "truncated or damaged zip archive" if data.startswith(b"PK\x03\x04") else "not a zip archive"
        raise InputError(path, f"{NOT_DOCX} ({why})") from None
    names = {info.filename for info in infos}
    # Not "word/document.xml" exactly: Word Online may name the main part word/document2.xml, and
    # python-docx finds it through the package relationships.
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        raise InputError(path, f"{NOT_DOCX} (a zip archive with no Word document inside)")
    if sum(info.file_size for info in infos) > MAX_UNPACKED:
        raise InputError(path, f"Word document unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB")


class _TooMuchText(Exception):
    pass


def _body_text(body) -> str:
    from ..reading import MAX_BYTES

    paragraphs = []
    size = 0
    for p in body.xpath(".//w:p[not(ancestor::w:txbxContent)]"):
        text = "".join(str(el) for el in p.xpath(_TEXT_XPATH))
        if text.strip():
            paragraphs.append(text)
            size += len(text) + 2
            if size > MAX_BYTES:  # a small, highly compressed document can hold far more text
                raise _TooMuchText
    return "\n\n".join(paragraphs) + "\n"

