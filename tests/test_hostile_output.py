"""Where the report goes: -o onto devices, FIFOs and inputs, failed writes, signals, worker processes.

Each test names the defect it guards against (issue 14); anything that could hang runs in a child
process with a timeout (tests/bounds.py).
"""

from __future__ import annotations

import io
import json
import os
import signal
import stat
import sys
import threading
import time
from pathlib import Path

import pytest

from lintletter.runner import choose_jobs
from lintletter.cli import main

from .bounds import run_cli, run_python
from .conftest import ACCEPTANCE

LETTER = (ACCEPTANCE / "complete.md").read_text(encoding="utf-8")


@pytest.fixture
def letter(tmp_path) -> Path:
    path = tmp_path / "x.md"
    path.write_text(LETTER, encoding="utf-8")
    return path


# --- -o onto something that is not a regular file: written in place, never replaced ----------


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root (which is how CI containers run)")
def test_output_onto_a_device_node_writes_in_place(capsys, tmp_path, letter):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a second /dev/null
    assert main(["check", str(letter), "-o", str(null)]) == 0
    assert stat.S_ISCHR(null.stat().st_mode), "the device was replaced by a regular file"
    assert {p.name for p in tmp_path.iterdir()} == {"null", "x.md"}  # and no temp file beside it


def test_output_onto_a_fifo_with_a_reader_writes_into_it(tmp_path, letter):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    result = run_cli("check", str(letter), "-f", "json", "-o", str(fifo), timeout=60)
    reader.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert json.loads(received[0])["files"][0]["score"] == 100


def test_output_onto_a_fifo_nobody_reads_is_an_error_not_a_hang(tmp_path, letter):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    result = run_cli("check", str(letter), "-o", str(fifo), timeout=60)
    assert result.returncode == 2
    assert stat.S_ISFIFO(fifo.stat().st_mode), "the FIFO was replaced by a regular file"
    err = result.stderr.decode()
    assert "FIFO that nothing is reading" in err and len(err.strip().splitlines()) == 1


def test_output_to_dev_stdout_through_a_pipe(letter):
    result = run_cli("check", str(letter), "-f", "json", "-o", "/dev/stdout", timeout=60)  # stdout is a pipe here
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["files"][0]["score"] == 100


# --- -o never replaces an input, read or not -------------------------------------------------


def _damaged_docx(path: Path) -> Path:
    path.write_bytes(b"PK\x03\x04 truncated")
    return path


@pytest.mark.parametrize("kind", ["binary", "damaged-docx", "too-large", "hard-link", "excluded", "stdin-filename"])
def test_output_never_replaces_an_input(capsys, monkeypatch, tmp_path, letter, kind):
    args = ["check", str(letter)]
    if kind == "binary":
        target = tmp_path / "bin.txt"
        target.write_bytes(b"a\x00b")
        args.append(str(target))
    elif kind == "damaged-docx":
        target = _damaged_docx(tmp_path / "draft.docx")
        args.append(str(target))
    elif kind == "too-large":
        target = tmp_path / "huge.md"
        with target.open("wb") as handle:
            handle.truncate(21 * 1024 * 1024)  # sparse
        args.append(str(target))
    elif kind == "hard-link":
        target = tmp_path / "other-name.md"
        os.link(letter, target)
    elif kind == "excluded":  # found by walking the folder, then excluded by the config
        (tmp_path / ".lintletter.yaml").write_text("extend-exclude: ['notes.md']\n")
        target = tmp_path / "notes.md"
        target.write_text("my notes")
        args = ["check", str(tmp_path)]
    else:
        target = tmp_path / "buffer.md"
        target.write_text("the editor's file")
        args = ["check", "-", "--stdin-filename", str(target)]
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(LETTER.encode())))
    before = target.stat()
    data = target.read_bytes()
    code = main([*args, "-o", str(target)])
    err = capsys.readouterr().err
    assert code == 2 and "refusing to write the report over an input" in err
    after = target.stat()
    assert (after.st_ino, after.st_size) == (before.st_ino, before.st_size) and target.read_bytes() == data
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# --- failed writes: exit 2 with one line, never "internal error", never 0 --------------------


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_on_a_full_disk(letter):
    code = (
        "import sys\n"
        "from lintletter.cli import main\n"
        "sys.stdout = open('/dev/full', 'w')\n"
        f"sys.exit(main(['check', {str(letter)!r}]))\n"
    )
    result = run_python(code)
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert "internal error" not in err and "Traceback" not in err and "Exception ignored" not in err
    assert "standard output: cannot write (No space left on device)" in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_redirected_to_dev_full_from_the_shell(letter):
    with open("/dev/full", "wb") as full:
        import subprocess

        from .bounds import child_env

        result = subprocess.run(
            [sys.executable, "-m", "lintletter.cli", "check", str(letter)],
            stdout=full, stderr=subprocess.PIPE, env=child_env(), timeout=60,
        )
    err = result.stderr.decode()
    assert result.returncode == 2 and len(err.strip().splitlines()) == 1, err
    assert "No space left on device" in err and "internal error" not in err


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
def test_output_option_onto_a_full_device(tmp_path, letter):
    full = tmp_path / "full"  # a private /dev/full: a bug here must not break the real one
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    result = run_cli("check", str(letter), "-o", str(full))
    assert result.returncode == 2 and b"No space left on device" in result.stderr, result.stderr
    assert stat.S_ISCHR(full.stat().st_mode)


