"""The language server behind ``lintletter server`` (see docs/editors.md).

- :mod:`.engine`: config discovery and linting of a document's text (no LSP);
- :mod:`.fixes`: the quick-fix planner's interface (report + text -> edits);
- :mod:`.convert`: reports -> diagnostics, hovers and code actions (lsprotocol types);
- :mod:`.positions`: offsets <-> LSP positions in the negotiated encoding;
- :mod:`.app`: the pygls server itself.

Only ``lintletter server`` imports this package; ``check`` never loads pygls.
"""
