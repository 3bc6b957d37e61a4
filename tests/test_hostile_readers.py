"""E-mails that used to abort the whole run: each is now read or refused on its own, the rest linted.

See lintletter/readers/eml.py; the e-mail and Word readers are also fuzzed (tests/fuzz_inputs.py).
"""

from __future__ import annotations

import json

import pytest

from lintletter.cli import main
from lintletter.errors import InputError
from lintletter.reading import extract

from .conftest import ACCEPTANCE

COMPLETE = ACCEPTANCE / "complete.md"
BODY = b"Dear Sam,\n\nThank you for letting me know. I hope we can stay in touch.\n\nBest,\nAl\n"


def eml(charset: str, body: bytes = BODY, subject: str = "Thank you") -> bytes:
    return f"From: al@example.com\nSubject: {subject}\nContent-Type: text/plain; charset={charset}\n\n".encode() + body


def nested(depth: int) -> bytes:
    head = b"From: al@example.com\nSubject: Nested\n"
    for i in range(depth):
        head += f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n".encode()
    tail = b"".join(f"\n--b{i}--\n".encode() for i in reversed(range(depth)))
    return head + b"Content-Type: text/plain\n\n" + BODY + tail


CASES = {
    "rot13": eml("rot13"),
    "base64": eml("base64"),
    "zlib": eml("zlib"),
    "hex": eml("hex"),
    "punycode": eml("punycode"),
    "unicode_escape": eml("unicode_escape", BODY + b"\\ud800\n"),
    "unknown name": eml("x-no-such-charset"),
    "utf-7 lone surrogate": eml("utf-7", BODY.replace(b"Sam", b"Sam +2D0-")),
    "utf-7 surrogate in the subject": eml("utf-8", subject="=?utf-7?q?Hi_+2D0-?="),
    "rot13 subject": eml("utf-8", subject="=?rot13?q?Gunax_lbh?="),
    "1,000 nested multiparts": nested(1000),
    "rot13 HTML part": b"From: al@example.com\nSubject: Hi\nContent-Type: text/html; charset=rot13\n\n<p>Thank you</p>\n",
    "a 5,000-character charset name": eml("a" * 5000),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_email_is_read_or_refused_on_its_own(capsys, tmp_path, name):
    path = tmp_path / "reply.eml"
    path.write_bytes(CASES[name])
    code = main(["check", "-f", "json", str(path), str(COMPLETE)])
    out, err = capsys.readouterr()
    assert "internal error" not in err and "Traceback" not in err, err
    doc = json.loads(out)
    paths = [f["path"] for f in doc["files"]] + [e["path"] for e in doc["errors"]]
    assert sorted(paths) == sorted([str(path), str(COMPLETE)])  # both accounted for
    assert code == (2 if doc["errors"] else 0) or code == 1
    for report in doc["files"]:  # what was read can be written back out as UTF-8
        json.dumps(report, ensure_ascii=False).encode("utf-8")
    assert all(len(line) < 400 for line in err.splitlines())
    assert all(len(d["message"]) < 400 for f in doc["files"] for d in f["diagnostics"])


@pytest.mark.parametrize("charset", ["rot13", "base64", "zlib", "hex", "punycode", "unicode_escape"])
def test_codecs_that_are_no_mail_charset_read_like_an_unknown_name(charset):
    source = extract(eml(charset), "reply.eml")
    assert "Thank you for letting me know" in source.text
    assert any(f"unknown charset {charset!r}" in note for note in source.notes)


def test_lone_surrogates_become_replacement_characters_in_place():
    data = eml("utf-7", BODY.replace(b"Sam", b"Sam +2D0-"))
    source = extract(data, "reply.eml")
    assert "\ufffd" in source.text and not any("\ud800" <= c <= "\udfff" for c in source.text)
    source.text.encode("utf-8")


def test_deeply_nested_parts_are_a_one_line_error():
    with pytest.raises(InputError, match="nested too deeply"):
        extract(nested(1000), "reply.eml")
    assert "Thank you" in extract(nested(20), "reply.eml").text  # a few levels are fine
