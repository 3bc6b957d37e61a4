"""`lintletter server` driven by pygls' own client over stdio: open, change, code actions, hovers,
config reload, bad input and shutdown, against real letters. Every wait is bounded (tests/lsp.py).
"""

from __future__ import annotations

import json
import textwrap

import pytest
from lsprotocol import types

from lintletter.cli import main

from .conftest import ACCEPTANCE, CORPUS
from .lsp import Session, apply

THANKS = (ACCEPTANCE / "thank-you-only.txt").read_text(encoding="utf-8")
BITTER = (ACCEPTANCE / "bitter.txt").read_text(encoding="utf-8")
#: a 300-word letter with every section but referrals and competitors
FORMAL = (CORPUS / "letters" / "a23-stiff-company-secretary-letter.txt").read_text(encoding="utf-8")
SECTION_CODES = {"LL101", "LL102", "LL103", "LL104", "LL105", "LL106"}
DEBOUNCE_MS = 100


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(scope="module")
def lsp(folder):
    session = Session(folder, init_options={"debounce": DEBOUNCE_MS})
    yield session
    assert session.stop() == 0


def findings(diagnostics):
    return [d for d in diagnostics if (d.data or {}).get("kind") == "finding"]


def codes(diagnostics):
    return {d.code for d in findings(diagnostics)}


def summary_of(diagnostics):
    (summary,) = [d for d in diagnostics if (d.data or {}).get("kind") == "summary"]
    return summary


