"""The CI recipes cannot drift silently: .pre-commit-hooks.yaml, action.yml and the YAML blocks of
docs/ci.md are parsed and checked against each other and against pyproject.toml's version.

The action's lint step is also run for real (with a stand-in `lintletter` that records its
arguments), since a shell slip there would otherwise only show up on GitHub.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
ACTION_FILE = ROOT / "action.yml"
CI_DOC = ROOT / "docs" / "ci.md"
ACTION_INPUTS = {"paths", "min-score", "args", "upload-sarif", "python-version"}
MAJOR_TAG = re.compile(r"^[\w.-]+/[\w./-]+@v\d+$")  # owner/repo[/path]@vN
EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.S)


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def project_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def doc_yaml_blocks() -> list:
    """Every ```yaml block of docs/ci.md, parsed."""
    text = CI_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```", text, flags=re.M | re.S)
    assert blocks, "docs/ci.md has no ```yaml blocks"
    return [yaml.safe_load(block) for block in blocks]


def doc_block(predicate, what: str):
    found = [b for b in doc_yaml_blocks() if predicate(b)]
    assert len(found) == 1, f"expected one {what} block in docs/ci.md, found {len(found)}"
    return found[0]


def is_precommit_config(block) -> bool:
    return isinstance(block, dict) and "repos" in block


def is_github_workflow(block) -> bool:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    return isinstance(block, dict) and "jobs" in block and ("on" in block or True in block)


def is_gitlab_ci(block) -> bool:
    return isinstance(block, dict) and any(isinstance(v, dict) and "script" in v for v in block.values())


def action_steps_in(block) -> list[dict]:
    """Steps of a workflow, or a bare list of steps, that use this repository's action."""
    if isinstance(block, dict) and "jobs" in block:
        steps = [s for job in block["jobs"].values() for s in job.get("steps", [])]
    elif isinstance(block, list):
        steps = block
    else:
        return []
    return [s for s in steps if isinstance(s, dict) and str(s.get("uses", "")).startswith("lintletter/lintletter@")]


# --- .pre-commit-hooks.yaml ------------------------------------------------------------------


@pytest.fixture(scope="module")
def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in load_yaml(HOOKS_FILE)}


def test_hook_manifest_shape(hooks):
    hook = hooks["lintletter"]
    assert hook["entry"] == "lintletter check"
    assert hook["language"] == "python"
    assert hook["require_serial"] is True
    assert set(hook["types_or"]) == {"markdown", "mdx", "plain-text"}
    assert hook["name"] and hook["description"]
    # types_or arrived in pre-commit 2.9.0; an older minimum would let old versions reject the hook.
    assert tuple(int(p) for p in hook["minimum_pre_commit_version"].split(".")) >= (2, 9, 0)


def test_hook_manifest_is_valid_for_pre_commit():
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit is not installed")
    clientlib.load_manifest(str(HOOKS_FILE))  # raises InvalidManifestError with the reason


@pytest.mark.parametrize(
    ("path", "checked"),
    [
        ("letter.txt", True),
        ("letters/acme.md", True),
        ("letters/Acme Final.markdown", True),
        ("guides/after-the-rejection.mdx", True),  # MDX pages may hold sample letters (embedded:)
        ("README.md", False),
        ("letters/readme.txt", False),
        ("LICENSE", False),
        ("CHANGELOG.md", False),
        ("requirements-dev.txt", False),
        ("notes.rst", False),
        ("letter.json", False),
    ],
)
def test_hook_selects_letters_as_pre_commit_would(hooks, path, checked):
    identify = pytest.importorskip("identify.identify", reason="identify (a pre-commit dependency) is not installed")
    hook = hooks["lintletter"]
    tags = identify.tags_from_filename(path)
    by_type = bool(tags & set(hook["types_or"]))
    excluded = re.search(hook["exclude"], path) is not None  # pre-commit uses re.search too
    assert (by_type and not excluded) is checked


