"""Every page of the built site in headless Chromium: no errors, nothing external, math rendered.

The site is served on 127.0.0.1. Chromium comes from the system (Debian's package), never
downloaded: without it these tests skip, unless REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from tests import conftest
from tests.conftest import PAGES, page_paths, require_browser

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
    formulas = page.locator(".katex").count()
    if path in ("", "notebooks/identities/"):
        assert formulas > 0, f"no rendered math on {path}"
    context.close()


def test_checks_page_shows_every_claim_passing(browser, site_url, built_site):
    records = json.loads((built_site / "claims.json").read_text())
    page = browser.new_page()
    page.goto(site_url + "checks/")
    rows = page.locator("article table tbody tr")
    assert rows.count() == len(records)
    statuses = [rows.nth(i).locator("td").last.text_content() for i in range(rows.count())]
    assert statuses == ["passed"] * len(records)
    assert page.locator(".claims-summary").inner_text() == f"All {len(records)} claims pass."
    page.close()


@pytest.mark.parametrize(("required", "outcome"), [("1", "Failed"), ("", "Skipped")])
def test_missing_browser_skips_unless_required(monkeypatch, required, outcome):
    monkeypatch.setattr(conftest, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("REQUIRE_BROWSER", required)
    with pytest.raises(BaseException, match="apt-get install chromium") as raised:
        require_browser()
    assert type(raised.value).__name__ == outcome
