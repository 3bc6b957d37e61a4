"""JUnit XML for GitLab's test report and Jenkins: one <testsuite> per letter.

Failures agree with the exit code: a case fails only for what fails the letter (a finding at or
above its ``fail-on``, a score below its ``min-score``); a finding below ``fail-on`` is a passing
case whose details are in <system-out>.

Test cases per letter:
- one per section (name ``acknowledgement``...). It fails when the section's rule reported a
  finding that fails the letter, which with the default policy is when the section is missing *or
  weak*: weak counts because it is still something to fix, and a passing case would hide the advice
  (GitLab shows the text of failures only). The failure message starts with the status so weak and
  missing stay apart. A section that is not present but whose finding was not reported (its rule
  left out with --select/--ignore, or suppressed) is skipped.
- one per other finding, named ``CODE name`` (``#2``, ``#3`` for repeats). One case per finding
  rather than one ``findings`` case per letter because GitLab lists, counts and compares failures
  per case: each finding gets its own row with its own message, and the merge request widget can
  say which findings are new or fixed. The line is kept out of the name so an edit above a finding
  does not make it look new.
- ``score``, when the letter has a ``min-score``: fails when the score is below it.
An input that could not be read becomes a suite with one ``read`` case holding an <error>; a run
that fails on ``max-warnings`` gets a ``lintletter`` suite with a failing ``max-warnings`` case.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from ..model import SECTIONS, Finding, LineIndex, Report, Status
from ..policy import Policy
from . import Run

#: Characters XML 1.0 cannot carry at all, not even as character references.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    return _XML_FORBIDDEN.sub("", text)


def _element(parent: ET.Element | None, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    clean = {key: _clean(str(value)) for key, value in attrs.items()}
    node = ET.Element(tag, clean) if parent is None else ET.SubElement(parent, tag, clean)
    if text:
        node.text = _clean(text)
    return node


def _where(report: Report, index: LineIndex, f: Finding) -> str:
    path = report.path or "<text>"
    if f.span is None:
        return report.label
    line, col = index.position(f.span.start)
    return f"{path}:{line}:{col}"


def _details(report: Report, index: LineIndex, f: Finding) -> str:
    lines = [f"{_where(report, index, f)}: {f.code} [{f.severity.value}] {f.message}"]
    if f.span is not None:
        lines.append(f"flagged: {' '.join(f.span.text(report.text).split())}")
    if f.suggestion:
        lines.append(f"suggestion: {f.suggestion}")
    return "\n".join(lines)


def _finding_case(case: ET.Element, report: Report, index: LineIndex, f: Finding, policy: Policy, message: str, counts: Counter) -> None:
    if policy.fails(f):
        _element(case, "failure", _details(report, index, f), type=f.code, message=message)
        counts["failures"] += 1
    else:  # reported, but below fail-on: the case passes and keeps the details
        _element(case, "system-out", _details(report, index, f))


def _suite(parent: ET.Element, report: Report, policy: Policy) -> Counter:
    # a letter inside a document is its own suite, named by its lines (article.md:67-83)
    path, file = report.label, report.path or "<text>"
    index = LineIndex(report.text)
    suite = _element(parent, "testsuite", name=path)
    counts: Counter = Counter()
    section_codes = {result.rule for result in report.sections.values()}
    by_code = {f.code: f for f in report.findings if f.code in section_codes}
    for name in SECTIONS if not report.no_letter else ():
        result = report.sections[name]
        case = _element(suite, "testcase", name=name, classname=path, file=file)
        counts["tests"] += 1
        finding = by_code.get(result.rule)
        if finding is not None:
            _finding_case(case, report, index, finding, policy, f"{result.status.value}: {finding.message}", counts)
        elif result.status is Status.IGNORED:
            _element(case, "skipped", message=f"ignored: {result.rule or 'its rule'} is not selected, or is ignored")
            counts["skipped"] += 1
        elif result.status is not Status.PRESENT:
            _element(case, "skipped", message=f"{result.status.value}, but {result.rule or 'its rule'} is not reported")
            counts["skipped"] += 1
    seen: Counter = Counter()
    for f in report.findings:
        if f.code in section_codes:
            continue
        seen[f.code] += 1
        name = f"{f.code} {f.name}" + (f" #{seen[f.code]}" if seen[f.code] > 1 else "")
        case = _element(suite, "testcase", name=name, classname=path, file=file)
        _finding_case(case, report, index, f, policy, f.message, counts)
        counts["tests"] += 1
    if policy.min_score is not None and not report.no_letter:
        case = _element(suite, "testcase", name="score", classname=path, file=file)
        counts["tests"] += 1
        reason = policy.score_reason(report)
        if reason:
            _element(case, "failure", f"{path}: {reason}", type="min-score", message=reason)
            counts["failures"] += 1
        else:
            _element(case, "system-out", f"{path}: score {report.score.value}/100 ({report.score.verdict})")
    _set_counts(suite, counts)
    return counts


def _error_suite(parent: ET.Element, path: str, code: str, reason: str) -> Counter:
    suite = _element(parent, "testsuite", name=path)
    case = _element(suite, "testcase", name="read", classname=path, file=path)
    _element(case, "error", f"{path}: {reason}", type=code, message=reason)
    counts = Counter(tests=1, errors=1)
    _set_counts(suite, counts)
    return counts


def _set_counts(node: ET.Element, counts: Counter) -> None:
    for key in ("tests", "failures", "errors", "skipped"):
        node.set(key, str(counts[key]))


def render(run: Run) -> str:
    root = _element(None, "testsuites", name="lintletter")
    total: Counter = Counter()
    for i, report in enumerate(run.reports):
        total += _suite(root, report, run.policy(i))
    for err in run.errors:
        total += _error_suite(root, err.path, err.code, err.reason)
    if run.run_reasons:
        suite = _element(root, "testsuite", name="lintletter")
        case = _element(suite, "testcase", name="max-warnings", classname="lintletter")
        _element(case, "failure", "\n".join(run.run_reasons), type="max-warnings", message="; ".join(run.run_reasons))
        counts = Counter(tests=1, failures=1)
        _set_counts(suite, counts)
        total += counts
    _set_counts(root, total)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
