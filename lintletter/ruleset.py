"""Rule files (``rules/*.yml``) to validated, immutable :class:`Rule` objects.

Layout of a rules folder::

    rules/lexicon.yml        shared cue groups (asks, negation, hedges...) that rules refer to by name
    rules/scoring.yml        the score rubric
    rules/<area>/<CODE>-<name>.yml   one rule per file

Loading is strict: unknown keys, wrong types, unknown cue names and duplicate codes are all errors,
and every problem in every file is reported at once, each naming file, line and field.
Extra folders (``--rules DIR``) add rules; a rule whose code already exists replaces it.
This module does not import spaCy: cue patterns are checked for shape here and compiled against a
vocabulary in :mod:`lintletter.cues`.
"""

from __future__ import annotations

import dataclasses

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import Problem, RuleError
from .regex_safety import UnsafeRegex, regexes_in
from .regex_safety import check as check_regex
from .model import SECTIONS, Severity, Status
from .suggest import INSERT_PLACES, Variant
from .suggest import problems as template_problems
from .about import MEDIA, REGISTERS
from .yamlload import LocatedDict, load_yaml

BUILTIN_RULES = Path(__file__).resolve().parent.parent / "rules"

#: Conditions computed from layout rather than words; usable wherever a cue group name is.
BUILTIN_CUES = {
    "$question": "the sentence ends with a question mark",
    "$listed": "the sentence is a list item under a lead-in ending with ':'",
    "$signal": "the learned classifier gives this rule's section a probability >= signal_threshold",
}
REGIONS = ("body", "ps", "subject", "salutation", "closing")
_CODE = re.compile(r"^LL\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_GROUP = re.compile(r"^[a-z][a-z0-9_]*$")
_WILDCARD = re.compile(r"^\*(\d+)$")
_SIGNAL = "$signal"


def _builtin_rules_dir() -> Path:
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
    code: str
    name: str
    kind: str
    severity: Mapping[str, Severity]  # status -> severity for section rules; "" -> severity otherwise
    message: Mapping[str, str]
    description: str
    rationale: str
    suggestion: str
    examples: Mapping[str, tuple[str, ...]]
    options: Mapping[str, Any]
    cues: Mapping[str, CueGroup]
    section: str | None = None
    source: str = ""
    line: int = 0
    #: the suggestion's wordings (the first is ``suggestion`` itself); see lintletter.suggest
    variants: tuple[Variant, ...] = ()
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
    sources: tuple[str, ...] = field(default=())

    def get(self, code_or_name: str) -> Rule | None:
        key = code_or_name.strip()
        for rule in self.rules:
            if rule.code.lower() == key.lower() or rule.name == key.lower():
                return rule
        return None

    def section_rule(self, section: str) -> Rule | None:
        return next((r for r in self.rules if r.kind == "section" and r.section == section), None)

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


# --- schema --------------------------------------------------------------------------------

_COMMON_REQUIRED = {
    "code": str,
    "name": str,
    "kind": str,
    "severity": (str, dict),
    "message": (str, dict),
    "description": str,
    "rationale": str,
    "suggestion": str,
    "examples": dict,
}
_COMMON_OPTIONAL = {"section": str, "cues": dict, "suggestions": list, "advice": str, "insert_at": str,
                    "suggestion_examples": list}

#: kind -> (required fields, optional fields, example keys). Adding a kind: one line here and one
#: module in lintletter/checks/.
KIND_SCHEMAS: dict[str, tuple[dict[str, Any], dict[str, Any], tuple[str, ...]]] = {
    "section": (
        {"present": list},
        {"weak": list, "negation": list, "exclude": list, "demote": list, "weak_regions": list,
         "signal_threshold": (int, float), "signal_floor": (int, float)},
        ("present", "weak", "missing"),
    ),
    "phrase": (
        {"match": list},
        {"regions": list, "skip_templates": bool, "negation": list, "exclude": list, "min_count": int},
        ("trigger", "pass"),
    ),
    "required": ({"match": list}, {"regions": list}, ("trigger", "pass")),
    "register": ({"match": list}, {"regions": list, "min_count": int, "lowercase": bool, "min_sentences": int},
                 ("trigger", "pass")),
    "context": ({"match": list}, {"regions": list, "negation": list, "exclude": list, "unless_section": str},
                ("trigger", "pass")),
    "salutation": ({"check": str}, {"generic": list}, ("trigger", "pass")),
    "signoff": ({"check": str}, {}, ("trigger", "pass")),
    "length": ({"check": str, "words": int}, {}, ("trigger", "pass")),
    "mentions": ({"field": str}, {}, ("trigger", "pass")),
    "front_matter": ({}, {}, ("trigger", "pass")),
    "suppression": ({}, {}, ("trigger", "pass")),
    "input": ({}, {}, ("trigger", "pass")),
}
_CHECK_VALUES = {
    "salutation": ("missing", "generic"),
    "signoff": ("closing", "signature"),
    "length": ("short", "long"),
}
_MENTION_FIELDS = ("company", "role", "interviewer")


def _type_name(t: Any) -> str:
    names = {str: "text", dict: "mapping", list: "list", int: "whole number", bool: "true/false", float: "number"}
    if isinstance(t, tuple):
        return " or ".join(names[x] for x in t)
    return names[t]


def _is(value: Any, t: Any) -> bool:
    if t is int and isinstance(value, bool):
        return False
    return isinstance(value, t)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, line: int | None, fld: str | None, msg: str) -> None:
        self.problems.append(Problem(file, line, fld, msg))


