"""lintletter.cli_coercion: option values coerced without pydantic give what typer's own coercion
gives, and anything else (errors included) is typer's own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from lintletter import cli, cli_coercion

from .conftest import COMPLETE

ROOT = Path(__file__).resolve().parent.parent


def _params():
    command = typer.main.get_command(cli.app)
    cli_coercion.install(command)
    for name, sub in command.commands.items():
        for param in sub.params:
            yield name, param


VALUES = ["", "x", "0", "7", "007", "-1", "+3", " 5", "5_0", "101", "1e3", "٣", "-", ".", "no/such/dir", "tests"]


@pytest.mark.parametrize("value", VALUES)
def test_fast_coercion_agrees_with_typer(value):
    from typer._coercion import build_runtime_param

    checked = 0
    for command, param in _params():
        fast = param._runtime_param
        if fast is None:
            continue
        slow = build_runtime_param(param.type_descriptor)
        given = (value,) if param.multiple or param.nargs == -1 else value
        outcomes = []
        for coercion in (fast, slow):
            try:
                outcomes.append(("ok", coercion.coerce(given, param=param, ctx=None)))
            except Exception as exc:  # noqa: BLE001 - the error itself is compared
                outcomes.append((type(exc).__name__, exc.format_message() if hasattr(exc, "format_message") else str(exc)))
        assert outcomes[0] == outcomes[1], (command, param.name, value)
        if outcomes[0][0] == "ok":
            assert type(outcomes[0][1]) is type(outcomes[1][1])
        checked += 1
    assert checked > 20


def test_defaults_agree_with_typer():
    from typer._coercion import build_runtime_param

    for _, param in _params():
        if param._runtime_param is None or param.default is None:
            continue
        slow = build_runtime_param(param.type_descriptor)
        assert param._runtime_param.coerce(param.default, param=param, ctx=None) == slow.coerce(param.default, param=param, ctx=None)


def test_a_check_run_builds_no_pydantic_adapter():
    """(spaCy imports pydantic itself when a letter is linted: the adapters are typer's.)"""
    env = dict(os.environ, PYTHONPATH=str(ROOT), LINTLETTER_NO_CACHE="1")
    code = (
        "import sys\nfrom lintletter.cli import main\n"
        f"code = main(['check', '--format', 'json', '--jobs', '1', '--min-score', '0', '--select', 'LL1', {str(COMPLETE)!r}])\n"
        "print(code, 'typer._adapters' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "0 False", done.stderr
