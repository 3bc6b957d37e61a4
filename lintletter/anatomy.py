"""The anatomy of a letter or e-mail: which parts of the text are the writer's own prose.

``parse(text)`` splits a draft into front matter, e-mail headers (``Subject:``), salutation, body
blocks, closing, signature, P.S. and quoted history, all as spans of the *original* text. Body blocks
carry a *masked* copy of their text: exactly as long as the span, with Markdown syntax, line breaks
and markup replaced by spaces, so that an offset into the masked text is an offset into the file.

This is structural parsing, so it lives in code; what the prose *says* is judged by YAML rules.
We do not use a Markdown library here: none reports column offsets, and CommonMark would read the
indented paragraphs of a formal letter as code blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .honorifics import TITLES
from .model import Span, line_ranges

# --- vocabulary of letter layout -------------------------------------------------------------

_HEADER = re.compile(r"^(subject|subj|re|fwd?|to|from|cc|bcc|date|sent)\s*:", re.I)
_SUBJECT = re.compile(r"^\s*(?:subject|subj)\s*:\s*", re.I)
_GREETING = re.compile(
    r"^\s*(dear|hi|hello|hey|hiya|howdy|greetings|good\s+(?:morning|afternoon|evening|day)"
    r"|hola|bonjour|ciao|hallo|namaste|respected|salaam|salam|assalamu\w*"
    # greetings of English as written around the world, and a bare "Morning Sam,"
    r"|kia\s+ora|g['’]?day|howzit"
    r"|(?:morning|afternoon|evening)(?=\s*[,!—–]|\s+(?-i:[A-Z])[\w.'’-]*\s*[,!—–])"
    r"|to\s+whom\s+it\s+may\s+concern|attn|attention)\b",
    re.I,
)
_CLOSING_WORDS = (
    r"best|best regards|best wishes|all the best|kind regards|kindest regards|warm regards|"
    r"warmest regards|warm wishes|warmly|regards|many thanks|sincerely|sincerely yours|yours sincerely|"
    r"yours truly|yours faithfully|yours|faithfully|respectfully|respectfully yours|cordially|cheers|"
    r"thanks|thanks again|thanks so much|thanks very much|many thanks again|thank you|"
    r"thank you again|thank you so much|thank you very much|thank you for your time|"
    r"with gratitude|with appreciation|with thanks|with best wishes|gratefully|appreciatively|"
    r"take care|talk soon|thx|ty|until then|speak soon|have a great day|have a good day|"
    r"have a great weekend|have a good weekend|looking forward|stay well|be well|best of luck|"
    # "With warmest wishes,", "With kind regards,", "My very best wishes,"
    r"(?:with\s+)?(?:my\s+)?(?:very\s+)?(?:best|warm|warmest|kind|kindest|good|fond|fondest|sincere|every\s+good)\s+(?:wishes|regards)"
)
_CLOSING = re.compile(rf"^\s*(?:-+\s*)?(?:{_CLOSING_WORDS})\s*[,.!:;—–-]*\s*$", re.I)
#: "Best, Sam" on one line: the closing is the first part, the signature the rest.
_CLOSING_WITH_NAME = re.compile(rf"^\s*((?:{_CLOSING_WORDS})\s*,)\s*(\S.{{0,40}})$", re.I)
_PS = re.compile(r"^\s*(?:p\.?\s?){1,2}s(?:\.|\b)\s*[:\-–—,]?\s*", re.I)
_QUOTE_LINE = re.compile(r"^\s*>")
_WROTE = re.compile(r"^\s*on\b.{0,240}\bwrote\s*:\s*$", re.I)
_WROTE_TAIL = re.compile(r"\bwrote\s*:\s*$", re.I)
_ON_START = re.compile(r"^\s*on\s+\S", re.I)
_ORIGINAL = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|forwarded message)\s*-{2,}|begin forwarded message\s*:|_{10,})",
    re.I,
)
_OUTLOOK_FROM = re.compile(r"^\s*from\s*:\s*\S", re.I)
_OUTLOOK_NEXT = re.compile(r"^\s*(sent|date|to|subject)\s*:", re.I)
_SIG_DELIMITER = re.compile(r"^\s*--\s*$")
_CONTACT = re.compile(
    r"(@|https?://|www\.|linkedin\.com|\+?\d[\d ().-]{6,}\d|sent from my|get outlook)", re.I
)
#: What e-mail signatures carry below the name: a confidentiality disclaimer, a note on the writer's
#: working hours, the environment line. Such a paragraph (however it wraps) is signature, not prose.
_SIG_NOTICE = re.compile(
    r"^\W*(?:disclaimer|confidential(?:ity)?(?:\s+notice)?|legal\s+notice|privileged(?:\s+and\s+confidential)?)\s*[:\-–—]"
    r"|\bthis\s+(?:e-?mail|message)\b.{0,60}\b(?:confidential|intended\s+(?:solely|only))"
    r"|\b(?:my|normal|usual|own)\s+(?:working|office)\s+(?:hours|days|pattern)\b|\bi\s+work\s+(?:flexibly|part[- ]time|compressed)"
    r"|\benvironment\s+before\s+printing\b"
    r"|\b(?:writing|typed|typing|sent)\s+(?:from|on)\s+my\s+(?:phone|iphone|mobile|cell|tablet)\b"
    r"|\bapologies\s+for\s+(?:any\s+)?(?:stray\s+)?(?:typos|brevity)\b",
    re.I,
)
_LIST_MARKER = re.compile(r"^(\s*)([-*+•]|\d{1,3}[.)])(\s+)")
_HEADING = re.compile(r"^(\s*)(#{1,6})(\s+)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_THEMATIC_BREAK = re.compile(r"^\s*(?:[-*_=~]\s*){3,}$")
# Inline Markdown / HTML that is not prose; each match is blanked (replaced by spaces).
_INLINE_NOISE = re.compile(
    r"<!--.*?-->"  # HTML comments (suppressions live here)
    r"|</?(?:p|br|b|i|u|em|strong|a|div|span|ul|ol|li|h[1-6]|hr|small|sup|sub)\b[^>]*>"
    r"|\*\*|__|`+"
    r"|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])"
    r"|(?<![\w_])_(?=\S)|(?<=\S)_(?![\w_])",
    re.I | re.S,
)
# No "[" in a link's text nor "(" in its target, so each "[" is scanned up to the next bracket at
# most: a run of 40,000 "[" took 16 s when every one was scanned to the end of its line.
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\(([^()\n]*)\)")
#: A line that is only HTML comments: skipped when looking for the greeting or the sign-off.
_ABOVE_GREETING = re.compile(r"^\s*(?:<!--.*?-->\s*)+$")


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # excludes the line break
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Block:
    """A run of prose to be parsed: a paragraph, a list item, a heading, a P.S. or the subject."""

    span: Span
    text: str  # masked: len(text) == span.end - span.start
    kind: str  # "paragraph" | "list_item" | "heading"
    region: str  # "body" | "ps" | "subject"
    #: For list items: the item follows a lead-in ending with ":" (e.g. "A few questions:").
    after_lead_in: bool = False


@dataclass(frozen=True)
class Letter:
    text: str
    blocks: tuple[Block, ...]
    front_matter: dict[str, Any] = field(default_factory=dict)
    front_matter_span: Span | None = None
    front_matter_error: str | None = None
    subject: Span | None = None
    salutation: Span | None = None
    closing: Span | None = None
    signature: Span | None = None
    quote: Span | None = None
    postscripts: tuple[Span, ...] = ()

    @property
    def is_template(self) -> bool:
        return self.front_matter.get("template") is True


def split_lines(text: str) -> list[Line]:
    return [Line(start, end, text[start:end]) for start, end in line_ranges(text)]


def front_matter_end(lines: list[Line]) -> int | None:
    """Index of the line closing the front matter: "---" on the first line (a BOM may precede it)
    up to the next "---" or "..."; None when there is none."""
    if lines and lines[0].text.lstrip("\ufeff").strip() == "---":
        for j in range(1, len(lines)):
            if lines[j].text.strip() in ("---", "..."):
                return j
    return None


def parse(text: str) -> Letter:
    """Split ``text`` into the parts of a letter. Never raises on any input."""
    lines = split_lines(text)
    i = 0
    front_matter: dict[str, Any] = {}
    fm_span = fm_error = None

    j = front_matter_end(lines)
    if j is not None:
        fm_span = Span(lines[0].start, lines[j].end)
        front_matter, fm_error = _load_front_matter(text[lines[0].end : lines[j].start])
        i = j + 1

    # E-mail headers at the top (Subject:, To:, ...), possibly after blank lines.
    subject = None
    while i < len(lines):
        if _HEADER.match(lines[i].text):
            m = _SUBJECT.match(lines[i].text)
            if m and subject is None and lines[i].text[m.end() :].strip():
                subject = Span(lines[i].start + m.end(), lines[i].end)
        elif not lines[i].blank:
            break
        i += 1

    end = _quote_start(lines, i)
    quote = Span(lines[end].start, len(text)) if end < len(lines) else None

    # P.S. paragraphs may sit anywhere after the body, even after the signature.
    ps_lines: set[int] = set()
    postscripts: list[Span] = []
    k = i
    while k < end:
        if _PS.match(lines[k].text):
            first = k
            while k < end and not lines[k].blank:
                ps_lines.add(k)
                k += 1
            postscripts.append(Span(lines[first].start, lines[k - 1].end))
        else:
            k += 1

    main = [n for n in range(i, end) if n not in ps_lines]

    # Salutation: the first non-blank line, when it greets someone. A line that is only an HTML
    # comment (a suppression above "Dear Dana,") comes before the greeting without being it.
    # Formal letters and memos put an address block, a date, the recipient or "**To:** / **Re:**"
    # lines above the greeting: such a preamble is skipped (and is not body prose).
    salutation = None
    body_start_offset: dict[int, int] = {}
    nonblank = [n for n in main if not lines[n].blank and not _ABOVE_GREETING.match(lines[n].text)]
    greeting_at = None
    for k, n in enumerate(nonblank[:MAX_PREAMBLE_LINES + 1]):
        if _salutation_end(lines[n].text) is not None and (k == 0 or _GREETING.match(lines[n].text)):
            greeting_at = k
            break
        if not _is_preamble_line(lines[n].text):
            break
    if greeting_at is not None:
        for n in nonblank[:greeting_at]:
            main.remove(n)
        first = lines[nonblank[greeting_at]]
        sal_end = _salutation_end(first.text)
        if sal_end is not None:
            salutation = Span(first.start, first.start + sal_end)
            rest = first.text[sal_end:]
            if rest.strip():
                body_start_offset[nonblank[greeting_at]] = sal_end
            else:
                main.remove(nonblank[greeting_at])

    closing, signature, main = _closing_and_signature(lines, main)

    blocks = _blocks(text, lines, main, body_start_offset, region="body")
    for ps in postscripts:
        ps_idx = [n for n in sorted(ps_lines) if ps.start <= lines[n].start <= ps.end]
        offsets = {ps_idx[0]: _PS.match(lines[ps_idx[0]].text).end()}
        blocks += _blocks(text, lines, ps_idx, offsets, region="ps")
    if subject is not None:
        blocks.append(Block(subject, _mask(text[subject.start : subject.end]), "paragraph", "subject"))
    blocks.sort(key=lambda b: b.span.start)

    return Letter(
        text=text,
        blocks=tuple(blocks),
        front_matter=front_matter,
        front_matter_span=fm_span,
        front_matter_error=fm_error,
        subject=subject,
        salutation=salutation,
        closing=closing,
        signature=signature,
        quote=quote,
        postscripts=tuple(postscripts),
    )


#: Front matter is a few lines of metadata; a bigger block is not read (and the YAML parser's time
#: and memory stay small whatever the letter holds).
MAX_FRONT_MATTER = 64 * 1024


def __getattr__(name: str):
    if name == "_SAFE_LOADER":
        return _safe_loader()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _safe_loader():
    """libyaml's loader (~20x faster than pure Python's), PyYAML imported only for a letter with
    front matter: ~10 ms of every one-letter run otherwise."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_front_matter(raw: str) -> tuple[dict[str, Any], str | None]:
    import yaml

    from .yamlload import TooLarge, load_bounded

    if len(raw) > MAX_FRONT_MATTER:
        return {}, f"front matter is larger than {MAX_FRONT_MATTER // 1024} kB, so it was not read"
    try:
        data = load_bounded(raw, _safe_loader())
    except TooLarge as exc:
        return {}, f"front matter was not read: {exc}"
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        return {}, f"front matter is not valid YAML{where}: {problem}"
    except Exception as exc:  # pragma: no cover - PyYAML raises odd errors on odd input
        return {}, f"front matter could not be read: {exc.__class__.__name__}"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, "front matter is not a mapping of keys to values"
    return {str(k): v for k, v in data.items()}, None