def _check_pattern(p: Any, file: str, line: int, fld: str, out: _Collector) -> None:
    if isinstance(p, str):
        words = p.split()
        if not words:
            out.add(file, line, fld, "empty pattern")
        for w in words:
            core = w[:-1] if w.endswith("?") and len(w) > 1 else w
            core = core[1:] if core.startswith("~") and len(core) > 1 else core
            if w.startswith("*") and not _WILDCARD.match(w):
                out.add(file, line, fld, f"wildcard {w!r} must be '*N' with N from 1 to 9")
            elif _WILDCARD.match(w) and not 1 <= int(w[1:]) <= 9:
                out.add(file, line, fld, f"wildcard {w!r} must be '*N' with N from 1 to 9")
            elif "|" in core and any(not alt for alt in core.split("|")):
                out.add(file, line, fld, f"empty alternative in {w!r}")
    elif isinstance(p, list):
        if not p or not all(isinstance(t, dict) for t in p):
            out.add(file, line, fld, "a token pattern must be a non-empty list of token mappings")
        for regex in regexes_in(p):  # no rule may carry a pattern that can hang the linter
            try:
                check_regex(regex)
            except UnsafeRegex as exc:
                out.add(file, line, fld, str(exc))
    else:
        out.add(file, line, fld, f"a pattern must be a phrase (text) or a list of token mappings, not {type(p).__name__}")


def _load_groups(raw: Any, file: str, line: int, fld: str, out: _Collector) -> dict[str, CueGroup]:
    groups: dict[str, CueGroup] = {}
    if not isinstance(raw, dict):
        out.add(file, line, fld, "must be a mapping of group name to patterns")
        return groups
    for name, value in raw.items():
        gline = raw.line_of(name) if isinstance(raw, LocatedDict) else line
        gfld = f"{fld}.{name}"
        if not isinstance(name, str) or not _GROUP.match(name):
            out.add(file, gline, gfld, "group names are lower_case words")
            continue
        if isinstance(value, dict):
            extra = set(value) - {"any"}
            if extra:
                out.add(file, gline, gfld, f"unknown key(s) {sorted(extra)}; a group is a list of patterns or {{any: [groups]}}")
            names = value.get("any")
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                out.add(file, gline, f"{gfld}.any", "must be a list of group names")
                continue
            groups[name] = CueGroup(name, (), tuple(names), file, gline)
        elif isinstance(value, list) and value:
            for p in value:
                _check_pattern(p, file, gline, gfld, out)
            groups[name] = CueGroup(name, tuple(value), (), file, gline)
        else:
            out.add(file, gline, gfld, "must be a non-empty list of patterns")
    return groups


