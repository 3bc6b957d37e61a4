"""What a letter is about, read from the letter: the reader, the company, the role, the writer, the
stage of the process, and how the letter is written (formal or warm, e-mail or letter).

Suggestions are filled in from these (``lintletter.suggest``), so a user is never told to write
to "Ms. Okafor" about "the Product Analyst role" at "Acme" when the letter is to Marcus at
Bellweather Foods. Precision comes first: a wrong name in a suggestion is worse than neutral
wording, so a value is taken only from a pattern that names it plainly, and every value comes from
the letter's own text (front matter included) and says where it came from.

Sources, first that gives a value wins:

- front matter (``company:``, ``role:``, ``interviewer:``, ``writer:``, ``stage:``, ``tone:``),
  unless the value is a template placeholder (``[Company]``);
- the writer's own words, on the spaCy Doc of each body block: "at Northwind Logistics",
  "join Northwind", "Northwind's team", "the Data Analyst role", "the final round";
- the salutation ("Dear Mr. Jones," -> Mr. Jones) and the signature (the writer);
- e-mail headers and quoted history (the interviewer's message usually names the company, the role
  and its sender), and e-mail addresses, whose domain confirms a company name the letter spells out.

This is patterns over tokens, not statistical NER (which we could not ship): the pipeline has no
tagger, so a name is a run of capitalised tokens that a cue word introduces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from .anatomy import Letter
from .honorifics import TITLES
from .model import Span

#: The slots a suggestion template may use (``{company}``), in the order reports list them.
SLOTS: tuple[str, ...] = ("reader", "company", "role", "writer", "stage")
REGISTERS = ("formal", "warm")
MEDIA = ("email", "letter")

#: Where a value came from, as JSON reports it.
FRONT_MATTER, BODY, SALUTATION, SIGNATURE, HEADER, QUOTE = (
    "front matter", "letter", "salutation", "signature", "e-mail header", "quoted message",
)


@dataclass(frozen=True)
class Fact:
    """One thing the letter says about itself, and where it says it."""

    value: str
    source: str
    span: Span | None = None
    #: for a role: the noun the letter uses for it ("role", "position", "job")
    noun: str = "role"


@dataclass(frozen=True)
class About:
    reader: Fact | None = None
    company: Fact | None = None
    role: Fact | None = None
    writer: Fact | None = None
    stage: Fact | None = None
    #: "formal" | "warm" | None (cannot tell)
    register: str | None = None
    #: "email" | "letter" | None
    medium: str | None = None
    #: the apostrophe the writer types: ' or ’
    apostrophe: str = "'"

    def get(self, slot: str) -> Fact | None:
        return getattr(self, slot) if slot in SLOTS else None

    def known(self) -> frozenset[str]:
        return frozenset(s for s in SLOTS if getattr(self, s) is not None)


# --- vocabulary -------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"[\[\]{}<>]|\b(?:xxx+|todo|tbd|tba|n/?a)\b|\b(?:your|company|interviewer|role)\s+name\b", re.I)
_PARTICLES = {"de", "da", "di", "del", "della", "van", "von", "der", "den", "le", "la", "du", "dos", "bin", "al", "el", "ter", "ten"}
_GENERIC_READERS = re.compile(
    r"^(?:(?:the\s+)?(?:hiring|recruiting|recruitment|talent|search|selection|interview|people|hr)\b.*"
    r"|all|everyone|everybody|team|there|folks|friends|colleagues|sir|madam|sir\s+or\s+madam|sirs"
    r"|whom it may concern|to whom it may concern|you|y'?all|guys|recruiter|hiring"
    r"|.*\b(?:team|panel|committee|board|department|office|manager|recruiter|recruiters|colleagues|all)$)$",
    re.I,
)
_GREETING = re.compile(
    r"^\W*(?:(?:respected|dearest|my\s+dear)\s+)?(?:(?:dear|hi|hello|hey|hiya|howdy|greetings|bonjour|hola|hallo|ciao"
    r"|salut|namaste|ol[aá]|oi|g'?day|estimad[ao]s?|querid[ao]s?|liebe|lieber|cara|caro"
    r"|good\s+(?:morning|afternoon|evening|day))(?![\w'’]))?[\s,]*",
    re.I
)
_NOT_NAMES = {
    "i", "i'm", "i've", "i'd", "i'll", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "christmas", "easter", "thanksgiving",
    "eid", "diwali", "ramadan", "new", "thank", "thanks", "dear", "hi", "hello", "hey", "best", "regards",
    "please", "ps", "p.s.", "cc", "re", "fw", "fwd", "ok", "okay", "yes", "no", "covid", "q1", "q2", "q3", "q4",
    "english", "spanish", "french", "german", "mandarin", "korean", "japanese", "zoom", "teams", "linkedin",
    "gmail", "outlook", "google meet", "slack", "whatsapp", "cv", "resume", "mba", "phd", "msc", "bsc",
}
#: Nouns a company owns: "Northwind's team", "Northwind's mission".
_ORG_NOUNS = {
    "team", "teams", "culture", "mission", "work", "approach", "people", "values", "product", "products",
    "platform", "data", "customers", "clients", "office", "offices", "kitchen", "store", "stores", "growth",
    "plans", "vision", "brand", "services", "engineering", "group", "community", "staff", "crew", "members",
    "leadership", "roadmap", "projects", "programme", "program", "research", "business", "story", "history",
    "desk", "newsroom", "studio", "lab", "labs", "site", "sites", "clinic", "wards", "school", "department",
}
#: What a person has as much as a company: "Jenny's team" is Jenny's.
_PEOPLE_HAVE = {"team", "teams", "work", "approach", "people", "staff", "crew", "group", "department", "lab",
                "labs", "projects", "research", "kitchen", "desk", "office", "story", "history", "community",
                "members", "leadership", "plans", "studio", "school", "data", "site"}
#: Words that end a name run ("Harbor Analytics Team" -> Harbor Analytics).
_RUN_STOP = {"team", "teams", "culture", "mission", "office", "offices", "people", "staff", "crew", "values",
             "members", "leadership", "family", "folks", "hiring", "interview", "interviews", "panel", "role"}
#: The last word of a name that starts with "the": "the Ashcombe Gallery", "the Greenway Conservancy".
_ORG_HEADS = {
    "gallery", "museum", "hospital", "council", "school", "centre", "center", "institute", "foundation", "trust",
    "library", "collective", "alliance", "conservancy", "society", "university", "college", "academy", "zoo",
    "orchestra", "theatre", "theater", "company", "partnership", "network", "agency", "group", "clinic", "times",
    "post", "herald", "journal", "guardian", "observer", "review", "press", "magazine", "tribune", "gazette",
    "project", "fund", "bank", "club", "association", "federation", "union", "commission", "board", "service",
}
#: A capitalised common noun alone is not a company's name ("the Institute's work").
_GENERIC_ORGS = {
    "institute", "board", "council", "office", "hospital", "university", "museum", "gallery", "school", "trust",
    "bank", "firm", "company", "team", "department", "ministry", "agency", "committee", "panel", "foundation",
    "centre", "center", "library", "society", "court", "government", "state", "city", "county", "district",
    "auditor", "practice", "group", "studio", "lab", "clinic", "authority", "college", "academy", "partnership",
    "the", "a", "an", "hr", "people", "talent",
}
_ROLE_NOUNS = {"role", "position", "job", "post", "opening", "vacancy", "spot", "opportunity", "seat", "placement",
               "internship", "fellowship", "traineeship", "apprenticeship", "contract"}
#: Lower-case words before "role" that say which role it is not ("the same role", "the final position").
_NOT_ROLE_WORDS = {
    "same", "final", "whole", "new", "other", "open", "current", "first", "second", "third", "next", "this",
    "that", "right", "perfect", "great", "good", "full-time", "part-time", "permanent", "temporary",
    "advertised", "posted", "exciting", "available", "specific", "particular", "actual", "entire", "ideal",
    "dream", "one", "interim", "my", "your", "our", "their", "his", "her", "its", "a", "an", "the", "any",
    "some", "no", "every", "each", "similar", "different", "last", "previous", "recent", "future", "internal",
    "external", "only", "best", "top", "like", "such", "amazing", "wonderful", "fantastic", "fabulous", "lovely",
    "cool", "fun", "interesting", "challenging", "demanding", "exact", "very", "big", "bigger", "small",
    "smaller", "junior", "senior", "lead", "remote", "hybrid", "local", "earlier", "later", "above", "below",
    "mentioned", "aforementioned", "said", "vacant", "filled", "unfilled", "leadership", "management", "entry",
    "entry-level", "level", "more", "less", "most", "least", "much", "own", "real", "true", "important", "key",
    "main", "and", "or", "of", "for", "to", "in", "on", "at", "with", "two", "three", "both", "these", "those",
    "was", "is", "be", "been", "not", "n't", "get", "got", "getting", "land", "landing", "win", "winning",
    "if", "when", "while", "as", "but", "so", "because", "weird", "odd", "awkward", "tough", "hard", "difficult",
    "tricky", "strange", "unusual", "rare", "tight", "awful", "bad", "poor", "summer", "winter", "spring",
    "autumn", "fall", "paid", "unpaid", "full", "time", "advert", "advertised", "listed", "relevant", "ideal",
    "nice", "fine", "excellent", "outstanding", "incredible", "unique", "whole", "broader", "wider", "team",
    "better", "worse", "bigger", "larger", "higher", "lower", "longer", "shorter",
}
#: Lower-case words with these endings describe a role rather than name it ("a suitable vacancy").
_ADJECTIVE_ENDINGS = ("able", "ible", "ous", "ful", "less", "ish", "est")
#: "the team at Northwind", "my interview at Northwind": the company the letter is about.
_AT_CONTEXT = {"role", "position", "job", "post", "opening", "opportunity", "vacancy", "interview", "interviews",
               "interviewing", "team", "everyone", "people", "folks", "anyone", "someone", "colleagues", "panel",
               "visit", "day", "career", "careers", "future", "spot", "place", "others", "staff", "crew", "roles",
               "openings", "positions", "application", "process", "candidacy"}
#: "I'm currently at Acme" names the writer's employer, not the reader's company.
_OWN_EMPLOYER = {"currently", "now", "work", "works", "working", "worked", "been", "was", "were", "i'm", "am",
                 "my", "previously", "formerly", "former", "ex", "intern", "interned", "interning", "studied",
                 "study", "studying", "graduated", "at"}
_FREE_MAIL = {"gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "msn", "icloud", "me", "mac",
              "aol", "proton", "protonmail", "pm", "gmx", "mail", "email", "yandex", "zoho", "fastmail", "hey",
              "qq", "163", "126", "btinternet", "sky", "virginmedia", "comcast", "verizon", "att", "example"}
_DOMAIN_SUFFIXES = {"com", "org", "net", "co", "uk", "io", "ai", "us", "de", "fr", "nl", "au", "ca", "nz", "ie",
                    "in", "edu", "gov", "ac", "biz", "info", "app", "dev", "tech", "jobs", "careers", "eu", "ch",
                    "es", "it", "se", "no", "dk", "fi", "jp", "kr", "cn", "sg", "hk", "za", "br", "mx", "nhs"}
_ADDRESS = re.compile(r"[\w.+-]{1,64}@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6})")

#: Stages of the process, most telling first: where the writer fell short is likeliest named by the
#: piece of work, then by the round. (pattern, how to say it; None: as the letter says it)
_STAGE_PATTERNS: tuple[tuple[str, str | None], ...] = (
    (r"\bcase (?:study|interview|presentation|exercise)\b", None),
    (r"\btake[- ]home(?: (?:assignment|exercise|task|test|project|analysis|challenge))?\b", None),
    (r"\bsystem[- ]design (?:round|interview)\b", None),
    (r"\b(?:technical|coding|whiteboard) (?:interview|round|test|challenge)\b", None),
    (r"\b(?:trial shift|working interview|teaching demo|demo lesson|portfolio review|work trial|skills test)\b", None),
    (r"\b(?:the|my) presentation\b", "presentation"),
    (r"\bpanel interview\b", None),
    (r"\binterview panel\b", "panel interview"),
    (r"\b(?:the|my) panel\b", "panel interview"),
    (r"\bfinal[- ]round(?: interviews?)?\b", None),
    (r"\bfinal interview\b", None),
    (r"\b(?:second|third|last) (?:round|interview)\b", None),
    (r"\bassessment (?:centre|center|day)\b", None),
    (r"\bon-?site(?: interview)?\b", None),
)
#: all of them in one pattern (one pass over the letter); the group that matched says which. Each
#: begins at a word boundary with one of these letters: the lookahead skips every other position at
#: once instead of trying the fourteen patterns there (a fifth of the time a letter's facts took).
_STAGE_INITIALS = "acdfilmopstw"
assert all(p.startswith(r"\b") and (p[2] in _STAGE_INITIALS or p.startswith(r"\b(?:")) for p, _ in _STAGE_PATTERNS)
_STAGES = re.compile(
    rf"\b(?=[{_STAGE_INITIALS}])(?:" + "|".join(f"(?P<s{i}>{p})" for i, (p, _) in enumerate(_STAGE_PATTERNS)) + ")", re.I
)


def placeholder(value: str) -> bool:
    """A template field left unfilled ("[Company]", "{{role}}", "XXX"): never a value."""
    return bool(_PLACEHOLDER.search(value))


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or len(text) > 80 or placeholder(text):
        return None
    return text


# --- tokens -----------------------------------------------------------------------------------


class Tok(NamedTuple):
    """A token: its text, lower-cased text, offsets in the file, and whether it starts a sentence
    or line (where capitals say nothing about names)."""

    text: str
    lower: str
    start: int
    end: int
    initial: bool


_WORDS = re.compile(r"[^\W_](?:[\w&’'.-]*[^\W_])?|[’']s\b|\S", re.U)


def regex_tokens(text: str, base: int = 0) -> list[Tok]:
    """Tokens of text that has no Doc (headers, quoted history), split as spaCy would split names."""
    out: list[Tok] = []
    prev_end, prev_text = 0, ""
    for m in _WORDS.finditer(text):
        word = m.group()
        # "Northwind's" -> "Northwind", "'s", as spaCy splits it
        for part, offset in _split_possessive(word, m.start()):
            initial = not out or prev_text in (".", "!", "?", ":", ";", "•", "-", "*") or "\n" in text[prev_end:offset]
            word = part.rstrip(".") if part.endswith(".") and part.count(".") == 1 and len(part) > 3 else part
            out.append(Tok(word, word.lower(), base + offset, base + offset + len(part), initial))
            prev_end, prev_text = offset + len(part), part
    return out


def _split_possessive(word: str, at: int) -> Iterator[tuple[str, int]]:
    for suffix in ("'s", "’s"):
        if len(word) > 2 and word.endswith(suffix):
            yield word[:-2], at
            yield word[-2:], at + len(word) - 2
            return
    yield word, at


def doc_tokens(doc, text: str) -> list[Tok]:
    """Tokens of a processed block Doc (``analysis.make_docs``), from the offsets it keeps in the
    file: the same tokens, without walking the Doc in Python."""
    out: list[Tok] = []
    prev_end, prev_text = -1, ""
    for start, end in doc.user_data.get("offsets", ()):
        word = text[start:end]
        gap = text[prev_end:start] if prev_end >= 0 else ""
        initial = prev_end < 0 or prev_text in (".", "!", "?", ":", ";", "•", "*") or "\n" in gap or "\r" in gap
        out.append(Tok(word, word.lower(), start, end, initial))
        prev_end, prev_text = end, word
    return out


def _capitalised(tok: Tok) -> bool:
    t = tok.text
    return bool(t) and t[0].isupper() and any(c.isalpha() for c in t) and t.lower() not in _NOT_NAMES


def _name_run(toks: Sequence[Tok], i: int, limit: int = 5, stop: Iterable[str] = ()) -> int:
    """End (exclusive) of the run of capitalised tokens starting at ``i`` ("Bank of America",
    "Procter & Gamble", "AT&T"); ``i`` itself when there is none."""
    stop = set(stop)
    j = i
    while j < len(toks) and j - i < limit:
        tok = toks[j]
        if j > i and tok.lower in ("of", "&", "and") and j + 1 < len(toks) and _capitalised(toks[j + 1]) \
                and toks[j].start - toks[j - 1].end <= 1 and tok.lower != "and":
            j += 1
            continue
        if not _capitalised(tok) or tok.lower in stop:
            break
        if j > i and toks[j].start - toks[j - 1].end > 1:  # a line break or double space ends a name
            if "\n" in tok.text or toks[j].start - toks[j - 1].end > 2:
                break
        j += 1
    return j


def _text(source: str, toks: Sequence[Tok], i: int, j: int) -> str:
    return " ".join(source[toks[i].start : toks[j - 1].end].split())


# --- the parts --------------------------------------------------------------------------------


def _front_matter_fact(letter: Letter, key: str) -> Fact | None:
    value = _clean(letter.front_matter.get(key))
    if value is None:
        return None
    span = None
    if letter.front_matter_span is not None:
        block = letter.text[letter.front_matter_span.start : letter.front_matter_span.end]
        m = re.search(rf"(?m)^{re.escape(key)}\s*:\s*", block)
        if m:
            # the rest of the line, without its blanks and quotes: found with str methods, since a
            # lazy regex ending in \s*$ was quadratic on a value padded with 60 kB of spaces (12 s)
            start = m.end()
            line_end = block.find("\n", start)
            end = start + len(block[start : len(block) if line_end < 0 else line_end].rstrip())
            if end > start and block[start] in "'\"":
                start += 1
            if end > start and block[end - 1] in "'\"":
                end -= 1
            base = letter.front_matter_span.start
            span = Span(base + start, base + end)
    return Fact(value, FRONT_MATTER, span)


def _person(value: str) -> str | None:
    """A name as a person is addressed ("Mr. Jones", "Sam", "Ana de la Cruz"), or None."""
    value = value.strip().strip(",;:!—–-").strip()
    value = re.sub(r"\s+(?:sir|madam|ma'?am|ji)$", "", value, flags=re.I)  # "Srinivasan sir"
    if not value or _GENERIC_READERS.match(value) or placeholder(value):
        return None
    words = value.replace("&", " and ").split()
    if not 1 <= len(words) <= 6:
        return None
    for w in words:
        bare = w.strip(".,").lower()
        if bare in TITLES or bare in _PARTICLES or bare == "and":
            continue
        if not (w[0].isupper() and any(c.isalpha() for c in w)) or any(c.isdigit() for c in w) or "@" in w:
            return None
        if bare in _NOT_NAMES:
            return None
    if all(w.strip(".,").lower() in TITLES | {"and"} for w in words):
        return None
    return " ".join(value.split())


def salutation_of(letter: Letter) -> Span | None:
    """The greeting: the parsed salutation, or a printed letter's greeting below its address block."""
    from .anatomy import greeting_below_address

    return letter.salutation or greeting_below_address(letter)


