"""Pages look the same with the cut-down theme and math stylesheets as with the whole ones.

The build cuts mkdocs-material's and Temml's stylesheets down to the rules the site can match
(sitebuild/stylesheets.py). Here the browser computes every style of every element, and of its
::before and ::after, with the published stylesheets; then the same page, in the same state,
loads the whole ones instead (from the installed theme and from Temml) and computes them again.
The states include markup the theme's script adds: search results, the navigation drawer, the
dark scheme.
"""

from __future__ import annotations

import functools
from pathlib import Path

import material
import pytest

from sitebuild.math import stylesheet
from sitebuild.plugin import MATH_FONT_FILE
from tests.test_accessibility import LAY_OUT_EVERY_BLOCK

pytestmark = pytest.mark.browser

THEME_STYLESHEETS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"

# Takes every computed style, swaps each published stylesheet for its whole version, takes
# them again and returns the differences. Custom properties (--md-…) are left out: they draw
# nothing themselves, and how the browser writes out their values (escapes in a url())
# depends on how the stylesheet spelled them; the properties that use them are compared. A
# ::before or ::after counts only when it is drawn (its content is not none).
COMPARE_WITH_WHOLE = """async whole => {
  const styles = style => Array.from(style)
    .filter(name => !name.startsWith("--"))
    .map(name => `${name}: ${style.getPropertyValue(name)}`);
  const pseudo = (element, which) => {
    const style = getComputedStyle(element, which);
    return style.content === "none" ? [] : styles(style).map(line => `${which} ${line}`);
  };
  const elements = [...document.querySelectorAll("body, body *")];
  // Margins and sizes are read from the layout: it is brought up to date first.
  const snapshot = () => document.body.getBoundingClientRect() && elements.map(element => [
    ...styles(getComputedStyle(element)), ...pseudo(element, "::before"),
    ...pseudo(element, "::after")]);
  const settled = async () => {
    await document.fonts.ready;
    await Promise.all(document.getAnimations().map(animation => animation.finished));
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  };
  await settled();
  const cutDown = snapshot();
  const links = [...document.querySelectorAll("link[rel=stylesheet]")];
  const swapped = links.filter(link => whole.some(([name]) => link.href.includes(name)));
  await Promise.all(swapped.map(link => new Promise((resolve, reject) => {
    link.onload = resolve;
    link.onerror = reject;
    // Beside the published one, so that its relative url()s (Temml's font) still resolve.
    link.href = new URL(whole.find(([name]) => link.href.includes(name))[1], link.href);
  })));
  await settled();
  const differences = [];
  snapshot().forEach((lines, index) => {
    const before = new Set(cutDown[index]);
    const changed = lines.filter(line => !before.has(line));
    if (changed.length) differences.push(
      `${elements[index].tagName}.${elements[index].getAttribute("class") ?? ""}: ` +
      changed.slice(0, 5).join("; "));
  });
  return {swapped: swapped.length, elements: elements.length, differences};
}"""


def open_search(page):
    page.keyboard.press("/")
    page.keyboard.type("softmax")
    page.locator(".md-search-result__item").first.wait_for()


def open_drawer(page):
    page.locator("label.md-header__button[for=__drawer]").click()
    page.wait_for_function("document.getElementById('__drawer').checked")


# name: (page, viewport, colour scheme, what is done before the styles are compared)
STATES = {
    "softmax": ("classification/softmax/", {"width": 1280, "height": 800}, "light", None),
    "search": ("", {"width": 1280, "height": 800}, "light", open_search),
    "drawer-360px-dark": (
        "notebooks/identities/",
        {"width": 360, "height": 740},
        "dark",
        open_drawer,
    ),
}


def whole_stylesheets() -> dict[str, str]:
    """The whole stylesheets, by the start of their published names."""
    (main,) = THEME_STYLESHEETS.glob("main.*.min.css")
    (palette,) = THEME_STYLESHEETS.glob("palette.*.min.css")
    return {
        "main": main.read_text(),
        "palette": palette.read_text(),
        "temml": stylesheet(MATH_FONT_FILE),
    }


def serve(css: str, route) -> None:
    route.fulfill(body=css, content_type="text/css")


@pytest.mark.parametrize("state", STATES)
def test_cut_down_stylesheets_change_no_computed_style(browser, site_url, state):
    path, viewport, color_scheme, action = STATES[state]
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
    # Every block laid out: the page's height does not depend on what was scrolled past.
    context.add_init_script(LAY_OUT_EVERY_BLOCK)
    page = context.new_page()
    published = {}
    page.on(
        "response",
        lambda response: (
            response.url.endswith(".css")
            and published.setdefault(response.url.rsplit("/", 1)[1], len(response.body()))
        ),
    )
    whole = whole_stylesheets()
    for name, css in whole.items():
        page.route(f"**/whole-{name}.css", functools.partial(serve, css))
    page.goto(site_url + path, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    if action:
        action(page)
    # The pointer rests in a corner, over nothing that changes when hovered.
    page.mouse.move(viewport["width"] - 1, viewport["height"] - 1)
    swaps = [[f"/{name}.", f"whole-{name}.css"] for name in whole]
    result = page.evaluate(COMPARE_WITH_WHOLE, swaps)
    context.close()

    assert result["swapped"] == len(whole), f"{state}: stylesheets not found ({published})"
    assert result["elements"] > 100
    for name, css in whole.items():
        (cut_down,) = [size for file, size in published.items() if file.startswith(f"{name}.")]
        assert cut_down < len(css.encode()), f"{name}: not cut down"
    differences = result["differences"]
    assert not differences, (
        f"{state}: {len(differences)} elements styled differently (the whole stylesheets' styles"
        " shown):\n" + "\n".join(differences[:10])
    )
