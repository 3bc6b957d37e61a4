"""Letters inside documents: find the sample letters in an article, a guide or a template page.

``find_letters(text, mode, suffix)`` is pure: host text in, a :class:`Document` out, listing each
letter as an :class:`EmbeddedLetter` with its span, its 1-based first and last line in the host file
(the letter's own first and last non-blank line: the salutation and the signature, never a fence or a
marker), the options its block sets, and the text to lint.

**Positions.** Each letter is linted as a *same-length copy* of the host text in which everything
that is not the letter is blanked (every character but line breaks becomes a space): the article's
prose, the fences and markers, other letters, the ``> `` of a blockquoted letter. Kept as they are:
the letter's lines, the front matter (so ``company:``/``role:``/``lintletter: ignore`` of the article
apply to each letter) and document-wide suppression comments written outside every letter. An offset
into the copy is the same offset into the host file, so every finding, evidence quote and line
number in every format points at the letter's real place in the host file, with no offset arithmetic
anywhere else (the anatomy code in :mod:`lintletter.anatomy` already blanks Markdown the same way).
Linting the slice and shifting each span would need the shift in every formatter and would lose
the front matter.

Modes:

``off``
    the whole file is one letter (what lintletter always did);
``marked``
    only letters the author marked: a fenced block whose info string is ``letter`` (attributes may
    follow: ```` ```letter template=true company="Acme" ````) and lines between
    ``<!-- lintletter: letter -->`` and ``<!-- lintletter: end -->`` (the marker takes the same
    attributes);
``auto`` (the default)
    marked letters, plus letters found in the prose (see :func:`_prose_letters` for the heuristics).
    A file that *is* a letter is linted whole, exactly as under ``off``: when the only letter found
    is in the prose and nothing outside it is more than letter furniture (front matter, e-mail
    headers, a title heading, suppression comments, signature lines, quoted history below it), or
    when no letter is found in a file that does not look like a document (see
    :func:`looks_like_document`): a draft that skips the greeting is still a draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from .anatomy import (
    _CLOSING,
    _CLOSING_WITH_NAME,
    _CONTACT,
    _GREETING,
    _HEADER,
    _HEADING,
    _ON_START,
    _ORIGINAL,
    _OUTLOOK_FROM,
    _OUTLOOK_NEXT,
    _PS,
    _QUOTE_LINE,
    _SIG_DELIMITER,
    _SIG_NOTICE,
    _THEMATIC_BREAK,
    _WROTE,
    _WROTE_TAIL,
    Line,
    _is_signature_line,
    _salutation_end,
    front_matter_end,
    split_lines,
)
from .model import LetterPlace, Span

MODES = ("off", "marked", "auto")
#: ``auto``: it finds the sample letter in an article, and leaves a file that is a letter whole.
DEFAULT_MODE = "auto"
#: Files that may hold letters among other text; e-mails and Word documents are always one letter.
EMBEDDING_SUFFIXES = (".md", ".markdown", ".mdx", ".txt", "")

#: A sample letter is at most this long (non-blank lines, words) between salutation and sign-off;
#: a "Dear ..." line with no sign-off within reach is prose, not a letter.
MAX_LETTER_LINES = 80
MAX_LETTER_WORDS = 1500
#: A file with more letters than this is not a page of samples (a paste of one letter many times
#: over): it is read whole, as under ``off``, so the work stays linear in the file's size.
MAX_LETTERS = 50

_FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_MARKER = re.compile(r"^\s*<!--\s*lintletter\s*:\s*(?P<what>letter|end)\b(?P<attrs>.*?)-->\s*$", re.I)
#: Fences whose content is prose, so a sample letter in one is found under ``auto``.
_PROSE_INFO = {"", "text", "txt", "plain", "plaintext", "markdown", "md", "email", "mail", "letter-draft"}
_DIRECTIVE_LINE = re.compile(r"^\s*<!--\s*lintletter\s*:\s*(?P<action>[\w-]+).*-->\s*$", re.I)
_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
_QUOTE_PREFIX = re.compile(r"^ {0,3}> ?")
# MDX: JSX elements on their own lines, ESM imports/exports, {/* comments */}.
_JSX_START = re.compile(r"^\s*(?:</?[A-Z][\w.]*(?=[\s/>]|$)|</?>)")
_ESM = re.compile(r"^(?:import|export)\b")
_JSX_COMMENT = re.compile(r"^\s*\{/\*.*\*/\}\s*$")
_ATTR = re.compile(r"""(?P<key>[A-Za-z_][\w-]*)(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"']+)))?""")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[A-Z]\.|de|van|von|da|di|le|la|del|der|bin|al)$")
#: "— Perry", "-- Perry", "~Perry", "-Perry" (not "- Perry": that is a list item)
_DASH_NAME = re.compile(r"^\s*(?:--|[–—~]|-(?=\S))\s*[A-Z]")
_BLANKABLE = re.compile(r"[^\r\n]")
_EMPHASIS = re.compile(r"\*\*|__")
#: "Subject: Hello", "**Subject:** Hello", "__Subject__: Hello"
_SUBJECT_LINE = re.compile(
    r"^(?P<lead>\s*)(?P<open>\*\*|__)?(?P<label>subject|subj)(?P<mid>\*\*|__)?\s*:\s*(?P<close>\*\*|__)?\s*(?=\S)", re.I
)


