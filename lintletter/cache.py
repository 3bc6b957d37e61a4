"""The result cache: a letter's reports, kept from one ``lintletter check`` run to the next.

A thin layer around the pure core: ``text + rule set -> Report`` is computed once, and a later run
that would compute it again from the same inputs reads it back instead. When every letter of a run
is found here, spaCy is never imported.

What decides whether an entry applies is its **key**, a SHA-256 over everything the reports depend
on (a change to any of them is a miss, never a stale answer):

- the cache's own format, lintletter's version and every module of the package (names, sizes and
  times to the nanosecond, so an edited checkout never reuses an older build's results), the
  Python, spaCy and PyYAML versions (the digests of their version files), and the built pipeline
  and learned signal under ``models/`` (file names, sizes and times);
- the rule folders that apply to the letter (every ``.yml``/``.yaml`` file in them, built-in and the
  config's and ``--rules``': rules, ``lexicon.yml``, ``scoring.yml``), and the settings that change a
  report: ``select``, ``extend-select``, ``ignore``, ``severity``, ``weights``, ``embedded``,
  ``require-letter`` and the letter's ``per-file-ignores``;
- the letter as read: its path as reported, its text, its encoding and the reader's notes (a
  function of the file's bytes and the readers' code, which the key already covers).

Settings that only decide pass or fail (``fail-on``, ``min-score``, ``max-warnings``) and how the
report is printed (``--format``, ``-q``, colour) are applied after the cache, so they share entries.

The cache stores :class:`~lintletter.model.Report` values, so one entry serves every format, and
beside them each report's JSON entry as rendered (split around the policy's ``passed`` and
``reasons``) and what the pass/fail policy reads: a warm run that prints JSON decodes and renders
no report (:func:`encode_entry` gives the layout). An entry is a header line (magic, format, key),
a CRC-32 of the rest, and the rest. Decoding accepts only the report types and plain values, so an
entry is data, never code (no pickle). Anything wrong with an entry (truncated, damaged, another
key, another format, pieces of the wrong sizes) makes it a miss: the letter is linted and the entry
rewritten; reports that fail to decode later in spite of a matching CRC (changed by hand, CRC and
all) stop the run with :class:`DamagedEntry`.

Writes go to a temporary file in the cache folder, renamed over the entry (``os.replace``), so
concurrent runs never see half an entry. The cache folder holds a ``.gitignore`` of ``*``, and
nothing is ever written outside it; a cache folder that is a symbolic link is not used. A folder
that cannot be created or written makes the run go on without the cache, with one warning line.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import hashlib
import json
import os
import re
import stat
import sys
import zlib
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from . import __version__
from .errors import LintletterError

#: The folder's name, next to the config file that applies (or in the working folder).
DIR_NAME = ".lintletter_cache"
#: Bumped whenever the layout of an entry changes; entries of another format are misses.
FORMAT = 2
#: Entries live in a sub-folder per format, so an old format's entries are pruned as a whole.
ENTRIES = f"v{FORMAT}"
MAGIC = b"lintletter-cache"
#: The bound on a cache folder: beyond this many entries, or bytes, the oldest are removed.
MAX_ENTRIES = 20_000
MAX_BYTES = 256 * 1024 * 1024
_KEY = re.compile(r"^[0-9a-f]{64}$")
#: An entry's payload may inflate to at most this plus this per character of the letter (a letter
#: with a finding on every word stores about 50 bytes a character); a larger one is a miss.
ENTRY_BASE = 1024 * 1024
ENTRY_PER_CHAR = 64
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
GITIGNORE = "# Created by lintletter: the result cache (lintletter clean removes it).\n*\n"
#: CACHEDIR.TAG (https://bford.info/cachedir/): backup tools skip a folder holding it.
CACHEDIR_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# lintletter's result cache; lintletter clean removes it.\n"


# --- what the key covers -----------------------------------------------------------------------


def _code_fingerprint() -> str:
    """lintletter's version and code, and what the core runs on (Python, spaCy, the models)."""
    digest = hashlib.sha256()
    # front matter and the rules are read with PyYAML: its version too (from its files, not imported)
    digest.update(f"{FORMAT}\0{__version__}\0{sys.version_info[:2]}\0{_version_of('spacy', 'about.py')}\0{_version_of('yaml', '__init__.py')}\0".encode())
    # each module's name, size and time to the nanosecond, as for the models below (and as ruff and
    # mypy key on their sources): reading and hashing ~700 KB of source was ~14 ms of every run
    package = os.path.dirname(os.path.realpath(__file__))
    for path in sorted(_python_files(package)):
        st = os.stat(path)
        digest.update(f"{os.path.relpath(path, package)}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    from .pipeline import PIPELINE_NAME, models_dir
    from .section_signal import SIGNAL_NAME

    for name in (PIPELINE_NAME, SIGNAL_NAME):
        folder = models_dir(name) / name
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            st = path.stat()
            digest.update(f"{path.relative_to(folder).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _python_files(top: str) -> list[str]:
    found = []
    stack = [top]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                elif entry.name.endswith(".py"):
                    found.append(entry.path)
    return found


def _version_of(package: str, file: str) -> str:
    """What identifies an installed package without importing it (spaCy's import is what the cache
    saves): the digest of the file of it that holds its version (importlib.metadata cost ~10 ms)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
        folder = Path(next(iter(spec.submodule_search_locations)))
        return hashlib.sha256((folder / file).read_bytes()).hexdigest()
    except (ImportError, AttributeError, StopIteration, TypeError, OSError, ValueError):  # pragma: no cover - both are dependencies
        return "?"


def rules_fingerprint(rule_dirs: Iterable[str | Path]) -> str:
    """Every rule file in the folders a rule set is loaded from (names and contents).

    The files are found and read as the rule loader finds and reads them (issue 14): walked
    without recursion (1,200 nested folders are no RecursionError) and read with the bounded read
    (only regular files of at most 1 MB), so a rule file that is a FIFO or links to /dev/zero fails
    the rule set's load with its reason instead of hanging or filling memory here."""
    from .reading import MAX_RULE_TREE, MAX_SETTINGS_BYTES, TreeTooLarge, Unreadable, read_bounded, walk

    digest = hashlib.sha256()
    for d in rule_dirs:
        folder = Path(d)
        digest.update(str(folder.resolve()).encode() + b"\0\0")
        if not folder.is_dir():
            continue
        try:
            files = sorted(p for p in walk(folder, MAX_RULE_TREE) if p.name.endswith((".yml", ".yaml")))
        except TreeTooLarge:  # the rule set's load refuses the folder
            digest.update(b"?\0")
            continue
        for path in files:
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            try:
                digest.update(read_bounded(path, MAX_SETTINGS_BYTES) + b"\0")
            except Unreadable:  # a file that cannot be read now fails the rule set's load, not here
                digest.update(b"?\0")
    return digest.hexdigest()


class Keys:
    """Makes entry keys; the code fingerprint and each rule set's are computed once per run."""

    def __init__(self) -> None:
        self._code: str | None = None
        self._rules: dict[tuple, str] = {}

    def code(self) -> str:
        if self._code is None:
            self._code = _code_fingerprint()
        return self._code

    def settings(self, ruleset_dirs: Sequence[str], config) -> str:
        """The rule set and the settings of ``config`` (a :class:`~lintletter.config.Config`) that
        change a report."""
        dirs = tuple(str(d) for d in ruleset_dirs)
        if dirs not in self._rules:
            self._rules[dirs] = rules_fingerprint(dirs)
        settings = (config.ruleset_key()[:-1], config.embedded, config.require_letter)
        return hashlib.sha256(f"{self.code()}\0{self._rules[dirs]}\0{settings!r}".encode()).hexdigest()

    @staticmethod
    def letter(settings: str, path: str, text: str, encoding: str, notes: Sequence[str], ignore: Sequence[str]) -> str:
        digest = hashlib.sha256()
        header = json.dumps([settings, path, encoding, list(notes), list(ignore)])
        digest.update(header.encode("utf-8", "surrogatepass") + b"\0")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()


# --- encoding reports ----------------------------------------------------------------------------


class Unencodable(TypeError):
    """A value the cache does not know how to store faithfully: that file is simply not cached."""


def _types() -> dict[str, type]:
    """The only classes an entry may hold (imported here, not at module load: none needs spaCy)."""
    from .about import About, Fact
    from .checks.section import Candidate
    from .model import Finding, LetterPlace, Report, Score, SectionResult, Severity, Span, Status, Suppressed

    classes = (About, Fact, Candidate, Finding, LetterPlace, Report, Score, SectionResult, Severity, Span, Status, Suppressed)
    return {cls.__name__: cls for cls in classes}


_PLAIN = frozenset({str, int, float, bool, type(None)})


class Codec:
    """Reports <-> JSON-able values, with a tag for everything that is not a str, number or tuple.

    JSON arrays are tuples (the report types hold tuples); a list is ``{"l": [...]}``, a dict
    ``{"d": [[key, value], ...]}`` (keys keep their types), a dataclass ``{"c": name, "f": [its
    fields in order]}``, an enum ``{"e": name, "v": value}``; front matter may also hold dates,
    sets and bytes (YAML). Decoding builds only the classes of :func:`_types`, each with exactly its
    fields (as pickle does, without calling ``__init__``: none of them has a ``__post_init__``).
    """

    def __init__(self) -> None:
        self._types: dict[str, type] | None = None  # the report types, imported when first needed
        self._field_names: dict[str, tuple[str, ...]] = {}

    @property
    def types(self) -> dict[str, type]:
        if self._types is None:
            self._types = _types()
            self._field_names = {
                name: tuple(f.name for f in dataclasses.fields(cls))
                for name, cls in self._types.items() if dataclasses.is_dataclass(cls)
            }  # fmt: skip
        return self._types

    @property
    def _fields(self) -> dict[str, tuple[str, ...]]:
        self.types
        return self._field_names

    def encode(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is tuple:
            return [self.encode(v) for v in value]
        if kind is list:
            return {"l": [self.encode(v) for v in value]}
        if kind is dict:
            return {"d": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        name = kind.__name__
        if self.types.get(name) is kind:
            if isinstance(value, enum.Enum):
                return {"e": name, "v": value.value}
            return {"c": name, "f": [self.encode(getattr(value, f)) for f in self._fields[name]]}
        if kind is datetime.datetime:
            return {"dt": value.isoformat()}
        if kind is datetime.date:
            return {"date": value.isoformat()}
        if kind in (set, frozenset):
            return {"set" if kind is set else "fset": [self.encode(v) for v in value]}
        if kind is bytes:
            import base64  # front matter bytes only

            return {"b": base64.b64encode(value).decode("ascii")}
        raise Unencodable(f"cannot cache a {kind.__module__}.{kind.__qualname__}")

    def loads(self, payload: bytes) -> Any:
        """Parse an entry's JSON and decode it in the same pass (``object_hook`` sees every object,
        innermost first; arrays become tuples). Raises on anything that is not a known tag."""
        return _value(json.loads(payload, object_hook=self._hook))

    def _hook(self, obj: dict) -> Any:
        if len(obj) == 2 and "c" in obj and "f" in obj:
            name, values = obj["c"], obj["f"]
            names = self._fields[name]
            if type(values) is not list or len(values) != len(names):
                raise ValueError("not the fields of a report type")
            made = object.__new__(self.types[name])
            plain = _PLAIN
            made.__dict__.update(zip(names, [v if type(v) in plain else _value(v) for v in values]))
            return made
        if len(obj) == 2 and "e" in obj and "v" in obj:
            cls = self.types[obj["e"]]
            if not issubclass(cls, enum.Enum):
                raise ValueError("not an enum")
            return cls(obj["v"])
        if len(obj) == 1:
            (tag, inner), = obj.items()
            if tag == "l":
                return _Made([_value(v) for v in _list(inner)])
            if tag == "d":
                return {_value(k): _value(v) for k, v in (_pair(p) for p in _list(inner))}
            if tag == "dt":
                return datetime.datetime.fromisoformat(inner)
            if tag == "date":
                return datetime.date.fromisoformat(inner)
            if tag == "set":
                return {_value(v) for v in _list(inner)}
            if tag == "fset":
                return frozenset(_value(v) for v in _list(inner))
            if tag == "b":
                import base64

                return base64.b64decode(inner, validate=True)
        raise ValueError("unknown tag in a cache entry")

    def decode(self, value: Any) -> Any:
        """A value :meth:`encode` made, after a round trip through JSON (without the hook)."""
        return self.loads(json.dumps(value).encode("ascii"))


class _Made:
    """A list the hook decoded (``{"l": [...]}``), told apart from a JSON array (a tuple)."""

    __slots__ = ("value",)

    def __init__(self, value: list) -> None:
        self.value = value


def _value(value: Any) -> Any:
    """A value as it was encoded: a JSON array is the tuple it was (its objects are already
    decoded by the hook), a decoded list is itself."""
    kind = type(value)
    if kind is list:
        return tuple([_value(v) for v in value])
    if kind is _Made:
        return value.value
    return value


def _list(value: Any) -> list:
    if not isinstance(value, list):
        raise ValueError("a list was expected")
    return value


def _pair(value: Any) -> tuple[Any, Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueError("a pair was expected")
    return value[0], value[1]


def encode_entry(key: str, reports: Sequence, source_text: str, codec: Codec) -> bytes:
    """The bytes of one entry: a file's reports (several for a document with letters in it).

    After the header line, a CRC-32 line over the rest, then a small JSON line (``meta``) and the
    pieces it gives the sizes of, one after the other: for each report its JSON entry in two
    pieces (:func:`lintletter.formatters.json.entry_parts`), the texts of reports whose text is not
    the letter's own, and last the reports themselves as zlib-compressed tagged JSON. ``meta``
    holds what a run needs of each report without decoding it: its path, place, text, and what
    the pass/fail policy reads (each finding's code and severity, the score). The reports are
    decoded only when something reads more of one (the other formats, ``--statistics``); a run
    from a warm cache that prints JSON never decodes or renders a report. A report's text is
    stored once however many reports share it, and not at all when it is the letter's own (the
    source is read again on every run)."""
    from .formatters import Run, displayable
    from .formatters.json import entry_parts

    texts: list[str] = []
    briefs = []
    encoded = []
    pieces: list[bytes] = []
    shown = displayable(Run(tuple(reports))).reports  # what the JSON format renders (no lone surrogates)
    for report, seen in zip(reports, shown):
        if report.text == source_text:
            ref = -1
        else:
            ref = next((i for i, t in enumerate(texts) if t is report.text or t == report.text), None)
            if ref is None:
                texts.append(report.text)
                ref = len(texts) - 1
        encoded.append(codec.encode(dataclasses.replace(report, text="")))
        head, tail = (part.encode("utf-8") for part in entry_parts(seen))
        pieces += (head, tail)
        place = report.letter
        briefs.append([
            ref, report.path,
            None if place is None else [place.index, place.start_line, place.end_line],
            None if report.score is None else report.score.value,
            [[f.code, f.severity.value] for f in report.findings],
            [len(head), len(tail)],
        ])  # fmt: skip
    raw_texts = [t.encode("utf-8", "surrogatepass") for t in texts]
    body = zlib.compress(json.dumps(encoded, separators=(",", ":"), allow_nan=True).encode("ascii"), 1)
    meta = {"key": key, "reports": briefs, "texts": [len(t) for t in raw_texts], "body": len(body)}
    rest = json.dumps(meta, separators=(",", ":"), ensure_ascii=True).encode("ascii") + b"\n" + b"".join(pieces) + b"".join(raw_texts) + body
    return MAGIC + b" %d %s\n%08x\n" % (FORMAT, key.encode("ascii"), zlib.crc32(rest)) + rest


_SEVERITIES: dict = {}  # Severity by value, filled on first use (model is imported late)


def decode_entry(data: bytes, key: str, source_text: str, codec: Codec) -> list | None:
    """The reports in an entry (:class:`CachedReport`), or None when it is not a sound entry for
    exactly this key: another header, a CRC that does not match, or pieces of the wrong sizes."""
    header = MAGIC + b" %d %s\n" % (FORMAT, key.encode("ascii"))
    if not data.startswith(header):
        return None
    try:
        start = len(header)
        crc, rest = data[start : start + 9], data[start + 9 :]
        if crc[8:] != b"\n" or int(crc[:8], 16) != zlib.crc32(rest) or not crc[:8].isalnum():
            return None
        first, sep, blob = rest.partition(b"\n")
        meta = json.loads(first)
        if not sep or type(meta) is not dict or meta.get("key") != key:
            return None
        briefs, text_sizes, body_size = meta["reports"], meta["texts"], meta["body"]
        if type(briefs) is not list or not briefs or type(text_sizes) is not list or type(body_size) is not int:
            return None
        from .model import LetterPlace, Severity
        from .policy import Judged

        if not _SEVERITIES:
            _SEVERITIES.update((s.value, s) for s in Severity)
        severities = _SEVERITIES
        at = 0
        spans = []
        for brief in briefs:
            head, tail = brief[5]
            if type(head) is not int or type(tail) is not int or head < 0 or tail < 0:
                return None
            spans.append((at, at + head, at + head + tail))
            at += head + tail
        texts = []
        for size in text_sizes:
            if type(size) is not int or size < 0:
                return None
            texts.append(blob[at : at + size].decode("utf-8", "surrogatepass"))
            at += size
        if at + body_size != len(blob) or body_size <= 0:
            return None
        # inflated (when read) within a bound: an entry is a file in the working tree (a repository
        # can ship one), and a few MB of zlib can expand to gigabytes (issue 14)
        shared = _Body(blob[at:], codec, len(briefs), ENTRY_BASE + ENTRY_PER_CHAR * len(source_text))
        reports = []
        for number, (brief, (a, b, c)) in enumerate(zip(briefs, spans)):
            ref, path, place, score, findings, _ = brief
            if type(ref) is not int or not -1 <= ref < len(texts) or (path is not None and type(path) is not str):
                return None
            if score is not None and type(score) is not int:
                return None
            if place is not None:
                if type(place) is not list or len(place) != 3 or not all(type(n) is int for n in place):
                    return None
                place = LetterPlace(*place)
            judged = Judged(tuple((code, severities[sev]) for code, sev in findings if type(code) is str), score)
            if len(judged.findings) != len(findings):
                return None
            parts = (blob[a:b].decode("utf-8"), blob[b:c].decode("utf-8"))
            reports.append(CachedReport(path, source_text if ref == -1 else texts[ref], place, judged, parts, shared, number))
        return reports
    except Exception:  # noqa: BLE001 - anything wrong with an entry makes it a miss, never an error
        return None


class DamagedEntry(LintletterError):
    """An entry whose reports do not decode although its CRC matched (changed by hand, CRC and
    all): the run stops with this (exit 2, one line) rather than print something the entry
    cannot back."""

    code = "LLE600"


class _Body:
    """The reports of one entry, decompressed and decoded (all of them) when one is first needed."""

    __slots__ = ("data", "codec", "count", "reports", "limit")

    def __init__(self, data: bytes, codec: Codec, count: int, limit: int) -> None:
        self.data, self.codec, self.count, self.reports, self.limit = data, codec, count, None, limit

    def report(self, number: int, text: str):
        if self.reports is None:
            from .model import Report

            hint = "a result cache entry does not hold the reports it says; 'lintletter clean' removes the cache"
            try:
                inflated = zlib.decompressobj().decompress(self.data, self.limit + 1)
                if len(inflated) > self.limit:
                    raise ValueError("inflates past its bound")
                reports = self.codec.loads(inflated)
            except Exception as exc:  # noqa: BLE001
                raise DamagedEntry(f"{hint} ({exc.__class__.__name__}: {exc})") from None
            if type(reports) is not tuple or len(reports) != self.count:
                raise DamagedEntry(hint)
            for report in reports:
                if type(report) is not Report or report.text != "" or type(report.sections) is not dict or type(report.findings) is not tuple:
                    raise DamagedEntry(hint)
            self.reports = list(reports)
            self.data = b""
        report = self.reports[number]
        if report.text != text:
            report = self.reports[number] = dataclasses.replace(report, text=text)
        return report


class CachedReport:
    """A :class:`~lintletter.model.Report` read back from the cache.

    Its path, text, place in a document and what the pass/fail policy reads (``judged``) are at
    hand, and so is its JSON entry (``json_parts``); reading anything else decodes the report (and
    the others of its file) once. It equals the report it was made from."""

    __slots__ = ("path", "text", "letter", "judged", "json_parts", "_body", "_number", "_full")

    def __init__(self, path, text, letter, judged, json_parts, body: _Body, number: int) -> None:
        self.path, self.text, self.letter, self.judged, self.json_parts = path, text, letter, judged, json_parts
        self._body, self._number, self._full = body, number, None

    @property
    def no_letter(self) -> bool:
        return self.judged.score is None

    def full(self):
        """The report itself, decoded."""
        if self._full is None:
            self._full = self._body.report(self._number, self.text)
        return self._full

    def __getattr__(self, name: str):  # only for what is not at hand
        if name.startswith("__") or name in CachedReport.__slots__:
            raise AttributeError(name)
        return getattr(self.full(), name)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CachedReport):
            other = other.full()
        return self.full() == other

    def __hash__(self) -> int:
        return hash(self.full())

    def __repr__(self) -> str:
        return f"CachedReport({self.full()!r})"


# --- the folder ----------------------------------------------------------------------------------


class CacheFolder:
    """One ``.lintletter_cache`` folder: reads entries, writes them atomically, stays bounded.

    ``warn(message)`` is called (at most once per run: the caller keeps it so) when the folder
    cannot be used; the run then goes on without it."""

    def __init__(self, root: Path, warn: Callable[[str], None]) -> None:
        self.root = root
        self.entries = root / ENTRIES
        self._prefix = str(self.entries) + os.sep  # entries are read by name, 1,000 a run
        self._warn = warn
        self.usable = True  # False: neither read nor written (a symbolic link, not a folder)
        self.writable = True
        self._prepared = False
        self.written = 0
        if _is_symlink(root) or _is_symlink(self.entries):
            self._refuse(f"the cache folder {root} is a symbolic link; running without the cache")
        elif root.exists() and not root.is_dir():
            self._refuse(f"{root} is not a folder; running without the cache")

    def _refuse(self, message: str) -> None:
        self.usable = self.writable = False
        self._warn(message)

    def read(self, key: str) -> bytes | None:
        """The entry's bytes, or None (no entry, not a regular file, a link, larger than the bound).
        One read of the size fstat gives (more only if it grew); a short read is caught by the CRC."""
        if not self.usable:
            return None
        try:
            fd = os.open(self._prefix + key, _READ_FLAGS)
        except (OSError, ValueError):
            return None
        try:
            st = os.fstat(fd)
            if not _stat_is_file(st) or st.st_size > MAX_BYTES:
                return None
            data = os.read(fd, st.st_size + 1)
            if len(data) <= st.st_size:
                return data
            parts, total = [data], len(data)  # it grew while we looked: read on, within the bound
            while total <= MAX_BYTES:
                part = os.read(fd, min(1024 * 1024, MAX_BYTES + 1 - total))
                if not part:
                    break
                parts.append(part)
                total += len(part)
            return None if total > MAX_BYTES else b"".join(parts)
        except OSError:
            return None
        finally:
            os.close(fd)

    def write(self, key: str, data: bytes) -> None:
        if not self.writable or not _KEY.match(key):
            return
        import tempfile  # only when something is written: a warm run never needs it

        try:
            self._prepare()
            fd, tmp = tempfile.mkstemp(dir=self.entries, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, self.entries / key)
            except BaseException:
                _unlink(Path(tmp))
                raise
            self.written += 1
        except OSError as exc:
            self.writable = False
            self._warn(f"cannot write the cache in {self.root} ({exc.strerror or exc.__class__.__name__}); running without it")

    def _prepare(self) -> None:
        """Create the folder, its .gitignore and CACHEDIR.TAG, and the entries folder, once."""
        if self._prepared:
            return
        created = not self.root.exists()
        # never parents=True: a folder above the cache folder is outside it, and not ours to make
        self.root.mkdir(exist_ok=True)
        if _is_symlink(self.root) or _is_symlink(self.entries):  # made a link since we looked
            raise OSError(0, "the cache folder is a symbolic link")
        for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
            _create_file(self.root / name, text, must=created)
        self.entries.mkdir(exist_ok=True)
        if _is_symlink(self.entries) or not self.entries.is_dir():
            raise OSError(0, "the cache folder is not a folder")
        self._prepared = True

    def prune(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> int:
        """Remove the oldest entries beyond the bounds, and temporary files left by a killed run;
        only files named like an entry (or a temporary file) are ever removed. Returns how many."""
        if not self.writable or not self._prepared:
            return 0
        import time

        found: list[tuple[float, int, str]] = []
        stale: list[str] = []
        try:
            with os.scandir(self.entries) as it:
                for entry in it:
                    try:
                        if not entry.is_file(follow_symlinks=False):
                            continue
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if _KEY.match(entry.name):
                        found.append((st.st_mtime, st.st_size, entry.name))
                    elif entry.name.startswith(".tmp-") and st.st_mtime < time.time() - 3600:
                        stale.append(entry.name)
        except OSError:
            return 0
        total = sum(size for _, size, _ in found)
        doomed = list(stale)
        if len(found) > max_entries or total > max_bytes:
            found.sort()
            # down to 90 % of the bounds, so that a full cache is not pruned on every run
            keep_entries, keep_bytes = int(max_entries * 0.9), int(max_bytes * 0.9)
            count = len(found)
            for _, size, name in found:
                if count <= keep_entries and total <= keep_bytes:
                    break
                doomed.append(name)
                count -= 1
                total -= size
        for name in doomed:
            _unlink(self.entries / name)
        return len(doomed)


def _is_symlink(path: Path) -> bool:
    try:
        return path.is_symlink()
    except OSError:
        return False


def _stat_is_file(st: os.stat_result) -> bool:
    return stat.S_ISREG(st.st_mode)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _create_file(path: Path, text: str, must: bool) -> None:
    """Write a small file that must not exist yet (never through a link); one already there stays."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except FileExistsError:
        return
    except OSError:
        if must:
            raise
        return
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def folder_for(config_path: Path | None, cwd: Path) -> Path:
    """Where a letter's entries go: next to the config file that applies, else the working folder."""
    return (config_path.parent if config_path is not None else cwd) / DIR_NAME


def clean(folder: Path) -> bool:
    """Remove a cache folder that lintletter made, and only what lintletter put in it: entries,
    temporary files, its .gitignore and CACHEDIR.TAG (a folder that holds anything else keeps it).
    A symbolic link named like a cache folder is removed as a link, never followed. A folder that
    is not a lintletter cache is an error. Returns whether there was a cache to remove."""
    from .errors import InputError

    if _is_symlink(folder):
        folder.unlink()
        return True
    if not folder.is_dir():
        return False
    if not (_holds(folder / ".gitignore", GITIGNORE) or _holds(folder / "CACHEDIR.TAG", CACHEDIR_TAG)):
        raise InputError(str(folder), "does not look like a lintletter cache folder (no .gitignore or CACHEDIR.TAG of lintletter's); not removed")
    for sub in folder.iterdir():
        if re.fullmatch(r"v\d+", sub.name) and sub.is_dir() and not sub.is_symlink():
            for entry in sub.iterdir():
                if (_KEY.match(entry.name) or entry.name.startswith(".tmp-")) and not entry.is_dir():
                    _unlink(entry)
            _rmdir(sub)
        elif sub.is_symlink() and re.fullmatch(r"v\d+", sub.name):
            _unlink(sub)
    for name, text in ((".gitignore", GITIGNORE), ("CACHEDIR.TAG", CACHEDIR_TAG)):
        if _holds(folder / name, text):
            _unlink(folder / name)
    _rmdir(folder)
    return True


def _holds(path: Path, text: str) -> bool:
    try:
        return not path.is_symlink() and path.is_file() and path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def _rmdir(path: Path) -> None:
    try:
        path.rmdir()
    except OSError:  # not empty: something that is not lintletter's stays
        pass