# --- action.yml ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def action() -> dict:
    return load_yaml(ACTION_FILE)


def steps_by_id(action) -> dict[str, dict]:
    return {s["id"]: s for s in action["runs"]["steps"] if "id" in s}


def test_action_is_composite_with_the_documented_inputs(action):
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == ACTION_INPUTS
    assert action["inputs"]["upload-sarif"]["default"] == "true"
    assert "exit-code" in action["outputs"]
    assert "steps.lint.outputs.exit-code" in action["outputs"]["exit-code"]["value"]


def test_action_steps(action):
    steps = action["runs"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert all(MAJOR_TAG.match(u) for u in uses), f"pin actions to a major tag: {uses}"
    for step in steps:
        if "run" in step:
            assert step.get("shell") == "bash", f"composite run steps need a shell: {step['name']}"

    install = steps_by_id(action)["install"]["run"]
    assert "pip install" in install and "ACTION_PATH" in install
    assert steps_by_id(action)["install"]["env"]["ACTION_PATH"] == "${{ github.action_path }}"

    lint = steps_by_id(action)["lint"]["run"]
    assert "--format github" in lint and "--format sarif -o" in lint

    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert "always()" in upload["if"] and "upload-sarif" in upload["if"]
    assert upload["with"]["sarif_file"] == "${{ steps.lint.outputs.sarif-file }}"

    # The job fails on lintletter's result only at the end, after the upload.
    last = steps[-1]
    assert steps.index(upload) < len(steps) - 1
    assert "always()" in last["if"] and "exit" in last["run"]


def test_action_expressions_refer_to_real_inputs_and_steps(action):
    ids = set(steps_by_id(action))
    text = ACTION_FILE.read_text(encoding="utf-8")
    for expression in EXPRESSION.findall(text) + [s.get("if", "") for s in action["runs"]["steps"]]:
        for name in re.findall(r"inputs\.([\w-]+)", expression):
            assert name in ACTION_INPUTS, f"unknown input {name!r} in {expression!r}"
        for step_id in re.findall(r"steps\.([\w-]+)\.", expression):
            assert step_id in ids, f"unknown step {step_id!r} in {expression!r}"


def test_action_scripts_never_embed_expressions(action):
    # ${{ }} inside a script is pasted into the shell text: an input could inject commands.
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"pass values through env: in step {step.get('name')!r}"


FAKE_LINTLETTER = """#!/usr/bin/env bash
# Stand-in for lintletter: record the arguments, write -o's file, exit as told.
printf '%s\\n' "$*" >> "$CALLS"
while [ $# -gt 0 ]; do
  if [ "$1" = -o ]; then printf '{"version": "2.1.0"}' > "$2"; fi
  shift
done
exit "${FAKE_EXIT:-0}"
"""


def run_lint_step(action, tmp_path: Path, **inputs: str) -> tuple[int, dict[str, str], list[str]]:
    """Run the action's lint step as the runner would (bash -e), with `inputs` in its env."""
    step = steps_by_id(action)["lint"]
    fake = tmp_path / "lintletter"
    fake.write_text(FAKE_LINTLETTER, encoding="utf-8")
    fake.chmod(0o755)
    outputs, calls, runner_temp = tmp_path / "output", tmp_path / "calls", tmp_path / "temp"
    runner_temp.mkdir()
    env_map = {
        "steps.install.outputs.lintletter": str(fake),
        "inputs.paths": inputs.get("paths", ""),
        "inputs.min-score": inputs.get("min_score", ""),
        "inputs.args": inputs.get("args", ""),
        "inputs.upload-sarif": inputs.get("upload_sarif", "true"),
        "runner.temp": str(runner_temp),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    for name, value in step["env"].items():
        env[name] = EXPRESSION.sub(lambda m: env_map[m.group(1).strip()], value)
    env.update(GITHUB_OUTPUT=str(outputs), RUNNER_TEMP=str(runner_temp), CALLS=str(calls))
    env["FAKE_EXIT"] = inputs.get("fake_exit", "0")
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30,
    )
    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines()) if outputs.exists() else {}
    recorded = calls.read_text().splitlines() if calls.exists() else []
    return result.returncode, written, recorded


needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


@needs_bash
def test_lint_step_passes_inputs_and_records_exit_code(action, tmp_path):
    code, outputs, calls = run_lint_step(
        action, tmp_path, paths="letters\nmore/*.md", min_score="70", args="--ignore LL106", fake_exit="1"
    )
    assert code == 0, "the lint step must not fail the job before the SARIF upload"
    assert outputs["exit-code"] == "1"
    assert calls[0] == "check --format github --ignore LL106 --min-score 70 -- letters more/*.md"  # no globbing
    assert calls[1].startswith("check --format sarif -o ") and calls[1].endswith("-- letters more/*.md")
    assert outputs["sarif-file"] == str(tmp_path / "temp" / "lintletter.sarif")


@needs_bash
def test_lint_step_lints_once_without_sarif(action, tmp_path):
    code, outputs, calls = run_lint_step(action, tmp_path, paths="letters", upload_sarif="false")
    assert code == 0 and outputs["exit-code"] == "0"
    assert calls == ["check --format github -- letters"]
    assert "sarif-file" not in outputs


@needs_bash
def test_lint_step_requires_paths(action, tmp_path):
    code, outputs, calls = run_lint_step(action, tmp_path, paths="  \n")
    assert code == 0 and outputs["exit-code"] == "2" and calls == []


# --- docs/ci.md ------------------------------------------------------------------------------


def test_doc_precommit_config_uses_a_hook_that_exists(hooks):
    config = doc_block(is_precommit_config, "pre-commit config")
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/lintletter/lintletter"
    assert repo["rev"] == f"v{project_version()}"
    for hook in repo["hooks"]:
        assert hook["id"] in hooks, f"docs/ci.md uses hook {hook['id']!r}, not in .pre-commit-hooks.yaml"
    assert repo["hooks"][0]["args"] == ["--min-score", "70"]


def test_doc_github_workflow_uses_the_action_as_defined(action):
    workflow = doc_block(is_github_workflow, "GitHub workflow")
    assert workflow["permissions"]["security-events"] == "write"
    uses_blocks = [s for block in doc_yaml_blocks() for s in action_steps_in(block)]
    assert uses_blocks, "docs/ci.md never uses the action"
    required = {name for name, spec in action["inputs"].items() if spec.get("required")}
    for step in uses_blocks:
        assert step["uses"] == f"lintletter/lintletter@v{project_version()}"
        given = set(step.get("with", {}))
        assert given <= ACTION_INPUTS, f"unknown inputs {given - ACTION_INPUTS} in docs/ci.md"
        assert required <= given, f"docs/ci.md leaves out required inputs {required - given}"
    # Other actions on a major tag; lintletter itself on the release that the pre-commit recipe names.
    for step in (s for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s):
        assert step in uses_blocks or MAJOR_TAG.match(step["uses"]), step["uses"]


def test_doc_inputs_table_matches_action(action):
    table = re.findall(r"^\| `([\w-]+)` \|", CI_DOC.read_text(encoding="utf-8"), flags=re.M)
    assert ACTION_INPUTS | set(action["outputs"]) == set(table)


def test_doc_gitlab_job_reports_the_junit_file_it_writes():
    ci = doc_block(is_gitlab_ci, "GitLab CI")
    (job,) = [v for v in ci.values() if isinstance(v, dict) and "script" in v]
    commands = [c for c in job["script"] if c.startswith("lintletter check")]
    assert len(commands) == 1
    match = re.search(r"--format junit -o (\S+)", commands[0])
    assert match, commands[0]
    assert job["artifacts"]["reports"]["junit"] == match.group(1)
    assert job["artifacts"]["when"] == "always"
    install = next(c for c in job["script"] if c.startswith("pip install"))
    assert f"/v{project_version()}.tar.gz" in install
