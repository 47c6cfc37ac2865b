"""Numbers in prose are quoted from the claims that compute them (sitebuild/quotes.py).

The planted-error row "a number in prose changed so that it disagrees with the executed output":
every quoted number on the site is typed back by hand, off by a little, in place of its
placeholder, and the build must name the claim's value that no page shows any more.
"""

from __future__ import annotations

import functools
import re

import pytest

from sitebuild import claims as claim_runner
from sitebuild.equation_accounts import notebook_markdown
from sitebuild.quotes import PLACEHOLDER, TYPED, fill_quotes, format_value, unshown_quotes
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


def test_a_typed_number_is_checked_against_its_placeholder():
    """A notebook types the number, with the placeholder in a comment after it: the number
    must be the value as shown, and the comment goes."""
    shown = set()
    page = "<p>The rate is −0.528<!-- {{demo.gap:.3f}} -->.</p>"
    assert fill_quotes(page, VALUES.get, shown=shown) == ("<p>The rate is −0.528.</p>", [])
    assert shown == set()  # a page must show it: a typed copy would hide a drifted one there
    filled, errors = fill_quotes(page.replace("528", "529"), VALUES.get)
    assert filled == "<p>The rate is −0.529.</p>"
    assert errors == ["−0.529 is typed where {{demo.gap:.3f}} is −0.528: type the computed value"]
    _, errors = fill_quotes("<p>1<!-- {{nothing.gap}} --></p>", VALUES.get)
    assert errors == ["{{nothing.gap}} quotes claim nothing, which no page makes"]
    assert fill_quotes(page, VALUES.get, execute=False) == ("<p>The rate is −0.528.</p>", [])


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
    """The pages' Markdown, a notebook's Markdown cells, where they quote numbers."""
    pages = {}
    for path in sorted([*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")]):
        text = path.read_text()
        text = notebook_markdown(text) if path.suffix == ".ipynb" else text
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
    assert {
        "regression.md",
        "classification/proper-losses.md",
        "notebooks/learning-dynamics.ipynb",
    } <= PAGES.keys()


TYPED_NUMBERS = [
    pytest.param(page, match[0], id=f"{page}-{match['placeholder']}")
    for page, text in PAGES.items()
    for match in TYPED.finditer(text)
]


@pytest.mark.parametrize(("page", "typed"), TYPED_NUMBERS)
def test_a_typed_number_that_drifts_is_reported(page, typed):
    """A number typed beside its placeholder (notebooks) changed in its first digit."""
    match = TYPED.fullmatch(typed)
    digit = re.search(r"[0-9]", match["typed"])
    changed = str((int(digit[0]) + 1) % 10)
    drifted = match["typed"][: digit.start()] + changed + match["typed"][digit.end() :]
    _, errors = fill_quotes(
        PAGES[page].replace(typed, typed.replace(match["typed"], drifted, 1)), _quoted
    )
    assert any(error.startswith(f"{drifted} is typed where") for error in errors), errors


def test_every_placeholder_is_filled_and_every_quoted_value_shown():
    shown = set()
    for page, text in PAGES.items():
        _, errors = fill_quotes(text, _quoted, shown=shown)
        assert errors == [], page
    assert unshown_quotes(_site_quotes(), shown) == []


# The placeholders that show a value (those beside a typed number have their own test above).
PLACEHOLDERS = [
    pytest.param(page, match[0], id=f"{page}-{match['claim']}.{match['name']}")
    for page, text in PAGES.items()
    for match in PLACEHOLDER.finditer(TYPED.sub("", text))
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