def _load_rule(data: Any, file: str, out: _Collector) -> Rule | None:
    if not isinstance(data, LocatedDict):
        out.add(file, 1, None, "a rule file must be a mapping (code:, name:, kind:, ...)")
        return None
    before = len(out.problems)
    kind = data.get("kind")
    if kind not in KIND_SCHEMAS:
        out.add(file, data.line_of("kind"), "kind", f"unknown kind {kind!r}; expected one of {sorted(KIND_SCHEMAS)}")
        return None
    required, optional, example_keys = KIND_SCHEMAS[kind]
    allowed = {**_COMMON_REQUIRED, **_COMMON_OPTIONAL, **required, **optional}
    for key in data:
        if key not in allowed:
            out.add(file, data.line_of(key), str(key), f"unknown key for a {kind} rule")
    for key, t in {**_COMMON_REQUIRED, **required}.items():
        if key not in data:
            out.add(file, data.line, key, "required field is missing")
    for key, t in allowed.items():
        if key in data and not _is(data[key], t):
            out.add(file, data.line_of(key), key, f"must be {_type_name(t)}")
    if len(out.problems) > before:
        return None

    code, name = data["code"], data["name"]
    if not _CODE.match(code):
        out.add(file, data.line_of("code"), "code", "must look like LL123")
    if not _NAME.match(name):
        out.add(file, data.line_of("name"), "name", "must be lower-case words joined by hyphens")
    for key in ("description", "rationale", "suggestion"):
        if not data[key].strip():
            out.add(file, data.line_of(key), key, "must not be empty")

    section = data.get("section")
    if kind == "section" and section not in SECTIONS:
        out.add(file, data.line_of("section") if "section" in data else data.line, "section", f"must be one of {list(SECTIONS)}")
    elif section is not None and section not in SECTIONS:
        out.add(file, data.line_of("section"), "section", f"must be one of {list(SECTIONS)}")

    severity = _per_status(data, "severity", kind, file, out, lambda v: v in {s.value for s in Severity})
    message = _per_status(data, "message", kind, file, out, lambda v: isinstance(v, str) and bool(v.strip()))

    examples: dict[str, tuple[str, ...]] = {}
    ex = data["examples"]
    for key in ex:
        if key not in example_keys:
            out.add(file, ex.line_of(key), f"examples.{key}", f"unknown example kind; expected {list(example_keys)}")
        elif not isinstance(ex[key], list) or not all(isinstance(t, str) and t.strip() for t in ex[key]):
            out.add(file, ex.line_of(key), f"examples.{key}", "must be a list of texts")
        else:
            examples[key] = tuple(ex[key])
    if sum(len(v) for v in examples.values()) == 0 or len([k for k in examples if examples[k]]) < 2:
        out.add(file, data.line_of("examples"), "examples", "give examples that trigger the rule and examples that do not")

    cues = _load_groups(data.get("cues", {}), file, data.line_of("cues"), "cues", out) if "cues" in data else {}
    variants, advice, insert_at, suggestion_examples = _load_suggestions(data, file, out)

    options = {k: data[k] for k in {**required, **optional} if k in data}
    if kind in _CHECK_VALUES and options.get("check") not in _CHECK_VALUES[kind]:
        out.add(file, data.line_of("check"), "check", f"must be one of {list(_CHECK_VALUES[kind])}")
    if kind == "mentions" and options.get("field") not in _MENTION_FIELDS:
        out.add(file, data.line_of("field"), "field", f"must be one of {list(_MENTION_FIELDS)}")
    if kind == "length" and options.get("words", 0) <= 0:
        out.add(file, data.line_of("words"), "words", "must be a positive whole number")
    for key in ("regions", "weak_regions"):
        if key in options and any(r not in REGIONS for r in options[key]):
            out.add(file, data.line_of(key), key, f"regions are {list(REGIONS)}")
    for key, default in (("signal_threshold", 0.5), ("signal_floor", 0.0)):
        value = options.get(key, default)
        if isinstance(value, bool) or not 0 <= value <= 1:
            out.add(file, data.line_of(key), key, "must be a number from 0 to 1")

    if len(out.problems) > before:
        return None
    return Rule(
        code=code,
        name=name,
        kind=kind,
        severity={k: Severity(v) for k, v in severity.items()},
        message=message,
        description=data["description"].strip(),
        rationale=data["rationale"].strip(),
        suggestion=data["suggestion"].strip(),
        examples=examples,
        options=options,
        cues=cues,
        section=section,
        source=file,
        line=data.line,
        variants=variants,
        advice=advice,
        insert_at=insert_at,
        suggestion_examples=suggestion_examples,
    )


