"""Claim boxes, the Checks page and the claims' code pages, as a reader sees them.

A claim box is one line (verdict, statement, check kinds, binding error against tolerance) with
its table of checks one click away; the prose leads. The Checks page has a section per page that
makes claims, in its table of contents, linking to the table of that page's claims; the code
pages are pages of the site.
"""

from __future__ import annotations

import json
import math
import re

import pytest

from tests.conftest import CHECKS_PAGES, open_every_claim, page_paths, parse_page
from tests.page_load import goto

# The pages that make claims, by URL.
DERIVATION_PAGES = sorted(CHECKS_PAGES)
# TeX a reader should never see as text: sub- and superscripts in braces.
RAW_TEX = re.compile(r"[_^]\{")


@pytest.fixture(scope="module")
def records(built_site) -> list[dict]:
    return json.loads((built_site / "claims.json").read_text())


def _figure(value: float) -> str:
    return "0" if value == 0 else f"{value:.1e}"


def test_claim_line_shows_verdict_statement_kinds_and_binding_check(built_site, records):
    """What the closed box shows: everything but the table of checks and the code."""
    for record in records:
        page, anchor = record["page"].split("#")
        claim = parse_page(built_site / page / "index.html").find(id=anchor)
        (line,) = claim.select(":scope > details > summary")
        text = line.get_text(" ", strip=True)
        assert "✓" in text, anchor
        assert "holds" in text, anchor
        for kind in record["checks"]:
            assert kind in text, anchor
        binding = f"{_figure(record['observed'])} ≤ {_figure(record['tolerance'])}"
        assert binding in text, f"{anchor}: {binding} not in {text!r}"
        assert not line.find("table"), f"{anchor}: the table of checks is not on demand"


def test_what_is_compared_reads_as_math_not_tex(built_site, records):
    for record in records:
        page, anchor = record["page"].split("#")
        claim = parse_page(built_site / page / "index.html").find(id=anchor)
        cells = [row.select("td")[1] for row in claim.select("table tbody tr")]
        compared = list(dict.fromkeys(detail["what"] for detail in record["details"]))
        assert len(cells) == len(compared), anchor
        for cell, what in zip(cells, compared, strict=True):
            text = "".join(cell.find_all(string=True, recursive=True))
            for formula in cell.select(".katex"):  # its text is KaTeX's, not the source's
                text = text.replace(formula.get_text(), "")
            assert not RAW_TEX.search(text), f"{anchor}: raw TeX in {text!r}"
            if "$" in what:
                assert cell.select(".katex"), f"{anchor}: {what!r} not rendered"


def test_a_check_made_many_times_is_one_row_with_its_count_and_largest_error(built_site, records):
    """The rows of a claim's table: one per thing compared, in the order first checked."""
    merged = 0
    for record in records:
        page, anchor = record["page"].split("#")
        claim = parse_page(built_site / page / "index.html").find(id=anchor)
        rows = [
            [cell.get_text(" ", strip=True) for cell in row.select("td")]
            for row in claim.select("table tbody tr")
        ]
        groups: dict[tuple[str, str], list[dict]] = {}
        for detail in record["details"]:
            groups.setdefault((detail["kind"], detail["what"]), []).append(detail)
        assert len(rows) == len(groups), anchor
        for ((kind, _), same), (shown_kind, _, figures) in zip(groups.items(), rows, strict=True):
            # Closest to its tolerance: the largest error in units of the tolerance.
            worst = max(same, key=lambda d: d["observed"] / d["tolerance"] if d["observed"] else 0)
            expected = f"{_figure(worst['observed'])} ≤ {_figure(worst['tolerance'])}"
            if len(same) == 1:
                assert (shown_kind, figures) == (kind, expected), anchor
            else:
                merged += 1
                assert (shown_kind, figures) == (f"{kind} ×{len(same)}", f"largest: {expected}")
    assert merged > 0, "no claim checks one thing twice: the test checks nothing"


