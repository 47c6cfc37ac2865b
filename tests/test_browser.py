"""Every page of the built site in headless Chromium: no errors, nothing external, math rendered.

The site is served on 127.0.0.1. Chromium comes from the system (Debian's package), never
downloaded: without it these tests skip, unless REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Flags that let Chromium run headless as root on a machine without outside network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require_browser():
    if Path(CHROMIUM).is_file():
        return
    message = (
        f"Chromium not found at {CHROMIUM}: install it (Debian: apt-get install chromium) "
        "or set CHROMIUM_PATH"
    )
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass  # one line per request would drown the test report


@pytest.fixture(scope="module")
def site_url(built_site):
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def page_paths(site: Path) -> list[str]:
    return sorted(
        path.parent.relative_to(site).as_posix() + "/"
        for path in site.rglob("index.html")
        if not path.parent.name.startswith(("assets", "search"))
    )


def _site_pages():
    from tests.conftest import ROOT

    # Parametrise by the pages the source declares; the built site is checked to match.
    docs = ROOT / "docs"
    pages = [p.relative_to(docs).with_suffix("") for p in docs.rglob("*.md")]
    pages += [p.relative_to(docs).with_suffix("") for p in docs.rglob("*.ipynb")]
    # docs/a/index.md is served at a/, docs/a/b.md at a/b/.
    urls = (p.parent if p.name == "index" else p for p in pages)
    return sorted("" if url == Path() else f"{url.as_posix()}/" for url in urls)


PAGES = _site_pages()


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
    statuses = [rows.nth(i).locator("td").last.inner_text() for i in range(rows.count())]
    assert statuses == ["passed"] * len(records)
    assert page.locator(".claims-summary").inner_text() == f"All {len(records)} claims pass."
    page.close()


@pytest.mark.parametrize(("required", "outcome"), [("1", "Failed"), ("", "Skipped")])
def test_missing_browser_skips_unless_required(monkeypatch, required, outcome):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("REQUIRE_BROWSER", required)
    with pytest.raises(BaseException, match="apt-get install chromium") as raised:
        _require_browser()
    assert type(raised.value).__name__ == outcome
