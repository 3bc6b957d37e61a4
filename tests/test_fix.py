"""`lintletter fix`: the suggested sentences inserted where they belong, only insertions, idempotent,
byte for byte in the file's own encoding, and a fixed letter that lacks no section."""

from __future__ import annotations

import difflib
import hashlib
import os
import random
import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintletter import fix
from lintletter import anatomy
from lintletter.cli import main
from lintletter.fixing import fix_report
from lintletter.model import Status

from .conftest import CORPUS, ROOT, corpus_sample

LETTERS = ROOT / "corpus" / "fixtures"
BELL = LETTERS / "bellweather.md"
SECTION_RULES = {"LL101", "LL102", "LL103", "LL104", "LL105", "LL106"}
# (never the blind holdout: a failing test would tell us about letters we must not see)
# (a sample of every writer's letters: all of them under LINTLETTER_FULL_TESTS=1)
CORPUS_SAMPLE = corpus_sample((CORPUS / "letters").glob("*.*"), salt="fix") + sorted((CORPUS / "acceptance").glob("*.*"))
SETTINGS = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def lines_of(text):
    return [m.group() for m in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)]


def only_inserts(old: str, new: str) -> bool:
    """Every line of ``old`` is in ``new``, in order and unchanged (a last line without a line
    break may gain one when something is appended after it)."""
    old_lines, new_lines = lines_of(old), lines_of(new)
    it = iter(new_lines)
    for n, line in enumerate(old_lines):
        last = n == len(old_lines) - 1 and not line.endswith(("\n", "\r"))
        if not any(got == line or (last and got.rstrip("\r\n") == line) for got in it):
            return False
    return True


def missing_section_findings(report):
    return [f.code for f in report.findings if f.code in SECTION_RULES and report.sections[f.section].status is Status.MISSING]


# --- the CLI ----------------------------------------------------------------------------------


def test_fix_prints_a_diff_and_changes_nothing(capsys, tmp_path):
    letter = tmp_path / "bellweather.md"
    shutil.copy(BELL, letter)
    before = digest(letter)
    code, out, err = run(capsys, "fix", str(letter))
    assert code == 1
    assert digest(letter) == before and sorted(os.listdir(tmp_path)) == ["bellweather.md"]
    assert out.startswith(f"--- {letter}\n+++ {letter}\n@@ ")
    body = [line for line in out.splitlines()[2:] if not line.startswith("@@")]
    assert all(line.startswith((" ", "+")) for line in body), out  # only insertions
    added = "\n".join(line[1:] for line in body if line.startswith("+"))
    assert "Bellweather Foods" in added and "Acme" not in added
    assert "would insert" in err and "LL103" in err


def test_fix_write_applies_it_and_a_second_run_has_nothing_to_do(capsys, tmp_path, linter):
    letter = tmp_path / "bellweather.md"
    shutil.copy(BELL, letter)
    os.chmod(letter, 0o640)
    code, out, err = run(capsys, "fix", "--write", str(letter))
    assert code == 0 and out == "" and "inserted" in err
    assert os.stat(letter).st_mode & 0o777 == 0o640 and sorted(os.listdir(tmp_path)) == ["bellweather.md"]
    fixed = letter.read_text(encoding="utf-8")
    assert only_inserts(BELL.read_text(encoding="utf-8"), fixed)
    report = linter.lint_text(fixed)
    assert missing_section_findings(report) == []
    assert {s: r.status.value for s, r in report.sections.items()} == {
        "acknowledgement": "weak", "continued_interest": "present", "feedback_request": "present",
        "advice": "present", "referrals": "present", "competitors": "present",
    }
    before = digest(letter)
    assert run(capsys, "fix", str(letter))[:2] == (0, "")
    assert run(capsys, "fix", "--write", str(letter))[0] == 0 and digest(letter) == before