def _reader_from_salutation(letter: Letter) -> Fact | None:
    salutation = salutation_of(letter)
    if salutation is None:
        return None
    raw = letter.text[salutation.start : salutation.end]
    m = _GREETING.match(raw)
    rest = raw[m.end():] if m else raw  # "Caroline," alone on the first line
    offset = m.end() if m else 0
    name = _person(re.split(r"[,:!;—–(]|\s-\s", rest, maxsplit=1)[0])
    if name is None:
        return None
    at = salutation.start + offset + rest.find(name.split()[0])
    return Fact(name, SALUTATION, Span(at, at + len(name)) if letter.text[at : at + len(name)] == name else None)


def _writer_from_signature(letter: Letter) -> Fact | None:
    if letter.signature is None:
        return None
    text = letter.text
    first = text[letter.signature.start : letter.signature.end].splitlines()[0] if text[letter.signature.start : letter.signature.end].strip() else ""
    candidate = re.split(r"\s[|·•/]\s|,\s|\s[-–—]\s", first.strip().lstrip("-—–~ ").strip(), maxsplit=1)[0]
    name = _person(candidate)
    if name is None or any(w.strip(".").lower() in TITLES for w in name.split()[:1]):
        return None
    at = text.find(name, letter.signature.start, letter.signature.end)
    return Fact(name, SIGNATURE, Span(at, at + len(name)) if at >= 0 else None)


