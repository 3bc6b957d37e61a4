"""Output formats. Each module exposes ``render(run) -> str``; formatters never see spaCy.

A new format is a module here plus one entry in :data:`FORMATS`.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, NamedTuple, Sequence

from ..errors import InputError
from ..model import Report, Severity, Status, label_of
from ..policy import Policy

if TYPE_CHECKING:
    from ..model import Rule


@dataclass(frozen=True)
class Run:
    """What one `lintletter check` produced: reports in input order, and inputs that failed.

    ``rules`` is the loaded rule set's rules (plain data), for formats that describe rules
    (SARIF's tool.driver.rules, help links); formats that only list findings ignore it.
    """

    reports: tuple[Report, ...]
    errors: tuple[InputError, ...] = ()
    color: bool = False
    quiet: bool = False
    rules: tuple["Rule", ...] = ()
    #: per report (same order), what decides whether it passes; empty: the default policy for all
    policies: tuple[Policy, ...] = ()
    #: why the run as a whole fails beyond its letters (more warnings than --max-warnings)
    run_reasons: tuple[str, ...] = ()

    def policy(self, index: int) -> Policy:
        return self.policies[index] if self.policies else Policy()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_reasons", {})  # index -> reasons: pass/fail, then each format, ask again

    @property
    def streamed(self) -> bool:
        """The reports come as they are linted (a :class:`ReportStream`) and can be read only once."""
        return isinstance(self.reports, ReportStream)

    def reasons(self, index: int) -> tuple[str, ...]:
        """Why the report at ``index`` fails; empty when it passes."""
        if isinstance(self.reports, ReportStream):
            return self.reports.reasons(index)
        known = self._reasons.get(index)
        if known is None:
            known = self._reasons[index] = self.policy(index).reasons(self.reports[index])
        return known

    @property
    def failing(self) -> list[int]:
        """Indexes of the reports that fail (of a stream: once it has been read)."""
        if isinstance(self.reports, ReportStream):
            return self.reports.failing
        return [i for i in range(len(self.reports)) if self.reasons(i)]

    def failed(self, index: int) -> "Report | Failed":
        """What the formats say of a failing letter besides its reasons (its label, path, lines):
        the report itself, or of a stream, what was kept of it once it was written."""
        if isinstance(self.reports, ReportStream):
            return self.reports.failed(index)
        return self.reports[index]

    @property
    def passed(self) -> bool:
        """No letter fails and nothing about the run does (input errors are reported apart)."""
        return not self.run_reasons and not self.failing


class Failed(NamedTuple):
    """What a stream keeps of a failing report once it has been written: the formats' summaries name
    it (text's "2 of 10 letters fail", github's error on the letter) after the last report."""

    path: str | None
    letter: object  # the report's ``letter`` (a letter inside a document) or None

    @property
    def label(self) -> str:  # from what a report read back from the cache has at hand: not decoded
        return label_of(self.path, self.letter)


class ReportStream(Sequence):
    """A run's reports as they are linted, in input order, read once: ``lintletter check`` writes
    each report as soon as it is done, so that 10,000 of them never sit in memory together.

    ``source`` yields ``(report, policy, max_warnings)``: the report, what decides whether it passes
    and the ``max-warnings`` limit its letters share (None: none). As each report is handed on, the
    stream keeps what the run's verdict needs of it (why it fails, its warnings, the label of a
    failing one), so that once it has been read, :attr:`failing` and :attr:`run_reasons` give what a
    run holding every report would.
    """

    def __init__(self, source: Iterable[tuple[Report, Policy, int | None]]) -> None:
        self._source = iter(source)
        self._head: list[tuple[Report, Policy, int | None]] = []  # a pair read ahead by __bool__
        self._transforms: list[Callable[[Report], Report]] = []
        self._started = self._done = False
        self._count = 0
        self._current: tuple[int, Report] | None = None
        self._reasons: dict[int, tuple[str, ...]] = {}  # only the failing ones
        self._failed: dict[int, Failed] = {}
        self._warnings: dict[int, int] = {}  # limit -> warnings of the letters sharing it
        #: each report's policy, in order (the run's ``policies``): json writes it beside the report
        self.policies: list[Policy] = []

    def add_transform(self, transform: Callable[[Report], Report]) -> None:
        """Hand on ``transform(report)`` instead of each report (before it is judged or kept)."""
        if self._started:
            raise RuntimeError("a report stream cannot be changed once it is read")
        self._transforms.append(transform)

    def __bool__(self) -> bool:
        if self._started:
            return self._count > 0 or bool(self._head)
        if not self._head:
            pair = next(self._source, None)
            if pair is None:
                self._done = True  # nothing to read: the run's verdict is known already
                return False
            self._head.append(pair)
        return True

    def __iter__(self) -> Iterator[Report]:
        if self._started:
            raise RuntimeError("a report stream is read once")
        self._started = True
        from itertools import chain

        from ..policy import judged

        for report, policy, limit in chain(self._head, self._source):
            self._head = []
            for transform in self._transforms:
                report = transform(report)
            index = self._count
            self.policies.append(policy)
            reasons = policy.reasons(report)
            if reasons:
                self._reasons[index] = reasons
                self._failed[index] = Failed(report.path, report.letter)
            if limit is not None:
                warnings = sum(severity is Severity.WARNING for _, severity in judged(report).findings)
                self._warnings[limit] = self._warnings.get(limit, 0) + warnings
            self._current = (index, report)
            self._count += 1
            yield report
        self._current = None
        self._done = True

    def _finished(self) -> None:
        if not self._done:
            raise RuntimeError("the report stream has not been read to its end")

    def __len__(self) -> int:
        if not self._done:  # a TypeError, as for any object without a length: list(stream) still works
            raise TypeError("a report stream's length is known once it has been read")
        return self._count

    def __getitem__(self, index):
        if self._current is not None and index == self._current[0]:
            return self._current[1]
        raise IndexError("a report stream gives only the report being written")

    def reasons(self, index: int) -> tuple[str, ...]:
        if index >= self._count:
            raise IndexError("a report stream judges a report as it hands it on")
        return self._reasons.get(index, ())

    def failed(self, index: int) -> Failed:
        return self._failed[index]

    @property
    def failing(self) -> list[int]:
        self._finished()
        return sorted(self._reasons)

    @property
    def run_reasons(self) -> tuple[str, ...]:
        """As :func:`lintletter.policy.too_many_warnings` gives them for the reports read."""
        self._finished()
        from ..policy import warning_reasons

        return warning_reasons(self._warnings)


class LateReasons(Sequence):
    """A stream's ``run_reasons``, known once the stream has been read (the formats read them last)."""

    def __init__(self, stream: ReportStream) -> None:
        self._stream = stream

    def __getitem__(self, index):
        return self._stream.run_reasons[index]

    def __len__(self) -> int:
        return len(self._stream.run_reasons)

    def __iter__(self):
        return iter(self._stream.run_reasons)

    def __eq__(self, other) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) else other)


