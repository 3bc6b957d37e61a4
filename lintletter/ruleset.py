"""Rule files (``rules/*.yml``) to validated, immutable :class:`Rule` objects.

Layout of a rules folder::

    rules/lexicon.yml        shared cue groups (asks, negation, hedges...) that rules refer to by name
    rules/scoring.yml        the score rubric
    rules/<area>/<CODE>-<name>.yml   one rule per file

Loading is strict: unknown keys, wrong types, unknown cue names and duplicate codes are all errors,
and every problem in every file is reported at once, each naming file, line and field.
Extra folders (``--rules DIR``) add rules. A rule whose code an earlier folder already defines must
say ``replace: true``, and a group an earlier ``lexicon.yml`` defines must be listed under
``replace:`` (or ``extend:``): nothing built in is overridden by accident. An ``extend: CODE`` file
adds phrasings (cue patterns, conditions, examples) to an existing rule without copying it.
This module reads the rule files themselves: each is decoded by its kind's ``Options``
(``lintletter/checks/<kind>.py``), and the cue group names it gives are resolved. Cue groups are
read by :mod:`lintletter.cuegroups`, the rubric by :mod:`lintletter.scoring`. Nothing here imports
spaCy: patterns are checked for shape when they load and compiled in :mod:`lintletter.cues`.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from .checks import KINDS, Kind
from .cuegroups import (
    check_code_groups, check_group_loops, check_lexicon_names, load_groups, load_lexicon, merge_groups,
)  # fmt: skip
from .errors import RuleError
from .model import (  # the rule values; imported from here by older code
    BUILTIN_CUES, BUILTIN_RULES, REGIONS, SECTIONS, CueGroup, Rule, RuleSet, Scoring, Severity, Verdict,
    builtin_rules_dir,
)  # fmt: skip
from .scoring import load_rubric
from .section_signal import SIGNAL_CUES
from .suggest import load_suggestions
from .validate import Collector as _Collector
from .validate import decode, is_type as _is, read_value, specs, type_name as _type_name
from .located import LocatedDict

__all__ = [
    "BUILTIN_CUES", "BUILTIN_RULES", "REGIONS", "CueGroup", "Rule", "RuleSet", "Scoring", "Verdict", "load_ruleset",
]  # fmt: skip

_CODE = re.compile(r"^LL\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


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
_COMMON_OPTIONAL = {"section": str, "cues": dict, "replace": bool, "suggestions": list, "advice": str,
                    "insert_at": str, "suggestion_examples": list}


def _kind_fields(kind: Kind) -> tuple[dict[str, Any], tuple[str, ...]]:
    """A kind's option fields (name -> YAML types) and which of them name cue groups."""
    fields = specs(kind.options)
    return {k: v.types for k, v in fields.items()}, tuple(k for k, v in fields.items() if v.cues)


@dataclass(frozen=True)
class _References:
    """The cue group names a rule file gives, kept even when the file has other problems, so that
    unknown names are reported in the same run as everything else."""

    source: str
    line: int
    kind: Any
    cues: Mapping[str, CueGroup]
    #: (field, its line, the names it gives): one entry per conjunction or list of group names
    names: tuple[tuple[str, int, tuple[str, ...]], ...]


def _references(kind: Kind, values: Mapping[str, Any], data: LocatedDict) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """What ``values`` (option fields that decoded) name, by the kind's fields that name cue groups."""
    out = []
    for key, spec in specs(kind.options).items():
        if key not in values or not spec.cues:
            continue
        line = data.line_of(key) if key in data else data.line
        lists = values[key] if spec.cues == "conjunctions" else [values[key]]
        out.extend((key, line, tuple(names)) for names in lists)
    return tuple(out)


_SEVERITIES = ", ".join(s.value for s in Severity)


