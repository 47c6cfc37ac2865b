"""The planted-error table of issue 15, rerun: each error is planted in a copy of snippets/ and
must fail the claim that catches it, the way the build runs claims (sitebuild.claims.run_claim).

Rows: a formula changed in a claim's statement; a check weakened; a bug in the reference losses.
test_failures.py shows that a failing claim fails the build and names its page.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

import pytest

from sitebuild.claims import run_claim
from tests.conftest import ROOT, add_page, assert_fails, build
from tools.project_copy import NOT_COPIED

# What the claims import from snippets/: a copy's files replace them while its claim runs.
SNIPPET_MODULES = ("checks", "tex", "losses")

# A formula of a statement changed as the reader would see it: a sign, an operand, an exponent,
# a relation. (claim, the formula as the statement has it, the changed formula)
STATEMENT_CHANGES = [
    (
        "mse-gradient",
        r"\frac{d}{dx}\,\tfrac12(x - y)^2 = x - y",
        r"\frac{d}{dx}\,\tfrac12(x - y)^2 = y - x",
    ),
    ("ce-logit-gradient", r"\nabla_z H = q - p", r"\nabla_z H = p - q"),
    (
        "sigmoid-mse-gradient",
        r"\tfrac12\big(\sigma(z) - t\big)^2",
        r"\tfrac12\big(\sigma(z) - t\big)^3",
    ),
    (
        "sigmoid-mse-gradient",
        r"\sigma'(z) = \tfrac14 - \big(\sigma(z) - \tfrac12\big)^2 \le \tfrac14",
        r"\sigma'(z) = \tfrac14 - \big(\sigma(z) - \tfrac12\big)^2 \ge \tfrac14",
    ),
    ("bce-logit-form", r"\operatorname{softplus}(z) - t z", r"\operatorname{softplus}(z) + t z"),
    ("bce-logit-gradient", r"(q - t)/\big(q(1 - q)\big)", r"(t - q)/\big(q(1 - q)\big)"),
    (
        "temperature-gradient",
        r"q = \operatorname{softmax}(z/T)",
        r"q = \operatorname{softmax}(z/T^2)",
    ),
    (
        "softmax-jacobian",
        r"J = \partial q / \partial z = \operatorname{diag}(q) - q q^\top",
        r"J = \partial q / \partial z = \operatorname{diag}(q) + q q^\top",
    ),
    (
        "lse-gradient-is-softmax",
        r"\operatorname{LSE}(z) = \log \sum_j e^{z_j}",
        r"\operatorname{LSE}(z) = \log \sum_j e^{-z_j}",
    ),
    ("mse-gaussian-nll", r"(x - y)/\sigma^2", r"(x - y)/\sigma"),
    (
        "ce-logit-form",
        r"H(p, \operatorname{softmax} z) = -p \cdot z + \operatorname{LSE}(z)",
        r"H(p, \operatorname{softmax} z) = p \cdot z + \operatorname{LSE}(z)",
    ),
    (
        "softmax-shift-invariance",
        r"\operatorname{softmax}(z + c\mathbf{1}) = \operatorname{softmax}(z)",
        r"\operatorname{softmax}(z + c\mathbf{1}) = \operatorname{softmax}(-z)",
    ),
]

# A check made unable to fail: compared with itself, a tolerance far above what it needs, fewer
# samples. (claim, code, weakened code)
CHECK_WEAKENINGS = [
    ("mse-gradient", "atol=1e-8", "atol=1e9"),
    (
        "softmax-shift-invariance",
        '    rtol=1e-9,\n    what="softmax(z + c1)',
        '    rtol=0.5,\n    what="softmax(z + c1)',
    ),
    (
        "mse-gradient",
        "symbolic(sp.diff(loss, x), gradient,",
        "symbolic(sp.diff(loss, x), sp.diff(loss, x),",
    ),
    (
        "ce-logit-gradient",
        "    finite_differences,\n    softmax(logits) - targets,",
        "    finite_differences,\n    finite_differences,",
    ),
    ("sampled-label-unbiased", "size=20_000", "size=20"),
]

# Bugs in the reference implementation. (claim that catches it, code, buggy code)
LOSS_BUGS = [
    ("mse-gradient", "    return x - y\n", "    return y - x\n"),
    ("mse-gradient", "return 0.5 * (x - y) ** 2", "return (x - y) ** 2"),
    ("ce-logit-gradient", "keepdims=True) * softmax(z) - p", "keepdims=True) * softmax(z) + p"),
    ("log-softmax-is-stable", "        return z - m, m\n", "        return z, 0 * m\n"),
    (
        "ce-logit-gradient",
        "np.exp(shifted).sum(axis=-1, keepdims=True)",
        "np.exp(shifted).sum(axis=0, keepdims=True)",
    ),
]


def plant(tmp_path: Path, path: str, *changes: tuple[str, str]) -> Path:
    """A copy of snippets/ with texts of one file changed; each must occur exactly once."""
    copy = tmp_path / "snippets"
    shutil.copytree(ROOT / "snippets", copy, ignore=NOT_COPIED)
    source = (copy / path).read_text("utf-8")
    for text, changed in changes:
        assert source.count(text) == 1, f"{path}: {text!r} occurs {source.count(text)} times"
        source = source.replace(text, changed)
    (copy / path).write_text(source, "utf-8")
    return copy


@contextlib.contextmanager
def snippets_from(copy: Path):
    """Claims run in this process import the copy's checks, tex and losses, then ours again."""
    saved = {name: sys.modules.pop(name) for name in SNIPPET_MODULES if name in sys.modules}
    sys.path.insert(0, str(copy))
    try:
        yield
    finally:
        sys.path.remove(str(copy))
        for name in SNIPPET_MODULES:
            sys.modules.pop(name, None)
        sys.modules.update(saved)


