"""The Python API's hand-off: Linter.lint_many takes LetterInput values, not loose tuples."""

from __future__ import annotations

import dataclasses

import pytest

from lintletter import LetterInput

from .conftest import BITTER, THANKS


def test_lint_many_takes_letter_inputs_in_order_with_their_own_ignores_and_notes(linter):
    bitter, thanks = (open(p, encoding="utf-8").read() for p in (BITTER, THANKS))
    plain, ignoring, noted = linter.lint_many(
        [
            LetterInput("a.txt", bitter),
            LetterInput("b.txt", bitter, ignore=("LL201",)),
            LetterInput("c.txt", thanks, notes=("decoded as Windows-1252",)),
        ]
    )
    assert [r.path for r in (plain, ignoring, noted)] == ["a.txt", "b.txt", "c.txt"]
    assert "LL201" in {f.code for f in plain.findings} and "LL201" not in {f.code for f in ignoring.findings}
    (note,) = [f for f in noted.findings if f.code == "LL315"]
    assert "Windows-1252" in note.message
    assert noted.sections == linter.lint_text(thanks, "c.txt").sections


def test_a_tuple_is_refused_with_a_reason(linter):
    with pytest.raises(TypeError, match="LetterInput"):
        list(linter.lint_many([("a.txt", "Hi Sam,\n\nThanks.\n")]))


def test_letter_input_is_frozen():
    item = LetterInput("a.txt", "text")
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.text = "other"  # type: ignore[misc]
    assert (item.ignore, item.notes, item.embedded) == ((), (), None)
