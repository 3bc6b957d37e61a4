"""The compiled-rules cache (lintletter/compiled_rules.py): used on a second run, never trusted
when damaged or foreign, invalidated by a changed rule file, and invisible in the output."""

from __future__ import annotations

import io
import os
import pickle
import zlib
from pathlib import Path

import pytest

from lintletter import compiled_rules, cues, ruleset
from lintletter.errors import LintletterError

from .conftest import ACCEPTANCE, BITTER, COMPLETE, GOOD_RULE, THANKS, run_cli, write_rule

GOOD = GOOD_RULE


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    where = tmp_path / "compiled"
    monkeypatch.setenv("LINTLETTER_COMPILED_CACHE", str(where))
    return where


def entries(where: Path) -> list[Path]:
    sub = where / f"v{compiled_rules.FORMAT}"
    return sorted(p for p in sub.iterdir() if not p.name.startswith(".")) if sub.is_dir() else []


def check(capsys, *argv):
    code, out, err = run_cli(capsys, "check", "--no-cache", *argv)
    return code, out, err


def forbid_compiling(monkeypatch):
    """Loading or compiling the rules now fails the test: what runs must come from the cache."""

    def refuse(*args, **kwargs):
        raise AssertionError("the rules were loaded or compiled again")

    monkeypatch.setattr(ruleset, "load_ruleset", refuse)
    monkeypatch.setattr(cues.CompiledCues, "__init__", refuse)


def test_second_run_reads_the_rules_from_the_cache(capsys, folder, monkeypatch):
    first = check(capsys, "--format", "json", COMPLETE)
    assert len(entries(folder)) == 1
    forbid_compiling(monkeypatch)
    assert check(capsys, "--format", "json", COMPLETE) == first


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "concise"])
def test_output_is_byte_identical_with_and_without_the_cache(capsys, folder, monkeypatch, fmt):
    letters = [COMPLETE, BITTER, THANKS, str(ACCEPTANCE)]
    monkeypatch.setenv("LINTLETTER_COMPILED_CACHE", "off")
    without = check(capsys, "--format", fmt, *letters)
    assert entries(folder) == []
    monkeypatch.setenv("LINTLETTER_COMPILED_CACHE", str(folder))
    filling = check(capsys, "--format", fmt, *letters)
    assert len(entries(folder)) == 1
    reading = check(capsys, "--format", fmt, *letters)
    assert without == filling == reading


def _rewrite(path: Path, body: bytes) -> None:
    """An entry with a valid header and CRC around ``body``: only the unpickler stands in the way."""
    key = path.name
    path.write_bytes(compiled_rules.MAGIC + key.encode() + zlib.crc32(body).to_bytes(4, "big") + body)


class _Evil:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