_HEADER_LINE = re.compile(r"(?im)^[ \t>]*(from|to|cc)\s*:[ \t]*(.{1,200})$")
# The name after the comma starts with no blank and the blanks around it are few: with \s* there,
# "On Mon," and 20,000 spaces took 29 s (every split of the run was tried).
_WROTE_LINE = re.compile(r"(?im)^[ \t>]*on\b.{0,120}?,\s{0,3}([^,<>\s][^,<>\n]{1,59}?)\s{0,3}<[^>\n]{3,120}>\s*(?:\n[ \t>]*)?wrote\s*:")


def _header_people(text: str, start: int, end: int) -> list[tuple[str, str, Span]]:
    """(field, name, span) for "From: Name <address>" and "On ..., Name <address> wrote:" lines."""
    out = []
    region = text[start:end]
    for m in _HEADER_LINE.finditer(region):
        name = re.split(r"\s*[<\[(]", m.group(2), maxsplit=1)[0].strip().strip('"')
        person = _person(name) if name and "@" not in name else None
        if person:
            at = start + m.start(2)
            out.append((m.group(1).lower(), person, Span(at, at + len(name))))
    for m in _WROTE_LINE.finditer(region):
        person = _person(m.group(1).strip().strip('"'))
        if person:
            out.append(("from", person, Span(start + m.start(1), start + m.end(1))))
    return out


