"""One `lintletter fix` run: paths + options -> a diff per letter, or the letters rewritten.

The glue between reading files, per-folder configuration (the same as ``check``: ``--select``,
``--ignore``, ``--config``, ``--no-config`` decide which fixes apply), the pure planner
(:mod:`lintletter.fix`) and the atomic writer (:mod:`lintletter.output`). The CLI only parses
flags and prints what this returns.

Every fix is checked before it is offered: the fixed letter is linted again, and an insertion
that would add a finding the letter did not have (a letter pushed over the length limit) is left
out and said so. The bytes written are checked to decode to the fixed text, so a letter is either
written whole and right, or not at all.
"""

from __future__ import annotations

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from . import fix as fix_mod
from .runner import Options, _Linters, _letters_to_read, _with_flags, lint_source_groups
from .config import Config, ConfigFinder
from .errors import InputError, LintletterError, OutputError
from .model import Report
from .reading import Source, extract, read_bytes, read_stdin_bytes

#: Letters ``fix`` cannot rewrite in place: the text lintletter reads is not the file's bytes.
REFUSED = {".eml": "an e-mail file; fix the draft in your mail program, or save its text as .txt",
           ".docx": "a Word document; lintletter cannot rewrite .docx files, so copy the suggestions in by hand"}
#: Fixes left out first when the fixed letter would gain a finding (most optional first).
DROP_ORDER = ("signoff", "signature", "closing", "salutation", "first_paragraph", "asks")


@dataclass(frozen=True)
class LetterFix:
    path: str
    old: str
    new: str
    data: bytes
    new_data: bytes
    edits: tuple[fix_mod.Edit, ...]
    #: codes the fix left out, with why
    left_out: tuple[tuple[str, str], ...] = ()
    #: findings still there after the fix (for the writer to handle)
    remaining: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.new_data != self.data


@dataclass(frozen=True)
class FixOutcome:
    fixes: tuple[LetterFix, ...]
    errors: tuple[LintletterError, ...] = ()
    written: tuple[str, ...] = field(default_factory=tuple)


def fix_document(reports: Sequence[Report], text: str, relint, again: Sequence[Report] | None = None, plans=None):
    """The edits for one file's letters, checked: (edits, fixed text, reports of the fixed text, left
    out). ``reports`` are the file's reports (several when it holds several letters, each with offsets
    into ``text``); ``relint(new_text)`` lints the fixed file the same way; ``again`` is its result
    when the caller has linted the planned fix already (batched), and ``plans`` the plans it was
    linted for (:func:`_plans`)."""
    plans = [list(p) for p in plans] if plans is not None else _plans(reports, text)
    before = [{f.code for f in r.findings} for r in reports]
    left_out: list[tuple[str, str]] = []
    planned = fix_mod.apply(text, [e for p in plans for e in p])
    while True:
        edits = [e for p in plans for e in p]
        new = fix_mod.apply(text, edits)
        if not edits:
            return (), text, tuple(reports), tuple(left_out)
        if again is None or new != planned:
            again, planned = tuple(relint(new)), new
        if len(again) != len(reports):
            raise fix_mod.FixError("the fixed file no longer reads as the same letters")
        added = [sorted({f.code for f in a.findings} - b) for a, b in zip(again, before)]
        if not any(added):
            return tuple(edits), new, tuple(again), tuple(left_out)
        # leave out the least needed insertion of each letter that gained a finding, and try again
        worse = [k for k, codes in enumerate(added) if codes and plans[k]] or [k for k, p in enumerate(plans) if p]
        for k in worse:
            drop = min(plans[k], key=lambda e: (DROP_ORDER.index(e.place), e.code))
            plans[k].remove(drop)
            left_out.append((drop.code, f"inserting it would add {', '.join(added[k] or sorted(set().union(*added)))}"))


#: the blockquote marks that start a line ("> ", ">> ", "> > ")
_QUOTE_MARKS = re.compile(r" {0,3}(?:>[ \t]?)+")


def _quoted_like(text: str, edit: fix_mod.Edit) -> fix_mod.Edit:
    """A letter quoted in a document (a blockquoted sample) gets its insertions quoted the same way,
    so they stay part of it: the line above the insertion point says how."""
    above = text.rfind("\n", 0, max(0, edit.offset - 1)) + 1
    marks = _QUOTE_MARKS.match(text, above, edit.offset) if edit.offset else None
    return dataclasses.replace(edit, prefix=marks.group()) if marks else edit


