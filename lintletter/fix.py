"""``lintletter fix``: insert the suggested sentences where they belong. Pure: text + report -> edits.

Where each kind of sentence goes (the rule's ``insert_at``):

- ``salutation``: a greeting line above the first line of the body ("Dear Marcus,");
- ``first_paragraph``: a missing acknowledgement or interest, as a line at the end of the first body
  paragraph (at its start when the paragraph leads in to a list, "I have three questions:");
- ``asks``: the missing asks, as one short paragraph after the last body paragraph, so before the
  closing, the signature, a P.S. and any quoted history;
- ``signoff``: thanks and the door left open, one paragraph after the asks;
- ``closing``: above the signature, or at the end of the writer's text when there is none;
- ``signature``: the writer's name under the closing (only when the letter says who the writer is).

Only section rules whose section is *missing* are fixed (a weak section needs rewriting, which a
tool should not do for the writer), and only findings whose suggestion is a sentence for this
letter (not advice: "greet the person who interviewed you by name" cannot be inserted).

Edits only insert whole lines: every line of the letter is kept as it is, and line breaks,
wrapping width and the apostrophe follow the letter's own. Nothing here reads or writes a file;
``lintletter.fixing`` does that, and :func:`apply_bytes` keeps the file's encoding and bytes.
"""

from __future__ import annotations

import difflib
import functools
import re
import textwrap
from dataclasses import dataclass
from typing import Iterable, Sequence

from . import anatomy
from .model import Report, Status

#: The order of sentences inserted at the same place.
#: A last paragraph that signs off rather than asks.
_SIGN_OFF = re.compile(
    r"\s*(?:and\s+)?(?:once\s+again,?\s+|again,?\s+)?(?:thank|thanks|many thanks|i (?:really |truly )?appreciate"
    r"|i look forward|looking forward|i hope to hear|hope to hear|i hope you have|have a (?:great|good|lovely))",
    re.I,
)
PLACE_ORDER = ("salutation", "first_paragraph", "asks", "signoff", "closing", "signature")
_WRAPPED_MIN, _WRAPPED_MAX = 50, 100


@dataclass(frozen=True)
class Edit:
    """One finding's sentence and where it goes.

    ``offset`` is always the start of a line (or the end of the text); ``mode`` says how the
    sentence sits there: ``line`` (its own line, joining the paragraph or block it touches),
    ``paragraph`` (a paragraph of its own after what comes before) or ``paragraph_first`` (a
    paragraph of its own before what comes after)."""

    code: str
    place: str
    offset: int
    mode: str
    text: str
    #: what starts each inserted line: "> " for a letter quoted in a document, so the sentence stays
    #: inside the blockquote (a blank line gets ">")
    prefix: str = ""


@dataclass(frozen=True)
class Insertion:
    """Text to insert at ``offset``, made of one or more edits."""

    offset: int
    text: str
    codes: tuple[str, ...]


class _Layout:
    """Where things are in the letter, in lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.letter = anatomy.parse(text)
        self.lines = anatomy.split_lines(text)
        self.starts = [line.start for line in self.lines]

    def line_of(self, offset: int) -> int:
        import bisect

        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def after(self, index: int) -> int:
        """The offset just after line ``index`` (and its line break)."""
        return self.lines[index + 1].start if index + 1 < len(self.lines) else len(self.text)

    def at_line_start(self, offset: int) -> bool:
        line = self.lines[self.line_of(offset)]
        return not self.text[line.start : offset].strip()

    @functools.cached_property
    def greeting(self):
        """The salutation, or a printed letter's greeting below its address block."""
        from .about import salutation_of

        return salutation_of(self.letter)

    def body(self) -> list:
        """The writer's body blocks: below the greeting, above the closing (read or not), the
        signature and the quoted message."""
        letter = self.letter
        top = self.greeting.end if self.greeting is not None else -1
        ends = [p.start for p in (letter.closing, letter.signature, letter.quote) if p is not None]
        unread = self.unread_closing()
        limit = min(ends + ([unread] if unread is not None else []) or [len(self.text)])
        return [b for b in letter.blocks if b.region == "body" and top <= b.span.start < limit]

    @functools.cached_property
    def _unread(self) -> int | None:
        return self._find_unread_closing()

    def unread_closing(self) -> int | None:
        return self._unread

    def _find_unread_closing(self) -> int | None:
        """Where a closing the parser did not read begins ("Sincerely," above a job title too long
        for it, "With best wishes for the year ahead,"): walking up from the end of the writer's
        text over signature-like lines, a line that closes a letter. None when there is none, or
        when the parser read the closing."""
        letter = self.letter
        if letter.closing is not None:
            return None
        end = letter.quote.start if letter.quote else len(self.text)
        start = self.greeting.end if self.greeting is not None else 0
        in_ps = lambda line: any(p.start <= line.start <= p.end for p in letter.postscripts)
        tail = [i for i, line in enumerate(self.lines) if start <= line.start < end and not line.blank and not in_ps(line)]
        for k, i in enumerate(reversed(tail[-9:])):
            text = self.lines[i].text.strip()
            # a line of its own, or the first line of what the parser took for the signature ("spasibo,")
            standalone = i == 0 or self.blank(i - 1) or self.lines[i - 1].end <= start \
                or (letter.signature is not None and self.lines[i].start == letter.signature.start)
            if anatomy._CLOSING.match(text) or (standalone and _looks_like_closing(text)):
                return self.lines[i].start
            words = text.split()
            if len(words) > 10 or (text.endswith((".", "!", "?")) and len(words) > 4):
                return None  # prose: the letter's closing, if any, is not down here
        return None

    def blank(self, index: int) -> bool:
        return 0 <= index < len(self.lines) and self.lines[index].blank


