"""Streaming `check`: reports written as each letter is done (lintletter.formatters.ReportStream).

A streamed run must print exactly what a run that holds every report prints, in every streaming
format, with every pass/fail setting, from the cache or not, serial or in several processes; the
reports must come in input order and as they are done, not after the last letter.
"""

from __future__ import annotations

import json
import shutil

import pytest

from lintletter import cache, runner
from lintletter.formatters import FORMATS, STREAMING, ReportStream, render
from lintletter.runner import Options, run_check

from .conftest import CORPUS, run_cli

LETTERS = CORPUS / "letters"
#: several letters per file and documents with none, e-mails, a Word document
MIXED = [str(CORPUS / "embedded"), str(CORPUS / "acceptance"),
         *(str(p) for p in sorted((CORPUS / "inputs").iterdir()) if p.suffix in (".eml", ".docx"))]  # fmt: skip


def _some_letters(tmp_path, count: int):
    folder = tmp_path / "letters"
    folder.mkdir()
    for path in sorted(LETTERS.iterdir())[:count]:
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = _some_letters(tmp_path_factory.mktemp("streaming"), 40)
    return [str(folder), *MIXED, str(folder / "no-such-letter.txt")]  # an input error too


OPTIONS = [
    Options(jobs=1),
    Options(jobs=1, fail_on="error", max_warnings=3),
    Options(jobs=1, fail_on="info", min_score=80, max_warnings=10_000),
    Options(jobs=1, select=["LL1"], ignore=["LL105"]),
]


@pytest.mark.parametrize("options", OPTIONS, ids=["default", "max-warnings", "min-score", "select"])
def test_a_streamed_run_renders_what_a_held_run_renders(inputs, options):
    held = run_check(inputs, options)
    assert len(held.run.reports) > 60 and held.run.errors
    assert any(r.letter is not None and r.letter.index > 1 for r in held.run.reports)  # a file, several letters
    assert any(r.no_letter for r in held.run.reports)
    for name in sorted(STREAMING):
        streamed = run_check(inputs, options, stream=True)
        assert streamed.run.streamed
        assert render(name, streamed.run) == render(name, held.run), name
        assert streamed.failed == held.failed and streamed.run.failing == held.run.failing
        assert tuple(streamed.run.run_reasons) == tuple(held.run.run_reasons)
        for index in held.run.failing:
            assert streamed.run.failed(index).label == held.run.reports[index].label


def test_a_streamed_quiet_and_coloured_run_is_the_same_text(inputs):
    for name in ("text", "github", "concise"):
        held = run_check(inputs, Options(jobs=1), color=True, quiet=True)
        streamed = run_check(inputs, Options(jobs=1), color=True, quiet=True, stream=True)
        assert render(name, streamed.run) == render(name, held.run), name


def test_reports_come_in_input_order_and_before_the_last_letter_is_linted(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "PROGRESS_MIN_LETTERS", 1)  # progress counts the reports linted
    folder = _some_letters(tmp_path, 30)
    done: list[int] = []
    outcome = run_check([str(folder)], Options(jobs=1), progress=lambda n, total: done.append(n), stream=True)
    assert done == []  # nothing is linted until the format asks for the first report
    paths = []
    linted_when_handed_on = []
    for report in outcome.run.reports:
        paths.append(report.path)
        linted_when_handed_on.append(done[-1])
    assert paths == [str(folder / p.name) for p in sorted(folder.iterdir())]
    assert linted_when_handed_on[0] <= 2  # out as soon as it was done (and the next one began the next file)
    assert linted_when_handed_on == sorted(linted_when_handed_on)


def test_a_stream_is_read_once_and_judged_only_once_read(tmp_path):
    folder = _some_letters(tmp_path, 3)
    stream = run_check([str(folder)], Options(jobs=1), stream=True).run.reports
    assert isinstance(stream, ReportStream) and stream  # it has a first report (read ahead, not lost)
    with pytest.raises(TypeError):
        len(stream)  # not known before the end
    with pytest.raises(RuntimeError):
        stream.failing
    assert len(list(stream)) == len(stream) == 3
    with pytest.raises(RuntimeError):
        list(stream)


def test_an_empty_stream_renders_as_an_empty_run(tmp_path):
    missing = str(tmp_path / "nothing.txt")
    for name in sorted(STREAMING):
        held, streamed = run_check([missing], Options(jobs=1)), run_check([missing], Options(jobs=1), stream=True)
        assert not streamed.run.reports
        assert render(name, streamed.run) == render(name, held.run), name


def test_a_streamed_run_stores_and_reads_back_the_cache_the_same(tmp_path, inputs):
    store = tmp_path / "cache"
    held = run_check(inputs, Options(jobs=1))
    first = run_check(inputs, Options(jobs=1, cache=True, cache_dir=store), stream=True)
    assert render("json", first.run) == render("json", held.run)
    assert any((store / cache.ENTRIES).iterdir())  # stored as each file was done
    warm = run_check(inputs, Options(jobs=1, cache=True, cache_dir=store), stream=True)
    assert render("json", warm.run) == render("json", held.run)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_jobs_2_prints_the_bytes_of_a_serial_run_in_every_format(tmp_path, capsys, monkeypatch, fmt):
    """Several processes, many small chunks handed back out of step: the same output, in order."""
    monkeypatch.setattr(runner, "CHUNK_LETTERS", 3)
    folder = _some_letters(tmp_path, 24)
    serial = run_cli(capsys, "check", "-f", fmt, "-j", "1", str(folder), *MIXED)
    parallel = run_cli(capsys, "check", "-f", fmt, "-j", "2", str(folder), *MIXED)
    assert serial == parallel
    if fmt == "json":
        assert len(json.loads(serial[1])["files"]) > 30


def test_statistics_and_a_step_summary_read_every_report(tmp_path, capsys, monkeypatch):
    """--statistics and GitHub's job summary read the reports again: those runs keep them all."""
    folder = _some_letters(tmp_path, 5)
    code, out, _ = run_cli(capsys, "check", "--statistics", str(folder))
    assert "Findings per rule:" in out and "Sections over 5 letters" in out
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _ = run_cli(capsys, "check", "-f", "github", str(folder))
    assert out.startswith("::") and summary.read_text(encoding="utf-8").count("|") > 10


def test_a_warm_streamed_json_run_decodes_no_report(tmp_path, inputs):
    """Judging and keeping what a failing letter's summary needs reads only what a report from the
    cache has at hand (its path, place, findings' codes and score): none is decoded."""
    store = tmp_path / "cache"
    run_check(inputs, Options(jobs=1, cache=True, cache_dir=store, max_warnings=3))
    held = run_check(inputs, Options(jobs=1, max_warnings=3))
    warm = run_check(inputs, Options(jobs=1, cache=True, cache_dir=store, max_warnings=3), stream=True)
    seen = []
    warm.run.reports.add_transform(lambda report: seen.append(report) or report)
    assert render("json", warm.run) == render("json", held.run)
    assert len(seen) == len(held.run.reports) and warm.run.failing
    assert all(isinstance(r, cache.CachedReport) and r._full is None for r in seen)
    assert [warm.run.failed(i).label for i in warm.run.failing] == [held.run.reports[i].label for i in held.run.failing]
