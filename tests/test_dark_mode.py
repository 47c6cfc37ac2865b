"""Figures read in both colour schemes: every mark contrasts with what it is drawn on.

A figure is an inline SVG whose axes and text use currentColor and whose data use the site's
palette. For each scheme, chosen with the header's toggle, each figure is screenshotted whole
and then once per paint colour with the marks of that colour hidden: the pixels that change
are the marks, the hidden screenshot shows what lies under them, and the WCAG contrast ratio
between the two is measured for every mark (4.5:1 for text, 3:1 for lines, markers and bars).
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from tests.conftest import ROOT, page_paths, page_url, parse_page
from tests.page_load import goto

pytestmark = pytest.mark.browser

TEXT_CONTRAST = 4.5  # WCAG 1.4.3, text
MARK_CONTRAST = 3.0  # WCAG 1.4.11, graphics needed to read the figure
# A pixel counts as part of a mark when hiding the mark changes it by more than this (0-255).
CHANGED = 12
# Pixels (at device scale 2) a mark must cover to be judged; a mark fully hidden under
# others cannot be seen either way.
MIN_PIXELS = 4

SCHEMES = ["default", "slate"]


def _figure_pages() -> list[str]:
    """Pages that include a snippet printing a figure: a page's URL from its Markdown path."""
    docs, snippets = ROOT / "docs", ROOT / "snippets"
    include = re.compile(r'--8<--\s+"([^"]+)"')
    pages = []
    for markdown in docs.rglob("*.md"):
        included = (snippets / name for name in include.findall(markdown.read_text("utf-8")))
        if any(f.is_file() and "figure_html(" in f.read_text("utf-8") for f in included):
            pages.append(page_url(markdown.relative_to(docs)))
    return sorted(pages)


FIGURE_PAGES = _figure_pages()


def test_figure_pages_are_found(built_site):
    built = sorted(
        "" if path == "./" else path
        for path in page_paths(built_site)
        if parse_page(built_site / path / "index.html").select("figure.plot")
    )
    assert FIGURE_PAGES, "no page includes a figure snippet"
    assert built == FIGURE_PAGES


# Tags every painted mark of an SVG with its paint colour and returns the colours and marks.
# Translucent marks (grid lines, confidence bands) are background by design and stay drawn;
# so do raster images (colour maps), which are judged by the labels written on them.
_TAG_MARKS = """
svg => {
  const shapes = "path, use, text, rect, line, polyline, polygon, circle, ellipse";
  const box = svg.getBoundingClientRect();
  const groups = new Map();
  for (const mark of svg.querySelectorAll(shapes)) {
    if (mark.closest("defs, clipPath, mask, pattern, marker")) continue;
    // A <use> draws a copy of a shape: what the shape sets wins, the rest comes from the <use>.
    const source = mark.tagName === "use" && svg.querySelector(mark.href.baseVal);
    const own = getComputedStyle(mark), copied = source && getComputedStyle(source);
    const value = property =>
      source && (source.style.getPropertyValue(property) || source.hasAttribute(property))
        ? copied.getPropertyValue(property) : own.getPropertyValue(property);
    const stroke = value("stroke") !== "none" && parseFloat(value("stroke-width")) > 0;
    const fill = value("fill") !== "none";
    if (!stroke && !fill) continue;
    const opacities = [value("opacity"), own.opacity];
    if (stroke) opacities.push(value("stroke-opacity"));
    if (fill) opacities.push(value("fill-opacity"));
    if (opacities.some(opacity => parseFloat(opacity) < 1)) continue;
    const paint = [stroke ? value("stroke") : "", fill ? value("fill") : ""].join(" / ");
    if (!groups.has(paint)) groups.set(paint, []);
    const group = groups.get(paint);
    mark.dataset.contrastGroup = [...groups.keys()].indexOf(paint);
    const r = mark.getBoundingClientRect();
    group.push({
      text: mark.tagName === "text" ? mark.textContent : null,
      tag: mark.tagName,
      box: [r.left - box.left, r.top - box.top, r.right - box.left, r.bottom - box.top],
    });
  }
  return [...groups].map(([paint, marks]) => ({paint, marks}));
}
"""