@dataclass(frozen=True)
class EmbeddedLetter:
    """One letter found in a document."""

    index: int  # 1-based, in document order
    span: Span  # host offsets: start of its first own line .. end of its last own line
    start_line: int  # 1-based
    end_line: int
    layout: str  # "fenced" | "marker" | "prose" | "blockquote"
    #: set by the block (fence info string or marker): front matter for this letter, plus ``ignore``
    options: Mapping[str, Any] = field(default_factory=dict)
    #: spans outside the letter that ``text`` keeps (front matter, document-wide suppression comments)
    kept: tuple[Span, ...] = ()
    _make_text: Callable[[], str] = field(default=lambda: "", compare=False, repr=False)

    @property
    def text(self) -> str:
        """What this letter is linted as: the host text up to the letter's last line (or the last
        document-wide suppression after it), with everything but the letter, the front matter and
        document-wide suppressions blanked; offsets and line breaks are the host's. Built on demand
        (a document's letters are never all held as copies at once)."""
        return self._make_text()

    @property
    def place(self) -> LetterPlace:
        return LetterPlace(self.index, self.start_line, self.end_line)

    @property
    def front_matter(self) -> dict[str, Any]:
        """The block's front matter overrides (everything but ``ignore``)."""
        return {k: v for k, v in self.options.items() if k != "ignore"}

    @property
    def ignore(self) -> tuple[str, ...]:
        """Rules the block ignores (``ignore=LL307,LL106``): like per-file-ignores, for this letter."""
        value = self.options.get("ignore")
        if not isinstance(value, str):
            return ()
        return tuple(s for s in re.split(r"[\s,]+", value) if s)


@dataclass(frozen=True)
class Document:
    """What a file holds: one whole letter (``whole``), or letters inside other text (possibly none)."""

    mode: str
    whole: bool
    letters: tuple[EmbeddedLetter, ...] = ()
    #: when ``whole``: the text to lint (the host; for .mdx with its JSX lines blanked)
    text: str = ""
    #: how the file was read, when that is worth telling (an info finding on its report)
    notes: tuple[str, ...] = ()
    _make_view: Callable[[], str] = field(default=lambda: "", compare=False, repr=False)

    def view(self) -> str:
        """The host text with every letter kept as it is linted and the rest blanked (same length):
        the one text every letter's report of this document shares, for quoting and display."""
        return self._make_view()


def embeds(path: str | None) -> bool:
    """Whether a file of this name may hold letters among other text (.md, .mdx, .txt, stdin)."""
    if not path or path == "-":
        return True
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    suffix = name[name.rfind(".") :].lower() if "." in name.lstrip(".") else ""
    return suffix in EMBEDDING_SUFFIXES


def is_mdx(path: str | None) -> bool:
    return bool(path) and path.lower().endswith(".mdx")


# --- the host file, line by line --------------------------------------------------------------


@dataclass
class _Host:
    text: str
    lines: list[Line]
    mdx: bool
    fm_end: int | None  # index of the front matter's closing line
    #: per line: "fm" | "fence" (a fence line) | "code" (inside a non-prose fence) | "marker" |
    #: "jsx" | "text" (scannable)
    kind: list[str]
    #: per line: True when it is inside a blockquote (its content drops one "> ")
    quoted: list[bool]
    marked: list[tuple[int, int, str, dict[str, Any]]]  # (first, last) interior lines, layout, options
    #: line ranges (first, last) of fenced blocks whose content is prose: scanned under auto
    prose_fences: list[tuple[int, int]]

    def content(self, i: int) -> str:
        t = self.lines[i].text
        if self.quoted[i]:
            return t[_QUOTE_PREFIX.match(t).end() :]
        return t


