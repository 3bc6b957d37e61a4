"""Immutable values that flow through lintletter: rules and their cue groups, spans, findings,
section results, reports.

Positions are character offsets into the original text everywhere; they become line and column only
when a formatter renders them (see :class:`LineIndex`).
"""

from __future__ import annotations

import bisect
import dataclasses
import enum
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from .about import About
    from .suggest import Variant

#: The six sections of a post-interview networking letter, in the order reports list them.
SECTIONS: tuple[str, ...] = (
    "acknowledgement",
    "continued_interest",
    "feedback_request",
    "advice",
    "referrals",
    "competitors",
)


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for `fail-on` style comparisons."""
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class Status(str, enum.Enum):
    PRESENT = "present"
    WEAK = "weak"
    MISSING = "missing"
    #: the section's rule is not selected, or ignored (flags, config, the letter itself): it is not
    #: judged and leaves the score
    IGNORED = "ignored"

    @property
    def rank(self) -> int:
        return {"ignored": -1, "missing": 0, "weak": 1, "present": 2}[self.value]


@dataclass(frozen=True, order=True)
class Span:
    """Half-open character range ``[start, end)`` in the original text."""

    start: int
    end: int

    def text(self, source: str) -> str:
        return source[self.start : self.end]


#: Where the built-in rule files are in a checkout (an installed wheel carries them in ``_data``).
BUILTIN_RULES = Path(__file__).resolve().parent.parent / "rules"

#: Conditions computed from layout rather than words; usable wherever a cue group name is.
BUILTIN_CUES = {
    "$question": "the sentence ends with a question mark",
    "$listed": "the sentence is a list item of five words or more under a lead-in ending with ':'",
    "$signal": "the learned classifier gives this rule's section a probability >= signal_threshold",
    "$signal_sure": "the learned classifier gives this rule's section a probability >= signal_sure (default 0.9)",
    "$aside": "the sentence is in a paragraph that turned, by name, to someone the letter does not greet (\"Tom, could you...\" in a letter to Dana)",
}
#: The parts of a letter a rule's ``regions`` may name.
REGIONS = ("body", "ps", "subject", "salutation", "closing", "signature")


def builtin_rules_dir() -> Path:
    """The built-in rules folder: the installed copy if there is one, else the checkout's."""
    installed = Path(__file__).resolve().parent / "_data" / "rules"
    return installed if installed.is_dir() else BUILTIN_RULES


@dataclass(frozen=True)
class CueGroup:
    """A named set of token patterns; a sentence 'has' the cue when any pattern matches in it."""

    name: str
    patterns: tuple[Any, ...] = ()  # str (phrase syntax) or list of Matcher token dicts
    any_of: tuple[str, ...] = ()  # or: the union of other groups
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class Rule:
    """One rule file, validated. ``options`` is its kind's typed options (``checks/<kind>.py``)."""

    code: str
    name: str
    kind: str
    severity: Mapping[str, Severity]  # status -> severity for section rules; "" -> severity otherwise
    message: Mapping[str, str]
    description: str
    rationale: str
    suggestion: str
    examples: Mapping[str, tuple[str, ...]]
    options: Any
    cues: Mapping[str, CueGroup]
    section: str | None = None
    source: str = ""
    line: int = 0
    #: the suggestion's wordings (the first is ``suggestion`` itself); see lintletter.suggest
    variants: "tuple[Variant, ...]" = ()
    #: what to say when every wording needs a name the letter does not give
    advice: str | None = None
    #: where ``lintletter fix`` inserts the suggestion (lintletter.suggest.INSERT_PLACES), if anywhere
    insert_at: str | None = None
    #: (letter, the suggestion it gets), run as tests and shown by ``lintletter rule``
    suggestion_examples: tuple[tuple[str, str], ...] = ()

    def severity_for(self, status: Status | None = None) -> Severity:
        return self.severity.get(status.value if status else "", self.severity.get("", Severity.WARNING))

    def message_for(self, status: Status | None = None) -> str:
        return self.message.get(status.value if status else "", self.message.get("", ""))


@dataclass(frozen=True)
class Verdict:
    name: str
    min_score: int
    max_severity: Severity | None = None  # the verdict needs no finding more severe than this