@functools.lru_cache(maxsize=8)
def _layout(text: str) -> _Layout:
    """The layout of a text, parsed once for planning, inserting and rendering (SARIF)."""
    return _Layout(text)


def newline(text: str) -> str:
    """The letter's own line break."""
    crlf, lf, cr = text.count("\r\n"), text.count("\n"), text.count("\r")
    lf -= crlf
    cr -= crlf
    if crlf >= lf and crlf >= cr and crlf:
        return "\r\n"
    return "\r" if cr > lf else "\n"


def _wrap_width(layout: _Layout) -> int | None:
    """The width the letter is hard-wrapped at, if it is: most of its paragraphs of prose
    (20 words or more) run over several lines, none of them longer than 80 characters."""
    prose = wrapped = 0
    widths = []
    for block in layout.body():
        if block.kind != "paragraph" or len(block.text.split()) < 20:
            continue
        prose += 1
        first, last = layout.line_of(block.span.start), layout.line_of(block.span.end)
        lengths = [len(layout.lines[i].text) for i in range(first, last + 1)]
        if last > first:
            wrapped += 1
            widths += lengths
        else:
            widths.append(10_000)  # one long line: not wrapped
    if prose and wrapped * 2 > prose and max(widths) <= 80:
        return max(_WRAPPED_MIN, max(widths))
    return None


def _top(layout: _Layout) -> int:
    """The first line of the letter proper: its first line of prose, closing, signature or quoted
    history; in a letter with none, the line after the front matter and e-mail headers."""
    letter = layout.letter
    starts = [b.span.start for b in letter.blocks if b.region != "subject"]
    starts += [p.start for p in (letter.salutation, letter.closing, letter.signature, letter.quote) if p is not None]
    if starts:
        return layout.lines[layout.line_of(min(starts))].start
    index = layout.line_of(letter.front_matter_span.end) + 1 if letter.front_matter_span else 0
    while index < len(layout.lines) and (layout.lines[index].blank or anatomy._HEADER.match(layout.lines[index].text)):
        index += 1
    return layout.lines[index].start if index < len(layout.lines) else len(layout.text)


