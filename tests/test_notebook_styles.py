"""Notebook pages look the same with their cut-down stylesheet as with mkdocs-jupyter's whole one.

The whole stylesheet is taken from mkdocs-jupyter's own output, as the execution cache of the
test build holds it; the browser computes every style of every element of the notebook, and
of its ::before and ::after, once with each stylesheet.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import PAGES
from tests.page_load import goto, reload

pytestmark = pytest.mark.browser

NOTEBOOK_PAGES = [page for page in PAGES if page.startswith("notebooks/")]
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.DOTALL)

COMPUTED_STYLES = """() => {
  // Every computed style lists the same properties, custom ones aside, which draw nothing
  // themselves (what they do shows in the properties that use them): listed once, as listing
  // them for each element took most of this test's time.
  const names = Array.from(getComputedStyle(document.body)).filter(name => !name.startsWith("--"));
  const styles = style => names.map(name => `${name}:${style.getPropertyValue(name)}`).join(";");
  // A ::before or ::after whose content is none is not drawn: its other styles do not matter.
  const pseudo = (element, which) => {
    const style = getComputedStyle(element, which);
    return style.content === "none" ? "" : styles(style);
  };
  return [...document.querySelectorAll(".jupyter-wrapper, .jupyter-wrapper *")].map(element =>
    [styles(getComputedStyle(element)), pseudo(element, "::before"), pseudo(element, "::after")]
      .join("\\n"));
}"""


def whole_stylesheet(built_site) -> str:
    """mkdocs-jupyter's stylesheets of a notebook page, from the build's execution cache."""
    cache = built_site.parent / f"{built_site.name}-cache"
    for entry in sorted(cache.glob("*.json")):
        rendered = json.loads(entry.read_text("utf-8"))["entry"].get("html", "")
        # The notebook's run holds its stylesheets; its tidied page (cached too) has none.
        styles = _STYLE.findall(rendered) if "jupyter-wrapper" in rendered else []
        if styles:
            return "\n".join(styles)
    raise AssertionError(f"no notebook in the execution cache {cache}")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("path", NOTEBOOK_PAGES)
def test_cut_down_stylesheet_changes_no_computed_style(
    browser, site_url, built_site, path, color_scheme
):
    whole = whole_stylesheet(built_site)
    context = browser.new_context(color_scheme=color_scheme)
    page = context.new_page()
    published = []
    page.on(
        "response",
        lambda response: "/assets/notebooks/" in response.url and published.append(response),
    )
    goto(page, site_url + path)
    assert len(published) == 1, f"{path}: {len(published)} notebook stylesheets"
    cut_down_size = len(published[0].body())
    assert cut_down_size * 5 < len(whole.encode()), "the stylesheet was not cut down"
    with_cut_down = page.evaluate(COMPUTED_STYLES)

    # Routing a request also keeps it out of the browser's cache.
    page.route(
        "**/assets/notebooks/*.css",
        lambda route: route.fulfill(body=whole, content_type="text/css"),
    )
    reload(page)
    with_whole = page.evaluate(COMPUTED_STYLES)
    context.close()

    assert len(with_cut_down) == len(with_whole) > 100
    differing = [(a, b) for a, b in zip(with_cut_down, with_whole, strict=True) if a != b]
    if differing:
        cut_down, whole = differing[0]
        first = [
            f"{x} | {y}"
            for x, y in zip(cut_down.split(";"), whole.split(";"), strict=False)
            if x != y
        ]
        pytest.fail(
            f"{path}: {len(differing)} elements styled differently; the first, cut down |"
            " whole:\n" + "\n".join(first[:20])
        )
