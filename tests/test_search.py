"""Search: from the keyboard to the page that derives the gradient, readable results, highlights."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from tests.page_load import Requests, goto


@pytest.mark.browser
def test_keyboard_search_for_softmax_lands_on_its_gradient(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    goto(page, site_url)
    query = page.locator("input.md-search__input")
    # "/" is the theme's shortcut to the search box; the box ignores page.fill().
    page.keyboard.press("/")
    assert query.evaluate("input => input === document.activeElement"), "'/' did not focus search"
    page.keyboard.type("softmax", delay=30)
    first_result = page.locator(".md-search-result__item").first
    first_result.wait_for(state="visible", timeout=15_000)
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert urlsplit(page.url).path == urlsplit(site_url).path + "classification/softmax/"
    # The page states the gradient as a claim checked at build time.
    assert page.locator("#ce-logit-gradient").count() == 1, f"no gradient claim on {page.url}"
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("how", ["click", "keyboard"])
def test_search_is_downloaded_only_once_search_is_opened(browser, site_url, how):
    context = browser.new_context()
    page = context.new_page()
    requests = Requests(page)
    goto(page, site_url + "regression/")
    # The theme's own script, which would start the worker and request the index, has run,
    # and the requests it would make have had the time to start.
    page.wait_for_function("typeof document$ !== 'undefined'")
    requests.wait_until_quiet(timeout_s=30)
    fetched = [urlsplit(url).path for url in requests.urls]
    index = urlsplit(site_url).path + "search/search_index.json"
    assert index not in fetched, "the search index was fetched before anyone searched"
    workers = [path for path in fetched if "/workers/search." in path]
    assert not workers, f"the search worker was fetched before anyone searched: {workers}"
    with page.expect_response(lambda response: urlsplit(response.url).path == index):
        if how == "click":
            page.locator("input.md-search__input").click()
        else:
            page.keyboard.press("s")
    page.keyboard.type("median", delay=30)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
    assert any("/workers/search." in urlsplit(url).path for url in requests.urls)
    context.close()


def test_search_index_shows_math_as_text_and_every_reference_filled(built_site):
    """Search results show formulas as readable text, never TeX, and equation links with
    their numbers: the index is made from the page with its math as text (plugin.py)."""
    docs = json.loads((built_site / "search" / "search_index.json").read_text())["docs"]
    tex = [doc["location"] for doc in docs if re.search(r"\\[A-Za-z]+|\\[()[\]]|\$", doc["text"])]
    assert not tex, f"TeX in the search index: {tex}"
    empty = [doc["location"] for doc in docs if re.search(r"equation\s*[,.)]", doc["text"])]
    assert not empty, f"equation references without their number: {empty}"
    softmax = [doc["text"] for doc in docs if doc["location"].startswith("classification/softmax/")]
    assert any("q − p" in text for text in softmax)


@pytest.mark.browser
def test_arriving_from_a_result_highlights_the_terms(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    goto(page, site_url + "classification/softmax/?h=logsumexp")
    page.locator("article mark").first.wait_for(state="attached", timeout=15_000)
    assert "logsumexp" in page.locator("article mark").first.inner_text().lower()
    context.close()