SHARE = """() => {
  const article = document.querySelector("article");
  const boxes = [...article.querySelectorAll(".claim")];
  const height = boxes.reduce((sum, box) => sum + box.getBoundingClientRect().height, 0);
  return height / article.getBoundingClientRect().height;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("path", DERIVATION_PAGES)
def test_claim_boxes_leave_the_page_to_the_prose(browser, site_url, path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    goto(page, site_url + path)
    share = page.evaluate(SHARE)
    page.close()
    assert share < 0.12, f"{path}: claim boxes are {share:.0%} of the article's height"


# A closed claim box on a phone: at most half the window, so that the prose keeps at least half
# of the screen beside any claim. The longest statements are chains of formulas that checks
# read, which cannot leave the statement; half the window, 370 px, is about 15 of its lines.
PHONE = {"width": 360, "height": 740}
PHONE_SHARE = 1 / 2
SUMMARY_HEIGHTS = """() => [...document.querySelectorAll(".claim > details:not([open]) > summary")]
  .map(summary => [summary.closest(".claim").id, summary.getBoundingClientRect().height])"""


@pytest.mark.browser
def test_closed_claims_leave_a_phone_screen_to_the_prose(browser, site_url, built_site):
    page = browser.new_page(viewport=PHONE)
    tall, measured = [], 0
    for path in page_paths(built_site):
        goto(page, site_url + path)
        for claim_id, height in page.evaluate(SUMMARY_HEIGHTS):
            measured += 1
            if height > PHONE_SHARE * PHONE["height"]:
                tall.append(f"{path}#{claim_id}: {height:.0f} px")
    page.close()
    assert measured >= len(json.loads((built_site / "claims.json").read_text()))
    limit = PHONE_SHARE * PHONE["height"]
    assert not tall, f"closed claims taller than {limit:.0f} px at 360x740:\n" + "\n".join(tall)


# A closed claim laid out on one line (a copy that does not wrap, in the same box, so with the
# same styles): its width in lines of the box, and its height, that of its tallest formula.
ONE_LINE = """() => [...document.querySelectorAll(".claim > details:not([open]) > summary")]
  .map(summary => {
    const copy = summary.cloneNode(true);
    Object.assign(copy.style, {position: "absolute", visibility: "hidden", whiteSpace: "nowrap",
      width: "max-content"});
    summary.parentElement.append(copy);
    const line = copy.getBoundingClientRect();
    copy.remove();
    const style = getComputedStyle(summary);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const vertical = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    return {id: summary.closest(".claim").id,
      lines: (line.width - padding) / (summary.clientWidth - padding),
      height: summary.getBoundingClientRect().height - vertical,
      lineHeight: line.height - vertical};
  })"""


# A claim whose text would fill at most this many lines is short. Longer ones may take a line
# more than their width in lines: a formula is not broken inside, so a line can end early.
SHORT_LINES = 2


@pytest.mark.browser
def test_short_claims_take_only_their_lines_on_a_desktop(browser, site_url):
    """At 1280x900 a short closed claim takes the lines its text fills and no more: the kinds of
    check and the figures run on after the statement's last word, so one that fits is one line."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    short, loose = 0, []
    for path in DERIVATION_PAGES:
        goto(page, site_url + path)
        for claim in page.evaluate(ONE_LINE):
            if claim["lines"] > SHORT_LINES:
                continue
            short += 1
            # Each line at most as tall as the one with the tallest formula; 1 px for rounding.
            most = math.ceil(claim["lines"]) * claim["lineHeight"] + 1
            if claim["height"] > most:
                loose.append(f"{path}#{claim['id']}: {claim['height']:.0f} px > {most:.0f} px")
    page.close()
    assert short, "no short claim: the test no longer measures what it says"
    assert not loose, "short claims taller than their text needs:\n" + "\n".join(loose)


