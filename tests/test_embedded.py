"""Letters inside documents (`--embedded off|marked|auto`): finding them, linting each one with
positions in the host file, per-letter reports in every format, and what a document without a
letter gets. Fixtures are in corpus/embedded/ (gold spans in spans.yaml)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintletter.cli import main
from lintletter.embedded import MODES, find_letters
from lintletter.embedded_eval import evaluate_spans
from lintletter.model import LineIndex, Status
from lintletter.reading import read_file

from .conftest import ACCEPTANCE, CORPUS
from .conftest import run_cli as run

EMBEDDED = CORPUS / "embedded"
ARTICLE = str(EMBEDDED / "article.md")
GUIDE = str(EMBEDDED / "guide-two-fenced.md")
VARIANTS = str(EMBEDDED / "two-variants.md")



def check_json(capsys, *argv) -> tuple[int, dict]:
    code, out, err = run(capsys, "check", "--format", "json", "--no-config", *argv)
    assert code in (0, 1), err
    return code, json.loads(out)


def lines_of(entry: dict) -> tuple[int, int]:
    return entry["letter"]["start_line"], entry["letter"]["end_line"]


# --- the "done when" ---------------------------------------------------------------------


def test_article_yields_one_letter_at_lines_67_to_83_with_six_sections_and_no_prose_findings(capsys):
    code, doc = check_json(capsys, ARTICLE, "--embedded", "auto")
    (entry,) = doc["files"]
    assert entry["letter"] == {"index": 1, "start_line": 67, "end_line": 83}
    assert {name: s["status"] for name, s in entry["sections"].items()} == dict.fromkeys(entry["sections"], "present")
    assert len(entry["sections"]) == 6
    # every cited sentence is the sample letter's, none is the article's advice or headings
    for section in entry["sections"].values():
        for evidence in section["evidence"]:
            assert 67 <= evidence["line"] <= evidence["end_line"] <= 83, evidence
    assert entry["diagnostics"] == [] and code == 0
    lines = Path(ARTICLE).read_text(encoding="utf-8").splitlines()
    assert lines[66] == "Dear Mr. Jones:" and lines[82] == "Perry Maisin"


def test_article_read_whole_reports_the_articles_prose(capsys):
    """What the issue describes: with --embedded off the article is scored as one letter."""
    _, doc = check_json(capsys, ARTICLE, "--embedded", "off")
    (entry,) = doc["files"]
    codes = {d["code"] for d in entry["diagnostics"]}
    assert entry["letter"] is None
    assert {"LL301", "LL309", "LL202"} <= codes  # no salutation, far too long, the prose's "demands"
    demands = [d for d in entry["diagnostics"] if d["code"] == "LL202"]
    assert all(not 67 <= d["line"] <= 83 for d in demands)


def test_article_text_report_names_the_letter_by_its_lines(capsys):
    code, out, _ = run(capsys, "check", "--no-config", ARTICLE)  # auto is the default
    assert f"{ARTICLE}:67-83: score 100/100 (ready)" in out
    assert code == 0


def test_guide_with_two_fenced_letters_gives_two_reports_at_their_lines(capsys):
    _, doc = check_json(capsys, GUIDE, "--embedded", "auto")
    assert [lines_of(f) for f in doc["files"]] == [(19, 33), (44, 54)]
    assert [f["letter"]["index"] for f in doc["files"]] == [1, 2]
    first, second = doc["files"]
    assert first["sections"]["acknowledgement"]["evidence"][0]["line"] == 21
    # the article's front matter names Northwind Health, which letter 1 names; letter 2's block says
    # template=true and company="[Company]": a template is not checked for names
    assert not any(d["code"] in ("LL310", "LL311", "LL307") for f in doc["files"] for d in f["diagnostics"])


def test_marked_ignores_unmarked_prose(capsys):
    _, doc = check_json(capsys, VARIANTS, "--embedded", "marked")
    assert [lines_of(f) for f in doc["files"]] == [(29, 39)]  # the marker range; not the prose letter at 9-22
    _, auto = check_json(capsys, VARIANTS, "--embedded", "auto")
    assert [lines_of(f) for f in auto["files"]] == [(9, 22), (29, 39)]
    _, article = check_json(capsys, ARTICLE, "--embedded", "marked")
    (entry,) = article["files"]
    assert entry["score"] is None and entry["sections"] == {}  # its prose letter is not marked


# --- a document with no letter ---------------------------------------------------------------------


def test_document_without_letter_says_so_and_is_never_scored(capsys):
    code, doc = check_json(capsys, str(EMBEDDED / "no-letter.md"))
    (entry,) = doc["files"]
    assert entry["score"] is None and entry["verdict"] == "no letter" and entry["sections"] == {}
    assert [(d["code"], d["severity"]) for d in entry["diagnostics"]] == [("LL317", "info")]
    assert code == 0  # info never fails by default
    _, out, _ = run(capsys, "check", "--no-config", str(EMBEDDED / "no-letter.md"))
    assert "no-letter.md: no letter found" in out and "/100" not in out


def test_require_letter_makes_a_document_without_one_an_error(capsys, tmp_path):
    (tmp_path / ".lintletter.yaml").write_text("embedded: marked\nrequire-letter: true\n", encoding="utf-8")
    page = tmp_path / "article.md"
    page.write_text(Path(ARTICLE).read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "json", str(page))
    (entry,) = json.loads(out)["files"]
    assert [(d["code"], d["severity"]) for d in entry["diagnostics"]] == [("LL317", "error")]
    assert "require-letter" in entry["diagnostics"][0]["message"]
    assert code == 1 and entry["reasons"]
    assert entry["score"] is None  # --min-score has nothing to judge
    code, _, _ = run(capsys, "check", str(page), "--min-score", "80", "--fail-on", "info")
    assert code == 1


def test_no_letter_finding_can_be_suppressed_in_the_document(capsys, tmp_path):
    page = tmp_path / "notes.md"
    page.write_text("<!-- lintletter: disable-file=LL317 -- a reading list -->\n" + (EMBEDDED / "no-letter.md").read_text(), encoding="utf-8")
    _, doc = check_json(capsys, str(page))
    (entry,) = doc["files"]
    assert entry["diagnostics"] == [] and [s["code"] for s in entry["suppressed"]] == ["LL317"]


# --- what auto leaves whole ----------------------------------------------------------------------


def corpus_letters() -> list[Path]:
    # (never the blind holdout: a failure here would tell us about letters we must not see)
    folders = [CORPUS / "letters", ACCEPTANCE]
    return sorted(p for folder in folders for p in folder.iterdir() if p.suffix in (".txt", ".md"))


#: Corpus letters that really are a document around a letter (a career-site page, a forum post, a
#: Reddit draft, a coaching blog's template; folded in from holdout-z and writer aj): auto is right to
#: find the letter inside them, and checked to below.
ARTICLE_FRAMED = {"z02-career-site-sample-brackets.txt", "z04-forum-post-medical-assistant.txt",
                  "z30-blog-thankyou-sample.md", "aj02-reddit-rate-my-followup.md",
                  "aj03-career-site-sample-placeholders.txt", "aj13-coaching-blog-template.md",
                  # a line of the writer's own above the letter ("Copy of the card I left at the pass")
                  "ao06-chef-scotland-card.txt"}


#: Corpus letters that auto does not yet read whole: a Markdown draft laid out in sections under
#: headings ("## The news", "## What I'd like to ask", "## Sign-off") whose greeting is "Helen — thank
#: you for..." reads as notes with no letter in them (LL317). Known, not wanted: see the test below.
SECTIONED_DRAFTS = {"as03-museum-markdown.md"}
#: Drafts kept with a note to self above the letter ("context: final round at Tessellate, got the no
#: on Friday", "note to self: send tonight"): auto reads only the letter, as the labels judge it.
NOTED_DRAFTS = {
    "ay01-nursing-thankyou-before-decision.txt", "ay03-finance-withdrawing.txt", "ay11-retail-area-manager-note.txt",
    "ay14-finance-singapore-bitter-draft.txt", "ay25-logistics-au-close-second.txt", "ay29-software-us-all-asks.md",
    "ay32-retail-canada-no-referrals-yet.txt", "ay40-retail-uk-coffee-and-keywords.txt",
}

#: Drafts kept in notes apps and shared docs with the writer's (or a parent's) notes around the letter,
#: or two versions under headings ("## Draft 1", "## Draft 2 (send this one)"), and a letter with a
#: paragraph to a copied adviser below the signature: auto reads the one letter; every gold evidence
#: quote lies inside it (the labels judge what auto reads). Writers bc, be, bf, bg, bi, bj (session 15).
DRAFTS_IN_NOTES = {
    "be07-apprenticeship-draft-with-mum.md", "be27-maritime-museum-notes-draft.md", "bf35-tennis-academy-notes.md",
    "bi07-kenya-forestry-draft.md", "bj17-london-architecture-draft.md", "bg33-migration-thinktank.txt",
    "bc15-chamonix-aspirant-guide-markdown.md",  # holdout-bc, folded in at the end of session 15
}


def test_auto_finds_the_one_letter_in_a_draft_kept_with_notes():
    from lintletter.evaluation import load_corpus

    gold = {item.path.name: item for item in load_corpus(CORPUS) if item.path.name in DRAFTS_IN_NOTES}
    assert set(gold) == DRAFTS_IN_NOTES
    for name, item in gold.items():
        document = find_letters(item.text, "auto", name)
        assert len(document.letters) == 1 and not document.whole, name
        letter = document.letters[0]
        lines = item.text.splitlines(keepends=True)
        start, end = sum(map(len, lines[: letter.start_line - 1])), sum(map(len, lines[: letter.end_line]))
        for section, quotes in item.evidence.items():
            for quote in quotes:
                assert start <= item.text.find(quote) < end, (name, section, quote)


@pytest.mark.xfail(strict=True, reason="a letter draft in headed sections is read as a document with no letter")
def test_auto_reads_a_letter_draft_laid_out_in_headed_sections_whole():
    for name in SECTIONED_DRAFTS:
        path = CORPUS / "letters" / name
        document = find_letters(read_file(path, str(path)).text, "auto", str(path))
        assert document.whole


def test_auto_finds_the_letter_inside_an_article_framed_corpus_letter():
    for name in ARTICLE_FRAMED:
        path = CORPUS / "letters" / name
        document = find_letters(read_file(path, str(path)).text, "auto", str(path))
        assert not document.whole and len(document.letters) == 1


def test_auto_reads_every_corpus_letter_whole():
    """The default must not change how a draft that is all letter is linted: every one of the
    corpus's letters (replies with quoted history, formal letters with address blocks, Markdown
    letters with headings, drafts with no greeting or no sign-off) is read whole under auto."""
    letters = corpus_letters()
    assert len(letters) > 500
    split = []
    for path in letters:
        if path.name in ARTICLE_FRAMED | SECTIONED_DRAFTS | NOTED_DRAFTS | DRAFTS_IN_NOTES:
            continue
        source = read_file(path, str(path))
        document = find_letters(source.text, "auto", str(path))
        if not document.whole or document.text != source.text:
            split.append((path.name, [(l.start_line, l.end_line) for l in document.letters]))
    assert split == []


def test_auto_leaves_out_the_note_to_self_above_a_draft():
    """One letter, found below the note: the note's words ("got the no on Friday") are not the letter's."""
    for name in NOTED_DRAFTS:
        path = CORPUS / "letters" / name
        source = read_file(path, str(path))
        document = find_letters(source.text, "auto", str(path))
        assert len(document.letters) == 1, name
        letter = document.letters[0]
        note = source.text.splitlines()[: letter.start_line - 1]
        assert note and re.match(r"(context|note to self|draft)\b", note[0], re.I), name
        assert not any(re.match(r"(hi|dear|hello)\b", line, re.I) for line in note), name


def test_default_gives_the_same_report_as_off_for_letters(capsys):
    # (the drafts that auto knowingly reads apart, listed above, are not letters that are all letter)
    framed = ARTICLE_FRAMED | SECTIONED_DRAFTS | NOTED_DRAFTS | DRAFTS_IN_NOTES
    sample = [str(p) for p in corpus_letters()[::25] if p.name not in framed] + [str(p) for p in ACCEPTANCE.iterdir()]
    _, default = check_json(capsys, *sample)
    _, off = check_json(capsys, *sample, "--embedded", "off")
    assert default == off
    assert all(f["letter"] is None for f in default["files"])


def test_a_paste_of_one_letter_many_times_is_read_whole(linter):
    """Hostile input: 2,000 copies of a letter in one file are not 2,000 samples (and would cost
    2,000 copies of the file): past MAX_LETTERS the file is read whole, with a note saying so."""
    from lintletter.embedded import MAX_LETTERS

    letter = (ACCEPTANCE / "complete.md").read_text(encoding="utf-8").split("---\n", 2)[2]
    text = ("# Pasted\n\n" + letter + "\nSome notes in between.\n\n") * 2000
    document = find_letters(text, "auto", "paste.md")
    assert document.whole and document.text is text and f"more than {MAX_LETTERS}" in document.notes[0]
    small = ("# Pasted\n\n" + letter + "\nSome notes in between.\n\n") * 3
    assert len(find_letters(small, "auto", "paste.md").letters) == 3


def test_eml_and_docx_are_always_one_letter():
    text = "# Notes\n\nSome advice.\n\nDear Sam,\n\nThanks.\n\nBest,\nAl\n\nMore advice here.\n"
    assert find_letters(text, "auto", "reply.eml").whole
    assert find_letters(text, "auto", "letter.docx").whole
    assert not find_letters(text, "auto", "notes.txt").whole


# --- positions in the host file --------------------------------------------------------------------


def test_blockquoted_letter_maps_back_exactly(linter):
    path = EMBEDDED / "blockquoted-sample.md"
    text = path.read_text(encoding="utf-8")
    (report,) = linter.lint_documents([(str(path), text, (), (), "auto")])
    assert (report.letter.start_line, report.letter.end_line) == (7, 19)
    index = LineIndex(text)
    (evidence,) = report.sections["acknowledgement"].evidence
    assert evidence.text(text) == evidence.text(report.text)  # same offsets, same characters
    line, column = index.position(evidence.start)
    assert (line, column) == (9, 3)  # after "> "
    assert text.splitlines()[8][column - 1 :].startswith("Thanks for letting me know")
    assert report.sections["referrals"].status is Status.PRESENT


def test_letter_text_is_the_host_with_everything_else_blanked():
    text = (EMBEDDED / "two-variants.md").read_text(encoding="utf-8").replace("\n", "\r\n")
    document = find_letters(text, "auto", "two-variants.md")
    assert len(document.letters) == 2
    host_lines = text.split("\r\n")
    for letter in document.letters:
        # the host up to the letter's last line, offsets and line breaks unchanged
        assert len(letter.text) == letter.span.end
        assert [i for i, c in enumerate(letter.text) if c in "\r\n"] == [i for i, c in enumerate(text[: letter.span.end]) if c in "\r\n"]
        for number, line in enumerate(letter.text.split("\r\n"), 1):
            if letter.start_line <= number <= letter.end_line:
                assert line == host_lines[number - 1]
            else:
                assert not line.strip(), (number, line)  # the marker lines too
    view = document.view()  # what the reports share: every letter kept, the rest blanked
    assert len(view) == len(text)
    kept = [n for n, line in enumerate(view.split("\r\n"), 1) if line.strip()]
    assert kept == [n for letter in document.letters for n in range(letter.start_line, letter.end_line + 1) if host_lines[n - 1].strip()]


def test_crlf_article_keeps_its_lines(capsys, tmp_path):
    page = tmp_path / "article.md"
    page.write_bytes(Path(ARTICLE).read_bytes().replace(b"\n", b"\r\n"))
    _, doc = check_json(capsys, str(page))
    (entry,) = doc["files"]
    assert lines_of(entry) == (67, 83)
    assert entry["sections"]["competitors"]["evidence"][0]["line"] == 77


def test_mdx_jsx_lines_are_ignored(capsys):
    path = str(EMBEDDED / "callout.mdx")
    _, doc = check_json(capsys, path)
    (entry,) = doc["files"]
    assert lines_of(entry) == (18, 30)
    assert entry["sections"]["acknowledgement"]["status"] == "present"
    whole = find_letters(Path(path).read_text(encoding="utf-8"), "off", path)
    assert "LetterCard" not in whole.text and "import" not in whole.text and "Hello Priya," in whole.text
    assert len(whole.text) == len(Path(path).read_text(encoding="utf-8"))


def test_mdx_files_are_found_in_folders(capsys, tmp_path):
    (tmp_path / "page.mdx").write_text((EMBEDDED / "callout.mdx").read_text(encoding="utf-8"), encoding="utf-8")
    _, doc = check_json(capsys, str(tmp_path))
    assert [f["path"].endswith("page.mdx") for f in doc["files"]] == [True]


# --- front matter, templates, suppressions, config: per letter ----------------------------------


FENCED_TWO = """---
company: Harbor Analytics
lintletter:
  ignore: ["LL304 -- samples, not sent as they are"]
