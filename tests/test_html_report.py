"""The HTML report read back with the stdlib parser, and the rich terminal view. No browser here."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lintletter import LetterInput
from lintletter.errors import InputError
from lintletter.formatters import Run, html, pretty
from lintletter.formatters import json as json_format
from lintletter.model import SECTIONS

from .conftest import ACCEPTANCE

LETTERS = [ACCEPTANCE / "thank-you-only.txt", ACCEPTANCE / "complete.md", ACCEPTANCE / "bitter.txt"]
VOID = {"meta", "link", "br", "img", "input", "hr", "wbr", "source", "area", "base", "col", "embed", "track"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list["Node | str"] = field(default_factory=list)
    parent: "Node | None" = None

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def walk(self):
        for c in self.children:
            if isinstance(c, Node):
                yield c
                yield from c.walk()

    def find_all(self, tag: str | None = None, **attrs: str) -> list["Node"]:
        return [
            n for n in self.walk()
            if (tag is None or n.tag == tag) and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class StrictTreeBuilder(HTMLParser):
    """Builds a tree and fails on any end tag that does not close the innermost open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.open = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.open)
        self.open.children.append(node)
        if tag not in VOID:
            self.open = node

    def handle_startendtag(self, tag, attrs):
        self.open.children.append(Node(tag, dict(attrs), parent=self.open))

    def handle_endtag(self, tag):
        assert self.open.tag == tag, f"</{tag}> closes <{self.open.tag}>: improperly nested markup"
        self.open = self.open.parent

    def handle_data(self, data):
        self.open.children.append(data)


def parse(markup: str) -> Node:
    builder = StrictTreeBuilder()
    builder.feed(markup)
    builder.close()
    assert builder.open is builder.root, f"<{builder.open.tag}> never closed"
    return builder.root


def fragments_text(root: Node, key: str) -> dict[str, str]:
    """Join the text of every fragment sharing data-<key>, in document order."""
    joined: dict[str, str] = {}
    for node in root.walk():
        name = node.attrs.get(f"data-{key}")
        if name:
            joined[name] = joined.get(name, "") + node.text
    return joined


@pytest.fixture(scope="module")
def reports(linter):
    return tuple(linter.lint_many(LetterInput(str(p), p.read_text(encoding="utf-8")) for p in LETTERS))


@pytest.fixture(scope="module")
def page(reports):
    return html.render(Run(reports))


@pytest.fixture(scope="module")
def tree(page):
    return parse(page)


@pytest.fixture(scope="module")
def as_json(reports):
    return json.loads(json_format.render(Run(reports)))


def article(tree: Node, number: int) -> Node:
    (found,) = tree.find_all("article", id=f"letter-{number}")
    return found


def test_page_is_well_formed_and_self_contained(page, tree):
    assert page.startswith("<!DOCTYPE html>")
    (root,) = tree.find_all("html")
    assert root.attrs["lang"] == "en"
    assert tree.find_all("meta", name="viewport")
    for node in tree.walk():
        for attr in ("src", "href", "action", "srcset"):
            value = (node.attrs.get(attr) or "").strip().lower()
            assert not value.startswith(("http://", "https://", "//")), f"<{node.tag} {attr}={value}> loads from the network"
    assert not tree.find_all("script") and not tree.find_all("iframe")
    (style,) = tree.find_all("style")
    assert "url(" not in style.text and "@import" not in style.text
    assert re.search(r"\d{4}-\d{2}-\d{2}", page) is None  # no timestamps: same input, same bytes


def test_letter_text_is_kept_whole(reports, tree):
    for number, report in enumerate(reports, 1):
        (letter,) = [n for n in article(tree, number).walk() if "letter-text" in n.classes()]
        assert letter.text == report.text  # nothing lost or added, line breaks and spaces kept


def test_marks_cover_exactly_the_evidence(reports, tree, as_json):
    for number, doc in enumerate(as_json["files"], 1):
        found = fragments_text(article(tree, number), "ev")
        for section in SECTIONS:
            evidence = [e["text"] for e in doc["sections"][section]["evidence"]]
            marked = [text for key, text in found.items() if key.startswith(f"l{number}-ev-{section}-")]
            assert marked == evidence, (doc["path"], section)
        for mark in article(tree, number).find_all("mark"):
            assert mark.attrs["data-section"] in SECTIONS and f"sec-{mark.attrs['data-section']}" in mark.classes()


