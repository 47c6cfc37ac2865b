"""Opening a page in the browser tests: wait for the load event and for every font that the
laid-out page uses, then go on.

Not Playwright's "networkidle", which waits half a second without a request after every load:
once loaded, a page of the site requests only fonts (awaited here) and what the reader opens
(search, a claim's code), which each test waits for by what it shows.
"""

from __future__ import annotations

# Text asks for its fonts when it is laid out, and a font that arrives can change the layout:
# lay the page out and wait for the fonts it asked for, until a layout asks for none.
_FONTS_LOADED = """async () => {
    for (;;) {
        document.body.getBoundingClientRect();
        if (document.fonts.status === "loaded") return;
        await document.fonts.ready;
    }
}"""


def fonts_loaded(page) -> None:
    """Wait until every font the page's laid-out text uses has loaded (or failed to)."""
    page.evaluate(_FONTS_LOADED)


def goto(page, url: str):
    """Open url, wait for its load event and its fonts; the response."""
    response = page.goto(url, wait_until="load")
    fonts_loaded(page)
    return response


def reload(page):
    """Load the page again, as goto() does; the response."""
    response = page.reload(wait_until="load")
    fonts_loaded(page)
    return response
