"""Search, used from the keyboard only: "softmax" leads to the page that derives its gradient."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def test_keyboard_search_for_softmax_lands_on_its_gradient(browser, site_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(site_url, wait_until="networkidle")
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


@pytest.mark.parametrize("how", ["click", "keyboard"])
def test_search_index_is_fetched_only_once_search_is_opened(browser, site_url, how):
    context = browser.new_context()
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    # The theme sets up search, its worker and (unless held back) the index request together.
    with page.expect_request(lambda request: "/workers/search." in request.url):
        page.goto(site_url + "regression/")
    page.wait_for_load_state("networkidle")
    index = urlsplit(site_url).path + "search/search_index.json"
    assert index not in fetched, "the search index was fetched before anyone searched"
    with page.expect_response(lambda response: urlsplit(response.url).path == index):
        if how == "click":
            page.locator("input.md-search__input").click()
        else:
            page.keyboard.press("s")
    page.keyboard.type("median", delay=30)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=15_000)
    context.close()