def _read_host(text: str, mdx: bool) -> _Host:
    lines = split_lines(text)
    n = len(lines)
    fm_end = front_matter_end(lines)
    kind = ["text"] * n
    if fm_end is not None:
        for i in range(fm_end + 1):
            kind[i] = "fm"
    marked: list[tuple[int, int, str, dict[str, Any]]] = []
    prose_fences: list[tuple[int, int]] = []
    i = fm_end + 1 if fm_end is not None else 0
    open_marker: tuple[int, dict[str, Any]] | None = None
    while i < n:
        t = lines[i].text
        m = _FENCE_OPEN.match(t)
        if m and not (m.group("fence")[0] == "`" and "`" in m.group("info")):
            fence = m.group("fence")
            close = _fence_close(lines, i + 1, fence)
            last = close if close is not None else n
            info = m.group("info").strip()
            word, _, attrs = info.partition(" ")
            word = word.strip("{}.").lower()
            kind[i] = "fence"
            if close is not None:
                kind[close] = "fence"
            inner = "code"
            if word == "letter" and open_marker is None:
                marked.append((i + 1, last - 1, "fenced", parse_attributes(attrs)))
                inner = "marked"
            elif word in _PROSE_INFO:
                prose_fences.append((i + 1, last - 1))
                inner = "text"
            for k in range(i + 1, last):
                kind[k] = inner
            i = last + 1
            continue
        mk = _MARKER.match(t)
        if mk:
            kind[i] = "marker"
            if mk.group("what").lower() == "letter" and open_marker is None:
                open_marker = (i, parse_attributes(mk.group("attrs")))
            elif mk.group("what").lower() == "end" and open_marker is not None:
                marked.append((open_marker[0] + 1, i - 1, "marker", open_marker[1]))
                for k in range(open_marker[0] + 1, i):
                    if kind[k] == "text":
                        kind[k] = "marked"
                open_marker = None
            i += 1
            continue
        if mdx:
            jsx_end = _jsx_end(lines, i)
            if jsx_end is not None:
                for k in range(i, jsx_end + 1):
                    kind[k] = "jsx"
                i = jsx_end + 1
                continue
        i += 1
    if open_marker is not None:  # never closed: the letter runs to the end of the file
        marked.append((open_marker[0] + 1, n - 1, "marker", open_marker[1]))
        for k in range(open_marker[0] + 1, n):
            if kind[k] == "text":
                kind[k] = "marked"
    marked.sort(key=lambda item: item[0])
    # Quoted history of a reply ("On ... wrote:", "-----Original Message-----", an Outlook header
    # block) runs to the next heading, fence or break: the earlier message is nobody's sample letter.
    k = 0
    while k < n:
        if kind[k] == "text" and _history_starts(lines, k):
            while k < n and kind[k] == "text" and not (_HEADING.match(lines[k].text) or _THEMATIC_BREAK.match(lines[k].text)):
                kind[k] = "history"
                k += 1
        k += 1
    quoted = [kind[k] in ("text", "marked") and bool(_QUOTE_PREFIX.match(lines[k].text)) for k in range(n)]
    # A marked range is read without its "> " only when all of it is quoted (a blockquoted sample);
    # otherwise its quoted lines are the sample's own quoted history.
    for first, last, layout, _ in marked:
        interior = [k for k in range(first, last + 1) if lines[k].text.strip()]
        if layout == "fenced" or not all(quoted[k] for k in interior):
            for k in range(first, last + 1):
                quoted[k] = False
    # Inside a fence, "> " is the sample's own text (quoted history of a sample e-mail), not Markdown.
    for first, last in prose_fences:
        for k in range(first, last + 1):
            quoted[k] = False
    return _Host(text, lines, mdx, fm_end, kind, quoted, marked, prose_fences)


def _history_starts(lines: list[Line], k: int) -> bool:
    t = lines[k].text
    if _WROTE.match(t) or _ORIGINAL.match(t):
        return True
    if _ON_START.match(t) and k + 1 < len(lines) and _WROTE_TAIL.search(lines[k + 1].text) and len(t) < 300:
        return True
    if _OUTLOOK_FROM.match(t):
        following = [line for line in lines[k + 1 : k + 4] if line.text.strip()]
        return bool(following) and bool(_OUTLOOK_NEXT.match(following[0].text))
    return False


def _fence_close(lines: list[Line], start: int, fence: str) -> int | None:
    closing = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    for k in range(start, len(lines)):
        if closing.match(lines[k].text):
            return k
    return None


def _jsx_end(lines: list[Line], i: int) -> int | None:
    """The last line of a JSX element tag, ESM statement or JSX comment starting on line ``i``."""
    t = lines[i].text
    if _JSX_COMMENT.match(t):
        return i
    if _ESM.match(t):
        k = i
        # import { a,\n b } from "x": up to the line that ends the statement
        while k < len(lines) - 1 and "{" in lines[i].text and not re.search(r"\bfrom\b|;\s*$|\}\s*$", lines[k].text):
            k += 1
        return k
    if _JSX_START.match(t):
        k = i
        while k < len(lines) - 1 and ">" not in lines[k].text:  # <Callout\n  type="tip"\n>
            k += 1
        return k
    return None


def parse_attributes(raw: str) -> dict[str, Any]:
    """``template=true company="Acme Ltd" ignore=LL307`` -> options (true/false/yes/no are booleans;
    a bare word is a flag set to true)."""
    out: dict[str, Any] = {}
    for m in _ATTR.finditer(raw.strip().strip("{}")):
        key = m.group("key")
        value = next((v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None), None)
        if value is None:
            out[key] = True
        elif value.lower() in ("true", "yes"):
            out[key] = True
        elif value.lower() in ("false", "no"):
            out[key] = False
        else:
            out[key] = value
    return out


