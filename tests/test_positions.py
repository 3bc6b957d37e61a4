"""Positions map back to the original file: 1-based line and column, any line ending."""

from __future__ import annotations

import json

import pytest

from lintletter.formatters import Run
from lintletter.formatters.json import render
from lintletter.model import LineIndex


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_index(newline):
    text = newline.join(["abc", "de", "", "f"])
    index = LineIndex(text)
    assert index.position(0) == (1, 1)
    assert index.position(text.index("e")) == (2, 2)
    assert index.position(text.index("f")) == (4, 1)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_json_positions_point_at_evidence(linter, newline):
    text = newline.join(
        ["Subject: Hello", "", "Dear Dana,", "", "Thank you for letting me know that you chose", "another candidate.", "", "Best,", "Al", ""]
    )
    doc = json.loads(render(Run((linter.lint_text(text, "x.txt"),))))
    lines = text.split(newline)
    ev = doc["files"][0]["sections"]["acknowledgement"]["evidence"][0]
    assert ev["line"] == 5 and ev["column"] == 1
    assert ev["end_line"] == 6
    assert lines[ev["end_line"] - 1][: ev["end_column"] - 1] == "another candidate."
    assert ev["text"] == text[text.index("Thank you for letting") : text.index("candidate.") + len("candidate.")]


@pytest.mark.parametrize(
    "text,lines",
    [
        ("", [""]),
        ("a", ["a"]),
        ("a\n", ["a", ""]),
        ("a\r\nb\rc\nd", ["a", "b", "c", "d"]),
        ("\r\n\r\n", ["", "", ""]),
        ("\n\r", ["", "", ""]),  # \n then \r: two breaks, not one
        ("a\u2028b\x0bc\x0cd\x85e", ["a\u2028b\x0bc\x0cd\x85e"]),  # str.splitlines would break at each
    ],
)
def test_one_definition_of_a_line_everywhere(text, lines):
    """The anatomy, JSON/SARIF positions, the HTML view and the language server share line_ranges."""
    from lintletter.anatomy import split_lines
    from lintletter.model import line_ranges
    from lintletter.server.positions import Positions

    ranges = line_ranges(text)
    assert [text[s:e] for s, e in ranges] == lines
    assert [(ln.start, ln.end, ln.text) for ln in split_lines(text)] == [(s, e, text[s:e]) for s, e in ranges]
    index, server = LineIndex(text), Positions(text, "utf-32")
    assert server.line_count == len(ranges)
    for number, (start, end) in enumerate(ranges):
        assert index.position(start) == (number + 1, 1) and server.position(start) == (number, 0)
        assert server.line_span(number) == (start, end)
    for upto in range(1, len(ranges) + 1):
        assert line_ranges(text, upto=upto) == ranges[:upto]