#: How each format marks a section's status (text, pretty, html, the GitHub summary): one set.
STATUS_MARK = {Status.PRESENT: "✓", Status.WEAK: "!", Status.MISSING: "✗", Status.IGNORED: "–"}


def section_label(section: str) -> str:
    """How people read a section key: continued_interest -> "Continued interest"."""
    return section.replace("_", " ").capitalize()


#: format name -> module under lintletter.formatters (imported only when that format is used)
FORMATS: dict[str, str] = {
    "text": "text",
    "concise": "concise",
    "json": "json",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "html": "html",
    "pretty": "pretty",
}

#: The formats that read a run's reports once, in order, writing each as it comes: a run for them
#: can be a :class:`ReportStream` (the others read the reports several times, or totals first).
STREAMING = frozenset({"text", "concise", "json", "github"})


#: How the reports that can be saved with a letter's suffix begin (-o report.txt): text and its -q
#: ("path: score 78/100 (revise)"), concise ("path:1:1: LL105 ..."), github ("::warning file=..."),
#: pretty (a rule, or an unread input).
_REPORT_START = re.compile(
    r"\A(?:[^\n]+: score \d{1,3}/100 \([^()\n]*\)\n|::(?:error|warning|notice)[ :]|─{20,}\n|✗ could not read "
    r"|[^\n]+:\d+:\d+: LLE?\d{3} "  # concise
    r"|[^\n]+  [█░]{3,})"  # pretty's score bar (the line may wrap)
)


def looks_like_report(text: str) -> bool:
    """Is this lintletter's own output rather than a letter? No letter starts like a report."""
    return bool(_REPORT_START.match(text.lstrip("\ufeff")))


_SURROGATE = re.compile("[\ud800-\udfff]")
#: What a terminal could take as a command: C0 controls but tab, DEL, C1 controls (U+009B is CSI),
#: bidi overrides and isolates (they reorder what is shown); and lone surrogates (no terminal encoding).
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """Lone surrogates (a file name with bytes that are not UTF-8 arrives as ``\\udcff``) cannot be
    written as UTF-8: shown as U+FFFD, one character for one."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def visible(text: str) -> str:
    """``text`` safe for one line of a terminal: controls and bidi overrides as ``\\x1b``-style escapes,
    so a file name or a letter cannot write escape sequences or forge a line of its own (GitHub
    Actions reads ``::error ...`` at the start of any line of output)."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


def displayable(run: Run) -> Run:
    """The run with paths (and letter texts) every format can encode: no lone surrogates."""
    def clean_report(report: Report) -> Report:
        path = without_surrogates(report.path) if report.path else report.path
        text = without_surrogates(report.text)
        if (path, text) == (report.path, report.text):
            return report
        full = getattr(type(report), "full", None)  # a report from the result cache: the report itself
        return dataclasses.replace(full(report) if full else report, path=path, text=text)

    def clean_error(error: InputError) -> InputError:
        path, reason = without_surrogates(error.path), without_surrogates(error.reason)
        return error if (path, reason) == (error.path, error.reason) else InputError(path, reason)

    if isinstance(run.reports, ReportStream):  # each report is cleaned as it is handed on
        run.reports.add_transform(clean_report)
        errors = tuple(clean_error(e) for e in run.errors)
        return run if all(a is b for a, b in zip(errors, run.errors)) else dataclasses.replace(run, errors=errors)
    reports = tuple(clean_report(r) for r in run.reports)
    errors = tuple(clean_error(e) for e in run.errors)
    if all(a is b for a, b in zip(reports, run.reports)) and all(a is b for a, b in zip(errors, run.errors)):
        return run
    return dataclasses.replace(run, reports=reports, errors=errors)


def render(name: str, run: Run) -> str:
    return "".join(render_chunks(name, run))


def render_chunks(name: str, run: Run) -> Iterator[str]:
    """The output in pieces, for formats that can stream (``render_chunks`` in their module)."""
    run = displayable(run)
    module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    if hasattr(module, "render_chunks"):
        yield from module.render_chunks(run)
    else:
        yield module.render(run)
