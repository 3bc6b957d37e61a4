"""E-mails (.eml) and Word documents (.docx) read as letters: text, positions, damaged files."""

from __future__ import annotations

import importlib.util
import io
import json
import shutil
import sys
import zipfile

import pytest

from lintletter import anatomy
from lintletter.cli import main
from lintletter.errors import InputError
from lintletter.model import LineIndex, Status
from lintletter.reading import expand, extract, read_all, read_file
from lintletter.readers.html_text import html_to_text

from .conftest import ACCEPTANCE, CORPUS

INPUTS = CORPUS / "inputs"
PLAIN = INPUTS / "reply-plain.eml"
ALTERNATIVE = INPUTS / "reply-alternative-qp.eml"
HTML_ONLY = INPUTS / "reply-html-only.eml"
BASE64 = INPUTS / "reply-base64-utf8.eml"
DOCX = INPUTS / "letter.docx"
CORRUPT = INPUTS / "corrupt"


def _generator():
    spec = importlib.util.spec_from_file_location("make_inputs", INPUTS / "make_inputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(path):
    return read_file(path, str(path))


def evidence_inside(report, span) -> list[str]:
    return [
        report.text[e.start : e.end]
        for result in report.sections.values()
        for e in result.evidence
        if span.start <= e.start < span.end
    ]


# --- plain-text e-mail: read in place ----------------------------------------------------------


def test_plain_eml_is_the_file_with_headers_blanked():
    source = read(PLAIN)
    raw = PLAIN.read_bytes().decode("utf-8")
    assert len(source.text) == len(raw) and source.notes == ()
    text_lines, raw_lines = source.text.split("\n"), raw.split("\n")
    separator = raw_lines.index("")
    for got, original in zip(text_lines[:separator], raw_lines):
        assert got == (original if original.startswith("Subject:") else " " * len(original))
    assert text_lines[separator:] == raw_lines[separator:]
    assert "Subject: Re: Product Operations Manager role" in text_lines


def test_plain_eml_positions_point_at_the_eml_file(linter):
    source = read(PLAIN)
    report = linter.lint_text(source.text, source.path)
    evidence = report.sections["referrals"].evidence[0]
    quoted = source.text[evidence.start : evidence.end]
    assert quoted.startswith("Is there anyone in your network")
    raw_lines = PLAIN.read_bytes().decode("utf-8").split("\n")
    line, column = LineIndex(source.text).position(evidence.start)
    assert raw_lines[line - 1].startswith("Is there anyone in your network") and column == 1
    assert report.sections["referrals"].status is Status.PRESENT


def test_plain_eml_quoted_rejection_and_signature_are_recognised(linter):
    source = read(PLAIN)
    parsed = anatomy.parse(source.text)
    assert source.text[parsed.quote.start :].startswith("On Tue, 4 Mar 2025 at 16:12, Helen Osei")
    assert "feedback" in source.text[parsed.quote.start :]
    assert parsed.signature.text(source.text).startswith("Tomás Reyes")
    report = linter.lint_text(source.text, source.path)
    assert all(r.status is Status.PRESENT for r in report.sections.values())
    assert evidence_inside(report, parsed.quote) == []


def test_section_only_in_the_quoted_email_does_not_count(linter):
    ask = "Could you share where my case presentation fell short?"
    body = "Hi Helen,\n\nThank you for letting me know that the role went to another candidate.\n\nBest,\nTomás\n"
    quote = f"\nOn Tue, 4 Mar 2025 at 16:12, Helen Osei <helen@example.com> wrote:\n> {ask}\n> Helen\n"
    raw = f"From: t@example.com\nSubject: Re: the role\nContent-Type: text/plain; charset=utf-8\n\n{body}{quote}"
    text = extract(raw.encode(), "reply.eml").text
    assert ask in text
    assert linter.lint_text(text).sections["feedback_request"].status is Status.MISSING
    unquoted = extract((raw.replace(f"> {ask}", "").replace("Best,", f"{ask}\n\nBest,")).encode(), "r.eml").text
    assert linter.lint_text(unquoted).sections["feedback_request"].status is Status.PRESENT


def test_section_only_in_the_subject_is_weak(linter):
    raw = (
        b"From: a@example.com\nSubject: Could you share feedback on my interview?\n\n"
        b"Dear Dana,\n\nThank you for letting me know that you offered the role to another candidate.\n\nBest regards,\nAl\n"
    )
    source = extract(raw, "reply.eml")
    assert source.notes == ()  # still read in place
    assert linter.lint_text(source.text).sections["feedback_request"].status is Status.WEAK


def test_crlf_eml_is_read_in_place():
    raw = b"From: a@example.com\r\nSubject: Thanks\r\nDate: Tue, 4 Mar 2025 10:00:00 +0000\r\n\r\nDear Dana,\r\n\r\nThank you.\r\n"
    source = extract(raw, "crlf.eml")
    assert source.notes == () and len(source.text) == len(raw)
    assert source.text.split("\r\n")[1] == "Subject: Thanks"
    assert LineIndex(source.text).position(source.text.index("Thank you")) == (7, 1)


def test_encoded_subject_falls_back_to_decoded_text():
    raw = "From: a@example.com\nSubject: =?utf-8?q?Danke_Zo=C3=AB?=\nContent-Type: text/plain; charset=utf-8\n\nDear Zoë,\n"
    source = extract(raw.encode(), "x.eml")
    assert source.text == "Subject: Danke Zoë\n\nDear Zoë,\n"
    assert source.notes == ("positions refer to the decoded text/plain part, not the raw .eml file",)


# --- decoded e-mails ---------------------------------------------------------------------------


def test_multipart_quoted_printable_prefers_the_plain_part():
    source = read(ALTERNATIVE)
    expected = _generator().ALT_TEXT
    assert source.text == "Subject: Re: Your application - Supply Chain Analyst\n\n" + expected
    assert "=E2=80=99" not in source.text and "<div" not in source.text
    assert any("decoded text/plain part" in note for note in source.notes)


def test_html_only_eml_drops_the_quote_and_keeps_paragraphs():
    source = read(HTML_ONLY)
    text = source.text
    assert text.startswith("Subject: Re: Associate Counsel\n\nDear Ms. Nakamura,\n\nThank you for calling me")
    assert "feedback" not in text and "Keiko" not in text  # the Gmail quote is left out
    assert "Lindqvist & Hale" in text and "margin" not in text  # entities decoded, <style> dropped
    assert "for your practice group.\n\nWarm regards,\nDaniel Okafor\n" in text
    assert any("HTML part" in note for note in source.notes)


def test_base64_utf8_eml_decodes_names():
    source = read(BASE64)
    assert source.encoding == "utf-8"
    assert source.text.startswith("Subject: Danke, Frau Müller — UX Researcher\n\nLiebe Frau Müller,\n")
    assert "meeting you and Søren" in source.text and source.text.endswith("Warm regards,\nZoë Brandão\n")


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<p>One<p>Two</p>", "One\n\nTwo\n"),
        ("<div>Hi,</div><div><br></div><div>Line&nbsp;one<br>line two</div>", "Hi,\n\nLine one\nline two\n"),
        ("<p>Mine</p><div>On Mon, Al wrote:</div><blockquote type=cite><p>Old <blockquote>older</blockquote></p></blockquote><p>After</p>",
         "Mine\n\nOn Mon, Al wrote:\n\nAfter\n"),
        ("<p>Reply</p><div class='gmail_quote extra'><div>On X wrote:</div><blockquote>q</blockquote></div>", "Reply\n"),
        ("<p>Unclosed <b>bold</p></div></span>text", "Unclosed bold\n\ntext\n"),
    ],
)
def test_html_to_text(html, expected):
    assert html_to_text(html) == expected


