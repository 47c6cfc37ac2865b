"""Every claim of the site holds: one test per claim id, the same run as the build's.

And every claim can fail: each check fails when its expected side is changed, and the formulas
of its statement are read by statement checks (checks.states), so a changed formula fails.
"""

from __future__ import annotations

import functools

import pytest

from sitebuild.claims import CLAIM_ID, all_claim_ids, claims_on_pages, run_claim
from tests.conftest import ROOT

SNIPPETS = ROOT / "snippets"
CLAIM_IDS = all_claim_ids(SNIPPETS)
PAGES = claims_on_pages(ROOT / "docs")


# Checks too weak to notice their expected side changed by a tenth; strict xfail: fixed, the
# test says so.
WEAK_CHECKS: dict[str, str] = {}
# Claims whose statement has formulas that no statement check reads yet (issue 15, item 1).
# The test fails (strict xfail) once a claim is fully read: then take it off this list.
NOT_YET_READ: set[str] = set()


@functools.cache
def result_of(claim_id: str):
    """One run per claim and test process, shared by the tests below."""
    return run_claim(SNIPPETS, claim_id)


def _expected_to_fail(claim_ids: dict | set, reason: str) -> list:
    return [
        pytest.param(
            claim_id,
            marks=pytest.mark.xfail(claim_id in claim_ids, reason=reason, strict=True),
        )
        for claim_id in CLAIM_IDS
    ]


@pytest.mark.parametrize("claim_id", CLAIM_IDS)
def test_claim_holds(claim_id):
    result = result_of(claim_id)
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


@pytest.mark.parametrize(
    "claim_id", _expected_to_fail(WEAK_CHECKS, "a weak check, a finding of issue 15")
)
def test_every_check_fails_when_changed(claim_id):
    """The self-test of item 4: a check that still passes with its expected side changed (or a
    statement formula whose change goes unnoticed) cannot tell a right formula from a wrong one."""
    result = result_of(claim_id)
    assert result.passed, result.failure()
    assert not result.unchanged_by_changes, (
        f"claim {claim_id} still passes when changed: {result.unchanged_by_changes}"
    )


@pytest.mark.parametrize(
    "claim_id", _expected_to_fail(NOT_YET_READ, "statement formulas not yet read (issue 15)")
)
def test_statement_formulas_are_read(claim_id):
    result = result_of(claim_id)
    assert not result.untied, f"claim {claim_id}: no check reads {result.untied}"


def test_read_formulas_cover_the_statements():
    """The coverage of statement checks, printed for the report; it may only grow."""
    results = [result_of(claim_id) for claim_id in CLAIM_IDS]
    tied = sum(result.tied for result in results)
    untied = sum(len(result.untied) for result in results)
    fully = sum(not result.untied for result in results)
    print(f"statement formulas read: {tied} of {tied + untied}; claims fully read: {fully}")
    assert fully >= len(CLAIM_IDS) - len(NOT_YET_READ)
