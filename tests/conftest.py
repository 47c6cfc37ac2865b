"""Shared fixtures: the project root, a strict build of the site, and copies to break."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path, PurePath, PurePosixPath

import pytest
from bs4 import BeautifulSoup

from sitebuild.claims import claims_on_pages
from sitebuild.site_claims import checks_page_of
from tests import shared_site
from tools.chromium import CHROMIUM_FLAGS
from tools.project_copy import NOT_COPIED

ROOT = Path(__file__).resolve().parent.parent


def build(
    project: Path, site_dir: Path, *extra: str, timeout: float = 600, **env: str
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project, as `make build` runs it.

    The execution cache is off unless env sets CHECKED_SITE_CACHE: every test build runs
    everything, so no test passes on the strength of an earlier build's outputs.
    """
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir), *extra],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CHECKED_SITE_CACHE": "", **env},
    )


@functools.cache
def parse_page(path: Path) -> BeautifulSoup:
    """A built page as a tree: the site is minified, so tests ask for elements, not text.

    Parsed once per path (many claims share a page): callers read the tree, never change it.
    """
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def add_page(project: Path, name: str, text: str) -> None:
    """Add a page (or notebook) to the copy, and to its nav so that only the fault is reported."""
    (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    (project / "docs" / name).write_text(text)
    config = project / "mkdocs.yml"
    nav_entry = "  - Checks: checks.md\n"
    config.write_text(config.read_text().replace(nav_entry, f"{nav_entry}  - Fault: {name}\n"))


def assert_fails(result: subprocess.CompletedProcess, *expected: str) -> str:
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"the build passed despite the fault:\n{output}"
    for text in expected:
        assert text in output, f"{text!r} is not in the output:\n{output}"
    return output


def _build_checkout(site: Path, cache: Path) -> subprocess.CompletedProcess:
    # The cache starts empty, so the build runs everything; the copies that tests break reuse it.
    # What ran goes to site-timings.json beside the site.
    timings = site.parent / f"{site.name}-timings.json"
    return build(ROOT, site, CHECKED_SITE_CACHE=str(cache), CHECKED_SITE_TIMINGS=str(timings))


def pytest_configure(config):
    shared_site.start(config, _build_checkout)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    shared_site.hand_over(node.config, node.workerinput)


def pytest_unconfigure(config):
    shared_site.finish(config)


def pytest_collection_modifyitems(items):
    """Tests that need the built site run last: the build runs meanwhile (see shared_site).
    In each part the slow tests start first: xdist hands tests out in this order, and a long
    test handed out last would keep one worker busy while the other has nothing left to do."""
    items.sort(
        key=lambda item: (
            "built_site" in getattr(item, "fixturenames", ()),
            item.get_closest_marker("slow") is None,
        )
    )


@pytest.fixture(scope="session")
def built_site(request) -> Path:
    """The site built once per test run from this checkout with --strict, its execution cache
    beside it (site-cache); every site test reads it, none may change it."""
    return shared_site.build_once(shared_site.folder(request.config), _build_checkout)


@pytest.fixture
def warm_cache(built_site, tmp_path) -> dict[str, str]:
    """Environment for build(): a copy of the execution cache of this session's build.

    A test that breaks one thing then runs only what it broke, not the whole site again.
    """
    cache = tmp_path / "cache"
    shutil.copytree(built_site.parent / f"{built_site.name}-cache", cache)
    return {"CHECKED_SITE_CACHE": str(cache)}


@pytest.fixture
def tiny_project(tmp_path) -> Path:
    """A copy of the project with two empty pages (index.md, checks.md) and no claims or
    notebooks: a fault added with add_page() is all its build runs."""
    copy = tmp_path / "tiny"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    for page in [*(copy / "docs").rglob("*.md"), *(copy / "docs").rglob("*.ipynb")]:
        page.unlink()
    for claim in (copy / "snippets" / "claims").glob("*.py"):
        claim.unlink()
    (copy / "docs" / "index.md").write_text("# Home\n")
    (copy / "docs" / "checks.md").write_text("# Checks\n")
    config = copy / "mkdocs.yml"
    text = re.sub(
        r"^nav:\n(?:  .*\n)+",
        "nav:\n  - Home: index.md\n  - Checks: checks.md\n",
        config.read_text(),
        flags=re.MULTILINE,
    )
    config.write_text(text)
    return copy


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project's sources to inject a fault into."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    return copy


# --- The built site in a real browser -------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def require_browser():
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


@contextlib.contextmanager
def serve(directory: Path):
    """Serve a folder on 127.0.0.1; its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def open_every_claim(page) -> int:
    """Open every claim box of the page, as a reader would, and wait until each shows its code
    (claim-code.js fetches it); the number of claims."""
    summaries = page.locator(".claim > details > summary")
    for index in range(summaries.count()):
        summaries.nth(index).click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('.claim > details')]
            .every(details => details.dataset.claimCode === 'shown')"""
    )
    return summaries.count()


def page_paths(site: Path) -> list[str]:
    return sorted(
        path.parent.relative_to(site).as_posix() + "/"
        for path in site.rglob("index.html")
        if not path.parent.name.startswith(("assets", "search"))
    )


def page_url(source: str | PurePath) -> str:
    """Where a page is served, relative to the site, from its path in docs/: docs/a/index.md at
    a/, docs/a/b.md (or .ipynb) at a/b/, docs/index.md at "" (its file: page_url + index.html)."""
    path = PurePosixPath(PurePath(source).as_posix()).with_suffix("")
    path = path.parent if path.name == "index" else path
    return "" if path == PurePosixPath(".") else f"{path}/"


def _checks_pages() -> dict[str, str]:
    """The page of each page's claims' checks, by the URL of the page that makes them."""
    made_on = {page for pages in claims_on_pages(ROOT / "docs").values() for page in pages}
    return {page_url(page): page_url(checks_page_of(page)) for page in sorted(made_on)}


def _docs_pages():
    docs = ROOT / "docs"
    sources = [*docs.rglob("*.md"), *docs.rglob("*.ipynb")]
    return sorted(page_url(source.relative_to(docs)) for source in sources)


# Parametrise by the pages the source declares; the built site is checked to match.
DOCS_PAGES = _docs_pages()  # written in docs/
CHECKS_PAGES = _checks_pages()
PAGES = sorted([*DOCS_PAGES, *CHECKS_PAGES.values()])  # and the pages the build makes
