"""Character offsets <-> LSP positions (0-based line, column in the negotiated code units).

lintletter's findings are offsets into the text (Python code points); an LSP position counts
UTF-16 code units by default, or UTF-8 bytes / code points when client and server agree on it
(``positionEncoding``). Lines break at ``\\r\\n``, ``\\n`` and ``\\r`` only, as the protocol says
(not at the other breaks ``str.splitlines`` knows, such as U+2028), the same breaks
:class:`lintletter.model.LineIndex` counts.
"""

from __future__ import annotations

import bisect

from ..model import line_ranges

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units ``text`` is in ``encoding``."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class Positions:
    """One text's line starts, for converting in both directions."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = str(encoding or UTF16)
        lines = line_ranges(text)
        self._starts = [start for start, _ in lines]
        self._ends = [end for _, end in lines]  # where each line's text ends (before its break)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line_of(self, offset: int) -> int:
        """The 0-based line holding ``offset`` (a break belongs to the line it ends)."""
        return bisect.bisect_right(self._starts, max(0, min(offset, len(self.text)))) - 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Offsets of the line's text, without its break."""
        line = max(0, min(line, self.line_count - 1))
        return self._starts[line], self._ends[line]

    def position(self, offset: int) -> tuple[int, int]:
        """``offset`` as (line, character) in code units."""
        offset = max(0, min(offset, len(self.text)))
        line = self.line_of(offset)
        start, end = self.line_span(line)
        # an offset inside a \r\n pair is the end of the line
        return line, units(self.text[start : min(offset, end)], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset of an LSP position; past the end of a line is its end, past the last line
        the end of the text."""
        if line < 0:
            return 0
        if line >= self.line_count:
            return len(self.text)
        start, end = self.line_span(line)
        if self.encoding == UTF32:
            return min(start + max(0, character), end)
        counted = 0
        for i in range(start, end):
            if counted >= character:
                return i
            counted += units(self.text[i], self.encoding)
        return end
