"""Seeded fuzzing of what lintletter reads besides letter text: rule files, config files, e-mails
and Word documents.

    python -m tests.fuzz_inputs --target rules  --count 10000 --seed 1   # the documented long runs
    python -m tests.fuzz_inputs --target config --count 10000 --seed 1
    python -m tests.fuzz_inputs --target eml    --count 10000 --seed 1
    python -m tests.fuzz_inputs --target docx   --count 10000 --seed 1
    python -m tests.fuzz_inputs --target all    --count 10000 --seed 1

CI runs a slice of each (tests/test_fuzz_inputs.py). Inputs are valid files (the built-in rules, a
starter config, well-formed e-mails and Word documents) mutated the ways hostile ones are built:
regex and wildcard bombs, YAML alias bombs and deep nesting, groups that name each other, odd
operators and types; charsets that are no text encodings, lone surrogates, thousands of nested
MIME parts, broken transfer encodings; XML entity tricks, zip members that lie about their size,
huge or deeply nested documents; plus byte-level damage. For every input it checks what must
always hold:

* no exception but the typed one for that input (RuleError, ConfigError, InputError): never a
  traceback or an internal error, and every Nth input also end to end through ``lintletter check``;
* time bounded (:data:`CASE_SECONDS` per input) and memory bounded (peak RSS may not grow by more
  than :data:`CASE_MEGABYTES` on one input; the long run also caps the address space);
* the input files are unchanged (checksums before and after);
* what a reader returns is text that can be written as UTF-8 and is no larger than a file may be;
* a rule set that loads lints hostile letters within the bound, and the built-in rules never run
  out of matching budget.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import random
import resource
import signal
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"
CASE_SECONDS = 20
CASE_MEGABYTES = 400
#: every Nth input also goes through ``lintletter check`` in this process (the CLI's own handling)
CLI_EVERY = 100


class Hung(Exception):
    pass


@contextlib.contextmanager
def bounded(seconds: float):
    def expire(signum, frame):
        raise Hung(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _digest(paths: list[Path]) -> dict[str, str]:
    out = {}
    for path in paths:
        if path.is_file():
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def cli(args: list[str]) -> tuple[int, str]:
    """``lintletter ARGS`` in this process: (exit code, stderr)."""
    from lintletter.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, err.getvalue()


def check_cli(args: list[str]) -> None:
    code, err = cli(args)
    assert code in (0, 1, 2), f"exit code {code}"
    assert "internal error" not in err and "Traceback" not in err, err[-500:]


# --- shared hostile pieces --------------------------------------------------------------------

REGEXES = [
    "^(a+)+$", "^(?>(a+)+b)", "^(a|aa)+$", "^a{0,99999}a{0,99999}b", "^a{0,9}a{0,9}a{0,9}b", "(x+x+)+y",
    "^(XXX+|TODO)$", "^_{3,}$", "^[A-Z]{2,8}$", "^(", "^\\1", "^(?=a)a", "^" + "a?" * 60 + "a" * 60, "^.*.*.*$",
    "^(\\w+\\s?)+$", "^[\\s\\S]*$", "", "^", "^\\d{1,3}(,\\d{3})*$", "(?i)^todo$", "^(?i)todo$", "^\ud800", "^(?P<x>a)(?P=x)",
]  # fmt: skip
OPS = [None, "?", "+", "*", "!", "{0,9}", "{2}", "{3,}", "{,5}", "{99999}", "{0,99999}", "{9,1}", "{a}", 7, "", "??"]
WORDS = ["i", "you", "would", "ask", "feedback", "anyone", "zzz", "thank", "sorry", "company", "a", ")", "[", "]", "'s", "😀", "\u200b", "і"]
HOSTILE_STRINGS = [
    "", " ", "\x00", "\ud800", "\u202e", "\x1b[2J", "a" * 5000, ")" * 3000, "*9 " * 40, "~" * 50, "|" * 50, "_" * 50,
    "i *9 *9 *9 *9 *9 *9 *9 zzz", "a_b|c " * 30, "*1", "*0", "*10", "~", "?", "a|", "|a", "~a|~b|c?", "i'd can't won't",
]  # fmt: skip


def alias_bomb(levels: int, width: int, leaf: str = "x") -> str:
    lines = [f"b0: &b0 [{', '.join([leaf] * width)}]"]
    lines += [f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def deep(depth: int, open_: str = "[", close: str = "]") -> str:
    return open_ * depth + close * depth


def yaml_scalar(rng: random.Random) -> str:
    choice = rng.randrange(10)
    if choice == 0:
        return rng.choice(["true", "null", "1e999", ".nan", "-.inf", "0x1F", "2024-01-01", "~", "[]", "{}"])
    if choice == 1:
        return deep(rng.choice([5, 70, 900, 2000]))
    if choice == 2:
        return "!!python/object/apply:os.system ['true']"
    if choice == 3:
        return '"' + rng.choice(HOSTILE_STRINGS).replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\0").replace("\ud800", "\\ud800").replace("\x1b", "\\e") + '"'
    if choice == 4:
        return "*undefined_alias"
    return rng.choice(["LL101", "LL1", "warning", "error", "info", "[LL999]", "{LL106: info}", "[1, 2]", "-3", "101", "0.5"])


def mutate_text(text: str, rng: random.Random) -> str:
    """Line- and character-level damage to a YAML or TOML text."""
    lines = text.split("\n")
    for _ in range(rng.randint(1, 4)):
        kind = rng.randrange(7)
        if kind == 0 and lines:
            del lines[rng.randrange(len(lines))]
        elif kind == 1 and lines:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
        elif kind == 2 and lines:
            i = rng.randrange(len(lines))
            lines[i] = " " * rng.randint(0, 6) + lines[i]
        elif kind == 3 and lines:
            i = rng.randrange(len(lines))
            if ":" in lines[i]:
                lines[i] = lines[i].split(":", 1)[0] + ": " + yaml_scalar(rng)
        elif kind == 4:
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(HOSTILE_STRINGS))
        elif kind == 5 and lines:
            i = rng.randrange(len(lines))
            cut = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:cut]
        else:
            lines.insert(rng.randrange(len(lines) + 1), "".join(chr(rng.randint(32, 0x2FF)) for _ in range(rng.randint(1, 30))))
    return "\n".join(lines)


def hostile_letters(words: list[str], rng: random.Random) -> list[str]:
    """Letters that make patterns work: their own words repeated, in long sentences."""
    base = (ROOT / "corpus" / "acceptance" / "complete.md").read_text(encoding="utf-8")
    pool = [w for w in words if w.strip()][:40] or WORDS
    run = " ".join(rng.choice(pool) for _ in range(600))
    same = " ".join([rng.choice(pool)] * 400)
    return [base, "Dear Sam,\n\n" + run + "\n\n" + same + "\n\nBest,\nAl\n"]


# --- target: rule files -----------------------------------------------------------------------


def _builtin_rule_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(RULES.rglob("LL*.yml"))]


RULE_TEMPLATE = """\
code: LL9{n:02d}
name: fuzz-rule-{n}
kind: {kind}
severity: warning
message: "Fuzz."
description: A fuzzed rule.
rationale: Fuzzing.
suggestion: None.
cues:
{cues}
{conditions}
examples:
  trigger: ["zzz"]
  pass: ["goodbye"]