def _quote_start(lines: list[Line], begin: int) -> int:
    """Index of the first line of quoted history (or len(lines) when there is none)."""
    for n in range(begin, len(lines)):
        t = lines[n].text
        if _QUOTE_LINE.match(t) or _WROTE.match(t) or _ORIGINAL.match(t):
            return n
        # "On Tue, 4 Feb 2025 at 09:30, Jane <jane@x.com>\nwrote:" wrapped over two lines.
        if _ON_START.match(t) and n + 1 < len(lines) and _WROTE_TAIL.search(lines[n + 1].text):
            if len(t) + len(lines[n + 1].text) < 300:
                return n
        if _OUTLOOK_FROM.match(t) and n > begin:
            following = [l for l in lines[n + 1 : n + 4] if not l.blank]
            if following and _OUTLOOK_NEXT.match(following[0].text):
                return n
    return len(lines)


#: At most this many address, date, recipient or memo-header lines above the greeting.
MAX_PREAMBLE_LINES = 10
_MEMO_HEADER = re.compile(r"^\s*(?:\*\*|__)?\s*(to|re|from|date|subject|cc|attn|ref)\s*:?\s*(?:\*\*|__)?\s*:?", re.I)
#: A note the writer keeps above a draft ("context: final round at Stripe, got the no on Friday",
#: "note to self: send tonight", "draft — cool off before sending?"): not the letter, however long.
_NOTE_TO_SELF = re.compile(r"^\s*(?:\*\*|__)?\s*(?:context|notes?(?: to self)?|todo|reminder|draft(?: \d+)?)\s*(?:\*\*|__)?\s*[:—–-]", re.I)