def _plans(reports: Sequence[Report], text: str) -> list[list[fix_mod.Edit]]:
    """Each letter's edits, on the file's text (a quoted letter's quoted like it)."""
    return [[_quoted_like(text, e) if r.letter is not None else e for e in fix_mod.plan(r)] for r in reports]


def fix_report(linter, report: Report, ignore: Sequence[str] = (), notes: Sequence[str] = ()):
    """:func:`fix_document` for one letter's report, re-linted by ``linter`` as a whole letter:
    (edits, fixed text, report of the fixed text, left out)."""
    edits, new, again, left_out = fix_document(
        (report,), report.text, lambda text: (linter.lint_text(text, report.path, ignore, notes),)
    )
    return edits, new, again[0], left_out


def run_fix(paths: Sequence[str], options: Options, write: bool = False) -> FixOutcome:
    finder = ConfigFinder(options.config) if not options.no_config else None
    linters = _Linters()
    effective: dict[Path | None, Config] = {}
    no_file = Config(root=Path.cwd().resolve())

    def config_for(path: Path | None) -> Config:
        base = finder.for_path(path) if finder else no_file
        if base.path not in effective:
            base.check_codes(linters.ruleset(base.rules))
            effective[base.path] = _with_flags(base, options)
        return effective[base.path]

    wanted, walk_errors = _letters_to_read(list(paths), config_for)
    errors: list[LintletterError] = list(walk_errors)
    read: list[tuple[str, Path | None, bytes, Source, Config]] = []
    for shown in wanted:
        path = None if shown == "-" else Path(shown)
        suffix = Path(options.stdin_filename or "").suffix.lower() if path is None else path.suffix.lower()
        if suffix in REFUSED and shown not in paths:
            continue  # found in a folder: fix only plain-text letters there
        try:
            if suffix in REFUSED:
                raise InputError(shown, f"cannot fix {REFUSED[suffix]}")
            if path is not None and path.is_dir():
                raise InputError(shown, "folder contains no .txt or .md letters")
            # the reads check lints with: only regular files, at most 20 MB, stdin too
            name = options.stdin_filename or shown if path is None else shown
            data = read_stdin_bytes(name) if path is None else read_bytes(path, shown)
            source = extract(data, name)
            read.append((shown, path, data, source, config_for(path)))
        except LintletterError as exc:
            errors.append(exc)

    # lint in batches, then lint the fixed files in batches to check them
    groups = lint_source_groups([(source, cfg) for _, _, _, source, cfg in read], linters)
    plans = [_plans(g, read[i][3].text) for i, g in enumerate(groups)]
    planned = [fix_mod.apply(read[i][3].text, [e for p in plans[i] for e in p]) for i in range(len(read))]
    changed = [i for i, (_, _, _, source, _) in enumerate(read) if planned[i] != source.text]
    checked = dict(zip(changed, lint_source_groups(
        [(dataclasses.replace(read[i][3], text=planned[i]), read[i][4]) for i in changed], linters)))

    fixes: list[LetterFix] = []
    written: list[str] = []
    for i, (shown, path, data, source, cfg) in enumerate(read):

        def relint(new_text: str, source=source, cfg=cfg):
            return lint_source_groups([(dataclasses.replace(source, text=new_text), cfg)], linters)[0]

        try:
            edits, new, again, left_out = fix_document(groups[i], source.text, relint, checked.get(i), plans[i])
            new_data = fix_mod.apply_bytes(data, source.encoding, source.text, edits) if edits else data
            if edits and extract(new_data, source.path).text != new:
                raise fix_mod.FixError("the fixed text did not survive re-encoding")
        except fix_mod.FixError as exc:
            errors.append(InputError(shown, f"cannot fix: {exc}"))
            continue
        remaining = tuple(dict.fromkeys(f.code for r in again for f in r.findings))
        item = LetterFix(shown, source.text, new, data, new_data, edits, left_out, remaining)
        fixes.append(item)
        if write and item.changed and path is not None:
            from .output import write_atomic

            try:
                if not path.is_file():
                    raise OutputError(f"{shown}: not a regular file; not rewritten")
                # renaming over it would work, but its mode says it is not to be changed
                if not os.access(path, os.W_OK) or not os.stat(path).st_mode & 0o222:
                    raise OutputError(f"{shown}: read-only; not rewritten")
                write_atomic(path, new_data)
                written.append(shown)
            except OutputError as exc:
                errors.append(exc)
    return FixOutcome(tuple(fixes), tuple(errors), tuple(written))
