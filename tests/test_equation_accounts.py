"""Every display equation is accounted for, and a changed equation fails the build.

The planted-error row "a displayed equation in page prose changed (sign, exponent, operand)":
every checked equation of every page that is not pending is changed in each of those ways, and
each change must be reported, naming the equation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from sitebuild import claims as claim_runner
from sitebuild.cache import ExecutionCache
from sitebuild.derivations import Assumptions, DerivationError, check_chain, split_chain
from sitebuild.equation_accounts import account_page, cached_verifier, notebook_markdown
from tests.conftest import ROOT, add_page, assert_fails, build

DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"


def _plugin_config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV, !!python
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "checked-site" in plugin:
            return plugin["checked-site"]
    raise AssertionError("mkdocs.yml has no checked-site plugin")


PENDING = set(_plugin_config().get("equations_pending") or [])
PAGES = sorted(str(p.relative_to(DOCS)) for p in [*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")])
COMPLETED = [page for page in PAGES if page not in PENDING]
# Pages with an equation marked as checked, found by their markers alone: checking every
# derivation here would run at collection, once in every xdist worker.
_CHECKED_MARKER = re.compile(r"^[ \t]*<!--[ \t]*(?:derivation|claim)\b", re.MULTILINE)


def _page_markdown(page: str) -> str:
    """A page's Markdown; a notebook's Markdown cells, where its equations and markers are."""
    text = (DOCS / page).read_text()
    return notebook_markdown(text) if page.endswith(".ipynb") else text


CHECKED_PAGES = [page for page in PAGES if _CHECKED_MARKER.search(_page_markdown(page))]


def _statement(claim_id: str) -> str | None:
    try:
        return claim_runner.statement_of(claim_runner.claim_source(SNIPPETS, claim_id), claim_id)
    except (ValueError, FileNotFoundError):
        return None


def _account(text: str, notebook: bool = False):
    """As the build accounts a page; a notebook makes no claims, and its markers may name any."""
    claims = None if notebook else {m["id"] for m in claim_runner.CLAIM_FENCE.finditer(text)}
    return account_page(text, _statement, claims)


# --- Derivations --------------------------------------------------------------------

REAL_XY = Assumptions.parse("real: x y")


def test_a_true_chain_is_verified_step_by_step():
    chain = r"\frac{d}{dx}\,\tfrac12 (x - y)^2 = \tfrac12 \cdot 2 (x - y) = x - y ."
    derivation = check_chain(chain, REAL_XY)
    assert [step.relation for step in derivation.steps] == ["=", "="]
    assert all(step.symbolic for step in derivation.steps)


@pytest.mark.parametrize(
    ("chain", "step"),
    [
        (r"\frac{d}{dx}\,\tfrac12 (x - y)^2 = \tfrac12 \cdot 2 (x - y) = x + y", "step 2"),
        (r"\frac{d}{dx}\,\tfrac12 (x - y)^3 = \tfrac12 \cdot 2 (x - y) = x - y", "step 1"),
        (r"\frac{d}{dx}\,\tfrac12 (x - y)^2 = \tfrac12 \cdot 2 (y - y) = x - y", "step 1"),
    ],
    ids=["sign", "exponent", "operand"],
)
def test_a_false_step_is_named(chain, step):
    with pytest.raises(DerivationError, match=rf"^{step}: .* does not hold"):
        check_chain(chain, REAL_XY)


def test_an_inequality_is_checked_at_random_points():
    assert not check_chain(r"x^2 \le x^2 + y^2", REAL_XY).steps[0].symbolic
    with pytest.raises(DerivationError, match=r"step 1: .* fails at"):
        check_chain(r"x^2 + y^2 \le x^2", REAL_XY)


def test_every_symbol_needs_a_stated_domain():
    with pytest.raises(DerivationError, match=r"the symbol z .* has no stated domain"):
        check_chain("x + z = z + x", REAL_XY)


def test_a_sum_over_a_sequence_and_a_defined_mean():
    assumptions = Assumptions.parse(
        r"real: x y_i; integer: n; where: \bar y = \frac1n \sum_{i=1}^{n} y_i"
    )
    check_chain(r"\frac1n \sum_{i=1}^{n} (x - y_i) = x - \bar y", assumptions)
    with pytest.raises(DerivationError, match="step 1"):
        check_chain(r"\frac1n \sum_{i=1}^{n} (x - y_i) = x + \bar y", assumptions)


def test_a_marker_that_cannot_be_read_is_an_error():
    with pytest.raises(DerivationError, match="cannot read 'reel: x'"):
        Assumptions.parse("reel: x")


# --- Accounting for a page's equations -----------------------------------------------


def test_a_cached_derivation_is_reused_and_a_changed_one_checked_again(tmp_path, monkeypatch):
    """serve re-accounts every page on each save: a verified chain is taken from the cache,
    while a chain whose text or assumptions changed is verified again (and a false one fails)."""
    cache = ExecutionCache(tmp_path / "cache", ROOT, SNIPPETS, exec_timeout=60)
    chain = r"\tfrac12 \cdot 2 (x - y) = x - y"
    first = cached_verifier(cache)(chain, "real: x y")
    assert (cache.hits, cache.misses) == (0, 1)

    from sitebuild import equation_accounts

    calls = []
    real = equation_accounts.verify_derivation
    monkeypatch.setattr(
        equation_accounts, "verify_derivation", lambda *a: calls.append(a) or real(*a)
    )
    verify = cached_verifier(ExecutionCache(tmp_path / "cache", ROOT, SNIPPETS, exec_timeout=60))
    assert verify(chain, "real: x y") == first
    assert not calls, "a chain verified before was verified again"
    with pytest.raises(DerivationError, match="step 1"):
        verify(chain.replace("x - y", "y - x", 1), "real: x y")
    verify(chain, "real: x y; positive: z")
    assert len(calls) == 2, "a changed chain or changed assumptions must be verified again"
    with pytest.raises(DerivationError, match="step 1"):
        verify(chain.replace("x - y", "y - x", 1), "real: x y")
    assert len(calls) == 3, "a failed verification must not be stored"


def test_each_kind_of_equation_is_counted():
    page = (
        "<!-- definition -->\n$$\nf(x) = x^2\n$$\n\n"
        "<!-- derivation; real: x -->\n$$\n(x + 1)^2 = x^2 + 2x + 1\n$$\n\n"
        "$$\nx = 1\n$$\n\n"
        "```python\n$$ not math $$\n```\n"
    )
    markdown, account = _account(page)
    assert "<!--" not in markdown
    assert [e.kind for e in account.equations] == ["definition", "derivation", "unchecked"]
    assert account.errors == []
    assert account.unchecked_errors() == [
        "equation 3 (x = 1) is unchecked: mark it as a derivation, a claim's statement, a"
        " definition or notation (see sitebuild/equation_accounts.py)"
    ]
    assert account.summary() == (
        "3 display equations: 1 checked (1 derivations, 0 claims), 1 definitions or notation,"
        " 1 unchecked"
    )


def test_a_claim_equation_must_be_the_claims_statement():
    fence = "```claim\nmse-gradient\n```\n"
    statement = _statement("mse-gradient")
    formula = re.search(r"\$([^$]+)\$", statement)[1]
    _, account = _account(f"<!-- claim: mse-gradient -->\n$$\n{formula}\n$$\n\n{fence}")
    assert account.errors == []
    assert account.count("claim") == 1
    _, account = _account(f"<!-- claim: mse-gradient -->\n$$\n{formula} + 1\n$$\n\n{fence}")
    assert account.errors
    assert "not in the statement of claim mse-gradient" in account.errors[0]
    _, account = _account(f"<!-- claim: mse-gradient -->\n$$\n{formula}\n$$\n")
    assert "not made on this page" in account.errors[0]


def test_claim_formulas_side_by_side_must_each_be_the_claims():
    fence = "```claim\nmse-gradient\n```\n"
    first, second = claim_runner.statement_formulas(_statement("mse-gradient"))[:2]
    _, account = _account(
        f"<!-- claim: mse-gradient -->\n$$\n{first},\n\\qquad\n{second} .\n$$\n\n{fence}"
    )
    assert account.errors == []
    _, account = _account(
        f"<!-- claim: mse-gradient -->\n$$\n{first},\n\\qquad\n{second} + 1\n$$\n\n{fence}"
    )
    assert f"the formula {second} + 1 is not in the statement" in account.errors[0]


def test_a_notebook_names_a_claim_that_a_page_makes():
    """A notebook has no claim fences: its marker names a claim made on a page, and its formula
    must still be one of that claim's statement."""
    formula = re.search(r"\$([^$]+)\$", _statement("mse-gradient"))[1]
    _, account = _account(f"<!-- claim: mse-gradient -->\n$$\n{formula}\n$$\n", notebook=True)
    assert account.errors == []
    assert account.count("claim") == 1
    _, account = _account(f"<!-- claim: mse-gradient -->\n$$\n{formula} + 1\n$$\n", notebook=True)
    assert "not in the statement of claim mse-gradient" in account.errors[0]
    _, account = _account(f"<!-- claim: no-such-claim -->\n$$\n{formula}\n$$\n", notebook=True)
    assert account.errors == ["equation 1 (" + formula + "): there is no claim no-such-claim"]


