r"""The entries of the residual sum to zero, $\sum_i (q_i - p_i) = 0$, because $q$ and $p$ both
sum to 1; the general gradient $(\sum_i p_i)\, q - p$ sums to zero for any target $p \ge 0$."""

import numpy as np
import sympy as sp
from checks import close, symbolic
from losses import cross_entropy_grad

# Symbolic, three classes: Σ softmax(z)ᵢ = 1, so Σ (qᵢ − pᵢ) = 0 on the simplex, and
# Σ ((Σp) qᵢ − pᵢ) = (Σp)(Σq) − Σp = 0 for any p.
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
p = sp.symbols(f"p1:{n + 1}", nonnegative=True)
total = sum(sp.exp(z_j) for z_j in z)
q = [sp.exp(z_i) / total for z_i in z]
symbolic(sum(q), 1, what="sympy, 3 classes: Σ softmax(z)ᵢ = 1")
symbolic(
    sum(q_i - p_i for q_i, p_i in zip(q, p, strict=True)).subs({p[2]: 1 - p[0] - p[1]}),
    0,
    what="sympy, 3 classes, Σp = 1: Σ (qᵢ − pᵢ) = 0",
)
symbolic(
    sum(sum(p) * q_i - p_i for q_i, p_i in zip(q, p, strict=True)),
    0,
    what="sympy, 3 classes, any p ≥ 0: Σ ((Σp) qᵢ − pᵢ) = 0",
)

# Numeric: the site's cross_entropy_grad, summed over classes, for distributions and for
# multi-hot targets of 10 classes. Each sum adds 10 terms below 10 in size, so rounding
# leaves at most about 10·10·ε ≈ 2e-14; the tolerance is 1e-13.
rng = np.random.default_rng(4)
logits = rng.normal(scale=5.0, size=(1000, 10))
for targets, kind in [
    (rng.dirichlet(np.ones(10), size=1000), "distributions"),
    (rng.integers(0, 2, size=(1000, 10)).astype(float), "multi-hot targets"),
]:
    close(
        cross_entropy_grad(targets, logits).sum(axis=-1),
        np.zeros(1000),
        atol=1e-13,
        what=f"Σ of cross_entropy_grad over classes, 1,000 {kind}",
    )