# --- finding letters ---------------------------------------------------------------------------


def find_letters(text: str, mode: str = DEFAULT_MODE, path: str | None = None, require_letter: bool = False) -> Document:
    """The letters in ``text`` under ``mode`` (``off``, ``marked`` or ``auto``). Never raises.

    ``path`` decides whether the file may hold embedded letters at all (.md, .mdx, .txt, stdin) and
    whether JSX lines are ignored (.mdx). ``require_letter`` (every document must contain a letter)
    turns off ``auto``'s reading of a letter-less, document-less file as a draft.
    """
    mdx = is_mdx(path)
    if mode not in MODES:
        raise ValueError(f"unknown embedded mode {mode!r}; use one of {', '.join(MODES)}")
    if mode == "off" or not embeds(path):
        return Document(mode, True, text=_blank_jsx(text) if mdx else text)
    host = _read_host(text, mdx)
    spans: list[tuple[int, int, str, dict[str, Any]]] = []
    for first, last, layout, options in host.marked:
        own = _own_lines(host, first, last)
        if own is not None:
            spans.append((own[0], own[1], layout, options))
    prose: list[tuple[int, int, str, dict[str, Any]]] = []
    if mode == "auto":
        prose = [(a, b, layout, {}) for a, b, layout in _prose_letters(host)]
        if not spans and _is_whole_letter(host, prose):
            return Document(mode, True, text=_blank_jsx(text) if mdx else text)
        if not spans and not prose and (_opens_with_salutation(host) or not (require_letter or looks_like_document(host))):
            return Document(mode, True, text=_blank_jsx(text) if mdx else text)
        if not spans and _is_reply_above_quote(host, prose):
            return Document(mode, True, text=_blank_jsx(text) if mdx else text)
    found = sorted(spans + prose, key=lambda s: s[0])
    if len(found) > MAX_LETTERS:
        note = f"{len(found)} letters found in one file, more than {MAX_LETTERS}: read as one letter (--embedded {mode})"
        return Document(mode, True, text=_blank_jsx(text) if mdx else text, notes=(note,))
    layout = _Layout(host, found)
    letters = tuple(layout.letter(n, *item) for n, item in enumerate(found, 1))
    return Document(mode, False, letters, _make_view=layout.view)


def _own_lines(host: _Host, first: int, last: int) -> tuple[int, int] | None:
    """A marked block's own first and last lines: non-blank, not a comment (suppressions may sit there)."""
    own = [
        k for k in range(first, last + 1)
        if host.content(k).strip() and not _COMMENT_LINE.match(host.content(k)) and host.kind[k] != "fence"
    ]  # fmt: skip
    return (own[0], own[-1]) if own else None


def _prose_letters(host: _Host) -> list[tuple[int, int, str]]:
    """Letters in the prose: a span that opens with a salutation line and closes with a sign-off
    and/or a signature.

    - The salutation starts a paragraph and greets someone: "Dear Mr. Jones:", "Hi Sam,", "Hello
      Priya —" alone on a line (at most eight words), or "Hi Sam, thanks ..." with a short greeting
      naming someone; or a short name/title line ending in a comma ("Ms. Chen,"). A ``Subject:`` line
      just above it belongs to the letter.
    - The sign-off is a closing line ("Best regards,", "Sincerely,", "Thanks,"; "Thank you." only
      with a name below it) or "Best, Sam" on one line. The signature is the short name-like lines
      right below the closing (at most one blank line between them): name, title, contact details.
      A P.S. just below the signature belongs to the letter.
    - With no closing line, a paragraph that is only a name ("Perry Maisin", "— Perry") after at
      least one paragraph of the letter closes it.
    - A letter never crosses a heading, a thematic break (``---``), a fence, a marker, a JSX line, or
      the edge of a blockquote: a blockquoted letter is read with its ``> `` removed, and a letter in
      the prose stops where a blockquote starts.
    - A salutation with no sign-off within reach (another salutation, one of the above, or
      MAX_LETTER_LINES / MAX_LETTER_WORDS) opens no letter.
    """
    found: list[tuple[int, int, str]] = []
    for quoted in (False, True):
        found += [(a, b, "blockquote" if quoted else "prose") for a, b in _scan(host, quoted, MAX_LETTERS + 1)]
    found.sort()
    return found