def _load_suggestions(data: LocatedDict, file: str, out: _Collector):
    """``suggestion`` (a template), ``suggestions`` (more wordings, each {text, register?, medium?}),
    ``advice``, ``insert_at`` and ``suggestion_examples`` ({letter, suggestion} pairs)."""
    advice = data.get("advice")
    if advice is not None:
        advice = advice.strip()
        for problem in template_problems(advice, allow_required=False):
            out.add(file, data.line_of("advice"), "advice", problem)
    base = data["suggestion"].strip()
    for problem in template_problems(base, allow_required=advice is not None):
        out.add(file, data.line_of("suggestion"), "suggestion", problem)
    variants = [Variant(base, line=data.line_of("suggestion"))]
    raw = data.get("suggestions", [])
    for n, item in enumerate(raw):
        line = item.line if isinstance(item, LocatedDict) else data.line_of("suggestions")
        where = f"suggestions[{n}]"
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or not item["text"].strip():
            out.add(file, line, where, "each wording is a mapping with text (and optionally register, medium)")
            continue
        for key in set(item) - {"text", "register", "medium"}:
            out.add(file, item.line_of(key) if isinstance(item, LocatedDict) else line, f"{where}.{key}", "unknown key; expected text, register, medium")
        for key, allowed in (("register", REGISTERS), ("medium", MEDIA)):
            if key in item and item[key] not in allowed:
                out.add(file, line, f"{where}.{key}", f"must be one of {list(allowed)}")
        for problem in template_problems(item["text"].strip()):
            out.add(file, line, f"{where}.text", problem)
        variants.append(Variant(item["text"].strip(), item.get("register"), item.get("medium"), line))
    insert_at = data.get("insert_at")
    if insert_at is not None and insert_at not in INSERT_PLACES:
        out.add(file, data.line_of("insert_at"), "insert_at", f"must be one of {list(INSERT_PLACES)}")
    examples = []
    for n, item in enumerate(data.get("suggestion_examples", [])):
        line = item.line if isinstance(item, LocatedDict) else data.line_of("suggestion_examples")
        if not isinstance(item, dict) or set(item) != {"letter", "suggestion"} \
                or not all(isinstance(item[k], str) and item[k].strip() for k in item):
            out.add(file, line, f"suggestion_examples[{n}]", "each example is {letter: text, suggestion: the suggestion it gets}")
            continue
        examples.append((item["letter"], item["suggestion"].strip()))
    return tuple(variants), advice, insert_at, tuple(examples)


def _per_status(data: LocatedDict, key: str, kind: str, file: str, out: _Collector, ok) -> dict[str, Any]:
    """Section rules may give severity/message per status (weak, missing); others a single value."""
    value = data[key]
    if isinstance(value, dict):
        if kind != "section":
            out.add(file, data.line_of(key), key, "only section rules take a value per status")
            return {}
        result = {}
        for status in ("weak", "missing"):
            if status not in value:
                out.add(file, value.line, f"{key}.{status}", "required field is missing")
            elif not ok(value[status]):
                out.add(file, value.line_of(status), f"{key}.{status}", "invalid value")
            else:
                result[status] = value[status]
        # message.ps: what to say when a real ask is weak only because it sits in a P.S.
        optional = {"ps"} if key == "message" else set()
        for extra in optional & set(value):
            if ok(value[extra]):
                result[extra] = value[extra]
            else:
                out.add(file, value.line_of(extra), f"{key}.{extra}", "invalid value")
        allowed = "'weak', 'missing' and 'ps'" if optional else "'weak' and 'missing'"
        for extra in set(value) - {"weak", "missing"} - optional:
            out.add(file, value.line_of(extra), f"{key}.{extra}", f"expected only {allowed}")
        return result
    if not ok(value):
        out.add(file, data.line_of(key), key, "invalid value")
        return {}
    return {"": value}


