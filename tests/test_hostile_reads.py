"""Every read is bounded: only regular files, at most 20 MB of letter (1 MB of settings), stdin too.

Runs that could hang or fill memory without the bound run in a child process with a timeout and an
address-space limit (tests/bounds.py).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from lintletter.cli import main
from lintletter.errors import InputError
from lintletter.reading import MAX_BYTES, expand, extract

from .bounds import run_cli, run_python, within
from .conftest import ACCEPTANCE, CORPUS

LETTER = (ACCEPTANCE / "complete.md").read_text(encoding="utf-8")
NOT_REGULAR = "not a regular file"
MAX_SETTINGS_BYTES = 1024 * 1024  # lintletter.reading.MAX_SETTINGS_BYTES


@pytest.fixture
def letter(tmp_path) -> Path:
    path = tmp_path / "x.md"
    path.write_text(LETTER, encoding="utf-8")
    return path


def one_error(result, needle: str) -> None:
    err = result.stderr.decode()
    assert result.returncode == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert any(needle in line for line in lines), err
    assert "Traceback" not in err and "internal error" not in err and "MemoryError" not in err


# --- letters that are not regular files -----------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_letter_linked_to_an_endless_device_is_refused(tmp_path, letter, device):
    link = tmp_path / "endless.md"
    link.symlink_to(device)
    result = run_cli("check", "-f", "json", str(link), str(letter), timeout=60)
    one_error(result, NOT_REGULAR)
    assert [f["path"] for f in json.loads(result.stdout)["files"]] == [str(letter)]


def test_a_fifo_found_in_a_folder_is_refused_not_waited_on(tmp_path, letter):
    os.mkfifo(tmp_path / "x.txt")
    result = run_cli("check", "-f", "json", str(tmp_path), timeout=60)
    one_error(result, "x.txt: not a regular file (a FIFO)")
    assert [Path(f["path"]).name for f in json.loads(result.stdout)["files"]] == ["x.md"]


def test_read_bounded_never_reads_past_the_limit(tmp_path):
    from lintletter.reading import Unreadable, read_bounded, read_capped

    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 1001)
    with pytest.raises(Unreadable, match="larger than"):
        read_bounded(big, 1000)
    assert read_bounded(big, 1001) == b"a" * 1001
    with pytest.raises(Unreadable, match=NOT_REGULAR):
        read_bounded(Path("/dev/zero"), 1000)
    # a stream that claims no size (stdin, /proc) is capped while reading
    assert read_capped(io.BytesIO(b"x" * 10), 9) is None and read_capped(io.BytesIO(b"x" * 9), 9) == b"x" * 9


def test_stdin_is_capped_like_a_file():
    # in a child with a timeout: uncapped, the 20 MB would be linted, mostly in C, for minutes
    result = run_cli("check", "-", stdin=b"a" * (MAX_BYTES + 1), timeout=60)
    one_error(result, "standard input is larger than 20 MB")
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_stdin_from_dev_zero_is_bounded():
    with open("/dev/zero", "rb") as zero:
        import subprocess
        import sys

        from .bounds import _limit_memory, child_env

        result = subprocess.run(
            [sys.executable, "-m", "lintletter.cli", "check", "-"],
            stdin=zero, capture_output=True, timeout=60, env=child_env(), preexec_fn=_limit_memory,
        )
    one_error(result, "standard input is larger than 20 MB")


# --- lintletter fix reads as check does ------------------------------------------------------


@pytest.mark.parametrize("kind", ["FIFO", "device"])
def test_fix_refuses_a_letter_that_is_not_a_regular_file(tmp_path, kind):
    target = tmp_path / "odd.md"
    os.mkfifo(target) if kind == "FIFO" else target.symlink_to("/dev/zero")
    short = tmp_path / "short.md"
    short.write_text("Dear Sam,\n\nThank you for letting me know.\n\nBest,\nAl\n", encoding="utf-8")
    result = run_cli("fix", str(target), str(short), timeout=60)
    one_error(result, f"odd.md: not a regular file (a {kind})")
    assert "+++ " in result.stdout.decode() and "short.md" in result.stdout.decode()  # the other letter is still fixed


def test_fix_refuses_a_letter_over_20_mb(capsys, tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(LETTER.encode() + b"a" * MAX_BYTES)
    assert main(["fix", str(big)]) == 2
    assert "big.md: file is larger than 20 MB" in capsys.readouterr().err


def test_fix_caps_stdin_like_a_file():
    # in a child with a timeout: uncapped, the 20 MB are read and linted, mostly in C, for minutes
    result = run_cli("fix", "-", stdin=b"a" * (MAX_BYTES + 1), timeout=60)
    one_error(result, "standard input is larger than 20 MB")


def test_fix_stdin_from_dev_zero_is_bounded():
    import subprocess
    import sys

    from .bounds import _limit_memory, child_env

    with open("/dev/zero", "rb") as zero:
        result = subprocess.run(
            [sys.executable, "-m", "lintletter.cli", "fix", "-"],
            stdin=zero, capture_output=True, timeout=60, env=child_env(), preexec_fn=_limit_memory,
        )
    one_error(result, "standard input is larger than 20 MB")


# --- settings files: .gitignore, rule files, --config --------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_gitignore_linked_to_an_endless_device_is_refused_and_the_letter_still_linted(tmp_path, letter, device):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").symlink_to(device)
    result = run_cli("check", "-f", "json", str(tmp_path), timeout=60)
    one_error(result, ".gitignore: not a regular file")
    assert [Path(f["path"]).name for f in json.loads(result.stdout)["files"]] == ["x.md"]


def test_a_gitignore_that_is_a_fifo_is_refused_not_waited_on(tmp_path, letter):
    # nobody writes to the FIFO: opening it to read would wait for ever
    (tmp_path / ".git").mkdir()
    os.mkfifo(tmp_path / ".gitignore")
    result = run_cli("check", "-f", "json", str(tmp_path), timeout=60)
    one_error(result, ".gitignore: not a regular file")
    assert [Path(f["path"]).name for f in json.loads(result.stdout)["files"]] == ["x.md"]


def test_an_oversized_gitignore_is_refused(capsys, tmp_path, letter):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("*.tmp\n" * (MAX_SETTINGS_BYTES // 6 + 1))
    code = main(["check", "-f", "json", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2 and ".gitignore: file is larger than 1 MB; its ignore rules are not applied" in err
    assert len(json.loads(out)["files"]) == 1


# The result cache is on by default, and its key covers every rule file's contents: it read them
# before the loader did, unbounded (rglob and read_bytes), so these run both ways. The suite turns
# the cache off (tests/conftest.py), which hid that.
CACHE = pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cache"])


def cache_args(tmp_path: Path, cache: bool) -> list[str]:
    return ["--cache-dir", str(tmp_path / "cache")] if cache else []


@CACHE
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_rule_file_linked_to_a_device_is_refused(tmp_path, letter, device, cache):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "LL901-endless.yml").symlink_to(device)
    result = run_cli("check", str(letter), "--rules", str(rules), *cache_args(tmp_path, cache), timeout=60, cache=cache)
    one_error(result, "LL901-endless.yml: cannot read: not a regular file")


@CACHE
def test_a_rule_fifo_is_refused_not_waited_on(tmp_path, letter, cache):
    rules = tmp_path / "rules"
    rules.mkdir()
    os.mkfifo(rules / "LL901-fifo.yml")
    result = run_cli("check", str(letter), "--rules", str(rules), *cache_args(tmp_path, cache), timeout=60, cache=cache)
    one_error(result, "LL901-fifo.yml: cannot read: not a regular file (a FIFO)")


def test_an_oversized_rule_file_is_refused(capsys, tmp_path, letter):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "LL901-big.yml").write_text("# padding\n" * (MAX_SETTINGS_BYTES // 10 + 1))
    assert main(["check", str(letter), "--rules", str(rules)]) == 2
    assert "cannot read: file is larger than 1 MB" in capsys.readouterr().err


@pytest.mark.parametrize("device", ["/dev/urandom"])  # /dev/zero: test_a_config_linked_to_dev_zero_is_refused
def test_a_config_that_is_a_device_is_refused(tmp_path, letter, device):
    result = run_cli("check", str(letter), "--config", device, timeout=60)
    one_error(result, f"{device}: cannot read config file: not a regular file (a device)")


def test_a_found_config_that_is_a_fifo_is_refused_not_waited_on(tmp_path, letter):
    os.mkfifo(tmp_path / ".lintletter.yaml")
    result = run_cli("check", str(letter), timeout=60)
    one_error(result, ".lintletter.yaml: cannot read config file: not a regular file (a FIFO)")


def test_a_config_linked_to_dev_zero_is_refused(tmp_path, letter):
    (tmp_path / ".lintletter.yaml").symlink_to("/dev/zero")
    result = run_cli("check", str(letter), timeout=60)
    one_error(result, "cannot read config file: not a regular file (a device)")


def test_a_config_named_with_config_and_linked_to_dev_zero_is_refused(tmp_path, letter):
    (tmp_path / "settings.yaml").symlink_to("/dev/zero")
    result = run_cli("check", str(letter), "--config", str(tmp_path / "settings.yaml"), timeout=60)
    one_error(result, "settings.yaml: cannot read config file: not a regular file (a device)")


# --- lintletter eval reads a corpus as check reads letters and rule files ---------------------

BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
)  # 10^9 values once expanded


def _corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "labels").mkdir(parents=True)
    (root / "letters").mkdir()
    name = "a01-ib-formal-letter"
    (root / "labels" / f"{name}.yaml").write_text((CORPUS / "labels" / f"{name}.yaml").read_text(encoding="utf-8"))
    (root / "letters" / f"{name}.txt").write_text((CORPUS / "letters" / f"{name}.txt").read_text(encoding="utf-8"))
    return root


def test_eval_refuses_an_alias_bomb_in_a_label_file(tmp_path):
    root = _corpus(tmp_path)
    (root / "labels" / "a00-bomb.yaml").write_text(BOMB)
    one_error(run_cli("eval", str(root), timeout=60), "a00-bomb.yaml: YAML error: the document expands to more than 100,000 values")


def test_eval_refuses_an_alias_bomb_in_gold_spans(tmp_path):
    root = tmp_path / "docs"
    root.mkdir()
    (root / "article.md").write_text(LETTER, encoding="utf-8")
    (root / "spans.yaml").write_text(BOMB + "article.md: []\n")
    one_error(run_cli("eval", str(root), timeout=60), "spans.yaml: YAML error: the document expands to more than 100,000 values")


def test_eval_refuses_a_letter_that_is_a_fifo(tmp_path):
    root = _corpus(tmp_path)
    letter = root / "letters" / "a01-ib-formal-letter.txt"
    letter.unlink()
    os.mkfifo(letter)
    one_error(run_cli("eval", str(root), timeout=60), "a01-ib-formal-letter.txt: not a regular file (a FIFO)")


# --- a small .docx holding a lot of text ---------------------------------------------------


def test_a_docx_expanding_to_more_text_than_a_file_may_hold_is_refused():
    source = zipfile.ZipFile(CORPUS / "inputs" / "letter.docx")
    document = source.read("word/document.xml").decode("utf-8")
    head = document.split("<w:body>", 1)[0]
    paragraph = "<w:p><w:r><w:t>" + "Thank you for letting me know. " * 3000 + "</w:t></w:r></w:p>"
    xml = head + "<w:body>" + paragraph * 240 + "</w:body></w:document>"  # 22 MB of text
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            data = xml.encode("utf-8") if info.filename == "word/document.xml" else source.read(info.filename)
            archive.writestr(info.filename, data)
    assert len(packed.getvalue()) < 200_000  # about 100 KB on disk
    with within(60), pytest.raises(InputError, match="Word document holds more than 20 MB of text"):
        extract(packed.getvalue(), "bomb.docx")


# --- deep folder trees and deeply nested TOML ----------------------------------------------


@pytest.fixture
def deep(tmp_path):
    """Makes ``top/d/d/.../d`` trees and removes them after the test: pytest's own clean-up of
    old temporary folders (shutil.rmtree) recurses and would fail on them in a later session."""
    made: list[Path] = []

    def make(top: Path, depth: int) -> Path:
        made.append(top)
        return _deep(top, depth)

    yield make
    for top in made:
        _remove_deep(top)


def _remove_deep(top: Path) -> None:
    """Remove a tree bottom-up without recursion."""
    for root, dirs, files in _walk_bottom_up(top):
        for name in files:
            os.unlink(os.path.join(root, name))
        for name in dirs:
            target = os.path.join(root, name)
            os.unlink(target) if os.path.islink(target) else os.rmdir(target)
    os.rmdir(top)


def _walk_bottom_up(top: Path):
    order = []
    stack = [str(top)]
    while stack:
        folder = stack.pop()
        entries = list(os.scandir(folder))
        dirs = [e.name for e in entries if e.is_dir(follow_symlinks=False)]
        files = [e.name for e in entries if not e.is_dir(follow_symlinks=False)]
        order.append((folder, dirs, files))
        stack.extend(os.path.join(folder, d) for d in dirs)
    return reversed(order)


def _deep(top: Path, depth: int) -> Path:
    """``top/d/d/.../d`` ``depth`` levels down, made without recursion (os.makedirs recurses)."""
    here = os.getcwd()
    top.mkdir()
    os.chdir(top)
    try:
        for _ in range(depth):
            os.mkdir("d")
            os.chdir("d")
        return Path(os.getcwd())
    finally:
        os.chdir(here)


def test_1200_nested_folders_are_walked(capsys, tmp_path, deep):
    bottom = deep(tmp_path / "deep", 1200)
    (bottom / "x.md").write_text(LETTER, encoding="utf-8")
    (tmp_path / "deep" / ".git").mkdir()  # and .gitignore lookups climb 1,200 folders to find the root
    assert [p.name for _, p in expand([str(tmp_path / "deep")])] == ["x.md"]
    code = main(["check", "-f", "json", str(tmp_path / "deep")])
    out, err = capsys.readouterr()
    assert code == 0 and "internal error" not in err
    assert json.loads(out)["files"][0]["score"] == 100


@CACHE
def test_1200_nested_rule_folders_are_walked(capsys, monkeypatch, tmp_path, letter, deep, cache):
    if cache:
        monkeypatch.delenv("LINTLETTER_NO_CACHE", raising=False)
    bottom = deep(tmp_path / "rules", 1200)
    (bottom / "LL901-x.yml").write_text("code: LL901\n", encoding="utf-8")
    assert main(["check", str(letter), "--rules", str(tmp_path / "rules"), *cache_args(tmp_path, cache)]) == 2
    err = capsys.readouterr().err
    assert "LL901-x.yml" in err and "internal error" not in err


def test_the_language_server_watches_1200_nested_rule_folders(tmp_path, deep):
    """The server's config-reload fingerprint listed rule folders with os.walk, which recurses
    (RecursionError in Python 3.11), after the rules themselves had loaded without recursion."""
    from lintletter.server.engine import Engine

    bottom = deep(tmp_path / "rules", 1200)
    (bottom / "LL901-x.yml").write_text("code: LL901\n", encoding="utf-8")
    engine = Engine(cwd=tmp_path)
    engine.rules_dirs = {tmp_path / "rules"}
    listing = engine.fingerprint([])[str(tmp_path / "rules")]
    assert [Path(entry[0]).name for entry in listing] == ["LL901-x.yml"]


DEEP_TOML = "[tool.other]\nx = " + "[" * 3000 + "]" * 3000 + "\n"


def test_a_parent_pyproject_with_a_deeply_nested_array_is_skipped(capsys, tmp_path):
    (tmp_path / "pyproject.toml").write_text(DEEP_TOML)
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "x.md").write_text(LETTER, encoding="utf-8")
    code = main(["check", "-f", "json", str(tmp_path / "letters" / "x.md")])
    out, err = capsys.readouterr()
    assert code == 0 and not err and json.loads(out)["files"][0]["score"] == 100


def test_a_parent_pyproject_that_configures_lintletter_and_nests_too_deeply_is_a_config_error(capsys, tmp_path):
    """main makes a broken pyproject that mentions lintletter an error (skipping it would drop its
    fail-on and let CI pass); one tomllib cannot parse for nesting is broken too."""
    (tmp_path / "pyproject.toml").write_text("[tool.lintletter]\nfail-on = \"error\"\n" + DEEP_TOML)
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "x.md").write_text(LETTER, encoding="utf-8")
    assert main(["check", str(tmp_path / "letters" / "x.md")]) == 2
    err = capsys.readouterr().err
    assert "pyproject.toml: TOML error: nested too deeply" in err and "internal error" not in err


def test_a_deeply_nested_config_named_with_config_is_a_config_error(capsys, tmp_path, letter):
    config = tmp_path / "deep.toml"
    config.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n")
    assert main(["check", str(letter), "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "deep.toml: TOML error: nested too deeply" in err and "internal error" not in err


# --- the result cache: an entry is a file in the working tree too ---------------------------


def test_a_cache_entry_that_inflates_to_a_gigabyte_is_a_miss_in_bounded_memory(tmp_path):
    """A repository can ship a .lintletter_cache entry (its key is computable); 1 MB of zlib
    inflated to 1 GB before it was judged. In a child: peak memory may not grow past 100 MB."""
    code = (
        "import resource, zlib\n"
        "from lintletter.cache import MAGIC, FORMAT, Codec, decode_entry\n"
        "key = 'a' * 64\n"
        "c = zlib.compressobj(1)\n"
        "chunk = b' ' * (64 << 20)\n"
        "body = b''.join(c.compress(chunk) for _ in range(16)) + c.flush()\n"
        "del chunk\n"
        "entry = MAGIC + b' %d %s\\n' % (FORMAT, key.encode()) + body\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "assert decode_entry(entry, key, 'Dear Sam,', Codec()) is None\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)\n"
    )
    result = run_python(code, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    assert int(result.stdout) < 100, f"peak memory grew by {int(result.stdout)} MB"


# --- a rule folder that is a whole file system ---------------------------------------------


@CACHE
def test_a_rules_folder_that_is_the_whole_file_system_is_refused_quickly(tmp_path, letter, cache):
    """``rules: [../../..]`` from a folder three levels below ``/`` (the config fuzzer's inputs 6420
    and 9980, seed 20261202): the loader, the cache key and the server walked every file on the
    machine and tried every ``.yml`` as a rule file (minutes, 3.7 GB)."""
    config = tmp_path / "settings.yaml"
    config.write_text("rules: [/]\n")
    result = run_cli("check", str(letter), "--config", str(config), *cache_args(tmp_path, cache), timeout=60, cache=cache)
    one_error(result, "/: rule folder holds more than 10,000 files and folders")


def test_a_rules_folder_over_the_limit_is_refused_and_one_at_it_is_read(capsys, tmp_path, letter):
    from lintletter.reading import MAX_RULE_TREE

    rules = tmp_path / "rules"
    rules.mkdir()
    for i in range(MAX_RULE_TREE):
        (rules / f"note{i}.txt").touch()
    assert main(["check", str(letter), "--rules", str(rules)]) == 0  # 10,000 entries: read
    capsys.readouterr()
    (rules / "one-more.txt").touch()
    with within(60):
        assert main(["check", str(letter), "--rules", str(rules)]) == 2
    assert "rule folder holds more than 10,000 files and folders" in capsys.readouterr().err
