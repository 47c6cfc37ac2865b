"""Every figure a page shows typesets its math: no label shows TeX source such as z_y or \\log."""

from __future__ import annotations

import contextlib
import io
import re
import runpy

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

FIGURE_SCRIPTS = sorted(
    path
    for path in (ROOT / "snippets").glob("*/*.py")
    if path.parent.name != "claims" and "figure_html(" in path.read_text("utf-8")
)

# A sub- or superscript written out (z_y, (q − e_y)_k, e^z, x^{2}) or a TeX command (\log):
# mathtext turns `$z_y$` into glyphs, so what remains in the drawn text is plain text.
RAW_TEX = re.compile(r"\S[_^][\w{(]|\\[A-Za-z]+")


def drawn_texts(script) -> list[str]:
    """The text of each <text> of the figures the script prints, as the reader sees it."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        runpy.run_path(str(script), run_name="__main__")
    figures = BeautifulSoup(output.getvalue(), "html.parser").select("figure.plot svg")
    assert figures, f"{script.name} printed no figure"
    return [text.get_text() for svg in figures for text in svg.find_all("text")]


def test_figure_scripts_are_found():
    assert len(FIGURE_SCRIPTS) >= 10, "the glob no longer finds the figure scripts"


@pytest.mark.parametrize(
    "script", FIGURE_SCRIPTS, ids=[p.relative_to(ROOT).as_posix() for p in FIGURE_SCRIPTS]
)
def test_labels_typeset_their_math(script):
    raw = [text for text in drawn_texts(script) if RAW_TEX.search(text)]
    assert not raw, f"labels showing TeX source (write them as $…$ mathtext): {raw}"