def test_a_sentence_shared_by_two_sections_nests_one_mark_in_the_other(linter):
    # one sentence that asks two things: where the writer fell short, and which other firms to try
    shared = "Could you tell me where my case study fell short, and which other firms you would look at?"
    text = f"Dear Ms Lee,\n\nThank you for letting me know the role went to another candidate. {shared}\n\nBest,\nSam\n"
    report = linter.lint_text(text, "shared.txt")
    doc = json.loads(json_format.render(Run((report,))))["files"][0]
    sections = [s for s, r in doc["sections"].items() if shared in [e["text"] for e in r["evidence"]]]
    assert sections == ["feedback_request", "competitors"]
    tree = parse(html.render(Run((report,))))
    inner = [m for m in article(tree, 1).find_all("mark", data_section="competitors")]
    assert inner and all(m.parent.tag == "mark" and m.parent.attrs["data-section"] == "feedback_request" for m in inner)


def test_checklist_matches_the_report(tree, as_json):
    for number, doc in enumerate(as_json["files"], 1):
        items = {li.attrs["data-section"]: li for li in article(tree, number).find_all("li") if "check" in li.classes()}
        assert list(items) == list(SECTIONS)
        for section, li in items.items():
            status = doc["sections"][section]["status"]
            assert li.attrs["data-status"] == status
            # never colour alone: an icon and the word itself
            (badge,) = [n for n in li.walk() if "badge" in n.classes()]
            assert status in badge.text and any("icon" in n.classes() and n.text.strip() for n in badge.walk())


def test_score_is_shown_as_number_verdict_and_meter(tree, as_json):
    for number, doc in enumerate(as_json["files"], 1):
        (meter,) = article(tree, number).find_all(role="meter")
        assert meter.attrs["aria-valuenow"] == str(doc["score"])
        (score,) = [n for n in article(tree, number).walk() if "score-text" in n.classes()]
        assert str(doc["score"]) in score.text and doc["verdict"] in score.text


def revise_at_85(linter):
    """The complete acceptance letter with a placeholder left in, scored by a rubric whose error costs
    15 points (a team's own scoring.yml may say so): 85/100, but the error makes it "revise"."""
    from lintletter.model import Severity
    from lintletter.scoring import score

    text = (ACCEPTANCE / "complete.md").read_text(encoding="utf-8").replace(
        "if another role opens up.", "if another role opens up at [Company]."
    )
    report = linter.lint_text(text, "letters/revise.md")
    rubric = linter.ruleset.scoring
    rubric = dataclasses.replace(rubric, deductions={**rubric.deductions, Severity.ERROR: 15.0})
    report = dataclasses.replace(report, score=score(report.sections, report.findings, rubric))
    assert (report.score.value, report.score.verdict) == (85, "revise")
    assert any(f.severity.value == "error" for f in report.findings)
    return report


def test_the_score_is_coloured_by_its_verdict_not_its_number(linter, reports):
    ready = next(r for r in reports if r.score.verdict == "ready")
    page = parse(html.render(Run((revise_at_85(linter), ready))))
    bands = {}
    for number in (1, 2):
        (box,) = [n for n in article(page, number).walk() if "score" in n.classes()]
        bands[box.attrs["data-verdict"]] = [c for c in box.classes() if c.startswith("band-")]
    assert bands == {"revise": ["band-fair"], "ready": ["band-good"]}  # 85 with an error is not green
    rows = [n for n in page.walk() if n.tag == "tr" and "data-letter" in n.attrs]  # the index of letters
    index = [n for row in rows for n in row.walk() if n.tag == "span" and "verdict" in n.classes()]
    assert {n.text: n.classes() for n in index} == {"revise": {"verdict", "band-fair"}, "ready": {"verdict", "band-good"}}


