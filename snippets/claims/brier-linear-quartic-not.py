r"""With a soft target $p$, the Brier loss $\lVert q - p \rVert^2$ has the same gradient in $q$ as
its expectation over sampled labels, $\mathbb{E}_{y \sim p} \lVert q - e_y \rVert^2$, namely
$2(q - p)$, but the quartic loss $\sum_i (q_i - p_i)^4$ does not: the expected gradient
under sampled labels exceeds $4(q_i - p_i)^3$ by $4 p_i (1 - p_i)(3 q_i - 1 - p_i)$, so with
sampled labels its expected loss is not minimised at $q = p$."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, symbolic

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
symbolic(
    [e - s for e, s in zip(gradient(expected(quartic)), gradient(quartic(p)), strict=True)],
    [sp.expand(4 * p_i * (1 - p_i) * (3 * q_i - 1 - p_i)) for q_i, p_i in zip(q, p, strict=True)],
    what="sympy, 3 classes: ∇_q E Σ(qᵢ − e_yᵢ)⁴ − ∇_q Σ(qᵢ − pᵢ)⁴ = 4pᵢ(1 − pᵢ)(3qᵢ − 1 − pᵢ)",
)

# Numeric: at q = p = (0.6, 0.3, 0.1) the expected quartic loss under sampled labels has gradient
# 4pᵢ(1 − pᵢ)(2pᵢ − 1) (the gap above, as the soft-target gradient is 0 there). Moving mass from
# class 1 to class 2, along e₂ − e₁, changes the loss at rate g₂ − g₁ = −0.336 − 0.192 = −0.528:
# the loss still falls, so p is not the minimiser. Central differences of a quartic polynomial
# with h = 1e-6 err by ≈ ε/h ≈ 1e-10; 1e-8 leaves room.
p_example = np.array([0.6, 0.3, 0.1])
labels = np.eye(n)


def expected_quartic(q_values):
    """Σ_y p_y Σᵢ (qᵢ − e_yᵢ)⁴ for q along the last axis."""
    per_label = np.sum((q_values[..., None, :] - labels) ** 4, axis=-1)
    return per_label @ p_example


direction = np.array([-1.0, 1.0, 0.0])
close(
    numerical_gradient(expected_quartic, p_example) @ direction,
    (4 * p_example * (1 - p_example) * (2 * p_example - 1)) @ direction,
    atol=1e-8,
    what="finite-difference slope of the expected quartic loss at q = p along e₂ − e₁",
)

# Optimisation: on a grid of step 1/200 over the simplex, the expected quartic loss is minimised
# at the q where its gradient is (c, c, c) (the Lagrange condition), found independently by
# bisection: each coordinate of the gradient increases in qᵢ, so qᵢ(c) is found by bisection and
# c by bisection on Σ qᵢ(c) = 1. The loss is convex, so the grid minimiser lies within a grid
# step or two of it: tolerance 2/200.
steps = 200
i, j = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
inside = i + j <= steps
grid = np.stack([i[inside], j[inside], steps - i[inside] - j[inside]], axis=-1) / steps
grid_minimiser = grid[np.argmin(expected_quartic(grid))]


def coordinate_gradient(q_values):
    """∂/∂qᵢ of the expected quartic loss: 4pᵢ(qᵢ − 1)³ + 4(1 − pᵢ)qᵢ³."""
    return 4 * p_example * (q_values - 1) ** 3 + 4 * (1 - p_example) * q_values**3


def bisect(increasing, low, high, iterations=40):
    """The root of an increasing function between low and high (arrays allowed)."""
    for _ in range(iterations):
        middle = (low + high) / 2
        below = increasing(middle) < 0
        low, high = np.where(below, middle, low), np.where(below, high, middle)
    return (low + high) / 2


def q_of(c):
    return bisect(lambda q_values: coordinate_gradient(q_values) - c, np.zeros(n), np.ones(n))


lagrange_minimiser = q_of(bisect(lambda c: q_of(c).sum() - 1, -4.0, 4.0))
close(
    grid_minimiser,
    lagrange_minimiser,
    atol=2 / steps,
    kind="optimisation",
    what="grid minimiser of the expected quartic loss against the Lagrange solution",
)