def _body_end(layout: _Layout, above_thanks: bool = True) -> tuple[int, str]:
    """Where a new paragraph goes at the end of the writer's body: (offset, mode); with
    ``above_thanks``, above a last paragraph that only thanks."""
    body = layout.body()
    if above_thanks and len(body) > 1 and _SIGN_OFF.match(layout.text[body[-1].span.start : body[-1].span.end]) \
            and len(body[-1].text.split()) <= 25:
        body = body[:-1]  # "Thank you again for your time.": the asks go above the last thanks
    if body:
        return layout.after(layout.line_of(body[-1].span.end)), "paragraph"
    if layout.greeting is not None:
        return layout.after(layout.line_of(layout.greeting.end)), "paragraph"
    top = _top(layout)
    return top, "paragraph_first" if top < len(layout.text) and layout.text[top:].strip() else "paragraph"


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def _first_paragraph(layout: _Layout) -> tuple[int, str]:
    paragraphs = [b for b in layout.body() if b.kind == "paragraph"]
    if paragraphs:
        p = paragraphs[0]
        last = layout.line_of(p.span.end)
        leads_in = p.text.rstrip().endswith(":")
        followed = last + 1 < len(layout.lines) and not layout.blank(last + 1)
        if not leads_in and not followed:
            # a paragraph whose last sentence has no full stop ("...so want to fix whatever it was")
            # would run on into the inserted sentence: start a paragraph of its own instead
            ends_sentence = _SENTENCE_END.search(p.text) is not None
            return layout.after(last), "line" if ends_sentence else "paragraph"
        if layout.at_line_start(p.span.start):
            return layout.lines[layout.line_of(p.span.start)].start, "line"
    body = layout.body()
    if body and layout.at_line_start(body[0].span.start):
        return layout.lines[layout.line_of(body[0].span.start)].start, "paragraph_first"
    return _body_end(layout)


def _salutation(layout: _Layout) -> tuple[int, str] | None:
    if layout.greeting is not None:
        return None  # a greeting under an address block: the letter has one
    return _top(layout), "paragraph_first"


def _closing(layout: _Layout) -> tuple[int, str] | None:
    """Above the signature (and its "-- " delimiter), or at the end of the body; None when the
    letter has a closing the parser did not read ("Sincerely," above a long job title)."""
    letter = layout.letter
    if layout.unread_closing() is not None:
        return None
    if letter.signature is not None and layout.at_line_start(letter.signature.start):
        index = layout.line_of(letter.signature.start)
        back = index - 1
        while back >= 0 and layout.blank(back):
            back -= 1
        if back >= 0 and re.match(r"^\s*--\s*$", layout.lines[back].text):
            index = back
        return layout.lines[index].start, "line"
    return _body_end(layout, above_thanks=False)


