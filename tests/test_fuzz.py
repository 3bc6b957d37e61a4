"""A slice of the seeded fuzz run (tests/fuzz.py) in every test run; the full 10,000 is documented."""

from __future__ import annotations

import io

from . import fuzz


def test_fuzz_slice_finds_no_failure():
    out = io.StringIO()
    summary = fuzz.run(count=400, seed=20261125, formats_every=20, out=out)
    assert summary["failures"] == [], out.getvalue()


def test_generation_is_seeded():
    assert fuzz.generate(30, 7) == fuzz.generate(30, 7)
    assert fuzz.generate(30, 7) != fuzz.generate(30, 8)
