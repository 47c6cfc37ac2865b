"""Every figure a page shows typesets its math: no label or caption shows TeX source such as z_y
or \\log."""

from __future__ import annotations

import contextlib
import io
import re
import runpy

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT, page_paths, parse_page

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


def _shown_text(element) -> str:
    """The element's text as a reader sees it: typeset formulas left out (KaTeX's own text,
    its TeX annotation included, is no source shown to the reader)."""
    return "".join(s for s in element.find_all(string=True) if not s.find_parent(class_="katex"))


def test_every_page_typesets_figure_captions_and_labels(built_site):
    """On every built page, no figure's caption, drawn label or accessible name shows TeX."""
    raw, figures = [], 0
    for path in page_paths(built_site):
        page = parse_page(built_site / path / "index.html")
        for figure in page.select("figure, .jp-RenderedSVG"):
            figures += 1
            shown = [_shown_text(text) for text in figure.select("svg text")]
            shown += [_shown_text(caption) for caption in figure.select("figcaption")]
            shown += [svg["aria-label"] for svg in figure.select("svg[aria-label]")]
            raw += [f"{path}: {text[:80]!r}" for text in shown if RAW_TEX.search(text)]
    assert figures >= len(FIGURE_SCRIPTS), "the figures were not found on the pages"
    assert not raw, "figure text showing TeX source (write it as $…$):\n" + "\n".join(raw)
