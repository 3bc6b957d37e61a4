"""Regular expressions in rules must not be able to hang the linter on a hostile letter.

A rule may use spaCy's ``REGEX`` token predicate (e.g. LL307 placeholders). spaCy runs it with
``re.search`` on every token, and a token can be a megabyte long (a pasted blob with no spaces), so a
backtracking pattern such as ``(a+)+$`` would stall a run. Rather than time patterns (flaky), every
regex is checked statically when rules load; a pattern passes only if it is

* at most ``MAX_LENGTH`` characters and compiles;
* anchored with ``^``, so ``re.search`` tries one start position instead of every one;
* free of backreferences and lookarounds;
* free of nested repetition (a repeat inside a repeat, or alternation inside a repeat), also
  inside atomic groups ``(?>...)``;
* has at most one *wide* repeat along any path through the pattern: unbounded (``+``, ``*``,
  ``{n,}``) or with more than ``WIDE_REPEAT`` choices (``a{0,99999}`` is as wide as ``a*``);
* has at most ``MAX_CHOICES`` ways to match along its narrow repeats and alternations together
  (``a{0,9}a{0,9}a{0,9}`` has 1,000), each of which backtracking may try at every length.

These keep matching linear in the token's length. The checks walk the parse tree of Python's own
regex parser (``re._parser``), so they judge what the engine will run.
"""

from __future__ import annotations

import re

try:  # Python 3.11+ names it re._parser; keep working if it moves back to sre_parse
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

MAX_LENGTH = 200
#: A repeat with more choices than this (hi - lo + 1) counts as unbounded.
WIDE_REPEAT = 10
#: The product of the narrow repeats' and alternations' choices along the pattern.
MAX_CHOICES = 100
_ATOMIC = getattr(sre_parse, "ATOMIC_GROUP", None)
_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)} - {None}
_FORBIDDEN = {
    sre_parse.GROUPREF: "backreferences",
    sre_parse.GROUPREF_EXISTS: "conditional backreferences",
    sre_parse.ASSERT: "lookahead/lookbehind",
    sre_parse.ASSERT_NOT: "negative lookahead/lookbehind",
}


class UnsafeRegex(ValueError):
    pass


def check(pattern: str) -> None:
    """Raise :class:`UnsafeRegex` with a one-line reason if ``pattern`` could backtrack badly."""
    if not isinstance(pattern, str):
        raise UnsafeRegex("REGEX must be text")
    if len(pattern) > MAX_LENGTH:
        raise UnsafeRegex(f"REGEX is longer than {MAX_LENGTH} characters")
    try:
        tree = sre_parse.parse(pattern)
    except re.error as exc:
        raise UnsafeRegex(f"REGEX does not compile: {exc}") from None
    items = list(tree)
    if not items or items[0][0] is not sre_parse.AT or items[0][1] is not sre_parse.AT_BEGINNING:
        raise UnsafeRegex("REGEX must start with ^ (an unanchored pattern is tried at every position)")
    wide, choices = _measure(items, inside_repeat=False)
    if wide > 1:
        raise UnsafeRegex(
            "REGEX has more than one unbounded repeat in a row (e.g. a+b*; a wide one such as a{0,99} counts too); it may backtrack"
        )
    if choices > MAX_CHOICES:
        raise UnsafeRegex(f"REGEX has more than {MAX_CHOICES} ways to match its repeats and alternatives; it may backtrack")


def _measure(items, inside_repeat: bool) -> tuple[int, int]:
    """(the largest number of wide repeats along one path, the number of ways the narrow repeats
    and alternations can be taken) for a sequence of regex items."""
    wide, choices = 0, 1
    for op, arg in items:
        if op in _FORBIDDEN:
            raise UnsafeRegex(f"REGEX may not use {_FORBIDDEN[op]}")
        if op in _REPEATS:
            low, high, body = arg
            if inside_repeat:
                raise UnsafeRegex("REGEX has a repeat inside a repeat (e.g. (a+)+); it may backtrack")
            if _has_branch(body):
                raise UnsafeRegex("REGEX repeats an alternation (e.g. (a|b)+); use a character class")
            _measure(list(body), inside_repeat=True)
            if high == sre_parse.MAXREPEAT or high - low + 1 > WIDE_REPEAT:
                wide += 1
            else:
                choices *= high - low + 1
        elif op is sre_parse.SUBPATTERN or (_ATOMIC is not None and op is _ATOMIC):
            inner_wide, inner_choices = _measure(list(arg[-1] if op is sre_parse.SUBPATTERN else arg), inside_repeat)
            wide += inner_wide
            choices *= inner_choices
        elif op is sre_parse.BRANCH:
            measured = [_measure(list(branch), inside_repeat) for branch in arg[1]]
            wide += max(w for w, _ in measured)
            choices *= sum(c for _, c in measured)
        choices = min(choices, MAX_CHOICES + 1)  # enough to refuse; keeps the number small
    return wide, choices


def _has_branch(items) -> bool:
    for op, arg in items:
        if op is sre_parse.BRANCH:
            return True
        if op is sre_parse.SUBPATTERN and _has_branch(arg[-1]):
            return True
        if _ATOMIC is not None and op is _ATOMIC and _has_branch(arg):
            return True
    return False


def regexes_in(token_pattern) -> list[str]:
    """Every REGEX value in a raw spaCy token pattern (a list of token dicts), however nested."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key == "REGEX":
                    found.append(inner)
                else:
                    walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    walk(token_pattern)
    return found
