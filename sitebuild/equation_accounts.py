"""Every display equation of a page accounted for: checked, a definition, or reported unchecked.

A page says what each display formula ($$…$$) is with a marker on the line before it:

- `<!-- derivation; real: x y; positive: alpha -->`: a chain `a = b = c` that derivations.py
  verifies step by step under the stated domains (see derivations.Assumptions);
- `<!-- claim: mse-gradient -->`: the formula is the statement of a claim made on the page:
  its TeX (up to notation, see derivations.notation_free) is a formula of the claim's
  statement, which the claim's checks check; formulas side by side (`a = b, \\qquad c = d`)
  must each be one. A notebook makes no claims (it has no fences): its
  marker may name a claim that a page makes, and the notebook links to it;
- `<!-- definition -->` or `<!-- notation -->`: it introduces a name or a way of writing,
  and asserts nothing that could be checked.

A formula without a marker is unchecked. A page that is not listed as pending
(`equations_pending` in mkdocs.yml) fails the build on an unchecked formula, and a pending page
with none left fails it too, until it leaves the list (`page_errors`); every page's counts are
reported, and the build writes them to equations.json (`write_accounts`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sitebuild.cache import ExecutionCache
from sitebuild.claims import CLAIM_FENCE, statement_formulas
from sitebuild.config import log
from sitebuild.derivations import (
    SIDE_BY_SIDE,
    Assumptions,
    DerivationError,
    check_chain,
    notation_free,
)

# A fenced code block (its $$ are code, not math).
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
_DISPLAY = re.compile(r"\$\$(.*?)\$\$", re.DOTALL)
_MARKER = re.compile(
    r"^[ \t]*<!--[ \t]*(?P<kind>derivation|claim|definition|notation)\b(?P<rest>.*?)-->[ \t]*\n",
    re.MULTILINE | re.DOTALL,
)
CHECKED_KINDS = ("derivation", "claim")


@dataclass
class EquationAccount:
    number: int  # in page order, from 1
    tex: str
    kind: str  # derivation, claim, definition, notation or unchecked
    detail: str = ""

    @property
    def short(self) -> str:
        tex = " ".join(self.tex.split())
        return tex if len(tex) <= 70 else tex[:67] + "…"


@dataclass
class PageAccount:
    equations: list[EquationAccount] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # false or unreadable, whatever the page

    def count(self, *kinds: str) -> int:
        return sum(equation.kind in kinds for equation in self.equations)

    def summary(self) -> str:
        return (
            f"{len(self.equations)} display equations: {self.count(*CHECKED_KINDS)} checked"
            f" ({self.count('derivation')} derivations, {self.count('claim')} claims),"
            f" {self.count('definition', 'notation')} definitions or notation,"
            f" {self.count('unchecked')} unchecked"
        )

    def unchecked_errors(self) -> list[str]:
        return [
            f"equation {equation.number} ({equation.short}) is unchecked: mark it as a"
            " derivation, a claim's statement, a definition or notation (see"
            " sitebuild/equation_accounts.py)"
            for equation in self.equations
            if equation.kind == "unchecked"
        ]

    def page_errors(self, pending: bool) -> list[str]:
        """What fails the build: false or unreadable equations, and unchecked ones unless the
        page is pending; a pending page without unchecked ones must leave the list."""
        if not pending:
            return self.errors + self.unchecked_errors()
        if not self.count("unchecked"):
            return [
                *self.errors,
                "every display equation is accounted for: remove the page from"
                " equations_pending (mkdocs.yml)",
            ]
        return self.errors

    def record(self) -> dict:
        return {
            "checked": self.count(*CHECKED_KINDS),
            "definitions": self.count("definition", "notation"),
            "unchecked": self.count("unchecked"),
            "equations": [
                {"number": e.number, "kind": e.kind, "tex": e.tex, "detail": e.detail}
                for e in self.equations
            ],
        }


def notebook_markdown(source: str) -> str:
    """A notebook's Markdown cells, in order: where its display equations and markers are (its
    JSON quotes every line, so that a marker would never start one).

    >>> cell = {"cell_type": "markdown", "source": ["<!-- definition -->\\n", "$$\\nx = 1\\n$$"]}
    >>> code = {"cell_type": "code", "source": "$$"}
    >>> print(notebook_markdown(json.dumps({"cells": [cell, code]})))
    <!-- definition -->
    $$
    x = 1
    $$
    """
    cells = json.loads(source).get("cells", [])
    return "\n\n".join(
        "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for cell in cells
        if cell.get("cell_type") == "markdown"
    )


def account_equations(
    markdown: str,
    src_uri: str,
    statement_of: Callable[[str], str | None],
    pending: bool,
    cache: ExecutionCache,
) -> tuple[str, PageAccount]:
    """Check a page's display equations, derivations through the cache (`cached_verifier`);
    log what fails the build (`page_errors`) and the page's counts. Returns the page's
    Markdown without its markers (a notebook's is left as it is: its source is JSON), and its
    account."""
    notebook = src_uri.endswith(".ipynb")
    read = notebook_markdown(markdown) if notebook else markdown
    # None: a notebook, whose markers may name any claim (the build fails on a claim that no
    # page makes).
    claims_made = None if notebook else {match["id"] for match in CLAIM_FENCE.finditer(read)}
    verify = cached_verifier(cache)
    accounted, account = account_page(read, statement_of, claims_made, verify)
    for error in account.page_errors(pending):
        log.error(f"{src_uri}: {error}")
    if account.equations:
        log.info(f"{src_uri}: {account.summary()}")
    return (markdown if notebook else accounted), account


def account_page(
    markdown: str,
    statement_of: Callable[[str], str | None],
    claims_made: set[str] | None,
    verify: Callable[[str, str], str] | None = None,
) -> tuple[str, PageAccount]:
    """The page's Markdown without its markers, and what each display formula is.

    statement_of gives a claim's statement (None for no such claim); claims_made are the ids
    of the claims the page makes (None for a notebook: any claim); verify checks a derivation
    (verify_derivation, or a cached form of it).
    """
    verify = verify or verify_derivation
    account = PageAccount()
    code = [match.span() for match in _FENCE.finditer(markdown)]

    def in_code(position: int) -> bool:
        return any(start <= position < end for start, end in code)

    markers = {}
    for marker in _MARKER.finditer(markdown):
        if not in_code(marker.start()):
            markers[marker.end()] = marker
    for number, formula in enumerate(
        (f for f in _DISPLAY.finditer(markdown) if not in_code(f.start())), start=1
    ):
        line_start = markdown.rfind("\n", 0, formula.start()) + 1
        marker = markers.pop(line_start, None)
        tex = formula[1].strip()
        equation = EquationAccount(number, tex, "unchecked")
        if marker is not None:
            equation.kind = marker["kind"]
            try:
                equation.detail = _check(marker, tex, statement_of, claims_made, verify)
            except DerivationError as error:
                account.errors.append(f"equation {number} ({equation.short}): {error}")
                equation.kind, equation.detail = "unchecked", f"FAILED: {error}"
        account.equations.append(equation)
    for marker in markers.values():
        account.errors.append(
            f"the marker '{marker[0].strip()}' is not on the line before a display formula ($$)"
        )
    return _MARKER.sub(lambda m: "" if not in_code(m.start()) else m[0], markdown), account


def verify_derivation(tex: str, assumptions: str) -> str:
    """Verify a derivation under the marker's assumptions; what was checked, for the report.

    Reads nothing but its arguments (the random points are seeded), so its result can be
    cached on them.
    """
    derivation = check_chain(tex, Assumptions.parse(assumptions))
    numeric_only = sum(not step.symbolic for step in derivation.steps)
    detail = f"{len(derivation.steps)} steps verified by sympy and at random points"
    if numeric_only:
        detail += f" ({numeric_only} inequalities at random points only)"
    for step in derivation.steps:
        if step.sizes:
            detail += f" (a step about sums checked by sympy for {step.sizes})"
    return f"{detail}; {assumptions.strip()}"


def cached_verifier(cache: ExecutionCache) -> Callable[[str, str], str]:
    """verify_derivation through the execution cache: a derivation takes seconds of sympy,
    and `mkdocs serve` would repeat it on every save. Failures are not stored."""

    def verify(tex: str, assumptions: str) -> str:
        entry = cache.computed(
            "derivation",
            json.dumps([tex, assumptions]),
            lambda: {"detail": verify_derivation(tex, assumptions)},
            uses=("sympy", "antlr4-python3-runtime"),
        )
        return entry["detail"]

    return verify


def _check(marker: re.Match, tex: str, statement_of, claims_made: set[str] | None, verify) -> str:
    """Check a marked formula; return what was checked, or raise DerivationError."""
    kind, rest = marker["kind"], marker["rest"].strip()
    if kind in ("definition", "notation"):
        if rest:
            raise DerivationError(f"a {kind} marker takes nothing after its kind (found '{rest}')")
        return ""
    if kind == "derivation":
        return verify(tex, rest.removeprefix(";"))
    claim_id = rest.removeprefix(":").strip()
    if claims_made is not None and claim_id not in claims_made:
        raise DerivationError(f"claim {claim_id} is not made on this page (no ```claim fence)")
    statement = statement_of(claim_id)
    if statement is None:
        raise DerivationError(f"there is no claim {claim_id}")
    formulas = [notation_free(formula) for formula in statement_formulas(statement)]
    for shown in map(notation_free, SIDE_BY_SIDE.split(tex)):
        if shown not in formulas:
            raise DerivationError(
                f"the formula {shown} is not in the statement of claim {claim_id}: the page"
                " must show a formula the claim states (up to spacing and punctuation)"
            )
    return f"the statement of claim {claim_id}"


def write_accounts(path: Path, accounts: Mapping[str, PageAccount]) -> None:
    """equations.json: the pages that have display equations, by source path."""
    records = {
        src: account.record() for src, account in sorted(accounts.items()) if account.equations
    }
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", "utf-8")
