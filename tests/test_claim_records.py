"""A claim's result read back from its execution-cache entry is the result as run.

The cache keeps a claim's checks as data, and the builder reads them back as attributes
without importing snippets' checks (and sympy with it): nothing of a check may be lost.
"""

from __future__ import annotations

import json

from sitebuild.claims import ClaimResult, run_claim
from tests.conftest import ROOT

# What the claim box, the Checks page and claims.json read of a result.
READ = ("passed", "kinds", "tied", "untied", "unchanged_by_changes", "quoted", "failure")


def test_a_claim_read_back_from_its_cache_entry_is_the_claim_as_run():
    result = run_claim(ROOT / "snippets", "mse-gradient")
    entry = json.loads(json.dumps(result.to_entry()))  # as the cache stores it
    entry.pop("reads")  # kept beside the entry, not in it
    back = ClaimResult.from_entry(entry)
    assert result.checks, "the claim made no check"
    assert [vars(check) for check in back.checks] == [vars(check) for check in result.checks]
    for name in READ:
        value, read_back = getattr(result, name), getattr(back, name)
        assert (read_back() if callable(read_back) else read_back) == (
            value() if callable(value) else value
        ), name
    assert vars(back.binding_check) == vars(result.binding_check)
