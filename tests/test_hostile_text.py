"""Letter text that is hostile to the NLP: quadratic tokenizer inputs, invisible and look-alike letters.

See lintletter/tokens.py. Work that ran inside spaCy's tokenizer (which a signal cannot interrupt)
runs in a child process with a timeout (tests/bounds.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lintletter import anatomy
from lintletter.analysis import prose_blocks

from .bounds import run_cli
from .conftest import ACCEPTANCE, CORPUS

LETTER = (ACCEPTANCE / "complete.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("tail", [")" * 32_000, "'s" * 16_000])
def test_a_long_run_of_affixes_is_linted_in_linear_time(tmp_path, tail):
    """spaCy strips affixes one at a time, rescanning the rest: 16,000 ")" took 43 s."""
    path = tmp_path / "parens.md"
    path.write_text(LETTER.replace("Thank you for letting me know", "Thank you" + tail + " for letting me know", 1))
    result = run_cli("check", "-f", "json", str(path), timeout=60)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)["files"][0]
    assert report["sections"]["acknowledgement"]["status"] == "present"


@pytest.mark.parametrize("unit", [")", "😀", "“", "!"])
def test_the_linear_tokenizer_splits_affix_runs_with_true_offsets(linter, unit):
    from lintletter.tokens import tokenize

    from .bounds import within

    text = "Thank you" + unit * 5000 + " again."
    with within(20):
        tokens = tokenize(linter.nlp, text)
    assert [t for _, _, t in tokens[:3]] == ["Thank", "you", unit] and len(tokens) == 2 + 5000 + 2
    assert all(text[start:end] == token for start, end, token in tokens)


def test_the_tokenizer_is_spacys_on_every_corpus_paragraph(linter):
    """The linear splitter never touches ordinary text: every corpus block gets spaCy's tokens. The
    parsed blocks include the salutation, closing and signature lines, so names from any language:
    where normalising deliberately rewrites a letter (the dotless ı of "Emre Yıldız" is a look-alike
    of i), the tokens are still spaCy's, at the same offsets, with the normalised text."""
    from lintletter.tokens import normalise, tokenize

    nlp = linter.nlp
    checked = rewritten = 0
    paths = sorted((CORPUS / "letters").iterdir()) + sorted(p for p in (CORPUS / "acceptance").iterdir() if p.is_file())
    for path in paths:
        for block in prose_blocks(anatomy.parse(path.read_text(encoding="utf-8"))):
            expected = [(t.idx, t.idx + len(t.text), t.text) for t in nlp.make_doc(block.text) if not t.is_space]
            got = tokenize(nlp, block.text)
            normalised, origin = normalise(block.text)
            if origin is None:
                assert got == expected, block.text[:80]
            else:
                assert [t[:2] for t in got] == [t[:2] for t in expected], block.text[:80]
                from_original = [
                    "".join(c for c, at in zip(normalised, origin) if start <= at < end) for start, end, _ in expected
                ]  # the normalised characters each token's original characters became
                assert [t[2] for t in got] == from_original, block.text[:80]
                rewritten += 1
            checked += 1
    assert checked > 1000
    assert rewritten <= 3  # normalising is for disguised words: real letters hardly ever need it


# The regexes the letter anatomy (anatomy.py) and what-it-is-about (about.py) search a letter with:
# each of these took one or two minutes (a regex tried every split of a long run of blanks, or
# scanned from each "[" to the end of its line). Regexes run in C, which a signal cannot
# interrupt: child processes with a timeout.
SHORT = "Dear Sam,\n\nThank you for letting me know. Could you share feedback on my interview?\n\nBest,\nAl\n"
SLOW_LETTERS = {
    "60,000 blank lines above the greeting": "\n" * 60_000 + SHORT,  # about._medium: 95 s
    "'On Mon,' and 40,000 spaces": "On Mon," + " " * 40_000 + "x\n" + SHORT,  # about._WROTE_LINE: 120 s
    "150,000 '[' in the body": SHORT.replace("Best,", "[" * 150_000 + "\n\nBest,"),  # anatomy._LINK: 120 s
}


@pytest.mark.parametrize("case", sorted(SLOW_LETTERS))
def test_the_anatomy_and_about_regexes_are_linear(tmp_path, case):
    path = tmp_path / "x.md"
    path.write_text(SLOW_LETTERS[case], encoding="utf-8")
    result = run_cli("check", "-f", "json", str(path), timeout=40)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)["files"][0]
    assert report["about"]["reader"]["value"] == "Sam"


# --- invisible and look-alike characters ---------------------------------------------------

BITTER = "Honestly, the process felt rigged from the start."
DISGUISES = {
    "zero-width space": "rig\u200bged",
    "word joiner": "rig\u2060ged",
    "soft hyphen": "rig\u00adged",
    "zero-width joiners": "r\u200di\u200dg\u200dg\u200de\u200dd",
    "Cyrillic e": "rigg\u0435d",
    "Cyrillic i": "r\u0456gged",
    "fullwidth": "\uff52\uff49\uff47\uff47\uff45\uff44",
    "mathematical bold": "\U0001d42b\U0001d422\U0001d420\U0001d420\U0001d41e\U0001d41d",
    "combining strokes": "r\u0336i\u0336g\u0336g\u0336e\u0336d\u0336",
    "tag characters": "rig\U000e0041ged",
}