def _domains(text: str, start: int, end: int, skip: Iterable[str] = ()) -> list[str]:
    """Organisation labels of the e-mail addresses in ``text[start:end]`` ("bellweatherfoods")."""
    skip = {s.lower() for s in skip}
    out = []
    for m in _ADDRESS.finditer(text, start, end):
        if m.group(0).lower() in skip:
            continue
        labels = [l.lower() for l in m.group(1).split(".")]
        while labels and labels[-1] in _DOMAIN_SUFFIXES:
            labels.pop()
        label = labels[-1] if labels else ""
        if len(label) >= 4 and label not in _FREE_MAIL and label not in out:
            out.append(label)
    return out


def _squash(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.lower())


@dataclass
class _Candidates:
    """Scored candidates for one slot: value -> (score, first span, extra)."""

    found: dict

    def add(self, value: str, weight: float, span: Span, noun: str = "role") -> None:
        score, first, n = self.found.get(value, (0.0, span, noun))
        self.found[value] = (score + weight, min(first, span), n)

    def best(self, minimum: float) -> tuple[str, Span, str] | None:
        # "Calloway" and "Beacon & Pine" count for "Calloway Strategy Partners" and "Beacon & Pine"
        merged = dict(self.found)
        for short in list(merged):
            longer = [v for v in merged if v != short and _contains(v, short)]
            if longer:
                target = min(longer, key=len)
                score, first, noun = merged.pop(short)
                t_score, t_first, t_noun = merged[target]
                merged[target] = (t_score + score, t_first, t_noun)
        ranked = sorted(merged.items(), key=lambda kv: (-kv[1][0], kv[1][1].start))
        if ranked and ranked[0][1][0] >= minimum:
            value, (_, span, noun) = ranked[0]
            return value, span, noun
        return None