OVERFLOW = """() => [...document.querySelectorAll(".claim")].flatMap(claim => {
  const parts = [claim, ...claim.querySelectorAll("summary, th, td, .highlight, p")];
  return parts
    .filter(part => part.getBoundingClientRect().right > innerWidth + 0.5
      || part.getBoundingClientRect().left < -0.5)
    .map(part => `${claim.id}: ${part.tagName} ${part.textContent.slice(0, 40)}`);
})"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["regression/", "classification/softmax/", "beyond/numerics/"])
def test_open_claims_fit_a_phone(browser, site_url, path):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    goto(page, site_url + path)
    assert open_every_claim(page) > 0
    outside = page.evaluate(OVERFLOW)
    scrolled = page.evaluate("document.documentElement.scrollWidth > innerWidth")
    page.close()
    assert not outside, f"{path}: parts of open claims outside a 360 px screen:\n" + "\n".join(
        outside[:10]
    )
    assert not scrolled, f"{path}: the page scrolls sideways"


@pytest.mark.browser
def test_checks_page_has_a_table_of_contents_by_page(browser, site_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    goto(page, site_url + "checks/")
    headings = page.locator("article h2[id]").evaluate_all("hs => hs.map(h => h.id)")
    toc = page.locator(".md-sidebar--secondary .md-nav__link").evaluate_all(
        "links => links.map(link => link.hash.slice(1))"
    )
    # Each page's section links to the page first and to the table of its claims last.
    ends = page.locator("article h2[id] + p").evaluate_all(
        "ps => ps.map(p => [...p.querySelectorAll('a')].map(a => new URL(a.href).pathname))"
        ".map(paths => [paths[0], paths.at(-1)])"
    )
    page.close()
    assert len(headings) == len(DERIVATION_PAGES)
    assert toc == headings
    pairs = sorted(map(tuple, ends))
    assert pairs == sorted(
        (f"/{made_on}", f"/{checks}") for made_on, checks in CHECKS_PAGES.items()
    )


def test_pages_of_checks_are_in_the_navigation_in_reading_order(built_site):
    """The page of each page's checks is in the site's navigation, under Checks, in the order
    of the pages it checks: a reader there sees where they are and can page on."""
    checks_nav = parse_page(built_site / "checks" / "index.html").select_one(
        ".md-nav--primary .md-nav__item--active"
    )
    assert checks_nav is not None, "the Checks page is not in the navigation"
    listed = [  # the page's own table of contents is in the navigation too, for phones
        link["href"]
        for link in checks_nav.select("a.md-nav__link")
        if not link.find_parent(class_="md-nav--secondary")
    ]
    titles_in_nav = {
        link["href"]: link.get_text(" ", strip=True)
        for link in parse_page(built_site / "index.html").select(".md-nav--primary a")
    }
    in_reading_order = [path for path in titles_in_nav if path in CHECKS_PAGES]
    assert len(in_reading_order) == len(CHECKS_PAGES)
    assert listed == [
        "./",
        *(CHECKS_PAGES[path].removeprefix("checks/") for path in in_reading_order),
    ]
    for path in in_reading_order:
        page = parse_page(built_site / CHECKS_PAGES[path] / "index.html")
        (active,) = page.select(".md-nav--primary a.md-nav__link--active")
        # Named as the page of checks it is, wherever it is named: the navigation, the tab, and
        # the footer links of its neighbours, which say nothing else.
        assert active.get_text(" ", strip=True) == f"Checks: {titles_in_nav[path]}"
        assert page.title.get_text().startswith(f"Checks: {titles_in_nav[path]} - ")
        assert page.select(".md-footer__link--prev"), f"{path}: no link to the previous page"


# Elements whose text takes more lines than allowed: their height without padding, in lines.
TOO_TALL = """([selector, lines]) => [...document.querySelectorAll(selector)].filter(element => {
  const style = getComputedStyle(element);
  const padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  const height = element.getBoundingClientRect().height - padding;
  return height > (lines + 0.5) * parseFloat(style.lineHeight);
}).map(element => element.textContent)"""


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1280, 900), (360, 740)])
def test_checks_table_ids_and_headers_do_not_wrap(browser, site_url, viewport):
    width, height = viewport
    page = browser.new_page(viewport={"width": width, "height": height})
    ids, wrapped_ids, tall_headers = 0, [], []
    for path in CHECKS_PAGES.values():
        goto(page, site_url + path)
        ids += page.locator("article table tbody .claim-id > code").count()
        wrapped_ids += page.evaluate(TOO_TALL, ["article table tbody .claim-id > code", 1])
        # A header may take two lines, not five.
        tall_headers += page.evaluate(TOO_TALL, ["article table th", 2])
    page.close()
    assert ids > 0
    assert not wrapped_ids, f"claim ids broken across lines: {wrapped_ids[:5]}"
    assert not tall_headers, f"headers on more than two lines: {set(tall_headers)}"


# A Checks table: cells past the edge of the article, boxes that scroll sideways (a wide
# formula scrolls in its own box, by design), and figures not named by their column.
CHECKS_TABLE_FIT = """() => {
  const table = document.querySelector('article .claims-of-page');
  const right = table.closest('article').getBoundingClientRect().right;
  const columns = [...table.querySelectorAll('th')].map(th => th.innerText.split(/\\s+/).join(' '));
  const rows = [...table.querySelectorAll('tbody tr')];
  const cells = rows.flatMap(row => [...row.cells]);
  const named = (cell, index) =>
    getComputedStyle(cell, '::before').content === JSON.stringify(columns[index] + ': ');
  return {
    cells: cells.length,
    outside: cells.filter(cell => cell.getBoundingClientRect().right > right + 0.5).length,
    scrolling: [table, ...table.querySelectorAll('*')]
      .filter(box => !box.closest('.katex-display') && box.scrollWidth > box.clientWidth + 1)
      .filter(box => ['auto', 'scroll'].includes(getComputedStyle(box).overflowX))
      .map(box => box.tagName + '.' + box.className),
    unnamed: rows.flatMap(row => [...row.cells].slice(1).filter(
      cell => !named(cell, cell.cellIndex)).map(cell => cell.textContent)),
  };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1280, 900), (360, 740)])
