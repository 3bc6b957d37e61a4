"""E-mail files (.eml, RFC 5322/MIME) as letters, with the stdlib ``email`` package.

The reply is the message's text/plain body (``get_body`` skips attachments); without one, its
text/html body converted to text (see ``html_text``, which leaves out the quoted history). The
Subject is kept as a ``Subject: …`` line on top, as the anatomy parser expects; other headers are not
prose and are left out. Quoted history and signatures in the text are left to the anatomy parser.

Positions, as well as the format allows:

* A single-part text/plain message in 7bit/8bit whose body bytes are exactly the file's (and whose
  Subject is one unencoded line) is read *in place*: the text is the file itself with every header
  line except Subject blanked to spaces, so line and column point into the .eml file.
* Anything else (multipart, quoted-printable, base64, HTML, an encoded or folded Subject) gives
  ``Subject: …``, a blank line and the decoded body, with a note that positions refer to that text.
"""

from __future__ import annotations

import codecs
import email
import email.errors
import email.policy
import re
from email.message import EmailMessage

from ..errors import InputError
from . import Extracted
from .html_text import html_to_text

#: At least one of these marks a file as an e-mail rather than a letter saved as .eml.
_MAIL_HEADERS = {"from", "to", "cc", "subject", "date", "message-id", "mime-version", "content-type", "received"}
_IN_PLACE_ENCODINGS = {"7bit", "8bit", "binary"}
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_SUBJECT_LINE = re.compile(r"subject[ \t]*:[ \t]*(.*?)\r?\n?", re.I | re.S)
#: Control characters a text body never holds; they mean a damaged or mislabelled encoding.
_BINARY = re.compile(r"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")


def read(data: bytes, path: str) -> Extracted:
    """The letter in an e-mail's bytes. Whatever the message holds, the outcome is that or an
    InputError for this file: the stdlib parser meets hostile input here (charsets that are not
    text encodings, thousands of nested parts), and none of it may stop the run."""
    if b"\x00" in data:
        raise InputError(path, "binary file (contains NUL bytes), not an e-mail")
    try:
        return _read(data, path)
    except InputError:
        raise
    except RecursionError:
        raise InputError(path, "e-mail is nested too deeply (MIME parts inside parts) to read") from None
    except Exception as exc:  # the email package raises many types on damaged messages
        raise InputError(path, f"e-mail is damaged and cannot be read ({exc.__class__.__name__})") from None


def _read(data: bytes, path: str) -> Extracted:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)  # policy.default builds EmailMessage objects
    if not _MAIL_HEADERS & {k.lower() for k in msg.keys()}:
        raise InputError(path, "not an e-mail message (no From, To, Subject or Date header)")
    if any(isinstance(d, email.errors.StartBoundaryNotFoundDefect) for d in msg.defects):
        raise InputError(path, "e-mail is damaged: its MIME parts are missing (truncated file?)")
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        raise InputError(path, "e-mail has no text/plain or text/html part to read")
    body, charset, notes = _decode_body(part, path)
    is_html = part.get_content_subtype() == "html"
    if is_html:
        body = html_to_text(body)
    if not body.strip():
        raise InputError(path, "e-mail body is empty")
    subject = _subject(msg)

    in_place = _in_place(data, msg, part, charset, subject)
    if in_place is not None:
        return Extracted(in_place, charset, notes)
    if is_html:
        where = "the text converted from the e-mail's HTML part (quoted history left out)"
    else:
        where = "the decoded text/plain part"
    notes += (f"positions refer to {where}, not the raw .eml file",)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    top = f"Subject: {subject}\n\n" if subject else ""
    return Extracted(top + body, charset, notes)


