"""The public core: text + rule set -> Report. No files, no printing, no global state.

    from lintletter import Linter
    linter = Linter()                       # loads the spaCy pipeline and rules once
    report = linter.lint_text(text)
    reports = list(linter.lint_many([LetterInput("a.md", text_a), LetterInput("b.txt", text_b)]))   # batched

``lint_text(text)`` is a one-call convenience that builds a default Linter on first use.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from . import about as about_mod
from . import anatomy, section_signal, suggest, suppressions
from .analysis import analyse, make_docs, prose_blocks
from .checks import KINDS, Context, NoLetter, lexicon_used
from .cues import CompiledCues
from .errors import ConfigError
from .model import SECTIONS, Finding, Report, SectionResult, Status
from .model import RuleSet
from .scoring import score
from .validate import cue_lists

if TYPE_CHECKING:
    from .embedded import EmbeddedLetter

#: Docs per spaCy batch; a letter has ~10-30 blocks.
BATCH_SIZE = 256
#: Characters of embedded-letter copies linted in one go before the reports are handed on (each
#: letter inside a document is linted as a copy of the host text up to that letter).
COPY_BUDGET = 8_000_000
#: The note (an LL315 finding) on a letter where the rules' patterns needed more matching work than
#: lintletter allows per word (see lintletter.token_patterns): the letter's verdict may be incomplete.
CUT_SHORT_NOTE = (
    "the rules' word patterns were too costly for {count} paragraph(s) of this letter, so matching stopped "
    "early there and some findings may be missing (simplify patterns with many optional or repeated words)"
)


@dataclass(frozen=True)
class LetterInput:
    """One letter for :meth:`Linter.lint_many`: its text, the path reports name it by, and what
    applies to this letter only."""

    path: str | None
    text: str
    #: selectors ignored for this letter only (per-file-ignores from a config)
    ignore: tuple[str, ...] = ()
    #: the reader's remarks on how the file was decoded (reported by the ``input`` rule, LL315)
    notes: tuple[str, ...] = ()
    #: the text is a letter found inside a document, whose block may set front matter and ignore rules
    embedded: "EmbeddedLetter | None" = None


class Linter:
    """A loaded pipeline and compiled rule set; reuse it for every letter in a process."""

    def __init__(
        self,
        ruleset: RuleSet | None = None,
        nlp=None,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        extend_select: Sequence[str] | None = None,
        cues: CompiledCues | None = None,
    ) -> None:
        """``cues``: the rule set's compiled cues, when the caller has them (lintletter.compiled_rules)."""
        from . import pipeline

        if ruleset is None:
            from .ruleset import load_ruleset  # the CLI hands a rule set in, often from the compiled-rules cache

            ruleset = load_ruleset()
        self.ruleset = ruleset
        self.nlp = nlp if nlp is not None else pipeline.load()
        self.cues = cues if cues is not None else CompiledCues(self.nlp, self.ruleset)
        _resolve_names(self.cues, self.ruleset)
        # The learned section signal is loaded only for a rule set that consults ``$signal``.
        self.signal = section_signal.load(nlp=self.nlp) if section_signal.uses_signal(self.ruleset) else None
        self.active_codes = _active_codes(self.ruleset, select, ignore, extend_select)
        rules = self.ruleset.rules
        # Each kind's policy flags (lintletter/checks/<kind>.py) decide how its rules are treated.
        kind = {r.code: KINDS[r.kind] for r in rules}
        # Findings about the file rather than the letter (how it was read, stale suppressions) are
        # reported but do not change the letter's score.
        self._unscored = frozenset(r.code for r in rules if not kind[r.code].scored)
        self._context_codes = frozenset(r.code for r in rules if kind[r.code].not_a_reply)
        # what a letter that is not a reply to a rejection is not judged on: the sections, and rules
        # about the rejection (the door left open)
        self._section_codes = frozenset(r.code for r in rules if kind[r.code].only_for_rejection_replies(r))
        self._document_wide = frozenset(r.code for r in rules if kind[r.code].document_wide)
        self._rules_by_code = {r.code: r for r in rules}
        #: rules judged together, before the others (the six sections), by kind
        self._together = [(k, [r for r in rules if r.kind == name]) for name, k in KINDS.items() if k.check_all]
        #: the rules of the six sections (kinds with ``section_rule``), in code order
        self.section_rules = tuple(r for r in rules if kind[r.code].section_rule)
        self._no_letter_rules = [r for r in rules if kind[r.code].on_no_letter is not None]
        self._suppression_rule = next((r for r in rules if kind[r.code].after_suppressions), None)

    def lint_text(
        self, text: str, path: str | None = None, ignore: Sequence[str] = (), notes: Sequence[str] = ()
    ) -> Report:
        """Lint one letter; ``ignore`` adds selectors ignored for this letter only, ``notes`` say
        how it was read (reported as info findings by the ``input`` rule)."""
        return next(self.lint_many([LetterInput(path, text, tuple(ignore), tuple(notes))]))

    def lint_many(self, items: Iterable[LetterInput]) -> Iterator[Report]:
        """Lint letters in order, batching the NLP work: one report per :class:`LetterInput`."""
        pending: list[tuple] = []
        pending_blocks = 0
        for item in items:
            if not isinstance(item, LetterInput):
                raise TypeError(f"lint_many takes LetterInput items, not {type(item).__name__}")
            path, embedded = item.path, item.embedded
            parsed = anatomy.parse(item.text)
            ignore, notes = tuple(item.ignore), tuple(item.notes)
            if embedded is not None:
                if embedded.front_matter:  # the block's attributes override the article's front matter
                    parsed = dataclasses.replace(parsed, front_matter={**parsed.front_matter, **embedded.front_matter})
                ignore += embedded.ignore
            blocks = prose_blocks(parsed)
            extra = (ignore, notes, embedded.place if embedded is not None else None)
            pending.append((path, parsed, blocks, *extra))
            pending_blocks += len(blocks)
            if pending_blocks >= BATCH_SIZE:
                yield from self._finish(pending)
                pending, pending_blocks = [], 0
        if pending:
            yield from self._finish(pending)

    def explain_text(self, text: str, path: str | None = None):
        """The report, and for each section rule every sentence that matched its cues (including the
        ones that do not count, with the reason): ``(report, {code: [Candidate, ...]})``."""
        from .checks.section import explain_all

        parsed = anatomy.parse(text)
        blocks = prose_blocks(parsed)
        docs = list(self.nlp.pipe(make_docs(self.nlp, blocks), batch_size=BATCH_SIZE))
        report = self._judge(path, parsed, blocks, docs)
        ctx = Context(analyse(parsed, blocks, docs, self.cues, self.signal), self.cues, signal=self.signal)
        return report, explain_all(list(self.section_rules), ctx)

    def _finish(self, pending) -> Iterator[Report]:
        all_docs = list(self.nlp.pipe(make_docs(self.nlp, [b for _, _, blocks, *_ in pending for b in blocks]), batch_size=BATCH_SIZE))
        # cues matched over the whole batch at once: per paragraph, the matcher's set-up cost more than its work
        all_matches = self.cues.match_docs(all_docs)
        at = 0
        for path, parsed, blocks, ignore, notes, place in pending:
            docs, matches = all_docs[at : at + len(blocks)], all_matches[at : at + len(blocks)]
            at += len(blocks)
            yield self._judge(path, parsed, blocks, docs, ignore, notes, place, matches)

    def lint_documents(self, items: Iterable[tuple]) -> Iterator[Report]:
        """Lint ``(path, text, ignore, notes, mode[, require_letter])`` documents: one report per
        letter found in each (``mode`` as in :func:`lintletter.embedded.find_letters`), in order.

        A file that is one letter gets the report :meth:`lint_many` gives it; a document in which no
        letter is found gets one report with no score and one ``document`` finding (LL317): info, or
        an error when ``require_letter`` says every document must contain a letter.
        """
        for reports in self.lint_document_groups(items):
            yield from reports

    def lint_document_groups(self, items: Iterable[tuple], shared_view: bool = True) -> Iterator[tuple[Report, ...]]:
        """:meth:`lint_documents`, with the reports of each document together: one tuple per item.
        ``fix`` needs that, and ``shared_view=False``: each letter's report then keeps its own text
        (the host with every other line blanked), which is what its fixes are planned on."""
        from . import embedded

        chunk: list[tuple] = []
        copied = 0  # characters of letter copies the chunk will hold while it is linted
        for path, text, ignore, notes, mode, *rest in items:
            require = bool(rest and rest[0])
            document = embedded.find_letters(text, mode, path, require)
            chunk.append((path, text, tuple(ignore), tuple(notes) + document.notes, require, document))
            copied += sum(letter.span.end for letter in document.letters)
            if copied >= COPY_BUDGET:
                yield from self._lint_chunk(chunk, shared_view)
                chunk, copied = [], 0
        yield from self._lint_chunk(chunk, shared_view)

    def _lint_chunk(self, chunk: list[tuple], shared_view: bool = True) -> Iterator[tuple[Report, ...]]:
        def letters():
            for path, _, ignore, notes, _, document in chunk:
                if document.whole:
                    yield LetterInput(path, document.text, ignore, notes)
                for letter in document.letters:
                    yield LetterInput(path, letter.text, ignore, notes, letter)

        reports = self.lint_many(letters())
        for path, text, ignore, notes, require, document in chunk:
            if document.whole:
                yield (next(reports),)
            elif not document.letters:
                yield (self._no_letter(path, text, ignore, notes, require, document.mode),)
            else:
                # Each letter was linted as its own copy of the host; its report keeps the document's
                # one shared view instead (same offsets, same letter text), so memory stays one copy
                # per document however many letters it holds.
                got = [next(reports) for _ in document.letters]
                if shared_view:
                    view = document.view()
                    got = [dataclasses.replace(report, text=view) for report in got]
                yield tuple(self._once_per_document(got, document.letters))

    def _no_letter(self, path, text, ignore, notes, require: bool, mode: str) -> Report:
        """The report for a document with no letter in it: never scored, one finding that says so."""
        parsed = anatomy.parse(text)
        findings: list[Finding] = []
        document = NoLetter(mode, require, tuple(notes))
        for rule in self._no_letter_rules:
            if rule.code in self.active_codes:
                findings += KINDS[rule.kind].on_no_letter(rule, document)
        # Only suppressions of the whole file can apply (front matter, disable-file); stale ones in
        # the rest of the document are not this report's business.
        found = suppressions.parse(parsed.text, parsed.front_matter, parsed.front_matter_span)
        wide = suppressions.Suppressions(found.letter_wide, (), ())
        outcome = suppressions.apply(wide, findings, self.ruleset, self.active_codes, tuple(ignore), self._suppression_rule)
        kept = tuple(sorted((f for f in outcome.kept if f.code in {x.code for x in findings}), key=Finding.sort_key))
        return Report(
            text=text, sections={}, findings=kept, score=None, path=path,
            front_matter=parsed.front_matter, suppressed=outcome.suppressed,
        )  # fmt: skip

    def _once_per_document(self, reports: list[Report], letters) -> list[Report]:
        """Findings about the document's suppressions (in its front matter or outside every letter)
        appear in each letter's report; keep each on the first letter that has it, and only when every
        letter whose text holds that span reports it (a suppression used by any letter is used)."""
        if len(reports) < 2:
            return reports

        def wide(report: Report, letter, f: Finding) -> bool:
            return (
                f.code in self._document_wide and f.span is not None
                and not (letter.span.start <= f.span.start <= letter.span.end)
            )  # fmt: skip

        holders: dict[tuple, int] = {}
        counts: dict[tuple, int] = {}
        for report, letter in zip(reports, letters):
            for f in report.findings:
                if wide(report, letter, f):
                    key = (f.code, f.span, f.message)
                    counts[key] = counts.get(key, 0) + 1
        for letter in letters:
            for key in counts:
                if any(k.start <= key[1].start and key[1].end <= k.end for k in letter.kept):
                    holders[key] = holders.get(key, 0) + 1
        out: list[Report] = []
        shown: set[tuple] = set()
        for report, letter in zip(reports, letters):
            kept = []
            for f in report.findings:
                if wide(report, letter, f):
                    key = (f.code, f.span, f.message)
                    if key in shown or counts[key] < holders.get(key, 1):
                        continue
                    shown.add(key)
                kept.append(f)
            out.append(report if len(kept) == len(report.findings) else dataclasses.replace(report, findings=tuple(kept)))
        return out

    def _judge(self, path, parsed, blocks, docs, ignore=(), notes=(), place=None, cue_matches=None) -> Report:
        about = about_mod.extract(parsed, blocks, docs)
        analysed = analyse(parsed, blocks, docs, self.cues, self.signal, cue_matches)
        if analysed.cut_short:
            notes = (*notes, CUT_SHORT_NOTE.format(count=analysed.cut_short))
        ctx = Context(analysed, self.cues, notes, about=about, signal=self.signal)
        sections: dict[str, SectionResult] = {}
        findings: list[Finding] = []
        # Section rules always run (a deselected section is still reported) and are judged together,
        # since the six sections compete for the same sentences; the other kinds read their results.
        together = {code: result for kind, rules in self._together for code, result in kind.check_all(rules, ctx).items()}
        ctx = dataclasses.replace(ctx, sections={r.section.section: r.section for r in together.values() if r.section})
        for rule in self.ruleset.rules:
            kind = KINDS[rule.kind]
            if not kind.always_runs and rule.code not in self.active_codes:
                continue
            result = together[rule.code] if rule.code in together else kind.check(rule, ctx)
            if result.section is not None:
                sections[result.section.section] = result.section
            if rule.code in self.active_codes:
                findings.extend(result.findings)
        # A letter that is not a reply to a rejection (kind ``context``) is not graded as one: its
        # sections are still reported, but their findings would only be noise.
        context = [f.code for f in findings if f.code in self._context_codes]
        if context:
            findings = [f for f in findings if f.code not in self._section_codes]
            # ... and a letter with no rejection to acknowledge acknowledges none: "thanks for your
            # call" or "your decision" is only a hint of the news in a reply to it (the rule spoke
            # because that section was not present)
            for code in context:
                name = self._rules_by_code[code].options.unless_section
                if name in sections and sections[name].status is Status.WEAK:
                    sections[name] = SectionResult(name, Status.MISSING, sections[name].rule)
        for name in SECTIONS:  # a rule set without a rule for some section still reports it
            sections.setdefault(name, SectionResult(name, Status.MISSING, ""))
        found = suppressions.parse(parsed.text, parsed.front_matter, parsed.front_matter_span)
        outcome = suppressions.apply(found, findings, self.ruleset, self.active_codes, ignore, self._suppression_rule)
        ordered = tuple(sorted((self._personalise(f, about) for f in outcome.kept), key=Finding.sort_key))
        hidden = tuple(dataclasses.replace(s, finding=self._personalise(s.finding, about)) for s in outcome.suppressed)
        active = self.active_codes - outcome.ignored_codes
        scored = [s for s in SECTIONS if sections[s].rule in active]
        shown = {s: sections[s] if s in scored else SectionResult(s, Status.IGNORED, sections[s].rule) for s in SECTIONS}
        return Report(
            text=parsed.text,
            sections=shown,
            findings=ordered,
            score=score(sections, [f for f in ordered if f.code not in self._unscored], self.ruleset.scoring, scored),
            path=path,
            front_matter=parsed.front_matter,
            word_count=ctx.analysed.body_words,
            suppressed=hidden,
            letter=place,
            about=about,
        )

    def _personalise(self, finding: Finding, about) -> Finding:
        """The finding with its rule's suggestion made for this letter (its names, its register)."""
        rule = self._rules_by_code.get(finding.code)
        if rule is None:
            return finding
        made = suggest.suggest(rule, about)
        insert_at = rule.insert_at if made.insertable else None
        return dataclasses.replace(finding, suggestion=made.text, insert_at=insert_at)