def test_fix_puts_each_sentence_where_it_belongs(linter):
    text = (
        "---\ncompany: Northwind Logistics\n---\n"
        "Dear Ms. Okafor,\n\nIt was good to talk on Friday.\n\nI learned a lot from the panel.\n\n"
        "P.S. The bakery you mentioned was wonderful.\n\n"
        "On Fri, 7 Mar 2025, Ada Okafor <ada@northwind.example> wrote:\n> We have chosen another candidate.\n"
    )
    report = linter.lint_text(text)
    new = fix.apply(text, fix.plan(report))
    assert only_inserts(text, new)
    parsed = anatomy.parse(new)
    body = [new[b.span.start : b.span.end] for b in parsed.blocks if b.region == "body"]
    assert body[0].startswith("It was good to talk on Friday.\nI was disappointed")  # into the first paragraph
    assert "Northwind Logistics" in body[0]
    asks = next(b for b in body if "fell short" in b)
    assert "Which other companies" in asks and "inside or outside Northwind Logistics" in asks  # one paragraph
    assert new.index(asks) < new.index("P.S.") < new.index("On Fri")  # before the P.S. and the quote
    assert new[parsed.front_matter_span.start : parsed.front_matter_span.end] == text[: text.index("---\nDear") + 3]
    assert new[new.index("P.S.") :].count("\n") == text[text.index("P.S.") :].count("\n")  # nothing in P.S. or quote
    assert parsed.closing is not None and new[parsed.closing.start : parsed.closing.end] == "Kind regards,"
    assert missing_section_findings(linter.lint_text(new)) == []


def test_fix_leads_in_and_lists_stay_together(linter):
    text = "Hi Sam,\n\nI have three questions:\n- Where did my interview fall short?\n- What would you do in my place?\n- Who should I talk to?\n\nThanks,\nAl\n"
    new = fix.apply(text, fix.plan(linter.lint_text(text)))
    assert new.startswith("Hi Sam,\n\nI was disappointed")
    assert "I have three questions:\n- Where did my interview fall short?" in new
    after = linter.lint_text(new)
    assert after.sections["feedback_request"].status is Status.PRESENT and missing_section_findings(after) == []


def test_fix_signs_with_the_name_the_letter_gives_and_greets_the_reader(linter):
    text = "---\ninterviewer: Marcus Lee\nwriter: Priya Raman\n---\nThank you for letting me know that you chose another candidate.\n"
    new = fix.apply(text, fix.plan(linter.lint_text(text)))
    assert "\nDear Marcus,\n\nThank you for letting me know" in new or "\nHi Marcus,\n\nThank you" in new
    assert new.endswith("\nPriya Raman\n") and only_inserts(text, new)
    assert {"LL301", "LL305", "LL306"}.isdisjoint(f.code for f in linter.lint_text(new).findings)


def test_fix_never_invents_a_signature(linter):
    report = linter.lint_text("Dear Sam,\n\nThank you for letting me know that you chose another candidate.\n")
    assert "LL306" not in {e.code for e in fix.plan(report)}  # the letter does not say who is writing


def test_fix_follows_the_selection(capsys, tmp_path):
    letter = tmp_path / "bellweather.md"
    shutil.copy(BELL, letter)
    code, out, _ = run(capsys, "fix", "--select", "LL103", str(letter))
    added = [line for line in out.splitlines()[2:] if line.startswith("+") and line[1:].strip()]
    assert code == 1 and added == ["+Could you tell me where my interview fell short?"]
    code, out, _ = run(capsys, "fix", "--ignore", "LL1,LL3", str(letter))
    assert (code, out) == (0, "")
    (tmp_path / ".lintletter.yaml").write_text("ignore: [LL104, LL106, LL304, LL305]\n")
    code, out, _ = run(capsys, "fix", str(letter))
    assert "what would you focus on" not in out and "Which other companies" not in out and "fell short" in out
    code, out, _ = run(capsys, "fix", "--no-config", str(letter))
    assert "Which other companies" in out