def test_every_finding_is_listed_and_anchored_where_it_applies(tree, as_json):
    for number, doc in enumerate(as_json["files"], 1):
        part = article(tree, number)
        notes = [li for li in part.find_all("li") if "note" in li.classes()]
        assert [n.attrs["data-code"] for n in notes] == [d["code"] for d in doc["diagnostics"]]
        spans = fragments_text(part, "finding")
        for note, diag in zip(notes, doc["diagnostics"]):
            assert diag["message"] in note.text
            anchor_id = note.attrs["id"].removesuffix("-note")
            links = [a for a in note.find_all("a") if a.attrs.get("href") == f"#{anchor_id}"]
            anchors = part.find_all(id=anchor_id)
            if diag["text"] is None:  # about something absent: only in the list
                assert not anchors and not links
                continue
            (anchor,) = anchors
            assert links and anchor.attrs["tabindex"] == "0"
            assert anchor.attrs["aria-describedby"] == note.attrs["id"]
            assert spans[anchor_id] == diag["text"]
            tips = [n.attrs["data-tip"] for n in anchor.walk() if "tip" in n.classes()]
            assert tips and diag["message"] in tips[0]
            assert diag["suggestion"] is None or " ".join(diag["suggestion"].split()) in tips[0]


def test_ids_are_unique(tree):
    ids = [n.attrs["id"] for n in tree.walk() if n.attrs.get("id")]
    assert len(ids) == len(set(ids))
    for node in tree.walk():  # every in-page link and description points at something real
        href = node.attrs.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids
        if node.attrs.get("aria-describedby"):
            assert node.attrs["aria-describedby"] in ids


def test_index_lists_every_letter_only_when_there_are_several(reports, tree, as_json):
    (nav,) = tree.find_all("nav")
    rows = nav.find_all("tr")[1:]
    assert len(rows) == len(reports)
    for number, (row, doc) in enumerate(zip(rows, as_json["files"]), 1):
        (link,) = row.find_all("a")
        assert link.attrs["href"] == f"#letter-{number}" and link.text == doc["path"]
        assert str(doc["score"]) in row.text and doc["verdict"] in row.text
    assert not parse(html.render(Run(reports[:1]))).find_all("nav")


def test_input_errors_are_listed(reports):
    page = parse(html.render(Run(reports[:1], errors=(InputError("gone/missing.txt", "no such file"),))))
    (errors,) = [n for n in page.walk() if "errors" in n.classes()]
    assert "gone/missing.txt" in errors.text and "no such file" in errors.text