def _scan(host: _Host, quoted: bool, limit: int) -> list[tuple[int, int]]:
    n = len(host.lines)

    def member(k: int) -> bool:
        return host.kind[k] == "text" and host.quoted[k] == quoted

    def blank(k: int) -> bool:
        if host.kind[k] != "text":
            return False
        return not host.content(k).strip()

    def barrier(k: int) -> bool:
        if blank(k):
            return False
        if not member(k):
            return True
        c = host.content(k)
        return bool(_HEADING.match(c) or _THEMATIC_BREAK.match(c))

    def para_start(k: int) -> bool:
        return k == 0 or blank(k - 1) or barrier(k - 1) or host.kind[k - 1] != "text"

    out: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if member(i) and not barrier(i) and para_start(i) and is_salutation(host.content(i)):
            end = _close(host, i, member, blank, barrier, para_start)
            if end is not None:
                out.append((_subject_above(host, i, member, blank), end))
                if len(out) >= limit:  # more than MAX_LETTERS: the file will be read whole anyway
                    break
                i = end + 1
                continue
        i += 1
    return out


def _close(host: _Host, start: int, member, blank, barrier, para_start) -> int | None:
    """The last line of the letter whose salutation is on line ``start``, or None."""
    n = len(host.lines)
    body = 0  # non-blank lines after the salutation
    words = 0
    j = start + 1
    while j < n:
        if barrier(j):
            return None
        if blank(j):
            j += 1
            continue
        c = host.content(j)
        if para_start(j) and is_salutation(c):
            return None  # another letter starts: this salutation had no sign-off
        if body and _is_closing(c):
            end = _after_closing(host, j, member, blank, barrier)
            if end is not None:
                return _with_postscript(host, end, member, blank)
        elif body and para_start(j) and _is_name_paragraph(host, j, member, blank):
            end = j
            while end + 1 < n and member(end + 1) and not blank(end + 1) and _is_signature_line(host.content(end + 1)):
                end += 1
            return _with_postscript(host, end, member, blank)
        elif body >= 2 and _is_name_under_last_line(host, j, member, blank, barrier):
            return _with_postscript(host, j, member, blank)
        body += 1
        words += len(c.split())
        if body > MAX_LETTER_LINES or words > MAX_LETTER_WORDS:
            return None
        j += 1
    return None


def is_salutation(line: str) -> bool:
    """A line that opens a letter: a short greeting naming someone, or a name line ending in a comma."""
    s = line.strip()
    if not s or len(s) > 120 or _CLOSING.match(s):  # "Best," is a name-like line ending in a comma
        return False
    if _GREETING.match(s):
        end = _salutation_end(s)
        if end is None:
            return False
        head, rest = s[:end], s[end:].strip()
        words = head.split()
        if not rest:
            return len(words) <= 8
        # "Hi Sam, thanks for ..." on one line: a short greeting that names someone.
        return len(words) <= 4 and len(words) >= 2 and words[1][:1].isupper() and head.rstrip()[-1:] in ",:—–!"
    words = s.split()
    # "Ms. Chen," alone on a line: every word a name or a title.
    return s.endswith(",") and len(words) <= 4 and all(_NAME_WORD.match(w.rstrip(",")) for w in words)


def _is_closing(line: str) -> bool:
    if _CLOSING.match(line):
        return True
    m = _CLOSING_WITH_NAME.match(line)
    return bool(m and _is_signature_line(m.group(2)) and _looks_like_name(m.group(2)))


def _after_closing(host: _Host, j: int, member, blank, barrier) -> int | None:
    """The last line of the sign-off that starts with the closing on line ``j``, or None when the
    line is not a sign-off after all ("Thank you." in the middle of a letter)."""
    n = len(host.lines)
    line = host.content(j).strip()
    with_name = not _CLOSING.match(line)
    k, gap = j + 1, 0
    if not with_name:
        while k < n and blank(k) and gap < 1:
            k, gap = k + 1, gap + 1
    signature: list[int] = []
    while k < n and member(k) and not blank(k) and not barrier(k) and len(signature) < 6:
        c = host.content(k)
        if is_salutation(c) or _PS.match(c):
            break
        if not signature and not with_name:  # the name under "Best regards,"
            if not (_looks_like_name(c) or _CONTACT.search(c) or _SIG_DELIMITER.match(c)):
                break
        elif not is_signature_continuation(c):
            break
        signature.append(k)
        k += 1
    if signature:
        return signature[-1]
    if with_name:
        return j
    # A closing with nothing below it: a sign-off when it reads as one ("Best regards,") or the
    # letter's frame ends here; "Thank you." followed by more prose is a sentence of the letter.
    following = _next_nonblank(host, j, blank)
    if line.endswith(",") or following is None or barrier(following) or not member(following):
        return j
    return None


def is_signature_continuation(line: str) -> bool:
    """A line of a signature block below the name: a title, a firm, contact details ("Postdoctoral
    Research Fellow, School of Chemistry, University of Leeds", "Cell: 614-555-0170")."""
    s = line.strip()
    if _is_signature_line(s) or _CONTACT.search(s):
        return True
    if len(s) > 120 or len(s.split()) > 16 or s.endswith(("?", "!", ":", ";")) or re.search(r"[.?!]\s+[A-Z]", s):
        return False
    # ends with "Ltd." or "P.E." rather than a sentence's full stop
    return not s.endswith(".") or s.split()[-1][:1].isupper()


