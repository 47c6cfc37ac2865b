"""A claim's check code: a page of its own, shown in the claim when the reader opens it.

Each claim's "The check" box links to claims/<id>.html, which holds the highlighted code of
snippets/claims/<id>.py; claim-code.js fetches it into the box when the box is opened.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from tests.conftest import ROOT, open_every_claim, parse_page
from tests.page_load import goto
from tests.test_accessibility import CHECKS, axe_violations

CLAIMS = ROOT / "snippets" / "claims"
# The claim made on the page most of the browser tests below open.
PAGE, CLAIM = "regression/", "mse-gradient"


@pytest.fixture(scope="module")
def records(built_site) -> list[dict]:
    return json.loads((built_site / "claims.json").read_text())


def test_every_claim_links_to_a_page_with_its_code(built_site, records):
    assert records
    for record in records:
        claim_id = record["id"]
        page, anchor = record["page"].split("#")
        claim = parse_page(built_site / page / "index.html").find(id=anchor)
        link = claim.select_one("p.claim-code > a")
        assert link, f"{claim_id}: no link to its code"
        target = urljoin(f"http://site/{page}", link["href"])
        assert target == f"http://site/claims/{claim_id}.html", f"{claim_id}: link to {target}"

        code_page = parse_page(built_site / "claims" / f"{claim_id}.html")
        (code,) = code_page.select("pre > code")
        source = (CLAIMS / f"{claim_id}.py").read_text()
        assert code.get_text().strip() == source.strip(), f"claims/{claim_id}.html"
        # The way back to the claim.
        (back,) = [a for a in code_page.find_all("a") if a.get_text() == claim_id]
        assert urljoin(f"http://site/claims/{claim_id}.html", back["href"]) == (
            f"http://site/{record['page']}"
        )


def test_claim_code_is_not_in_the_pages(built_site, records):
    """The pages carry links to the code, not the code: that is the point."""
    for record in records:
        page, anchor = record["page"].split("#")
        claim = parse_page(built_site / page / "index.html").find(id=anchor)
        assert claim.details, f"{record['id']}: no check box"
        assert not claim.details.find("pre"), f"{record['id']}: code in the page"


def open_check(page, claim_id: str):
    page.locator(f"#{claim_id} > details > summary").click()
    return page.locator(f"#claim-code-{claim_id} > code")


@pytest.mark.browser
def test_opening_a_check_shows_its_code_with_a_copy_button(browser, site_url):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url[:-1])
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    goto(page, site_url + PAGE)
    code = open_check(page, CLAIM)
    source = (CLAIMS / f"{CLAIM}.py").read_text()
    assert code.inner_text().strip() == source.strip()
    assert page.locator(f"#{CLAIM} .claim-code").count() == 0, "the link is still there"

    page.locator(f"#{CLAIM} button.md-code__button[data-md-type=copy]").click()
    page.locator(".md-dialog__inner", has_text="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").strip() == source.strip()

    # Closed and opened again: the code is there once.
    summary = page.locator(f"#{CLAIM} > details > summary")
    summary.click()
    summary.click()
    assert page.locator(f"#{CLAIM} pre").count() == 1
    assert not errors, errors
    context.close()


@pytest.mark.browser
def test_without_javascript_the_link_leads_to_the_code(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + PAGE)
    page.locator(f"#{CLAIM} > details > summary").click()
    page.get_by_role("link", name="Read the code of the check").click()
    page.wait_for_url(f"**/claims/{CLAIM}.html")
    assert (
        page.locator("pre code").inner_text().strip()
        == (CLAIMS / f"{CLAIM}.py").read_text().strip()
    )
    page.get_by_role("link", name=CLAIM).click()
    page.wait_for_url(f"**/{PAGE}#{CLAIM}")
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("check", ["desktop", "desktop-slate"])
def test_shown_code_has_no_axe_violations(browser, site_url, check):
    """axe on a page with many claims, every check open: the code that the page loads later.
    Only the claims: the rest of the page is test_no_axe_violations'."""
    viewport, color_scheme, options = CHECKS[check]
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
    page = context.new_page()
    goto(page, site_url + "classification/consequences/")
    assert open_every_claim(page) > 5
    found = axe_violations(page, options, include=".claim")
    context.close()
    assert not found, f"axe with the checks open ({check}):\n" + "\n".join(found)
