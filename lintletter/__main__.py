"""``python -m lintletter``: the same as the ``lintletter`` command."""

from .cli import entry_point

entry_point()
