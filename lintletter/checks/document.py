"""Kind ``document``: a document (``--embedded marked`` or ``auto``) in which no letter was found.
Says nothing about a letter; the document gets one report, never scored, with this finding: info,
or an error when the config says every document must contain a letter (``require-letter``)."""

from __future__ import annotations

from ..model import Finding, Rule, Severity
from .base import CheckResult, Context, Kind, NoLetter
from .options import NoOptions


def check(rule: Rule, ctx: Context) -> CheckResult:
    return CheckResult()


def on_no_letter(rule: Rule, document: NoLetter) -> tuple[Finding, ...]:
    how = "no fenced `letter` block and no <!-- lintletter: letter --> marker"
    if document.mode == "auto":
        how += ", and no salutation-to-sign-off span in the prose"
    message = f"{rule.message_for()}: {how} (--embedded {document.mode})"
    severity = rule.severity_for()
    if document.require:
        message += "; the config says every document must contain one (require-letter)"
        severity = Severity.ERROR
    return (Finding(rule.code, rule.name, severity, message, suggestion=rule.suggestion),)


KIND = Kind("document", check, NoOptions, scored=False, on_no_letter=on_no_letter)
