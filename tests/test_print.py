"""A printed page is the article at the paper's full width, without half-empty pages (issue 14).

Chromium prints each page to PDF (A4); its number of pages is compared with the height of the
page laid out for print at the paper's width: the difference is the blank space that blocks
kept whole (a claim, a table) push onto the next page.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import CHECKS_PAGES
from tests.page_load import goto

pytestmark = pytest.mark.browser

_MM = 96 / 25.4  # CSS pixels per millimetre
_MARGIN_MM = 15
PAPER_WIDTH = round((210 - 2 * _MARGIN_MM) * _MM)  # A4, inside the margins
PAPER_HEIGHT = round((297 - 2 * _MARGIN_MM) * _MM)
# The share of the printed pages that the content fills: the last page's empty rest and
# breaks kept before headings and small blocks take the remainder.
MIN_FILL = 0.75

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
        hiddenDetails: [...article.querySelectorAll("details:not([open])")]
            .filter(details => ![...details.children]
                .filter(child => child.tagName !== "SUMMARY").every(shown))
            .map(details => details.querySelector("summary").textContent.trim()),
    };
}"""


@pytest.mark.parametrize(
    "path", ["classification/softmax/", CHECKS_PAGES["classification/consequences/"]]
)
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
    fill = layout["height"] / (pages * PAPER_HEIGHT)
    assert fill >= MIN_FILL, (
        f"{path}: {pages} pages for {layout['height'] / PAPER_HEIGHT:.1f} pages of content"
        f" ({fill:.0%} filled)"
    )
