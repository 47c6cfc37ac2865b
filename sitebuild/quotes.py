"""Numbers in prose quoted from the claims that compute them.

A claim names a value with `checks.quote("gap", value)`; a page shows it with
`{{claim-id.gap:.3f}}` (a Python format spec; none: `.3g`), in prose or inside math. So the
number the reader reads is the number the build computed, never one typed beside it.

In math an exponent format (`.1e`) is written as TeX, `3.0 \\times 10^{-5}`; in prose as
`3.0 × 10<sup>−5</sup>`.

A notebook is also read outside the site (downloaded, in Jupyter), where a placeholder would show
as braces: its prose types the number and puts the placeholder in a comment right after it,
`19<!-- {{gradient-descent-race.cross_entropy_steps:.0f}} -->`. The build checks that the typed
number is the value as the placeholder would show it, and fails otherwise; a page must still
show the value through a placeholder. A page that repeats a value another page shows (the FAQ)
types it so too: a second placeholder would hide a hand-typed copy from `unshown_quotes`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from sitebuild.math import replace_formulas

PLACEHOLDER = re.compile(
    r"\{\{\s*(?P<claim>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<name>[A-Za-z0-9_-]+)"
    r"(?::(?P<format>[^{}\s]*))?\s*\}\}"
)
# A number typed in prose with its placeholder in a comment right after it.
TYPED = re.compile(r"(?P<typed>[^\s<>]+)<!--\s*(?P<placeholder>\{\{[^{}]*\}\})\s*-->")
_EXPONENT = re.compile(r"^(?P<mantissa>-?[0-9.]+)e(?P<exponent>[+-][0-9]+)$")


def format_value(value: float, spec: str, in_math: bool) -> str:
    text = format(value, spec or ".3g")
    exponent = _EXPONENT.match(text)
    if exponent:
        mantissa, power = exponent["mantissa"], int(exponent["exponent"])
        if in_math:
            return f"{mantissa} \\times 10^{{{power}}}"
        return f"{mantissa} × 10<sup>{str(power).replace('-', '−')}</sup>"
    if in_math:
        return text
    return text.replace("-", "−")


def fill_quotes(
    page_html: str,
    quoted: Callable[[str], Mapping[str, float] | None],
    execute: bool = True,
    shown: set[tuple[str, str]] | None = None,
) -> tuple[str, list[str]]:
    """The page with every placeholder replaced by its claim's value, and the errors found.

    quoted gives a claim's quoted values (None: no such claim). A build that runs nothing
    (execute false) has no values: placeholders show "?". shown collects the (claim, name)
    pairs the page shows, so that the build can name a quoted value that no page shows: the
    sign of a number typed by hand where the placeholder was. A number typed beside its
    placeholder is checked where it stands, and does not count as showing the value: a page
    that typed a copy where its placeholder was would otherwise go unnoticed.
    """
    errors: list[str] = []

    def fill(match: re.Match, in_math: bool, typed: bool = False) -> str:
        claim_id, name, spec = match["claim"], match["name"], match["format"] or ""
        if shown is not None and not typed:
            shown.add((claim_id, name))
        if not execute:
            return "?"
        values = quoted(claim_id)
        if values is None:
            errors.append(f"{match[0]} quotes claim {claim_id}, which no page makes")
            return match[0]
        if name not in values:
            known = ", ".join(sorted(values)) or "none"
            errors.append(
                f"{match[0]}: claim {claim_id} quotes no value '{name}' (it quotes: {known})"
            )
            return match[0]
        try:
            return format_value(values[name], spec, in_math)
        except ValueError as error:
            errors.append(f"{match[0]}: bad format '{spec}': {error}")
            return match[0]

    def typed(match: re.Match) -> str:
        placeholder = PLACEHOLDER.fullmatch(match["placeholder"])
        if placeholder is None:
            errors.append(f"{match['placeholder']} after {match['typed']} is no placeholder")
            return match[0]
        value = fill(placeholder, False, typed=True)
        if execute and value != placeholder[0] and value != match["typed"]:
            errors.append(
                f"{match['typed']} is typed where {match['placeholder']} is {value}:"
                " type the computed value"
            )
        return match["typed"]

    # A placeholder and the TeX it becomes have no character that HTML escapes.
    filled = replace_formulas(
        page_html,
        lambda formula: PLACEHOLDER.sub(lambda m: fill(m, True), formula.html),
        text=lambda text: PLACEHOLDER.sub(lambda m: fill(m, False), TYPED.sub(typed, text)),
    )
    return filled, errors


def unshown_quotes(
    quoted: Mapping[str, Mapping[str, float]], shown: set[tuple[str, str]]
) -> list[str]:
    """Errors for the values claims quote that no page shows."""
    return [
        f"claim {claim_id} quotes '{name}', which no page shows: write"
        f" {{{{{claim_id}.{name}}}}} where the number belongs, not the number itself"
        for claim_id, values in sorted(quoted.items())
        for name in sorted(values)
        if (claim_id, name) not in shown
    ]
