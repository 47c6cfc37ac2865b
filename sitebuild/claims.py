"""Claims: the mathematical statements of the site, each a snippet that checks itself.

A claim is a file ``snippets/claims/<id>.py``. Its docstring is the statement (one sentence,
TeX between ``$…$``); its code ends with checks from ``snippets/checks.py``. A page makes the
claim with a fence whose body is the id::

    ```claim
    mse-gradient
    ```

This module runs a claim (`run_claim`: in the build's claims worker, see sandbox.py; pytest
runs the same function on the same files, one test per claim id) and says what its result
means (`ClaimResult`). What a page shows of it, and claims.json, are site_claims.py's.
"""

from __future__ import annotations

import ast
import re
import time
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace

from sitebuild.cache import recording
from sitebuild.timeout import time_limit

CLAIM_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# TeX in a check's description (checks.Check.what), between $…$.
INLINE_TEX = re.compile(r"\$([^$]+)\$")
# A formula that says something: it has an operator or a relation, so a changed sign, operand,
# exponent or relation changes what it says (a bare name such as $p$ or $e_y$ does not).
SAYS_SOMETHING = re.compile(
    r"[-+=<>/^|]|\\(?:[lg]e|ne|approx|cdot|odot|frac|tfrac|sqrt|in|sim|to)(?![a-z])"
)
CLAIM_FENCE = re.compile(r"^(?P<indent>[ \t]*)```claim[ \t]*\n[ \t]*(?P<id>\S+)[ \t]*\n", re.M)


def binding(checks):
    """Of checks, the one closest to (or furthest past) its tolerance; None for no check."""

    def ratio(check) -> float:
        if check.observed == 0:
            return 0.0
        return check.observed / check.tolerance if check.tolerance else float("inf")

    return max(checks, key=lambda c: (not c.passed, ratio(c)), default=None)


@dataclass
class ClaimResult:
    """What running a claim's file measured."""

    id: str
    statement: str
    source: str
    # snippets' checks.Check objects; from the cache, their fields read back as attributes.
    checks: list = field(default_factory=list)
    # Values the claim names with checks.quote, which prose shows as {{claim-id.name:format}}.
    quoted: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    error: str = ""
    # Formulas of the statement that say something (an operator or a relation) and that no
    # statement check (checks.states) ties to the expressions checked.
    untied: list = field(default_factory=list)
    # What the run read (cache.Reads.summary()), which the execution cache keeps beside it.
    reads: dict = field(default_factory=dict, repr=False)

    @property
    def passed(self) -> bool:
        return not self.error and bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def kinds(self) -> list[str]:
        """The kinds of check the claim makes, each once."""
        return sorted({check.kind for check in self.checks})

    @property
    def binding_check(self):
        """The check closest to (or furthest past) its tolerance."""
        return binding(self.checks)

    @property
    def unchanged_by_changes(self) -> list[str]:
        """What still passes when changed (see snippets' checks.py): checks whose expected side
        was moved by a tenth, and formulas of the statement with a sign, digit or operand
        changed (a formula tied several times counts as noticed if one tie notices)."""
        weak = [c.what for c in self.checks if not c.formula and not c.fails_when_changed]
        noticed: dict[str, bool] = {}
        for check in self.checks:
            if check.formula:
                noticed[check.formula] = noticed.get(check.formula, False) or (
                    check.fails_when_changed
                )
        return weak + [
            f"the statement's ${formula}$" for formula, seen in noticed.items() if not seen
        ]

    @property
    def tied(self) -> int:
        """How many distinct formulas of the statement a statement check reads."""
        return len({check.formula for check in self.checks if check.formula})

    def to_entry(self) -> dict:
        """The result as JSON-ready data, for the execution cache."""
        entry = asdict(replace(self, checks=[]))
        entry["checks"] = [dict(vars(check)) for check in self.checks]
        return entry

    @classmethod
    def from_entry(cls, entry: dict) -> ClaimResult:
        # Not checks.Check itself: importing checks imports sympy, which a build whose claims
        # all come from the cache never needs.
        return cls(**{**entry, "checks": [SimpleNamespace(**check) for check in entry["checks"]]})

    def failure(self) -> str:
        """Why the claim does not hold, or "" when it does."""
        if self.error:
            return self.error
        if not self.checks:
            return "the claim makes no check"
        return "; ".join(
            f"{c.kind} check failed ({c.what}): "
            f"observed {c.observed:.3g}, tolerance {c.tolerance:.3g}"
            for c in self.checks
            if not c.passed
        )