def test_a_closed_pipe_is_not_an_error(letter):
    code = (
        "import os, sys\n"
        "from lintletter.cli import main\n"
        "r, w = os.pipe(); os.close(r)\n"
        "sys.stdout = os.fdopen(w, 'w')\n"
        f"sys.exit(main(['check', {str(letter)!r}]))\n"
    )
    result = run_python(code)
    assert result.returncode == 0 and b"Traceback" not in result.stderr and b"internal error" not in result.stderr


# --- signals: temp files go, workers die with their parent ----------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_during_an_output_write_leaves_no_temp_file(tmp_path, letter, signum):
    out = tmp_path / "report.json"
    out.write_text("the previous report")
    code = (
        "import os, signal, sys, time\n"
        "import lintletter.formatters as formatters\n"
        "def render_chunks(name, run):\n"
        "    yield '{\"partial\": '\n"
        f"    os.kill(os.getpid(), {int(signum)})\n"
        "    time.sleep(30)\n"
        "    yield '1}'\n"
        "formatters.render_chunks = render_chunks\n"
        "from lintletter.cli import main\n"
        f"sys.exit(main(['check', {str(letter)!r}, '-f', 'json', '-o', {str(out)!r}]))\n"
    )
    result = run_python(code, timeout=60)
    assert result.returncode == 128 + signum, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "x.md"]
    assert out.read_text() == "the previous report"


def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="--jobs 2 needs two cores")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_workers_die_with_their_parent(tmp_path, signum):
    import subprocess

    from .bounds import child_env

    folder = tmp_path / "letters"
    folder.mkdir()
    for i in range(1500):
        (folder / f"l{i:04}.md").write_text(LETTER, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "lintletter.cli", "check", str(folder), "--jobs", "2", "-f", "json", "-o", str(tmp_path / "r.json")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=child_env(),
    )
    try:
        deadline = time.monotonic() + 90
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
            workers = _children(proc.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the workers never started"
        os.kill(proc.pid, signum)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "a worker outlived its parent"
        if signum == signal.SIGTERM:
            assert proc.returncode == 128 + signum
    finally:
        for w in _children(proc.pid) | {proc.pid}:
            try:
                os.kill(w, signal.SIGKILL)
            except OSError:
                pass
        proc.wait(timeout=10)


def test_jobs_are_capped_at_the_number_of_cores():
    cores = len(os.sched_getaffinity(0))
    assert choose_jobs(64, range(10_000)) == cores
    assert choose_jobs(64, range(1)) == 1