def _is_preamble_line(line: str) -> bool:
    """An address, date, recipient or "**To:**" line: short, and not a sentence of prose."""
    s = line.strip()
    if (_MEMO_HEADER.match(s) and ":" in s[:20]) or _NOTE_TO_SELF.match(s):
        return True
    return len(s.split()) <= 8 and len(s) <= 70 and not s.endswith((".", "?", "!", ";"))


#: At most this many words between a greeting and its comma ("Dear Dr. Mary Anne Smith-Jones,").
MAX_NAME_WORDS = 5
#: Titles, and the forms of address a greeting uses like one ("hi chef", "hey coach sam")
_TITLES = TITLES | {"chef", "coach"}
#: Words that start the body of a one-line note rather than continue the name: "hi sam thx for..."
_BODY_STARTERS = frozenset(
    "thanks thank thx ty tnx i i'm im just wanted hope it its it's this that so sorry again got good "
    "for please was is".split()
)


def _bare_greeting_end(line: str, after: int) -> int | None:
    """A greeting run into the body with no comma: the greeting, a title and a name, or None."""
    words = list(re.finditer(r"\S+", line[after:]))
    taken = 0
    if taken < len(words) and words[taken].group().lower().rstrip(".") in _TITLES:
        taken += 1
    # after a title one or two names ("mr obrien", "Mr John Smith"), else one ("sam"); a second name
    # must be capitalised, so "hi mr obrien thx" stops before "thx"
    for k in range(2 if taken else 1):
        if taken >= len(words) or not _name_word(words[taken].group(), capital=k > 0):
            break
        taken += 1
    if not taken or taken == len(words):
        return None
    return after + words[taken - 1].end()