def _next_nonblank(host: _Host, j: int, blank) -> int | None:
    k = j + 1
    while k < len(host.lines) and blank(k):
        k += 1
    return k if k < len(host.lines) else None


def _is_name_paragraph(host: _Host, j: int, member, blank) -> bool:
    """Line ``j`` starts a paragraph that is only a signature: "— Perry", or a name alone."""
    c = host.content(j).strip()
    if _SIG_DELIMITER.match(c):
        return True
    if not _is_signature_line(c) or _CONTACT.search(c):
        return False
    return _looks_like_name(c)


def _is_name_under_last_line(host: _Host, j: int, member, blank, barrier) -> bool:
    """Line ``j`` is a name right under the letter's last sentence, with no closing line and no blank
    line between ("Thanks again, and good luck at the Orange Bowl!" / "Luis Ortega"), and nothing but
    blank lines after it before the end of the file or a barrier (a heading, a break): a name inside a
    letter ("here she is." / "Dr Anna Weber, PhD", a quotation's author) is followed by more of it.
    The caller also wants two lines of letter above it ("Hi everyone," / "Thanks for coming along..."
    / "Jo Park" heads a page of notes)."""
    c = host.content(j).strip()
    if j == 0 or blank(j - 1) or not member(j - 1) or not _is_signature_line(c) or not _looks_like_name(c):
        return False
    last = host.content(j - 1).strip()
    # a sentence (words in lower case), not an address line above ("... Union Ltd." / "Himmatnagar, Gujarat")
    if not last.endswith((".", "!")) or len(last.split()) > 20 or not re.search(r"\b[a-z]{2,}\b", last):
        return False
    k = j + 1
    while k < len(host.lines) and blank(k):
        k += 1
    return k >= len(host.lines) or barrier(k) or not member(k)


def _looks_like_name(text: str) -> bool:
    text = text.strip()
    m = _DASH_NAME.match(text)
    if m:
        text = text[m.end() - 1 :]
    # letters after the name ("Dr. Mehul B. Chaudhari, B.V.Sc. & A.H.", "Ana Ruiz, PhD, PMP")
    head, comma, tail = text.partition(",")
    if comma and tail.split() and all(_POSTNOMINAL.match(w.rstrip(",")) for w in tail.split()):
        text = head
    words = text.split()
    return 1 <= len(words) <= 4 and all(_NAME_WORD.match(w.rstrip(",")) for w in words)


#: A degree, a professional title or the "&" between two: "B.V.Sc.", "A.H.", "P.Eng." (with a stop),
#: "MBA", "CPA" (capitals), "PhD", "MSc" (the usual mixed-case ones); not "Acme" or "Leeds"
_POSTNOMINAL = re.compile(
    r"^(?:&|[A-Z]{2,5}|(?:[A-Z][A-Za-z]{0,3}\.){1,4}[A-Za-z]{0,3}|PhD|DPhil|MPhil|MSc|BSc|MEng|BEng|EdD|MEd|BEd|LLB|LLM|MBBS|BPharm|MPH|MPA)$")


def _with_postscript(host: _Host, end: int, member, blank) -> int:
    k = end + 1
    if k < len(host.lines) and blank(k):
        k += 1
    if k < len(host.lines) and member(k) and _PS.match(host.content(k)):
        while k + 1 < len(host.lines) and member(k + 1) and not blank(k + 1):
            k += 1
        return k
    return end


def _subject_above(host: _Host, i: int, member, blank) -> int:
    """A ``Subject:`` line just above the salutation (at most one blank line between) starts the letter."""
    k = i - 1
    if k >= 0 and blank(k):
        k -= 1
    if k >= 0 and member(k) and _SUBJECT_LINE.match(host.content(k)):
        return k
    return i


def _plain_subject(line: str) -> str | None:
    """ "**Subject:** Hello" -> "Subject:     Hello" (same length, the subject text where it was),
    so the anatomy code reads it as the letter's Subject: header; None when there is nothing to do."""
    m = _SUBJECT_LINE.match(line)
    if m is None or not any(m.group(g) for g in ("open", "mid", "close")):
        return None
    label = m.group("lead") + m.group("label") + ":"
    return label + " " * (m.end() - len(label)) + line[m.end() :]


# --- a file that is a letter ---------------------------------------------------------------------


