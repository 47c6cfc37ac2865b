"""A figure's caption states what its script asserts: a script changed to show something else
fails, naming the caption's sentence (the planted-error row "a figure script changed so that it
shows something else, caption unchanged")."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

SNIPPETS = ROOT / "snippets"


def run_script(source: str) -> subprocess.CompletedProcess:
    """Run a figure script's source as the page's block runs it (snippets/ on the path)."""
    return subprocess.run(
        [sys.executable, "-c", source],
        cwd=SNIPPETS,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(SNIPPETS), "MPLBACKEND": "Agg"},
    )


# (script, what is planted, the text replaced, its replacement, the sentence that must fail)
PLANTED = [
    (
        "regression/alternatives.py",
        "derivative of ½d² doubled",
        '(r"$\\frac{1}{2}d^2$", d**2 / 2, d),',
        '(r"$\\frac{1}{2}d^2$", d**2 / 2, 2 * d),',
        "has the straight line $d$ as derivative",
    ),
    (
        "regression/alternatives.py",
        "quartic's derivative made linear",
        '(r"$d^4$", d**4, 4 * d**3),',
        '(r"$d^4$", d**4, 4 * d),',
        "$d^4$ barely corrects small errors",
    ),
    (
        "regression/alternatives.py",
        "sine loss's derivative made one-signed",
        "np.sin(2 * d) + np.pi * np.sin(2 * np.pi * d),",
        "np.sign(d) * np.abs(np.sin(2 * d) + np.pi * np.sin(2 * np.pi * d)),",
        "changes sign away from $0$",
    ),
    (
        "regression/alternatives.py",
        "a loss that is not zero at d = 0",
        '(r"$|d|$", np.abs(d),',
        '(r"$|d|$", np.abs(d) + 0.1,',
        "each zero only at $d = 0$",
    ),
]


PLANTED += [
    (
        "classification/softmax_residual.py",
        "bars of q + p drawn as the gradient",
        "residual = cross_entropy_grad(p, z)",
        "residual = q + p",
        "the gradient of the cross entropy, q - p,",
    ),
    (
        "classification/softmax_residual.py",
        "Jacobian with p in place of q",
        "jacobian = np.diag(q) - np.outer(q, q)",
        "jacobian = np.diag(q) - np.outer(q, p)",
        "which is also the Hessian of the loss",
    ),
    (
        "classification/softmax_residual.py",
        "prediction drawn at other logits",
        "q = softmax(z)",
        "q = softmax(2 * z)",
        "the gradient of the cross entropy, q - p,",
    ),
]

PLANTED += [
    (
        "beyond/numerics_clipping.py",
        "clipped at ten times ε",
        "np.where(q_y > epsilon, true_size, 0.0)",
        "np.where(q_y > 10 * epsilon, true_size, 0.0)",
        "drops to exactly 0 once",
    ),
    (
        "beyond/numerics_clipping.py",
        "smoothed gradient drawn as the true one",
        "smoothed_size = q_y / (q_y + epsilon) * true_size",
        "smoothed_size = true_size",
        "fades to 0 there",
    ),
    (
        "beyond/numerics_clipping.py",
        "true gradient drawn for the wrong class",
        "true_size = np.linalg.norm(cross_entropy_grad(one_hot, logits), axis=1)",
        "true_size = np.linalg.norm(cross_entropy_grad(one_hot[:, ::-1], logits), axis=1)",
        "is largest for confident mistakes",
    ),
]


def test_the_unchanged_scripts_pass():
    for script in sorted({planted[0] for planted in PLANTED}):
        result = run_script((SNIPPETS / script).read_text())
        assert result.returncode == 0, result.stderr
        assert "<figcaption" in result.stdout


@pytest.mark.parametrize(
    ("script", "planted", "old", "new", "sentence"), PLANTED, ids=[p[1] for p in PLANTED]
)
def test_a_changed_figure_fails_its_caption(script, planted, old, new, sentence):
    source = (SNIPPETS / script).read_text()
    assert source.count(old) == 1, f"{script} no longer contains {old!r}"
    result = run_script(source.replace(old, new))
    assert result.returncode != 0, f"{script} with {planted} still passed"
    assert "CaptionNotShown" in result.stderr, result.stderr
    assert sentence in result.stderr, result.stderr
