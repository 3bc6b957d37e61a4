"""Golden snapshots: every output format over a fixed set of letters, so a rule change reads as a diff.

Each letter set is linted once, in this process, exactly as ``lintletter check --no-config
--jobs 1 PATH...`` run from the repository root lints it (:func:`lintletter.runner.run_check`, the
function the CLI calls), and rendered in every format the CLI accepts
(:data:`lintletter.formatters.FORMATS`). ``tests/snapshots/<set>/<format>.<ext>`` holds what that
gave, after :data:`NORMALISE`. A mismatch fails with a unified diff; after a deliberate change::

    python -m pytest tests/test_snapshots.py --update-snapshots
    git diff tests/snapshots        # review what the change did to real reports, then commit it

The letters are named one by one, never found by a glob, so adding letters to the corpus does not
change the snapshots.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest
import yaml

from lintletter import __version__
from lintletter.runner import Options, run_check
from lintletter.formatters import FORMATS, render

from .conftest import ROOT

SNAPSHOTS = Path(__file__).parent / "snapshots"

#: One letter per writer (a..r) and shape (email, letter, linkedin, markdown, note, reply): for each
#: pair, the first id in the train split (the dev split for a13, b13, i10; test for j19, the only
#: reply of writer j). Chosen once, by id; new corpus letters never join.
CORPUS_LETTERS = [
    "a02-law-associate-email.txt", "a01-ib-formal-letter.txt", "a06-mba-linkedin.txt",
    "a07-template-md.md", "a13-brief-note.txt", "a05-audit-reply.txt",
    "b06-staff-eng-email.txt", "b17-design-lead-letter.txt", "b01-pm-linkedin-bullets.txt",
    "b05-designer-markdown.md", "b13-greyfinch-note.txt", "b12-analyst-reply-onwrote.txt",
    "c02-qa-engineer-email.txt", "c06-test-engineer-formal-letter.txt", "c32-dispatch-manager-linkedin.txt",
    "c05-structural-engineer.md", "c08-teacher-note.txt", "c04-front-office-reply.txt",
    "d02-brand-manager-email.txt", "d11-registrar-formal-letter.txt", "d12-publicist-linkedin.txt",
    "d05-gallery-ops-markdown.md", "d16-junior-ad-note.txt", "d01-museum-educator-gmail-reply.txt",
    "e06-plumber-bitter-email.txt", "e01-electrician-letter.txt", "e03-teacher-linkedin-short.txt",
    "e37-dot-engineer-markdown.md", "e36-music-teacher-thanks-note.txt", "e17-chem-teacher-reply.txt",
    "f01-indian-sre-bullets-email.txt", "f03-nigerian-charge-nurse-letter.txt", "f02-lowercase-game-qa-linkedin.txt",
    "f13-transit-planner-markdown.md", "f21-line-cook-text.txt", "f05-brazilian-ux-research-reply.txt",
    "g05-british-architecture-email.txt", "g20-landscape-associate-director-letter.txt", "g07-nurse-healthtech-linkedin.txt",
    "g03-teacher-to-ux-md.md", "g16-transport-policy-note.txt", "g11-journalism-reply.txt",
    "h03-zookeeper-primates-email.txt", "h05-wine-estate-winemaker-letter.txt", "h23-botanic-garden-thanks-linkedin.txt",
    "h08-library-digital-collections-md.md", "h21-genz-festival-runner-thanks-note.txt", "h19-esports-coach-quoted-reply.txt",
    "i01-staff-accountant-email.txt", "i08-social-worker-letter.txt", "i06-sous-chef-linkedin.txt",
    "i11-teaching-assistant-md.md", "i10-warehouse-supervisor-note.txt", "i15-medical-receptionist-reply.txt",
    "j01-template-not-selected-email.txt", "j05-teaching-address-block-letter.txt", "j25-social-strategist-linkedin-refusal.txt",
    "j13-hr-newsletter-template-short.md", "j06-hotel-front-desk-text.txt", "j19-banquet-sous-chef-reply.txt",
    "k01-nhs-physio-short-email.txt", "k13-retired-head-begging-letter.txt", "k26-nhs-general-manager-linkedin.txt",
    "k25-think-tank-fellow.md", "k12-consultant-gastro-reply-quoted.txt",
    "l10-callcentre-subject-only.txt", "l05-nursing-assistant-formal-letter.txt", "l07-design-studio-insta-dm.txt",
    "l20-backend-junior-markdown.md", "l12-nursing-assistant-no-feedback-ask.txt", "l25-shift-supervisor-referred-quoted.txt",
    "m02-pm-feedback-email.txt", "m30-port-pm-address-block.txt", "m37-tax-manager-linkedin.txt",
    "m13-keywords-markdown.md", "m07-cook-text.txt", "m01-sre-reply-short.txt",
    "o01-newgrad-marketing-email.txt", "o04-retiree-hardware-letter.txt", "o05-veteran-linkedin.txt",
    "o10-analyst-markdown.md", "o02-landscaper-text.txt", "o07-illustrator-reply-quoted.txt",
    "q01-saas-ae-short-email.txt", "q35-network-architect-letter.txt", "q10-linkedin-thanks-no-interest.txt",
    "q04-teacher-to-ux-md-draft.md", "q06-platform-slack-dm.txt", "q02-data-scientist-reply-feedback.txt",
    "r01-retail-assistant-manager-email.txt", "r15-withdraw-litigation-associate.txt", "r07-audit-associate-linkedin.txt",
    "r19-thank-you-county-health-markdown.md", "r27-florist-handwritten-card.txt", "r25-theatre-feedback-call-reply.txt",
]  # fmt: skip

#: set name -> paths relative to the repository root, in the order given to the CLI
LETTER_SETS: dict[str, list[str]] = {
    "acceptance": [f"corpus/acceptance/{name}" for name in ("complete.md", "bitter.txt", "thank-you-only.txt")],
    "corpus": [f"corpus/letters/{name}" for name in CORPUS_LETTERS],
    # e-mails and Word documents (decoded bodies, LL315 notes), one that cannot be read (the
    # formats' error output), and the name-reading fixtures
    "inputs": [
        "corpus/inputs/reply-plain.eml",
        "corpus/inputs/reply-alternative-qp.eml",
        "corpus/inputs/reply-base64-utf8.eml",
        "corpus/inputs/reply-html-only.eml",
        "corpus/inputs/letter.docx",
        "corpus/inputs/corrupt/truncated-zip.docx",
        "corpus/fixtures/bellweather.md",
        "corpus/fixtures/long-no-door.txt",
        "corpus/fixtures/names-nobody.txt",
        "corpus/fixtures/northwind-no-front-matter.txt",
    ],
    # letters inside documents (--embedded auto, the default): reports named by their lines
    "documents": [
        "corpus/embedded/guide-two-fenced.md",
        "corpus/embedded/blockquoted-sample.md",
        "corpus/embedded/callout.mdx",
        "corpus/embedded/no-letter.md",
    ],
}

#: What each format's snapshot file is called (its extension lets editors and viewers show it).
EXTENSIONS = {
    "text": "txt", "concise": "txt", "json": "json", "sarif": "sarif", "github": "txt",
    "junit": "xml", "html": "html", "pretty": "txt",
}  # fmt: skip

#: Everything that may differ between machines, runs or releases, and is replaced before comparing.
#: Nothing else is: the reports carry no timestamps, and paths are relative to the repository root.
NORMALISE: list[tuple[re.Pattern[str], str]] = [
    # the release (JSON's lintletter_version, SARIF's tool.driver version and semanticVersion,
    # the HTML footer): a version bump is not a change in what lintletter reports
    (re.compile(r'("lintletter_version": )"' + re.escape(__version__) + '"'), r'\1"<VERSION>"'),
    (re.compile(r'("name": "lintletter",\s+"version": )"' + re.escape(__version__) + '"'), r'\1"<VERSION>"'),
    (re.compile(r'("semanticVersion": )"' + re.escape(__version__) + '"'), r'\1"<VERSION>"'),
    (re.compile(r"Generated by lintletter " + re.escape(__version__) + r"\."), "Generated by lintletter <VERSION>."),
    # the checkout's location, should an absolute path or file: URI ever appear in a report
    (re.compile(re.escape(ROOT.as_uri())), "file://<ROOT>"),
    (re.compile(re.escape(str(ROOT))), "<ROOT>"),
]


def normalise(text: str) -> str:
    for pattern, replacement in NORMALISE:
        text = pattern.sub(replacement, text)
    return text


def snapshot_path(letter_set: str, fmt: str) -> Path:
    return SNAPSHOTS / letter_set / f"{fmt}.{EXTENSIONS[fmt]}"


_runs: dict[str, object] = {}


def run_of(letter_set: str):
    """The set linted as the CLI lints it from the repository root (once per test session)."""
    if letter_set not in _runs:
        before = os.getcwd()
        os.chdir(ROOT)  # the paths are given relative to the root, so the reports show them so
        try:
            _runs[letter_set] = run_check(LETTER_SETS[letter_set], Options(no_config=True, jobs=1)).run
        finally:
            os.chdir(before)
    return _runs[letter_set]


def readable_diff(expected: str, actual: str, name: str, limit: int = 400) -> str:
    lines = list(
        difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True), f"{name} (snapshot)", f"{name} (now)"
        )
    )
    shown = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines[:limit])
    if len(lines) > limit:
        shown += f"... {len(lines) - limit} more diff lines\n"
    return shown


def test_every_cli_format_has_an_extension():
    assert set(EXTENSIONS) == set(FORMATS)


def test_the_letters_exist_and_cover_every_writer_and_shape():
    for paths in LETTER_SETS.values():
        for path in paths:
            assert (ROOT / path).is_file(), path
    pairs = []
    for name in CORPUS_LETTERS:
        label = yaml.safe_load((ROOT / "corpus" / "labels" / f"{Path(name).stem}.yaml").read_text(encoding="utf-8"))
        pairs.append((name[0], label["shape"]))
    assert len(pairs) == len(set(pairs)), "two letters of the same writer and shape"
    assert {writer for writer, _ in pairs} == set("abcdefghijklmoqr")
    assert {shape for _, shape in pairs} == {"email", "letter", "linkedin", "markdown", "note", "reply"}


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("letter_set", list(LETTER_SETS))
def test_snapshot(letter_set, fmt, update_snapshots):
    actual = normalise(render(fmt, run_of(letter_set)))
    path = snapshot_path(letter_set, fmt)
    name = str(path.relative_to(ROOT))
    if update_snapshots:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != actual.encode("utf-8"):
            path.write_bytes(actual.encode("utf-8"))
        return
    if not path.is_file():
        pytest.fail(f"{name} does not exist; write it with: python -m pytest tests/test_snapshots.py --update-snapshots")
    expected = path.read_bytes().decode("utf-8")
    if actual != expected:
        pytest.fail(
            f"{name} differs from what lintletter reports now. If the change is intended, run\n"
            f"  python -m pytest tests/test_snapshots.py --update-snapshots\n"
            f"and review `git diff tests/snapshots`.\n\n" + readable_diff(expected, actual, name),
            pytrace=False,
        )


def test_no_stale_snapshots(update_snapshots):
    """A snapshot of a set or format that no longer exists would never be compared again."""
    wanted = {snapshot_path(s, f) for s in LETTER_SETS for f in FORMATS}
    stale = sorted(p for p in SNAPSHOTS.rglob("*") if p.is_file() and p not in wanted)
    if update_snapshots:
        for p in stale:
            p.unlink()
        return
    assert not stale, f"stale snapshots (remove them, or run --update-snapshots): {[str(p.relative_to(ROOT)) for p in stale]}"


def test_normalising_is_visible_and_limited():
    """Only the version and the checkout's location are replaced; a report's own text never is."""
    assert normalise(f'"lintletter_version": "{__version__}"') == '"lintletter_version": "<VERSION>"'
    assert normalise(f"{ROOT}/corpus/a.md and {ROOT.as_uri()}/a.md") == "<ROOT>/corpus/a.md and file://<ROOT>/a.md"
    untouched = '"version": "2.1.0", "score": 85, "line": 12, "verdict": "ready"'
    assert normalise(untouched) == untouched
    for letter_set in ("acceptance", "inputs"):
        for fmt in ("json", "sarif", "html"):
            assert "<VERSION>" in normalise(render(fmt, run_of(letter_set)))  # the patterns still match


def test_a_changed_report_fails_with_a_readable_diff():
    diff = readable_diff("a: score 90/100 (ready)\nsame\n", "a: score 86/100 (ready)\nsame\n", "tests/snapshots/x/text.txt")
    assert "-a: score 90/100 (ready)\n+a: score 86/100 (ready)\n" in diff
    assert diff.startswith("--- tests/snapshots/x/text.txt (snapshot)\n+++ tests/snapshots/x/text.txt (now)\n")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_cli_prints_the_snapshot(capsys, monkeypatch, fmt):
    """The snapshots are rendered in-process (one lint per set); the CLI prints the same bytes."""
    from .conftest import run_cli

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    code, out, _ = run_cli(capsys, "check", "--no-config", "--jobs", "1", "--format", fmt, *LETTER_SETS["acceptance"])
    assert code == 1  # two of the three acceptance letters fail
    assert normalise(out) == snapshot_path("acceptance", fmt).read_text(encoding="utf-8")
