"""Every page of the built site in headless Chromium: no errors, nothing external, math rendered.

The site is served on 127.0.0.1. Chromium comes from the system (Debian's package), never
downloaded: without it these tests skip, unless REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests import conftest
from tests.conftest import CHECKS_PAGES, PAGES, page_paths, require_browser, serve
from tests.page_load import Requests, goto

pytestmark = pytest.mark.browser


def test_every_page_is_checked(built_site):
    assert sorted(p if p != "./" else "" for p in page_paths(built_site)) == PAGES


# How far a page's clock is moved on after it has loaded: a load that a script delays (by a
# timer, an animation frame or an idle callback) up to this long happens within the test.
LATE_LOADS_MS = 60_000
# How long the requests a page has made may take to end.
REQUESTS_END_S = 30


def _is_local(url: str) -> bool:
    return urlsplit(url).hostname in ("127.0.0.1", None)  # None: data: and blob: URLs


def visit(browser, url: str, check=None) -> dict[str, list[str]]:
    """Open url as a reader would, let its timers run for a minute, wait until no request has
    started or run for a while (page_load.QUIET_S), and return its console errors, failed
    requests and requests to other hosts (never sent: aborted).

    The page's clock is Playwright's: moving it on fires the timers without waiting for them.
    check(page) runs on the loaded page before the context closes.
    """
    context = browser.new_context()
    errors = []
    context.route(lambda url: not _is_local(url), lambda route: route.abort())
    page = context.new_page()
    page.clock.install()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests = Requests(page)
    response = goto(page, url)
    assert response is not None, f"{url}: no response"
    assert response.ok, f"{url}: HTTP {response.status}"
    page.clock.run_for(LATE_LOADS_MS)
    requests.wait_until_quiet(REQUESTS_END_S)
    if check:
        check(page)
    context.close()
    assert requests.urls, f"{url}: no request seen, nothing checked"
    return {
        "errors": errors,
        "failed": requests.failed,
        "external": [u for u in requests.urls if not _is_local(u)],
    }


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "index")
def test_page_in_browser(browser, site_url, path):
    def rendered(page):
        text = page.inner_text("article")
        for raw in ("\\(", "\\[", "$$", "\\frac", "\\begin", "\\nabla"):
            assert raw not in text.replace("\\\\", ""), f"raw TeX {raw!r} visible on {path}"
        formulas = page.locator(".katex").count()
        if path in ("", "notebooks/identities/"):
            assert formulas > 0, f"no rendered math on {path}"

    seen = visit(browser, site_url + path, rendered)
    assert not seen["errors"], f"console errors on {path}: {seen['errors']}"
    assert not seen["external"], f"external requests on {path}: {seen['external']}"
    assert not seen["failed"], f"failed requests on {path}: {seen['failed']}"


def test_late_and_svg_loads_are_seen(browser, tmp_path):
    """What the site test must catch: an SVG <image>, and a load that a script delays by 3 s."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><title>planted</title>"
        '<svg width="10" height="10"><image href="https://svg.test/a.png"/></svg>'
        "<script>setTimeout(() => { new Image().src = 'https://late.test/b.png' }, 3000)</script>"
    )
    with serve(tmp_path) as url:
        external = visit(browser, url)["external"]
    assert sorted(urlsplit(u).hostname for u in external) == ["late.test", "svg.test"], external


def test_checks_pages_show_every_claim_passing(browser, site_url, built_site):
    records = json.loads((built_site / "claims.json").read_text())
    page = browser.new_page()
    statuses = []
    for path in CHECKS_PAGES.values():
        goto(page, site_url + path)
        rows = page.locator("article table tbody tr")
        statuses += [rows.nth(i).locator("td").last.text_content() for i in range(rows.count())]
    assert statuses == ["passed"] * len(records)
    goto(page, site_url + "checks/")
    assert page.locator(".claims-summary").inner_text() == f"All {len(records)} claims pass."
    page.close()


@pytest.mark.parametrize(("required", "outcome"), [("1", "Failed"), ("", "Skipped")])
def test_missing_browser_skips_unless_required(monkeypatch, required, outcome):
    monkeypatch.setattr(conftest, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("REQUIRE_BROWSER", required)
    with pytest.raises(BaseException, match="apt-get install chromium") as raised:
        require_browser()
    assert type(raised.value).__name__ == outcome