def _name_word(word: str, capital: bool) -> bool:
    plain = word.strip(".'’")
    if not plain or not plain.replace("'", "").replace("’", "").replace("-", "").isalpha():
        return False
    if plain.lower() in _BODY_STARTERS:
        return False
    return plain[:1].isupper() if capital else True


def _salutation_end(line: str) -> int | None:
    """Where the salutation on this (first) line ends, or None if the line does not greet."""
    words = line.split()
    if not words:
        return None
    greeting = _GREETING.match(line)
    if greeting:
        for m in re.finditer(r"[,:!;—–]|\s-\s", line):
            if m.start() <= 80:
                # "hi mr obrien thx for the interview today and for showing me round," is a greeting
                # and the body on one line: more than a name before the comma is not the salutation
                if len(line[greeting.end() : m.start()].split()) <= MAX_NAME_WORDS:
                    return m.end()
                break
        if len(words) <= 7:
            return len(line)
        return _bare_greeting_end(line, greeting.end())
    # "Ms. Chen," or "Sam —" alone on the first line.
    stripped = line.rstrip()
    if len(words) <= 4 and stripped.endswith((",", ":", "—", "–")) and words[0][:1].isupper():
        return len(stripped)
    return None


#: "Jonah Whitcombe, P.E." / "Julia Rautenberg, M.Sc., P.Biol.": a name with credentials ends in a dot.
# (joined by commas or "&": "Dr. Mehul B. Chaudhari, B.V.Sc. & A.H.")
_CREDENTIALS = re.compile(r",\s*(?:[A-Z][A-Za-z]{0,4}\.){1,4}(?:(?:,\s*|\s+&\s+)(?:[A-Z][A-Za-z]{0,4}\.?){1,4})*$")


