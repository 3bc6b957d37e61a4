"""The shortcuts a run from a warm cache takes past pathlib give pathlib's answers."""

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from lintletter.reading import _suffix
from lintletter.realpaths import RealPaths

name_part = st.text(alphabet=st.sampled_from("ab.-_/ X"), max_size=12)


@given(shown=name_part)
def test_suffix_is_paths_suffix(shown):
    assert _suffix(shown) == Path(shown).suffix.lower()


@settings(max_examples=30, deadline=None)
@given(names=st.lists(st.sampled_from(["a.txt", "b.md", "link.txt", "sub", "sub/c.txt", "missing.txt"]), min_size=1, max_size=8))
def test_a_run_resolver_answers_as_resolve_does(tmp_path_factory, names):
    """Remembered answers are the same as Path.resolve(), asked again and again, for files, folders,
    links and paths that do not exist."""
    root = tmp_path_factory.mktemp("paths")
    (root / "sub").mkdir()
    for name in ("a.txt", "b.md", "sub/c.txt"):
        (root / name).write_text("x")
    os.symlink(root / "sub" / "c.txt", root / "link.txt")
    shared = RealPaths(remember_files=True)
    for name in names + names:
        path = root / name
        assert shared.text_of(path) == str(path.resolve())
        assert shared.of(str(path)) == path.resolve()
