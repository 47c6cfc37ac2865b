"""Every distinct formula of the site, the site's rendering beside KaTeX's own (`make gallery`).

A report for reviewing the typography in one place (issue 14), not part of `make test`:

- the formulas are those the build rendered, page by page, as it records them in the site's
  formulas.json (`MathRenderer.render_page`, `write_formulas`); tests/test_gallery.py checks
  that they are every formula of the built pages;
- each row shows the TeX, the pages, the site's rendering (`MathRenderer.render`, styled by the
  stylesheet and fonts the built site publishes) and the reference: vendor/katex's own
  `katex.render` run in the report's browser, styled by KaTeX's whole stylesheet;
- the report is screenshotted in Chromium (Playwright) and Firefox (its --screenshot), in
  slices of rows that both browsers show the same way (index.html?rows=FIRST-LAST).

    python tools/gallery.py [--site site] [--output gallery] [--no-screenshots]

The site (its formulas.json and its published KaTeX stylesheet) comes from a build: `make
gallery` builds it.
Chromium comes from CHROMIUM_PATH, Firefox from FIREFOX_PATH; a missing one is skipped, named.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2
from mkdocs.config import load_config

from sitebuild.math import KATEX_DIR, MathRenderer

ROOT = Path(__file__).resolve().parent.parent
# Slices of about this height: Firefox screenshots only its window, and a tall image is hard
# to read.
SLICE_HEIGHT = 4000
WIDTH = 1400


@dataclass
class Formula:
    tex: str
    display: bool
    pages: dict[str, int] = field(default_factory=dict)  # page (relative to docs/) -> count


def page_formulas(site: Path) -> Iterator[tuple[str, list[tuple[str, bool]]]]:
    """Each page (relative to docs/) and its formulas as the build of site rendered them, in
    order: the build records them in formulas.json (sitebuild/math.py, `write_formulas`)."""
    records = json.loads((site / "formulas.json").read_text(encoding="utf-8"))
    for page, found in records.items():
        yield page, [(tex, display) for tex, display in found]


def distinct_formulas(site: Path) -> list[Formula]:
    """Every distinct formula (TeX up to runs of white space, display or inline), by page."""
    formulas: dict[tuple[str, bool], Formula] = {}
    for page, found in page_formulas(site):
        for tex, display in found:
            key = (" ".join(tex.split()), display)
            formula = formulas.setdefault(key, Formula(key[0], display))
            formula.pages[page] = formula.pages.get(page, 0) + 1
    return list(formulas.values())


# --- The report -------------------------------------------------------------------------

_PAGE_STYLE = """
body { margin: 16px; font: 14px/1.4 system-ui, sans-serif; color: #111; background: #fff; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border-top: 1px solid #999; padding: 6px 8px; vertical-align: top; text-align: left; }
th { background: #eee; }
col.number { width: 3em; } col.source { width: 27%; }
td.source code { font-size: 12px; white-space: pre-wrap; overflow-wrap: anywhere; }
td.source .pages { color: #555; font-size: 11px; margin-top: 2px; }
/* The two renderings one above the other, at one size and with the same width, so that a
   difference shows as a shift; a formula wider than the column scrolls in its own box. */
.site, .reference { font-size: 18px; overflow-x: auto; padding: 2px 0; }
.reference { border-top: 1px dashed #ddd; }
tr.display .site, tr.display .reference { background: #fafafa; }
.error { color: #b00; }
"""

# Each row's reference rendering, and ?rows=FIRST-LAST shows only those rows (the slices that
# are screenshotted).
_SCRIPT = """
const formulas = JSON.parse(document.getElementById("formulas").textContent);
const range = /[?&]rows=(\\d+)-(\\d+)/.exec(location.search);
for (const row of [...document.querySelectorAll("tbody tr")]) {
  const index = Number(row.dataset.index);
  if (range && (index < Number(range[1]) || index > Number(range[2]))) { row.remove(); continue; }
  const [tex, display] = formulas[index - 1];
  const cell = row.querySelector(".reference");
  try {
    katex.render(tex, cell, {displayMode: display, throwOnError: true, strict: "error",
                             macros: MACROS});
  } catch (error) {
    cell.textContent = String(error.message || error);
    cell.classList.add("error");
  }
}
"""


def scoped_stylesheet(css: str, scope: str) -> str:
    """The stylesheet with every rule limited to elements inside `scope` (a selector).

    >>> scoped_stylesheet("@font-face{src:url(a)}.katex .a,.katex-display{x:1}", ".s")
    '@font-face{src:url(a)}.s .katex .a,.s .katex-display{x:1}'
    """
    out = []
    for rule in tinycss2.parse_stylesheet(css):
        if rule.type == "qualified-rule":
            selectors = tinycss2.serialize(rule.prelude).split(",")
            prelude = ",".join(f"{scope} {selector.strip()}" for selector in selectors)
            out.append(f"{prelude}{{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]))
    return "".join(out)


def write_report(formulas: list[Formula], site: Path, output: Path, macros: dict) -> Path:
    """gallery/index.html, with the two KaTeX stylesheets and fonts beside it."""
    site_katex = site / "assets" / "katex"
    site_css = sorted(site_katex.glob("katex*.css"))
    if len(site_css) != 1:
        raise SystemExit(f"{site_katex}: expected one published KaTeX stylesheet, {site_css}")
    shutil.rmtree(output, ignore_errors=True)
    # Each stylesheet stays beside its own fonts: its url()s are relative.
    for source, target, css in (
        (site_katex, output / "site-katex", site_css[0]),
        (KATEX_DIR, output / "katex", KATEX_DIR / "katex.min.css"),
    ):
        shutil.copytree(source / "fonts", target / "fonts")
        scope = ".site" if target.name == "site-katex" else ".reference"
        (target / "katex.css").write_text(scoped_stylesheet(css.read_text("utf-8"), scope))
    shutil.copy(KATEX_DIR / "katex.min.js", output / "katex" / "katex.min.js")

    renderer = MathRenderer(macros)
    rows = []
    for index, formula in enumerate(formulas, start=1):
        try:
            rendered, kind = renderer.render(formula.tex, display=formula.display), "site"
        except ValueError as error:  # the build would have failed; the report shows why
            rendered, kind = html.escape(str(error)), "site error"
        pages = ", ".join(
            page if count == 1 else f"{page} ×{count}" for page, count in formula.pages.items()
        )
        delimiter = "$$" if formula.display else "$"
        rows.append(
            f'<tr data-index="{index}" class="{"display" if formula.display else "inline"}">'
            f'<td class="number">{index}</td>'
            f'<td class="source"><code>{delimiter}{html.escape(formula.tex)}{delimiter}</code>'
            f'<div class="pages">{html.escape(pages)}</div></td>'
            f'<td><div class="{kind}">{rendered}</div><div class="reference"></div></td></tr>'
        )
    data = json.dumps([[f.tex, f.display] for f in formulas]).replace("</", "<\\/")
    page_count = len({page for formula in formulas for page in formula.pages})
    report = output / "index.html"
    report.write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Formula gallery</title><style>{_PAGE_STYLE}</style>"
        '<link rel="stylesheet" href="site-katex/katex.css">'
        '<link rel="stylesheet" href="katex/katex.css">'
        '<script src="katex/katex.min.js"></script></head><body>'
        "<h1>Formula gallery</h1>"
        f"<p>{len(formulas)} distinct formulas from {page_count} pages. "
        f"Site: KaTeX {renderer.version} at build time (sitebuild/math.py), styled by the site's "
        "published stylesheet. Reference: <code>katex.render</code> of vendor/katex in this "
        "browser, styled by KaTeX's whole stylesheet. Display formulas are on grey.</p>"
        '<table><colgroup><col class="number"><col class="source"><col></colgroup>'
        "<thead><tr><th>#</th><th>TeX and pages</th><th>Site, and KaTeX's reference below it</th>"
        "</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f'<script type="application/json" id="formulas">{data}</script>'
        f"<script>const MACROS = {json.dumps(macros)};{_SCRIPT}</script></body></html>\n",
        encoding="utf-8",
    )
    return report


# --- Screenshots ------------------------------------------------------------------------


def chromium_screenshots(report: Path, chromium: str) -> list[tuple[str, int]]:
    """Full-page screenshots of the report's slices; returns each slice and its height."""
    from chromium import CHROMIUM_FLAGS  # tools/, the script's own folder
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(report.as_uri())
        page.evaluate("document.fonts.ready.then(() => true)")
        bottoms = page.evaluate(
            "[...document.querySelectorAll('tbody tr')].map(r => r.getBoundingClientRect().bottom"
            " + scrollY)"
        )
        slices, first, top = [], 1, 0.0
        for index, bottom in enumerate(bottoms, start=1):
            if bottom - top > SLICE_HEIGHT and index > first:
                slices.append((first, index - 1))
                first, top = index, bottoms[index - 2]
        slices.append((first, len(bottoms)))
        heights = []
        for number, (first, last) in enumerate(slices, start=1):
            page.goto(f"{report.as_uri()}?rows={first}-{last}")
            page.evaluate("document.fonts.ready.then(() => true)")
            heights.append(page.evaluate("document.documentElement.scrollHeight"))
            page.screenshot(path=report.parent / f"chromium-{number:02}.png", full_page=True)
        browser.close()
    return [
        (f"{first}-{last}", height) for (first, last), height in zip(slices, heights, strict=True)
    ]


def firefox_screenshots(report: Path, firefox: str, slices: list[tuple[str, int]]) -> None:
    """Firefox's --screenshot shows its window only: each slice gets a window of its height."""
    for number, (rows, height) in enumerate(slices, start=1):
        # A little taller than Chromium's page: Firefox's text metrics differ.
        window = f"{WIDTH},{int(height * 1.1) + 100}"
        with tempfile.TemporaryDirectory(prefix="gallery-firefox-") as profile:
            subprocess.run(
                [
                    firefox,
                    "--headless",
                    "--no-remote",
                    "--profile",
                    profile,
                    "--screenshot",
                    str(report.parent / f"firefox-{number:02}.png"),
                    f"--window-size={window}",
                    f"{report.as_uri()}?rows={rows}",
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site")
    parser.add_argument("--output", type=Path, default=ROOT / "gallery")
    parser.add_argument("--no-screenshots", action="store_true")
    arguments = parser.parse_args()
    macros = load_config(str(ROOT / "mkdocs.yml")).plugins["checked-site"].config.tex_macros
    formulas = distinct_formulas(arguments.site)
    report = write_report(formulas, arguments.site, arguments.output.resolve(), macros)
    print(f"{len(formulas)} formulas: {report}")
    if arguments.no_screenshots:
        return 0
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    firefox = (
        os.environ.get("FIREFOX_PATH") or shutil.which("firefox-esr") or shutil.which("firefox")
    )
    missing = []
    slices: list[tuple[str, int]] = []
    if chromium:
        slices = chromium_screenshots(report, chromium)
        print(f"Chromium: {len(slices)} screenshots, {report.parent}/chromium-*.png")
    else:
        missing.append("Chromium (set CHROMIUM_PATH)")
    if firefox and slices:
        firefox_screenshots(report, firefox, slices)
        print(f"Firefox: {len(slices)} screenshots, {report.parent}/firefox-*.png")
    elif not firefox:
        missing.append("Firefox (set FIREFOX_PATH)")
    for number, (rows, _) in enumerate(slices, start=1):
        print(f"  {number:02}: rows {rows}")
    if missing:
        print(f"Not found, no screenshots: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