def test_checks_tables_fit_the_screen(browser, site_url, viewport):
    """No cell of a Checks table is past the edge of its column, and nothing scrolls sideways:
    at 1280x900 as a table, at 360x740 as a card per claim, each figure named by its column."""
    width, height = viewport
    page = browser.new_page(viewport={"width": width, "height": height})
    cells, problems = 0, []
    for path in CHECKS_PAGES.values():
        goto(page, site_url + path)
        seen = page.evaluate(CHECKS_TABLE_FIT)
        cells += seen["cells"]
        if seen["outside"] or seen["scrolling"] or (width < 720 and seen["unnamed"]):
            problems.append(f"{path}: {seen}")
    page.close()
    assert cells > 0
    assert not problems, "Checks tables that do not fit the screen:\n" + "\n".join(problems)


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1280, 900), (360, 740)])
def test_claim_code_page_is_a_page_of_the_site(browser, site_url, records, viewport):
    width, height = viewport
    record = next(r for r in records if r["id"] == "mse-gradient")
    page = browser.new_page(viewport={"width": width, "height": height})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
    goto(page, site_url + f"claims/{record['id']}.html")
    stylesheets = page.locator("link[rel=stylesheet]").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    header = page.locator(".md-header").count()
    back = page.locator(f'article a[href="../{record["page"]}"]').count()
    page.close()
    assert not errors, errors
    assert any(
        re.search(r"assets/stylesheets/main\.[0-9a-f]+(\.min)?\.css$", s) for s in stylesheets
    )
    assert header == 1, "no site header"
    assert back >= 1, f"no link back to ../{record['page']}"