def test_a_marker_away_from_an_equation_is_an_error():
    _, account = _account("<!-- definition -->\n\nText.\n\n$$\nx\n$$\n")
    assert account.errors == [
        "the marker '<!-- definition -->' is not on the line before a display formula ($$)"
    ]


# --- The site's pages ----------------------------------------------------------------


def test_every_page_is_completed_or_pending_with_unchecked_equations(built_site):
    """A pending page must still have an unchecked equation: the list only shrinks. The pages
    whose equations test_a_changed_equation_is_reported changes are all that have a checked one.
    Read from the accounts of the session's strict build, which fails on an equation in error."""
    accounts = json.loads((built_site / "equations.json").read_text())
    assert sorted(accounts) == [page for page in PAGES if "$$" in _page_markdown(page)]
    for page, account in accounts.items():
        if page in PENDING:
            assert account["unchecked"], f"{page} is complete: remove it from pending"
        else:
            assert not account["unchecked"], (page, account)
    checked = [page for page, account in accounts.items() if account["checked"]]
    assert sorted(checked) == CHECKED_PAGES


def _mutants(tex: str) -> dict[str, str]:
    """A sign, an exponent and an operand changed in the last expression of the chain."""
    expressions, _ = split_chain(tex)
    last = expressions[-1]
    start = tex.rindex(last)
    mutants = {}
    for name, pattern, replace in [
        ("sign", r"(?<=\S) - |(?<=\S) \+ ", lambda m: " + " if "-" in m[0] else " - "),
        ("exponent", r"\^\{?([0-9])\}?", lambda m: "^{" + str(int(m[1]) + 1) + "}"),
        (
            "operand",
            r"\b([xyzpq])\b",
            lambda m: {"x": "y", "y": "x", "p": "q", "q": "p"}.get(m[1], "x"),
        ),
    ]:
        changed = re.sub(pattern, replace, last, count=1)
        if changed != last:
            mutants[name] = tex[:start] + changed + tex[start + len(last) :]
    return mutants