def _is_signature_line(t: str) -> bool:
    s = t.strip()
    if not s:
        return True
    if _CONTACT.search(s) or _SIG_DELIMITER.match(s):
        return True
    # a title line can be long: "Senior Planner, Marlow County Department of Planning"
    if len(s.split()) > 10 or len(s) > 80:
        return False
    return not s.endswith((".", "?", "!", ":", ";")) or bool(
        re.search(r"\b(jr|sr|phd|ph\.d|mba|md)\.?$", s, re.I) or _CREDENTIALS.search(s)
    )


def _notice_lines(lines: list[Line], main: list[int]) -> set[int]:
    """The lines of paragraphs that open with a signature notice (see ``_SIG_NOTICE``)."""
    out: set[int] = set()
    in_notice = False
    for n in main:
        if lines[n].blank:
            in_notice = False
        elif in_notice or _SIG_NOTICE.search(lines[n].text):
            in_notice = True
            out.add(n)
    return out


def _closing_and_signature(lines: list[Line], main: list[int]) -> tuple[Span | None, Span | None, list[int]]:
    """Find the closing ("Best regards,") and the signature below it; return the remaining body lines.

    Notes below a signed letter after a thematic break ("Thanks again,\nRyan\n\n---\nnotes to self:
    send Monday") are not the letter: when the part above the last break closes and is signed, the
    rest is left out (so fixes go above the closing, and a second ``fix`` finds nothing to do)."""
    breaks = [pos for pos, n in enumerate(main) if _THEMATIC_BREAK.match(lines[n].text)]
    if breaks:
        above = main[: breaks[-1]]
        found = _closing_and_signature_of(lines, above)
        if found[0] is not None:
            return found
    return _closing_and_signature_of(lines, main)


