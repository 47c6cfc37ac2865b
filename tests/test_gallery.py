"""The formula gallery (`make gallery`) shows every formula of the site, and only those.

Its formulas are those the build records in formulas.json (tools/gallery.py): here they are
compared, page by page, with the formulas of the built pages, each as the text it is labelled
with (KaTeX writes no TeX into a page) and whether it is a display formula.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sitebuild.math import MathRenderer, plain_text
from tests.conftest import page_url, parse_page
from tools.gallery import page_formulas, scoped_stylesheet


def _built_formulas(path: Path) -> Counter:
    return Counter(
        (formula["aria-label"], formula.find_parent(class_="katex-display") is not None)
        for formula in parse_page(path).select(".katex")
    )


def test_the_gallery_collects_every_formula_of_every_built_page(built_site):
    renderer = MathRenderer()
    collected = {
        page_url(source) + "index.html": Counter(
            (plain_text(renderer.render(tex, display=display, output="mathml")), display)
            for tex, display in found
        )
        for source, found in page_formulas(built_site)
    }
    built = {
        path.relative_to(built_site).as_posix(): _built_formulas(path)
        for path in built_site.rglob("*.html")
    }
    wrong = {}
    for page in sorted(built.keys() | collected.keys()):
        in_site, in_gallery = built.get(page, Counter()), collected.get(page, Counter())
        if in_site != in_gallery:
            wrong[page] = {
                "only in the site": sorted((in_site - in_gallery).elements())[:5],
                "only in the gallery": sorted((in_gallery - in_site).elements())[:5],
            }
    assert not wrong, f"the gallery's formulas differ from the built pages': {wrong}"
    assert sum(map(len, collected.values())) > 100, "the collection found next to no formulas"


def test_each_stylesheet_of_the_gallery_styles_only_its_own_rendering():
    css = ".katex{font:1.21em KaTeX_Main}.katex .mfrac>span,.katex-display{margin:0}"
    assert scoped_stylesheet(css, "td.site") == (
        "td.site .katex{font:1.21em KaTeX_Main}"
        "td.site .katex .mfrac>span,td.site .katex-display{margin:0}"
    )