"""


SAFE_REGEXES = ["^(XXX+|TODO)$", "^_{3,}$", "^[A-Z]{2,8}$", "(?i)^todo$", "^[a-z]+$", "^\\d{4}$"]
SAFE_OPS = [None, "?", "+", "*", "{0,9}", "{2}", "{3,}", "{,5}", "{0,99999}"]


def _token_pattern(rng: random.Random, strict: bool = False) -> str:
    tokens = []
    for _ in range(rng.randint(1, 12)):
        token: dict = {}
        attr = rng.choice(["LOWER", "LEMMA", "TEXT", "ORTH", "IS_ALPHA", "IS_PUNCT", "LOWER", "LEMMA", None] if strict else ["LOWER", "LEMMA", "TEXT", "ORTH", "IS_ALPHA", "IS_PUNCT", "LENGTH", "POS", "NORM", None])
        if attr in ("IS_ALPHA", "IS_PUNCT"):
            token[attr] = rng.choice([True, False, "yes"])
        elif attr == "LENGTH":
            token[attr] = rng.choice([{">=": 1}, 3, {"<": 99}])
        elif attr == "POS":
            token[attr] = "NOUN"
        elif attr:
            valid = [rng.choice(WORDS), {"IN": rng.sample(WORDS, 3)}, {"REGEX": rng.choice(SAFE_REGEXES if strict else REGEXES)}]
            token[attr] = rng.choice(valid if strict or rng.random() < 0.9 else [["x"], 3, None, {"NOT_IN": ["x"]}])
        op = rng.choice(SAFE_OPS if strict else OPS)
        if op is not None:
            token["OP"] = op
        tokens.append(token)
    import json

    return json.dumps(tokens, ensure_ascii=False)


def _phrase(rng: random.Random, strict: bool = False) -> str:
    parts = [rng.choice(WORDS)]
    for _ in range(rng.randint(0, 9)):
        kind = rng.randrange(7)
        if kind == 0:
            parts.append(f"*{rng.choice([1, 3, 9, 9, 9] if strict else [1, 3, 9, 9, 9] * 6 + [0, 10])}")
        elif kind == 1:
            parts.append("|".join(rng.sample(WORDS, rng.randint(2, 4))).replace(" ", "_"))
        elif kind == 2:
            parts.append("~" + rng.choice(WORDS))
        elif kind == 3:
            parts.append(rng.choice(WORDS) + "?")
        elif kind == 4:
            parts.append("_".join(rng.sample(WORDS, 2)) + "|" + rng.choice(WORDS))
        elif kind == 5 and not strict and rng.random() < 0.2:
            parts.append(rng.choice(HOSTILE_STRINGS))
        else:
            parts.append(rng.choice(WORDS))
    text = " ".join(parts).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\x00", "\\0").replace("\ud800", "\\ud800").replace("\x1b", "\\e") + '"'


#: the shared groups of the built-in lexicon that generated lexicons redefine
_BUILTIN_GROUPS = ("negation", "clause_break")


def _lexicon(groups: dict[str, str]) -> str:
    """A lexicon.yml defining ``groups`` (name -> YAML value): new names under ``groups:``, names the
    built-in lexicon has under ``replace:`` (under ``groups:`` they are refused as already defined)."""
    text = ""
    for key, names in (("groups", [g for g in groups if g not in _BUILTIN_GROUPS]), ("replace", [g for g in groups if g in _BUILTIN_GROUPS])):
        if names:
            text += f"{key}:\n" + "".join(f"  {g}: {groups[g]}\n" for g in names)
    return text


def generated_rule(rng: random.Random, n: int) -> dict[str, str]:
    """A rules folder: one generated rule, sometimes a lexicon, sometimes an alias bomb. Half are
    built from valid pieces only (so that matching, not just loading, meets hostile patterns)."""
    strict = rng.random() < 0.5
    groups = [f"g{i}" for i in range(rng.randint(1, 4))]
    cue_lines = []
    for g in groups:
        if rng.random() < 0.25:
            others = [h for h in groups if h != g] if strict else groups
            refs = [rng.choice(others * 3 + ["negation", "request", "$question"] * 2 + ([] if strict else ["nowhere"])) for _ in range(rng.randint(1, 12))]
            cue_lines.append(f"  {g}: {{any: [{', '.join(refs)}]}}")
        else:
            patterns = [_phrase(rng, strict) if rng.random() < 0.6 else _token_pattern(rng, strict) for _ in range(rng.randint(1, 5))]
            cue_lines.append(f"  {g}: [{', '.join(patterns)}]")
    kind = rng.choice(["phrase", "phrase", "section"] if strict else ["phrase", "phrase", "section", "required"])
    if kind == "section":
        conditions = f"section: {rng.choice(['advice', 'referrals'] if strict else ['advice', 'referrals', 'nowhere'])}\npresent: [[{groups[0]}]]\nweak: [[{rng.choice(groups)}]]\nnegation: [{rng.choice(groups)}]"
    else:
        conditions = f"match: [[{', '.join(rng.sample(groups, rng.randint(1, len(groups))))}]]"
        if rng.random() < 0.3:
            conditions += f"\nnegation: [{groups[0]}]"
    text = RULE_TEMPLATE.format(n=n % 100, kind=kind, cues="\n".join(cue_lines), conditions=conditions)
    if kind == "section":
        text = text.replace('trigger: ["zzz"]\n  pass: ["goodbye"]', 'present: ["zzz"]\n  missing: ["goodbye"]')
    files = {f"LL9{n % 100:02d}-fuzz.yml": text}
    extra = rng.randrange(8) if not strict else rng.choice([2, 3, 4, 5])
    if extra == 0:
        files[f"LL9{n % 100:02d}-fuzz.yml"] = alias_bomb(rng.choice([3, 9]), rng.choice([3, 10])) + text.replace("[[", "[", 0)
    elif extra == 1:
        a, b = rng.sample(["ping", "pong", "negation", "clause_break"], 2)
        files["lexicon.yml"] = _lexicon({a: f"{{any: [{b}]}}", b: f"{{any: [{a}]}}"})
    elif extra == 2:
        files["lexicon.yml"] = _lexicon({"negation": f"[{_token_pattern(rng)}]", "clause_break": '[[{"OP": "+"}]]'})
    elif extra == 3:
        files["lexicon.yml"] = "groups:\n" + "".join(
            f"  f{i}: {{any: [{', '.join([f'f{i - 1}'] * 10)}]}}\n" for i in range(1, 9)
        ) + "  f0: [hello]\n"
    elif extra == 4:  # a file extending the rule: its patterns merged into the rule's own group
        files[f"LL9{n % 100:02d}-more.yml"] = (
            f"extend: LL9{n % 100:02d}\ncues:\n  {groups[0]}: [{_phrase(rng, strict)}, {_token_pattern(rng, strict)}]\n"
            'examples:\n  pass: ["farewell"]\n'
        )
    elif extra == 5:  # a shared group extended with a hostile pattern
        files["lexicon.yml"] = f"extend:\n  negation: [{_token_pattern(rng, strict)}]\n"
    return files


def rule_case(rng: random.Random, n: int, builtin: list[str]) -> dict[str, str]:
    roll = rng.random()
    if roll < 0.4:
        return generated_rule(rng, n)
    text = rng.choice(builtin)
    if roll < 0.7:  # a built-in rule with hostile cue groups added (every group is compiled and matched)
        strict = rng.random() < 0.6
        groups = "".join(f"  fuzzed{i}: [{_phrase(rng, strict)}, {_token_pattern(rng, strict)}]\n" for i in range(rng.randint(1, 3)))
        text = text.replace("cues:\n", "cues:\n" + groups, 1) if "cues:\n" in text else text + "cues:\n" + groups
    else:
        text = mutate_text(text, rng)
    return {f"LL9{n % 100:02d}-mutated.yml": text}


class RuleTarget:
    name = "rules"

    def __init__(self) -> None:
        from lintletter import pipeline

        self.nlp = pipeline.load()
        self.builtin = _builtin_rule_texts()
        self.base = Path(tempfile.mkdtemp(prefix="lintletter-fuzz-base-"))
        for name in ("lexicon.yml", "scoring.yml"):  # a small base: loading stays fast
            (self.base / name).write_text((RULES / name).read_text(encoding="utf-8"), encoding="utf-8")

    def generate(self, rng: random.Random, n: int):
        return rule_case(rng, n, self.builtin)

    def run(self, case: dict[str, str], folder: Path, rng: random.Random, n: int) -> None:
        from lintletter import Linter, load_ruleset
        from lintletter.errors import RuleError

        rules = folder / "rules"
        rules.mkdir()
        for name, text in case.items():
            (rules / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        before = _digest(_files(rules))
        try:
            ruleset = load_ruleset([rules], base_dir=self.base)
            linter = Linter(ruleset, self.nlp)
        except RuleError:
            ruleset = linter = None
        if linter is not None:
            words = [w for text in case.values() for w in text.replace('"', " ").split()]
            for letter in hostile_letters(words, rng):
                report = linter.lint_text(letter, "fuzz.md")
                assert 0 <= report.score.value <= 100
        if n % CLI_EVERY == 0:
            letter = folder / "x.md"
            letter.write_text(hostile_letters([], rng)[0], encoding="utf-8")
            check_cli(["check", "-f", "json", str(letter), "--rules", str(rules)])
        assert _digest(_files(rules)) == before, "a rule file changed"


# --- target: config files ---------------------------------------------------------------------

CONFIG_KEYS = [
    "select", "extend-select", "ignore", "per-file-ignores", "exclude", "extend-exclude", "respect-gitignore",
    "fail-on", "min-score", "max-warnings", "severity", "weights", "rules", "colour", "select_", "embedded",
    "require-letter",
]  # fmt: skip
GLOBS = ["*.md", "drafts/", "**/x", "[", "[!", "\\", "!keep.md", "a/**/b", "/abs", "", "**", "*" * 200, "[a-", "{a,b}", "\ud800"]


def _config_value(key: str, rng: random.Random) -> str:
    if rng.random() < 0.2:
        return yaml_scalar(rng)
    if key in ("select", "extend-select", "ignore"):
        return "[" + ", ".join(rng.choice(["LL1", "LL101", "LL999", "bitterness", "LL", "", "LL3"]) for _ in range(rng.randint(0, 5))) + "]"
    if key in ("exclude", "extend-exclude"):
        return "[" + ", ".join(f'"{rng.choice(GLOBS)}"'.replace("\\", "\\\\").replace("\ud800", "\\ud800") for _ in range(rng.randint(0, 4))) + "]"
    if key == "per-file-ignores":
        glob = rng.choice(GLOBS).replace("\\", "\\\\").replace("\ud800", "\\ud800").replace('"', "")
        return "{" + f'"{glob}": [{rng.choice(["LL307", "LL999", "[x]"])}]' + "}"
    if key == "severity":
        return rng.choice(["{LL308: info}", "{LL106: {missing: info, weak: info}}", "{LL1: error}", "{LL999: info}", "{LL106: {gone: info}}", "[x]"])
    if key == "weights":
        return rng.choice(["{competitors: 5}", "{competitors: .nan}", "{advice: .inf}", "{advice: -1}", "{nowhere: 3}", "{advice: 1e308, referrals: 1e308}", "{advice: 0, referrals: 0, competitors: 0, acknowledgement: 0, continued_interest: 0, feedback_request: 0}"])
    if key == "rules":
        return rng.choice(["[house-rules/]", "[/dev/zero]", "[../../..]", "[]", "[\"\"]"])
    if key in ("min-score", "max-warnings"):
        return rng.choice(["70", "-1", "101", "0", "1e9", "true", "99999999999999999999"])
    if key == "fail-on":
        return rng.choice(["warning", "error", "info", "fatal", "[warning]"])
    if key == "embedded":
        return rng.choice(["auto", "marked", "off", "false", "[auto]", "{auto: 1}", "nope"])
    return rng.choice(["true", "false", "yes", "1"])


TOML_VALUES = ['["LL101"]', "70", '"warning"', "true", '{ LL308 = "info" }', "nan", "inf", "[[1]]", '""', '["[", "**"]']


def config_case(rng: random.Random) -> tuple[str, str]:
    """(file name, text): a .lintletter.yaml or a pyproject.toml."""
    if rng.random() < 0.75:
        keys = rng.sample(CONFIG_KEYS, rng.randint(0, 6))
        text = "".join(f"{key}: {_config_value(key, rng)}\n" for key in keys)
        kind = rng.randrange(10)
        if kind == 0:
            text = alias_bomb(rng.choice([4, 9]), 10, "LL101") + text + "ignore: *b3\n"
        elif kind == 1:
            text += f"ignore: {deep(rng.choice([70, 900, 3000]))}\n"
        elif kind == 2:
            text = mutate_text(text, rng)
        elif kind == 3:
            text += "ignore: [" + ", ".join(["LL101"] * rng.choice([10, 50_000])) + "]\n"
        return ".lintletter.yaml", text
    body = "".join(f"{key} = {rng.choice(TOML_VALUES)}\n" for key in rng.sample(CONFIG_KEYS, rng.randint(0, 5)))
    text = f"[tool.lintletter]\n{body}"
    kind = rng.randrange(6)
    if kind == 0:
        text = f"[tool.other]\nx = {deep(rng.choice([100, 3000]))}\n" + text
    elif kind == 1:
        text = mutate_text(text, rng)
    elif kind == 2:
        text = "[tool]\nlintletter = 3\n"
    return "pyproject.toml", text


class ConfigTarget:
    name = "config"

    def __init__(self) -> None:
        from lintletter import load_ruleset

        self.ruleset = load_ruleset()
        self._linter = None

    def generate(self, rng: random.Random, n: int):
        return config_case(rng)

    def run(self, case: tuple[str, str], folder: Path, rng: random.Random, n: int) -> None:
        from lintletter.config import ConfigFinder, read_config
        from lintletter.errors import ConfigError, RuleError

        name, text = case
        path = folder / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        (folder / "drafts").mkdir()
        letter = folder / "drafts" / "x.md"
        letter.write_text(hostile_letters([], rng)[0], encoding="utf-8")
        before = _digest([path, letter])
        for load in (lambda: read_config(path), lambda: ConfigFinder(cwd=folder).for_path(letter)):
            try:
                config = load()
            except ConfigError:
                continue
            try:
                config.check_codes(self.ruleset)
            except ConfigError:
                continue
            config.is_excluded(letter)
            config.ignores_for(letter)
            try:
                self.ruleset.with_overrides(config.severity, config.weights)
            except RuleError:
                pass
        if n % 20 == 0:  # the whole path, scores included, on a share of them
            check_cli(["check", "-f", "json", "--config", str(path), str(letter)])
        assert _digest([path, letter]) == before, "an input changed"


# --- target: e-mails --------------------------------------------------------------------------

CHARSETS = [
    "utf-8", "us-ascii", "iso-8859-1", "windows-1252", "utf-16", "utf-7", "rot13", "base64", "zlib", "bz2", "hex",
    "uu", "quopri", "punycode", "idna", "unicode_escape", "raw_unicode_escape", "undefined", "x-unknown", "", '"',
    "utf-8'en'", "a" * 300, "\xe9", "cp65001", "mbcs", "utf_32_be", "shift_jis", "koi8-r", "big5",
]  # fmt: skip
CTES = ["7bit", "8bit", "binary", "base64", "quoted-printable", "x-uuencode", "bogus", "", "BASE64 "]


def _email_body(rng: random.Random) -> bytes:
    letter = (ROOT / "corpus" / "acceptance" / "complete.md").read_text(encoding="utf-8")
    kind = rng.randrange(8)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))
    if kind == 1:
        return ("<html><body>" + "<div>" * rng.choice([5, 500, 3000]) + letter.replace("\n", "<br>") + "</div>" * 3 + "<blockquote>old</blockquote>").encode()
    if kind == 2:
        return letter.encode("utf-8").replace(b"Thank", b"Thank +2D0-")
    if kind == 3:
        return b"=" * rng.randint(1, 50) + b"=F\n=XX" + letter.encode()
    if kind == 4:
        return b"\\ud800 \\x00 \\N{BOGUS} " + letter.encode()
    return letter.encode(rng.choice(["utf-8", "cp1252", "utf-16"]), errors="replace")


def email_case(rng: random.Random) -> bytes:
    headers = [f"From: {rng.choice(['al@example.com', '=?utf-8?q?Al?= <a@b.c>', '', '<>'])}"]
    subject = rng.choice(["Thank you", f"=?{rng.choice(CHARSETS)}?q?Hi_there?=", "=?utf-7?q?+2D0-?=", "=?bad", "x" * 2000, ""])
    headers.append(f"Subject: {subject}")
    if rng.random() < 0.2:
        headers.append("Date: " + rng.choice(["Mon, 3 Mar 2025 10:00:00 +0000", "garbage", "99999"]))
    depth = rng.choice([0, 0, 0, 1, 3, 60, 1200])
    ctype = rng.choice(["text/plain", "text/html", "text/plain", "image/png", "text/enriched", "multipart/alternative"])
    charset = rng.choice(CHARSETS)
    cte = rng.choice(CTES)
    body = _email_body(rng)
    if cte.strip().lower() == "base64" and rng.random() < 0.7:
        import base64

        body = base64.encodebytes(body)
        if rng.random() < 0.2:
            body = body[: max(1, len(body) - rng.randint(1, 5))]
    part = f"Content-Type: {ctype}; charset={charset}\nContent-Transfer-Encoding: {cte}\n\n".encode() + body
    if rng.random() < 0.2:
        part = f"Content-Type: {ctype}; charset*=utf-8''{charset}%FF\n\n".encode() + body
    nested = part
    for i in range(depth):
        boundary = f"b{i}" if rng.random() < 0.95 else ""
        nested = (
            f"Content-Type: multipart/{rng.choice(['mixed', 'alternative', 'related'])}; boundary={boundary}\n\n--{boundary}\n".encode()
            + nested
            + (f"\n--{boundary}--\n".encode() if rng.random() < 0.9 else b"")
        )
    data = ("\n".join(headers) + "\n").encode("utf-8", "surrogateescape") + nested
    if rng.random() < 0.3:
        data = data.replace(b"\n", b"\r\n")
    if rng.random() < 0.25:  # byte-level damage
        raw = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            if raw:
                raw[rng.randrange(len(raw))] = rng.randrange(256)
        if rng.random() < 0.5:
            raw = raw[: rng.randint(0, len(raw))]
        data = bytes(raw)
    return data


# --- target: Word documents -------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_body(rng: random.Random) -> str:
    letter = (ROOT / "corpus" / "acceptance" / "complete.md").read_text(encoding="utf-8")
    paragraphs = []
    for line in letter.split("\n")[: rng.randint(1, 40)]:
        kind = rng.randrange(9)
        text = line.replace("&", "&amp;").replace("<", "&lt;")
        if kind == 0:
            paragraphs.append(f"<w:p><w:r><w:t>{text}</w:t><w:br/><w:tab/></w:r></w:p>")
        elif kind == 1:
            paragraphs.append(f"<w:p><w:del><w:r><w:delText>{text}</w:delText></w:r></w:del></w:p>")
        elif kind == 2:
            paragraphs.append("<w:tbl>" * rng.choice([1, 50, 400]) + f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" + "</w:tbl>" * rng.choice([1, 50, 400]))
        elif kind == 3:
            paragraphs.append(f"<w:p><w:r><w:t>{text * rng.choice([1, 1000, 50_000])}</w:t></w:r></w:p>")
        elif kind == 4:
            paragraphs.append("<w:p><w:r><w:t>&xxe;&lol9;</w:t></w:r></w:p>")
        elif kind == 5:
            paragraphs.append("<w:p><w:r><w:t>" + "".join(chr(rng.choice([0x1, 0xD800 - 1, 0xFFFE, 0x200B, 0x41])) for _ in range(20)) + "</w:t></w:r></w:p>")
        else:
            paragraphs.append(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    doctype = ""
    if rng.random() < 0.2:
        doctype = (
            '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
            + "]>"
        )
    body = "".join(paragraphs)
    if rng.random() < 0.1:
        body = "<w:p>" * 5000 + body
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}<w:document {W}><w:body>{body}</w:body></w:document>'


def docx_case(rng: random.Random) -> bytes:
    members = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": _docx_body(rng)}
    kind = rng.randrange(10)
    if kind == 0:
        del members[rng.choice(list(members))]
    elif kind == 1:
        members["_rels/.rels"] = RELS.replace("word/document.xml", rng.choice(["../../etc/passwd", "word/missing.xml", "", "word/document.xml#x"]))
    elif kind == 2:
        members["word/media/image1.png"] = "\0" * rng.choice([10, 60 * 1024 * 1024])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text.encode("utf-8", "surrogatepass"))
        if kind == 3:
            archive.writestr("word/document.xml", "<x/>")  # a duplicate name
    data = out.getvalue()
    if kind == 4:  # lie about sizes in the central directory
        raw = bytearray(data)
        at = raw.find(b"PK\x01\x02")
        if at >= 0:
            raw[at + 24 : at + 28] = (rng.choice([0, 1, 2**31]) % 2**32).to_bytes(4, "little")
        data = bytes(raw)
    if kind in (5, 6):  # byte-level damage
        raw = bytearray(data)
        for _ in range(rng.randint(1, 30)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        if kind == 6:
            raw = raw[: rng.randint(0, len(raw))]
        data = bytes(raw)
    if kind == 7:
        data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(rng.randrange(256) for _ in range(200))
    return data


class ReaderTarget:
    def __init__(self, name: str, suffix: str, make: Callable[[random.Random], bytes]) -> None:
        self.name, self.suffix, self.make = name, suffix, make

    def generate(self, rng: random.Random, n: int):
        return self.make(rng)

    def run(self, data: bytes, folder: Path, rng: random.Random, n: int) -> None:
        from lintletter.errors import InputError
        from lintletter.reading import MAX_BYTES, read_file

        path = folder / f"letter{self.suffix}"
        path.write_bytes(data)
        before = _digest([path])
        try:
            source = read_file(path, str(path))
        except InputError as exc:
            assert "\n" not in str(exc) and len(str(exc)) < 1000, str(exc)[:300]
        else:
            source.text.encode("utf-8")  # no lone surrogates
            assert len(source.text) <= MAX_BYTES + 1
        if n % CLI_EVERY == 0:
            check_cli(["check", "-f", "json", str(path)])
        assert _digest([path]) == before, "the input changed"


TARGETS: dict[str, Callable[[], object]] = {
    "rules": RuleTarget,
    "config": ConfigTarget,
    "eml": lambda: ReaderTarget("eml", ".eml", email_case),
    "docx": lambda: ReaderTarget("docx", ".docx", docx_case),
}


def run(target_name: str, count: int, seed: int, out=sys.stdout) -> dict:
    target = TARGETS[target_name]()
    rng = random.Random(f"{target_name}:{seed}")
    failures: list[str] = []
    slowest = 0.0
    started = time.perf_counter()
    for n in range(count):
        case = target.generate(rng, n)
        case_rng = random.Random(f"{target_name}:{seed}:{n}")
        with tempfile.TemporaryDirectory(prefix="lintletter-fuzz-") as tmp:
            peak = _peak_mb()
            began = time.perf_counter()
            try:
                with bounded(CASE_SECONDS):
                    target.run(case, Path(tmp), case_rng, n)
            except Exception as exc:  # collect, do not stop: the summary names every failing input
                failures.append(f"{target_name} input {n}: {exc.__class__.__name__}: {str(exc)[:300]}")
            slowest = max(slowest, time.perf_counter() - began)
            grew = _peak_mb() - peak
            if grew > CASE_MEGABYTES:
                failures.append(f"{target_name} input {n}: peak memory grew by {grew:.0f} MB")
    elapsed = time.perf_counter() - started
    summary = {
        "target": target_name, "count": count, "seed": seed, "seconds": round(elapsed, 1),
        "slowest_case_seconds": round(slowest, 2), "peak_rss_mb": round(_peak_mb()), "failures": failures,
    }  # fmt: skip
    print(
        f"fuzz {target_name}: {count} inputs, seed {seed}, {elapsed:.1f} s (slowest input {slowest:.2f} s), "
        f"peak RSS {summary['peak_rss_mb']} MB, {len(failures)} failure(s)",
        file=out,
    )
    for line in failures[:20]:
        print("  " + line, file=out)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", choices=[*TARGETS, "all"], default="all")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    # The long run caps the address space: a memory bomb fails as MemoryError, not by taking the machine.
    limit = 4 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    names = list(TARGETS) if args.target == "all" else [args.target]
    failed = False
    for name in names:
        failed |= bool(run(name, args.count, args.seed)["failures"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