def _contains(longer: str, short: str) -> bool:
    a, b = longer.lower().split(), short.lower().split()
    return len(b) < len(a) and any(a[i : i + len(b)] == b for i in range(len(a) - len(b) + 1))


def _scan_company(source: str, toks: Sequence[Tok], out: _Candidates, weight: float, people: set[str]) -> None:
    n = len(toks)
    for i, tok in enumerate(toks):
        low = tok.lower
        start = None
        cue = 0.0
        if low == "at" and i + 1 < n and not (i >= 1 and toks[i - 1].lower.endswith("ing") and _capitalised(toks[i - 1])):
            # ("Delivering at Pace" is the name of a competency, not a company)
            before = [t.lower for t in toks[max(0, i - 3) : i]]
            wants = len(before) >= 2 and before[-1] in ("work", "working") and before[-2] in ("to", "love", "like")
            if wants or set(before) & _AT_CONTEXT:
                start, cue = i + 1, 3.0  # "the team at Northwind", "to work at Northwind"
            elif not set(before) & _OWN_EMPLOYER:
                start, cue = i + 1, 1.5
        elif low in ("join", "joining", "rejoin") and i + 1 < n:
            start, cue = i + 1, 3.0
        elif low in ("in", "for", "about") and i >= 1 and toks[i - 1].lower in ("interest", "interested", "excited", "passion", "enthusiasm", "keen") and i + 1 < n:
            start, cue = i + 1, 2.0
        if start is not None and start + 1 < n and toks[start].text == "the" and _capitalised(toks[start + 1]):
            end = _name_run(toks, start + 1, stop=_RUN_STOP)  # "at the Ashcombe Gallery"
            if end > start + 2 and toks[end - 1].lower in _ORG_HEADS:
                _add_org(source, toks, start, end, cue * weight, out, people)
            start = None
        if start is not None and not toks[start].initial:
            end = _name_run(toks, start, stop=_RUN_STOP)
            if end > start:
                _add_org(source, toks, start, end, cue * weight, out, people)
        # "Northwind's mission"; "Northwind's team" could be Jenny's team, so one word there counts less
        if low in ("'s", "’s") and i >= 1 and i + 1 < n and toks[i + 1].lower in _ORG_NOUNS:
            owned = 3.0 if toks[i + 1].lower not in _PEOPLE_HAVE else 1.5
            end = begin = i
            while begin > 0 and end - begin < 5 and toks[begin].start - toks[begin - 1].end <= 1:
                prev = toks[begin - 1]
                connector = prev.lower in ("&", "of") and begin - 1 > 0 and _capitalised(toks[begin - 2])
                if not (_capitalised(prev) or connector) or toks[begin].initial:
                    break
                begin -= 1
            if begin < end and _capitalised(toks[begin]):
                with_the = begin > 0 and toks[begin - 1].text == "the"  # "the Tribune's data desk"
                strength = 3.0 if end - begin > 1 or with_the else owned
                _add_org(source, toks, begin - 1 if with_the else begin, end, strength * weight, out, people)


