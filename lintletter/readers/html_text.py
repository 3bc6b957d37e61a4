"""HTML e-mail bodies to plain text with the stdlib parser, leaving out the quoted history.

Block elements end lines, ``<p>`` ends a paragraph (a blank line), ``<br>`` breaks a line; other
whitespace collapses as a browser would. Quoted history is dropped: ``<blockquote>`` and the
containers mail clients wrap it in (Gmail's ``gmail_quote``, Yahoo's ``yahoo_quoted``). The
attribution line an Apple Mail or Thunderbird reply leaves outside the quote ("On … wrote:") and
Outlook's From:/Sent: block stay, and the anatomy parser treats them and what follows as quoted.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_QUOTE_CLASSES = {"gmail_quote", "yahoo_quoted"}
_SKIPPED_TAGS = {"blockquote", "head", "style", "script", "title", "template"}
_VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "wbr", "col", "area", "base", "source"}
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "pre"}
_LINE_TAGS = {"div", "li", "tr", "hr", "dd", "dt", "address", "section", "article", "header", "footer"}


def html_to_text(html: str) -> str:
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    return parser.text()


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._out: list[str] = []
        self._open: list[str] = []  # stack of open (non-void) tags
        self._skip_from: int | None = None  # stack depth of the element being dropped
        self._pre = 0

    # --- output helpers -------------------------------------------------------------------
    def _tail(self) -> str:
        return "".join(self._out[-2:])[-2:] if self._out else "\n\n"

    def _end_line(self) -> None:
        if not self._tail().endswith("\n"):
            self._out.append("\n")

    def _end_paragraph(self) -> None:
        self._end_line()
        if self._tail() != "\n\n":
            self._out.append("\n")

    def text(self) -> str:
        joined = "".join(self._out)
        lines = [line.rstrip() for line in joined.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"

    # --- parser callbacks -----------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID_TAGS:
            self._open.append(tag)
        if self._skip_from is not None:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in _SKIPPED_TAGS or classes & _QUOTE_CLASSES:
            if tag not in _VOID_TAGS:
                self._skip_from = len(self._open)
            return
        self._break_for(tag)
        if tag == "br":
            self._out.append("\n")
        elif tag == "pre":
            self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._open:
            return  # a stray end tag: browsers ignore it too
        while self._open:  # close elements left open inside this one (<p> without </p>)
            closed = self._open.pop()
            if self._skip_from is not None and len(self._open) < self._skip_from:
                self._skip_from = None
                if closed == tag:
                    return
                continue
            if self._skip_from is None:
                self._break_for(closed)
                if closed == "pre":
                    self._pre -= 1
            if closed == tag:
                return

    def handle_data(self, data: str) -> None:
        if self._skip_from is not None:
            return
        data = data.replace("\xa0", " ")
        if not self._pre:
            data = re.sub(r"\s+", " ", data)
            if self._tail().endswith(("\n", " ")):
                data = data.lstrip(" ")
        if data:
            self._out.append(data)

    def _break_for(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self._end_paragraph()
        elif tag in _LINE_TAGS:
            self._end_line()