def _closing_and_signature_of(lines: list[Line], main: list[int]) -> tuple[Span | None, Span | None, list[int]]:
    # A "-- " signature delimiter wins.
    for pos, n in enumerate(main):
        if _SIG_DELIMITER.match(lines[n].text):
            sig = [m for m in main[pos + 1 :] if not lines[m].blank]
            signature = Span(lines[sig[0]].start, lines[sig[-1]].end) if sig else None
            main = main[:pos]
            break
    else:
        signature = None

    # a line that is only an HTML comment ("<!-- note to self: send Tuesday -->" under the name, a
    # suppression) is neither signature nor body: the sign-off is looked for above it
    nonblank = [n for n in main if not lines[n].blank and not _ABOVE_GREETING.match(lines[n].text)]
    notices = _notice_lines(lines, main)
    closing = None
    # Walk up from the end over at most eight signature-like lines looking for the closing line
    # (the lines of a disclaimer or a working-hours note below the name are not counted).
    back = 0
    for pos, n in enumerate(reversed(nonblank)):
        if back >= 8:
            break
        t = lines[n].text
        if n in notices:
            continue
        back += 1
        m = _CLOSING_WITH_NAME.match(t)
        if _CLOSING.match(t) or (m and _is_signature_line(m.group(2))):
            below = nonblank[len(nonblank) - pos :] if pos else []
            if m and not _CLOSING.match(t):
                closing = Span(lines[n].start + m.start(1), lines[n].start + m.end(1))
                sig_lines = [n] + below
                sig_start = lines[n].start + m.start(2)
            else:
                closing = Span(lines[n].start + len(t) - len(t.lstrip()), lines[n].start + len(t.rstrip()))
                sig_lines = below
                sig_start = lines[sig_lines[0]].start if sig_lines else None
            if sig_lines and sig_start is not None and signature is None:
                signature = Span(sig_start, lines[sig_lines[-1]].end)
            cut = main.index(n)
            return closing, signature, main[:cut]
        if not _is_signature_line(t):
            break

    # No closing line: a short final paragraph of name-like lines is the signature.
    if signature is None and nonblank:
        tail: list[int] = []
        for n in reversed(nonblank):
            if _is_signature_line(lines[n].text) and len(tail) < 5:
                tail.insert(0, n)
            else:
                break
        # Only when it is its own paragraph or a "— Name" line, so a short last sentence stays prose.
        if tail and len(tail) < len(nonblank):
            first = tail[0]
            prev = main[main.index(first) - 1] if main.index(first) > 0 else None
            dash = lines[first].text.lstrip().startswith(("-", "—", "–", "~"))
            if dash or (prev is not None and lines[prev].blank) or len(lines[first].text.split()) <= 3:
                signature = Span(lines[first].start, lines[tail[-1]].end)
                main = main[: main.index(first)]
    return closing, signature, main