_QUOTED_CLOSING = re.compile(
    r"(?im)^[ \t>]*(?:best|best regards|kind regards|warm regards|regards|many thanks|thanks|thank you|cheers"
    r"|sincerely|all the best|best wishes|with best wishes|warmly)[ \t]*[,.!]?[ \t]*$"
)
_TITLE_WORDS = {"manager", "director", "lead", "head", "engineer", "analyst", "recruiter", "officer", "coordinator",
                "specialist", "partner", "associate", "vp", "president", "chief", "ceo", "cto", "cfo", "coo", "hr",
                "talent", "people", "acquisition", "recruitment", "recruiting", "senior", "principal", "founder",
                "owner", "chef", "supervisor", "administrator", "consultant", "advisor", "adviser", "executive",
                "assistant", "curator", "editor", "producer", "professor", "lecturer", "dean", "chair", "clerk"}


def _quoted_signature(text: str, quote: Span, out: _Candidates, people: set[str]) -> None:
    """The company in the quoted message's signature: "Engineering Manager, Parcelwise" or
    "Talent Lead | Bellweather Foods" under the sender's name."""
    region = _unquote(text[quote.start : quote.end])
    for closing in _QUOTED_CLOSING.finditer(region):
        lines = [m for m in re.finditer(r"(?m)^[ \t]*(\S[^\n]*?)[ \t]*$", region[closing.end() :])][:4]
        for m in lines[1:]:  # the first line is the sender's name
            line = m.group(1)
            part = re.split(r"\s*(?:,|\||·|•|–|—|\s-\s|\bat\b)\s*", line)[-1].strip()
            words = part.replace("&", " ").split()
            if len(line.split()) < 2 or not words or len(words) > 5 or part == line.strip():
                continue  # a company stands after the title: "Engineering Manager, Parcelwise"
            if not all(w[0].isupper() for w in words) or {w.lower() for w in words} & (_TITLE_WORDS | people):
                continue
            if any(c.isdigit() or c == "@" for c in part):
                continue
            at = quote.start + closing.end() + m.start(1) + line.rfind(part)
            out.add(part, 2.5, Span(at, at + len(part)))


def _add_org(source, toks, i, j, weight, out: _Candidates, people: set[str]) -> None:
    value = _text(source, toks, i, j).strip(".")
    words = [w.lower().strip(".") for w in value.split()]
    named = [w for w in words if w != "the"]
    if not named or set(named) & people or set(named) <= TITLES or len(value) < 2:
        return
    if all(w in _NOT_NAMES or w in _GENERIC_ORGS for w in named):
        return
    if len(named) == 1 and value.split()[-1].isupper() and len(named[0]) <= 5:
        return  # "the FP&A team", "at ASEH": a department or an event as often as a company
    out.add(value, weight, Span(toks[i].start, toks[i].start + len(value)))


def _scan_role(source: str, toks: Sequence[Tok], out: _Candidates, weight: float) -> None:
    n = len(toks)
    for i, tok in enumerate(toks):
        if tok.lower not in _ROLE_NOUNS or i < 2:
            continue
        # walk back over the role's words to its determiner: "the Data Analyst role"
        if i + 1 < n and toks[i + 1].text in ("-", "–") and toks[i + 1].start == tok.end:
            continue  # "role-play"
        j = i
        while j > 0 and i - j < 5 and toks[j - 1].lower not in _ROLE_DETERMINERS:
            j -= 1
        if j == 0 or j == i or toks[j - 1].lower not in _ROLE_DETERMINERS:
            continue
        # "the Data Analyst role" names the job applied for; "a field engineer role" is often any such job
        certainty = _ROLE_DETERMINERS[toks[j - 1].lower]
        words = toks[j:i]
        if all(_capitalised(w) or w.text in ("&", "-", "/", "of") or (w.text.isupper() and len(w.text) <= 4) for w in words) \
                and _capitalised(words[0]) and _capitalised(words[-1]):
            value = _text(source, toks, j, i)
        elif len(words) <= 3 and all(w.text.islower() and w.text.isalpha() and len(w.text) > 1 or w.text == "-" for w in words) \
                and not any(w.lower in _NOT_ROLE_WORDS or w.lower.endswith(_ADJECTIVE_ENDINGS) for w in words) \
                and tok.lower in ("role", "position", "job", "post", "spot", "opening", "vacancy"):
            value = _text(source, toks, j, i)
        else:
            continue
        if len(value) < 2 or value.lower() in _NOT_NAMES:
            continue
        noun = tok.text if value[0].isupper() and tok.text[0].isupper() else tok.lower
        out.add(value, weight * certainty * (2.0 if value[0].isupper() else 1.0), Span(toks[j].start, toks[i - 1].end), noun)
    # "as a Senior Consultant", "the role of Head Chef"
    for i, tok in enumerate(toks[:-2]):
        k = None
        if tok.lower == "as" and toks[i + 1].lower in ("a", "an") \
                and {t.lower for t in toks[max(0, i - 5) : i]} & _HIRING_VERBS:
            k = i + 2  # "joining Calloway as a Senior Consultant", not "eight years as a Navy Seabee"
        elif tok.lower == "of" and i >= 1 and toks[i - 1].lower in ("role", "position", "post"):
            k = i + 1
        if k is None or k >= n or toks[k].initial:
            continue
        end = _name_run(toks, k, limit=4, stop=_RUN_STOP | {"at", "with"})
        if end > k and not any(t.lower in TITLES for t in toks[k:end]):
            value = _text(source, toks, k, end)
            out.add(value, weight * 1.5, Span(toks[k].start, toks[end - 1].end))


