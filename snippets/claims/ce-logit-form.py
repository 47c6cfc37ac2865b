r"""With $q = \operatorname{softmax}(z)$, the cross entropy is
$H(p, q) = -\sum_i p_i z_i + \bigl(\sum_i p_i\bigr) \operatorname{LSE}(z)$ for any target
$p \ge 0$, which is $H(p, \operatorname{softmax} z) = -p \cdot z + \operatorname{LSE}(z)$ when $p$
is a distribution.
The symbolic proof is for three classes."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import cross_entropy, logsumexp

# Symbolic, three classes: −Σ pᵢ log(exp(zᵢ)/Σ exp(zⱼ)) against −p·z + (Σp) LSE(z).
# expand_log applies log(a/b) = log a − log b, which sympy only does when a, b > 0 (here
# exp(zᵢ) and Σ exp(zⱼ) are); expanding both sides lets simplify finish quickly.
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
p = sp.symbols(f"p1:{n + 1}", nonnegative=True)
total = sum(sp.exp(z_j) for z_j in z)
q = [sp.exp(z_i) / total for z_i in z]
H = sp.expand(sp.expand_log(-sum(p_i * sp.log(q_i) for p_i, q_i in zip(p, q, strict=True))))
p_dot_z = sum(p_i * z_i for p_i, z_i in zip(p, z, strict=True))
symbolic(
    H,
    sp.expand(-p_dot_z + sum(p) * sp.log(total)),
    what="sympy, 3 classes: H(p, softmax z) = −p·z + (Σp) LSE(z)",
)
on_simplex = {p[2]: 1 - p[0] - p[1]}
symbolic(
    sp.expand(H.subs(on_simplex)),
    sp.expand((-p_dot_z + sp.log(total)).subs(on_simplex)),
    what="sympy, 3 classes, Σp = 1: H(p, softmax z) = −p·z + LSE(z)",
)

# Numeric: the site's cross_entropy (through log_softmax) against the logit form built from
# its logsumexp, for distributions and for multi-hot targets. Both sides are sums of terms
# below about 50 in size, so they agree to a few ε·50 ≈ 1e-14; the tolerance is 1e-12.
rng = np.random.default_rng(1)
logits = rng.normal(scale=3.0, size=(300, 5))
for targets, kind in [
    (rng.dirichlet(np.ones(5), size=300), "distributions"),
    (rng.integers(0, 2, size=(300, 5)).astype(float), "multi-hot targets"),
]:
    close(
        cross_entropy(targets, logits),
        -(targets * logits).sum(axis=-1) + targets.sum(axis=-1) * logsumexp(logits),
        atol=1e-12,
        what=f"cross_entropy against −p·z + (Σp) logsumexp(z), 300 {kind}",
    )

# The statement's formulas, read as the expressions checked above.
names = {"z": sp.Matrix(z), "p": sp.Matrix(p), "q": sp.Matrix(q), "H(p, q)": H}
names |= {r"\sum_i p_i z_i": p_dot_z, r"\sum_i p_i": sum(p)}
states(r"q = \operatorname{softmax}(z)", sp.Matrix(q), sp.Matrix(q), names=names)
states(
    r"H(p, q) = -\sum_i p_i z_i + \bigl(\sum_i p_i\bigr) \operatorname{LSE}(z)",
    H,
    -p_dot_z + sum(p) * sp.log(total),
    names=names,
)
distribution = {**names, "p": sp.Matrix(p).subs(on_simplex)}
distribution[r"H(p, \operatorname{softmax} z)"] = H.subs(on_simplex)
states(
    r"H(p, \operatorname{softmax} z) = -p \cdot z + \operatorname{LSE}(z)",
    H.subs(on_simplex),
    (-p_dot_z + sp.log(total)).subs(on_simplex),
    names=distribution,
)
states(r"p \ge 0", sp.Matrix(p), 0, names=names, relations=(r"\ge",))