def _conditions(rule: Rule) -> list[tuple[str, Any]]:
    """(field, value) pairs naming cue groups, for reference checks."""
    refs: list[tuple[str, Any]] = []
    for key in ("present", "weak", "match"):
        for conj in rule.options.get(key, []):
            refs.append((key, conj))
    for key in ("negation", "exclude", "demote"):
        if key in rule.options:
            refs.append((key, rule.options[key]))
    return refs


def _check_references(rule: Rule, lexicon: Mapping[str, CueGroup], out: _Collector) -> None:
    known = set(rule.cues) | set(lexicon) | set(BUILTIN_CUES)
    for fld, names in _conditions(rule):
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            out.add(rule.source, rule.line, fld, "each condition is a non-empty list of cue group names")
            continue
        for n in names:
            if n not in known:
                out.add(rule.source, rule.line, fld, f"unknown cue group {n!r} (not in the rule's cues nor lexicon.yml)")
            elif n == _SIGNAL and rule.kind != "section":
                out.add(rule.source, rule.line, fld, f"{_SIGNAL} scores the rule's own section; only section rules can use it")


def _load_scoring(data: Any, file: str, out: _Collector) -> Scoring | None:
    if not isinstance(data, LocatedDict):
        out.add(file, 1, None, "scoring must be a mapping")
        return None
    allowed = {"weights", "weak_credit", "deductions", "deduction_cap", "verdicts"}
    for key in data:
        if key not in allowed:
            out.add(file, data.line_of(key), str(key), "unknown key")
    for key in allowed:
        if key not in data:
            out.add(file, data.line, key, "required field is missing")
    if out.problems:
        return None
    weights = data["weights"]
    if not isinstance(weights, dict) or set(weights) != set(SECTIONS):
        out.add(file, data.line_of("weights"), "weights", f"must give a weight for each of {list(SECTIONS)}")
    elif not all(_is(v, (int, float)) and v >= 0 for v in weights.values()):
        out.add(file, data.line_of("weights"), "weights", "weights are numbers >= 0")
    elif abs(sum(weights.values()) - 100) > 1e-9:
        out.add(file, data.line_of("weights"), "weights", f"must add up to 100 (they add up to {sum(weights.values())})")
    if not _is(data["weak_credit"], (int, float)) or not 0 <= data["weak_credit"] <= 1:
        out.add(file, data.line_of("weak_credit"), "weak_credit", "must be a number from 0 to 1")
    ded = data["deductions"]
    if not isinstance(ded, dict) or set(ded) != {s.value for s in Severity} or not all(_is(v, (int, float)) and v >= 0 for v in ded.values()):
        out.add(file, data.line_of("deductions"), "deductions", "must give points >= 0 for error, warning and info")
    if not _is(data["deduction_cap"], (int, float)) or not 0 <= data["deduction_cap"] <= 100:
        out.add(file, data.line_of("deduction_cap"), "deduction_cap", "must be a number from 0 to 100")
    verdicts = []
    vlist = data["verdicts"]
    if not isinstance(vlist, list) or not vlist:
        out.add(file, data.line_of("verdicts"), "verdicts", "must be a non-empty list")
    else:
        for v in vlist:
            vline = v.line if isinstance(v, LocatedDict) else data.line_of("verdicts")
            if not isinstance(v, dict) or not isinstance(v.get("verdict"), str) or not _is(v.get("min_score"), int):
                out.add(file, vline, "verdicts", "each verdict needs 'verdict' (text) and 'min_score' (whole number)")
                continue
            extra = set(v) - {"verdict", "min_score", "max_severity"}
            if extra:
                out.add(file, vline, "verdicts", f"unknown key(s) {sorted(extra)}")
            ms = v.get("max_severity")
            if ms is not None and ms not in {s.value for s in Severity}:
                out.add(file, vline, "verdicts.max_severity", "must be error, warning or info")
                continue
            verdicts.append(Verdict(v["verdict"], v["min_score"], Severity(ms) if ms else None))
        if verdicts and min(v.min_score for v in verdicts) > 0:
            out.add(file, data.line_of("verdicts"), "verdicts", "one verdict must have min_score 0 so every score gets one")
    if out.problems:
        return None
    return Scoring(
        weights={k: float(weights[k]) for k in SECTIONS},
        weak_credit=float(data["weak_credit"]),
        deductions={Severity(k): float(v) for k, v in ded.items()},
        deduction_cap=float(data["deduction_cap"]),
        verdicts=tuple(sorted(verdicts, key=lambda v: -v.min_score)),
    )


