"""What a reader sees in the browser is what was checked: faithful formulas, links that land.

Each test here was written against a defect a reader saw (issue 14): radicals that were not
drawn, glyphs from a font the site does not ship, links that left their target below the
window, a page whose end the End key did not reach, punctuation alone at the start of a line.
"""

from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest
from PIL import Image

from tests.conftest import CHECKS_PAGES, PAGES, parse_page
from tests.page_load import goto

pytestmark = pytest.mark.browser

# A phone and a laptop.
VIEWPORTS = {"360x740": {"width": 360, "height": 740}, "1280x900": {"width": 1280, "height": 900}}

# Chromium animates a scroll by key, so wait until the position has stood still for 10 frames.
_SCROLL_SETTLED = """() => new Promise(settled => {
    let last = -1, still = 0;
    const tick = () => {
        still = scrollY === last ? still + 1 : 0;
        last = scrollY;
        if (still >= 10) settled(); else requestAnimationFrame(tick);
    };
    tick();
})"""


def _open(browser, site_url, path, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    goto(page, site_url + path)
    return context, page


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p or "index")
def test_every_link_target_lands_at_the_top_of_the_window(browser, site_url, path, viewport):
    """Going to page#id puts the heading, claim or equation at the top of the window, below
    the theme's header, unless the page ends first; then the target is in the window."""
    context, page = _open(browser, site_url, path, VIEWPORTS[viewport])
    wrong = page.evaluate(
        """async () => {
            const frames = () =>
                new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
            const targets = [...document.querySelectorAll(
                "article :is(h2, h3, h4, h5, h6)[id], article .claim[id], "
                + "article .math-display[id]"
            )];
            const wrong = [];
            for (const target of targets) {
                location.hash = target.id;
                await frames();
                const top = target.getBoundingClientRect().top;
                const atBottom = scrollY + innerHeight >= document.documentElement.scrollHeight - 2;
                const atTop = top >= header - 2 && top <= header + 40;
                const inWindow = top >= header - 2 && top < innerHeight - 20;
                if (!(atTop || (atBottom && inWindow))) wrong.push(`${target.id} at ${top}`);
            }
            return [targets.length, wrong];
        }"""
    )
    context.close()
    count, misses = wrong
    assert not misses, f"{path} at {viewport}: {len(misses)} of {count} land wrong: {misses}"


@pytest.mark.parametrize(
    "path", ["classification/softmax/", CHECKS_PAGES["classification/consequences/"], "regression/"]
)
def test_the_page_has_its_true_height_at_once_and_end_reaches_the_bottom(browser, site_url, path):
    """The scrollbar is true from the start, and one press of End shows the page's end."""
    context, page = _open(browser, site_url, path, VIEWPORTS["360x740"])
    height_at_load = page.evaluate("document.documentElement.scrollHeight")
    page.keyboard.press("End")
    page.wait_for_function("() => scrollY > 0")
    page.evaluate(_SCROLL_SETTLED)
    height, bottom = page.evaluate("[document.documentElement.scrollHeight, scrollY + innerHeight]")
    context.close()
    assert height == height_at_load, f"{path}: the page grew from {height_at_load} to {height} px"
    assert bottom >= height - 2, f"{path}: End stopped at {bottom} of {height} px"


def _ink(picture: bytes) -> int:
    """Pixels of a screenshot that are darker than the white page."""
    image = Image.open(BytesIO(picture)).convert("L")
    return int((np.asarray(image) < 160).sum())


def _brightness(picture: bytes) -> float:
    return float(np.asarray(Image.open(BytesIO(picture)).convert("L")).mean())


def test_square_roots_draw_their_radical(browser, site_url, built_site):
    """Hiding the radical sign of a formula with a square root must remove ink from it: every
    such formula on the page's screen, in prose, display and captions alike."""
    pages = [path for path in PAGES if parse_page(built_site / path / "index.html").select(".sqrt")]
    assert len(pages) >= 5, f"square roots on only {pages}"
    context = browser.new_context(viewport=VIEWPORTS["1280x900"])
    page = context.new_page()
    faint = []
    for path in pages:
        goto(page, site_url + path)
        # Those in a closed claim box or note are not on screen, so they draw nothing yet.
        formulas = [f for f in page.locator(".katex:has(.sqrt)").all() if f.is_visible()]
        assert formulas, f"{path}: no square root on screen"
        for number, formula in enumerate(formulas, start=1):
            formula.scroll_into_view_if_needed()
            drawn = _ink(formula.screenshot())
            formula.evaluate(
                "element => element.querySelectorAll('.sqrt svg')"
                ".forEach(svg => (svg.style.visibility = 'hidden'))"
            )
            if _ink(formula.screenshot()) + 20 >= drawn:
                faint.append(f"{path} square root {number} ({formula.get_attribute('aria-label')})")
    context.close()
    assert not faint, f"radicals that draw nothing: {faint}"


# The fonts a box's text is drawn from depend only on its characters and its computed font
# (family list, weight, style, stretch): asking the browser once per distinct pair covers every
# box, in far fewer round trips than one per box. Returns how many glyph boxes there are.
_MARK_ONE_GLYPH_BOX_PER_STYLE = """() => {
    const seen = new Set();
    const boxes = document.querySelectorAll(".katex-html span:not(:has(*))");
    for (const box of boxes) {
        const style = getComputedStyle(box);
        const font = [style.fontFamily, style.fontWeight, style.fontStyle, style.fontStretch];
        const key = [box.textContent, ...font].join("\\u0000");
        if (seen.has(key)) continue;
        seen.add(key);
        box.dataset.glyphProbe = "";
    }
    return boxes.length;
}"""