# --- Word documents ----------------------------------------------------------------------------


def test_docx_reads_paragraphs_tables_and_line_breaks():
    gen = _generator()
    source = read(DOCX)
    paragraphs = [*gen.DOCX_PARAGRAPHS, "\n".join(gen.DOCX_SIGNOFF), *gen.DOCX_CONTACT_TABLE[0]]
    assert source.text == "\n\n".join(paragraphs) + "\n"
    assert gen.DOCX_LETTERHEAD not in source.text  # page headers are not the letter
    assert any("paragraphs" in note for note in source.notes)


def test_docx_positions_count_paragraphs_of_the_extracted_text(linter):
    source = read(DOCX)
    report = linter.lint_text(source.text, source.path)
    assert all(r.status is Status.PRESENT for r in report.sections.values())
    evidence = report.sections["continued_interest"].evidence[0]
    assert source.text[evidence.start : evidence.end].startswith("I remain very interested in Calder & Finch")
    assert LineIndex(source.text).position(evidence.start) == (5, 1)  # third paragraph
    parsed = anatomy.parse(source.text)
    assert parsed.closing.text(source.text) == "Sincerely,"
    assert "+44 113 496 0321" in parsed.signature.text(source.text)


# --- damaged and unsupported inputs ------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


CORRUPT_CASES = {
    "corrupt/truncated-multipart.eml": "MIME parts are missing",
    "corrupt/random-bytes.docx": "not a valid Word .docx file (not a zip archive)",
    "corrupt/truncated-zip.docx": "not a valid Word .docx file (truncated or damaged zip archive)",
}