def claim_path(snippets_dir: Path, claim_id: str) -> Path:
    return snippets_dir / "claims" / f"{claim_id}.py"


def all_claim_ids(snippets_dir: Path) -> list[str]:
    return sorted(path.stem for path in (snippets_dir / "claims").glob("*.py"))


def statement_of(source: str, claim_id: str) -> str:
    docstring = ast.get_docstring(ast.parse(source))
    if not docstring:
        raise ValueError(f"claim {claim_id} has no docstring stating it")
    return " ".join(docstring.split())


def claim_source(snippets_dir: Path, claim_id: str) -> str:
    """The code of a claim, which must exist under a kebab-case id."""
    if not CLAIM_ID.fullmatch(claim_id):
        raise ValueError(f"claim id {claim_id!r} is not kebab-case")
    path = claim_path(snippets_dir, claim_id)
    if not path.is_file():
        raise FileNotFoundError(f"claim {claim_id}: no file {path}")
    return path.read_text(encoding="utf-8")


def run_claim(snippets_dir: Path, claim_id: str, timeout: float = 60.0) -> ClaimResult:
    """Run one claim's file in a fresh namespace and collect its checks, and what it read."""
    source = claim_source(snippets_dir, claim_id)
    path = claim_path(snippets_dir, claim_id)
    result = ClaimResult(claim_id, statement_of(source, claim_id), source)
    namespace = {"__name__": f"claim_{claim_id.replace('-', '_')}", "__file__": str(path)}
    start = time.perf_counter()
    with recording(snippets_dir) as reads:
        import checks  # from snippets/, which the caller puts on sys.path

        with checks.recording() as recorded, checks.quoting() as quoted:
            try:
                with time_limit(timeout, f"claim {claim_id}"):
                    exec(compile(source, str(path), "exec"), namespace)
            except checks.CheckFailed:
                pass  # recorded, and reported by failure()
            except BaseException:  # SystemExit or KeyboardInterrupt too: the claim fails
                result.error = traceback.format_exc(limit=-3)
    result.seconds = time.perf_counter() - start
    result.checks = list(recorded)
    result.quoted = dict(quoted)
    result.reads = reads.summary()
    for side in compared_with_itself(source):
        result.error = result.error or f"a check compares {side} with itself: it cannot fail"
    formulas = statement_formulas(result.statement)
    tied = {" ".join(check.formula.split()) for check in result.checks if check.formula}
    if not result.error and not tied <= set(formulas):
        result.error = f"states ${'$, $'.join(sorted(tied - set(formulas)))}$, not in the statement"
    result.untied = [f for f in formulas if f not in tied and SAYS_SOMETHING.search(f)]
    return result


def compared_with_itself(source: str) -> list[str]:
    """The sides of checks whose two compared sides are the same code.

    >>> compared_with_itself("symbolic(sp.diff(f, x), sp.diff(f, x)); close(a, b, atol=1)")
    ['sp.diff(f, x)']
    """
    return [
        ast.unparse(node.args[0])
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in ("symbolic", "close", "statistical")
        and len(node.args) >= 2
        and ast.dump(node.args[0]) == ast.dump(node.args[1])
    ]


def formula_of(results: dict, reference: str, *, checked: bool = True) -> str:
    """Formula n of a claim's statement ("<id> <n>", counting from 1), which a statement
    check must read (when the claims ran): what another page shows of a claim was checked."""
    claim_id, _, number = reference.partition(" ")
    if claim_id not in results:
        raise ValueError(f"no page makes claim {claim_id}")
    formulas = statement_formulas(results[claim_id].statement)
    if not number.isdigit() or not 1 <= int(number) <= len(formulas):
        raise ValueError(f"give a formula number from 1 to {len(formulas)} after {claim_id}")
    formula = formulas[int(number) - 1]
    if checked and formula not in {" ".join(c.formula.split()) for c in results[claim_id].checks}:
        raise ValueError(f"no statement check of {claim_id} reads ${formula}$")
    return formula


def statement_formulas(statement: str) -> list[str]:
    """The statement's formulas (its $…$), each once, in order."""
    return list(dict.fromkeys(" ".join(f.split()) for f in INLINE_TEX.findall(statement)))


def claims_on_pages(docs_dir: Path) -> dict[str, list[str]]:
    """Claim id -> the Markdown pages (relative to docs/) that make it."""
    pages: dict[str, list[str]] = {}
    for page in sorted(docs_dir.rglob("*.md")):
        for match in CLAIM_FENCE.finditer(page.read_text(encoding="utf-8")):
            pages.setdefault(match["id"], []).append(page.relative_to(docs_dir).as_posix())
    return pages