@pytest.mark.parametrize("name", ["reply.eml", "letter.docx"])
def test_fix_refuses_email_and_word_files(capsys, tmp_path, name):
    (tmp_path / name).write_bytes((CORPUS / "inputs" / ("reply-plain.eml" if name.endswith("eml") else "letter.docx")).read_bytes())
    code, out, err = run(capsys, "fix", str(tmp_path / name))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "cannot fix" in err


def test_fix_reads_stdin_but_will_not_write_it(capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BELL.read_bytes())))
    code, out, _ = run(capsys, "fix", "-", "--stdin-filename", "drafts/bell.md")
    assert code == 1 and out.startswith("--- drafts/bell.md\n")
    code, _, err = run(capsys, "fix", "--write", "-")
    assert code == 2 and "standard input" in err


def test_fix_errors_never_leave_a_half_written_file(capsys, tmp_path, monkeypatch):
    letter = tmp_path / "bellweather.md"
    shutil.copy(BELL, letter)
    before = digest(letter)

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    code, _, err = run(capsys, "fix", "--write", str(letter), str(tmp_path / "missing.md"))
    assert code == 2 and "No space left on device" in err and "missing.md: no such file" in err
    assert digest(letter) == before and sorted(os.listdir(tmp_path)) == ["bellweather.md"]


def test_fix_keeps_a_forum_post_with_a_title_line(capsys, tmp_path):
    # the draft between "---" lines is the letter; the fix goes into it, and the post around it
    # (its title line, the question to the forum) is written back as it was
    letter = tmp_path / "z04.txt"
    original = (CORPUS / "letters" / "z04-forum-post-medical-assistant.txt").read_bytes()
    letter.write_bytes(original)
    code, out, err = run(capsys, "fix", "--write", "--no-config", str(letter))
    assert code == 0 and out == "", err
    new = letter.read_bytes().decode("utf-8")
    assert only_inserts(original.decode("utf-8"), new) and new.startswith("Title: Rejected after final round")
    assert new.rstrip().endswith("or is that too much?")
    assert run(capsys, "fix", "--no-config", str(letter))[:2] == (0, "")


def test_fix_puts_each_letter_of_a_document_right_in_that_letter(capsys, tmp_path):
    # two letters back to back, each missing something else: each letter's sentences go into that
    # letter (not all after the last one), and afterwards neither letter lacks what was inserted
    doc = tmp_path / "back-to-back.md"
    shutil.copy(CORPUS / "embedded" / "back-to-back.md", doc)
    old = doc.read_text(encoding="utf-8")
    before = json_letters(capsys, doc)
    assert len(before) == 2 and all(set(b["codes"]) & SECTION_RULES for b in before)
    code, out, err = run(capsys, "fix", "--write", "--no-config", str(doc))
    assert code == 0 and "internal error" not in err, err
    assert only_inserts(old, doc.read_text(encoding="utf-8"))
    after = json_letters(capsys, doc)
    assert len(after) == 2
    for b, a in zip(before, after):
        inserted = {c for c in b["codes"] if c in SECTION_RULES} - {c for c in a["codes"]}
        assert inserted and set(a["codes"]) <= set(b["codes"]), (b, a)


@pytest.mark.parametrize("path", sorted((CORPUS / "embedded").glob("*.md")), ids=lambda p: p.stem)
def test_fix_on_documents_with_letters_inside(capsys, tmp_path, path):
    """Career-site articles and guides with sample letters: fix them all, or say why not; never an
    internal error, only insertions, a letter never gains a finding, and a second run has nothing to do."""
    doc = tmp_path / path.name
    shutil.copy(path, doc)
    old = doc.read_text(encoding="utf-8")
    before = json_letters(capsys, doc)
    code, out, err = run(capsys, "fix", "--write", "--no-config", str(doc))
    assert code == 0 and "internal error" not in err and "re-encoding" not in err, err
    assert only_inserts(old, doc.read_text(encoding="utf-8"))
    after = json_letters(capsys, doc)
    assert len(after) == len(before)
    for b, a in zip(before, after):
        assert set(a["codes"]) <= set(b["codes"]), (b, a)
    code, out, err = run(capsys, "fix", "--no-config", str(doc))
    assert (code, out) == (0, ""), out


