"""axe-core on every page of the built site: no violations, at desktop width and at 360 px.

The light scheme is checked with every rule axe runs by default; the dark scheme (slate) with
the rules that depend on colour, since nothing else changes between the two schemes.
"""

from __future__ import annotations

import pytest

from tests.conftest import PAGES, ROOT
from tests.page_load import goto

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# name: (viewport, colour scheme the browser asks for, axe options)
CHECKS = {
    "desktop": ({"width": 1280, "height": 800}, "light", {}),
    "360px": ({"width": 360, "height": 740}, "light", {}),
    "desktop-slate": (
        {"width": 1280, "height": 800},
        "dark",
        {"runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}},
    ),
}
SCHEMES = {"light": "default", "dark": "slate"}


def axe_violations(page, options: dict, include: str | None = None) -> list[str]:
    """axe's violations on the page as it stands, one line per element; only in the elements
    that the selector `include` matches, when given."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """([options, include]) => axe.run(include ? {include: [include]} : document,
                                           {...options, resultTypes: ['violations']})""",
        [options, include],
    )
    return [
        f"{violation['id']}: {', '.join(map(str, node['target']))}: {violation['help']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "index")
def test_no_axe_violations(browser, site_url, path, check):
    assert AXE.is_file(), f"{AXE} is missing: run `make node_modules/.installed`"
    viewport, color_scheme, options = CHECKS[check]
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
    page = context.new_page()
    goto(page, site_url + path)
    # The theme makes an overflowing code block focusable from a ResizeObserver, after layout,
    # and the page its other scrolling regions once it has measured them, when idle.
    page.wait_for_function("document.documentElement.dataset.scrollRegions === 'measured'")
    page.evaluate("() => new Promise(resolve => requestAnimationFrame(resolve))")
    # The theme follows the browser's preference when the reader has not chosen a scheme.
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    assert scheme == SCHEMES[color_scheme], f"{path}: scheme {scheme}"
    found = axe_violations(page, options)
    context.close()
    assert not found, f"axe on {path or 'index'} ({check}):\n" + "\n".join(found)


def test_scrolling_regions_are_focusable_exactly_when_they_scroll(browser, site_url):
    """At 360 px, each region that may scroll sideways takes focus if and only if it scrolls."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    goto(page, site_url + "classification/softmax/")
    regions = page.locator(".math-display, .md-typeset__scrollwrap")
    assert regions.count() > 10
    overflowing = 0
    for index in range(regions.count()):
        region = regions.nth(index)
        # A region in a closed box is measured when the box opens.
        region.evaluate("element => element.closest('details')?.setAttribute('open', '')")
        region.scroll_into_view_if_needed()
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        page.wait_for_function("document.documentElement.dataset.scrollRegions === 'measured'")
        scrolls = region.evaluate("element => element.scrollWidth > element.clientWidth")
        overflowing += scrolls
        assert (region.get_attribute("tabindex") == "0") == scrolls, f"region {index}"
    assert overflowing > 0, "no region overflows at 360 px: the test checks nothing"
    context.close()
