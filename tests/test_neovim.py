"""Real Neovim, headless, with the configuration docs/editors.md gives, against a thank-you letter:
the diagnostics it shows are read back from Neovim itself.

Needs `nvim` (Debian: apt-get install neovim; .ci/run installs it). Without it the test is SKIPPED
with the reason, never passed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ACCEPTANCE, ROOT

NVIM = os.environ.get("LINTLETTER_NVIM") or shutil.which("nvim")
MARKER = "<!-- tests/test_neovim.py runs this block, unchanged, in a real headless Neovim -->"

HARNESS = r"""
local out_path = os.getenv("LINTLETTER_NVIM_OUT")
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("LINTLETTER_NVIM_LETTER")))
local function lintletter_diagnostics()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.source == "lintletter" then table.insert(found, d) end
  end
  return found
end
local ok = vim.wait(60000, function() return #lintletter_diagnostics() > 0 end, 50)
local result = { filetype = vim.bo.filetype, waited = ok, diagnostics = {} }
for _, d in ipairs(lintletter_diagnostics()) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
  table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, code = code, message = d.message })
end
local clients = {}
for _, c in pairs(vim.lsp.buf_get_clients(0)) do table.insert(clients, c.name) end
result.clients = clients
local f = io.open(out_path, "w")
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd("qa!")
"""


def documented_config() -> str:
    docs = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    assert MARKER in docs, "docs/editors.md lost the Neovim block this test runs"
    return docs.split(MARKER, 1)[1].split("```lua", 1)[1].split("```", 1)[0]


@pytest.mark.skipif(NVIM is None, reason="Neovim (nvim) is not installed: apt-get install neovim")
def test_neovim_with_the_documented_config_shows_the_letters_diagnostics(tmp_path):
    version = subprocess.run([NVIM, "--version"], capture_output=True, text=True, timeout=30).stdout.splitlines()[0]
    letter = tmp_path / "thanks.txt"
    letter.write_text((ACCEPTANCE / "thank-you-only.txt").read_text(encoding="utf-8"), encoding="utf-8")
    init = tmp_path / "init.lua"
    init.write_text(documented_config(), encoding="utf-8")
    harness = tmp_path / "harness.lua"
    harness.write_text(HARNESS, encoding="utf-8")
    out = tmp_path / "diagnostics.json"
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        # `lintletter` is the one beside this Python, importing this checkout
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"), "XDG_CACHE_HOME": str(home / "cache"),
        "LINTLETTER_NVIM_LETTER": str(letter), "LINTLETTER_NVIM_OUT": str(out),
    }  # fmt: skip
    proc = subprocess.run(
        [NVIM, "--headless", "-n", "-i", "NONE", "-u", str(init), "-c", f"luafile {harness}"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert out.exists(), f"{version}: Neovim wrote no result (exit {proc.returncode}): {proc.stderr[-2000:]}"
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["filetype"] == "text"
    assert result["clients"] == ["lintletter"]
    assert result["waited"], f"{version}: no diagnostics from lintletter within 60 s"
    diagnostics = result["diagnostics"]
    codes = {d.get("code") for d in diagnostics} - {None}  # a Lua nil leaves the key out
    # the thank-you-only letter asks for nothing: the missing asks, on the salutation line (0-based 0)
    assert {"LL103", "LL104", "LL105", "LL106"} <= codes, diagnostics
    for d in diagnostics:
        if d.get("code") in ("LL105", "LL106"):
            assert (d["lnum"], d["col"]) == (0, 0) and d["severity"] == 2  # vim.diagnostic.severity.WARN
    summary = [d for d in diagnostics if d["message"].startswith("lintletter: score ")]
    assert len(summary) == 1 and summary[0]["lnum"] == 0 and summary[0]["severity"] == 3  # INFO
    assert proc.returncode == 0, proc.stderr[-2000:]
