"""Numbers in prose are quoted from the claims that compute them (sitebuild/quotes.py).

The planted-error row "a number in prose changed so that it disagrees with the executed output":
every quoted number on the site is typed back by hand, off by a little, in place of its
placeholder, and the build must name the claim's value that no page shows any more.
"""

from __future__ import annotations

import functools

import pytest

from sitebuild import claims as claim_runner
from sitebuild.quotes import PLACEHOLDER, fill_quotes, format_value, unshown_quotes
from tests.conftest import ROOT

DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
VALUES = {"demo": {"gap": -0.528, "tiny": 3.0144e-05}}


def inline(tex: str) -> str:
    return f'<span class="arithmatex">\\({tex}\\)</span>'


def test_a_placeholder_shows_the_claims_value_in_prose_and_in_math():
    page = "<p>The rate is {{demo.gap:.3f}}, " + inline(r"u \approx {{demo.tiny:.1e}}") + ".</p>"
    shown = set()
    filled, errors = fill_quotes(page, VALUES.get, shown=shown)
    assert errors == []
    assert filled == ("<p>The rate is −0.528, " + inline(r"u \approx 3.0 \times 10^{-5}") + ".</p>")
    assert shown == {("demo", "gap"), ("demo", "tiny")}


def test_prose_writes_a_power_of_ten_with_a_superscript():
    assert format_value(3.0144e-05, ".1e", in_math=False) == "3.0 × 10<sup>−5</sup>"
    assert format_value(0.5, "", in_math=True) == "0.5"


@pytest.mark.parametrize(
    ("placeholder", "error"),
    [
        ("{{nothing.gap}}", "{{nothing.gap}} quotes claim nothing, which no page makes"),
        (
            "{{demo.gaps}}",
            "{{demo.gaps}}: claim demo quotes no value 'gaps' (it quotes: gap, tiny)",
        ),
        ("{{demo.gap:.3q}}", "{{demo.gap:.3q}}: bad format '.3q'"),
    ],
)
def test_a_placeholder_that_cannot_be_filled_is_an_error(placeholder, error):
    filled, errors = fill_quotes(f"<p>{placeholder}</p>", VALUES.get)
    assert filled == f"<p>{placeholder}</p>"
    assert len(errors) == 1
    assert errors[0].startswith(error)


def test_a_build_that_runs_nothing_shows_no_number():
    assert fill_quotes("<p>{{demo.gap}}</p>", lambda _: None, execute=False) == ("<p>?</p>", [])


def test_a_quoted_value_that_no_page_shows_is_an_error():
    assert unshown_quotes(VALUES, {("demo", "gap")}) == [
        "claim demo quotes 'tiny', which no page shows: write {{demo.tiny}} where the number"
        " belongs, not the number itself"
    ]


# --- The site's pages ----------------------------------------------------------------


def _pages_with_placeholders() -> dict[str, str]:
    pages = {}
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text()
        if PLACEHOLDER.search(text):
            pages[str(path.relative_to(DOCS))] = text
    return pages


PAGES = _pages_with_placeholders()


@functools.cache
def _quoted(claim_id: str):
    if not claim_runner.claim_path(SNIPPETS, claim_id).is_file():
        return None
    result = claim_runner.run_claim(SNIPPETS, claim_id)
    assert result.passed, result.failure()
    return result.quoted


def _site_quotes() -> dict[str, dict[str, float]]:
    claim_ids = {m["claim"] for text in PAGES.values() for m in PLACEHOLDER.finditer(text)}
    return {claim_id: _quoted(claim_id) for claim_id in sorted(claim_ids)}


def test_the_site_quotes_numbers():
    assert {"regression.md", "classification/cross-entropy.md"} <= PAGES.keys()


def test_every_placeholder_is_filled_and_every_quoted_value_shown():
    shown = set()
    for page, text in PAGES.items():
        _, errors = fill_quotes(text, _quoted, shown=shown)
        assert errors == [], page
    assert unshown_quotes(_site_quotes(), shown) == []


PLACEHOLDERS = [
    pytest.param(page, match[0], id=f"{page}-{match['claim']}.{match['name']}")
    for page, text in PAGES.items()
    for match in PLACEHOLDER.finditer(text)
]


@pytest.mark.parametrize(("page", "placeholder"), PLACEHOLDERS)
def test_a_number_typed_by_hand_is_reported(page, placeholder):
    """The placeholder replaced by its value off by 1 %, as a hand-typed number would drift."""
    match = PLACEHOLDER.fullmatch(placeholder)
    value = _quoted(match["claim"])[match["name"]]
    typed = format_value(value * 1.01, match["format"] or "", in_math=True)
    shown = set()
    for other, text in PAGES.items():
        fill_quotes(
            text.replace(placeholder, typed) if other == page else text, _quoted, shown=shown
        )
    errors = unshown_quotes(_site_quotes(), shown)
    assert any(
        error.startswith(f"claim {match['claim']} quotes '{match['name']}', which no page shows")
        for error in errors
    ), errors
