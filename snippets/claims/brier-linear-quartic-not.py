r"""With a soft target $p$, the Brier loss $\lVert q - p \rVert^2$ has the same gradient in $q$ as
its expectation over sampled labels, $\mathbb{E}_{y \sim p} \lVert q - e_y \rVert^2$, namely
$2(q - p)$, but the quartic loss $\sum_i (q_i - p_i)^4$ does not: its expectation is
$\mathbb{E}_{y \sim p} \sum_i \bigl(q_i - (e_y)_i\bigr)^4
= \sum_i \Bigl[ p_i (q_i - 1)^4 + (1 - p_i)\, q_i^4 \Bigr]$, and its gradient under sampled
labels exceeds $4(q_i - p_i)^3$ by $4 p_i (1 - p_i)(3 q_i - 1 - p_i)$, so with
sampled labels its expected loss is in general not minimised at $q = p$: only where all
$p_i (1 - p_i)(2 p_i - 1)$ are equal, as at uniform or one-hot $p$ (three classes checked)."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, quote, states, symbolic

# Symbolic, three classes, p on the simplex, q unconstrained: gradients in q of the soft-target
# loss and of the expected loss over labels y ~ p, Σ_y p_y L(e_y, q).
n = 3
p1, p2 = sp.symbols("p1 p2", nonnegative=True)
p = sp.Matrix([p1, p2, 1 - p1 - p2])  # on the simplex
q = sp.Matrix(sp.symbols(f"q1:{n + 1}", real=True))
one_hot = sp.eye(n)


def brier(target):
    return sum((q[i] - target[i]) ** 2 for i in range(n))


def quartic(target):
    return sum((q[i] - target[i]) ** 4 for i in range(n))


def gradient(loss):
    # Expanded polynomials: sympy then compares them term by term, fast.
    return [sp.expand(sp.diff(loss, q_i)) for q_i in q]


def expected(loss):
    return sum(p[y] * loss(one_hot.col(y)) for y in range(n))


symbolic(
    gradient(expected(brier)),
    gradient(brier(p)),
    what="sympy, 3 classes: ∇_q E‖q − e_y‖² = ∇_q ‖q − p‖²",
)
symbolic(
    gradient(brier(p)),
    [sp.expand(2 * (q_i - p_i)) for q_i, p_i in zip(q, p, strict=True)],
    what="sympy: ∇_q ‖q − p‖² = 2(q − p)",
)
excess = [e - s for e, s in zip(gradient(expected(quartic)), gradient(quartic(p)), strict=True)]
symbolic(
    excess,
    [sp.expand(4 * p_i * (1 - p_i) * (3 * q_i - 1 - p_i)) for q_i, p_i in zip(q, p, strict=True)],
    what="sympy, 3 classes: ∇_q E Σ(qᵢ − e_yᵢ)⁴ − ∇_q Σ(qᵢ − pᵢ)⁴ = 4pᵢ(1 − pᵢ)(3qᵢ − 1 − pᵢ)",
)

# Numeric and optimisation, at two generic targets and at the uniform one. At q = p the soft-target
# gradient is 0, so the expected quartic loss has gradient g = 4p(1 − p)(2p − 1) there (the gap
# above); on the simplex q = p is stationary only if all gᵢ are equal, as at uniform p.
labels = np.eye(n)
steps = 200
i, j = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
inside = i + j <= steps
grid = np.stack([i[inside], j[inside], steps - i[inside] - j[inside]], axis=-1) / steps


def bisect(increasing, low, high, iterations=40):
    """The root of an increasing function between low and high (arrays allowed)."""
    for _ in range(iterations):
        middle = (low + high) / 2
        below = increasing(middle) < 0
        low, high = np.where(below, middle, low), np.where(below, high, middle)
    return (low + high) / 2


for name, target in [
    ("p = (0.6, 0.3, 0.1)", np.array([0.6, 0.3, 0.1])),
    ("p = (0.2, 0.5, 0.3)", np.array([0.2, 0.5, 0.3])),
    ("uniform p", np.full(n, 1 / n)),
]:

    def expected_quartic(q_values, target=target):
        """Σ_y p_y Σᵢ (qᵢ − e_yᵢ)⁴ for q along the last axis."""
        return np.sum((q_values[..., None, :] - labels) ** 4, axis=-1) @ target

    def coordinate_gradient(q_values, target=target):
        """∂/∂qᵢ of the expected quartic loss: 4pᵢ(qᵢ − 1)³ + 4(1 − pᵢ)qᵢ³."""
        return 4 * target * (q_values - 1) ** 3 + 4 * (1 - target) * q_values**3

    gap_at_p = 4 * target * (1 - target) * (2 * target - 1)

    # Moving mass from class 1 to class 2, along e₂ − e₁, changes the loss at rate g₂ − g₁.
    # Central differences of a quartic with h = 1e-6 err by ≈ ε/h ≈ 1e-10; 1e-8 leaves room.
    direction = np.array([-1.0, 1.0, 0.0])
    close(
        numerical_gradient(expected_quartic, target) @ direction,
        gap_at_p @ direction,
        atol=1e-8,
        what=f"{name}: finite-difference slope of the expected quartic loss at q = p along e₂ − e₁",
    )

    # The minimiser, independently: each coordinate of the gradient increases in qᵢ, so the
    # Lagrange condition (gradient = (c, c, c)) is solved by bisection for qᵢ(c) and for c with
    # Σ qᵢ(c) = 1. The loss is convex, so the grid minimiser lies within a grid step or two of it.
    def q_of(c, coordinate_gradient=coordinate_gradient):
        return bisect(lambda q_values: coordinate_gradient(q_values) - c, np.zeros(n), np.ones(n))

    lagrange_minimiser = q_of(bisect(lambda c, q_of=q_of: q_of(c).sum() - 1, -4.0, 4.0))
    if name == "p = (0.6, 0.3, 0.1)":  # the page's example quotes g, its slope and the minimiser
        for i_class, (gap, minimiser) in enumerate(
            zip(gap_at_p, lagrange_minimiser, strict=True), start=1
        ):
            quote(f"g{i_class}", gap)
            quote(f"minimiser{i_class}", minimiser)
        quote("slope", gap_at_p @ direction)
    close(
        grid[np.argmin(expected_quartic(grid))],
        lagrange_minimiser,
        atol=2 / steps,
        kind="optimisation",
        what=f"{name}: grid minimiser of the expected quartic loss against the Lagrange solution",
    )

    # Where the minimiser is, predicted from g alone: one Newton step from q = p within the
    # simplex, q = p − H⁻¹(g − λ), with H the (diagonal) Hessian at p and λ making the step sum to
    # 0. The step has length 0.17 and 0.11 at the generic targets and is 0 at the uniform one; the
    # quartic's curvature changes along it, so it lands within 0.003 of the minimiser: tolerance
    # 0.01, far below the step, so a minimiser at q = p for a generic target would fail.
    hessian_at_p = 12 * target * (target - 1) ** 2 + 12 * (1 - target) * target**2
    multiplier = np.sum(gap_at_p / hessian_at_p) / np.sum(1 / hessian_at_p)
    close(
        lagrange_minimiser,
        target - (gap_at_p - multiplier) / hessian_at_p,
        atol=0.01,
        kind="optimisation",
        what=f"{name}: minimiser of the expected quartic loss against one Newton step from q = p",
    )

# The statement's formulas, read as the expressions checked above; the per-class ones for each
# class i, and the gap at q = p as sympy's excess there, divided by the common factor 4.
names = {
    "q": q,
    "p": p,
    r"\mathbb{E}_{y \sim p} \lVert q - e_y \rVert^2": expected(brier),
    r"\sum_i (q_i - p_i)^4": quartic(p),
}
states(r"\lVert q - p \rVert^2", brier(p), names=names)
states(r"\mathbb{E}_{y \sim p} \lVert q - e_y \rVert^2", expected(brier), names=names)
states(r"2(q - p)", gradient(brier(p)), names=names)
states(r"\sum_i (q_i - p_i)^4", quartic(p), names=names)
at_target = dict(zip(q, p, strict=True))
for i_class in range(n):
    entry = {"q_i": q[i_class], "p_i": p[i_class]}
    states(r"4(q_i - p_i)^3", gradient(quartic(p))[i_class], names=entry)
    states(r"4 p_i (1 - p_i)(3 q_i - 1 - p_i)", excess[i_class], names=entry)
    states(r"p_i (1 - p_i)(2 p_i - 1)", excess[i_class].subs(at_target) / 4, names=entry)
states(r"q = p", None, sp.Matrix(q).subs(at_target), names={"q": q, "p": p})
names[r"\mathbb{E}_{y \sim p} \sum_i \bigl(q_i - (e_y)_i\bigr)^4"] = expected(quartic)
names[r"\sum_i \Bigl[ p_i (q_i - 1)^4 + (1 - p_i)\, q_i^4 \Bigr]"] = sum(
    p[i] * (q[i] - 1) ** 4 + (1 - p[i]) * q[i] ** 4 for i in range(n)
)
states(
    r"\mathbb{E}_{y \sim p} \sum_i \bigl(q_i - (e_y)_i\bigr)^4"
    r" = \sum_i \Bigl[ p_i (q_i - 1)^4 + (1 - p_i)\, q_i^4 \Bigr]",
    expected(quartic),
    expected(quartic),
    names=names,
)