def test_a_quoted_sample_letter_gets_quoted_insertions(capsys, tmp_path):
    """A sample letter in a blockquote (a career article): what fix inserts is quoted like the letter,
    so it stays inside the letter; unquoted, it would end the blockquote and lose the letter."""
    doc = tmp_path / "blockquoted-sample.md"
    shutil.copy(CORPUS / "embedded" / "blockquoted-sample.md", doc)
    old = doc.read_text(encoding="utf-8")
    code, out, err = run(capsys, "fix", "--write", "--no-config", str(doc))
    assert code == 0 and "inserted" in err and "not fixed" not in err, err
    new = doc.read_text(encoding="utf-8")
    added = [line for line in new.splitlines() if line not in old.splitlines()]
    assert added and all(line.startswith(">") for line in added), added
    assert json_letters(capsys, doc)[0]["codes"] == []


def json_letters(capsys, path):
    """Per letter of a file: the codes `check --format json` reports."""
    import json

    code, out, err = run(capsys, "check", "--no-config", "--no-cache", "--format", "json", str(path))
    assert code in (0, 1), err
    return [{"codes": sorted({d["code"] for d in f["diagnostics"]})} for f in json.loads(out)["files"]]


def test_fix_on_a_copy_of_the_corpus(capsys, tmp_path):
    """Corpus letters (a sample of every writer, not the one below), in a temp copy: `fix --write`
    only inserts, and a second run has nothing to do (what each fixed letter re-lints to is checked
    letter by letter below)."""
    copy = tmp_path / "letters"
    copy.mkdir()
    for path in corpus_sample((CORPUS / "letters").iterdir(), salt="fix --write"):
        shutil.copy(path, copy / path.name)
    originals = {p.name: p.read_bytes() for p in copy.iterdir()}
    code, out, err = run(capsys, "fix", "--write", "--no-config", str(copy))
    assert code == 0 and out == "", err
    changed = 0
    for name, old in originals.items():
        new = (copy / name).read_bytes()
        changed += new != old
        assert only_inserts(old.decode("utf-8"), new.decode("utf-8")), name
    # most corpus letters lack something (not the letters that are not replies to a rejection)
    assert changed >= len(originals) * 2 // 3 and err.count("inserted") == changed
    assert run(capsys, "fix", "--no-config", str(copy))[:2] == (0, "")


@pytest.mark.parametrize("path", CORPUS_SAMPLE, ids=lambda p: p.stem)
def test_fix_every_corpus_letter(linter, path):
    text = path.read_text(encoding="utf-8")
    report = linter.lint_text(text, path.name)
    edits, new, again, left_out = fix_report(linter, report)
    assert only_inserts(text, new)
    # every missing section is filled, unless filling it was left out and said why (a long letter
    # that the sentence would push over the length limit)
    assert set(missing_section_findings(again)) <= {code for code, _why in left_out}
    assert all(why for _code, why in left_out)
    assert {f.code for f in again.findings} <= {f.code for f in report.findings}
    parsed = anatomy.parse(text)
    for e in edits:  # never into the front matter, a P.S. or the quoted history
        for part in (parsed.front_matter_span, parsed.quote, *parsed.postscripts):
            assert part is None or not part.start < e.offset <= part.end or e.offset == len(text), (e, part)
    for e in edits:
        if e.code in SECTION_RULES:  # each inserted section sentence is that section present
            section = next(f.section for f in report.findings if f.code == e.code)
            assert again.sections[section].status is Status.PRESENT, e
    assert fix_report(linter, again)[0] == ()  # idempotent