@dataclass(frozen=True)
class Scoring:
    """The score rubric (``rules/scoring.yml``; the formula is in :mod:`lintletter.scoring`)."""

    weights: Mapping[str, float]
    weak_credit: float
    deductions: Mapping[Severity, float]
    deduction_cap: float
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    lexicon: Mapping[str, CueGroup]
    scoring: Scoring

    def get(self, code_or_name: str) -> Rule | None:
        key = code_or_name.strip()
        for rule in self.rules:
            if rule.code.lower() == key.lower() or rule.name == key.lower():
                return rule
        return None

    def matches(self, rule: Rule, selectors: list[str]) -> bool:
        return any(rule.code.upper().startswith(s.upper()) or rule.name == s.lower() for s in selectors)

    def knows(self, selector: str) -> bool:
        return any(self.matches(r, [selector]) for r in self.rules)

    def with_overrides(
        self, severity: Mapping[str, Mapping[str, Severity]], weights: Mapping[str, float]
    ) -> "RuleSet":
        """A copy with rule severities and section weights changed (from a config file).

        ``severity`` maps a selector to {status or "": level}; "" sets every status.
        """
        rules = []
        for rule in self.rules:
            levels = dict(rule.severity)
            for selector, change in severity.items():
                if self.matches(rule, [selector]):
                    if "" in change:
                        levels = {k: change[""] for k in levels} or {"": change[""]}
                    levels.update({k: v for k, v in change.items() if k})
            rules.append(dataclasses.replace(rule, severity=levels) if levels != dict(rule.severity) else rule)
        scoring = self.scoring
        if weights:
            scoring = dataclasses.replace(scoring, weights={**scoring.weights, **weights})
        return dataclasses.replace(self, rules=tuple(rules), scoring=scoring)


@dataclass(frozen=True)
class Finding:
    """One diagnostic. ``span`` is None when the finding is about something absent."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span | None = None
    section: str | None = None
    suggestion: str | None = None
    #: where ``lintletter fix`` would insert the suggestion (``lintletter.suggest.INSERT_PLACES``);
    #: None when the suggestion is advice rather than a sentence for this letter
    insert_at: str | None = None

    def sort_key(self) -> tuple:
        start = self.span.start if self.span else -1
        return (start, self.code, self.message)


@dataclass(frozen=True)
class SectionResult:
    """How one of the six sections fared, and the sentences that earned that status."""

    section: str
    status: Status
    rule: str
    evidence: tuple[Span, ...] = ()
    #: the cited sentences' candidates (``checks.section.Candidate``): what matched, for ``explain``
    cited: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Suppressed:
    """A finding hidden by a suppression in the letter, kept for audits (JSON, SARIF)."""

    finding: Finding
    reason: str | None
    #: where the suppression is written; None for config per-file-ignores
    directive: Span | None = None


@dataclass(frozen=True)
class Score:
    value: int
    verdict: str
    #: What made up the score, for explanations: (label, points) pairs, in order.
    breakdown: tuple[tuple[str, float], ...] = ()
    #: Where the verdict stands in the rubric: "good" for its first (best) verdict, "poor" for its
    #: last, "fair" for any between. Reports colour the score by this, never by the number alone:
    #: 85 with an error is "revise", and must not look ready.
    band: str = "fair"


@dataclass(frozen=True)
class LetterPlace:
    """Where a letter found inside a document (an article, a guide) sits in its host file."""

    index: int  # 1-based, in document order
    start_line: int  # 1-based line of the letter's own first non-blank line (its salutation)
    end_line: int  # and of its last (its signature)


@dataclass(frozen=True)
class Report:
    """Everything lintletter concluded about one letter.

    For a letter inside a document, ``letter`` says where it sits, and ``text`` is the host file with
    everything but that letter blanked, so positions are the host file's. A document in which no
    letter was found has ``score`` None and no sections: it is never scored as a letter.
    """

    text: str
    sections: Mapping[str, SectionResult]
    findings: tuple[Finding, ...]
    score: Score | None
    path: str | None = None
    front_matter: Mapping[str, Any] = field(default_factory=dict)
    word_count: int = 0
    suppressed: tuple[Suppressed, ...] = ()
    letter: LetterPlace | None = None

    @property
    def no_letter(self) -> bool:
        """The document holds no letter (``--embedded``): only findings about the file."""
        return self.score is None

    @property
    def label(self) -> str:
        """How reports name it: ``article.md``, or ``article.md:67-83`` for a letter inside a document."""
        return label_of(self.path, self.letter)
    #: what the letter is about (reader, company, role, writer, stage), read from the letter
    about: "About | None" = None


def label_of(path: str | None, letter) -> str:
    """:attr:`Report.label` from the report's path and its ``letter`` (its place in a document, or None)."""
    path = path or "<text>"
    return f"{path}:{letter.start_line}-{letter.end_line}" if letter else path


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_ranges(text: str, upto: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each line of ``text``, ``end`` before its break: the one definition of a
    line everywhere (anatomy, positions, formatters, the language server). Lines break at
    ``\\r\\n``, ``\\n`` and ``\\r`` only, not at U+2028 and the other breaks ``str.splitlines``
    knows; a text ending in a break has an empty last line. ``upto``: stop after that many lines."""
    ranges: list[tuple[int, int]] = []
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        if upto is not None and len(ranges) >= upto:
            return ranges
        ranges.append((pos, m.start()))
        pos = m.end()
    if upto is None or len(ranges) < upto:
        ranges.append((pos, len(text)))
    return ranges


class LineIndex:
    """Maps character offsets to 1-based (line, column), with the lines of :func:`line_ranges`."""

    def __init__(self, text: str) -> None:
        self._starts = [start for start, _ in line_ranges(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
