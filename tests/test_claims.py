"""Every claim of the site holds: one test per claim id, the same run as the build's."""

from __future__ import annotations

import pytest

from sitebuild.claims import CLAIM_ID, all_claim_ids, claims_on_pages, run_claim
from tests.conftest import ROOT

SNIPPETS = ROOT / "snippets"
CLAIM_IDS = all_claim_ids(SNIPPETS)
PAGES = claims_on_pages(ROOT / "docs")


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_claim_holds(claim_id):
    result = run_claim(SNIPPETS, claim_id)
    where = ", ".join(PAGES.get(claim_id, ["no page"]))
    assert result.passed, f"claim {claim_id} (made on {where}) fails: {result.failure()}"


def test_there_are_claims():
    assert CLAIM_IDS, "no claim files in snippets/claims"


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_claim_is_made_on_exactly_one_page(claim_id):
    assert len(PAGES.get(claim_id, [])) == 1, f"claim {claim_id} is made on {PAGES.get(claim_id)}"


def test_pages_make_only_existing_claims():
    unknown = sorted(set(PAGES) - set(CLAIM_IDS))
    assert not unknown, f"pages make claims that have no file: {unknown}"


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_claim_id_is_kebab_case(claim_id):
    assert CLAIM_ID.fullmatch(claim_id)