def test_a_fix_that_would_add_a_finding_is_left_out(linter):
    # 322 words: the interest sentence fits under the 350-word limit, the door-left-open one would not
    path = LETTERS / "long-no-door.txt"
    report = linter.lint_text(path.read_text(encoding="utf-8"))
    assert {f.code for f in report.findings} == {"LL102", "LL304"}
    edits, new, again, left_out = fix_report(linter, report)
    assert [e.code for e in edits] == ["LL102"]
    assert left_out and left_out[0][0] == "LL304" and "LL309" in left_out[0][1]
    assert "LL309" not in {f.code for f in again.findings} and missing_section_findings(again) == []


# --- bytes ------------------------------------------------------------------------------------

BASE = "Dear Sam,\n\nThank you for letting me know that you chose another candidate. I met the team at Ramón Foods.\n\nBest,\nAl"
ENCODINGS = {
    "lf.txt": (BASE + "\n").encode(),
    "no-final-newline.txt": BASE.encode(),
    "crlf.txt": (BASE.replace("\n", "\r\n") + "\r\n").encode(),
    "cr.txt": (BASE.replace("\n", "\r") + "\r").encode(),
    "bom.txt": b"\xef\xbb\xbf" + (BASE + "\n").encode(),
    "cp1252.txt": (BASE + "\n").encode("cp1252"),
    "utf16-le.txt": (BASE + "\n").encode("utf-16"),
    "utf16-be.txt": b"\xfe\xff" + (BASE + "\n").encode("utf-16-be"),
    "invalid-utf8.txt": (BASE + "\n").encode() + b"P.S. \xff\xfe broken bytes\n",
}


@pytest.mark.parametrize("name", ENCODINGS)
def test_fix_keeps_every_byte_of_the_file(capsys, tmp_path, linter, name):
    from lintletter.reading import extract

    data = ENCODINGS[name]
    path = tmp_path / name
    path.write_bytes(data)
    code, _, err = run(capsys, "fix", "--write", str(path))
    assert code == 0, err
    new = path.read_bytes()
    source = extract(data, name)
    edits = fix.plan(linter.lint_text(source.text))
    # the new bytes are the old ones with whole pieces inserted, nothing else changed
    matcher = difflib.SequenceMatcher(None, data, new, autojunk=False)
    assert {op for op, *_ in matcher.get_opcodes()} <= {"equal", "insert"}
    assert extract(new, name).text == fix.apply(source.text, edits)
    assert new.startswith(data[:3]) and new.endswith(data[-2:])  # BOM, and the ending as it was
    if b"\r\n" in data:
        assert new.count(b"\n") == new.count(b"\r\n")
    assert run(capsys, "fix", str(path))[0] == 0


# --- properties -------------------------------------------------------------------------------

SAMPLE = (sorted((CORPUS / "letters").glob("*.*")) + sorted((CORPUS / "acceptance").glob("*.*")))[::12]


@SETTINGS
@given(index=st.integers(0, len(SAMPLE) - 1), seed=st.integers(0, 2**16),
       op=st.sampled_from(["drop", "shuffle", "crlf", "no-final-newline", "lower", "strip-closing"]))
def test_fix_only_inserts_and_is_idempotent_on_mutated_letters(linter, index, seed, op):
    text = SAMPLE[index].read_text(encoding="utf-8")
    rng = random.Random(seed)
    paragraphs = text.split("\n\n")
    if op == "drop" and len(paragraphs) > 2:
        paragraphs.pop(rng.randrange(1, len(paragraphs)))
    elif op == "shuffle" and len(paragraphs) > 3:
        middle = paragraphs[1:-1]
        rng.shuffle(middle)
        paragraphs = paragraphs[:1] + middle + paragraphs[-1:]
    text = "\n\n".join(paragraphs)
    if op == "crlf":
        text = text.replace("\n", "\r\n")
    elif op == "no-final-newline":
        text = text.rstrip("\n")
    elif op == "lower":
        text = text.lower()
    elif op == "strip-closing":
        text = "\n".join(text.splitlines()[:-2])
    report = linter.lint_text(text)
    edits, new, again, _ = fix_report(linter, report)
    assert only_inserts(text, new)
    assert fix.apply(text, ()) == text
    assert fix_report(linter, again)[0] == ()
    assert missing_section_findings(again) == []


