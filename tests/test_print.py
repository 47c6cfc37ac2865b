"""A printed page is the article at the paper's full width and no wider, without half-empty
pages (issue 14).

Chromium prints each page to PDF (A4); its number of pages is compared with the height of the
page laid out for print at the paper's width: the difference is the blank space that blocks
kept whole (a claim, a table) push onto the next page.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import CHECKS_PAGES, PAGES
from tests.page_load import goto

pytestmark = pytest.mark.browser

_MM = 96 / 25.4  # CSS pixels per millimetre
_MARGIN_MM = 15
PAPER_WIDTH = round((210 - 2 * _MARGIN_MM) * _MM)  # A4, inside the margins
PAPER_HEIGHT = round((297 - 2 * _MARGIN_MM) * _MM)
# The share of each printed page but the last that the content fills: breaks kept before
# headings and small blocks take the remainder.
MIN_FILL = 0.75
# How far past the paper's width a printed page may reach: the theme's inline code broken
# across lines, and KaTeX's struts, end a few px past the line. Chromium shrinks such a page
# by under 1%, which no reader sees; a table or an equation wider than the paper shrinks it by
# 10-20%.
WIDTH_SLACK_PX = 4

# A block kept whole may leave up to its height blank: a figure may, a claim or a table not.
_PRINT_LAYOUT = """() => {
    const shown = element => element.getClientRects().length > 0
        && getComputedStyle(element).visibility !== "hidden";
    const article = document.querySelector("article");
    return {
        height: document.documentElement.scrollHeight,
        articleWidth: article.getBoundingClientRect().width,
        chrome: [...document.querySelectorAll(
            ".md-header, .md-tabs, .md-sidebar, .md-search, .md-footer, .md-content__button"
        )].filter(shown).map(element => element.className),
        unbreakable: [...article.querySelectorAll("*")]
            .filter(element => ["avoid", "avoid-page"].includes(
                getComputedStyle(element).breakInside))
            .filter(element => element.getBoundingClientRect().height > innerHeight / 2)
            .map(element => `${element.tagName}.${element.className}`),
        scrollShadows: [...article.querySelectorAll(".math-display")]
            .filter(element => getComputedStyle(element).backgroundImage !== "none")
            .map(element => element.textContent.slice(0, 40)),
        hiddenDetails: [...article.querySelectorAll("details:not([open])")]
            .filter(details => ![...details.children]
                .filter(child => child.tagName !== "SUMMARY").every(shown))
            .map(details => details.querySelector("summary").textContent.trim()),
    };
}"""


@pytest.mark.parametrize("path", ["classification/softmax/", CHECKS_PAGES["regression/"]])
def test_a_long_page_prints_without_half_empty_pages(browser, site_url, path):
    context = browser.new_context(viewport={"width": PAPER_WIDTH, "height": PAPER_HEIGHT})
    page = context.new_page()
    goto(page, site_url + path)
    margin = f"{_MARGIN_MM}mm"
    pdf = page.pdf(format="A4", margin=dict.fromkeys(("top", "right", "bottom", "left"), margin))
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    page.emulate_media(media="print")
    layout = page.evaluate(_PRINT_LAYOUT)
    context.close()

    assert not layout["chrome"], f"{path}: printed with the site's navigation: {layout['chrome']}"
    assert layout["articleWidth"] >= PAPER_WIDTH - 2, (
        f"{path}: the article is {layout['articleWidth']} px wide on {PAPER_WIDTH} px of paper"
    )
    assert not layout["unbreakable"], (
        f"{path}: long blocks that cannot break across pages: {layout['unbreakable'][:5]}"
    )
    assert not layout["hiddenDetails"], (
        f"{path}: closed details printed without their content: {layout['hiddenDetails'][:5]}"
    )
    # On paper nothing scrolls: a scroll shadow prints as a grey line at a formula's end.
    assert not layout["scrollShadows"], (
        f"{path}: formulas printed with scroll shadows: {layout['scrollShadows'][:5]}"
    )
    content = layout["height"] / PAPER_HEIGHT
    assert (pages - 1) * MIN_FILL <= content, (
        f"{path}: {pages} pages for {content:.1f} pages of content"
        f" (at most {content / MIN_FILL + 1:.1f} for pages {MIN_FILL:.0%} filled but the last)"
    )


def test_printed_pages_are_no_wider_than_the_paper(browser, site_url):
    """Chromium shrinks a printed page that is wider than the paper to fit it, so that one
    wide table or box sets every line of the page in a smaller type, on more pages than needed."""
    context = browser.new_context(viewport={"width": PAPER_WIDTH, "height": PAPER_HEIGHT})
    page = context.new_page()
    page.emulate_media(media="print")
    too_wide = {}
    for path in PAGES:
        goto(page, site_url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PAPER_WIDTH + WIDTH_SLACK_PX:
            too_wide[path or "index"] = width
    context.close()
    assert not too_wide, f"pages wider than the {PAPER_WIDTH} px of paper in print: {too_wide}"