def _subject(msg: EmailMessage) -> str:
    try:
        value = msg.get("subject")
        text = str(value or "")
    except (email.errors.HeaderParseError, ValueError, IndexError, LookupError, UnicodeError):  # malformed encoded words
        return ""
    return " ".join(_without_surrogates(text).split())  # unfolded, no line breaks


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(text: str) -> str:
    """Lone surrogates (UTF-7 can encode them) cannot be written as UTF-8: show them as U+FFFD,
    one character for one so positions hold (LL315 then reports them)."""
    return _SURROGATE.sub("\ufffd", text)


def _decode_body(part: EmailMessage, path: str) -> tuple[str, str, tuple[str, ...]]:
    """The part's text, the charset it was read with, and notes on any fallback."""
    payload = part.get_payload(decode=True)  # records base64 defects on the part as it decodes
    if any(isinstance(d, email.errors.InvalidBase64LengthDefect) for d in part.defects):
        raise InputError(path, "e-mail body's base64 encoding is damaged")
    if not isinstance(payload, bytes):
        raise InputError(path, "e-mail body cannot be decoded")
    declared = part.get_content_charset()
    charset = _known_charset(declared)
    notes: tuple[str, ...] = ()
    if charset is None or charset == "ascii":
        # No charset, us-ascii or an unknown name: 8-bit text is almost always UTF-8, else Windows-1252.
        try:
            text, charset = payload.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, charset = payload.decode("cp1252", errors="replace"), "cp1252"
        if declared and declared not in ("us-ascii", "ascii", charset):
            notes = (f"unknown charset {_shown(declared)!r} in the e-mail; read as {charset}",)
    else:
        try:
            text = payload.decode(charset)
        except (UnicodeError, ValueError):
            raise InputError(path, f"e-mail body is not valid {_shown(declared)} text") from None
    text = _without_surrogates(text)
    if _BINARY.search(text):
        raise InputError(path, "e-mail body holds binary data, not text (damaged encoding?)")
    return text, charset, notes


#: Python codecs that decode bytes to text but are no mail charset (escape syntaxes, IDNA labels):
#: treated like unknown names. Codecs that are not text encodings at all (rot13, base64, zlib...)
#: are refused by codecs.lookup's own flag.
_NOT_CHARSETS = {"unicode_escape", "raw_unicode_escape", "punycode", "idna", "undefined", "unicode_internal"}


def _shown(name: str) -> str:
    """A declared charset as messages quote it: a name, not 5,000 characters of one."""
    return name if len(name) <= 40 else name[:39] + "…"


def _known_charset(name: str | None) -> str | None:
    """The codec for a declared charset, or None for a name that is no text encoding we should use."""
    if not name:
        return None
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError, TypeError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name.replace("-", "_") in _NOT_CHARSETS:
        return None
    return info.name


def _in_place(data: bytes, msg: EmailMessage, part: EmailMessage, charset: str, subject: str) -> str | None:
    """The .eml file itself with headers other than Subject blanked, when its body is the letter."""
    if part is not msg or part.get_content_type() != "text/plain":
        return None
    if (part.get("content-transfer-encoding") or "7bit").strip().lower() not in _IN_PLACE_ENCODINGS:
        return None
    end = _HEADER_END.search(data)
    if end is None or part.get_payload(decode=True) != data[end.end() :]:
        return None
    try:
        head = data[: end.end()].decode("utf-8")  # RFC 6532 allows UTF-8 in headers
        body = _without_surrogates(data[end.end() :].decode(charset))
    except (UnicodeError, ValueError, LookupError):
        return None
    lines = head.splitlines(keepends=True)
    kept: list[str] = []
    subject_seen = False
    for i, line in enumerate(lines):
        m = _SUBJECT_LINE.fullmatch(line)
        folded = i + 1 < len(lines) and lines[i + 1][:1] in (" ", "\t")
        if m and not subject_seen:
            subject_seen = True
            if folded or " ".join(m.group(1).split()) != subject:
                return None  # an encoded or folded Subject cannot be shown in place
            kept.append(line)
        else:
            content = line.rstrip("\r\n")
            kept.append(" " * len(content) + line[len(content) :])
    return "".join(kept) + body
