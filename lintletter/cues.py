"""Compile cue groups (rules' word patterns) into one spaCy ``Matcher``.

A pattern is either a list of Matcher token dicts, or a *phrase*, a compact spelling of one::

    "could you"                 LOWER could, LOWER you
    "~ask ~for ~feedback"       LEMMA ask, LEMMA for, LEMMA feedback   (any inflection)
    "firm|company|employer"     LOWER in {firm, company, employer}
    "~be not? ~select"          "not?" is optional
    "which *2 ~company"         up to 2 tokens of anything in between

Plain words are tokenized like the letter is ("i'd" becomes "i" + "'d"), and straight and curly
apostrophes match each other. Lemma words are lemmatized with the pipeline's own table, so
"~companies" and "~company" mean the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .errors import Problem, RuleError
from .ruleset import BUILTIN_CUES, CueGroup, Rule, RuleSet, _WILDCARD


def _apostrophe_variants(value: str) -> list[str]:
    variants = {value, value.replace("'", "’"), value.replace("’", "'")}
    return sorted(variants)


class _PhraseCompiler:
    def __init__(self, nlp) -> None:
        self._tokenizer = nlp.tokenizer
        self._lemma_table = None
        for name, component in nlp.pipeline:
            lookups = getattr(component, "lookups", None)
            if lookups is not None and lookups.has_table("lemma_lookup"):
                self._lemma_table = lookups.get_table("lemma_lookup")

    def _lemma(self, word: str) -> str:
        word = word.lower()
        if self._lemma_table is None:
            return word
        found = self._lemma_table.get(word, word)
        return found if isinstance(found, str) else word

    def compile(self, phrase: str) -> list[dict[str, Any]]:
        tokens: list[dict[str, Any]] = []
        for word in phrase.split():
            wild = _WILDCARD.match(word)
            if wild:
                tokens.append({"OP": "{0,%d}" % int(wild.group(1))})
                continue
            optional = word.endswith("?") and len(word) > 1
            core = word[:-1] if optional else word
            lemma = core.startswith("~") and len(core) > 1
            core = core[1:] if lemma else core
            # "~a|~b" and "~a|b" both mean lemma a or b.
            alternatives = [alt.lstrip("~") if lemma else alt for alt in core.split("|")]
            if lemma:
                values = sorted({v for alt in alternatives for v in _apostrophe_variants(self._lemma(alt))})
                tokens.append(self._token("LEMMA", values, optional))
                continue
            split = [[t.lower_ for t in self._tokenizer(alt)] for alt in alternatives]
            if len(split) == 1 and len(split[0]) > 1:
                # "i'd" -> two tokens; each must match in turn.
                for part in split[0]:
                    tokens.append(self._token("LOWER", _apostrophe_variants(part), optional))
                continue
            values = sorted({v for parts in split for part in parts for v in _apostrophe_variants(part)})
            tokens.append(self._token("LOWER", values, optional))
        return tokens

    @staticmethod
    def _token(attr: str, values: list[str], optional: bool) -> dict[str, Any]:
        token: dict[str, Any] = {attr: values[0] if len(values) == 1 else {"IN": values}}
        if optional:
            token["OP"] = "?"
        return token


@dataclass(frozen=True)
class CueMatch:
    key: str
    start: int  # token index in the doc
    end: int


class CompiledCues:
    """All cue groups of a rule set in one Matcher, and how rules' names resolve to them."""

    def __init__(self, nlp, ruleset: RuleSet) -> None:
        from spacy.errors import MatchPatternError
        from spacy.matcher import Matcher

        compiler = _PhraseCompiler(nlp)
        self.matcher = Matcher(nlp.vocab, validate=True)
        self._composite: dict[str, tuple[str, ...]] = {}
        problems: list[Problem] = []

        def add(key: str, group: CueGroup) -> None:
            if group.any_of:
                self._composite[key] = group.any_of
                return
            patterns = [compiler.compile(p) if isinstance(p, str) else p for p in group.patterns]
            try:
                self.matcher.add(key, patterns)
            except (MatchPatternError, ValueError, TypeError, KeyError) as exc:
                message = " ".join(str(exc).split())[:300]
                problems.append(Problem(group.source, group.line, group.name, f"invalid pattern: {message}"))

        for name, group in ruleset.lexicon.items():
            add(name, group)
        for rule in ruleset.rules:
            for name, group in rule.cues.items():
                add(self.local_key(rule, name), group)
        if problems:
            raise RuleError(problems)

    @staticmethod
    def local_key(rule: Rule, name: str) -> str:
        return f"{rule.code}:{name}"

    def resolve(self, rule: Rule | None, name: str) -> tuple[str, ...]:
        """The matcher keys (and builtin names) a cue name stands for, from the rule's point of view."""
        if name in BUILTIN_CUES:
            return (name,)
        if rule is not None and name in rule.cues:
            key = self.local_key(rule, name)
        else:
            key = name
        if key in self._composite:
            out: list[str] = []
            for part in self._composite[key]:
                out.extend(self.resolve(None if part not in (rule.cues if rule else {}) else rule, part))
            return tuple(out)
        return (key,)

    def __call__(self, doc) -> Iterable[CueMatch]:
        strings = doc.vocab.strings
        for match_id, start, end in self.matcher(doc):
            yield CueMatch(strings[match_id], start, end)
