"""`lintletter new`: a starter letter that lints ready (score >= 95, six sections present) for any
names, never replaces a file, and is the tests' "complete" letter: fix finds nothing to do."""

from __future__ import annotations

import itertools
import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lintletter import fix
from lintletter.cli import main
from lintletter.model import Status
from lintletter.starter import new_letter

COMPANIES = ["Bellweather Foods", "AT&T", "St. Mary's Hospital", "the Guardian", "Zoë & Søn ApS", "IBM",
             "Northwind Logistics, Inc.", "Hotel Belvedere Group"]
ROLES = ["Data Analyst", "Head of Science", "C++ Developer", "Senior Consultant, Operations Practice", "barista",
         "Night Nurse (Cardiology)", "Data Analyst position"]
READERS = ["Marcus Lee", "Dr. Amara Okafor", "Ms. Chen", "Zoë Ångström", "Jean-Luc Picard", "Siobhán O'Brien"]
WRITERS = ["Sam Ortiz", "José García-Márquez", "Li Wei"]
TONES = ["formal", "warm"]
#: every company, role, interviewer and tone at least once, in many combinations, deterministically
GRID = [
    (c, r, i, WRITERS[n % len(WRITERS)], t)
    for n, (c, r, i, t) in enumerate(itertools.product(COMPANIES, ROLES, READERS, TONES))
    if n % 7 == 0 or (COMPANIES.index(c) == ROLES.index(r) % len(COMPANIES))
]


def assert_ready(linter, text):
    report = linter.lint_text(text)
    assert report.score.value >= 95 and report.score.verdict == "ready", (report.score, [(f.code, f.message) for f in report.findings])
    assert {s: r.status for s, r in report.sections.items()} == {s: Status.PRESENT for s in report.sections}
    return report


@pytest.mark.parametrize("company, role, interviewer, name, tone", GRID)
def test_new_letter_lints_ready(linter, company, role, interviewer, name, tone):
    text = new_letter(company, role, interviewer, name, tone)
    report = assert_ready(linter, text)
    assert report.findings == ()
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {"company": company, "role": role, "interviewer": interviewer, "writer": name, "tone": tone}
    assert company in text.split("---\n", 2)[2] and name in text.splitlines()[-1]
    assert fix.plan(report) == ()  # nothing for fix to do in the best letter the tool can show
    assert report.about.company.value == company and report.about.register == tone


def test_new_letters_differ_by_tone(linter):
    formal = new_letter("Bellweather Foods", "Data Analyst", "Marcus Lee", "Sam Ortiz", "formal")
    warm = new_letter("Bellweather Foods", "Data Analyst", "Marcus Lee", "Sam Ortiz", "warm")
    assert "\nDear Marcus Lee,\n" in formal and "\nKind regards,\nSam Ortiz\n" in formal
    assert "\nHi Marcus,\n" in warm and "\nBest,\nSam Ortiz\n" in warm and "I'd love" in warm and "I'd" not in formal
    assert "the Data Analyst role" in formal and "Dear Dr. Okafor," in new_letter("A Co", "Analyst", "Dr. Amara Okafor", "Sam", "formal")


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    company=st.from_regex(r"[A-Z][a-z]{2,12}( [A-Z][a-z]{2,10}){0,2}", fullmatch=True),
    role=st.sampled_from(ROLES),
    first=st.from_regex(r"[A-Z][a-z]{1,10}", fullmatch=True),
    last=st.from_regex(r"[A-Z][a-z]{1,12}", fullmatch=True),
    tone=st.sampled_from(TONES),
)
def test_new_letter_lints_ready_for_any_names(linter, company, role, first, last, tone):
    assert_ready(linter, new_letter(company, role, f"{first} {last}", "Sam Ortiz", tone))


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


ARGS = ["new", "--company", "Bellweather Foods", "--role", "Data Analyst", "--interviewer", "Marcus Lee", "--name", "Sam Ortiz"]


def test_new_prints_to_stdout_and_writes_a_new_file(capsys, tmp_path, linter):
    code, out, _ = run(capsys, *ARGS, "--tone", "warm")
    assert code == 0 and out.startswith("---\ncompany: Bellweather Foods\n")
    target = tmp_path / "letter.md"
    code, out, err = run(capsys, *ARGS, "-o", str(target))
    assert (code, out) == (0, "") and "wrote" in err
    assert_ready(linter, target.read_text(encoding="utf-8"))
    assert sorted(os.listdir(tmp_path)) == ["letter.md"]
    assert run(capsys, "check", str(target))[0] == 0


def test_new_never_overwrites_a_file(capsys, tmp_path):
    target = tmp_path / "letter.md"
    target.write_text("my own draft\n")
    code, out, err = run(capsys, *ARGS, "-o", str(target))
    assert code == 2 and "already exists" in err and err.count("\n") == 1
    assert target.read_text() == "my own draft\n" and sorted(os.listdir(tmp_path)) == ["letter.md"]
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "nowhere.md")  # a dangling link is a name that is taken, too
    assert run(capsys, *ARGS, "-o", str(link))[0] == 2 and not (tmp_path / "nowhere.md").exists()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--tone", "chatty"], "--tone"),
        (["--company", "[Company]"], "looks like a placeholder"),
        (["--role", "  "], "--role must not be empty"),
        (["--name", "x" * 90], "longer than 80"),
        (["-o", "/nonexistent-folder/letter.md"], "does not exist"),
    ],
)
def test_new_refuses_bad_input_with_a_reason(capsys, argv, message):
    args = list(ARGS)
    for flag, value in zip(argv[::2], argv[1::2]):
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    code, out, err = run(capsys, *args)
    assert code == 2 and out == "" and message in err


def test_new_needs_every_name(capsys):
    code, _, err = run(capsys, "new", "--company", "Bellweather Foods")
    assert code == 2 and "--role" in err