def run_planted(tmp_path: Path, claim_id: str, path: str, *changes: tuple[str, str]):
    copy = plant(tmp_path, path, *changes)
    with snippets_from(copy):
        return run_claim(copy, claim_id)


@pytest.mark.parametrize(("claim_id", "formula", "changed"), STATEMENT_CHANGES)
def test_changed_statement_fails_its_claim(tmp_path, claim_id, formula, changed):
    """The statement alone changed: it no longer has the formula its statement check reads."""
    change = (f"${formula}$", f"${changed}$")
    result = run_planted(tmp_path, claim_id, f"claims/{claim_id}.py", change)
    assert not result.passed, f"claim {claim_id} holds with ${changed}$ in its statement"
    assert f"${formula}$, not in the statement" in result.failure(), result.failure()


@pytest.mark.parametrize(("claim_id", "formula", "changed"), STATEMENT_CHANGES)
def test_changed_statement_and_reading_fail_the_claim(tmp_path, claim_id, formula, changed):
    """The statement and its statement check changed alike: the reading itself must fail."""
    changes = [(f"${formula}$", f"${changed}$"), (f'"{formula}"', f'"{changed}"')]
    result = run_planted(tmp_path, claim_id, f"claims/{claim_id}.py", *changes)
    assert not result.passed, f"claim {claim_id} holds with ${changed}$ in its statement"
    assert (
        f"statement check failed (the statement's formula is the expression checked: ${changed}$)"
        in result.failure()
    ), result.failure()


@pytest.mark.parametrize(("claim_id", "text", "changed"), CHECK_WEAKENINGS)
def test_weakened_check_is_found(tmp_path, claim_id, text, changed):
    result = run_planted(tmp_path, claim_id, f"claims/{claim_id}.py", (text, changed))
    # Either the claim fails outright (a side compared with itself), or the self-test of
    # test_claims.test_every_check_fails_when_changed reports it.
    assert not result.passed or result.unchanged_by_changes, (
        f"claim {claim_id} with {changed!r} passes and every check still fails when changed"
    )


@pytest.mark.parametrize(("claim_id", "text", "changed"), LOSS_BUGS)
def test_bug_in_the_reference_losses_fails_a_claim(tmp_path, claim_id, text, changed):
    result = run_planted(tmp_path, claim_id, "losses.py", (text, changed))
    assert not result.passed, f"claim {claim_id} holds with {changed!r} in losses.py"


def test_changed_statement_fails_the_build(tiny_project, tmp_path):
    """The headline case of issue 15: ∇_z H = p − q in a statement fails the build, by name."""
    source = (ROOT / "snippets" / "claims" / "ce-logit-gradient.py").read_text()
    claim = tiny_project / "snippets" / "claims" / "ce-logit-gradient.py"
    claim.write_text(source.replace(r"\nabla_z H = q - p", r"\nabla_z H = p - q"))
    add_page(tiny_project, "fault.md", "# Fault\n\n```claim\nce-logit-gradient\n```\n")
    assert_fails(
        build(tiny_project, tmp_path / "site"),
        "claim ce-logit-gradient fails",
        "statement check failed (the statement's formula is the expression checked:"
        r" $\nabla_z H = p - q$)",
    )
