"""The catalogue of bad inputs (README, "What lintletter does with bad input"): one test per entry.

Every entry is checked through the CLI as a user would meet it: the exit code, one line on stderr for
an unreadable input (never a traceback), the other letters still linted, and the letter untouched.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from lintletter.cli import main

from .conftest import ACCEPTANCE, FULL_TESTS

COMPLETE = ACCEPTANCE / "complete.md"
LETTER = COMPLETE.read_text(encoding="utf-8")


def check(capsys, *paths, extra=()):
    code = main(["check", "-f", "json", *extra, *map(str, paths)])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def assert_one_clean_error(err: str, needle: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], err
    assert "Traceback" not in err


def input_notes(doc, index=0):
    return [d["message"] for d in doc["files"][index]["diagnostics"] if d["code"] == "LL315"]


# --- unreadable inputs: one line on stderr, exit 2, the other letters still linted -------------


def unreadable(capsys, bad: Path, needle: str):
    code, doc, err = check(capsys, bad, COMPLETE)
    assert code == 2
    assert [f["path"] for f in doc["files"]] == [str(COMPLETE)]
    assert doc["errors"] and needle in doc["errors"][0]["message"]
    assert_one_clean_error(err, needle)


def test_nonexistent_path(capsys, tmp_path):
    unreadable(capsys, tmp_path / "nope.md", "no such file or folder")


def test_folder_with_no_letters(capsys, tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n")
    unreadable(capsys, tmp_path, "contains no .txt or .md letters")


def test_permission_denied(capsys, tmp_path, monkeypatch):
    locked = tmp_path / "locked.md"
    locked.write_text(LETTER)
    if os.geteuid() == 0:  # root reads anything; simulate the operating system's refusal
        real_open = os.open

        def refusing_open(path, *args, **kwargs):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied")
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", refusing_open)
    else:
        locked.chmod(0)
    unreadable(capsys, locked, "permission denied")


@pytest.mark.parametrize(
    "name, data",
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"),
        ("archive.md", None),  # a real zip, built below
        ("nul.txt", b"Dear Sam,\n\nThank you\x00 for the news.\n"),
    ],
)
def test_binary_files_and_nul_bytes(capsys, tmp_path, name, data):
    path = tmp_path / name
    if data is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("letter.txt", LETTER)
    else:
        path.write_bytes(data)
    unreadable(capsys, path, "binary file")


def test_symlink_loop_is_walked_once(capsys, tmp_path):
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "a.md").write_text(LETTER)
    (tmp_path / "letters" / "loop").symlink_to(tmp_path / "letters", target_is_directory=True)
    (tmp_path / "letters" / "dangling.md").symlink_to(tmp_path / "gone.md")
    code, doc, err = check(capsys, tmp_path / "letters")
    names = [Path(f["path"]).name for f in doc["files"]]
    assert names.count("a.md") == 1
    assert code == 2 and "dangling.md" in err  # a dangling link is reported, not fatal


def test_corrupt_eml_and_docx(capsys, tmp_path):
    eml = tmp_path / "broken.eml"
    eml.write_bytes(b"\x00\x01garbage" * 10)
    docx = tmp_path / "broken.docx"
    docx.write_bytes(b"PK\x03\x04 truncated")
    code, doc, err = check(capsys, eml, docx, COMPLETE)
    assert code == 2 and len(doc["errors"]) == 2
    assert [f["path"] for f in doc["files"]] == [str(COMPLETE)]
    assert len(err.strip().splitlines()) == 2 and "Traceback" not in err


# --- readable but unusual: linted, with how it was read reported as an info finding -------------


def test_invalid_utf8_is_read_with_replacements(capsys, tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes(LETTER.encode("utf-8").replace(b"Thank you", b"Thank \x81\x8d you", 1))
    code, doc, _ = check(capsys, path)
    assert code == 0
    notes = input_notes(doc)
    assert any("2 byte(s) are not valid UTF-8" in n for n in notes)
    assert any("could not be decoded" in n for n in notes)


def test_cp1252_text(capsys, tmp_path):
    path = tmp_path / "word-export.txt"
    path.write_bytes(LETTER.replace("'", "\u2019").encode("cp1252"))
    code, doc, _ = check(capsys, path)
    assert code == 0 and doc["files"][0]["score"] == 100
    assert any("Windows-1252" in n for n in input_notes(doc))


@pytest.mark.parametrize("bom, encoding", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_byte_order_marks(capsys, tmp_path, bom, encoding):
    path = tmp_path / "bom.md"
    path.write_bytes(bom + LETTER.encode(encoding))
    code, doc, _ = check(capsys, path)
    assert code == 0 and doc["files"][0]["score"] == 100
    evidence = doc["files"][0]["sections"]["referrals"]["evidence"][0]
    line = LETTER.splitlines()[evidence["line"] - 1]
    assert line[evidence["column"] - 1 :].startswith(evidence["text"][:20])


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_old_mac_line_endings(capsys, tmp_path, newline):
    path = tmp_path / "crlf.md"
    path.write_bytes(LETTER.replace("\n", newline).encode())
    code, doc, _ = check(capsys, path)
    assert code == 0
    evidence = doc["files"][0]["sections"]["advice"]["evidence"][0]
    line = LETTER.splitlines()[evidence["line"] - 1]
    assert line[evidence["column"] - 1 :].startswith(evidence["text"][:20])


@pytest.mark.parametrize("content", ["", "   \n\t\n  \r\n"])
def test_empty_and_whitespace_only(capsys, tmp_path, content):
    path = tmp_path / "draft.md"
    path.write_text(content)
    code, doc, err = check(capsys, path)
    assert code == 1 and not err  # linted, not an error; it fails, being nowhere near ready
    report = doc["files"][0]
    assert report["score"] == 0 and report["words"] == 0
    assert {s["status"] for s in report["sections"].values()} == {"missing"}


def test_deeply_nested_and_broken_markdown(capsys, tmp_path):
    hostile = (
        "> " * 2000 + "quoted\n"
        + "[" * 20000 + "](" * 5000 + "\n"
        + "```\nunclosed fence\n"
        + "*" * 10000 + "_" * 10000 + "\n"
        + "<!--" * 3000 + "\n"
        + "#" * 5000 + " heading\n"
        + "- " * 3000 + "item\n"
        + LETTER
    )
    path = tmp_path / "nested.md"
    path.write_text(hostile)
    code, doc, err = check(capsys, path)
    assert code in (0, 1) and not err
    assert 0 <= doc["files"][0]["score"] <= 100


def test_malformed_front_matter(capsys, tmp_path):
    path = tmp_path / "fm.md"
    path.write_text("---\ncompany: [Acme\nrole: : :\n---\n" + LETTER)
    code, doc, _ = check(capsys, path)
    assert "LL313" in [d["code"] for d in doc["files"][0]["diagnostics"]]


def test_huge_single_line(capsys, tmp_path):
    one_line = " ".join(LETTER.split())
    path = tmp_path / "one-line.txt"
    path.write_text((one_line + " ") * (1_000_000 // len(one_line) + 1))
    assert path.stat().st_size >= 1_000_000
    code, doc, err = check(capsys, path)
    assert code in (0, 1) and not err and doc["files"][0]["words"] > 150_000


def test_a_paste_of_megabytes(capsys, tmp_path):
    """A paste of the same letter over and over is linted whole (1 MB by default, 5 MB under
    LINTLETTER_FULL_TESTS=1: time grows linearly, and bench/ measures it; this checks it ends well)."""
    megabytes = 5 if FULL_TESTS else 1
    path = tmp_path / "paste.md"
    path.write_text((LETTER + "\n\n") * (megabytes * 1024 * 1024 // len(LETTER) + 1))
    assert path.stat().st_size >= megabytes * 1024 * 1024
    code, doc, err = check(capsys, path)
    assert code in (0, 1) and not err and doc["files"][0]["words"] > 140_000 * megabytes


def test_over_the_size_limit(capsys, tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: no disk used
    unreadable(capsys, path, "larger than 20 MB")


# --- lintletter never changes what it reads ----------------------------------------------------


def test_letters_are_never_written(capsys, tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    for name, text in [("a.md", LETTER), ("b.txt", LETTER.replace("\n", "\r\n")), ("c.md", "")]:
        (folder / name).write_text(text)
    before = {}
    for path in folder.iterdir():
        path.chmod(stat.S_IRUSR | stat.S_IRGRP)  # read-only: a write attempt would fail loudly
        before[path.name] = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    for fmt in ("text", "json", "sarif", "github", "junit", "html", "pretty"):
        main(["check", "-f", fmt, "--statistics", str(folder)])
        capsys.readouterr()
    after = {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert after == before


def test_failed_output_never_truncates_the_old_report(capsys, tmp_path, monkeypatch):
    report = tmp_path / "report.json"
    report.write_text("the previous report")

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    code = main(["check", "-f", "json", "-o", str(report), str(COMPLETE)])
    err = capsys.readouterr().err
    assert code == 2 and "No space left on device" in err and "Traceback" not in err
    assert report.read_text() == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temp file left behind


def test_stdin_garbage(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"\x00\xff\x00\xfe" * 100)))
    code = main(["check", "-"])
    err = capsys.readouterr().err
    assert code == 2
    assert_one_clean_error(err, "binary")