def test_letter_html_is_escaped_and_inert(linter):
    text = (
        "Dear <b>Sam</b>,\n\nThank you for letting me know. <script>alert(1)</script> "
        'I still want to work at "A&B" <img src=x onerror=alert(1)>.\n\nBest,\nKim\n'
    )
    (report,) = linter.lint_many([LetterInput("<i>evil</i>.txt", text)])
    page = html.render(Run((report,)))
    tree = parse(page)
    assert not tree.find_all("script") and not tree.find_all("img") and not tree.find_all("b")
    assert not [n for n in tree.walk() if any(a.startswith("on") for a in n.attrs)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    (letter,) = [n for n in tree.walk() if "letter-text" in n.classes()]
    assert letter.text == text
    assert tree.find_all("article")[0].attrs["data-path"] == "<i>evil</i>.txt"


@dataclass(frozen=True)
class _Range:
    start: int
    end: int


def _layers(text, ranges):
    return [
        html.Layer(r.start, r.end, "mark" if i % 2 else "span", (("data-k", str(i)),), (("id", f"x{i}"),), i % 3)
        for i, r in enumerate(ranges)
    ]


def test_crossing_ranges_split_into_valid_fragments():
    text = "aaaa bbbb cccc dddd"
    layers = _layers(text, [_Range(0, 9), _Range(5, 14), _Range(5, 14), _Range(10, 19), _Range(3, 3)])
    out = html.markup(text, layers)
    tree = parse(f"<div>{out}</div>")
    assert tree.text == text
    assert fragments_text(tree, "k") == {"0": text[0:9], "1": text[5:14], "2": text[5:14], "3": text[10:19]}
    assert len(tree.find_all(id="x1")) == 1  # the id only on the first fragment


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_ranges_nest_validly(data):
    text = data.draw(st.text(alphabet="ab <&>\n\"'", max_size=40))
    bound = st.integers(0, len(text))
    pairs = data.draw(st.lists(st.tuples(bound, bound), max_size=6))
    ranges = [_Range(min(a, b), max(a, b)) for a, b in pairs]
    tree = parse(f"<div>{html.markup(text, _layers(text, ranges))}</div>")
    assert tree.text == text
    expected = {str(i): text[r.start : r.end] for i, r in enumerate(ranges) if r.start < r.end}
    assert fragments_text(tree, "k") == expected


# --- pretty --------------------------------------------------------------------------------------


def test_pretty_colours_the_score_by_its_verdict(linter, reports):
    incomplete = next(r for r in reports if r.score.verdict == "incomplete")
    ready = next(r for r in reports if r.score.verdict == "ready")
    out = pretty.render(Run((revise_at_85(linter), ready, incomplete), color=True))
    seen = {}
    for line in out.splitlines():
        # "<path>  \x1b[33m█████…\x1b[0m\x1b[90m░░…\x1b[0m  85/100 \x1b[1;33mrevise\x1b[0m"
        found = re.search(r"(?:\x1b\[(3\d)m█+)?\S*░* *\S* +\d+/100 \x1b\[1;(3\d)m(\w+)", line)
        if found:
            bar, word, verdict = found.groups()
            assert bar in (None, word), line  # the bar (none at 0/100) and the verdict in one colour
            seen[verdict] = {"32": "green", "33": "yellow", "31": "red"}[word]
    assert seen == {"revise": "yellow", "ready": "green", "incomplete": "red"}  # 85 with an error is not green


def test_pretty_without_color_is_plain_and_readable(reports, as_json):
    out = pretty.render(Run(reports, color=False))
    assert "\x1b" not in out
    flat = " ".join(out.split())
    for word in ("present", "weak", "missing"):
        assert word in out
    for doc in as_json["files"]:
        assert f"{doc['score']}/100" in out and doc["verdict"] in out
        for section in doc["sections"].values():
            for e in section["evidence"][:1]:  # the checklist quotes each section's first sentence
                assert " ".join(e["text"].split()) in flat
        for d in doc["diagnostics"]:
            assert d["code"] in out
    assert "3 letters checked" in out


def test_pretty_with_color_highlights(reports):
    out = pretty.render(Run(reports, color=True))
    assert "\x1b[" in out
    assert "present" in out and "weak" in out


def test_formats_are_registered():
    from lintletter.formatters import FORMATS, render

    assert FORMATS["html"] == "html" and FORMATS["pretty"] == "pretty"
    assert render("html", Run(())).startswith("<!DOCTYPE html>")


CRLF_LETTER = (
    "Hi Sam,\r\n\r\nThank you for letting me know that you offered the role to another candidate.\r\n"
    "\x1b[2J I remain very interested in Acme.\r\n\r\nBest,\r\nKim\r\n"
)


def test_crlf_and_control_codes_keep_offsets(linter):
    (report,) = linter.lint_many([LetterInput("crlf.txt", CRLF_LETTER)])
    ack = report.sections["acknowledgement"].evidence[0].text(CRLF_LETTER)
    assert ack.startswith("Thank you")

    tree = parse(html.render(Run((report,))))
    assert fragments_text(tree, "ev")["l1-ev-acknowledgement-1"] == ack

    plain = pretty.render(Run((report,), color=False))
    assert "\x1b" not in plain and "␛[2J" in plain  # a letter cannot drive the terminal
    (line3,) = [line for line in plain.splitlines() if line.startswith("3 ")]
    assert "ack" in line3 and "Thank you" in line3
    painted = pretty.render(Run((report,), color=True))
    # the highlight starts and stops exactly on the sentence, though rich drops every \r it sees
    assert re.search(r"\x1b\[[0-9;]*m" + re.escape(ack) + r"\x1b\[0m", painted)


def test_pretty_keeps_score_and_verdict_whole_beside_a_long_path(linter, reports):
    # A CI checkout's path can be longer than the terminal: the path gives way, not the verdict.
    report = dataclasses.replace(reports[0], path="/deep" * 40 + "/letter.md")
    first = next(line for line in pretty.render(Run((report,), color=False)).splitlines() if "/100" in line)
    assert first.startswith("…") and first.endswith(f"{report.score.value}/100 {report.score.verdict}")
    assert len(first) <= pretty.WIDTH and "letter.md" in first
