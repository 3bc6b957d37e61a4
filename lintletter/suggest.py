"""Suggestions made for this letter: a rule's wording with the letter's own names filled in.

A rule's ``suggestion`` (and each of its ``suggestions`` variants) is a template::

    "I remain very interested in {company}, and I would still love to join your team one day."
    "Dear {reader},"
    "Would you be willing to share where my {stage|interview} fell short?"

``{slot}`` is filled from what the letter is about (:mod:`lintletter.about`): ``company``, ``role``
("the Data Analyst role"), ``reader`` (as the letter addresses them), ``writer``, ``stage``.
``{slot|words}`` says what to write when the letter does not say: never a made-up name, never a
bracket placeholder. ``company``, ``role`` and ``stage`` have a default for that ("your organisation",
"the role", "interview"); ``reader`` and ``writer`` have none, so a variant that needs them is
only chosen when the letter names them, and a rule whose every variant needs them gives its
``advice`` instead.

Variants may say which letters they fit (``register: formal | warm``, ``medium: email | letter``).
The choice is deterministic: the variants whose slots are known and whose conditions hold, the
one that fits most conditions, then the one that uses most of what the letter says, then the
first in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from .about import MEDIA, REGISTERS, SLOTS, About, Fact
from .located import LocatedDict

if TYPE_CHECKING:
    from .model import Rule
    from .validate import Collector

_SLOT = re.compile(r"\{([^{}|]*)(?:\|([^{}]*))?\}")
#: What a slot says when the letter does not tell; reader and writer have no neutral wording.
DEFAULT_FALLBACKS = {"company": "your organisation", "role": "the role", "stage": "interview"}
#: Where ``lintletter fix`` puts a rule's sentence (``insert_at``).
INSERT_PLACES = ("salutation", "first_paragraph", "asks", "signoff", "closing", "signature")
_BRACKETS = re.compile(r"[\[\]]|\{\{|\}\}")


@dataclass(frozen=True)
class Variant:
    """One wording of a rule's suggestion, and the letters it fits."""

    text: str
    register: str | None = None
    medium: str | None = None
    line: int = 0

    @property
    def conditions(self) -> int:
        return (self.register is not None) + (self.medium is not None)

    def needs(self) -> frozenset[str]:
        """Slots this wording cannot do without."""
        return frozenset(name for name, fallback in slots(self.text) if fallback is None and name not in DEFAULT_FALLBACKS)

    def uses(self) -> frozenset[str]:
        return frozenset(name for name, _ in slots(self.text))


def slots(template: str) -> list[tuple[str, str | None]]:
    """The ``(slot, fallback)`` pairs a template uses, in order."""
    return [(m.group(1).strip(), m.group(2)) for m in _SLOT.finditer(template)]


def problems(template: str, allow_required: bool = True) -> list[str]:
    """What is wrong with a template, for the rule loader (empty when it is fine)."""
    out = []
    for name, fallback in slots(template):
        if name not in SLOTS:
            out.append(f"unknown slot {{{name}}}; slots are {', '.join('{' + s + '}' for s in SLOTS)}")
        elif fallback is not None and not fallback.strip():
            out.append(f"slot {{{name}|}} has an empty fallback; write the words to use when the letter does not say")
        elif fallback is not None and _BRACKETS.search(fallback):
            out.append(f"the fallback of {{{name}}} must be plain words, not a placeholder")
        elif not allow_required and fallback is None and name not in DEFAULT_FALLBACKS:
            out.append(f"{{{name}}} has no neutral wording; give one ({{{name}|...}}) or move this wording to suggestions")
    static = _SLOT.sub("", template)
    if "{" in static or "}" in static:
        out.append("unbalanced { } in the template")
    if _BRACKETS.search(static):
        out.append("a suggestion is text to send: no [bracketed] or {{mustache}} placeholders")
    return out


def slot_value(slot: str, fact: Fact, register: str | None) -> str:
    """How a known slot reads in a sentence."""
    if slot == "role":
        value = fact.value
        noun = fact.noun or "role"
        if value.lower().startswith(("the ", "a ", "an ")):
            return value
        if "," in value or " of " in value.lower():
            return f"the {noun} of {value}"
        return f"the {value} {noun}"
    if slot == "reader":
        return address(fact, register)
    if slot == "stage":
        return fact.value if fact.source == "front matter" else fact.value.lower()
    return fact.value


