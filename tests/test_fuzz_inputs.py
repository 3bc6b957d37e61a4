"""A slice of the seeded input fuzzers (tests/fuzz_inputs.py) in every test run: rule files, config
files, e-mails and Word documents. The documented long runs are 10,000 inputs each (README)."""

from __future__ import annotations

import io

import pytest

from . import fuzz_inputs

SLICES = {"rules": 30, "config": 50, "eml": 150, "docx": 60}


@pytest.mark.parametrize("target", sorted(SLICES))
def test_fuzz_slice_finds_no_failure(target):
    out = io.StringIO()
    summary = fuzz_inputs.run(target, count=SLICES[target], seed=20261201, out=out)
    assert summary["failures"] == [], out.getvalue()


def test_generation_is_seeded():
    import random

    for make in (fuzz_inputs.email_case, fuzz_inputs.docx_case, fuzz_inputs.config_case):
        assert make(random.Random(3)) == make(random.Random(3))
    builtin = fuzz_inputs._builtin_rule_texts()
    assert fuzz_inputs.rule_case(random.Random(3), 1, builtin) == fuzz_inputs.rule_case(random.Random(3), 1, builtin)