---

# Two notes

```letter
Dear Dana,

Thank you for letting me know that you chose another candidate. I still want to work at Harbor
Analytics one day. Would you share where my take-home analysis fell short?

Best,
Priya
```

```letter company="Calloway Partners" ignore=LL308
Dear Sam,

Thank you for letting me know that you chose another candidate. Would you share where my case fell short?

Best,
Priya
```
"""


def test_front_matter_applies_to_each_letter_unless_the_block_overrides_it(linter):
    first, second = linter.lint_documents([("two.md", FENCED_TWO, (), (), "auto")])
    assert first.front_matter["company"] == "Harbor Analytics"
    assert "LL310" not in {f.code for f in first.findings}  # letter 1 names Harbor Analytics
    assert second.front_matter["company"] == "Calloway Partners"
    ll310 = [f for f in second.findings if f.code == "LL310"]
    assert ll310 and "Calloway Partners" in ll310[0].message
    # the block's ignore=LL308 is for letter 2 only, like per-file-ignores
    assert "LL308" in {f.code for f in first.findings} and "LL308" not in {f.code for f in second.findings}


def test_document_wide_suppression_is_used_by_any_letter_and_stale_only_once(linter):
    # front matter: LL104 (advice missing, in both letters) and LL310 (company not named: only
    # letter 2, whose block names Calloway Partners): both are used, so neither is reported as stale
    used = FENCED_TWO.replace('["LL304 -- samples, not sent as they are"]', '[LL104, "LL310 -- sample names"]')
    first, second = linter.lint_documents([("two.md", used, (), (), "auto")])
    assert {s.finding.code for s in first.suppressed} == {"LL104"}
    assert {s.finding.code for s in second.suppressed} == {"LL104", "LL310"}
    assert "LL314" not in {f.code for r in (first, second) for f in r.findings}
    stale = FENCED_TWO.replace("LL304 -- samples", "LL203 -- samples")  # begging: in neither letter
    first, second = linter.lint_documents([("two.md", stale, (), (), "auto")])
    unused = [(r.letter.index, f.message) for r in (first, second) for f in r.findings if f.code == "LL314"]
    assert unused == [(1, "This suppression hides nothing: LL203: no finding to suppress")]


def test_inline_suppression_applies_to_its_own_letter_only(linter):
    text = (
        "# Two notes\n\nIntro.\n\n"
        "<!-- lintletter: letter -->\n<!-- lintletter: disable=LL307 -- the brackets are on purpose -->\n"
        "Dear Sam,\n\nThank you for letting me know about the [Role].\n\nBest,\nAl\n<!-- lintletter: end -->\n\n"
        "Between them.\n\n"
        "<!-- lintletter: letter -->\nDear Jo,\n\nThank you for letting me know about the [Role].\n\nBest,\nAl\n<!-- lintletter: end -->\n"
    )
    first, second = linter.lint_documents([("two.md", text, (), (), "marked")])
    assert (first.letter.start_line, first.letter.end_line) == (7, 12)  # the comment is not the letter's first line
    assert "LL307" not in {f.code for f in first.findings} and [s.finding.code for s in first.suppressed] == ["LL307"]
    assert "LL307" in {f.code for f in second.findings}
    assert "LL314" not in {f.code for r in (first, second) for f in r.findings}


def test_disable_file_outside_the_letters_applies_to_all_of_them(linter):
    text = "<!-- lintletter: disable-file=LL308 -- samples are short -->\n\n" + FENCED_TWO.split("---\n", 2)[2]
    reports = list(linter.lint_documents([("two.md", text, (), (), "auto")]))
    assert len(reports) == 2
    assert all("LL308" not in {f.code for f in r.findings} for r in reports)
    assert all("LL314" not in {f.code for f in r.findings} for r in reports)


def test_template_true_per_block(linter):
    text = "# T\n\nUse this:\n\n```letter template=true\nDear [Name],\n\nThank you for letting me know about the [Role].\n\nBest,\n[Me]\n```\n\nOr this one.\n\n```letter\nDear [Name],\n\nThank you for letting me know about the [Role].\n\nBest,\n[Me]\n```\n"
    template, draft = linter.lint_documents([("t.md", text, (), (), "auto")])
    assert template.front_matter.get("template") is True and "template" not in draft.front_matter
    assert "LL307" not in {f.code for f in template.findings}  # placeholders are expected in a template
    assert "LL307" in {f.code for f in draft.findings}


def test_config_embedded_setting(capsys, tmp_path):
    page = tmp_path / "article.md"
    page.write_text(Path(ARTICLE).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".lintletter.yaml").write_text("embedded: off\n", encoding="utf-8")  # YAML reads `off` as false
    code, out, _ = run(capsys, "check", "-f", "json", str(page))
    assert json.loads(out)["files"][0]["letter"] is None and code == 1
    code, out, _ = run(capsys, "check", "-f", "json", str(page), "--embedded", "auto")  # the flag wins
    assert lines_of(json.loads(out)["files"][0]) == (67, 83)
    (tmp_path / ".lintletter.yaml").write_text("fail-on: warning\nembedded: everywhere\n", encoding="utf-8")
    code, _, err = run(capsys, "check", str(page))
    assert code == 2 and ".lintletter.yaml:2: embedded: must be one of off, marked, auto" in err


def test_bad_embedded_flag_is_a_usage_error(capsys):
    code, _, err = run(capsys, "check", ARTICLE, "--embedded", "sometimes")
    assert code == 2 and "--embedded" in err and "Traceback" not in err


def test_policies_follow_each_letter_to_its_own_config(capsys, tmp_path):
    strict, lax = tmp_path / "strict", tmp_path / "lax"
    for folder, setting in ((strict, "min-score: 75\nfail-on: error\n"), (lax, "fail-on: error\n")):
        folder.mkdir()
        (folder / ".lintletter.yaml").write_text(setting, encoding="utf-8")
        (folder / "guide.md").write_text((EMBEDDED / "back-to-back.md").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "check", "-f", "json", str(lax / "guide.md"), str(strict / "guide.md"))
    files = json.loads(out)["files"]
    scores = [f["score"] for f in files]
    assert scores[:2] == scores[2:] and min(scores) < 75 <= max(scores)  # one letter under strict's bar
    # each letter is judged by its own file's config: lax passes both, strict only the one >= 75
    assert [(Path(f["path"]).parent.name, f["letter"]["index"], f["passed"]) for f in files] == [
        ("lax", 1, True), ("lax", 2, True), ("strict", 1, scores[0] >= 75), ("strict", 2, scores[1] >= 75)
    ]
    assert code == 1


def test_parallel_run_gives_the_same_reports(capsys):
    paths = [str(p) for p in sorted(EMBEDDED.iterdir()) if p.suffix in (".md", ".txt", ".mdx")]
    _, serial = check_json(capsys, *paths, "--jobs", "1")
    _, parallel = check_json(capsys, *paths, "--jobs", "2")
    assert serial == parallel and len(serial["files"]) > len(paths)


# --- every format points into the host file ------------------------------------------------------


def test_sarif_github_junit_point_at_the_letters_lines(capsys):
    import jsonschema

    schema = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    _, out, _ = run(capsys, "check", "--no-config", "-f", "sarif", str(EMBEDDED / "back-to-back.md"))
    sarif = json.loads(out)
    jsonschema.validate(sarif, schema)
    results = sarif["runs"][0]["results"]
    missing = [r for r in results if r["ruleId"] == "LL104"]  # advice missing in letter 2 only
    assert [r["locations"][0]["physicalLocation"]["region"] for r in missing] == [{"startLine": 20, "endLine": 26}]
    assert missing[0]["properties"]["letter"] == {"index": 2, "startLine": 20, "endLine": 26}
    fingerprints = [next(iter(r["partialFingerprints"].values())) for r in results]
    assert len(fingerprints) == len(set(fingerprints))

    _, out, _ = run(capsys, "check", "--no-config", "-f", "github", str(EMBEDDED / "back-to-back.md"))
    assert "line=20,endLine=26,title=LL104 advice::" in out
    assert "line=20,endLine=26,title=lintletter%3A letter fails::" in out

    _, out, _ = run(capsys, "check", "--no-config", "-f", "junit", GUIDE)
    assert f'<testsuite name="{GUIDE}:19-33"' in out and f'<testsuite name="{GUIDE}:44-54"' in out
    assert f'file="{GUIDE}"' in out and f'file="{GUIDE}:' not in out


def test_html_and_pretty_show_only_the_letter_with_host_line_numbers(capsys):
    _, out, _ = run(capsys, "check", "--no-config", "-f", "pretty", ARTICLE)
    numbered = [line.split()[0] for line in out.splitlines() if line[:3].strip().isdigit()]
    assert numbered[0] == "67" and numbered[-1] == "83"
    _, html, _ = run(capsys, "check", "--no-config", "-f", "html", ARTICLE)
    assert "lines 67–83" in html and "Dear Mr. Jones:" in html and "Is This Worth Pursuing" not in html


def test_every_format_renders_a_document_without_a_letter(capsys):
    for fmt in ("text", "json", "sarif", "github", "junit", "html", "pretty"):
        code, out, err = run(capsys, "check", "--no-config", "-f", fmt, "--statistics", "--min-score", "50", str(EMBEDDED / "no-letter.md"))
        assert code == 0, (fmt, err)
        assert "LL317" in out + err, fmt


# --- detection figures ---------------------------------------------------------------------------


def test_span_detection_on_the_fixtures():
    """Exact first and last line against corpus/embedded/spans.yaml (figures in the README). A
    heuristics change that finds fewer letters, or a wrong one, fails here."""
    result = evaluate_spans(EMBEDDED)
    marked, auto = result["modes"]["marked"], result["modes"]["auto"]
    assert (marked["precision"], marked["recall"], marked["gold"]) == (1.0, 1.0, 4)
    assert auto["precision"] == 1.0 and auto["gold"] == 23
    assert auto["recall"] >= 0.91  # 21/23: the two LinkedIn messages with no sign-off are missed
    by_file = {f["file"]: f for f in auto["files"]}
    assert by_file["article.md"]["found"] == [[67, 83]]
    assert by_file["no-letter.md"]["found"] == []
    assert by_file["openers-and-closers.md"]["false"] == []  # the lone "To whom it may concern," line


def test_eval_command_prints_span_figures(capsys):
    code, out, _ = run(capsys, "eval", str(EMBEDDED), "--brief")
    assert code == 0 and "auto    precision 1.000" in out and "marked  precision 1.000 (4/4)" in out


# --- properties ----------------------------------------------------------------------------------


_PIECES = st.sampled_from(
    [
        "Dear Sam,", "Hi Jo,", "> Hi Jo,", ">", "> Best,", "> Al", "Best regards,", "Thanks,", "Al Smith",
        "— Perry", "P.S. One more thing.", "Subject: Hello", "**Subject:** Hi", "# Title", "## Part",
        "---", "```letter template=true", "```", "```text", "~~~", "<!-- lintletter: letter -->",
        "<!-- lintletter: end -->", "<!-- lintletter: disable-file=LL308 -->", "<Callout>", "</Callout>",
        "import X from 'y'", "On Mon, Sam wrote:", "-----Original Message-----", "Thank you for the news.",
        "Could you share feedback?", "", "", "", "   ", "\t", "Some advice for readers.",
    ]
)


@settings(max_examples=300, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]), st.sampled_from(MODES), st.sampled_from(["a.md", "a.mdx", "a.txt", None]))
def test_find_letters_invariants(pieces, newline, mode, path):
    text = newline.join(pieces)
    document = find_letters(text, mode, path)
    breaks = [i for i, c in enumerate(text) if c in "\r\n"]
    if document.whole:
        assert not document.letters and len(document.text) == len(text)
        return
    previous_end = 0
    view = document.view()
    assert len(view) == len(text) and [i for i, c in enumerate(view) if c in "\r\n"] == breaks
    for n, letter in enumerate(document.letters, 1):
        assert letter.index == n
        copy = letter.text
        assert letter.span.end <= len(copy) <= len(text)
        assert [i for i, c in enumerate(copy) if c in "\r\n"] == [i for i in breaks if i < len(copy)]
        assert copy[letter.span.start : letter.span.end] == view[letter.span.start : letter.span.end]
        assert 0 <= letter.span.start <= letter.span.end <= len(text)
        assert 1 <= letter.start_line <= letter.end_line
        assert letter.start_line > previous_end  # in order, never overlapping
        previous_end = letter.end_line
        assert copy[letter.span.start : letter.span.end].strip(), "a letter is never blank"


@pytest.mark.parametrize("sender", ["Nalini Persad, B.Pharm.", "Dr. A. Mensah, Ph.D.", "Tom Reyes, M.Sc."])
def test_letters_after_a_name_in_the_address_block_are_not_a_sentence(sender):
    """A formal letter whose address block opens with the writer's degrees is still read whole."""
    text = (f"{sender}\n22 Pointe-a-Pierre Road\nSan Fernando\n\n7 March 2024\n\nDear Dr. Mahabir,\n\n"
            "Thank you for letting me know that the post went to another candidate. Could you tell me "
            "where my interview fell short?\n\nRegards,\n\nNalini Persad\n")
    document = find_letters(text, "auto", "letter.txt")
    assert document.whole and document.text == text


