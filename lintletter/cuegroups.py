"""Cue groups read from rule files: ``lexicon.yml``'s shared groups and each rule's own ``cues:``.

A group is a list of patterns (a phrase, or a list of spaCy token mappings) or ``{any: [groups]}``,
the union of other groups. Here their shape is checked (a phrase's words, by :mod:`lintletter.phrases`' grammar, a token pattern's regexes,
group names), a folder's ``lexicon.yml`` adds, extends or replaces groups, and the groups are checked
as a whole: every ``any`` name exists, none name each other in a loop, and the groups lintletter's
code looks up by name are defined. Patterns are compiled against a vocabulary in :mod:`lintletter.cues`.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from .checks import lexicon_used
from .model import BUILTIN_CUES, CueGroup, Rule
from .section_signal import SIGNAL_CUES
from .phrases import PhraseError, parse_phrase
from .regex_safety import UnsafeRegex, regexes_in
from .regex_safety import check as check_regex
from .validate import Collector
from .located import LocatedDict

_GROUP = re.compile(r"^[a-z][a-z0-9_]*$")


def check_pattern(p: Any, file: str, line: int, fld: str, out: Collector) -> None:
    if isinstance(p, str):
        try:
            parse_phrase(p)
        except PhraseError as exc:
            for message in exc.messages:
                out.add(file, line, fld, message)
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


def load_groups(raw: Any, file: str, line: int, fld: str, out: Collector) -> dict[str, CueGroup]:
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
                check_pattern(p, file, gline, gfld, out)
            groups[name] = CueGroup(name, tuple(value), (), file, gline)
        else:
            out.add(file, gline, gfld, "must be a non-empty list of patterns")
    return groups


_LEXICON_KEYS = ("groups", "extend", "replace")


def load_lexicon(data: Any, file: str, lexicon: dict[str, CueGroup], out: Collector) -> None:
    """``groups:`` adds new shared groups; ``extend:`` adds patterns to existing ones; ``replace:``
    redefines existing ones. Redefining a group under ``groups:`` is an error, not a silent override."""
    if not isinstance(data, LocatedDict) or not data or set(data) - set(_LEXICON_KEYS):
        out.add(file, 1, None, "lexicon.yml has 'groups' (new groups), and may have 'extend' and 'replace' (existing groups)")
        return
    for key in _LEXICON_KEYS:
        if key not in data:
            continue
        for name, group in load_groups(data[key], file, data.line_of(key), key, out).items():
            earlier = lexicon.get(name)
            if key == "groups" and earlier is not None:
                out.add(file, group.line, f"groups.{name}",
                        f"cue group {name!r} is already defined in {earlier.source}; list it under 'extend:' "
                        "to add phrasings, or under 'replace:' to redefine it")  # fmt: skip
            elif key != "groups" and earlier is None:
                out.add(file, group.line, f"{key}.{name}", f"no cue group {name!r} to {key}; define it under 'groups:'")
            elif key == "extend":
                merged = merge_groups(earlier, group, file, f"extend.{name}", out)
                if merged is not None:
                    lexicon[name] = merged
            else:
                lexicon[name] = group


def merge_groups(earlier: CueGroup, more: CueGroup, file: str, fld: str, out: Collector) -> CueGroup | None:
    """``earlier`` with ``more``'s patterns (or ``any`` names) added; the result is checked as the
    extending file's (its hand-written patterns are validated like any house rule's)."""
    if bool(earlier.any_of) != bool(more.any_of):
        shape = "{any: [groups]}" if earlier.any_of else "a list of patterns"
        out.add(file, more.line, fld, f"{earlier.name!r} is {shape}; extend it with the same")
        return None
    return CueGroup(earlier.name, earlier.patterns + more.patterns, earlier.any_of + more.any_of, file, more.line)


def check_code_groups(lexicon: Mapping[str, CueGroup], where: tuple[str, int | None], out: Collector) -> None:
    """The shared groups lintletter's code looks up by name must be defined: a renamed ``greeting``
    would otherwise load fine and LL302 silently stop telling a bare "Hi," from a greeting by name."""
    for name, why in lexicon_used().items():
        if name not in lexicon:
            out.add(where[0], where[1], f"groups.{name}",
                    f"cue group {name!r} is missing; lintletter's code looks it up by name ({why})")  # fmt: skip


def check_group_loops(lexicon: Mapping[str, CueGroup], rules: list[Rule], out: Collector) -> None:
    """``{any: [...]}`` groups must not name each other in a loop, seen from any rule (a rule's own
    groups hide lexicon groups of the same name), and a rule's own ``any`` must name known groups."""
    reported: set[frozenset[tuple[str, str]]] = set()
    for rule in [None, *rules]:
        local = rule.cues if rule is not None else {}
        where = rule.code if rule is not None else ""

        def node(name: str) -> tuple[str, str] | None:
            if name in local:
                return (where, name)
            return ("", name) if name in lexicon else None

        def group(n: tuple[str, str]) -> CueGroup:
            return local[n[1]] if n[0] else lexicon[n[1]]

        if rule is not None:
            for g in local.values():
                for ref in g.any_of:
                    if node(ref) is None and ref not in BUILTIN_CUES:
                        out.add(g.source, g.line, f"cues.{g.name}.any", f"unknown cue group {ref!r}")
        state: dict[tuple[str, str], int] = {}  # 1: on the current path, 2: done
        starts = [("", n) for n in lexicon] + [(where, n) for n in local]
        for first in starts:
            if first in state:
                continue
            path = [first]
            todo = [iter(group(first).any_of)]
            state[first] = 1
            while todo:
                ref = next(todo[-1], None)
                if ref is None:
                    state[path.pop()] = 2
                    todo.pop()
                    continue
                target = node(ref)
                if target is None:
                    continue
                if state.get(target) == 1:
                    loop = path[path.index(target) :] + [target]
                    key = frozenset(loop)
                    if key not in reported:
                        reported.add(key)
                        g = group(target)
                        names = " -> ".join(n for _, n in loop)
                        out.add(g.source, g.line, g.name, f"cue groups name each other in a loop: {names}")
                    continue
                if target not in state:
                    state[target] = 1
                    path.append(target)
                    todo.append(iter(group(target).any_of))


def check_lexicon_names(lexicon: Mapping[str, CueGroup], out: Collector) -> None:
    """A shared ``{any: [...]}`` group names only known groups, and never ``$signal``."""
    for group in lexicon.values():
        for ref in group.any_of:
            if ref not in lexicon and ref not in BUILTIN_CUES:
                out.add(group.source, group.line, f"groups.{group.name}", f"unknown cue group {ref!r}")
            elif ref in SIGNAL_CUES:
                out.add(group.source, group.line, f"groups.{group.name}", f"{ref} scores a rule's own section; name it in the section rule, not in a shared group")
