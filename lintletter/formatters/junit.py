"""JUnit XML for GitLab's test report and Jenkins: one <testsuite> per letter.

Test cases per letter:
- one per section (name ``acknowledgement``...). It fails when the section's rule reported a
  finding, which is when the section is missing *or weak*: weak counts as a failure because it is
  still something to fix, and a passing case would hide the advice (GitLab shows the text of
  failures only). The failure message starts with the status so weak and missing stay apart. A
  section that is not present but whose finding was not reported (its rule left out with
  --select/--ignore, or suppressed) is skipped.
- one per other finding, named ``CODE name`` (``#2``, ``#3`` for repeats). One case per finding
  rather than one ``findings`` case per letter because GitLab lists, counts and compares failures
  per case: each finding gets its own row with its own message, and the merge request widget can
  say which findings are new or fixed. The line is kept out of the name so an edit above a finding
  does not make it look new.
An input that could not be read becomes a suite with one ``read`` case holding an <error>.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from ..model import SECTIONS, Finding, LineIndex, Report, Status
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
        return path
    line, col = index.position(f.span.start)
    return f"{path}:{line}:{col}"


def _details(report: Report, index: LineIndex, f: Finding) -> str:
    lines = [f"{_where(report, index, f)}: {f.code} [{f.severity.value}] {f.message}"]
    if f.span is not None:
        lines.append(f"flagged: {' '.join(f.span.text(report.text).split())}")
    if f.suggestion:
        lines.append(f"suggestion: {f.suggestion}")
    return "\n".join(lines)


def _suite(parent: ET.Element, report: Report) -> Counter:
    path = report.path or "<text>"
    index = LineIndex(report.text)
    suite = _element(parent, "testsuite", name=path)
    counts: Counter = Counter()
    section_codes = {result.rule for result in report.sections.values()}
    by_code = {f.code: f for f in report.findings if f.code in section_codes}
    for name in SECTIONS:
        result = report.sections[name]
        case = _element(suite, "testcase", name=name, classname=path, file=path)
        counts["tests"] += 1
        finding = by_code.get(result.rule)
        if finding is not None:
            message = f"{result.status.value}: {finding.message}"
            _element(case, "failure", _details(report, index, finding), type=finding.code, message=message)
            counts["failures"] += 1
        elif result.status is not Status.PRESENT:
            _element(case, "skipped", message=f"{result.status.value}, but {result.rule or 'its rule'} is not reported")
            counts["skipped"] += 1
    seen: Counter = Counter()
    for f in report.findings:
        if f.code in section_codes:
            continue
        seen[f.code] += 1
        name = f"{f.code} {f.name}" + (f" #{seen[f.code]}" if seen[f.code] > 1 else "")
        case = _element(suite, "testcase", name=name, classname=path, file=path)
        _element(case, "failure", _details(report, index, f), type=f.code, message=f.message)
        counts["tests"] += 1
        counts["failures"] += 1
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
    for report in run.reports:
        total += _suite(root, report)
    for err in run.errors:
        total += _error_suite(root, err.path, err.code, err.reason)
    _set_counts(root, total)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