def cli_findings(path):
    """What `lintletter check --format json` reports for the same file: (code, line or None)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["check", "--format", "json", "--exit-zero", str(path)])
    return [(d["code"], d["line"]) for f in json.loads(out.getvalue())["files"] for d in f["diagnostics"]]


def test_initialize_advertises_the_features(lsp):
    caps = lsp.initialized.capabilities
    assert lsp.initialized.server_info.name == "lintletter"
    assert caps.hover_provider
    assert list(caps.code_action_provider.code_action_kinds) == [types.CodeActionKind.QuickFix]
    assert caps.text_document_sync.change == types.TextDocumentSyncKind.Incremental
    assert caps.text_document_sync.save
    # the client said it can watch files: the server asked to hear about config and rule files
    (registration,) = lsp.until(lambda: lsp.registrations)[0].registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    watched = [w["globPattern"] for w in registration.register_options["watchers"]]  # the client sees plain JSON
    assert "**/.lintletter.yaml" in watched and "**/pyproject.toml" in watched


def test_open_publishes_what_check_reports_with_absent_findings_on_the_salutation_line(lsp, folder):
    path = folder / "thanks.txt"
    path.write_text(THANKS, encoding="utf-8")
    uri = lsp.open(path, THANKS, "plaintext")
    diagnostics = lsp.diagnostics(uri, version=1)
    expected = cli_findings(path)
    assert sorted(d.code for d in findings(diagnostics)) == sorted(code for code, _ in expected)
    salutation = types.Range(types.Position(0, 0), types.Position(0, len("Hi Marcus,")))
    summary = summary_of(diagnostics)
    assert summary.range == salutation and summary.severity == types.DiagnosticSeverity.Information
    assert summary.message.startswith("lintletter: score ") and "✗ referrals (missing)" in summary.message
    absent = {code for code, line in expected if line is None}
    assert {"LL101", "LL105", "LL106"} <= absent
    assert all(d.range == salutation for d in findings(diagnostics) if d.code in absent)
    for d in findings(diagnostics):  # the others are where check puts them
        if d.code not in absent:
            assert (d.code, d.range.start.line + 1) in expected
    by_code = {d.code: d for d in findings(diagnostics)}
    assert by_code["LL105"].severity == types.DiagnosticSeverity.Warning
    assert by_code["LL105"].source == "lintletter"
    assert by_code["LL105"].code_description.href.endswith("/rules/sections/LL105-referrals.yml")
    # the sentences that earned a section are hints, so they can be hovered
    hints = [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Hint]
    assert all((d.data or {}).get("kind") == "evidence" for d in hints)


def test_severities_and_positions_of_passages(lsp, folder):
    path = folder / "bitter.txt"
    uri = lsp.open(path, BITTER, "plaintext")
    diagnostics = lsp.diagnostics(uri, version=1)
    by_code = {d.code: d for d in findings(diagnostics)}
    assert by_code["LL201"].severity == types.DiagnosticSeverity.Error
    assert by_code["LL201"].range.start == types.Position(2, 86)  # bitter.txt:3:87 in `check`
    assert by_code["LL308"].severity == types.DiagnosticSeverity.Warning
    info = [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Information]
    assert info == [summary_of(diagnostics)]


def test_suppressed_findings_are_not_shown(lsp, folder):
    text = "<!-- lintletter: disable-file=LL106 -- no competitors in this niche -->\n" + THANKS
    uri = lsp.open(folder / "suppressed.md", text)
    shown = codes(lsp.diagnostics(uri, version=1))
    assert "LL106" not in shown and "LL105" in shown
    assert "LL314" not in shown  # the suppression is used


def test_change_republishes_for_the_new_version_and_bursts_are_coalesced(lsp, folder):
    uri = lsp.open(folder / "typing.md", THANKS)
    lsp.diagnostics(uri, version=1)
    before = len(lsp.published)
    sentence = " Which other companies would you look at if you were in my position?"
    line = THANKS.splitlines()[3]
    for i, ch in enumerate(sentence, start=2):  # typed one character at a time, faster than the debounce
        at = types.Position(3, len(line) + i - 2)
        lsp.change(uri, i, edits=[types.TextEdit(types.Range(at, at), ch)])
    last = len(sentence) + 1
    diagnostics = lsp.diagnostics(uri, version=last, after=before)
    assert "LL106" not in codes(diagnostics)
    versions = [p.version for p in lsp.published[before:] if p.uri == uri]
    assert versions == sorted(versions)
    assert len(versions) < len(sentence) / 4, versions  # a burst of keystrokes is not linted keystroke by keystroke


def test_quick_fixes_insert_each_missing_section_and_the_diagnostic_goes(lsp, folder):
    path = folder / "fix-me.txt"
    text = THANKS
    uri = lsp.open(path, text, "plaintext")
    diagnostics = lsp.diagnostics(uri, version=1)
    version = 1
    missing = sorted(codes(diagnostics) & SECTION_CODES)
    assert len(missing) >= 4
    for code in missing:
        (diag,) = [d for d in findings(diagnostics) if d.code == code]
        actions = lsp.code_actions(uri, diag.range, [diag])
        inserts = [a for a in actions if a.is_preferred and diag in a.diagnostics and a.title.startswith("Insert")]
        assert len(inserts) == 1, [a.title for a in actions]
        assert any(a.title.startswith(f"Disable {code} ") for a in actions)
        edits = inserts[0].edit.changes[uri]
        # the sentence goes in as a paragraph of its own before the closing line
        text = apply(text, edits)
        assert "\n\nThanks again,\nJordan" in text
        version += 1
        before = len(lsp.published)
        lsp.change(uri, version, edits=edits)
        diagnostics = lsp.diagnostics(uri, version=version, after=before)
        assert code not in codes(diagnostics), (code, text)
    assert not codes(diagnostics) & SECTION_CODES
    assert "✗" not in summary_of(diagnostics).message
    # the server's text is the one the edits produced: a full change to it changes nothing
    before = len(lsp.published)
    lsp.change(uri, version + 1, text=text)
    assert codes(lsp.diagnostics(uri, version=version + 1, after=before)) == codes(diagnostics)


def test_quick_fix_disable_for_this_file_writes_a_comment_with_a_reason_to_edit(lsp, folder):
    text = "---\ncompany: Bellweather Foods\n---\n" + THANKS
    uri = lsp.open(folder / "disable.md", text)
    diagnostics = lsp.diagnostics(uri, version=1)
    (diag,) = [d for d in findings(diagnostics) if d.code == "LL106"]
    (action,) = [a for a in lsp.code_actions(uri, diag.range) if a.title.startswith("Disable LL106")]
    (edit,) = action.edit.changes[uri]
    assert edit.range.start == types.Position(3, 0)  # below the front matter
    assert edit.new_text == "<!-- lintletter: disable-file=LL106 -- TODO: say why this rule does not apply -->\n"
    before = len(lsp.published)
    lsp.change(uri, 2, edits=[edit])
    after = codes(lsp.diagnostics(uri, version=2, after=before))
    assert "LL106" not in after and "LL314" not in after and "LL105" in after


def test_quick_fixes_use_the_front_matter_names_not_the_rule_examples(lsp, folder):
    text = "---\ncompany: Bellweather Foods\n---\n" + THANKS
    uri = lsp.open(folder / "names.md", text)
    diagnostics = lsp.diagnostics(uri, version=1)
    (diag,) = [d for d in findings(diagnostics) if d.code == "LL105"]
    (insert,) = [a for a in lsp.code_actions(uri, diag.range) if a.is_preferred and diag in a.diagnostics]
    new_text = insert.edit.changes[uri][0].new_text
    assert "Bellweather Foods" in new_text and "Acme" not in new_text


def test_closing_and_signature_fixes(lsp, folder):
    text = "Dear Sam,\n\nThank you for the interview and for your time. I was sorry to hear the role went to someone else.\n"
    uri = lsp.open(folder / "unsigned.txt", text, "plaintext")
    diagnostics = lsp.diagnostics(uri, version=1)
    (diag,) = [d for d in findings(diagnostics) if d.code == "LL306"]
    (fix,) = [a for a in lsp.code_actions(uri, diag.range, [diag]) if a.is_preferred and diag in a.diagnostics]
    edits = fix.edit.changes[uri]
    fixed = apply(text, edits)
    assert fixed.endswith("someone else.\n\nBest regards,\n[Your name]\n")
    before = len(lsp.published)
    lsp.change(uri, 2, edits=edits)
    after = codes(lsp.diagnostics(uri, version=2, after=before))
    assert "LL306" not in after and "LL305" not in after
    assert "LL307" in after  # the name is still to be filled in, and the placeholder rule says so


def test_hover_on_evidence_says_which_section_it_earned_and_why(lsp, folder):
    uri = lsp.open(folder / "hover.txt", FORMAL, "plaintext")
    diagnostics = lsp.diagnostics(uri, version=1)
    (hint,) = [d for d in diagnostics if (d.data or {}).get("section") == "acknowledgement" and d.severity == types.DiagnosticSeverity.Hint]
    hover = lsp.hover(uri, hint.range.start.line, hint.range.start.character + 3)
    assert hover is not None and hover.contents.kind == types.MarkupKind.Markdown
    value = hover.contents.value
    assert "Acknowledgement: present" in value and "LL101" in value and "cues matched" in value
    assert hover.range.start == hint.range.start


def test_hover_on_a_finding_gives_the_rule_description_and_rationale(lsp, folder, ruleset):
    uri = lsp.open(folder / "hover-bitter.txt", BITTER, "plaintext")
    diagnostics = lsp.diagnostics(uri, version=1)
    (bitter,) = [d for d in findings(diagnostics) if d.code == "LL201"]
    value = lsp.hover(uri, bitter.range.start.line, bitter.range.start.character + 1).contents.value
    rule = ruleset.get("LL201")
    assert "LL201 bitterness" in value
    assert " ".join(rule.rationale.split())[:60] in value
    assert "What it checks" in value and "Why it matters" in value
    # on the salutation line: the score, the sections and the absent findings
    salutation = lsp.hover(uri, 0, 3).contents.value
    assert "score" in salutation and "| Referrals | ✗ missing |" in salutation and "LL105 referrals" in salutation
    # where nothing was found or earned there is nothing to say
    blank_line = BITTER.splitlines().index("")
    assert lsp.hover(uri, blank_line, 0) is None


def test_letters_inside_a_document_each_get_a_summary_on_their_salutation(lsp):
    guide = CORPUS / "embedded" / "guide-two-fenced.md"
    text = guide.read_text(encoding="utf-8")
    uri = lsp.open(guide, text)
    diagnostics = lsp.diagnostics(uri, version=1)
    summaries = [d for d in diagnostics if (d.data or {}).get("kind") == "summary"]
    assert len(summaries) == 2
    lines = text.splitlines()
    for s in summaries:
        assert lines[s.range.start.line].lstrip().lower().startswith(("dear", "hi", "hello")), lines[s.range.start.line]


def test_untitled_buffers_and_emails_opened_as_text(lsp, folder):
    uri = lsp.open("untitled:Untitled-1", THANKS, "markdown")
    assert "LL105" in codes(lsp.diagnostics(uri, version=1))
    eml = "From: Jordan <jordan@example.com>\nTo: marcus@example.com\nSubject: Thank you\n\n" + BITTER
    uri = lsp.open(folder / "reply.eml", eml, "plaintext")
    by_code = {d.code: d for d in findings(lsp.diagnostics(uri, version=1))}
    assert by_code["LL201"].range.start == types.Position(6, 86)  # the line in the .eml itself
    # an encoded body is linted from its decoded text: its findings have no place in the file but line 1
    encoded = eml.replace("Subject: Thank you\n", "Subject: Thank you\nContent-Transfer-Encoding: quoted-printable\n")
    uri = lsp.open(folder / "encoded.eml", encoded, "plaintext")
    shown = findings(lsp.diagnostics(uri, version=1))
    assert "LL201" in {d.code for d in shown} and "LL315" in {d.code for d in shown}
    assert {d.range.start.line for d in shown} == {0}


def test_config_is_found_like_check_and_reloaded_when_it_changes(lsp, folder):
    project = folder / "project"
    (project / "letters").mkdir(parents=True)
    config = project / ".lintletter.yaml"
    config.write_text("ignore: [LL106]\n", encoding="utf-8")
    uri = lsp.open(project / "letters" / "draft.md", THANKS)
    shown = codes(lsp.diagnostics(uri, version=1))
    assert "LL106" not in shown and "LL105" in shown
    config.write_text("ignore: [LL105]\n", encoding="utf-8")
    before = len(lsp.published)
    lsp.watched_changed(config)
    shown = codes(lsp.diagnostics(uri, after=before))
    assert "LL105" not in shown and "LL106" in shown


HOUSE_RULE = """\
code: LL901
name: warehouse-talk
kind: phrase
severity: info
message: "Shop talk about the warehouse."
description: Flags mentions of the warehouse project.
rationale: The house style keeps project names out of letters.
suggestion: "Say 'the project' instead."
cues:
  warehouse:
    - "warehouse project"
