r"""If the classes are numbered from $0$ to $n - 1$ and a single number $x$ is fitted to the
label with the squared error $\tfrac12(x - y)^2$, the expected loss over labels $y$ drawn from
$p$,
$\mathbb{E}_{y \sim p}\bigl[\tfrac12 (x - y)^2\bigr] = \sum_{i=0}^{n-1} p_i \, \tfrac12 (x - i)^2$,
has derivative $\sum_i p_i (x - i) = x \sum_i p_i - \sum_i i\, p_i = x - \sum_i i\, p_i$ (as
$p$ sums to 1) and is minimised only at the mean label $x = \sum_i i\,p_i$, so that different
targets such as $p = (\tfrac12, 0, \tfrac12)$ and $p = (0, 1, 0)$ give the same prediction
$x = 1$. The symbolic proof is for three classes."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import mse
from sympy.stats import E as expectation
from sympy.stats import FiniteRV

# Symbolic, three classes numbered 0, 1, 2: the derivative of the expected loss
# Σ_i p_i ½(x − i)² is x − Σ_i i p_i on the simplex, and the second derivative is Σ_i p_i = 1 > 0,
# so the expected loss is a parabola in x with its only minimum at the mean label.
n = 3
x = sp.Symbol("x", real=True)
p = sp.symbols(f"p0:{n}", nonnegative=True)
on_simplex = {p[2]: 1 - p[0] - p[1]}
expected_loss = sum(p_i * (x - i) ** 2 / 2 for i, p_i in enumerate(p)).subs(on_simplex)
mean_label = sum(i * p_i for i, p_i in enumerate(p)).subs(on_simplex)
symbolic(sp.diff(expected_loss, x), x - mean_label, what="sympy: d/dx E ½(x − y)² = x − Σ i p_i")
symbolic(sp.diff(expected_loss, x, 2), 1, what="sympy: d²/dx² E ½(x − y)² = 1")

# Optimisation: a grid search over x ∈ [-1, 3] (step 1/1000) with the site's mse finds, for both
# targets, the minimiser x = 1. The grid contains x = 1 exactly and neighbours lose ½·(1e-3)² =
# 5e-7 ≫ rounding, so a tolerance below the step demands the exact grid point.
grid = np.linspace(-1.0, 3.0, 4001)
labels = np.arange(n)
for target in ([0.5, 0.0, 0.5], [0.0, 1.0, 0.0]):
    expected_losses = mse(grid[:, None], labels) @ np.array(target)
    close(
        grid[np.argmin(expected_losses)],
        labels @ np.array(target),
        atol=5e-4,
        kind="optimisation",
        what=f"grid minimiser of E ½(x − y)² for p = {tuple(target)} against Σ i p_i",
    )

# The statement's formulas, read as the expressions checked above.
names = {
    "x": x,
    "y": sp.Symbol("y"),
    r"\sum_i i\,p_i": mean_label,
    "p": sp.Matrix(p).subs(on_simplex),
}
states(r"\tfrac12(x - y)^2", (x - names["y"]) ** 2 / 2, names=names)
states(r"x = \sum_i i\,p_i", None, mean_label, names=names)
for target in ([sp.Rational(1, 2), 0, sp.Rational(1, 2)], [0, 1, 0]):
    tex_target = r"p = (\tfrac12, 0, \tfrac12)" if target[0] else r"p = (0, 1, 0)"
    states(tex_target, None, target, names=names)
    states(r"x = 1", None, mean_label.subs(dict(zip(p, target, strict=True))), names=names)
states(r"n - 1", sp.Integer(labels.max()), names={"n": n})

# The expected loss as sympy.stats computes it for a label Y with P(Y = i) = pᵢ, against the sum
# written out; the derivative's chain, each side against sympy's derivative of that sum.
simplex_p = [p_i.subs(on_simplex) for p_i in p]
label = FiniteRV("Y", dict(enumerate(simplex_p)))
derivative = sp.diff(expected_loss, x)
chain = {
    r"\mathbb{E}_{y \sim p}\bigl[\tfrac12 (x - y)^2\bigr]": expectation((x - label) ** 2 / 2),
    r"\sum_{i=0}^{n-1} p_i \, \tfrac12 (x - i)^2": expected_loss,
    r"\sum_i p_i (x - i)": sum(p_i * (x - i) for i, p_i in enumerate(simplex_p)),
    r"\sum_i p_i": sum(simplex_p),
    r"\sum_i i\, p_i": mean_label,
}
states(
    r"\mathbb{E}_{y \sim p}\bigl[\tfrac12 (x - y)^2\bigr]"
    r" = \sum_{i=0}^{n-1} p_i \, \tfrac12 (x - i)^2",
    expected_loss,
    expected_loss,
    names={**names, **chain},
)
states(
    r"\sum_i p_i (x - i) = x \sum_i p_i - \sum_i i\, p_i = x - \sum_i i\, p_i",
    derivative,
    derivative,
    derivative,
    names={**names, **chain},
)