letterish = st.lists(
    st.sampled_from(["Dear Sam,", "Hi", "thank you", "could you", "?", ".", "\n", "\n\n", "> quoted", "P.S.", "---",
                     "\r\n", "Best,", "Al", "-", "1.", "On Mon Jo wrote:", "company: X", "I remain interested"])
    | st.text(max_size=12),
    max_size=40,
).map(" ".join)


@SETTINGS
@given(text=letterish)
def test_fix_never_raises_and_only_inserts_whole_lines(linter, text):
    report = linter.lint_text(text)
    edits = fix.plan(report)
    new = fix.apply(text, edits)
    assert only_inserts(text, new)
    starts = {line.start for line in anatomy.split_lines(text)} | {len(text)}
    assert all(e.offset in starts for e in edits)
    assert fix.unified_diff("x", text, new).count("\n-") <= 1  # at most the last line gaining a break


# --- SARIF ------------------------------------------------------------------------------------


def test_sarif_carries_the_fixes_it_knows_where_to_put(linter):
    import json
    from pathlib import Path

    import jsonschema

    from lintletter.formatters import Run, render
    from lintletter.model import LineIndex

    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    text = BELL.read_text(encoding="utf-8")
    report = linter.lint_text(text, "letters/bellweather.md")
    doc = json.loads(render("sarif", Run((report,), rules=linter.ruleset.rules)))
    jsonschema.Draft4Validator(schema).validate(doc)
    results = doc["runs"][0]["results"]
    with_fixes = {r["ruleId"]: r["fixes"] for r in results if "fixes" in r}
    assert set(with_fixes) == {e.code for e in fix.plan(report)} == {"LL102", "LL103", "LL104", "LL105", "LL106", "LL304"}
    assert "fixes" not in next(r for r in results if r["ruleId"] == "LL302")  # a rewrite, not an insertion
    starts = LineIndex(text)._starts
    for code, (one,) in with_fixes.items():
        change = one["artifactChanges"][0]
        assert change["artifactLocation"]["uri"] == "letters/bellweather.md"
        (replacement,) = change["replacements"]
        region, inserted = replacement["deletedRegion"], replacement["insertedContent"]["text"]
        assert region["startLine"] == region["endLine"] and region["startColumn"] == region["endColumn"] == 1
        at = starts[region["startLine"] - 1]
        fixed = linter.lint_text(text[:at] + inserted + text[at:])  # applying just this fix works
        section = next(f.section for f in report.findings if f.code == code)
        assert section is None or fixed.sections[section].status is Status.PRESENT, code
        assert code not in {f.code for f in fixed.findings}, code


def test_html_and_pretty_say_what_the_suggestions_use(linter):
    from lintletter.formatters import Run, render

    report = linter.lint_text((LETTERS / "northwind-no-front-matter.txt").read_text(encoding="utf-8"))
    for fmt in ("html", "pretty"):
        out = " ".join(render(fmt, Run((report,))).split())
        assert "company Northwind Logistics (letter)" in out and "reader Mr. Jones (salutation)" in out, fmt


def test_fix_write_leaves_a_read_only_letter_alone(capsys, tmp_path):
    letter = tmp_path / "bellweather.md"
    shutil.copy(BELL, letter)
    os.chmod(letter, 0o444)
    before = digest(letter)
    code, _, err = run(capsys, "fix", "--write", str(letter))
    assert code == 2 and "read-only" in err and digest(letter) == before


def test_a_fix_after_a_bare_carriage_return_adds_lines_and_changes_none(linter):
    # found by the property test above: a "\n" inserted right after a line ending in a bare "\r"
    # merged with it into "\r\n", so the diff showed that line as changed
    text = "\n ?\r0"
    new = fix.apply(text, fix.plan(linter.lint_text(text)))
    assert only_inserts(text, new) and fix.unified_diff("x", text, new).count("\n-") == 0
