"""A test driver for `lintletter server`: pygls' own LanguageClient over the server's stdio.

Every wait is bounded (``TIMEOUT``): a server that hangs fails the test, never the run.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

from .conftest import ROOT

TIMEOUT = 60.0


class Session:
    """One server process and the client talking to it, on a private event loop."""

    def __init__(self, cwd: Path, init_options: dict | None = None, capabilities: types.ClientCapabilities | None = None):
        self.loop = asyncio.new_event_loop()
        self.client = LanguageClient("lintletter-tests", "1")
        self.published: list[types.PublishDiagnosticsParams] = []
        self.shown: list[types.ShowMessageParams] = []
        self.logged: list[types.LogMessageParams] = []
        self.registrations: list[types.RegistrationParams] = []
        self.cwd = cwd

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def _published(params):
            self.published.append(params)

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def _shown(params):
            self.shown.append(params)

        @self.client.feature(types.WINDOW_LOG_MESSAGE)
        def _logged(params):
            self.logged.append(params)

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def _register(params):
            self.registrations.append(params)
            return None

        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        self.run(self.client.start_io(sys.executable, "-m", "lintletter.cli", "server", cwd=str(cwd), env=env))
        caps = capabilities or types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
            ),
            text_document=types.TextDocumentClientCapabilities(
                hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText])
            ),
        )
        self.initialized = self.run(self.client.initialize_async(
            types.InitializeParams(capabilities=caps, root_uri=cwd.as_uri(), initialization_options=init_options)
        ))  # fmt: skip
        self.client.initialized(types.InitializedParams())

    def run(self, awaitable, timeout: float = TIMEOUT):
        return self.loop.run_until_complete(asyncio.wait_for(awaitable, timeout))

    async def _until(self, predicate, timeout: float):
        async def poll():
            while True:
                value = predicate()
                if value:
                    return value
                await asyncio.sleep(0.01)

        return await asyncio.wait_for(poll(), timeout)

    def until(self, predicate, timeout: float = TIMEOUT):
        return self.loop.run_until_complete(self._until(predicate, timeout))

    def pause(self, seconds: float) -> None:
        self.loop.run_until_complete(asyncio.sleep(seconds))

    # -- documents --------------------------------------------------------------------------------

    def open(self, path: Path | str, text: str, language: str = "markdown", version: int = 1) -> str:
        uri = path.as_uri() if isinstance(path, Path) else path
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id=language, version=version, text=text))
        )
        return uri

    def change(self, uri: str, version: int, text: str | None = None, edits: list[types.TextEdit] = ()) -> None:
        """Send the whole new text, or incremental edits (each applied in turn, as editors do)."""
        if text is not None:
            changes = [types.TextDocumentContentChangeWholeDocument(text=text)]
        else:
            changes = [types.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in edits]
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(uri=uri, version=version), changes)
        )

    def save(self, uri: str) -> None:
        self.client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri)))

    def close_document(self, uri: str) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri)))

    def diagnostics(self, uri: str, version: int | None = None, after: int = 0, timeout: float = TIMEOUT) -> list[types.Diagnostic]:
        """The first diagnostics published for ``uri`` (at ``version``) after the ``after``-th publish."""
        def found():
            for p in self.published[after:]:
                if p.uri == uri and (version is None or p.version == version):
                    return p
            return None

        return self.until(found, timeout).diagnostics

    def hover(self, uri: str, line: int, character: int) -> types.Hover | None:
        return self.run(self.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri), types.Position(line, character))
        ))  # fmt: skip

    def code_actions(self, uri: str, rng: types.Range, diagnostics=()) -> list[types.CodeAction]:
        return self.run(self.client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(uri), rng, types.CodeActionContext(diagnostics=list(diagnostics))
        ))) or []  # fmt: skip

    def watched_changed(self, *paths: Path) -> None:
        self.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=p.as_uri(), type=types.FileChangeType.Changed) for p in paths]
        ))  # fmt: skip

    def alive(self) -> bool:
        return self.client._server is not None and self.client._server.returncode is None

    def stop(self, shutdown: bool = True) -> int:
        """End the session as an editor does; the server's exit code."""
        try:
            if self.alive():
                if shutdown:
                    self.run(self.client.shutdown_async(None), 20)
                self.client.exit(None)
                self.run(self.client._server.wait(), 20)
            self.run(self.client.stop(), 20)
            return self.client._server.returncode
        finally:
            if self.client._server is not None and self.client._server.returncode is None:
                self.client._server.kill()
                self.loop.run_until_complete(self.client._server.wait())
            self.loop.close()


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions, \\n line breaks) to ``text``, last first."""
    from lintletter.server.positions import Positions

    positions = Positions(text)
    spans = []
    for e in edits:
        start = positions.offset(e.range.start.line, e.range.start.character)
        end = positions.offset(e.range.end.line, e.range.end.character)
        spans.append((start, end, e.new_text))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text