def _is_whole_letter(host: _Host, prose: list[tuple[int, int, str, dict]]) -> bool:
    """One letter in the prose, and nothing outside it but letter furniture: the file is the letter."""
    unquoted = [p for p in prose if p[2] == "prose"]
    if len(unquoted) != 1 or host.marked:
        return False
    first, last = unquoted[0][0], unquoted[0][1]
    if any(p[0] < first for p in prose):
        return False  # a blockquoted letter above the writer's own: a page of samples
    for k in range(first):
        if not _furniture_before(host, k):
            return False
    in_ps = in_notice = False
    for k in range(last + 1, len(host.lines)):
        kind, t = host.kind[k], host.lines[k].text
        if not t.strip():
            in_ps = in_notice = False
            continue
        if kind == "jsx" or _COMMENT_LINE.match(t):
            continue
        if kind == "history" or (kind == "text" and _QUOTE_LINE.match(t)):
            return True  # quoted history: everything below is the earlier message
        in_ps = in_ps or (kind == "text" and bool(_PS.match(t)))
        # a disclaimer or working-hours note below the signature is e-mail furniture
        in_notice = in_notice or (kind == "text" and bool(_SIG_NOTICE.search(t)))
        if not (in_ps or in_notice) and (kind != "text" or not is_signature_continuation(t)):
            return False
    return True


def _opens_with_salutation(host: _Host) -> bool:
    """The file's first line of text (after front matter, a title, headers) greets someone: a draft
    whose sign-off is missing, or whose headings ("## A few questions") end the search for one."""
    for k in range(len(host.lines)):
        if not _furniture_before(host, k) or (host.kind[k] == "text" and is_salutation(host.lines[k].text)):
            return host.kind[k] == "text" and not host.quoted[k] and is_salutation(host.lines[k].text)
    return False


def _is_reply_above_quote(host: _Host, prose: list[tuple[int, int, str, dict]]) -> bool:
    """A reply with the message it answers quoted below it: the writer's own lines (no letter of
    their own: "Thanks Helen, understood."), then a blockquote running to the end of the file."""
    if not prose or any(p[2] != "blockquote" for p in prose) or looks_like_document(host):
        return False
    own = [k for k in range(len(host.lines)) if host.kind[k] == "text" and host.lines[k].text.strip()]
    return bool(own) and not host.quoted[own[0]] and host.quoted[own[-1]]


def _furniture_before(host: _Host, k: int) -> bool:
    kind, t = host.kind[k], host.lines[k].text
    if kind in ("fm", "jsx") or not t.strip() or _COMMENT_LINE.match(t):
        return True
    if kind != "text":
        return False
    plain = _EMPHASIS.sub("", t)  # "**To:** Alan McKenzie"
    if _HEADER.match(plain.strip()) or _HEADING.match(t) or _THEMATIC_BREAK.match(t):
        return True
    # an address block, a date or a labelled field ("Ref: Advt. No. 04/2025 - Post of Assistant
    # Manager (Finance)", however long) above a formal letter: lines that are not sentences
    short = len(t.split()) <= 8 or _FIELD_LINE.match(plain) is not None
    if short and _PLACE_LINE.match(t):
        return True  # "Hyderabad.", "Ota, Ogun State.": an address line closed by a full stop
    return short and not t.rstrip().endswith(("?", "!")) and not _SENTENCE_END.fullmatch(t.split()[-1])


#: A line of capitalised words only (a place, an office), whatever ends it: in Indian and West African
#: address blocks the last line takes a full stop ("Hyderabad.", "Ota, Ogun State."); a sentence has
#: lower-case words ("Thank you.")
_PLACE_LINE = re.compile(r"^\s*(?:[A-Z0-9][\w'’&()/.-]*,?[ \t]+){0,5}[A-Z0-9][\w'’&()/-]*\.?\s*$")


#: The last word of a sentence: a word and its full stop ("...in Leeds."), not letters after a name
#: ("Nalini Persad, B.Pharm.", "Ph.D.": a stop inside the word)
_SENTENCE_END = re.compile(r"[^\W\d_]*[a-z]{3,}\.")


#: "Ref:", "Our ref.:", "Roll No.:", "Application ID:": a label of at most three words, a colon, a value
_FIELD_LINE = re.compile(r"^\s*[A-Z][\w.'/&()-]*(?:[ \t]+[\w.'/&()-]+){0,2}[ \t]*:[ \t]+\S")


def looks_like_document(host: _Host) -> bool:
    """A file with no letter in it is a document (an article, notes) rather than a draft when it has
    a heading below its first line of prose or two headings, a title heading but no sign-off, a
    fenced block, a letter marker or JSX."""
    headings = 0
    seen_prose = False
    for k, line in enumerate(host.lines):
        kind = host.kind[k]
        if kind in ("fence", "marker", "jsx"):
            return True
        if kind != "text":
            continue
        if _HEADING.match(line.text):
            headings += 1
            if seen_prose or headings > 1:
                return True
        elif line.text.strip():
            seen_prose = True
    # A titled page with no sign-off; a titled draft has one ("Thanks,", a name). Length is no sign:
    # a long draft, even one pasted on one line, is still a draft.
    return bool(headings) and not _signs_off(host)


