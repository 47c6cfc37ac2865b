r"""Cross entropy is not the only strictly proper loss: for labels $y$ drawn from $p$, the expected
Brier loss $\mathbb{E}\,\lVert q - e_y \rVert^2 = \lVert q - p \rVert^2 + 1 - \lVert p \rVert^2$ and
the expected spherical loss $\mathbb{E}[-q_y / \lVert q \rVert] = -p \cdot q / \lVert q \rVert$ are
minimised only at $q = p$ (the spherical by Cauchy–Schwarz, equal only at a multiple of $p$ by
Lagrange's identity $\lVert p \rVert^2 \lVert q \rVert^2 - (p \cdot q)^2 = \sum_{i < j} (p_i q_j -
p_j q_i)^2$), but the expected linear loss $\mathbb{E}[-q_y] = -p \cdot q$ is minimised at the
vertex $q = e_k$ of the most likely class $k$ (if only one is), not at $p$ unless $p = e_k$ (proved
for three classes)."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic

# Symbolic, three classes, p on the simplex (p₃ = 1 − p₁ − p₂), q unconstrained.
n = 3
p = sp.Matrix(sp.symbols(f"p1:{n + 1}", nonnegative=True))
q = sp.Matrix(sp.symbols(f"q1:{n + 1}", real=True))
on_simplex = {p[2]: 1 - p[0] - p[1]}
one_hot = sp.eye(n)

# Brier: average ‖q − e_y‖² with weights p_y; only ‖q − p‖² depends on q, so q = p is the
# unique minimiser.
expected_brier = sum(p[y] * (q - one_hot.col(y)).dot(q - one_hot.col(y)) for y in range(n))
symbolic(  # expanded polynomials: sympy compares them term by term
    sp.expand(expected_brier.subs(on_simplex)),
    sp.expand(((q - p).dot(q - p) + 1 - p.dot(p)).subs(on_simplex)),
    what="sympy, 3 classes: E‖q − e_y‖² = ‖q − p‖² + 1 − ‖p‖²",
)
# Spherical: Lagrange's identity ‖p‖²‖q‖² − (p·q)² = Σ_{i<j} (pᵢqⱼ − pⱼqᵢ)² ≥ 0 proves
# Cauchy–Schwarz, p·q ≤ ‖p‖‖q‖, with equality only when q is a multiple of p; on the simplex that
# multiple is 1. So −p·q/‖q‖ ≥ −‖p‖ with equality only at q = p.
lagrange_sum = sum((p[i] * q[j] - p[j] * q[i]) ** 2 for i in range(n) for j in range(i + 1, n))
symbolic(
    sp.expand(p.dot(p) * q.dot(q) - p.dot(q) ** 2),
    sp.expand(lagrange_sum),
    what="sympy, 3 classes: Lagrange's identity behind Cauchy–Schwarz",
)

# Optimisation: a grid search over the simplex of 3 classes, q = (i, j, k)/120, for 12 targets p
# on the same grid with positive entries and a unique largest one. The grid contains p, and its
# neighbours lose at least ≈ 1e-5 > rounding, so a tolerance below half the grid step (1/240)
# demands the exact grid point.
steps = 120
i, j = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
inside = i + j <= steps
grid = np.stack([i[inside], j[inside], steps - i[inside] - j[inside]], axis=-1) / steps
rng = np.random.default_rng(6)
# Two cut points of 0..120 split it into three counts: targets spread over the whole simplex.
cuts = np.sort(rng.integers(1, steps, size=(100, 2)), axis=1)
counts = np.diff(cuts, prepend=0, append=steps)
usable = (counts.min(axis=1) > 0) & (np.sort(counts, axis=1)[:, -2] < counts.max(axis=1))
targets = counts[usable][:12] / steps
# The loss of every grid point for each label y, then the expectation Σ_y p_y L(e_y, q).
norms = np.linalg.norm(grid, axis=1)
losses_per_label = {
    "Brier": np.stack([np.sum((grid - e_y) ** 2, axis=1) for e_y in np.eye(n)]),
    "spherical": -grid.T / norms,
    "linear": -grid.T,
}
scores = {name: targets @ losses for name, losses in losses_per_label.items()}
minimisers = {name: grid[np.argmin(score, axis=1)] for name, score in scores.items()}
tolerance = 1 / (4 * steps)
close(
    minimisers["Brier"],
    targets,
    atol=tolerance,
    kind="optimisation",
    what="grid minimiser of the expected Brier loss against p, 12 targets",
)
close(
    minimisers["spherical"],
    targets,
    atol=tolerance,
    kind="optimisation",
    what="grid minimiser of the expected spherical loss against p, 12 targets",
)
most_likely = np.eye(n)[np.argmax(targets, axis=1)]  # e_k, k the most likely class
close(
    minimisers["linear"],
    most_likely,
    atol=tolerance,
    kind="optimisation",
    what="grid minimiser of the expected linear loss against e_k, k = argmax p",
)

# The exception: at a vertex p = e_k, the linear loss −q_k is minimised at q = e_k = p.
vertex_minimisers = grid[np.argmin(np.eye(n) @ losses_per_label["linear"], axis=1)]
close(
    vertex_minimisers,
    np.eye(n),
    atol=tolerance,
    kind="optimisation",
    what="grid minimiser of the expected linear loss at p = e_k against p, each k",
)

# Numeric: the minimum values found on the grid are the closed forms 1 − ‖p‖² (Brier) and −‖p‖
# (spherical). Both are sums of three products of numbers ≤ 1, rounded to ≈ 1e-16: 1e-12 is ample.
close(
    scores["Brier"].min(axis=1),
    1 - np.sum(targets**2, axis=1),
    atol=1e-12,
    what="minimum expected Brier loss against 1 − ‖p‖²",
)
close(
    scores["spherical"].min(axis=1),
    -np.linalg.norm(targets, axis=1),
    atol=1e-12,
    what="minimum expected spherical loss against −‖p‖",
)

# The statement's formulas, read as the expressions checked above.
names = {"p": p.subs(on_simplex), "q": q}
names[r"\mathbb{E}\,\lVert q - e_y \rVert^2"] = expected_brier.subs(on_simplex)
states(
    r"\mathbb{E}\,\lVert q - e_y \rVert^2 = \lVert q - p \rVert^2 + 1 - \lVert p \rVert^2",
    expected_brier.subs(on_simplex),
    ((q - p).dot(q - p) + 1 - p.dot(p)).subs(on_simplex),
    names=names,
)
expected_spherical = sum(p[y] * -q[y] / sp.sqrt(q.dot(q)) for y in range(n))
names[r"\mathbb{E}[-q_y / \lVert q \rVert]"] = expected_spherical
states(
    r"\mathbb{E}[-q_y / \lVert q \rVert] = -p \cdot q / \lVert q \rVert",
    expected_spherical,
    expected_spherical,
    names={**names, "p": p},
)
expected_linear = sum(p[y] * -q[y] for y in range(n))
names[r"\mathbb{E}[-q_y]"] = expected_linear
states(r"\mathbb{E}[-q_y] = -p \cdot q", expected_linear, expected_linear, names={**names, "p": p})

# The minimisers as the statement names them, against the grid's, for the first target (exact
# grid points, so exact rationals).


def exact(values) -> sp.Matrix:
    return sp.Matrix([sp.nsimplify(value) for value in values])


first = {"p": exact(targets[0]), "e_k": exact(most_likely[0])}
for name in ("Brier", "spherical"):
    states(r"q = p", None, exact(minimisers[name][0]), names=first)
states(r"q = e_k", None, exact(minimisers["linear"][0]), names=first)
# At a vertex target p = e_k (the check above), the minimiser e_k found is that target.
for k in range(n):
    vertex = {"p": sp.eye(n).col(k), "e_k": exact(vertex_minimisers[k])}
    states(r"p = e_k", sp.eye(n).col(k), sp.eye(n).col(k), names=vertex)
states(
    r"\lVert p \rVert^2 \lVert q \rVert^2 - (p \cdot q)^2 = \sum_{i < j} (p_i q_j - p_j q_i)^2",
    p.dot(p) * q.dot(q) - p.dot(q) ** 2,
    p.dot(p) * q.dot(q) - p.dot(q) ** 2,
    names={"p": p, "q": q, r"\sum_{i < j} (p_i q_j - p_j q_i)^2": lagrange_sum},
)
