"""Opening a page in the browser tests: wait for the load event and for every font that the
laid-out page uses, then go on.

Not Playwright's "networkidle", which waits half a second without a request after every load:
once loaded, a page of the site requests only fonts (awaited here) and what the reader opens
(search, a claim's code), which each test waits for by what it shows. Only a test about the
requests themselves (that none goes elsewhere, that search is not downloaded early) waits so,
with `Requests.wait_until_quiet`.
"""

from __future__ import annotations

import time

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


# How long no request may start or be running before a page is taken to have made all it will.
# Playwright reports a request a few ms after the page has started it, so no request pending at
# one moment proves nothing. Playwright's own "networkidle" waits 500 ms in the same way.
QUIET_S = 0.5


class Requests:
    """The requests a page makes, as Playwright reports them: every URL, the failures, and
    those not yet ended (a failure is known only when its request ends)."""

    def __init__(self, page) -> None:
        self.page = page
        self.urls: list[str] = []
        self.failed: list[str] = []
        self.pending = set()
        page.on("request", self._started)
        page.on("requestfinished", lambda request: self.pending.discard(request))
        page.on("requestfailed", self._failed)

    def _started(self, request) -> None:
        self.urls.append(request.url)
        self.pending.add(request)

    def _failed(self, request) -> None:
        self.failed.append(f"{request.url}: {request.failure}")
        self.pending.discard(request)

    def wait_until_quiet(self, timeout_s: float) -> None:
        """Wait until no request has started or run for QUIET_S; fail after timeout_s."""
        deadline = time.monotonic() + timeout_s
        started, quiet_since = len(self.urls), time.monotonic()
        while time.monotonic() - quiet_since < QUIET_S:
            assert time.monotonic() < deadline, f"requests still running: {self.pending}"
            self.page.wait_for_timeout(20)  # lets Playwright report the requests' starts and ends
            if self.pending or len(self.urls) != started:
                started, quiet_since = len(self.urls), time.monotonic()