@pytest.mark.parametrize(
    "damage",
    ["flip", "truncate", "empty", "foreign", "other-key", "not-a-ruleset", "calls-a-function", "fifo", "link-to-zero"],
)
def test_a_damaged_or_foreign_entry_is_rebuilt(capsys, folder, tmp_path, monkeypatch, damage):
    monkeypatch.chdir(tmp_path)
    expected = check(capsys, "--format", "json", COMPLETE)
    (entry,) = entries(folder)
    good = entry.read_bytes()
    if damage == "flip":
        data = bytearray(good)
        data[len(data) // 2] ^= 0xFF
        entry.write_bytes(bytes(data))
    elif damage == "truncate":
        entry.write_bytes(good[: len(good) // 2])
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "foreign":
        entry.write_bytes(b"PK\x03\x04 not an entry at all" * 100)
    elif damage == "other-key":
        entry.write_bytes(good.replace(entry.name.encode(), b"0" * 64, 1))
    elif damage == "not-a-ruleset":
        _rewrite(entry, pickle.dumps(({"rules": []}, {})))
    elif damage == "calls-a-function":
        _rewrite(entry, pickle.dumps((_Evil(), {})))
    elif damage == "fifo":
        entry.unlink()
        os.mkfifo(entry)
    elif damage == "link-to-zero":
        entry.unlink()
        entry.symlink_to("/dev/zero")
    assert check(capsys, "--format", "json", COMPLETE) == expected
    assert not (tmp_path / "PWNED").exists()
    # replaced, atomically, by a good entry (a FIFO or link too: by a regular file), used again
    assert entry.is_file() and not entry.is_symlink()
    assert compiled_rules.read(entry.name) is not None
    forbid_compiling(monkeypatch)
    assert check(capsys, "--format", "json", COMPLETE) == expected


def test_an_entry_that_needs_a_function_is_refused_when_read(folder):
    folder.mkdir()
    key = "a" * 64
    path = folder / f"v{compiled_rules.FORMAT}"
    path.mkdir()
    _rewrite(path / key, pickle.dumps((_Evil(), {})))
    assert compiled_rules.read(key) is None
    with pytest.raises(pickle.UnpicklingError):
        compiled_rules._Unpickler(io.BytesIO(pickle.dumps(_Evil()))).load()
    with pytest.raises(pickle.UnpicklingError):  # a dotted name reaching through a module of ours
        compiled_rules._Unpickler(io.BytesIO(pickle.dumps(os.path.join))).load()


def test_a_changed_rule_file_is_compiled_again(capsys, folder, tmp_path):
    rules = tmp_path / "rules"
    letter = tmp_path / "letter.txt"
    text = Path(COMPLETE).read_text(encoding="utf-8")
    letter.write_text(text.replace("\n\n", "\n\nWell hello there, friend. ", 1), encoding="utf-8")
    write_rule(rules, "LL901-test.yml", GOOD)
    _, out, _ = check(capsys, "--rules", str(rules), str(letter))
    assert "Says hello." in out
    assert len(entries(folder)) == 1
    write_rule(rules, "LL901-test.yml", GOOD.replace("Says hello.", "Greets the reader."))
    _, out, _ = check(capsys, "--rules", str(rules), str(letter))
    assert "Greets the reader." in out and "Says hello." not in out
    assert len(entries(folder)) == 2
    write_rule(rules, "LL902-other.yml", GOOD.replace("LL901", "LL902").replace("test-rule", "other-rule"))
    code, out, _ = check(capsys, "--format", "json", "--rules", str(rules), str(letter))
    assert '"LL902"' in out
    assert len(entries(folder)) == 3


def test_a_rule_set_with_problems_is_not_cached(capsys, folder, tmp_path):
    rules = tmp_path / "rules"
    write_rule(rules, "bad.yml", "code: LL950\nkind: nonsense\n")
    for _ in range(2):
        code, _, err = check(capsys, "--rules", str(rules), COMPLETE)
        assert code == 2 and "bad.yml" in err
    assert entries(folder) == []


def test_off_and_an_unwritable_folder_change_nothing(capsys, folder, tmp_path, monkeypatch):
    expected = check(capsys, COMPLETE)
    monkeypatch.setenv("LINTLETTER_COMPILED_CACHE", "off")
    assert check(capsys, COMPLETE) == expected
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("LINTLETTER_COMPILED_CACHE", str(blocked / "below"))
    assert check(capsys, COMPLETE) == expected


def test_entries_stay_bounded(folder, monkeypatch):
    where = folder / f"v{compiled_rules.FORMAT}"
    where.mkdir(parents=True)
    for n in range(compiled_rules.MAX_ENTRIES + 5):
        (where / f"{n:064x}").write_bytes(b"old")
        os.utime(where / f"{n:064x}", ns=(n * 10**9, n * 10**9))
    from lintletter import load_ruleset

    compiled_rules.write("f" * 64, load_ruleset(), {})
    left = entries(folder)
    assert len(left) == compiled_rules.MAX_ENTRIES and (where / ("f" * 64)) in left
    assert (where / f"{compiled_rules.MAX_ENTRIES + 4:064x}") in left and (where / f"{0:064x}") not in left


def test_the_collector_is_back_on_after_a_run_whatever_happened(capsys, folder, tmp_path):
    import gc

    assert gc.isenabled()
    check(capsys, COMPLETE)
    assert gc.isenabled()
    rules = tmp_path / "rules"
    write_rule(rules, "bad.yml", "code: LL950\nkind: nonsense\n")
    code, _, _ = check(capsys, "--rules", str(rules), COMPLETE)
    assert code == 2 and gc.isenabled()


def test_loading_the_pipeline_leaves_the_collector_as_it_was():
    import gc

    from lintletter import pipeline

    gc.disable()
    try:
        pipeline.load()
        assert not gc.isenabled()  # srsly's read_msgpack turns it on; load() puts it back
    finally:
        gc.enable()
    pipeline.load()
    assert gc.isenabled()


def test_the_fast_exit_flushes_runs_atexit_and_keeps_the_code(tmp_path):
    import subprocess
    import sys

    marker = tmp_path / "ran"
    script = (
        "import atexit, sys\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').write('ran'))\n"
        "from lintletter.cli import _exit\n"
        "sys.stdout.write('unflushed ' * 1000)\n"
        "_exit(3)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 3
    assert done.stdout == "unflushed " * 1000
    assert marker.read_text() == "ran"


def test_clean_removes_the_compiled_rules_and_only_what_lintletter_put_there(capsys, folder, tmp_path, monkeypatch):
    letter = tmp_path / "x.md"
    letter.write_text("Dear Ms Lee,\n\nThank you for letting me know.\n\nBest,\nSam\n", encoding="utf-8")
    check(capsys, str(letter))
    (entry,) = entries(folder)
    mine = tmp_path / "mine.txt"
    mine.write_text("keep me", encoding="utf-8")
    (folder / f"v{compiled_rules.FORMAT}" / ("f" * 64)).symlink_to(mine)  # named like an entry: a link, not ours
    (folder / f"v{compiled_rules.FORMAT}" / "notes.txt").write_text("keep me too", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(capsys, "clean")
    assert code == 0 and str(folder) in out
    assert not entry.exists() and mine.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in (folder / f"v{compiled_rules.FORMAT}").iterdir()) == ["f" * 64, "notes.txt"]
    code, out, err = run_cli(capsys, "clean")
    assert code == 0 and "no cache to remove" in err