def _resolve_names(cues: CompiledCues, ruleset: RuleSet) -> None:
    """Resolve every cue group name the rules and the code give, once, as the Linter is built
    (the rule loader has checked that each exists); linting then only looks them up."""
    for name in lexicon_used():
        cues.resolve(None, name)
    for rule in ruleset.rules:
        for _, names in cue_lists(rule.options):
            for name in names:
                cues.resolve(rule, name)


def _active_codes(
    ruleset: RuleSet,
    select: Sequence[str] | None,
    ignore: Sequence[str] | None,
    extend_select: Sequence[str] | None = None,
) -> frozenset[str]:
    """Codes whose findings are reported: (select, or every rule) + extend_select - ignore.

    Selectors are codes, code prefixes ("LL2") or rule names.
    """
    for selector in list(select or []) + list(ignore or []) + list(extend_select or []):
        if not any(ruleset.matches(r, [selector]) for r in ruleset.rules):
            raise ConfigError(f"unknown rule code or name in select/ignore: {selector!r}")
    wanted = list(select or []) + list(extend_select or []) if select else None
    chosen = [r for r in ruleset.rules if wanted is None or ruleset.matches(r, wanted)]
    return frozenset(r.code for r in chosen if not (ignore and ruleset.matches(r, list(ignore))))


@functools.lru_cache(maxsize=4)
def _default_linter(rules_dirs: tuple[str, ...]) -> Linter:
    from .ruleset import load_ruleset

    return Linter(load_ruleset([Path(d) for d in rules_dirs]))


def lint_text(text: str, path: str | None = None, rules_dirs: Sequence[str] = ()) -> Report:
    """Lint one letter with the built-in rules (plus ``rules_dirs``); the Linter is built once."""
    return _default_linter(tuple(str(d) for d in rules_dirs)).lint_text(text, path)
