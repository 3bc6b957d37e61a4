"""The pipeline rebuilds reproducibly, and the installed wheel carries rules and models."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ACCEPTANCE, ROOT


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_pipeline_rebuild_matches_committed_models(tmp_path):
    pytest.importorskip("spacy_lookups_data", reason="install '.[test]' (it includes spacy-lookups-data) to rebuild")
    from lintletter.pipeline import PIPELINE_NAME, build

    built = build(tmp_path / PIPELINE_NAME)
    assert _digest(built) == _digest(ROOT / "models" / PIPELINE_NAME)


def test_saved_tokenizer_is_spacys_default_so_loading_may_skip_it():
    """pipeline.load() skips reading the tokenizer back; that is only right while it is the default."""
    import spacy
    import srsly

    from lintletter.pipeline import PIPELINE_NAME

    saved = srsly.msgpack_loads((ROOT / "models" / PIPELINE_NAME / "tokenizer").read_bytes())
    assert saved == srsly.msgpack_loads(spacy.blank("en").tokenizer.to_bytes(exclude=["vocab"]))


def test_pipeline_loads_offline_with_lowercase_lemmas():
    from lintletter import pipeline

    nlp = pipeline.load()
    doc = nlp("Thank you. Companies referred me.")
    assert [t.lemma_ for t in doc][:2] == ["thank", "you"]
    assert "company" in [t.lemma_ for t in doc]


@pytest.mark.skipif(os.environ.get("LINTLETTER_SKIP_WHEEL") == "1", reason="LINTLETTER_SKIP_WHEEL=1")
def test_wheel_carries_rules_and_models_and_runs_from_elsewhere(tmp_path):
    pytest.importorskip("build", reason="the 'build' package is needed to build the wheel")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True, capture_output=True,
    )
    wheel = next(dist.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.startswith("lintletter/_data/rules/sections/") for n in names)
    assert "lintletter/_data/models/en_lintletter/config.cfg" in names

    # Install the wheel alone into a fresh folder that shadows any other copy, and run from elsewhere.
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "letter.md").write_text((ACCEPTANCE / "complete.md").read_text())
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", "import lintletter, lintletter.cli, sys; print(lintletter.__file__); sys.exit(lintletter.cli.main(['check', 'letter.md']))"],
        cwd=elsewhere, capture_output=True, text=True, env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(str(site))
    assert "score" in result.stdout