def address(fact: Fact, register: str | None) -> str:
    """The reader as a greeting names them: as the letter itself does, else from their full name
    ("Dr. Amara Okafor": formal "Dr. Okafor", warm "Amara"; "Marcus Lee": formal "Marcus Lee",
    otherwise "Marcus")."""
    from .about import SALUTATION

    value = fact.value
    if fact.source == SALUTATION:
        return value
    words = value.split()
    titles = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame"}
    titled = len(words) > 1 and words[0].lower().rstrip(".") in titles
    if register == "formal":
        return f"{words[0]} {words[-1]}" if titled else value
    first = words[1] if titled and len(words) > 2 else words[0]
    return value if titled and len(words) == 2 else first


def choose(variants: Iterable[Variant], about: About) -> Variant | None:
    """The variant that fits the letter best, or None when every one needs a name the letter lacks."""
    known = about.known()
    best, best_key = None, None
    for order, v in enumerate(variants):
        if not v.needs() <= known:
            continue
        if (v.register is not None and v.register != about.register) or (v.medium is not None and v.medium != about.medium):
            continue
        key = (v.conditions, len(v.uses() & known), -order)
        if best_key is None or key > best_key:
            best, best_key = v, key
    return best


def fill(template: str, about: About) -> str:
    """The template with every slot filled from the letter, or with its neutral wording."""

    def one(m: re.Match) -> str:
        name, fallback = m.group(1).strip(), m.group(2)
        fact = about.get(name)
        if fact is not None:
            return slot_value(name, fact, about.register)
        if fallback is not None:
            return fallback
        return DEFAULT_FALLBACKS.get(name, "")

    text = _SLOT.sub(one, template)
    if about.apostrophe == "’":  # type the way the writer types: I’d, you’re
        text = re.sub(r"(?<=\w)'(?=\w)", "’", text)
    return text


@dataclass(frozen=True)
class Suggestion:
    text: str
    #: a sentence for the letter (``lintletter fix`` may insert it), not advice about the letter
    insertable: bool


def suggest(rule: "Rule", about: About) -> Suggestion:
    """The rule's suggestion for a letter about ``about``."""
    variant = choose(rule.variants, about)
    if variant is None:
        return Suggestion(fill(rule.advice or rule.suggestion, about), False)
    return Suggestion(fill(variant.text, about), True)


def render(rule: "Rule", about: About) -> str:
    return suggest(rule, about).text


def generic(rule: "Rule") -> str:
    """The suggestion for a letter that names nobody: what docs and rule listings show."""
    return render(rule, About())


# --- reading a rule file's wordings ------------------------------------------------------------


def load_suggestions(data: LocatedDict, ok: Mapping[str, Any], file: str, out: Collector):
    """``suggestion`` (a template), ``suggestions`` (more wordings, each {text, register?, medium?}),
    ``advice``, ``insert_at`` and ``suggestion_examples`` ({letter, suggestion} pairs). Values are
    read from ``ok``, the fields of the right type (a field of another type, an empty
    ``suggestions:`` say, is reported already); ``data`` gives the lines."""
    advice = ok.get("advice")
    if advice is not None:
        advice = advice.strip()
        for problem in problems(advice, allow_required=False):
            out.add(file, data.line_of("advice"), "advice", problem)
    base = ok["suggestion"].strip()
    for problem in problems(base, allow_required=advice is not None):
        out.add(file, data.line_of("suggestion"), "suggestion", problem)
    variants = [Variant(base, line=data.line_of("suggestion"))]
    raw = ok.get("suggestions", [])
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
        for problem in problems(item["text"].strip()):
            out.add(file, line, f"{where}.text", problem)
        variants.append(Variant(item["text"].strip(), item.get("register"), item.get("medium"), line))
    insert_at = ok.get("insert_at")
    if insert_at is not None and insert_at not in INSERT_PLACES:
        out.add(file, data.line_of("insert_at"), "insert_at", f"must be one of {list(INSERT_PLACES)}")
    examples = []
    for n, item in enumerate(ok.get("suggestion_examples", [])):
        line = item.line if isinstance(item, LocatedDict) else data.line_of("suggestion_examples")
        if not isinstance(item, dict) or set(item) != {"letter", "suggestion"} \
                or not all(isinstance(item[k], str) and item[k].strip() for k in item):
            out.add(file, line, f"suggestion_examples[{n}]", "each example is {letter: text, suggestion: the suggestion it gets}")
            continue
        examples.append((item["letter"], item["suggestion"].strip()))
    return tuple(variants), advice, insert_at, tuple(examples)
