"""Every page of the built site in headless Chromium: no errors, nothing external, math rendered.

The site is served on 127.0.0.1. Chromium comes from the system (Debian's package), never
downloaded: without it these tests skip, unless REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests import conftest
from tests.conftest import PAGES, page_paths, parse_page, require_browser

pytestmark = pytest.mark.browser


def test_every_page_is_checked(built_site):
    assert sorted(p if p != "./" else "" for p in page_paths(built_site)) == PAGES


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "index")
def test_page_in_browser(browser, site_url, path):
    context = browser.new_context()
    page = context.new_page()
    errors, failed, external = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(f"{r.url}: {r.failure}"))
    page.on(
        "request",
        lambda r: (
            external.append(r.url) if urlsplit(r.url).hostname not in ("127.0.0.1", None) else None
        ),
    )
    response = page.goto(site_url + path, wait_until="networkidle")
    assert response is not None, f"{path}: no response"
    assert response.ok, f"{path}: HTTP {response.status}"
    # Fonts load when text needs them: wait for them before judging requests.
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")

    assert not errors, f"console errors on {path}: {errors}"
    assert not failed, f"failed requests on {path}: {failed}"
    assert not external, f"external requests on {path}: {external}"

    text = page.inner_text("article")
    for raw in ("\\(", "\\[", "$$", "\\frac", "\\begin", "\\nabla"):
        assert raw not in text.replace("\\\\", ""), f"raw TeX {raw!r} visible on {path}"
    formulas = page.locator("math").count()
    if path in ("", "notebooks/identities/"):
        assert formulas > 0, f"no rendered math on {path}"
    context.close()


def test_checks_page_shows_every_claim_passing(browser, site_url, built_site):
    records = json.loads((built_site / "claims.json").read_text())
    page = browser.new_page()
    page.goto(site_url + "checks/")
    rows = page.locator("article table tbody tr")
    assert rows.count() == len(records)
    # The text, not innerText: a table far from the viewport is not laid out, and has none.
    statuses = [rows.nth(i).locator("td").last.text_content() for i in range(rows.count())]
    assert statuses == ["passed"] * len(records)
    assert page.locator(".claims-summary").inner_text() == f"All {len(records)} claims pass."
    page.close()


# Windows from a phone to a large monitor, landscape: width, height.
WINDOWS = [(360, 800), (412, 823), (1280, 1024), (1920, 1200), (2560, 1440)]


@pytest.mark.parametrize("window", WINDOWS, ids=lambda w: f"{w[0]}x{w[1]}")
def test_no_deferred_block_in_the_first_screen(browser, site_url, built_site, window):
    """A deferred block shown as the page loads would be drawn at its placeholder's height
    first, and what follows it would move (sitebuild/lazy.py)."""
    width, height = window
    page = browser.new_page(viewport={"width": width, "height": height})
    checked = 0
    for path in PAGES:
        if not parse_page(built_site / path / "index.html").select(".offscreen-block"):
            continue
        page.goto(site_url + path)
        top = page.evaluate(
            "document.querySelector('.offscreen-block').getBoundingClientRect().top"
        )
        assert top >= height, f"{path}: a deferred block starts at {top:.0f} px, in the window"
        checked += 1
    page.close()
    assert checked >= 3


def test_deferred_blocks_are_laid_out_near_the_window(browser, site_url):
    page = browser.new_page(viewport={"width": 412, "height": 823})
    page.goto(site_url + "classification/softmax/", wait_until="networkidle")
    last = page.locator(".offscreen-block").last
    formula = last.locator("math").first
    laid_out = "element => element.checkVisibility({contentVisibilityAuto: true})"
    assert not formula.evaluate(laid_out), "the last block was laid out while far away"
    last.scroll_into_view_if_needed()
    page.wait_for_function(laid_out, arg=formula.element_handle())
    assert formula.evaluate("element => element.getBoundingClientRect().width") > 0
    page.close()


@pytest.mark.parametrize(("required", "outcome"), [("1", "Failed"), ("", "Skipped")])
def test_missing_browser_skips_unless_required(monkeypatch, required, outcome):
    monkeypatch.setattr(conftest, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("REQUIRE_BROWSER", required)
    with pytest.raises(BaseException, match="apt-get install chromium") as raised:
        require_browser()
    assert type(raised.value).__name__ == outcome