match: [[warehouse]]
examples:
  trigger:
    - "I enjoyed learning about the new warehouse project."
  pass:
    - "I enjoyed learning about the new project."
"""


def test_a_rules_folder_change_is_picked_up(lsp, folder):
    project = folder / "house"
    rules = project / "house-rules"
    rules.mkdir(parents=True)
    (project / ".lintletter.yaml").write_text("rules: [house-rules/]\n", encoding="utf-8")
    uri = lsp.open(project / "draft.md", THANKS)
    assert "LL105" in codes(lsp.diagnostics(uri, version=1))
    # a house rule saved while the letter is open
    (rules / "LL901-warehouse.yml").write_text(HOUSE_RULE, encoding="utf-8")
    before = len(lsp.published)
    lsp.watched_changed(rules / "LL901-warehouse.yml")
    (flagged,) = [d for d in findings(lsp.diagnostics(uri, after=before)) if d.code == "LL901"]
    assert flagged.range.start.line == 3 and flagged.code_description.href == (rules / "LL901-warehouse.yml").as_uri()


def test_errors_in_config_are_shown_once_and_the_server_keeps_linting(lsp, folder):
    project = folder / "broken"
    project.mkdir()
    (project / ".lintletter.yaml").write_text("ignore: [LL999]\nfail-on: sometimes\n", encoding="utf-8")
    uri = lsp.open(project / "a.md", THANKS)
    assert "LL105" in codes(lsp.diagnostics(uri, version=1))  # the defaults meanwhile
    for version in (2, 3):
        before = len(lsp.published)
        lsp.change(uri, version, text=THANKS + "\n" * version)
        lsp.diagnostics(uri, version=version, after=before)
    errors = [m for m in lsp.shown if ".lintletter.yaml" in m.message and str(project) in m.message]
    assert len(errors) == 1 and errors[0].type == types.MessageType.Error
    assert "fail-on" in errors[0].message or "LL999" in errors[0].message


def test_broken_rules_are_shown_once_and_never_crash_the_server(lsp, folder):
    project = folder / "badrules"
    (project / "rules").mkdir(parents=True)
    (project / ".lintletter.yaml").write_text("rules: [rules/]\n", encoding="utf-8")
    (project / "rules" / "LL900-bad.yml").write_text("code: LL900\nkind: nonsense\n  bad: [\n", encoding="utf-8")
    uri = lsp.open(project / "a.md", THANKS)
    assert "LL105" in codes(lsp.diagnostics(uri, version=1))
    lsp.open(project / "b.md", BITTER)
    lsp.until(lambda: any(p.uri.endswith("/badrules/b.md") for p in lsp.published))
    errors = [m.message for m in lsp.shown if "LL900-bad.yml" in m.message]
    assert len(errors) == 1, errors
    assert lsp.alive()


def test_documents_that_cannot_be_linted_get_no_diagnostics_and_a_logged_reason(lsp, folder):
    uri = lsp.open(folder / "binary.txt", "Dear Sam,\x00\x00 garbage", "plaintext")
    assert not lsp.diagnostics(uri, version=1)
    assert lsp.until(lambda: [m for m in lsp.logged if "binary.txt" in m.message and "NUL" in m.message])
    uri = lsp.open(folder / "script.py", "print('hello')\n", "python")
    assert not lsp.diagnostics(uri, version=1)
    uri = lsp.open(folder / "README.md", THANKS)  # excluded by the defaults, as check excludes it
    assert not lsp.diagnostics(uri, version=1)
    assert lsp.until(lambda: [m for m in lsp.logged if "README.md" in m.message and "excluded" in m.message])


def test_bad_requests_never_kill_the_server(lsp, folder):
    uri = lsp.open(folder / "robust.md", THANKS)
    lsp.diagnostics(uri, version=1)
    assert lsp.hover("file:///nowhere/never-opened.md", 0, 0) is None
    assert lsp.hover(uri, 10_000, 10_000) is None or lsp.alive()
    far = types.Range(types.Position(0, 0), types.Position(99_999, 5))
    assert lsp.code_actions(uri, far)  # the whole document: every fix
    before = len(lsp.published)
    # an edit far past the end, then a huge paste: still diagnostics for the latest version
    lsp.change(uri, 2, edits=[types.TextEdit(types.Range(types.Position(500, 3), types.Position(900, 0)), "x")])
    lsp.change(uri, 3, text=("Dear Sam, " + "word " * 200_000 + "\n") * 2)
    lsp.diagnostics(uri, version=3, after=before, timeout=120)
    lsp.close_document(uri)
    assert lsp.until(lambda: [p for p in lsp.published if p.uri == uri and p.version is None and not p.diagnostics])
    assert lsp.alive()


def test_garbage_on_the_wire_does_not_kill_the_server(lsp, folder):
    uri = lsp.open(folder / "wire.md", THANKS)
    lsp.diagnostics(uri, version=1)
    stdin = lsp.client._server.stdin
    stdin.write(b"Content-Length: 9\r\n\r\n{not json")  # a body that is not JSON
    stdin.write(b'Content-Length: 41\r\n\r\n{"jsonrpc": "2.0", "method": 42, "id": 1}')  # nor a message
    stdin.write(b'Content-Length: 59\r\n\r\n{"jsonrpc": "2.0", "method": "textDocument/hover", "id": 2}')  # no params
    lsp.pause(0.5)
    assert lsp.alive()
    hover = lsp.hover(uri, 0, 1)  # still answering, with the right data
    assert hover is not None and "score" in hover.contents.value


def test_positions_are_utf16_code_units(lsp, folder):
    text = BITTER.replace("I got your email", "😀😀 I got your email")
    uri = lsp.open(folder / "emoji.txt", text, "plaintext")
    by_code = {d.code: d for d in findings(lsp.diagnostics(uri, version=1))}
    # "😀😀 " is 3 code points but 5 UTF-16 code units, which is what LSP counts by default
    assert by_code["LL201"].range.start == types.Position(2, 86 + 5)


def test_exit_without_shutdown_is_exit_code_1(tmp_path):
    session = Session(tmp_path)
    assert session.stop(shutdown=False) == 1


def test_evidence_hints_can_be_turned_off(tmp_path):
    session = Session(tmp_path, init_options={"evidence": False})
    try:
        uri = session.open(tmp_path / "letter.txt", FORMAL, "plaintext")
        diagnostics = session.diagnostics(uri, version=1)
        assert diagnostics and not [d for d in diagnostics if d.severity == types.DiagnosticSeverity.Hint]
    finally:
        assert session.stop() == 0


def test_a_client_that_watches_no_files_gets_the_new_config_when_it_saves(tmp_path):
    """Neovim before 0.9 sends no didChangeWatchedFiles: a save reads a changed config, here the
    [tool.lintletter] table of a pyproject.toml, found as check finds it."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.lintletter]\nignore = ["LL106"]\n', encoding="utf-8")
    session = Session(tmp_path, capabilities=types.ClientCapabilities())
    try:
        letter = tmp_path / "letters" / "draft.txt"
        letter.parent.mkdir()
        uri = session.open(letter, THANKS, "plaintext")
        shown = codes(session.diagnostics(uri, version=1))
        assert "LL106" not in shown and "LL105" in shown
        assert not session.registrations  # it was not asked to watch what it cannot
        pyproject.write_text('[tool.lintletter]\nignore = ["LL105"]\n', encoding="utf-8")
        before = len(session.published)
        session.save(uri)
        shown = codes(session.diagnostics(uri, after=before))
        assert "LL105" not in shown and "LL106" in shown
    finally:
        assert session.stop() == 0