def _signs_off(host: _Host) -> bool:
    """A closing line anywhere, or a last line of text that is a name ("*Marisol Ortega*")."""
    text = [k for k in range(len(host.lines)) if host.kind[k] == "text" and host.lines[k].text.strip()]
    if any(_CLOSING.match(host.lines[k].text) for k in text):
        return True
    return bool(text) and _looks_like_name(_EMPHASIS.sub("", host.lines[text[-1]].text).strip("*_ "))


# --- the text each letter is linted as -----------------------------------------------------------


class _Layout:
    """Which host lines each letter's text keeps, worked out once per document."""

    def __init__(self, host: _Host, found: list[tuple[int, int, str, dict[str, Any]]]) -> None:
        self.host = host
        self.found = found
        lines = host.lines
        self.fm = list(range(host.fm_end + 1)) if host.fm_end is not None else []
        self.own: list[range] = []
        self.strip: set[int] = set()
        self.rewrite: dict[int, str] = {}
        owner = [0] * len(lines)  # line -> 1-based letter holding it (0: none)
        for n, (first, last, layout, _) in enumerate(found, 1):
            if layout in ("marker", "fenced"):
                a, b = next((f, l) for f, l, _, _ in host.marked if f <= first and last <= l)
                own = range(a, b + 1)
            else:
                own = range(first, last + 1)
            self.own.append(own)
            for k in own:
                owner[k] = n
                if host.quoted[k]:
                    self.strip.add(k)
            plain = _plain_subject(host.content(first)) if layout in ("prose", "blockquote") else None
            if plain:
                self.rewrite[first] = lines[first].text[: len(lines[first].text) - len(host.content(first))] + plain
        # Suppression comments outside every letter: disable-file and disable/enable apply to every
        # letter they cover; disable-next-line only to the letter holding its next non-blank line.
        self.everyone: list[int] = []
        self.only: dict[int, list[int]] = {}
        for k, line in enumerate(lines):
            if host.kind[k] != "text" or host.quoted[k] or owner[k]:
                continue
            m = _DIRECTIVE_LINE.match(line.text)
            if not m or m.group("action").lower() in ("letter", "end"):
                continue
            if m.group("action").lower() == "disable-next-line":
                nxt = next((j for j in range(k + 1, len(lines)) if lines[j].text.strip()), None)
                if nxt is not None and owner[nxt]:
                    self.only.setdefault(owner[nxt], []).append(k)
            else:
                self.everyone.append(k)

    def letter(self, index: int, first: int, last: int, layout: str, options: dict) -> EmbeddedLetter:
        lines = self.host.lines
        outside = sorted(self.everyone + self.only.get(index, []))
        keep = self.fm + list(self.own[index - 1]) + outside
        kept = [Span(lines[0].start, lines[self.host.fm_end].end)] if self.fm else []
        kept += [Span(lines[k].start, lines[k].end) for k in outside]
        host, strip, rewrite = self.host, self.strip, self.rewrite
        return EmbeddedLetter(
            index=index,
            span=Span(lines[first].start, lines[last].end),
            start_line=first + 1,
            end_line=last + 1,
            layout=layout,
            options=dict(options),
            kept=tuple(kept),
            _make_text=lambda: _masked(host.text, host.lines, keep, strip, rewrite, whole=False),
        )

    def view(self) -> str:
        keep = self.fm + [k for own in self.own for k in own] + self.everyone + [k for ks in self.only.values() for k in ks]
        return _masked(self.host.text, self.host.lines, keep, self.strip, self.rewrite)


def _masked(
    text: str, lines: list[Line], keep, strip: set[int] = frozenset(), rewrite: Mapping[int, str] = {}, whole: bool = True
) -> str:
    """``text`` with every line not in ``keep`` blanked, the "> " of lines in ``strip`` blanked and
    lines in ``rewrite`` replaced (by text of the same length); line breaks stay, so offsets and line
    numbers are the host's. ``whole=False`` stops after the last kept line."""
    pieces: list[str] = []
    pos = 0
    for k in sorted(set(keep)):
        line = lines[k]
        if pos < line.start:  # between kept lines only line breaks survive
            pieces.append(_BLANKABLE.sub(" ", text[pos : line.start]))
        if k in rewrite:
            pieces.append(rewrite[k])
        elif k in strip:
            prefix = _QUOTE_PREFIX.match(line.text).end()
            pieces.append(" " * prefix + line.text[prefix:])
        else:
            pieces.append(line.text)
        pos = line.end
    if whole:
        pieces.append(_BLANKABLE.sub(" ", text[pos:]))
    return "".join(pieces)


def _blank_jsx(text: str) -> str:
    """An .mdx file read whole: its JSX lines, imports and exports blanked."""
    host = _read_host(text, mdx=True)
    keep = {k for k in range(len(host.lines)) if host.kind[k] != "jsx"}
    return _masked(text, host.lines, keep, set())