def _looks_like_closing(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 8 and line.rstrip().endswith(",") and not line.rstrip().endswith(("?,", ".,"))


def _signature(layout: _Layout) -> tuple[int, str] | None:
    letter = layout.letter
    if letter.closing is not None:
        return layout.after(layout.line_of(letter.closing.end)), "line"
    return None  # goes with the inserted closing


def plan(report: Report) -> tuple[Edit, ...]:
    """The edits that would fix ``report``'s letter: one per fixable finding, in letter order."""
    layout = _layout(report.text)
    wanted = [f for f in report.findings if f.insert_at in PLACE_ORDER and f.suggestion]
    out: list[Edit] = []
    for f in wanted:
        if f.section is not None:
            result = report.sections.get(f.section)
            if result is None or result.status is not Status.MISSING:
                continue
        if f.insert_at == "salutation":
            where = _salutation(layout)
            if where is None:
                continue
        elif f.insert_at == "first_paragraph":
            where = _first_paragraph(layout)
        elif f.insert_at in ("asks", "signoff"):
            where = _body_end(layout)
        elif f.insert_at == "closing":
            where = _closing(layout)
            if where is None:
                continue
        else:
            where = _signature(layout)
        if where is None:  # no closing yet: the name goes under the one this fix inserts
            closing_edit = next((e for e in out if e.place == "closing"), None)
            if closing_edit is None:
                continue
            where = (closing_edit.offset, "line")
        out.append(Edit(f.code, f.insert_at, where[0], where[1], f.suggestion))
    return tuple(sorted(out, key=lambda e: (e.offset, PLACE_ORDER.index(e.place))))


def insertions(text: str, edits: Iterable[Edit]) -> list[Insertion]:
    """What to insert where: edits at one place are joined (the asks make one paragraph)."""
    layout = _layout(text)
    nl = newline(text)
    width = _wrap_width(layout)
    by_offset: dict[int, list[Edit]] = {}
    for e in edits:
        by_offset.setdefault(e.offset, []).append(e)
    out: list[Insertion] = []
    for offset in sorted(by_offset):
        group = sorted(by_offset[offset], key=lambda e: PLACE_ORDER.index(e.place))
        lines: list[str] = []
        index = 0
        while index < len(group):
            first = group[index]
            same = [first]
            index += 1
            while index < len(group) and group[index].place == first.place and group[index].mode == first.mode:
                same.append(group[index])
                index += 1
            if first.place in ("salutation", "closing", "signature"):
                body = [line for e in same for line in e.text.splitlines()]
            else:
                joined = " ".join(" ".join(e.text.split()) for e in same)
                body = textwrap.wrap(joined, width, break_on_hyphens=False) if width else [joined]
            if first.mode == "paragraph":
                lines += [""] + body
            elif first.mode == "paragraph_first":
                lines += body + [""]
            else:
                lines += body
        if group[0].prefix:
            lines = [group[0].prefix + line if line else group[0].prefix.rstrip() for line in lines]
        # the line break of the line above (a file may mix them): a "\n" right after a bare "\r" would
        # merge with it into one "\r\n" and change that line instead of adding new ones
        here = _break_before(text, offset) or nl
        chunk = here.join(lines)
        if offset >= len(text) and text and not text.endswith(("\n", "\r")):
            chunk = here + chunk  # after a last line with no line break; the text still ends without one
        else:
            chunk += here
        out.append(Insertion(offset, chunk, tuple(e.code for e in group)))
    return out


def _break_before(text: str, offset: int) -> str | None:
    if text[max(0, offset - 2) : offset] == "\r\n":
        return "\r\n"
    if offset and text[offset - 1] in "\r\n":
        return text[offset - 1]
    return None


def apply(text: str, edits: Iterable[Edit]) -> str:
    """The letter with the edits made."""
    parts, at = [], 0
    for ins in insertions(text, edits):
        parts += [text[at : ins.offset], ins.text]
        at = ins.offset
    parts.append(text[at:])
    return "".join(parts)


# --- bytes ------------------------------------------------------------------------------------


class FixError(Exception):
    """The fixed letter cannot be written in the file's own encoding."""


def _byte_line_starts(data: bytes, encoding: str) -> tuple[list[int], int]:
    """Byte offsets of the start of each line, and the width of one code unit."""
    unit, start, big = 1, 0, False
    if encoding == "utf-16":
        unit, start, big = 2, 2, data.startswith(b"\xfe\xff")
    elif encoding == "utf-8-sig":
        start = 3
    cr, lf = (b"\x00\r", b"\x00\n") if big else (b"\r\x00", b"\n\x00")
    if unit == 1:
        cr, lf = b"\r", b"\n"
    starts = [start]
    i, n = start, len(data)
    while i < n:
        piece = data[i : i + unit]
        if piece == cr:
            i += unit
            if data[i : i + unit] == lf:
                i += unit
            starts.append(i)
        elif piece == lf:
            i += unit
            starts.append(i)
        else:
            i += unit
    return starts, unit


def _codec(encoding: str, data: bytes) -> str:
    if encoding == "utf-16":
        return "utf-16-be" if data.startswith(b"\xfe\xff") else "utf-16-le"
    if encoding == "utf-8-sig":
        return "utf-8"
    return encoding


def apply_bytes(data: bytes, encoding: str, text: str, edits: Sequence[Edit]) -> bytes:
    """The file's bytes with the edits inserted: every original byte kept, in order (a BOM, CRLF,
    a missing final line break, bytes that are not valid UTF-8), the new text in the file's
    encoding. ``text`` is ``data`` as it was decoded (``lintletter.reading``)."""
    text_starts = [line.start for line in anatomy.split_lines(text)]
    byte_starts, _ = _byte_line_starts(data, encoding)
    if len(text_starts) != len(byte_starts):
        raise FixError("its lines could not be matched to the file's bytes")
    codec = _codec(encoding, data)
    parts, at = [], 0
    for ins in insertions(text, edits):
        if ins.offset >= len(text):
            where = len(data)
        else:
            where = byte_starts[text_starts.index(ins.offset)]
        try:
            chunk = ins.text.encode(codec)
        except UnicodeEncodeError:
            raise FixError(f"the suggested text cannot be written in the file's encoding ({encoding})") from None
        parts += [data[at:where], chunk]
        at = where
    parts.append(data[at:])
    return b"".join(parts)


# --- diff -------------------------------------------------------------------------------------


def _keep_ends(text: str) -> list[str]:
    return [m.group() for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)]


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff (``patch -p0`` applies it) of the letter before and after; line breaks kept."""
    out = []
    for line in difflib.unified_diff(_keep_ends(old), _keep_ends(new), fromfile=path, tofile=path, lineterm="\n"):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