_HIDE_GROUP = """
(svg, index) => {
  for (const mark of svg.querySelectorAll("[data-contrast-group]")) {
    mark.style.visibility = mark.dataset.contrastGroup === String(index) ? "hidden" : "";
  }
}
"""


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.float64)


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG 2 relative luminance of sRGB colours (0-255) along the last axis."""
    c = rgb / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    la, lb = relative_luminance(a), relative_luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


def test_contrast_ratio_matches_wcag_examples():
    black, white = np.array([0.0, 0, 0]), np.array([255.0, 255, 255])
    assert contrast_ratio(black, white) == pytest.approx(21)
    # #767676 on white is the lightest grey that passes 4.5:1.
    assert contrast_ratio(np.array([118.0, 118, 118]), white) == pytest.approx(4.54, abs=0.01)


def most_common_colour(image: np.ndarray) -> np.ndarray:
    colours, counts = np.unique(image.reshape(-1, 3), axis=0, return_counts=True)
    return colours[counts.argmax()]


def mark_contrasts(page, svg, scale: float) -> tuple[np.ndarray, list[tuple[str, str, float]]]:
    """The figure's background colour and (paint, mark, contrast) for every visible mark."""
    groups = svg.evaluate(_TAG_MARKS)
    whole = _pixels(svg.screenshot())
    height, width, _ = whole.shape
    results = []
    for index, group in enumerate(groups):
        svg.evaluate(_HIDE_GROUP, index)
        hidden = _pixels(svg.screenshot())
        svg.evaluate(_HIDE_GROUP, None)
        changed = np.abs(whole - hidden).max(axis=2) > CHANGED
        for mark in group["marks"]:
            left, top, right, bottom = (round(v * scale) for v in mark["box"])
            # Strokes reach half their width outside the geometric box.
            left, top = max(left - 4, 0), max(top - 4, 0)
            right, bottom = min(right + 4, width), min(bottom + 4, height)
            region = changed[top:bottom, left:right]
            if region.sum() < MIN_PIXELS:
                continue
            ink = whole[top:bottom, left:right][region]
            under = hidden[top:bottom, left:right][region]
            # Anti-aliased edges blend the mark into what is under it and only lower the
            # contrast: the mark's own is that of its best-covered pixel.
            contrast = float(contrast_ratio(ink, under).max())
            name = f"text {mark['text']!r}" if mark["text"] is not None else mark["tag"]
            results.append((group["paint"], name, contrast))
    return most_common_colour(whole), results


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", FIGURE_PAGES)
def test_figures_contrast_in_both_schemes(browser, site_url, path, scheme):
    scale = 2  # device pixels per CSS pixel: lines keep a solid core after anti-aliasing
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, color_scheme="light", device_scale_factor=scale
    )
    page = context.new_page()
    goto(page, site_url + path)
    if scheme == "slate":
        page.locator("label[title='Switch to dark mode']:visible").click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == scheme
    background = np.array(
        page.evaluate(
            "() => getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number)"
        )[:3],
        dtype=np.float64,
    )

    figures = page.locator("figure.plot svg")
    assert figures.count() > 0, f"no figure on {path}"
    failures, measured = [], 0
    for number in range(figures.count()):
        svg = figures.nth(number)
        # In the middle of the window, clear of the theme's fixed header.
        svg.evaluate("svg => svg.scrollIntoView({block: 'center'})")
        common, marks = mark_contrasts(page, svg, scale)
        # The figure is transparent: its commonest colour is the page's background.
        assert np.abs(common - background).max() <= 2, (
            f"figure {number + 1} on {path} ({scheme}): background {common}, page {background}"
        )
        measured += len(marks)
        for paint, name, contrast in marks:
            required = TEXT_CONTRAST if name.startswith("text") else MARK_CONTRAST
            if contrast < required:
                failures.append(
                    f"figure {number + 1}: {name} in {paint}: {contrast:.2f} < {required}"
                )
    context.close()
    assert measured > 0, f"no marks measured on {path}"
    assert not failures, f"low contrast on {path} ({scheme}):\n" + "\n".join(failures)
