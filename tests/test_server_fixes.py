"""The language server's pure parts: LSP positions, and the quick-fix planner's insertions, on
letters the server never sees whole (inside articles, blockquoted, CRLF, front matter)."""

from __future__ import annotations

import pytest

from lintletter.server import fixes
from lintletter.server.positions import UTF8, UTF16, UTF32, Positions

from .conftest import ACCEPTANCE, CORPUS

THANKS = (ACCEPTANCE / "thank-you-only.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding, column", [(UTF16, 5), (UTF8, 9), (UTF32, 3)])
def test_positions_round_trip_in_every_encoding(encoding, column):
    text = "Dear Sam,\r\n😀😀 é sorry\rlast\n"
    positions = Positions(text, encoding)
    offset = text.index("é")
    assert positions.position(offset) == (1, column)
    assert positions.offset(1, column) == offset
    assert positions.position(text.index("last")) == (2, 0)
    assert positions.line_count == 4
    assert positions.offset(99, 0) == len(text)  # past the end: the end, never an error
    assert positions.offset(0, 999) == len("Dear Sam,")  # past a line's end: its end
    assert positions.position(len("Dear Sam,") + 1) == (0, len("Dear Sam,"))  # inside \r\n


def test_positions_break_lines_only_where_lsp_does():
    text = "one\u2028two\x0cthree\nfour"
    assert Positions(text).position(text.index("four")) == (1, 0)


def _sections_fixed(linter, ruleset, text, path="letter.md"):
    """Apply every sentence fix one at a time, re-linting in between, like a person in an editor."""
    for _ in range(8):
        (report,) = list(linter.lint_documents([(path, text, (), (), "auto")]))
        missing = [f for f in report.findings if f.section and f.span is None]
        if not missing:
            return text, report
        fix = next(x for x in fixes.quick_fixes(report, text, ruleset) if x.finding == missing[0] and x.kind == "insert")
        text = text[: fix.start] + fix.new_text + text[fix.end :]
    raise AssertionError(text)


def test_every_missing_section_is_fixed_and_every_original_line_is_kept(linter, ruleset):
    text, report = _sections_fixed(linter, ruleset, THANKS)
    assert all(report.sections[s].status.value != "missing" for s in report.sections)
    kept = iter(text.splitlines())
    assert all(any(line == other for other in kept) for line in THANKS.splitlines())  # in order
    assert not [f for f in report.findings if f.code in ("LL307", "LL309")]  # no placeholder, not too long


def test_crlf_letters_get_crlf_lines(linter, ruleset):
    text, _ = _sections_fixed(linter, ruleset, THANKS.replace("\n", "\r\n"), "letter.txt")
    assert "\n" not in text.replace("\r\n", "")


def test_a_blockquoted_sample_in_an_article_gets_quoted_lines_inside_the_quote(linter, ruleset):
    article = (CORPUS / "embedded" / "blockquoted-sample.md").read_text(encoding="utf-8")
    cut = article.replace(
        "> If anyone in your network is hiring product designers, I'd be grateful for an introduction, and\n"
        "> I'd love to know which other fintech teams you rate.\n>\n",
        "",
    )
    (report,) = list(linter.lint_documents([("article.md", cut, (), (), "auto")]))
    assert report.letter is not None
    (f,) = [f for f in report.findings if f.code == "LL105"]
    (fix,) = [x for x in fixes.quick_fixes(report, cut, ruleset) if x.finding == f and x.kind == "insert"]
    fixed = cut[: fix.start] + fix.new_text + cut[fix.end :]
    assert "> " + " ".join(f.suggestion.split())[:30] in fixed  # the suggestion made for this letter, quoted
    assert "\n>\n> Thanks again,\n> Inés Calderón" in fixed
    (after,) = list(linter.lint_documents([("article.md", fixed, (), (), "auto")]))
    assert "LL105" not in {x.code for x in after.findings}


def test_disable_goes_below_front_matter_and_above_an_email_body(linter, ruleset):
    text = "---\nrole: Data Analyst\n---\n" + THANKS
    (report,) = list(linter.lint_documents([("a.md", text, (), (), "auto")]))
    disable = next(x for x in fixes.quick_fixes(report, text, ruleset) if x.kind == "disable")
    assert disable.start == text.index("Hi Marcus")
    assert disable.new_text.startswith("<!-- lintletter: disable-file=") and fixes.REASON_PLACEHOLDER in disable.new_text


def test_example_names_in_suggestions_are_replaced():
    assert fixes.for_this_letter("inside or outside Acme, you", {}) == "inside or outside your company, you"
    assert fixes.for_this_letter("in Acme and your data team", {"company": "Northwind"}) == "in Northwind and your team"
    assert fixes.for_this_letter("offered the Product Analyst role to", {"role": "Data Analyst"}) == "offered the Data Analyst role to"
    assert fixes.for_this_letter("in Acme", {"company": "[Company]"}) == "in your company"  # a template's placeholder is no name


def test_reports_of_a_decoded_copy_get_no_fixes(linter, ruleset):
    (report,) = list(linter.lint_documents([("a.md", THANKS, (), (), "auto")]))
    assert fixes.quick_fixes(report, THANKS + "extra", ruleset) == []
