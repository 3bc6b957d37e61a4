"""``lintletter server``: the language server (pygls 2, lsprotocol types) over stdio.

Features: ``publishDiagnostics`` on open, change (debounced) and save; quick fixes
(``textDocument/codeAction``); hovers; config reload on ``workspace/didChangeWatchedFiles``
(and, for clients that watch no files, when a saved or opened document's config files or rules
folders changed on disk). The pipeline and rules are loaded once per process.

Threads: the event loop reads and answers messages; linting runs on one worker thread, one
document at a time, so a slow document never blocks reading the next message, and at most one
lint per document is in flight: changes that arrive meanwhile are coalesced into one more lint of
the latest text. Everything sent to the client is sent from the event loop.

initializationOptions (all optional): ``{"evidence": true, "debounce": 30}``: show the sentences
that earned each section as hints, and how many milliseconds to wait after a change.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from . import convert
from .engine import Analysis, Engine, changed
from .positions import Positions

log = logging.getLogger("lintletter.server")

#: Default wait after a change before linting: long enough to coalesce a burst (a paste, key
#: repeat, an editor applying several edits), short enough that diagnostics follow typing. A
#: 300-word letter lints in ~15-25 ms, and at most one lint per document is in flight however fast
#: the changes come, so a longer wait would only add latency.
DEBOUNCE_MS = 30
#: Files whose changes the server asks the client to report (it filters them further).
WATCHED = ("**/.lintletter.yaml", "**/.lintletter.yml", "**/pyproject.toml", "**/*.yml", "**/*.yaml")


class LintletterServer(LanguageServer):
    """The language server; :func:`serve` runs one over stdio."""

    def __init__(self, engine: Engine | None = None) -> None:
        super().__init__("lintletter", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.engine = engine
        self.debounce = DEBOUNCE_MS / 1000
        self.evidence = True
        self.analyses: dict[str, Analysis] = {}
        self.exit_code = 1  # until a shutdown request comes before exit
        self._shutdown_requested = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lintletter-lint")
        self._tasks: dict[str, asyncio.Task] = {}
        self._linting: set[str] = set()
        self._dirty: set[str] = set()
        self._stale_check: set[str] = set()
        self._fingerprint: dict | None = None
        self._shown: set[str] = set()
        self._reasons: dict[str, str | None] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        #: the workspace folder: where documents with no file of their own find their config
        self.root: str | None = None
        _register(self)

    # -- client messages (sent from the event loop only) -----------------------------------------

    def problem(self, message: str) -> None:
        """A config or rules error: shown once (until the configuration changes), and logged."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._show_problem, message)

    def _show_problem(self, message: str) -> None:
        if message in self._shown:
            return
        self._shown.add(message)
        log.error("%s", message)
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Error, message=message))

    def _publish(self, uri: str, analysis: Analysis) -> None:
        if analysis.reason is not None:
            if self._reasons.get(uri) != analysis.reason:
                where = analysis.path or uri
                self.window_log_message(types.LogMessageParams(type=types.MessageType.Info, message=f"lintletter: {where}: not linted: {analysis.reason}"))
            diagnostics: list[types.Diagnostic] = []
        else:
            diagnostics = convert.diagnostics(analysis, self._positions(analysis), self.evidence)
        self._reasons[uri] = analysis.reason
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=analysis.version)
        )

    def _positions(self, analysis: Analysis) -> Positions:
        encoding = self.workspace.position_encoding
        return Positions(analysis.text, getattr(encoding, "value", encoding) or "utf-16")

    # -- linting -----------------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float, check_stale: bool = False) -> None:
        """Lint the document after ``delay`` seconds; a change before then restarts the wait, and
        a change while it is being linted makes one more lint follow."""
        if check_stale:
            self._stale_check.add(uri)
        task = self._tasks.get(uri)
        if task is not None and not task.done():
            if uri in self._linting:
                self._dirty.add(uri)
                return
            task.cancel()
        self._tasks[uri] = asyncio.ensure_future(self._lint_loop(uri, delay))

    async def _lint_loop(self, uri: str, delay: float) -> None:
        while True:
            if delay > 0:
                await asyncio.sleep(delay)
            analysis = await self._lint_now(uri)
            if analysis is None:  # closed meanwhile
                return
            self._publish(uri, analysis)
            if uri not in self._dirty:
                return
            self._dirty.discard(uri)
            delay = self.debounce

    async def _lint_now(self, uri: str) -> Analysis | None:
        try:
            doc = self.workspace.get_text_document(uri)
        except Exception:  # pragma: no cover - pygls creates documents on demand
            return None
        if uri not in self.workspace.text_documents:
            return None
        text, version, language = doc.source, doc.version, doc.language_id
        path = _path_of(uri)
        check_stale = uri in self._stale_check
        self._stale_check.discard(uri)
        self._linting.add(uri)
        try:
            loop = asyncio.get_running_loop()
            analysis = await loop.run_in_executor(self._executor, self._analyse, text, path, language, version, check_stale)
        finally:
            self._linting.discard(uri)
        if uri not in self.workspace.text_documents:
            return None
        self.analyses[uri] = analysis
        return analysis

    async def current(self, uri: str) -> Analysis | None:
        """The analysis of the document as it is now (linted now if a change is still pending)."""
        if uri not in self.workspace.text_documents:
            return None
        doc = self.workspace.get_text_document(uri)
        analysis = self.analyses.get(uri)
        if analysis is not None and analysis.version == doc.version and analysis.text == doc.source:
            return analysis
        return await self._lint_now(uri)

    def _analyse(self, text: str, path: str | None, language: str | None, version: int | None, check_stale: bool) -> Analysis:
        """On the worker thread: never raises; a document that cannot be linted gets a reason."""
        try:
            if self.engine is None:
                self.engine = Engine(cwd=_root(self), on_problem=self.problem)
            if check_stale:
                self._reload_if_stale()
            analysis = self.engine.analyse(text, path, language, version)
            if check_stale or self._fingerprint is None:
                self._fingerprint = self.engine.fingerprint(self._open_paths())
            return analysis
        except Exception as exc:  # a bug or a broken install: log it, show nothing, keep serving
            log.exception("lintletter: %s: could not be linted", path or "untitled document")
            return Analysis(text, path, version, reason=f"could not be linted ({exc.__class__.__name__}: {exc})")

    def _open_paths(self) -> list[str | None]:
        return [_path_of(uri) for uri in list(self.workspace.text_documents)]

    def _reload_if_stale(self) -> None:
        if self._fingerprint is not None and changed(self._fingerprint, self.engine.fingerprint(self._open_paths())):
            log.info("lintletter: configuration changed on disk; reloading")
            self._reload_engine()
            if self._loop is not None:
                self._loop.call_soon_threadsafe(self._relint_all)

    def _reload_engine(self) -> None:
        self.engine.reload()
        self._fingerprint = None
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._shown.clear)

    def reload(self) -> None:
        """Read every config and rules folder again, then lint every open document again."""
        if self.engine is None:
            return

        def on_worker() -> None:
            try:
                self._reload_engine()
            except Exception:  # pragma: no cover
                log.exception("lintletter: reload failed")

        future = self._executor.submit(on_worker)
        future.add_done_callback(lambda _: self._loop.call_soon_threadsafe(self._relint_all) if self._loop else None)

    def _relint_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.schedule(uri, 0)

    def stop(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)