def _read(path: Path, out: _Collector) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        out.add(str(path), None, None, f"cannot read: {exc.__class__.__name__}")
        return None
    data, problem = load_yaml(text, str(path))
    if problem:
        out.problems.append(problem)
    return data


def load_ruleset(extra_dirs: list[Path] | None = None, base_dir: Path | None = None) -> RuleSet:
    """Load the built-in rules plus any extra folders. Raises RuleError listing every problem."""
    out = _Collector()
    dirs = [base_dir or _builtin_rules_dir()] + list(extra_dirs or [])
    lexicon: dict[str, CueGroup] = {}
    scoring: Scoring | None = None
    rules: dict[str, Rule] = {}
    names: dict[str, str] = {}
    for d in dirs:
        if not d.is_dir():
            out.add(str(d), None, None, "rule folder does not exist")
            continue
        lex_path = d / "lexicon.yml"
        if lex_path.is_file():
            data = _read(lex_path, out)
            if data is not None:
                if not isinstance(data, LocatedDict) or set(data) != {"groups"}:
                    out.add(str(lex_path), 1, None, "lexicon.yml must have exactly one key, 'groups'")
                else:
                    lexicon.update(_load_groups(data["groups"], str(lex_path), data.line_of("groups"), "groups", out))
        score_path = d / "scoring.yml"
        if score_path.is_file():
            data = _read(score_path, out)
            if data is not None:
                scoring = _load_scoring(data, str(score_path), out) or scoring
        seen_here: dict[str, str] = {}
        for path in sorted(d.rglob("*.yml")) + sorted(d.rglob("*.yaml")):
            if path.name in ("lexicon.yml", "scoring.yml"):
                continue
            data = _read(path, out)
            if data is None:
                continue
            rule = _load_rule(data, str(path), out)
            if rule is None:
                continue
            if rule.code in seen_here:
                out.add(str(path), rule.line, "code", f"duplicate code {rule.code} (also in {seen_here[rule.code]})")
                continue
            seen_here[rule.code] = str(path)
            if rule.name in names and names[rule.name] != rule.code:
                out.add(str(path), rule.line, "name", f"name {rule.name!r} is already used by {names[rule.name]}")
                continue
            rules[rule.code] = rule  # a later folder overrides an earlier one
            names[rule.name] = rule.code
    for group in lexicon.values():
        for ref in group.any_of:
            if ref not in lexicon and ref not in BUILTIN_CUES:
                out.add(group.source, group.line, f"groups.{group.name}", f"unknown cue group {ref!r}")
            elif ref == _SIGNAL:
                out.add(group.source, group.line, f"groups.{group.name}", f"{_SIGNAL} scores a rule's own section; name it in the section rule, not in a shared group")
    for rule in rules.values():
        _check_references(rule, lexicon, out)
    if scoring is None and not out.problems:
        out.add(str(dirs[0]), None, None, "no scoring.yml found")
    if out.problems:
        raise RuleError(out.problems)
    assert scoring is not None
    ordered = tuple(sorted(rules.values(), key=lambda r: r.code))
    return RuleSet(ordered, lexicon, scoring, tuple(str(d) for d in dirs))
