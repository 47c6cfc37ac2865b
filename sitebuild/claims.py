"""Claims: the mathematical statements of the site, each a snippet that checks itself.

A claim is a file ``snippets/claims/<id>.py``. Its docstring is the statement (one sentence,
TeX between ``$…$``); its code ends with checks from ``snippets/checks.py``. A page makes the
claim with a fence whose body is the id::

    ```claim
    mse-gradient
    ```

The build runs the claim there and shows the statement, the code and what the checks measured.
pytest runs the same function on the same files, one test per claim id.
"""

from __future__ import annotations

import ast
import html
import re
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sitebuild.timeout import time_limit

CLAIM_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# TeX in a check's description (checks.Check.what), between $…$.
_INLINE_TEX = re.compile(r"\$([^$]+)\$")
CLAIM_FENCE = re.compile(r"^(?P<indent>[ \t]*)```claim[ \t]*\n[ \t]*(?P<id>\S+)[ \t]*\n", re.M)


@dataclass(frozen=True)
class CheckRecord:
    """A check as the cache keeps it: the fields of snippets' checks.Check, without importing
    checks (and sympy with it) when every claim comes from the cache."""

    kind: str
    what: str
    observed: float
    tolerance: float
    passed: bool


@dataclass
class ClaimResult:
    """What running a claim's file measured."""

    id: str
    statement: str
    source: str
    checks: list = field(default_factory=list)
    # Values the claim names with checks.quote, which prose shows as {{claim-id.name:format}}.
    quoted: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    error: str = ""

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

        def ratio(check) -> float:
            if check.observed == 0:
                return 0.0
            return check.observed / check.tolerance if check.tolerance else float("inf")

        return max(self.checks, key=lambda c: (not c.passed, ratio(c)), default=None)

    def to_entry(self) -> dict:
        """The result as JSON-ready data, for the execution cache."""
        return asdict(self)  # checks included, as dicts

    @classmethod
    def from_entry(cls, entry: dict) -> ClaimResult:
        return cls(**{**entry, "checks": [CheckRecord(**check) for check in entry["checks"]]})

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


def what_html(what: str) -> str:
    r"""A check's description as HTML, its $…$ as arithmatex's markup, which the build renders.

    >>> print(what_html(r"sympy: $\sum_j e^{z_j}$ > 0"))
    sympy: <span class="arithmatex">\(\sum_j e^{z_j}\)</span> &gt; 0
    """
    parts = _INLINE_TEX.split(what)  # text and TeX alternate
    return "".join(
        f'<span class="arithmatex">\\({html.escape(part)}\\)</span>'
        if index % 2
        else html.escape(part)
        for index, part in enumerate(parts)
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
    """Run one claim's file in a fresh namespace and collect its checks."""
    import checks  # from snippets/, which the caller puts on sys.path

    source = claim_source(snippets_dir, claim_id)
    path = claim_path(snippets_dir, claim_id)
    result = ClaimResult(claim_id, statement_of(source, claim_id), source)
    namespace = {"__name__": f"claim_{claim_id.replace('-', '_')}", "__file__": str(path)}
    start = time.perf_counter()
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
    return result


def claims_on_pages(docs_dir: Path) -> dict[str, list[str]]:
    """Claim id -> the Markdown pages (relative to docs/) that make it."""
    pages: dict[str, list[str]] = {}
    for page in sorted(docs_dir.rglob("*.md")):
        for match in CLAIM_FENCE.finditer(page.read_text(encoding="utf-8")):
            pages.setdefault(match["id"], []).append(page.relative_to(docs_dir).as_posix())
    return pages
