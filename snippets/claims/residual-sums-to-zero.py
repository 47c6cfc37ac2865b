r"""The entries of the residual sum to zero, $\sum_i (q_i - p_i) = 0$, because $q$ and $p$ both
sum to 1; the general gradient $(\sum_i p_i)\, q - p$ sums to zero for any target $p \ge 0$.
The symbolic proof is for three classes."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import cross_entropy

# Symbolic, three classes: Σ softmax(z)ᵢ = 1, so Σ (qᵢ − pᵢ) = 0 on the simplex, and
# Σ ((Σp) qᵢ − pᵢ) = (Σp)(Σq) − Σp = 0 for any p.
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
p = sp.symbols(f"p1:{n + 1}", nonnegative=True)
total = sum(sp.exp(z_j) for z_j in z)
q = [sp.exp(z_i) / total for z_i in z]
symbolic(sum(q), 1, what="sympy, 3 classes: Σ softmax(z)ᵢ = 1")
residual_sum = sum(q_i - p_i for q_i, p_i in zip(q, p, strict=True))
symbolic(
    residual_sum.subs({p[2]: 1 - p[0] - p[1]}),
    0,
    what="sympy, 3 classes, Σp = 1: Σ (qᵢ − pᵢ) = 0",
)
general_gradient = [sum(p) * q_i - p_i for q_i, p_i in zip(q, p, strict=True)]
symbolic(
    sum(general_gradient),
    0,
    what="sympy, 3 classes, any p ≥ 0: Σ ((Σp) qᵢ − pᵢ) = 0",
)

# Numeric, independent of the gradient code: the sum of the gradient's entries is the slope of
# the loss along 1 = (1, …, 1), so the site's cross_entropy, differentiated along 1 by a central
# difference, must give 0, for distributions and for multi-hot targets of 10 classes. Losses
# are below about 300 (logits of scale 5, up to 10 labels); with h = 1e-3 the rounding of the
# difference is about ε·300/h ≈ 7e-11, and a central difference of a function linear along 1
# has no truncation error: tolerance 1e-9. A wrong sum, e.g. Σp − 1 for a multi-hot target,
# would be of order 1.
rng = np.random.default_rng(4)
logits = rng.normal(scale=5.0, size=(1000, 10))
step = 1e-3
for targets, kind in [
    (rng.dirichlet(np.ones(10), size=1000), "distributions"),
    (rng.integers(0, 2, size=(1000, 10)).astype(float), "multi-hot targets"),
]:
    slope_along_ones = (
        cross_entropy(targets, logits + step) - cross_entropy(targets, logits - step)
    ) / (2 * step)
    close(
        slope_along_ones,
        np.zeros(1000),
        atol=1e-9,
        what=f"slope of cross_entropy along (1, …, 1), 1,000 {kind}",
    )

# The statement's formulas, read as the expressions checked above.
names = {
    "q": sp.Matrix(q),
    "p": sp.Matrix(p),
    r"\sum_i (q_i - p_i)": residual_sum.subs({p[2]: 1 - p[0] - p[1]}),
    r"\sum_i p_i": sum(p),
}
states(r"\sum_i (q_i - p_i) = 0", residual_sum.subs({p[2]: 1 - p[0] - p[1]}), 0, names=names)
states(r"(\sum_i p_i)\, q - p", general_gradient, names=names)
states(r"p \ge 0", sp.Matrix(p), 0, names=names, relations=(r"\ge",))
