"""Pages look the same with the cut-down theme and math stylesheets as with the whole ones.

The build cuts mkdocs-material's and KaTeX's stylesheets down to the rules the site can match
(sitebuild/stylesheets.py). Here the browser computes every style of every element, and of its
::before and ::after, with the published stylesheets; then the same page, in the same state,
loads the whole ones instead (from the installed theme and from vendor/katex) and computes them
again.
The states include markup the theme's script adds: search results, the navigation drawer, the
dark scheme.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import material
import pytest

from sitebuild.math import KATEX_DIR
from sitebuild.stylesheets import extend_table_rules
from tests.page_load import goto

pytestmark = pytest.mark.browser

THEME_STYLESHEETS = Path(material.__file__).parent / "templates" / "assets" / "stylesheets"

# Swaps each published stylesheet for a copy, takes every computed style and every element's
# box, swaps each for the whole version, takes them again and returns the differences.
# Left out: custom properties (--md-…), which draw nothing themselves and whose values the
# browser writes out as the stylesheet spelled them (escapes in a url()), and margins, whose
# value for `auto` is 0 or the used length depending on when layout last ran; what they do
# shows in the boxes. A ::before or ::after counts only when it is drawn (content not none).
COMPARE_WITH_WHOLE = """async swaps => {
  // Every computed style lists the same properties, custom ones aside: they are listed once,
  // as listing them for each of a page's 23,000 elements took most of this test's time.
  const names = Array.from(getComputedStyle(document.body))
    .filter(name => !name.startsWith("--") && !name.startsWith("margin"));
  const styles = style => names.map(name => `${name}: ${style.getPropertyValue(name)}`);
  const pseudo = (element, which) => {
    const style = getComputedStyle(element, which);
    return style.content === "none" ? [] : styles(style).map(line => `${which} ${line}`);
  };
  const elements = [...document.querySelectorAll("body, body *")];
  const box = element => {
    const { x, y, width, height } = element.getBoundingClientRect();
    return `box: ${[x, y, width, height].map(value => value.toFixed(1)).join(" ")}`;
  };
  const snapshot = () => elements.map(element => [
    box(element), ...styles(getComputedStyle(element)), ...pseudo(element, "::before"),
    ...pseudo(element, "::after")]);
  const settled = async () => {
    await document.fonts.ready;
    await Promise.all(document.getAnimations().map(animation => animation.finished));
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  };
  // Both snapshots are taken after the page has swapped its stylesheets, so that both
  // layouts come about the same way: first for copies of the published ones, then the whole.
  const links = [...document.querySelectorAll("link[rel=stylesheet]")]
    .map(link => [link, swaps.find(([name]) => link.href.includes(name))])
    .filter(([, swap]) => swap);
  const swapTo = which => Promise.all(links.map(([link, swap]) =>
    new Promise((resolve, reject) => {
      link.onload = resolve;
      link.onerror = reject;
      // Beside the published one, so that its relative url()s (KaTeX's fonts) still resolve.
      link.href = new URL(swap[which], link.href);
    })));
  await swapTo(1);
  await settled();
  const cutDown = snapshot();
  await swapTo(2);
  await settled();
  const differences = [];
  snapshot().forEach((lines, index) => {
    const before = new Set(cutDown[index]);
    const changed = lines.filter(line => !before.has(line));
    if (changed.length) differences.push(
      `${elements[index].tagName}.${elements[index].getAttribute("class") ?? ""}: ` +
      changed.slice(0, 5).join("; "));
  });
  return {swapped: links.length, elements: elements.length, differences};
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
    """The whole stylesheets, by the start of their published names.

    The theme's table rules are extended to the tables the build wraps, as the build does:
    that is not cutting (test_built_tables_look_like_the_tables_the_theme_wraps checks it).
    """
    (main,) = THEME_STYLESHEETS.glob("main.*.min.css")
    (palette,) = THEME_STYLESHEETS.glob("palette.*.min.css")
    return {
        "main": extend_table_rules(main.read_text()),
        "palette": palette.read_text(),
        "katex": (KATEX_DIR / "katex.min.css").read_text(),
    }


def serve(css: str, route) -> None:
    route.fulfill(body=css, content_type="text/css")


@pytest.mark.parametrize("state", STATES)
def test_cut_down_stylesheets_change_no_computed_style(browser, site_url, built_site, state):
    path, viewport, color_scheme, action = STATES[state]
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
    page = context.new_page()
    whole = whole_stylesheets()
    for name, css in whole.items():
        (cut_down,) = built_site.glob(f"assets/*/{name}.*.css")
        assert len(cut_down.read_bytes()) < len(css.encode()), f"{cut_down.name}: not cut down"
        page.route(f"**/cut-{name}.css", functools.partial(serve, cut_down.read_text()))
        page.route(f"**/whole-{name}.css", functools.partial(serve, css))
    goto(page, site_url + path)
    if action:
        action(page)
    # The pointer rests in a corner, over nothing that changes when hovered.
    page.mouse.move(viewport["width"] - 1, viewport["height"] - 1)
    swaps = [[f"/{name}.", f"cut-{name}.css", f"whole-{name}.css"] for name in whole]
    result = page.evaluate(COMPARE_WITH_WHOLE, swaps)
    context.close()

    assert result["swapped"] == len(whole), f"{state}: the page links to no {list(whole)}"
    assert result["elements"] > 100
    differences = result["differences"]
    assert not differences, (
        f"{state}: {len(differences)} elements styled differently (the whole stylesheets' styles"
        " shown):\n" + "\n".join(differences[:10])
    )


# What the theme's rules and script give a table, part by part: a table the build wrapped
# (stylesheets.wrap_tables) must get the same as one the theme's script wrapped, styled by the
# theme's own rules for tables without a class. The page is loaded twice: as built, and with
# its first claim's table unwrapped, as Markdown writes a table, for the script to wrap, and
# with every rule for the build's tables (table.data-table) spelled as the theme spells it
# (table:not([class])).
TABLE_STYLES = """() => {
  const properties = {
    ".md-typeset__scrollwrap": ["overflow-x", "touch-action", "margin-left", "margin-top"],
    ".md-typeset__table": ["display", "padding-left", "margin-bottom"],
    "table": ["display", "font-size", "background-color", "border-top-style", "border-top-width",
      "border-top-color", "border-radius", "overflow-x"],
    "th": ["font-weight", "min-width", "padding-top", "padding-left", "vertical-align",
      "text-align"],
    "td": ["padding-top", "padding-left", "vertical-align", "text-align", "border-top-style",
      "border-top-width", "border-top-color"],
  };
  const wrapper = document.querySelector(".claim .md-typeset__scrollwrap");
  return Object.entries(properties).flatMap(([part, names]) => {
    const element = wrapper.matches(part) ? wrapper : wrapper.querySelector(part);
    const style = getComputedStyle(element);
    return names.map(name => `${part} ${name}: ${style.getPropertyValue(name)}`);
  });
}"""
WRAPPED = re.compile(
    r"<div class=md-typeset__scrollwrap><div class=md-typeset__table><table class=data-table>"
    r"(.*?)</table></div></div>",
    re.DOTALL,
)


def unwrap_first_claim_table(route) -> None:
    response = route.fetch()
    page = response.text()
    claim = page.index('class="claim claim--success"')
    first = WRAPPED.search(page, claim)
    assert first, "no wrapped table in a claim"
    page = page[: first.start()] + f"<table>{first[1]}</table>" + page[first.end() :]
    route.fulfill(response=response, body=page)


def as_theme_spells_table_rules(route) -> None:
    response = route.fetch()
    css = response.text()
    assert "table.data-table" in css, f"{route.request.url}: no rule for the built tables"
    route.fulfill(response=response, body=css.replace("table.data-table", "table:not([class])"))


def test_built_tables_look_like_the_tables_the_theme_wraps(browser, site_url):
    path = "classification/cross-entropy/"
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(site_url + path)
    built = page.evaluate(TABLE_STYLES)
    page.close()

    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.route(site_url + path, unwrap_first_claim_table)
    page.route("**/assets/stylesheets/main.*.css", as_theme_spells_table_rules)
    page.route("**/assets/site.css", as_theme_spells_table_rules)
    page.goto(site_url + path)
    page.wait_for_selector(".claim .md-typeset__table > table:not([class])", state="attached")
    by_script = page.evaluate(TABLE_STYLES)
    page.close()
    assert built == by_script


def test_every_table_has_the_class_the_table_rules_name(built_site):
    """The theme's table rules name the build's class (stylesheets.extend_table_rules): a table
    without it would be drawn without them."""
    bare = [
        f"{page.relative_to(built_site)}: {table}"
        for page in sorted(built_site.rglob("*.html"))
        for table in re.findall(r"<table\b[^>]*>", page.read_text("utf-8"))
        if not re.search(r"\bclass=", table)
    ]
    assert not bare, "tables without a class:\n" + "\n".join(bare[:10])
