"""Every script a page runs (snippets/<section>/*.py, claims aside) runs cleanly on its own."""

from __future__ import annotations

import contextlib
import io
import runpy

import pytest

from tests.conftest import ROOT

SCRIPTS = sorted(
    path for path in (ROOT / "snippets").glob("*/*.py") if path.parent.name != "claims"
)


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.relative_to(ROOT).as_posix() for p in SCRIPTS])
def test_script_runs_and_prints(script):
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        runpy.run_path(str(script), run_name="__main__")
    assert output.getvalue().strip(), f"{script.name} printed nothing for its page"