_ROLE_DETERMINERS = {"the": 1.0, "this": 1.0, "that": 1.0, "your": 1.0, "a": 0.5, "an": 0.5}
_HIRING_VERBS = {"join", "joining", "hire", "hired", "hiring", "consider", "considered", "considering", "offer",
                 "offered", "appoint", "appointed", "select", "selected", "apply", "applied", "applying",
                 "interview", "interviewed", "interviewing", "candidacy", "application", "recruit", "recruited"}


def _strip_role_noun(value: str) -> tuple[str, str]:
    words = value.split()
    if len(words) > 1 and words[-1].lower() in _ROLE_NOUNS:
        return " ".join(words[:-1]), words[-1].lower()
    return value, "role"


def _stage(text: str, regions: Iterable[Span]) -> tuple[str, Span] | None:
    """The stage the letter names, most telling first; ``regions`` in order of preference (the
    writer's own words, then the quoted message)."""
    for region in regions:
        best = None
        for m in _STAGES.finditer(text, region.start, region.end):
            rank = int(m.lastgroup[1:])
            if best is None or rank < best[0]:
                best = (rank, m)
        if best is not None:
            rank, m = best
            render = _STAGE_PATTERNS[rank][1]
            return render or " ".join(m.group().lower().split()), Span(m.start(), m.end())
    return None


def _register(letter: Letter, body: str) -> str | None:
    tone = letter.front_matter.get("tone")
    if isinstance(tone, str) and tone.strip().lower() in REGISTERS:
        return tone.strip().lower()
    formal = warm = 0
    text = letter.text
    salutation = salutation_of(letter)
    if salutation is not None:
        greeting = text[salutation.start : salutation.end].lower().lstrip()
        if greeting.startswith(("dear", "good morning", "good afternoon", "to whom")):
            formal += 1
        elif greeting.startswith(("hi", "hey", "hello", "hiya", "howdy")):
            warm += 1
    if letter.closing is not None:
        closing = text[letter.closing.start : letter.closing.end].lower().strip(" ,.!")
        if re.match(r"(yours|sincerely|respectfully|kind regards|kindest regards|best regards|regards|with (?:appreciation|gratitude|best wishes)|faithfully|cordially)", closing):
            formal += 1
        elif re.match(r"(thanks|cheers|best|warmly|warm|talk soon|take care|all the best|speak soon|thx|ty)", closing):
            warm += 1
    contractions = len(re.findall(r"\b\w+['’](?:m|re|ve|ll|d|s|t)\b", body))
    words = len(body.split())
    if contractions >= 2:
        warm += 1
    elif words >= 60 and contractions == 0:
        formal += 1
    return "formal" if formal > warm else "warm" if warm > formal else None


def _medium(letter: Letter) -> str | None:
    text = letter.text
    if letter.subject is not None or letter.quote is not None:
        return "email"
    top = letter.front_matter_span.end if letter.front_matter_span else 0
    salutation = salutation_of(letter)
    head = text[top : salutation.start] if salutation else ""
    # blanks within the line only: \s* ran over every blank line below each line start (40,000
    # blank lines above the greeting took 42 s)
    if re.search(r"(?im)^[^\S\n]*(?:to|from|cc|sent|date)[^\S\n]*:", head):
        return "email"
    if letter.closing is not None and re.match(r"\s*yours\s+(?:sincerely|faithfully|truly)|\s*sincerely", text[letter.closing.start : letter.closing.end], re.I):
        return "letter"
    # an address block or a date line above the salutation is a printed letter
    if head.strip() and (re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4}\b|\b[A-Z][a-z]+\s+\d{1,2},\s+\d{4}\b", head)
                         or len([l for l in head.splitlines() if l.strip()]) >= 3):
        return "letter"
    if letter.signature is not None and _ADDRESS.search(text, letter.signature.start, letter.signature.end):
        return "email"
    return None