@pytest.mark.parametrize(
    "path",
    [
        "regression/",
        "classification/softmax/",
        "classification/consequences/",
        "beyond/exponential-families/",
        CHECKS_PAGES["classification/consequences/"],
    ],
)
def test_formulas_draw_every_glyph_from_the_math_fonts(browser, site_url, path):
    """The fonts the browser used for each formula's text are the shipped KaTeX fonts only:
    a glyph missing from them would be drawn from a system font, or not at all."""
    context, page = _open(browser, site_url, path, VIEWPORTS["1280x900"])
    boxes = page.evaluate(_MARK_ONE_GLYPH_BOX_PER_STYLE)
    assert boxes > 100, f"{path}: only {boxes} glyph boxes found"
    client = context.new_cdp_session(page)
    client.send("DOM.enable")
    client.send("CSS.enable")
    root = client.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    nodes = client.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-glyph-probe]"})[
        "nodeIds"
    ]
    assert nodes, f"{path}: no glyph box marked"
    families = {}
    for node in nodes:
        for font in client.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            families[font["familyName"]] = families.get(font["familyName"], 0) + 1
    context.close()
    foreign = {family: n for family, n in families.items() if not family.startswith("KaTeX_")}
    assert not foreign, f"{path}: glyphs drawn from other fonts: {foreign}"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_punctuation_stays_on_the_line_of_its_formula(browser, site_url, viewport):
    """A full stop or comma after an inline formula never starts a line of its own."""
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    orphans, checked = [], 0
    for path in PAGES:
        goto(page, site_url + path)
        found = page.evaluate(
            """() => {
                const orphans = [];
                let checked = 0;
                for (const formula of document.querySelectorAll("article .katex")) {
                    if (formula.closest(".katex-display")) continue;
                    const after = formula.nextSibling ?? formula.parentElement.nextSibling;
                    if (!after || after.nodeType !== Node.TEXT_NODE) continue;
                    if (!/^[.,;:)]/.test(after.textContent)) continue;
                    const range = document.createRange();
                    range.setStart(after, 0);
                    range.setEnd(after, 1);
                    const punctuation = range.getBoundingClientRect();
                    const boxes = formula.getClientRects();
                    const last = boxes[boxes.length - 1];
                    if (!last || !punctuation.height) continue;
                    checked += 1;
                    if (punctuation.top > last.bottom - 2) {
                        orphans.push(after.textContent.slice(0, 12));
                    }
                }
                return [checked, orphans];
            }"""
        )
        checked += found[0]
        orphans += [f"{path}: {text!r}" for text in found[1]]
    context.close()
    assert checked > 200, f"only {checked} formulas followed by punctuation were checked"
    assert not orphans, f"{len(orphans)} orphaned at {viewport}: {orphans[:10]}"


def test_wide_equations_on_a_phone_show_a_scroll_cue_and_their_whole_number(browser, site_url):
    """At 360 px, a display equation wider than the screen scrolls in its own box, a shadow
    at its right edge says there is more, and a numbered one shows its whole number once
    scrolled to its end."""
    context, page = _open(browser, site_url, "classification/softmax/", VIEWPORTS["360x740"])
    # Open the notes as a reader would: a closed one's equations have no layout to measure,
    # yet Chromium sometimes reports their overflow from a layout forced earlier.
    page.evaluate("document.querySelectorAll('article details').forEach(d => (d.open = true))")
    boxes = page.locator(".math-display")
    cues = clipped = overflowing = 0
    for index in range(boxes.count()):
        box = boxes.nth(index)
        if not box.evaluate("element => element.scrollWidth > element.clientWidth + 1"):
            continue
        overflowing += 1
        box.scroll_into_view_if_needed()
        left, top, width, height = box.evaluate(
            """element => {
                const rect = element.getBoundingClientRect();
                return [rect.left, rect.top, element.clientWidth, element.clientHeight];
            }"""
        )
        # The right edge's strip, without the formula: it is shadowed unless scrolled to the end.
        box.evaluate("element => element.querySelector('.katex').style.visibility = 'hidden'")
        strip = {"x": left + width - 6, "y": top, "width": 6, "height": height}
        start = _brightness(page.screenshot(clip=strip))
        box.evaluate("element => (element.scrollLeft = element.scrollWidth)")
        end = _brightness(page.screenshot(clip=strip))
        box.evaluate("element => element.querySelector('.katex').style.visibility = ''")
        cues += start < end - 2
        if box.get_attribute("id"):
            tag_right, box_right = box.evaluate(
                """element => [element.querySelector('.katex-tag').getBoundingClientRect().right,
                               element.getBoundingClientRect().right]"""
            )
            clipped += tag_right > box_right + 0.5
    context.close()
    assert overflowing >= 3, f"only {overflowing} equations overflow at 360 px"
    assert cues == overflowing, f"{overflowing - cues} of {overflowing} overflow with no cue"
    assert not clipped, f"{clipped} equation numbers are clipped"