@pytest.mark.parametrize("how", sorted(DISGUISES))
def test_disguised_words_still_trigger_tone_rules_at_their_true_position(linter, how):
    word = DISGUISES[how]
    text = LETTER.replace("Thank you for letting me know", BITTER.replace("rigged", word) + " Thank you for letting me know", 1)
    report = linter.lint_text(text, "x.md")
    bitter = [f for f in report.findings if f.code == "LL201"]
    assert bitter, f"{how}: LL201 missed {word!r}"
    assert text[bitter[0].span.start : bitter[0].span.end] == word  # the original characters, not the normalised ones
    # and everything after it is still located exactly
    clean = linter.lint_text(LETTER.replace("Thank you for letting me know", BITTER + " Thank you for letting me know", 1), "x.md")
    shift = len(word) - len("rigged")
    evidence = report.sections["referrals"].evidence[0]
    assert (evidence.start - shift, evidence.end - shift) == (clean.sections["referrals"].evidence[0].start, clean.sections["referrals"].evidence[0].end)


def test_a_word_made_only_of_look_alikes_in_an_english_letter_is_caught(linter):
    report = linter.lint_text(LETTER.replace("Thank you for letting me know", "It was a јоке. Thank you for letting me know", 1))
    assert any(f.code == "LL201" for f in report.findings)  # "јоке": Cyrillic j, o, k, e


def test_a_disguised_plea_is_caught(linter):
    report = linter.lint_text(LETTER.replace("Thank you for letting me know", "I am d\u0435sp\u0435rate. Thank you for letting me know", 1))
    assert any(f.code == "LL203" for f in report.findings)


def test_text_in_other_scripts_is_left_alone():
    from lintletter.tokens import normalise

    russian = "Спасибо за ответ, мне очень жаль. Всё хорошо, спасибо."
    assert normalise(russian)[0].split() == russian.split()  # even "хорошо", all look-alike letters
    assert normalise("Thank you — I’m grateful, café") == ("Thank you — I’m grateful, café", None)


def test_positions_in_json_point_into_the_file(tmp_path):
    text = LETTER.replace("Thank you for letting me know", BITTER.replace("rigged", "rig\u200bged") + " Thank you for letting me know", 1)
    path = tmp_path / "x.md"
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", "-f", "json", str(path))
    finding = next(d for d in json.loads(result.stdout)["files"][0]["diagnostics"] if d["code"] == "LL201")
    line = text.splitlines()[finding["line"] - 1]
    assert line[finding["column"] - 1 :].startswith("rig\u200bged") and finding["text"] == "rig\u200bged"


# --- front matter ----------------------------------------------------------------------------


def _front_matter_problems(linter, text: str) -> list[str]:
    return [f.message for f in linter.lint_text(text).findings if f.code == "LL313"]


def test_a_megabytes_long_front_matter_is_not_parsed(linter):
    """The pure-Python YAML loader took 47 s and 1.25 GB on 4.7 MB of front matter."""
    from .bounds import within

    front = "---\n" + "".join(f"key{i}: [value, {i}, {{a: b}}]\n" for i in range(80_000)) + "---\n"
    assert len(front) > 2_000_000
    with within(20):
        problems = _front_matter_problems(linter, front + LETTER)
    assert any("front matter is larger than 64 kB" in p for p in problems), problems


def test_front_matter_uses_the_c_yaml_loader():
    import yaml

    if hasattr(yaml, "CSafeLoader"):
        assert anatomy._SAFE_LOADER is yaml.CSafeLoader


def test_an_alias_bomb_in_front_matter_is_refused(linter):
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
    )
    problems = _front_matter_problems(linter, "---\n" + bomb + "company: Acme\n---\n" + LETTER)
    assert any("expands to more than 100,000 values" in p for p in problems), problems


@pytest.mark.parametrize("key, slot", [("interviewer", "reader"), ("company", "company")])
def test_a_long_front_matter_value_is_not_searched_for(linter, key, slot):
    """A front-matter value over 80 characters is no value to look for (lintletter.about): 5,000
    names are neither a reader to greet nor a company the letter must name, so LL312 neither scans
    the letter for each of them nor quotes 40 kB of them."""
    from .bounds import within

    names = " ".join(f"Name{i}" for i in range(5000))
    with within(20):
        report = linter.lint_text(f"---\n{key}: {names}\n---\n" + LETTER * 20)
    fact = report.about.get(slot)
    assert fact is None or (fact.source != "front matter" and len(fact.value) < 100), fact
    assert all(len(f.message) < 400 for f in report.findings)


def test_a_front_matter_value_padded_with_blanks_is_found_in_linear_time():
    """Finding where a front-matter value is written took a lazy regex ending in \\s*$: a value
    padded with 60 kB of spaces (``a<60,000 spaces>b``, "a b" once its blanks are collapsed) took
    12 s. The regex runs in C, which a signal cannot interrupt: a child process with a timeout."""
    from .bounds import run_python

    code = (
        "from lintletter import about, anatomy\n"
        "text = '---\\ncompany: a' + ' ' * 60000 + 'b\\n---\\nDear Sam,\\n\\nThanks.\\n\\nBest,\\nAl\\n'\n"
        "fact = about.extract(anatomy.parse(text)).get('company')\n"
        "print(fact.value, fact.source, text[fact.span.start], text[fact.span.end - 1])\n"
    )
    result = run_python(code, timeout=8)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split() == ["a", "b", "front", "matter", "a", "b"]
