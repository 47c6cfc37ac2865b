"""Notebook pages read like the rest of the site: plots in the dark scheme, code in the site's
colours, phone-wide code cells, and links that work under any sub-path.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import PAGES, parse_page
from tests.page_load import goto
from tests.test_dark_mode import (
    MARK_CONTRAST,
    TEXT_CONTRAST,
    _pixels,
    contrast_ratio,
    mark_contrasts,
    most_common_colour,
)

NOTEBOOK_PAGES = [page for page in PAGES if page.startswith("notebooks/")]
PLOT = ".jp-OutputArea-output:is(.jp-RenderedImage, .jp-RenderedSVG) :is(img, svg)"
# Attributes whose value is a URL; one starting with "/" breaks under a sub-path.
URL_ATTRIBUTES = ("href", "src", "action", "poster", "data", "formaction", "xlink:href")


def test_no_root_absolute_urls(built_site):
    """Every URL is relative, so the site works wherever it is served.

    404.html is left out: it is served at any missing URL, so MkDocs writes its links from
    site_url's path on purpose.
    """
    found = []
    for path in sorted(built_site.rglob("*.html")):
        if path.name == "404.html" and path.parent == built_site:
            continue
        for element in parse_page(path).find_all(True):
            values = [element.get(name) for name in URL_ATTRIBUTES]
            srcset = element.get("srcset") or ""
            values += [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]
            found += [
                f"{path.relative_to(built_site)}: <{element.name}> {value}"
                for value in values
                if isinstance(value, str) and value.startswith("/")
            ]
    assert not found, "root-absolute URLs:\n" + "\n".join(found)


def _plot_pages(site) -> list[str]:
    return [path for path in NOTEBOOK_PAGES if parse_page(site / path / "index.html").select(PLOT)]


def _page_background(page) -> np.ndarray:
    rgb = page.evaluate(
        "() => getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number)"
    )
    return np.array(rgb[:3], dtype=np.float64)


@pytest.mark.browser
def test_plots_read_in_the_dark_scheme(browser, site_url, built_site):
    pages = _plot_pages(built_site)
    assert pages, "no notebook page has a plot"
    scale = 2
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="dark", device_scale_factor=scale
    )
    page = context.new_page()
    failures, measured = [], 0
    for path in pages:
        goto(page, site_url + path)
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        background = _page_background(page)
        plots = page.locator(f".jupyter-wrapper {PLOT}")
        for number in range(plots.count()):
            plot = plots.nth(number)
            plot.evaluate("plot => plot.scrollIntoView({block: 'center'})")
            where = f"{path} plot {number + 1}"
            pixels = _pixels(plot.screenshot())
            common = most_common_colour(pixels)
            # Most of a plot is its background: the page's, not a bright box.
            if contrast_ratio(common, background) > 1.2:
                failures.append(f"{where}: its background {common} is not the page's")
                continue
            ink = contrast_ratio(pixels.reshape(-1, 3), background) >= TEXT_CONTRAST
            if ink.sum() < 100:
                failures.append(f"{where}: hardly any pixel contrasts with the page")
            if plot.evaluate("plot => plot.tagName.toLowerCase()") != "svg":
                continue
            for paint, name, contrast in mark_contrasts(page, plot, scale)[1]:
                measured += 1
                required = TEXT_CONTRAST if name.startswith("text") else MARK_CONTRAST
                if contrast < required:
                    failures.append(f"{where}: {name} in {paint}: {contrast:.2f} < {required}")
    context.close()
    assert not failures, "plots in the dark scheme:\n" + "\n".join(failures)
    assert measured, "no mark of a plot was measured"


TOKENS = """root => Object.fromEntries(
  [...root.querySelectorAll("pre span[class]")].reverse().map(span => {
    const style = getComputedStyle(span);
    return [span.className, [style.color, style.fontWeight, style.fontStyle].join(" ")];
  }))"""
# The colour a code block is seen on: its own or the nearest painted ancestor's.
BACKGROUND = """element => {
  for (let e = element; e; e = e.parentElement) {
    const colour = getComputedStyle(e).backgroundColor;
    if (!/rgba\\(.*, 0\\)$/.test(colour)) return colour;
  }
}"""


def _code_page(site) -> str:
    """A page with the site's own code blocks (not a notebook) and tokens of many kinds."""
    for path in PAGES:
        if path in NOTEBOOK_PAGES:
            continue
        tree = parse_page(site / path / "index.html")
        code = "div.highlight pre code"
        if all(tree.select(f"{code} span.{token}") for token in ("k", "c1", "mf", "s2")):
            return path
    raise AssertionError("no page has code with keywords, comments, numbers and strings")


def _tokens(page, blocks: str) -> dict:
    """The colours of the token kinds in every code block the selector finds."""
    tokens = {}
    for index in range(page.locator(blocks).count()):
        tokens |= page.locator(blocks).nth(index).evaluate(TOKENS)
    return tokens


@pytest.mark.browser
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_notebook_code_has_the_site_colours(browser, site_url, built_site, path, color_scheme):
    context = browser.new_context(color_scheme=color_scheme)
    page = context.new_page()
    goto(page, site_url + _code_page(built_site))
    block = page.locator(".md-typeset div.highlight pre code").first
    site_background = block.evaluate(BACKGROUND)
    site_tokens = _tokens(page, ".md-typeset div.highlight:has(> pre > code)")
    goto(page, site_url + path)
    cell = page.locator(".jp-CodeCell .jp-InputArea-editor pre").first
    notebook_background = cell.evaluate(BACKGROUND)
    notebook_tokens = _tokens(page, ".jp-CodeCell .jp-InputArea-editor")
    context.close()

    shared = sorted(set(site_tokens) & set(notebook_tokens))
    assert {"k", "c1", "mf", "s2"} <= set(shared), f"too few tokens to compare: {shared}"
    differing = [
        f"{name}: notebook {notebook_tokens[name]} | site {site_tokens[name]}"
        for name in shared
        if notebook_tokens[name] != site_tokens[name]
    ]
    if notebook_background != site_background:
        differing.append(f"background: notebook {notebook_background} | site {site_background}")
    assert not differing, f"{path} ({color_scheme}), token: notebook | site:\n" + "\n".join(
        differing
    )


@pytest.mark.browser
@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_code_cells_use_the_column_on_a_phone(browser, site_url, path):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    goto(page, site_url + path)
    widths = page.evaluate(
        """() => {
          const column = document.querySelector(".md-content__inner");
          const style = getComputedStyle(column);
          const inner = column.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
          const cells = [...document.querySelectorAll(".jp-CodeCell .jp-InputArea-editor")];
          return [inner, cells.map(cell => cell.getBoundingClientRect().width)];
        }"""
    )
    context.close()
    column, cells = widths
    assert cells, f"no code cell on {path}"
    narrow = [round(width) for width in cells if width < 0.85 * column]
    assert not narrow, f"{path}: code cells {narrow} px wide in a column of {column:.0f} px"
