r"""LogSumExp is a smooth maximum: for $z \in \mathbb{R}^n$,
$\max_i z_i \le \operatorname{LSE}(z) \le \max_i z_i + \log n$; the upper bound is attained
exactly when all logits are equal, the lower one only as the other logits go to $-\infty$.
The symbolic proof is for three classes."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import logsumexp

# Symbolic, three classes with z₁ the largest: LSE(z) = z₁ + log(1 + e^{z₂−z₁} + e^{z₃−z₁}),
# and the sum inside the log lies between 1 and 3 because each added term is in (0, 1].
# exp is one-to-one, so comparing the exponentials of the two sides proves the identity
# (and spares simplify the logarithms).
z = sp.symbols("z1:4", real=True)
symbolic(
    sp.exp(sp.log(sum(sp.exp(z_j) for z_j in z))),
    sp.exp(z[0] + sp.log(1 + sp.exp(z[1] - z[0]) + sp.exp(z[2] - z[0]))),
    what="sympy, 3 classes: LSE(z) = max z + log Σ exp(zⱼ − max z)",
)
c = sp.Symbol("c", real=True)
symbolic(
    sp.expand_log(sp.log(sum(sp.exp(z_j) for z_j in (c, c, c)))),  # log(3e^c) = log 3 + c
    c + sp.log(3),
    what="sympy: LSE(c, c, c) = c + log 3, the upper bound",
)

# Numeric: LSE(z) − max z for 4,000 random logit vectors of 1 to 100 classes with scales up
# to 1e3. How far it falls outside [0, log n] must be 0; LSE is computed as max z + log s, so
# it is exact to about ε·|max z| ≤ 3e-13, and the tolerance is 1e-12.
rng = np.random.default_rng(6)
outside = []
for n_classes in (1, 2, 5, 100):
    scales = np.geomspace(1e-3, 1e3, 1000)[:, None]
    z_values = scales * rng.normal(size=(1000, n_classes))
    gap = logsumexp(z_values) - z_values.max(axis=-1)
    outside.append(np.maximum(-gap, 0.0) + np.maximum(gap - np.log(n_classes), 0.0))
close(
    np.concatenate(outside),
    np.zeros(4000),
    atol=1e-12,
    what="distance of LSE(z) − max z outside [0, log n], 4,000 cases",
)

# Equality cases: equal logits give max z + log n; one finite logit among −∞ gives max z,
# and other logits 60 below the maximum give it to within (n − 1)e^{−60} ≈ 1e-24.
equal_levels = np.array([-1e3, -1.0, 0.0, 2.5, 1e3])
for n_classes in (2, 5, 100):
    close(
        logsumexp(equal_levels[:, None] * np.ones(n_classes)),
        equal_levels + np.log(n_classes),
        atol=1e-12,  # ε·1e3 again
        what=f"LSE(c1) = c + log {n_classes}",
    )
close(
    logsumexp([[3.0, -np.inf, -np.inf], [3.0, -57.0, -57.0]]),
    [3.0, 3.0],
    atol=1e-15,
    what="LSE(z) = max z when the other logits are −∞, or far below",
)

# The statement's formulas, read as the expressions checked above.
names = {"z": sp.Matrix(z), r"\max_i z_i": z[0], "n": 3}
top = {z[1]: z[0] - 1, z[2]: z[0] - 2}  # z₁ the largest logit
lse = sp.log(sum(sp.exp(z_j) for z_j in z)).subs(top)
states(
    r"\max_i z_i \le \operatorname{LSE}(z) \le \max_i z_i + \log n",
    z[0],
    lse,
    z[0] + sp.log(3),
    names={**names, "z": sp.Matrix(z).subs(top)},
    relations=(r"\le", r"\le"),
)
states(r"z \in \mathbb{R}^n", sp.Matrix(z), None, names=names, relations=(r"\in",))

# The lower bound only in the limit: with the other logits at w, LSE(z₁, w, w) tends to z₁ as w
# goes to −∞.
w = sp.Symbol("w", real=True)
far_below = -sp.oo
symbolic(
    sp.limit(sp.log(sp.exp(z[0]) + 2 * sp.exp(w)), w, far_below),
    z[0],
    what=r"sympy: $\operatorname{LSE}(z_1, w, w) \to z_1$ as $w \to -\infty$",
)
states(r"-\infty", far_below, names={})