@pytest.mark.parametrize("page", CHECKED_PAGES)
def test_a_changed_equation_is_reported(page, subtests):
    """Each change of each checked equation (sign, exponent, operand), one subtest each; the
    page's unchanged equations are checked once (check_chain keeps its results)."""
    text, notebook = _page_markdown(page), page.endswith(".ipynb")
    changed = 0
    for equation in _account(text, notebook)[1].equations:
        if equation.kind not in ("derivation", "claim"):
            continue
        for name, mutant in _mutants(equation.tex).items():
            changed += 1
            with subtests.test(equation=equation.number, change=name):
                assert text.count(equation.tex) >= 1
                _, account = _account(text.replace(equation.tex, mutant, 1), notebook)
                assert any(
                    error.startswith(f"equation {equation.number} (") for error in account.errors
                ), f"{page}: equation {equation.number} changed to {mutant!r} was not reported"
    assert changed, f"{page}: no checked equation could be changed"


def test_the_build_fails_on_a_changed_equation_and_reports_coverage(tiny_project, tmp_path):
    text = (DOCS / "regression.md").read_text()
    assert "= (x - y) \\cdot 1 = x - y ." in text
    add_page(
        tiny_project,
        "regression.md",
        text.replace("= (x - y) \\cdot 1 = x - y .", "= (x - y) \\cdot 1 = x + y ."),
    )
    add_page(tiny_project, "fault.md", "# Fault\n\nAn equation:\n\n$$\na = b\n$$\n")
    result = build(tiny_project, tmp_path / "site", CHECKED_SITE_EXECUTE="false")
    output = assert_fails(
        result,
        "regression.md: equation 2 (",
        "step 3: '(x - y) \\cdot 1' = 'x + y' does not hold",
        "fault.md: equation 1 (a = b) is unchecked",
    )
    assert re.search(r"regression\.md: \d+ display equations: \d+ checked", output)


def test_a_pending_page_reports_but_does_not_fail(tiny_project, tmp_path):
    add_page(tiny_project, "fault.md", "# Fault\n\nAn equation:\n\n$$\na = b\n$$\n")
    config = tiny_project / "mkdocs.yml"
    text = config.read_text()
    assert "      exec_timeout: 60\n" in text
    config.write_text(
        text.replace(
            "      exec_timeout: 60\n",
            "      exec_timeout: 60\n      equations_pending: [fault.md]\n",
        )
    )
    site = tmp_path / "site"
    result = build(tiny_project, site, CHECKED_SITE_EXECUTE="false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "fault.md: 1 display equations: 0 checked" in result.stderr
    assert Path(site / "equations.json").is_file()