def _load_rule(data: Any, file: str, out: _Collector) -> tuple[Rule | None, _References | None]:
    """Validate one rule file, reporting every problem it has in one pass (not the first round of
    them): a missing or mistyped field is reported and the fields that are fine are still checked."""
    if not isinstance(data, LocatedDict):
        out.add(file, 1, None, "a rule file must be a mapping (code:, name:, kind:, ...)")
        return None, None
    before = len(out.problems)
    kind = data.get("kind")
    definition = KINDS.get(kind) if isinstance(kind, str) else None  # a list or mapping cannot be looked up
    if definition is None:
        out.add(file, data.line_of("kind"), "kind", f"unknown kind {kind!r}; expected one of {sorted(KINDS)}")
    option_fields = _kind_fields(definition)[0] if definition is not None else {}
    allowed = {**_COMMON_REQUIRED, **_COMMON_OPTIONAL, **option_fields}
    if definition is not None:  # without a kind there is no telling which keys belong
        for key in data:
            if key not in allowed:
                out.add(file, data.line_of(key), str(key), f"unknown key for a {kind} rule")
    for key in _COMMON_REQUIRED:
        if key not in data:
            out.add(file, data.line, key, "required field is missing")
    # the kind's options, decoded by its module's Options (types, values, defaults)
    options, fine = decode(definition.options, data, file, out, missing_line=data.line) if definition is not None else (None, {})
    ok: dict[str, Any] = {}  # the common fields that are there with the right type: checked further
    for key, t in {**_COMMON_REQUIRED, **_COMMON_OPTIONAL}.items():
        if key in data:
            if _is(data[key], t):
                ok[key] = data[key]
            else:
                out.add(file, data.line_of(key), key, f"must be {_type_name(t)}")

    code, name = ok.get("code"), ok.get("name")
    if code is not None and not _CODE.match(code):
        out.add(file, data.line_of("code"), "code", "must look like LL123")
    if name is not None and not _NAME.match(name):
        out.add(file, data.line_of("name"), "name", "must be lower-case words joined by hyphens")
    for key in ("description", "rationale", "suggestion"):
        if key in ok and not ok[key].strip():
            out.add(file, data.line_of(key), key, "must not be empty")

    section = ok.get("section")
    section_rule = definition is not None and definition.section_rule
    if section_rule and section not in SECTIONS and ("section" in ok or "section" not in data):
        out.add(file, data.line_of("section") if "section" in data else data.line, "section", f"must be one of {list(SECTIONS)}")
    elif section is not None and section not in SECTIONS:
        out.add(file, data.line_of("section"), "section", f"must be one of {list(SECTIONS)}")

    severity = message = {}
    if "severity" in ok:
        severity = _per_status(
            data, "severity", section_rule, file, out, lambda v: isinstance(v, str) and v in {s.value for s in Severity},
            f"must be one of {_SEVERITIES}",
        )  # fmt: skip
    if "message" in ok:
        message = _per_status(data, "message", section_rule, file, out, lambda v: isinstance(v, str) and bool(v.strip()), "must be a non-empty text")

    examples: dict[str, tuple[str, ...]] = {}
    if "examples" in ok:
        ex = ok["examples"]
        for key in ex:
            if definition is not None and key not in definition.examples:
                out.add(file, ex.line_of(key), f"examples.{key}", f"unknown example kind; expected {list(definition.examples)}")
            elif not isinstance(ex[key], list) or not all(isinstance(t, str) and t.strip() for t in ex[key]):
                out.add(file, ex.line_of(key), f"examples.{key}", "must be a list of texts")
            else:
                examples[key] = tuple(ex[key])
        if sum(len(v) for v in examples.values()) == 0 or len([k for k in examples if examples[k]]) < 2:
            out.add(file, data.line_of("examples"), "examples", "give examples that trigger the rule and examples that do not")

    cues = load_groups(ok["cues"], file, data.line_of("cues"), "cues", out) if "cues" in ok else {}
    # (a rule whose suggestion is missing or not text is already reported; its wordings are not read)
    variants, advice, insert_at, suggestion_examples = (
        load_suggestions(data, ok, file, out) if isinstance(ok.get("suggestion"), str) else ((), None, None, ())
    )

    refs = _References(file, data.line, kind, cues, _references(definition, fine, data) if definition is not None else ())
    if len(out.problems) > before:
        return None, refs
    rule = Rule(
        code=code,
        name=name,
        kind=kind,
        severity={k: Severity(v) for k, v in severity.items()},
        message=message,
        description=ok["description"].strip(),
        rationale=ok["rationale"].strip(),
        suggestion=ok["suggestion"].strip(),
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
    return rule, refs


def _per_status(data: LocatedDict, key: str, per_status: bool, file: str, out: _Collector, ok, expected: str) -> dict[str, Any]:
    """Section rules may give severity/message per status (weak, missing); others a single value."""
    value = data[key]
    if isinstance(value, dict):
        if not per_status:
            out.add(file, data.line_of(key), key, "only section rules take a value per status")
            return {}
        result = {}
        for status in ("weak", "missing"):
            if status not in value:
                out.add(file, value.line, f"{key}.{status}", "required field is missing")
            elif not ok(value[status]):
                out.add(file, value.line_of(status), f"{key}.{status}", f"invalid value {value[status]!r}; {expected}")
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
        out.add(file, data.line_of(key), key, f"invalid value {value!r}; {expected}")
        return {}
    return {"": value}


def _check_references(refs: _References, lexicon: Mapping[str, CueGroup], out: _Collector) -> None:
    """Every cue group name a rule gives is its own group, a lexicon group or a built-in condition."""
    known = set(refs.cues) | set(lexicon) | set(BUILTIN_CUES)
    section_rule = isinstance(refs.kind, str) and refs.kind in KINDS and KINDS[refs.kind].section_rule
    for fld, line, names in refs.names:
        for n in names:
            if n not in known:
                out.add(refs.source, line, fld, f"unknown cue group {n!r} (not in the rule's cues nor lexicon.yml)")
            elif n in SIGNAL_CUES and not section_rule:
                out.add(refs.source, line, fld, f"{n} scores the rule's own section; only section rules can use it")


def _read(path: Path, out: _Collector) -> Any:
    from .reading import MAX_SETTINGS_BYTES, Unreadable, read_bounded

    try:
        text = read_bounded(path, MAX_SETTINGS_BYTES).decode("utf-8")
    except Unreadable as exc:
        out.add(str(path), None, None, f"cannot read: {exc}")
        return None
    except UnicodeDecodeError:
        out.add(str(path), None, None, "cannot read: not UTF-8 text")
        return None
    from .yamlload import load_yaml  # PyYAML only when a rule file is read: not from the compiled-rules cache

    data, problem = load_yaml(text, str(path))
    if problem:
        out.problems.append(problem)
    return data


def _extend_rule(data: LocatedDict, file: str, rules: Mapping[str, Rule], out: _Collector) -> tuple[Rule, _References] | None:
    """An ``extend: CODE`` file: add cue patterns, conditions (the kind's options that name cue
    groups) and examples to an existing rule."""
    target_name = data["extend"]
    target = next((r for r in rules.values() if isinstance(target_name, str) and target_name.lower() in (r.code.lower(), r.name)), None)
    if target is None:
        out.add(file, data.line_of("extend"), "extend", f"no rule {target_name!r} to extend")
        return None
    kind = KINDS[target.kind]
    conditions = _kind_fields(kind)[1]
    allowed = {"extend", "cues", "examples", *conditions}
    before = len(out.problems)
    for key in data:
        if key not in allowed:
            out.add(file, data.line_of(key), str(key), f"an extension of a {target.kind} rule takes {sorted(allowed - {'extend'})}")
    added_options: dict[str, Any] = {}
    fields = specs(kind.options)
    for key in conditions:
        if key in data:
            value, problem = read_value(fields[key], data[key]) if isinstance(data[key], list) else (None, "must be a list")
            if problem:
                out.add(file, data.line_of(key), key, problem)
            else:
                added_options[key] = getattr(target.options, key) + value
    cues = dict(target.cues)
    if "cues" in data:
        added = load_groups(data["cues"], file, data.line_of("cues"), "cues", out)
        used = {n for k in conditions for conj in data.get(k, []) or [] for n in (conj if isinstance(conj, list) else [conj])}
        for name, group in added.items():
            if name in cues:
                merged = merge_groups(cues[name], group, file, f"cues.{name}", out)
                if merged is not None:
                    cues[name] = merged
            elif name in used:
                cues[name] = group
            else:
                own = ", ".join(sorted(target.cues)) or "none"
                out.add(file, group.line, f"cues.{name}",
                        f"{target.code} has no cue group {name!r} (its own: {own}); a new group must be used in "
                        "this file's conditions, and a shared group is extended in a lexicon.yml")  # fmt: skip
    examples = {k: tuple(v) for k, v in target.examples.items()}
    ex = data.get("examples", {})
    if not isinstance(ex, dict):
        out.add(file, data.line_of("examples"), "examples", "must be a mapping")
    else:
        for key, texts in ex.items():
            if key not in kind.examples:
                out.add(file, data.line_of("examples"), f"examples.{key}", f"unknown example kind; expected {list(kind.examples)}")
            elif not isinstance(texts, list) or not all(isinstance(t, str) and t.strip() for t in texts):
                out.add(file, data.line_of("examples"), f"examples.{key}", "must be a list of texts")
            else:
                examples[key] = examples.get(key, ()) + tuple(texts)
    if len(out.problems) > before:
        return None
    options = dataclasses.replace(target.options, **added_options)
    # every name the extended rule gives is checked again: the file's own groups may hide shared ones
    names = _references(kind, {k: getattr(options, k) for k in conditions}, data)
    extended = dataclasses.replace(target, cues=cues, options=options, examples=examples)
    return extended, _References(file, data.line, target.kind, cues, names)


def _rule_files(folder: Path) -> list[Path]:
    """Every ``*.yml`` then every ``*.yaml`` under ``folder``, each sorted (hidden names skipped);
    walked without recursion, so a deep folder tree is no RecursionError, and at most
    :data:`~lintletter.reading.MAX_RULE_TREE` entries (else :class:`~lintletter.reading.TreeTooLarge`)."""
    from .reading import MAX_RULE_TREE, walk

    found = list(walk(folder, MAX_RULE_TREE))
    return sorted(p for p in found if p.name.endswith(".yml")) + sorted(p for p in found if p.name.endswith(".yaml"))


def load_ruleset(extra_dirs: list[Path] | None = None, base_dir: Path | None = None) -> RuleSet:
    """Load the built-in rules plus any extra folders. Raises RuleError listing every problem."""
    out = _Collector()
    dirs: list[Path] = []
    for d in [base_dir or builtin_rules_dir()] + list(extra_dirs or []):  # a folder named twice loads once
        if Path(d).resolve() not in {x.resolve() for x in dirs}:
            dirs.append(Path(d))
    lexicon: dict[str, CueGroup] = {}
    scoring: Scoring | None = None
    rules: dict[str, Rule] = {}
    names: dict[str, str] = {}
    references: list[_References] = []
    extensions: list[tuple[str, LocatedDict]] = []
    lexicon_files: list[tuple[str, int | None]] = []  # (file, line of its groups:), as read
    lexicon_unread = False
    for d in dirs:
        if not d.is_dir():
            out.add(str(d), None, None, "rule folder does not exist")
            continue
        from .reading import TreeTooLarge

        try:
            files = _rule_files(d)
        except TreeTooLarge as exc:
            out.add(str(d), None, None, f"rule folder {exc}; it is not read (is `rules:` the right folder?)")
            continue
        lex_path = d / "lexicon.yml"
        if lex_path.is_file():
            data = _read(lex_path, out)
            lexicon_unread |= data is None
            if data is not None:
                load_lexicon(data, str(lex_path), lexicon, out)
                lexicon_files.append((str(lex_path), data.line_of("groups") if isinstance(data, LocatedDict) and "groups" in data else 1))
        score_path = d / "scoring.yml"
        if score_path.is_file():
            data = _read(score_path, out)
            if data is not None:
                scoring = load_rubric(data, str(score_path), out) or scoring
        seen_here: dict[str, str] = {}
        for path in files:
            if path.name in ("lexicon.yml", "scoring.yml"):
                continue
            data = _read(path, out)
            if data is None:
                continue
            if isinstance(data, LocatedDict) and "extend" in data:
                extensions.append((str(path), data))  # applied once every folder's rules are in
                continue
            rule, refs = _load_rule(data, str(path), out)
            if refs is not None:
                references.append(refs)
            if rule is None:
                continue
            if rule.code in seen_here:
                out.add(str(path), rule.line, "code", f"duplicate code {rule.code} (also in {seen_here[rule.code]})")
                continue
            seen_here[rule.code] = str(path)
            replacing = data.get("replace") is True
            if rule.code in rules and not replacing:
                out.add(str(path), data.line_of("code"), "code",
                        f"{rule.code} is already defined in {rules[rule.code].source}; add 'replace: true' to "
                        f"replace it, or write a file with 'extend: {rule.code}' to add phrasings to it")  # fmt: skip
                continue
            if replacing and rule.code not in rules:
                out.add(str(path), data.line_of("replace"), "replace", f"no earlier rule folder defines {rule.code}: nothing to replace")
                continue
            if rule.name in names and names[rule.name] != rule.code:
                out.add(str(path), rule.line, "name", f"name {rule.name!r} is already used by {names[rule.name]}")
                continue
            rules[rule.code] = rule  # replace: true, checked above
            names[rule.name] = rule.code
    for file, data in extensions:
        done = _extend_rule(data, file, rules, out)
        if done is not None:
            rules[done[0].code] = done[0]
            references.append(done[1])
    if not lexicon_unread:  # (a lexicon that did not parse is reported; its groups would be noise)
        check_code_groups(lexicon, lexicon_files[0] if lexicon_files else (str(dirs[0] / "lexicon.yml"), None), out)
    check_lexicon_names(lexicon, out)
    for refs in references:
        _check_references(refs, lexicon, out)
    check_group_loops(lexicon, list(rules.values()), out)
    if scoring is None and not out.problems:
        out.add(str(dirs[0]), None, None, "no scoring.yml found")
    if out.problems:
        # spaCy checks hand-written patterns when the rules compile; on this error path, check them
        # now, so that a bad pattern is not left for another round (spaCy is imported only here).
        from .cues import pattern_problems

        groups = list(lexicon.values()) + [g for refs in references for g in refs.cues.values()]
        out.problems.extend(pattern_problems(groups))
        raise RuleError(out.problems)
    assert scoring is not None
    ordered = tuple(sorted(rules.values(), key=lambda r: r.code))
    return RuleSet(ordered, lexicon, scoring)
