"""The result cache (lintletter/cache.py): same output with and without it, never trusted when it is
damaged, never written outside its folder, and spaCy is not imported when every letter is cached."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from lintletter import cache
from lintletter.runner import Options, run_check
from lintletter.formatters import FORMATS, render

from .conftest import CORPUS, ROOT, corpus_sample, run_cli

LETTERS = CORPUS / "letters"


@pytest.fixture(autouse=True)
def cache_on(monkeypatch):
    monkeypatch.delenv("LINTLETTER_NO_CACHE", raising=False)
    monkeypatch.delenv("LINTLETTER_CACHE_DIR", raising=False)


def entries(folder: Path) -> dict[str, bytes]:
    sub = folder / cache.ENTRIES
    return {p.name: p.read_bytes() for p in sorted(sub.iterdir())} if sub.is_dir() else {}


def letters_copy(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "letters"
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(LETTERS / name, folder / name)
    return folder


SOME = sorted(p.name for p in LETTERS.iterdir())[:12]


# --- the same output ------------------------------------------------------------------------------


def test_every_format_is_byte_identical_with_and_without_the_cache_over_the_corpus(tmp_path):
    """Corpus letters (a sample of every writer; all under LINTLETTER_FULL_TESTS=1), the embedded
    documents (several letters per file, none), the e-mails and the Word document: rendered from
    linted reports and from cached ones, in every format."""
    sample = letters_copy(tmp_path, [p.name for p in corpus_sample(LETTERS.iterdir(), salt="cache")])
    inputs = [str(sample), str(CORPUS / "embedded"), str(CORPUS / "fixtures"), str(CORPUS / "acceptance"),
              *(str(p) for p in sorted((CORPUS / "inputs").iterdir()) if p.suffix in (".eml", ".docx"))]  # fmt: skip
    store = tmp_path / "cache"
    # the run that fills the cache lints every file as a run without one does (a miss is a plain
    # lint; test_the_cli_prints_the_same_bytes_from_a_warm_cache compares those bytes with --no-cache),
    # so it stands for the plain run here: linting the corpus a third time only cost CI time
    filled = run_check(inputs, Options(jobs=1, cache=True, cache_dir=store))
    files = entries(store)
    assert len(files) == len({r.path for r in filled.run.reports})  # one entry per file
    warm = run_check(inputs, Options(jobs=1, cache=True, cache_dir=store))
    assert entries(store) == files  # every file was found: nothing was linted and written again
    assert not warm.warnings
    assert len(warm.run.reports) == len(filled.run.reports) > 250
    assert any(r.letter is not None for r in warm.run.reports) and any(r.no_letter for r in warm.run.reports)
    for name in FORMATS:
        assert render(name, warm.run) == render(name, filled.run), name
    assert warm.run.reports == filled.run.reports  # the values themselves, not only their rendering


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_the_cli_prints_the_same_bytes_from_a_warm_cache(tmp_path, capsys, fmt):
    folder = letters_copy(tmp_path, SOME[:4])
    store = tmp_path / "store"
    code0, out0, _ = run_cli(capsys, "check", str(folder), "--format", fmt, "--no-cache")
    code1, out1, _ = run_cli(capsys, "check", str(folder), "--format", fmt, "--cache-dir", str(store))
    assert len(entries(store)) == 4
    code2, out2, err2 = run_cli(capsys, "check", str(folder), "--format", fmt, "--cache-dir", str(store))
    assert out0 == out1 == out2 and code0 == code1 == code2
    assert "warning" not in err2


def test_pass_or_fail_settings_apply_to_cached_reports(tmp_path, capsys):
    """fail-on, min-score and max-warnings are applied after the cache: same entry, new verdict."""
    folder = tmp_path / "letters"
    folder.mkdir()
    shutil.copy(CORPUS / "acceptance" / "bitter.txt", folder)
    store = tmp_path / "store"
    run_cli(capsys, "check", str(folder), "--cache-dir", str(store), "--exit-zero")
    before = entries(store)
    code, out, _ = run_cli(capsys, "check", str(folder), "--cache-dir", str(store), "--min-score", "100", "--fail-on", "error", "--format", "json")
    assert entries(store) == before  # a hit
    data = json.loads(out)
    assert code == 1 and data["files"][0]["reasons"] and "below --min-score 100" in data["files"][0]["reasons"][-1]


def test_what_changes_a_report_changes_the_key(tmp_path, capsys):
    folder = letters_copy(tmp_path, ["a03-strategy-consulting-md.md"])
    letter = folder / "a03-strategy-consulting-md.md"
    store = tmp_path / "store"
    run_cli(capsys, "check", str(letter), "--cache-dir", str(store))
    assert len(entries(store)) == 1
    run_cli(capsys, "check", str(letter), "--cache-dir", str(store), "--ignore", "LL106")  # a setting
    assert len(entries(store)) == 2
    run_cli(capsys, "check", str(letter), "--cache-dir", str(store), "--embedded", "off")
    assert len(entries(store)) == 3
    rules = tmp_path / "house"
    rules.mkdir()
    (rules / "more.yml").write_text('extend: LL105\ncues:\n  topic: ["~hook me up"]\n', encoding="utf-8")
    run_cli(capsys, "check", str(letter), "--cache-dir", str(store), "--rules", str(rules))  # a rule folder
    assert len(entries(store)) == 4
    (rules / "more.yml").write_text('extend: LL105\ncues:\n  topic: ["~hook me up", "~plug me in"]\n', encoding="utf-8")
    run_cli(capsys, "check", str(letter), "--cache-dir", str(store), "--rules", str(rules))  # its content
    assert len(entries(store)) == 5
    letter.write_text(letter.read_text(encoding="utf-8") + "\nP.S. One more thing.\n", encoding="utf-8")
    code, out, _ = run_cli(capsys, "check", str(letter), "--cache-dir", str(store), "--format", "json")  # the letter
    assert len(entries(store)) == 6
    _, fresh, _ = run_cli(capsys, "check", str(letter), "--no-cache", "--format", "json")
    assert out == fresh
    run_cli(capsys, "check", str(letter), "--cache-dir", str(store), "--fail-on", "info", "-q")  # not a report setting
    assert len(entries(store)) == 6


def test_the_key_covers_the_code_and_the_models(monkeypatch):
    keys = cache.Keys()
    base = keys.code()
    monkeypatch.setattr(cache, "__version__", "99.0")
    assert cache._code_fingerprint() != base
    monkeypatch.undo()
    assert cache._code_fingerprint() == base


# --- spaCy is not imported -------------------------------------------------------------------------

_PROBE = """
import sys
from lintletter.cli import main
code = main(sys.argv[1:])
print("SPACY", "spacy" in sys.modules, code, file=sys.stderr)
"""


def _probe(args: list[str], cwd: Path) -> tuple[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("LINTLETTER_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)
    return done.stdout, done.stderr


def test_a_run_whose_letters_are_all_cached_does_not_import_spacy(tmp_path):
    folder = letters_copy(tmp_path, SOME[:3])
    args = ["check", str(folder), "--format", "json", "--exit-zero"]
    cold_out, cold_err = _probe(args, tmp_path)
    assert "SPACY True 0" in cold_err  # the first run lints: spaCy is needed
    assert (tmp_path / cache.DIR_NAME / cache.ENTRIES).is_dir()  # no config: in the working folder
    warm_out, warm_err = _probe(args, tmp_path)
    assert "SPACY False 0" in warm_err
    assert warm_out == cold_out
    (folder / SOME[0]).write_text("Dear Sam,\n\nThank you.\n\nBest,\nAlex\n", encoding="utf-8")
    _, edited_err = _probe(args, tmp_path)
    assert "SPACY True 0" in edited_err  # one letter changed: it is linted again


# --- never trusted, never half-written --------------------------------------------------------------


def _split(data: bytes) -> tuple[bytes, dict, bytes, bytes]:
    """An entry's header line, its meta line (parsed), its uncompressed pieces and its reports
    (decompressed): the layout cache.encode_entry writes."""
    header, _, rest = data.partition(b"\n")
    _, _, rest = rest.partition(b"\n")  # the CRC line
    first, _, blob = rest.partition(b"\n")
    meta = json.loads(first)
    return header, meta, blob[: len(blob) - meta["body"]], zlib.decompress(blob[len(blob) - meta["body"]:])


def _join(header: bytes, meta: dict, pieces: bytes, reports: bytes, crc: bool = True) -> bytes:
    """An entry put back together, with a CRC that matches (``crc``) or the old one."""
    body = zlib.compress(reports)
    rest = json.dumps(dict(meta, body=len(body)), separators=(",", ":")).encode() + b"\n" + pieces + body
    return header + b"\n%08x\n" % (zlib.crc32(rest) if crc else 0x12345678) + rest


CRAFTED = {
    "an unknown type": (b'"c":"Finding"', b'"c":"Popen"'),
    "a field too many": (b'"c":"Finding","f":[', b'"c":"Finding","f":[1,'),
    "a report with a text of its own": (b'"c":"Report","f":[""', b'"c":"Report","f":["x"'),
}


def _damaged(data: bytes, other: bytes) -> dict[str, bytes]:
    header, meta, pieces, reports = _split(data)
    crafted = {why: reports.replace(old, new, 1) for why, (old, new) in CRAFTED.items()}
    assert all(changed != reports for changed in crafted.values())  # each one bites
    rest = data.partition(b"\n")[2].partition(b"\n")[2]
    return {
        **{f"{why}, CRC not updated": _join(header, meta, pieces, changed, crc=False) for why, changed in crafted.items()},
        "a piece size that does not add up": _join(header, dict(meta, texts=[*meta["texts"], 5]), pieces, reports),
        "a path that is not a string": _join(header, dict(meta, reports=[[r[0], 7, *r[2:]] for r in meta["reports"]]), pieces, reports),
        "a severity that is not one": _join(header, dict(meta, reports=[[*r[:4], [[c, "fatal"] for c, _ in r[4]], r[5]] for r in meta["reports"]]), pieces, reports),
        "empty": b"",
        "truncated": data[: len(data) // 2],
        "header only": header + b"\n",
        "flipped byte": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
        "garbage": os.urandom(200),
        "another key's entry": other,
        "another format": header.replace(b" %d " % cache.FORMAT, b" 999 ") + data[len(header):],
        "a CRC that matches, meta not JSON": header + b"\n%08x\n" % zlib.crc32(b"\x00not json\n" + rest) + b"\x00not json\n" + rest,
    }


def test_a_damaged_or_foreign_entry_is_ignored_and_rewritten(tmp_path, capsys):
    folder = letters_copy(tmp_path, SOME[:2])
    store = tmp_path / "store"
    args = ["check", str(folder), "--format", "json", "--cache-dir", str(store)]
    _, expected, _ = run_cli(capsys, "check", str(folder), "--format", "json", "--no-cache")
    run_cli(capsys, *args)
    good = entries(store)
    (name, data), (_, other) = sorted(good.items(), key=lambda item: b'"c":"Finding"' not in _split(item[1])[3])
    for why, bad in _damaged(data, other).items():
        (store / cache.ENTRIES / name).write_bytes(bad)
        code, out, err = run_cli(capsys, *args)
        assert out == expected, why
        assert "error" not in err and "warning" not in err, why
        assert entries(store)[name] == data, why  # linted again and the entry rewritten


def _one_report(tmp_path):
    """A report with findings, the letter it is about, a codec and a key: what an entry is made of."""
    folder = letters_copy(tmp_path, SOME[:2])
    outcome = run_check([str(folder)], Options(jobs=1))
    report = next(r for r in outcome.run.reports if r.findings)
    source = (folder / Path(report.path).name).read_text(encoding="utf-8")
    return report, source, cache.Codec(), "ab" * 32


def test_decode_entry_accepts_only_a_sound_entry_for_its_key(tmp_path):
    report, source, codec, key = _one_report(tmp_path)
    data = cache.encode_entry(key, [report], source, codec)
    assert cache.decode_entry(data, key, source, codec) == [report]
    assert cache.decode_entry(data, "cd" * 32, source, codec) is None  # another key
    for why, bad in _damaged(data, cache.encode_entry("cd" * 32, [report], source, codec)).items():
        assert cache.decode_entry(bad, key, source, codec) is None, why


def test_reports_changed_by_hand_crc_and_all_stop_the_run_when_read(tmp_path):
    """The reports part is decoded only when a format reads more than the JSON entry: one that was
    rewritten with a CRC to match is refused then, with the way out, never printed."""
    report, source, codec, key = _one_report(tmp_path)
    header, meta, pieces, reports = _split(cache.encode_entry(key, [report], source, codec))
    for why, (old, new) in CRAFTED.items():
        bad = _join(header, meta, pieces, reports.replace(old, new, 1))
        (back,) = cache.decode_entry(bad, key, source, codec)
        assert back.path == report.path and back.letter == report.letter, why  # what the entry says up front
        with pytest.raises(cache.DamagedEntry, match="lintletter clean"):
            back.sections
    # reports that inflate past the bound (1 MB + 64 a character of the letter) are refused, not inflated
    bomb = _join(header, meta, pieces, b" " * (cache.ENTRY_BASE + cache.ENTRY_PER_CHAR * len(source) + 10))
    (back,) = cache.decode_entry(bomb, key, source, codec)
    with pytest.raises(cache.DamagedEntry, match="bound"):
        back.findings


def test_front_matter_values_round_trip_or_the_file_is_not_cached():
    import datetime

    codec = cache.Codec()
    values = {"date": datetime.date(2026, 3, 1), "when": datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.timezone.utc),
              1: [1.5, float("inf"), None, True], "tags": {"a"}, "raw": b"\x00\xff", "nested": {"x": ("y",)}}  # fmt: skip
    back = codec.decode(json.loads(json.dumps(codec.encode(values))))
    assert back == values and type(back[1]) is list and type(back["nested"]["x"]) is tuple
    with pytest.raises(cache.Unencodable):
        codec.encode({"x": object()})


def test_concurrent_runs_never_leave_a_broken_entry(tmp_path):
    folder = letters_copy(tmp_path, SOME[:6])
    store = tmp_path / "store"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("LINTLETTER_NO_CACHE", None)
    argv = [sys.executable, "-m", "lintletter", "check", str(folder), "--format", "json", "--cache-dir", str(store), "--jobs", "1"]
    procs = [subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(3)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert len({out for out, _ in outs}) == 1 and not any(b"warning" in err or b"error" in err for _, err in outs)
    written = entries(store)
    assert len(written) == 6  # no temporary file is left behind either
    codec = cache.Codec()
    for name, data in written.items():
        assert data.startswith(cache.MAGIC) and data.split(b"\n", 1)[0].endswith(name.encode())
        assert cache.decode_entry(data, name, "", codec) is not None  # whole: its CRC matches
        assert _split(data)[3]


def test_a_write_that_fails_midway_leaves_no_entry_and_one_warning(tmp_path, capsys, monkeypatch):
    folder = letters_copy(tmp_path, SOME[:3])
    store = tmp_path / "store"

    def broken(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", broken)
    code, out, err = run_cli(capsys, "check", str(folder), "--cache-dir", str(store), "--format", "json")
    monkeypatch.undo()
    _, expected, _ = run_cli(capsys, "check", str(folder), "--no-cache", "--format", "json")
    assert out == expected and code in (0, 1)
    assert err.count("warning") == 1 and "No space left on device" in err and len(err.splitlines()) == 1
    assert list((store / cache.ENTRIES).iterdir()) == []  # the temporary file went too


# --- where it writes, and where it does not ----------------------------------------------------------


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


def test_the_cache_sits_next_to_the_config_that_applies_and_writes_nothing_else(tmp_path, capsys, monkeypatch):
    project = tmp_path / "project"
    letters = project / "drafts" / "june"
    letters.mkdir(parents=True)
    shutil.copy(LETTERS / SOME[0], letters / SOME[0])
    (project / ".lintletter.yaml").write_text("min-score: 10\n", encoding="utf-8")
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    before = _tree(tmp_path)
    run_cli(capsys, "check", str(letters))
    added = _tree(tmp_path) - before
    folder = project / cache.DIR_NAME
    assert {a.split("/")[1] for a in added} == {cache.DIR_NAME}  # only the cache folder, beside the config
    assert (folder / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    assert (folder / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert len(entries(folder)) == 1 and not list(elsewhere.iterdir())
    # git ignores it without being told (its own .gitignore)
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q", str(project)], check=True)
        status = subprocess.run(["git", "-C", str(project), "status", "--porcelain", "--untracked-files=all"], capture_output=True, text=True, check=True)
        assert cache.DIR_NAME not in status.stdout and "drafts/june" in status.stdout
    # the next walk of the folder does not lint the cache
    code, out, _ = run_cli(capsys, "check", str(project), "--format", "json")
    assert [Path(f["path"]).name for f in json.loads(out)["files"]] == [SOME[0]]


def test_no_cache_and_stdin_write_nothing(tmp_path, capsys, monkeypatch):
    folder = letters_copy(tmp_path, SOME[:1])
    monkeypatch.chdir(tmp_path)
    run_cli(capsys, "check", str(folder), "--no-cache")
    monkeypatch.setenv("LINTLETTER_NO_CACHE", "1")
    run_cli(capsys, "check", str(folder))
    assert not (tmp_path / cache.DIR_NAME).exists()
    monkeypatch.delenv("LINTLETTER_NO_CACHE")
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO((folder / SOME[0]).read_bytes())))
    run_cli(capsys, "check", "-", "--stdin-filename", "draft.md")
    assert entries(tmp_path / cache.DIR_NAME) == {}  # an editor's buffer is new text nearly every time


def test_a_symlinked_cache_folder_is_not_followed(tmp_path, capsys, monkeypatch):
    folder = letters_copy(tmp_path, SOME[:2])
    target = tmp_path / "somewhere-else"
    target.mkdir()
    monkeypatch.chdir(tmp_path)
    (tmp_path / cache.DIR_NAME).symlink_to(target)
    _, expected, _ = run_cli(capsys, "check", str(folder), "--no-cache", "--format", "json")
    for _ in range(2):
        code, out, err = run_cli(capsys, "check", str(folder), "--format", "json")
        assert out == expected and code in (0, 1)
        assert len(err.splitlines()) == 1 and "symbolic link" in err and err.startswith("lintletter: warning:")
    assert list(target.iterdir()) == []
    # an entry planted as a link to a file elsewhere is not read through
    (tmp_path / cache.DIR_NAME).unlink()
    run_cli(capsys, "check", str(folder), "--format", "json")
    (name, data), *_ = entries(tmp_path / cache.DIR_NAME).items()
    decoy = tmp_path / "decoy"
    decoy.write_bytes(data)
    entry = tmp_path / cache.DIR_NAME / cache.ENTRIES / name
    entry.unlink()
    entry.symlink_to(decoy)
    assert cache.CacheFolder(tmp_path / cache.DIR_NAME, print).read(name) is None
    code, out, err = run_cli(capsys, "check", str(folder), "--format", "json")
    assert out == expected and not entry.is_symlink() and decoy.read_bytes() == data  # replaced, not written through


def test_an_unwritable_cache_location_degrades_to_no_cache_with_one_warning(tmp_path, capsys):
    folder = letters_copy(tmp_path, SOME[:3])
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    _, expected, _ = run_cli(capsys, "check", str(folder), "--no-cache", "--format", "json")
    missing = tmp_path / "no-such-folder" / "cache"
    for store in (blocker / "cache", blocker, missing):  # cannot be created; is not a folder; no parent
        code, out, err = run_cli(capsys, "check", str(folder), "--cache-dir", str(store), "--format", "json")
        assert out == expected and code in (0, 1)
        assert len(err.splitlines()) == 1 and err.startswith("lintletter: warning:"), err
    assert not missing.parent.exists()  # nothing is made outside the cache folder, not even its parent
    if hasattr(os, "geteuid") and os.geteuid() != 0:  # root writes anywhere
        readonly = tmp_path / "ro"
        readonly.mkdir()
        readonly.chmod(0o555)
        try:
            code, out, err = run_cli(capsys, "check", str(folder), "--cache-dir", str(readonly / "c"), "--format", "json")
            assert out == expected and len(err.splitlines()) == 1
        finally:
            readonly.chmod(0o755)


def test_the_cache_stays_bounded(tmp_path):
    folder = cache.CacheFolder(tmp_path / "c", print)
    for i in range(30):
        key = f"{i:064x}"
        folder.write(key, b"x" * 100)
        os.utime(folder.entries / key, (1_000_000 + i, 1_000_000 + i))
    (folder.entries / "not-an-entry").write_text("mine", encoding="utf-8")
    stale = folder.entries / ".tmp-left-by-a-killed-run"
    stale.write_bytes(b"half")
    os.utime(stale, (1_000_000, 1_000_000))
    removed = folder.prune(max_entries=20, max_bytes=10**9)
    left = sorted(p.name for p in folder.entries.iterdir())
    assert removed == 13 and len(left) == 18 + 1  # down to 90 % of the bound, oldest first, plus the foreign file
    assert f"{29:064x}" in left and f"{0:064x}" not in left and "not-an-entry" in left
    folder.prune(max_entries=100, max_bytes=1_000)
    assert len([n for n in os.listdir(folder.entries) if len(n) == 64]) == 9  # and by size


# --- lintletter clean ----------------------------------------------------------------------------------


def test_clean_removes_the_cache_and_only_what_lintletter_put_there(tmp_path, capsys, monkeypatch):
    project = tmp_path / "p"
    folder = letters_copy(project, SOME[:2])
    (project / ".lintletter.yaml").write_text("min-score: 10\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run_cli(capsys, "check", str(folder))
    assert len(entries(project / cache.DIR_NAME)) == 2
    code, out, err = run_cli(capsys, "clean", str(folder))
    assert code == 0 and not (project / cache.DIR_NAME).exists() and str(project / cache.DIR_NAME) in out
    assert sorted(p.name for p in folder.iterdir()) == sorted(SOME[:2])
    code, out, err = run_cli(capsys, "clean", str(folder))
    assert code == 0 and "no cache" in err
    # a folder that is not lintletter's is refused; foreign files in a real cache stay
    other = tmp_path / "mine"
    other.mkdir()
    (other / ".gitignore").write_text("*.log\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "clean", "--cache-dir", str(other))
    assert code == 2 and "not removed" in err and (other / ".gitignore").exists()
    run_cli(capsys, "check", str(folder), "--cache-dir", str(other / "c"))
    (other / "c" / "notes.txt").write_text("keep me", encoding="utf-8")
    code, _, _ = run_cli(capsys, "clean", "--cache-dir", str(other / "c"))
    assert code == 0 and sorted(p.name for p in (other / "c").iterdir()) == ["notes.txt"]


def test_fix_does_not_use_the_cache(tmp_path, capsys, monkeypatch):
    folder = letters_copy(tmp_path, SOME[:1])
    monkeypatch.chdir(tmp_path)
    run_cli(capsys, "fix", str(folder / SOME[0]))
    assert not (tmp_path / cache.DIR_NAME).exists()


def test_letters_linted_in_worker_processes_are_cached_like_the_others(tmp_path):
    """--jobs: the misses are linted in parallel, stored in input order, and read back the same."""
    folder = letters_copy(tmp_path, SOME[:6])
    store = tmp_path / "store"
    plain = run_check([str(folder)], Options(jobs=1))
    run_check([str(folder / SOME[0]), str(folder / SOME[3])], Options(jobs=1, cache=True, cache_dir=store))
    mixed = run_check([str(folder)], Options(jobs=2, cache=True, cache_dir=store))  # 2 hits, 4 misses
    assert len(entries(store)) == 6  # the two found in the folder have the names they were given by
    before = entries(store)
    warm = run_check([str(folder)], Options(jobs=2, cache=True, cache_dir=store))
    assert entries(store) == before
    assert render("json", mixed.run) == render("json", warm.run) == render("json", plain.run)