def _blocks(text: str, lines: list[Line], idx: list[int], first_offsets: dict[int, int], region: str) -> list[Block]:
    """Group body lines into blocks (paragraphs, list items, headings) with masked text."""
    blocks: list[Block] = []
    current: list[tuple[int, int]] = []  # (line index, offset into the line where prose starts)
    kind = "paragraph"
    in_fence = False
    prev_lead_in = False

    def flush() -> None:
        nonlocal current, kind, prev_lead_in
        if not current:
            return
        start = lines[current[0][0]].start + current[0][1]
        end = lines[current[-1][0]].end
        raw = text[start:end]
        masked = _mask(raw)
        # Blank the list marker / heading hashes (same length).
        if kind in ("list_item", "heading"):
            pat = _LIST_MARKER if kind == "list_item" else _HEADING
            m = pat.match(masked)
            if m:
                masked = " " * m.end() + masked[m.end() :]
            if kind == "list_item":  # the label follows the marker in the raw text
                marker = _LIST_MARKER.match(raw)
                masked = _blank_label(raw, masked, marker.end() if marker else 0)
        if masked.strip():
            after = kind == "list_item" and (prev_lead_in or (blocks and blocks[-1].after_lead_in and blocks[-1].kind == "list_item"))
            blocks.append(Block(Span(start, end), masked, kind, region, after))
            if kind != "list_item":
                prev_lead_in = masked.rstrip().endswith(":")
        current = []
        kind = "paragraph"

    prev = None
    for n in idx:
        if prev is not None and n != prev + 1:
            flush()  # a gap (removed P.S. or salutation) separates blocks
        prev = n
        line = lines[n]
        if _FENCE.match(line.text):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        if line.blank or _THEMATIC_BREAK.match(line.text):
            flush()
            continue
        offset = first_offsets.get(n, 0)
        if _LIST_MARKER.match(line.text) and offset == 0:
            flush()
            kind = "list_item"
        elif _HEADING.match(line.text) and offset == 0:
            flush()
            kind = "heading"
            current.append((n, offset))
            flush()
            continue
        current.append((n, offset))
    flush()
    return blocks


# A bold run-in label at the start of a list item, "**Feedback.** Where did I fall short?", names
# what the item is about, so it belongs to the item's first sentence: blank its full stop or colon
# so the sentencizer does not make "Feedback." a sentence of its own (and quote it as evidence).
_RUN_IN_LABEL = re.compile(r"[ \t]*(\*\*|__)([^*_\n]{1,40}?)([.:])?\1([.:])?(?=[ \t]+\S)")


def _blank_label(raw: str, masked: str, start: int) -> str:
    m = _RUN_IN_LABEL.match(raw, start)
    if m is None or len(m.group(2).split()) > 3:
        return masked
    for group in (3, 4):
        if m.group(group):
            at = m.start(group)
            masked = masked[:at] + " " + masked[at + 1 :]
    return masked


def _mask(raw: str) -> str:
    """Blank markup and line breaks so only prose is left, keeping every character's offset."""
    out = _LINK.sub(lambda m: " " * (m.start(1) - m.start()) + m.group(1) + " " * (m.end() - m.end(1)), raw)
    out = _INLINE_NOISE.sub(lambda m: " " * len(m.group()), out)
    return out.replace("\r", " ").replace("\n", " ")


#: At most this many lines of address and date above a printed letter's greeting.
ADDRESS_LINES = 12


def greeting_below_address(letter: Letter) -> Span | None:
    """A printed letter's greeting below its address block and date ("Dear Dr. Strand," under
    "Harlow, OH 43920" and "April 22, 2024"), which :func:`parse` does not take for the salutation:
    every line above it is short and none is a sentence. None when the letter has a salutation or
    does not start that way.

    (``parse`` keeps its blocks as they are because the learned section signal is trained on them;
    reading address blocks there means retraining it.)"""
    if letter.salutation is not None:
        return None
    text = letter.text
    start = letter.front_matter_span.end if letter.front_matter_span else 0
    lines = [line for line in split_lines(text) if line.start >= start and not line.blank]
    if letter.quote is not None:
        lines = [line for line in lines if line.start < letter.quote.start]
    for k, line in enumerate(lines[: ADDRESS_LINES + 1]):
        if k and _GREETING.match(line.text):
            end = _salutation_end(line.text)
            return Span(line.start, line.start + end) if end is not None else None
        words = line.text.split()
        if len(words) > 8 or line.text.rstrip().endswith(("?", "!", ":", ";")) or _GREETING.match(line.text):
            return None
        if line.text.rstrip().endswith(".") and not re.search(r"\b(?:[A-Z][a-z]{0,3}|[A-Z])\.$|\d\.$", line.text.rstrip()):
            return None  # a sentence, not "St." or "Ave."
    return None
