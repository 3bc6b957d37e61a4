"""The public core: text + rule set -> Report. No files, no printing, no global state.

    from lintletter import Linter
    linter = Linter()                       # loads the spaCy pipeline and rules once
    report = linter.lint_text(text)
    reports = list(linter.lint_many([("a.md", text_a), ("b.txt", text_b)]))   # batched

``lint_text(text)`` is a one-call convenience that builds a default Linter on first use.
"""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from . import about as about_mod
from . import letter as letter_mod
from . import signal, suggest, suppressions
from .analysis import analyse, make_docs, prose_blocks
from .checks import KINDS, Context
from .checks.section import check_all as check_sections
from .cues import CompiledCues
from .errors import ConfigError
from .model import SECTIONS, Finding, Report, SectionResult, Status
from .ruleset import RuleSet, load_ruleset
from .scoring import score

#: Docs per spaCy batch; a letter has ~10-30 blocks.
BATCH_SIZE = 256
#: Rule kinds whose findings do not deduct from the score.
UNSCORED_KINDS = frozenset({"input", "suppression"})


class Linter:
    """A loaded pipeline and compiled rule set; reuse it for every letter in a process."""

    def __init__(
        self,
        ruleset: RuleSet | None = None,
        nlp=None,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        extend_select: Sequence[str] | None = None,
    ) -> None:
        from . import pipeline

        self.ruleset = ruleset if ruleset is not None else load_ruleset()
        self.nlp = nlp if nlp is not None else pipeline.load()
        self.cues = CompiledCues(self.nlp, self.ruleset)
        # The learned section signal is loaded only for a rule set that consults ``$signal``.
        self.signal = signal.load(nlp=self.nlp) if signal.uses_signal(self.ruleset) else None
        self.active_codes = _active_codes(self.ruleset, select, ignore, extend_select)
        # Findings about the file rather than the letter (how it was read, stale suppressions) are
        # reported but do not change the letter's score.
        self._unscored = frozenset(r.code for r in self.ruleset.rules if r.kind in UNSCORED_KINDS)
        self._context_codes = frozenset(r.code for r in self.ruleset.rules if r.kind == "context")
        self._section_codes = frozenset(r.code for r in self.ruleset.rules if r.kind == "section")
        self._rules_by_code = {r.code: r for r in self.ruleset.rules}

    def lint_text(
        self, text: str, path: str | None = None, ignore: Sequence[str] = (), notes: Sequence[str] = ()
    ) -> Report:
        """Lint one letter; ``ignore`` adds selectors ignored for this letter only, ``notes`` say
        how it was read (reported as info findings by the ``input`` rule)."""
        return next(self.lint_many([(path, text, ignore, notes)]))

    def lint_many(self, items: Iterable[tuple]) -> Iterator[Report]:
        """Lint ``(path, text[, ignore[, notes]])`` items in order, batching the NLP work.

        ``ignore`` holds selectors ignored for that letter only (per-file-ignores from a config);
        ``notes`` are the reader's remarks on decoding.
        """
        pending: list[tuple] = []
        pending_blocks = 0
        for path, text, *rest in items:
            parsed = letter_mod.parse(text)
            blocks = prose_blocks(parsed)
            extra = (tuple(rest[0]) if rest else (), tuple(rest[1]) if len(rest) > 1 else ())
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

        parsed = letter_mod.parse(text)
        blocks = prose_blocks(parsed)
        docs = list(self.nlp.pipe(make_docs(self.nlp, blocks), batch_size=BATCH_SIZE))
        report = self._judge(path, parsed, blocks, docs)
        ctx = Context(analyse(parsed, blocks, docs, self.cues, self.signal), self.cues)
        return report, explain_all([r for r in self.ruleset.rules if r.kind == "section"], ctx)

    def _finish(self, pending) -> Iterator[Report]:
        all_docs = make_docs(self.nlp, [b for _, _, blocks, *_ in pending for b in blocks])
        processed = iter(list(self.nlp.pipe(all_docs, batch_size=BATCH_SIZE)))
        for path, parsed, blocks, ignore, notes in pending:
            docs = [next(processed) for _ in blocks]
            yield self._judge(path, parsed, blocks, docs, ignore, notes)

    def _judge(self, path, parsed, blocks, docs, ignore=(), notes=()) -> Report:
        about = about_mod.extract(parsed, blocks, docs)
        ctx = Context(analyse(parsed, blocks, docs, self.cues, self.signal), self.cues, notes, about=about)
        sections: dict[str, SectionResult] = {}
        findings: list[Finding] = []
        # Section rules always run (a deselected section is still reported) and are judged together,
        # since the six sections compete for the same sentences.
        section_results = check_sections([r for r in self.ruleset.rules if r.kind == "section"], ctx)
        ctx = dataclasses.replace(ctx, sections={r.section.section: r.section for r in section_results.values()})
        for rule in self.ruleset.rules:
            is_section = rule.kind == "section"
            if not is_section and rule.code not in self.active_codes:
                continue
            result = section_results[rule.code] if is_section else KINDS[rule.kind](rule, ctx)
            if result.section is not None:
                sections[result.section.section] = result.section
            if rule.code in self.active_codes:
                findings.extend(result.findings)
        # A letter that is not a reply to a rejection (kind ``context``) is not graded as one: its
        # sections are still reported, but their findings would only be noise.
        if any(f.code in self._context_codes for f in findings):
            findings = [f for f in findings if f.code not in self._section_codes]
        for name in SECTIONS:  # a rule set without a rule for some section still reports it
            sections.setdefault(name, SectionResult(name, Status.MISSING, ""))
        found = suppressions.parse(parsed.text, parsed.front_matter, parsed.front_matter_span)
        outcome = suppressions.apply(found, findings, self.ruleset, self.active_codes, ignore)
        ordered = tuple(sorted((self._personalise(f, about) for f in outcome.kept), key=Finding.sort_key))
        hidden = tuple(dataclasses.replace(s, finding=self._personalise(s.finding, about)) for s in outcome.suppressed)
        active = self.active_codes - outcome.ignored_codes
        scored = [s for s in SECTIONS if sections[s].rule in active]
        return Report(
            text=parsed.text,
            sections={s: sections[s] for s in SECTIONS},
            findings=ordered,
            score=score(sections, [f for f in ordered if f.code not in self._unscored], self.ruleset.scoring, scored),
            path=path,
            front_matter=parsed.front_matter,
            word_count=ctx.analysed.body_words,
            suppressed=hidden,
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
    return Linter(load_ruleset([Path(d) for d in rules_dirs]))


def lint_text(text: str, path: str | None = None, rules_dirs: Sequence[str] = ()) -> Report:
    """Lint one letter with the built-in rules (plus ``rules_dirs``); the Linter is built once."""
    return _default_linter(tuple(str(d) for d in rules_dirs)).lint_text(text, path)
