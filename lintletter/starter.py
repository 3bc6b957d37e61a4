"""``lintletter new``: a starter letter with front matter and all six sections. Pure: names -> text.

The letters are templates in ``rules/starters/<tone>.md`` with the same slots as suggestions
(``lintletter.suggest``); the names come from the command line, so the letter contains nothing
the writer did not give. Front matter is written with a YAML dumper, so any name round-trips.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .about import FRONT_MATTER, About, Fact, placeholder
from .errors import ConfigError
from .suggest import fill, problems

TONES = ("formal", "warm")
#: A name longer than this is not a name (and what lintletter reads from front matter stops here).
MAX_NAME = 80


def starters_dir() -> Path:
    from .model import builtin_rules_dir as _builtin_rules_dir

    return _builtin_rules_dir() / "starters"


def template(tone: str) -> str:
    path = starters_dir() / f"{tone}.md"
    text = path.read_text(encoding="utf-8")
    found = problems(text)
    if found:  # a broken starter is a broken install, named like a rule-file problem
        raise ConfigError(f"{path}: {found[0]}")
    return text


def _checked(label: str, value: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise ConfigError(f"--{label} must not be empty")
    if len(text) > MAX_NAME:
        raise ConfigError(f"--{label} is longer than {MAX_NAME} characters")
    if placeholder(text) or any(c in text for c in "{}"):
        raise ConfigError(f"--{label} {text!r} looks like a placeholder; give the real name")
    return text


def new_letter(company: str, role: str, interviewer: str, name: str, tone: str = "formal") -> str:
    """The starter letter for these names, front matter first."""
    if tone not in TONES:
        raise ConfigError(f"--tone must be one of {', '.join(TONES)}")
    company, role, interviewer, name = (
        _checked("company", company), _checked("role", role), _checked("interviewer", interviewer), _checked("name", name),
    )
    front = {"company": company, "role": role, "interviewer": interviewer, "writer": name, "tone": tone}
    about = About(
        reader=Fact(interviewer, FRONT_MATTER),
        company=Fact(company, FRONT_MATTER),
        role=_role_fact(role),
        writer=Fact(name, FRONT_MATTER),
        register=tone,
    )
    head = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000, default_flow_style=False)
    return f"---\n{head}---\n\n{fill(template(tone), about)}"


def _role_fact(role: str) -> Fact:
    """As lintletter reads a role from front matter: "Data Analyst position" -> Data Analyst, position."""
    from .about import _strip_role_noun

    bare, noun = _strip_role_noun(role)
    return Fact(bare, FRONT_MATTER, None, noun)
