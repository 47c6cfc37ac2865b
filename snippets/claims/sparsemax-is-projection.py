r"""$\operatorname{sparsemax}(z) = \max(z - \tau, 0)$ (entrywise), with the threshold $\tau$ found
by sorting $z$ so that the entries sum to 1, is the Euclidean projection of $z$ onto the
probability simplex $\Delta$, $\operatorname{sparsemax}(z) = \operatorname{argmin}_{q \in \Delta}
\|q - z\|^2$, and it gives probability exactly 0 to every class with $z_i \le \tau$: it is
$e_y$, with exact zeros, once $z_y$ exceeds every other logit by more than 1."""

import numpy as np
from checks import close
from losses import sparsemax

rng = np.random.default_rng(4)
logits = rng.normal(scale=rng.choice([0.1, 1.0, 5.0], size=(3000, 1)), size=(3000, 6))
projection = sparsemax(logits)

# On the simplex: non-negative by construction, and the entries sum to 1 up to rounding
# (a sum of 6 numbers of size ≤ 1 is off by at most a few ε ≈ 1e-15).
close(projection.sum(axis=-1), np.ones(3000), atol=1e-12, what="Σ sparsemax(z) = 1, 3,000 cases")

# Optimisation, a certificate: a point π of a convex set is the Euclidean projection of z if and
# only if ⟨z − π, q − π⟩ ≤ 0 for every q in the set (no direction into the set brings π closer
# to z). The expression is linear in q, so it suffices to check the n vertices q = e_j:
# ⟨z − π, e_j − π⟩ = (z − π)_j − ⟨z − π, π⟩. Its largest value must be ≤ 0 up to rounding
# (products of logits up to about 20: 1e-12 is far above their rounding, far below a real miss).
# The certificate covers the exact zeros too: a zero entry passes only if it is truly optimal.
residual = logits - projection
vertex_terms = residual - np.sum(residual * projection, axis=-1, keepdims=True)
with_zeros = int(np.sum(np.any(projection == 0.0, axis=-1)))
close(
    np.maximum(vertex_terms.max(axis=-1), 0.0),
    np.zeros(3000),
    atol=1e-12,
    kind="optimisation",
    what=f"optimality certificate max_j ⟨z − π, e_j − π⟩ ≤ 0, 3,000 cases of 6 classes"
    f" ({with_zeros} of them with exact zeros)",
)

# Optimisation, a dense search in 3 classes: no point of a grid on the simplex with step 1/300
# (45,451 points) is closer to z than sparsemax(z). The gain of the best grid point over π is
# ‖π − z‖² − min ‖q − z‖²; it must be ≤ 0 up to rounding (1e-12).
steps = 300
i, j = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
inside = i + j <= steps
grid = np.stack([i[inside], j[inside], steps - i[inside] - j[inside]], axis=-1) / steps
logits_3 = rng.normal(scale=1.5, size=(40, 3))
grid_distances = np.sum((grid[None, :, :] - logits_3[:, None, :]) ** 2, axis=-1)
projection_distances = np.sum((sparsemax(logits_3) - logits_3) ** 2, axis=-1)
close(
    np.maximum(projection_distances - grid_distances.min(axis=-1), 0.0),
    np.zeros(40),
    atol=1e-12,
    kind="optimisation",
    what="‖sparsemax(z) − z‖² ≤ ‖q − z‖² for every grid point q, 40 cases of 3 classes",
)

# Exact one-hot outputs: raise a random label's logit z_y to the largest logit plus a margin of
# 1.001, 1.5, 3 or 10, so that it leads every other logit by at least that much (at a margin of
# exactly 1 rounding would decide). Every other entry must be exactly 0.0: each output has one
# non-zero entry. The label's entry is 1 up to the rounding of z_y − (z_y − 1): 1e-12.
labels = rng.integers(0, 6, size=400)
leading = rng.normal(scale=2.0, size=(400, 6))
margins = rng.choice([1.001, 1.5, 3.0, 10.0], size=400)
leading[np.arange(400), labels] = leading.max(axis=-1) + margins
one_hot = sparsemax(leading)
close(
    np.count_nonzero(one_hot, axis=-1),
    np.ones(400),
    atol=0.5,
    what="number of non-zero entries of sparsemax(z) when z_y leads by more than 1: exactly 1",
)
close(
    one_hot,
    np.eye(6)[labels],
    atol=1e-12,
    what=r"$\operatorname{sparsemax}(z) = e_y$ when $z_y - \max_{j \ne y} z_j > 1$, 400 cases",
)