def extract(letter: Letter, blocks: Sequence[Any] = (), docs: Sequence[Any] = ()) -> About:
    """What ``letter`` is about. ``blocks`` and ``docs`` are the processed prose blocks
    (``analysis.prose_blocks`` / the pipeline's Docs, in step); without them the writer's prose is
    tokenized by pattern. Never raises on any input."""
    text = letter.text
    fm = {k: _front_matter_fact(letter, k) for k in ("company", "role", "interviewer", "writer", "stage")}
    for key in ("interviewer", "writer"):  # "Panel chaired by Sir Clive" is not how to greet anyone
        if fm[key] is not None and _person(fm[key].value) is None:
            fm[key] = None

    own_start = letter.front_matter_span.end if letter.front_matter_span else 0
    own_end = letter.quote.start if letter.quote else len(text)
    quote_span = Span(letter.quote.start, min(len(text), letter.quote.start + 20000)) if letter.quote else None

    # the writer's prose, as tokens: the processed Docs of body, P.S. and subject blocks
    prose: list[list[Tok]] = []
    pairs = list(zip(blocks, docs)) if docs else [(b, None) for b in letter.blocks]
    for block, doc in pairs:
        if getattr(block, "region", None) not in ("body", "ps", "subject") or getattr(block, "kind", "") == "heading":
            continue
        if doc is not None:
            prose.append(doc_tokens(doc, text))
        else:
            prose.append(regex_tokens(block.text, block.span.start))
    quote_toks = regex_tokens(_unquote(text[quote_span.start : quote_span.end]), quote_span.start) if quote_span else []
    body_text = " ".join(" ".join(t.text for t in toks) for toks in prose)

    # people: who is writing to whom
    reader = fm["interviewer"] or _reader_from_salutation(letter)
    writer = fm["writer"] or _writer_from_signature(letter)
    headers = _header_people(text, own_start, own_end)
    quoted_people = _header_people(text, quote_span.start, quote_span.end) if quote_span else []
    if writer is None:
        writer = next((Fact(n, HEADER, s) for f, n, s in headers if f == "from"), None)
    if reader is None:
        reader = next((Fact(n, HEADER, s) for f, n, s in headers if f == "to"), None) \
            or next((Fact(n, QUOTE, s) for f, n, s in quoted_people if f == "from"), None)
    people = set()
    for fact in (reader, writer, fm["interviewer"]):
        if fact is not None:
            people |= {w.lower().strip(".") for w in fact.value.split() if w.lower().strip(".") not in TITLES}
    for _, name, _ in headers + quoted_people:
        people |= {w.lower().strip(".") for w in name.split()}
    if letter.signature is not None:
        first = text[letter.signature.start : letter.signature.end].strip().splitlines()[:1]
        people |= {w.lower().strip(".,") for w in (first[0].split() if first else [])}

    company = fm["company"]
    if company is None:
        found = _Candidates({})
        for toks in prose:
            _scan_company(text, toks, found, 1.0, people)
        if quote_toks:
            _scan_company(text, quote_toks, found, 1.0, people)
            _quoted_signature(text, quote_span, found, people)
        # an address's domain confirms a name the letter spells out ("@bellweatherfoods.com")
        own_address = [m.group(0) for m in _ADDRESS.finditer(text, letter.signature.start, letter.signature.end)] \
            if letter.signature else []
        labels = _domains(text, own_start, own_end, own_address)
        if quote_span:
            labels += [d for d in _domains(text, quote_span.start, quote_span.end) if d not in labels]
        for label in labels:
            matched = [v for v in found.found if _squash(v).startswith(label) or (len(_squash(v)) >= 4 and label.startswith(_squash(v)))]
            for value in matched:
                found.add(value, 3.0, found.found[value][1])
            if not matched:
                for toks in prose + [quote_toks]:
                    for i in range(len(toks)):
                        if _capitalised(toks[i]) and (i == 0 or not _capitalised(toks[i - 1])):
                            end = _name_run(toks, i, stop=_RUN_STOP)
                            value = _text(text, toks, i, end)
                            if end > i and _squash(value).startswith(label) and not ({w.lower() for w in value.split()} & people):
                                found.add(value, 3.0, Span(toks[i].start, toks[end - 1].end))
        best = found.best(2.0)
        if best:
            value, span, _ = best
            source = QUOTE if quote_span and span.start >= quote_span.start else BODY
            company = Fact(value, source, span)

    role = fm["role"]
    if role is not None:
        bare, noun = _strip_role_noun(role.value)
        role = Fact(bare, role.source, role.span, noun)
    else:
        found = _Candidates({})
        for toks in prose:
            _scan_role(text, toks, found, 2.0)
        if not found.found and quote_toks:
            _scan_role(text, quote_toks, found, 1.0)
        best = found.best(1.5)
        if best:
            value, span, noun = best
            if company is None or value.lower() != company.value.lower():
                role = Fact(value, QUOTE if quote_span and span.start >= quote_span.start else BODY, span, noun)

    stage = fm["stage"]
    if stage is None:
        own = [b.span for b in letter.blocks if b.region in ("body", "ps", "subject")]
        regions = [Span(own[0].start, own[-1].end)] if own else []
        hit = _stage(text, regions + ([quote_span] if quote_span else []))
        if hit:
            value, span = hit
            stage = Fact(value, QUOTE if quote_span and span.start >= quote_span.start else BODY, span)

    own_text = text[own_start:own_end]
    curly, straight = own_text.count("’"), own_text.count("'")
    return About(
        reader=reader,
        company=company,
        role=role,
        writer=writer,
        stage=stage,
        register=_register(letter, body_text),
        medium=_medium(letter),
        apostrophe="’" if curly > straight else "'",
    )


def _unquote(text: str) -> str:
    """Blank the ``>`` markers of quoted lines, keeping every offset."""
    return re.sub(r"(?m)^([ \t]*)(>[> \t]*)", lambda m: m.group(1) + " " * len(m.group(2)), text)


def to_dict(about: About, position: Callable[[Span | None], Mapping[str, Any]]) -> dict[str, Any]:
    """JSON form: each slot's value, where it came from and its position; the register and medium."""
    out: dict[str, Any] = {}
    for slot in SLOTS:
        fact = about.get(slot)
        out[slot] = None if fact is None else {"value": fact.value, "source": fact.source, **position(fact.span)}
    out["register"] = about.register
    out["medium"] = about.medium
    return out


def describe(about: About | None) -> str | None:
    """One line for people: what the suggestions were filled in with, and where each came from."""
    if about is None:
        return None
    parts = [f"{slot} {fact.value} ({fact.source})" for slot in SLOTS if (fact := about.get(slot)) is not None]
    if not parts:
        return None
    return "Suggestions use what the letter says: " + "; ".join(parts) + "."