def _register(server: LintletterServer) -> None:
    @server.feature(types.INITIALIZE)
    def initialize(params: types.InitializeParams) -> None:
        server._loop = asyncio.get_running_loop()
        root = params.root_uri or (params.workspace_folders[0].uri if params.workspace_folders else None)
        server.root = _path_of(root) if root else params.root_path
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        if isinstance(options.get("evidence"), bool):
            server.evidence = options["evidence"]
        debounce = options.get("debounce")
        if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and 0 <= debounce <= 10_000:
            server.debounce = debounce / 1000

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        # Load the pipeline and rules now rather than on the first keystroke.
        server._executor.submit(server._analyse, "", None, "plaintext", None, False)
        watch = server.client_capabilities.workspace
        dynamic = watch and watch.did_change_watched_files and watch.did_change_watched_files.dynamic_registration
        if dynamic:
            watchers = [types.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
            server.client_register_capability(types.RegistrationParams(registrations=[
                types.Registration(
                    id="lintletter-config", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                )
            ]))  # fmt: skip

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0, check_stale=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, server.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0, check_stale=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        task = server._tasks.pop(uri, None)
        if task is not None and uri not in server._linting:
            task.cancel()
        server.analyses.pop(uri, None)
        server._reasons.pop(uri, None)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        if server.engine is None:
            return
        paths = [_path_of(change.uri) for change in params.changes]
        if any(p and server.engine.watches(Path(p)) for p in paths):
            log.info("lintletter: configuration or rules changed; reloading")
            server.reload()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(params: types.HoverParams) -> types.Hover | None:
        try:
            analysis = await server.current(params.text_document.uri)
            if analysis is None or analysis.reason is not None:
                return None
            found = convert.hover(analysis, server._positions(analysis), params.position.line, params.position.character)
            return _plain_if_needed(server, found)
        except Exception:
            log.exception("lintletter: hover failed")
            return None

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=False),
    )
    async def code_action(params: types.CodeActionParams) -> list[types.CodeAction] | None:
        try:
            analysis = await server.current(params.text_document.uri)
            if analysis is None or analysis.reason is not None:
                return None
            only = params.context.only
            if only and not any(str(getattr(k, "value", k)).startswith("quickfix") for k in only):
                return None
            return convert.code_actions(
                analysis, server._positions(analysis), params.text_document.uri, params.range, params.context.diagnostics or ()
            ) or None
        except Exception:
            log.exception("lintletter: code actions failed")
            return None

    @server.feature(types.SHUTDOWN)
    def shutdown(params: None = None) -> None:
        server._shutdown_requested = True
        server.stop()

    @server.feature(types.EXIT)
    def exit_(params: None = None) -> None:
        server.exit_code = 0 if server._shutdown_requested else 1
        server.stop()


def _plain_if_needed(server: LintletterServer, found: types.Hover | None) -> types.Hover | None:
    """Markdown, unless the client says it shows only plain text."""
    if found is None:
        return None
    caps = server.client_capabilities.text_document
    formats = caps.hover.content_format if caps and caps.hover else None
    if formats and types.MarkupKind.Markdown not in formats:
        value = found.contents.value.replace("**", "").replace("\\*", "*").replace("\\_", "_").replace("&lt;", "<")
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.PlainText, value=value), range=found.range)
    return found


def _path_of(uri: str) -> str | None:
    """The file a document is, for config discovery; None for untitled buffers."""
    if urlparse(uri).scheme != "file":
        return None
    return to_fs_path(uri)


def _root(server: LintletterServer) -> Path:
    root = server.root
    return Path(root) if root and Path(root).is_dir() else Path.cwd()


def serve(stdin=None, stdout=None) -> int:
    """Run a server over stdio until the client says exit (or goes away); the exit code LSP asks
    for: 0 after shutdown, 1 otherwise."""
    server = LintletterServer()
    server.start_io(stdin, stdout)
    server.stop()
    return server.exit_code
