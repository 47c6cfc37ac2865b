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
def test_search_is_downloaded_only_once_search_is_opened(browser, site_url, how):
    context = browser.new_context()
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page.goto(site_url + "regression/", wait_until="networkidle")
    # The theme's own script, which would start the worker and request the index, has run.
    page.wait_for_function("typeof document$ !== 'undefined'")
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
    assert any("/workers/search." in path for path in fetched)
    context.close()