def test_a_signature_with_letters_after_the_name_ends_the_letter_it_signs():
    """ "Dr. Mehul B. Chaudhari, B.V.Sc. & A.H." under "Yours faithfully," is the signature: the file
    is read whole, not cut above the name (which then read as a letter with no signature, LL306)."""
    text = ("To,\nShri R. K. Patel\nGeneral Manager (Procurement)\nVatrak Dairy Union Ltd.\nHimmatnagar, Gujarat\n\n"
            "Respected Sir,\n\nThank you for the interview. I came to know that I have not been selected.\n\n"
            "Yours faithfully,\nDr. Mehul B. Chaudhari, B.V.Sc. & A.H.\nMob. 94260 13877\n")
    document = find_letters(text, "auto", "letter.txt")
    assert document.whole and document.text == text
    # ... and the letter's anatomy reads the closing and the signature there too (no LL305 / LL306)
    from lintletter.anatomy import parse

    letter = parse(text)
    assert letter.closing is not None and text[letter.closing.start : letter.closing.end] == "Yours faithfully,"
    assert letter.signature is not None and text[letter.signature.start :].startswith("Dr. Mehul B. Chaudhari")


def test_a_name_right_under_the_last_sentence_signs_a_draft():
    """No closing line, no blank line: "Thanks again, and good luck!" then "Luis Ortega" ends the
    letter, so a notes file with two drafts yields the one that is a letter (it used to yield none,
    LL317 "no letter", and passed)."""
    text = ("Notes - follow-up to Coach Reyes\n\ncontext: they went with someone else.\n\n## Draft 1\n"
            "Coach, thanks for the call. Let me know if anything changes.\n\n## Draft 2 (send this one)\n"
            "Hi Coach Reyes,\n\nThanks for calling me Tuesday. I'd still love to coach at Sun Coast one day.\n\n"
            "Thanks again, and good luck at the Orange Bowl!\nLuis Ortega\n")
    document = find_letters(text, "auto", "notes.md")
    assert [(l.start_line, l.end_line) for l in document.letters] == [(9, 14)]
    # an address block's last lines are no sentence and a name: nothing is signed there
    block = "Dear Ms Ho,\n\nThe Dairy Union Ltd.\nHimmatnagar, Gujarat\n\nMore text follows here without any sign-off.\n"
    assert find_letters(block, "auto", "x.md").letters == ()


def test_a_name_inside_a_letter_or_above_a_page_of_notes_signs_nothing():
    """The name right under a sentence signs a letter only when nothing of the letter follows it and
    the letter has lines enough: a referee introduced mid-letter ("so here she is." / "Dr Anna Weber,
    PhD") and a quotation's author do not end it, and "Hi everyone," / one line / "Jo Park" over
    headed notes is no letter."""
    letter = ("Dear Ms Lee,\n\nThank you for letting me know.\n\nYou asked for a second referee, so here she is.\n"
              "Dr Anna Weber, PhD\n\nCould you tell me where I fell short?\n\nKind regards,\nSam Patel\n")
    document = find_letters(letter, "auto", "letter.md")
    assert document.whole
    notes = "# Careers fair\n\nHi everyone,\nThanks for coming along on Saturday. Below are my notes.\nJo Park\n\n## Talk 1\n\nCVs.\n"
    assert find_letters(notes, "auto", "notes.md").letters == ()
