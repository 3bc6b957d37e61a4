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
