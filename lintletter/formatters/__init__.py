"""Output formats. Each module exposes ``render(run) -> str``; formatters never see spaCy.

A new format is a module here plus one entry in :data:`FORMATS`.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from ..errors import InputError
from ..model import Report, Status
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

    def reasons(self, index: int) -> tuple[str, ...]:
        """Why the report at ``index`` fails; empty when it passes."""
        known = self._reasons.get(index)
        if known is None:
            known = self._reasons[index] = self.policy(index).reasons(self.reports[index])
        return known

    @property
    def failing(self) -> list[int]:
        """Indexes of the reports that fail."""
        return [i for i in range(len(self.reports)) if self.reasons(i)]

    @property
    def passed(self) -> bool:
        """No letter fails and nothing about the run does (input errors are reported apart)."""
        return not self.run_reasons and not self.failing


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