@pytest.mark.parametrize("name, reason", sorted(CORRUPT_CASES.items()))
def test_corrupt_fixtures_raise_one_line_input_errors(name, reason):
    with pytest.raises(InputError) as caught:
        read(INPUTS / name)
    assert reason in caught.value.reason and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("notes.eml", b"Just some notes I saved,\nwith no headers at all.\n", "not an e-mail message"),
        ("empty.eml", b"From: a@example.com\nSubject: Hello\n\n", "body is empty"),
        ("quote.eml", b"From: a@b.c\nContent-Type: text/html\n\n<blockquote>Old</blockquote>", "body is empty"),
        ("nul.eml", b"From: a@example.com\n\n\x00\x01", "binary file"),
        ("b64.eml", b"Subject: x\nContent-Transfer-Encoding: base64\n\nSGVsbG8gWm/Dq\n", "base64 encoding is damaged"),
        ("latin.eml", b"Subject: x\nContent-Type: text/plain; charset=utf-8\n\nZo\xeb\n", "not valid utf-8"),
        ("image.eml", b"Subject: x\nContent-Type: image/png\n\nabc\n", "no text/plain or text/html part"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Word .doc format is not supported; save as .docx"),
        ("renamed.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Word .doc format"),
        ("locked.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"), "password-protected"),
        ("photos.docx", _zip({"hello.txt": b"hi"}), "a zip archive with no Word document inside"),
        ("sheet.docx", _zip({"[Content_Types].xml": b"<Types/>", "word/x.xml": b"<x/>"}), "damaged, or not a Word document"),
    ],
)
def test_damaged_inputs_raise_one_line_input_errors(name, data, reason):
    with pytest.raises(InputError) as caught:
        extract(data, name)
    assert reason in caught.value.reason and "\n" not in str(caught.value)


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * (51 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(InputError, match="unpacks to more than 50 MB"):
        extract(bomb, "bomb.docx")


def test_cli_exits_2_on_damaged_input_but_lints_the_rest(capsys):
    paths = [str(PLAIN), str(CORRUPT / "truncated-zip.docx"), str(DOCX), str(CORRUPT / "truncated-multipart.eml")]
    code = main(["check", "--format", "json", *paths])
    out, err = capsys.readouterr()
    assert code == 2
    doc = json.loads(out)
    assert [f["path"] for f in doc["files"]] == [str(PLAIN), str(DOCX)]
    assert sorted(e["path"] for e in doc["errors"]) == sorted(paths[1::2])
    assert "not a valid Word .docx file" in err and "Traceback" not in err
    assert all(line.startswith("lintletter: error: ") for line in err.strip().splitlines())


# --- folders and stdin -------------------------------------------------------------------------


def test_folders_pick_up_eml_and_docx(tmp_path):
    for name in ("b.docx", "a.eml", "c.txt", "d.doc", "e.pdf", ".hidden.eml"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "sub").mkdir()
    shutil.copy(PLAIN, tmp_path / "sub" / "Reply.EML")
    found = [p.name for _, p in expand([str(tmp_path)])]
    assert found == ["a.eml", "b.docx", "c.txt", "Reply.EML"]


def test_corpus_inputs_folder_reads_every_fixture():
    items = list(read_all([str(INPUTS)]))
    read_ok = sorted(i.path.rsplit("/", 1)[-1] for i in items if not isinstance(i, InputError))
    failed = sorted(i.path.rsplit("/", 1)[-1] for i in items if isinstance(i, InputError))
    assert read_ok == ["letter.docx", "reply-alternative-qp.eml", "reply-base64-utf8.eml", "reply-html-only.eml", "reply-plain.eml"]
    assert failed == ["random-bytes.docx", "truncated-multipart.eml", "truncated-zip.docx"]


def test_stdin_filename_picks_the_reader(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BASE64.read_bytes())))
    (source,) = read_all(["-"], stdin_name="draft.eml")
    assert source.path == "draft.eml" and "Zoë Brandão" in source.text


def test_plain_text_letters_are_unchanged():
    source = read(ACCEPTANCE / "complete.md")
    assert source.notes == () and source.text == (ACCEPTANCE / "complete.md").read_text(encoding="utf-8")

