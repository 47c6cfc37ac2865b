r"""Binary cross entropy is two-class softmax cross entropy: with logits $(z_1, z_2)$ and target
$p = (t, 1 - t)$, $q_1 = \sigma(z_1 - z_2)$ and $H(p, q) = \operatorname{softplus}(z_1 - z_2)
- t (z_1 - z_2)$, so the logits $(z, 0)$ and $(z/2, -z/2)$ both give the binary loss at logit
$z$, and $\nabla_{(z_1, z_2)} H = (\sigma - t, \, t - \sigma)$."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import cross_entropy, cross_entropy_grad

# Symbolic: log qᵢ = zᵢ − log(e^{z₁} + e^{z₂}) (expand_log, safe for positive arguments), and
# log(e^{z₁} + e^{z₂}) = z₂ + softplus(z₁ − z₂), which is how the difference of logits appears.
z1, z2, t = sp.symbols("z1 z2 t", real=True)
total = sp.exp(z1) + sp.exp(z2)
q1, q2 = sp.exp(z1) / total, sp.exp(z2) / total
target = [t, 1 - t]
H = -target[0] * sp.log(q1) - target[1] * sp.log(q2)
symbolic(
    sp.expand_log(H, force=True),
    sp.log(total) - t * z1 - (1 - t) * z2,
    what=r"sympy: $H = \log(e^{z_1} + e^{z_2}) - t z_1 - (1 - t) z_2$",
)
symbolic(
    sp.expand_log(sp.log(sp.exp(z2) * (1 + sp.exp(z1 - z2))), force=True),
    sp.log(1 + sp.exp(z1 - z2)) + z2,
    what=r"sympy: $\log(e^{z_1} + e^{z_2}) = z_2 + \operatorname{softplus}(z_1 - z_2)$",
)
symbolic(
    sp.expand(total * sp.exp(-z2)),
    1 + sp.exp(z1 - z2),
    what="sympy: $e^{-z_2}(e^{z_1} + e^{z_2}) = 1 + e^{z_1 - z_2}$",
)
symbolic(q1, 1 / (1 + sp.exp(-(z1 - z2))), what="sympy: q₁ = σ(z₁ − z₂)")
symbolic(
    [sp.diff(H, z1), sp.diff(H, z2)],
    [q1 - t, t - q1],
    what="sympy: ∇H = (q₁ − t, t − q₁)",
)
# Both logit pairs give the binary loss at logit z: by the logit form above, H depends on
# z₁ − z₂ only, which is z for both.
logit_form = sp.log(1 + sp.exp(z1 - z2)) - t * (z1 - z2)
z = sp.Symbol("z", real=True)
binary_loss = sp.log(1 + sp.exp(z)) - t * z
logit_pairs = {"(z, 0)": [z, 0], "(z/2, -z/2)": [z / 2, -z / 2]}
for pair in logit_pairs.values():
    symbolic(
        logit_form.subs({z1: pair[0], z2: pair[1]}),
        binary_loss,
        what=f"sympy: H at the logits ({pair[0]}, {pair[1]}) = softplus(z) − tz",
    )

# Numeric: the site's cross_entropy on the logits (z, 0) and (z/2, −z/2) against the binary
# loss softplus(z) − tz (np.logaddexp), 1,000 random (z, t) with |z| ≤ 50. Both are sums of
# terms of size ≤ 50 rounded to ε: the relative error is a few ε, so rtol 1e-13.
rng = np.random.default_rng(2)
z_values = rng.uniform(-50.0, 50.0, size=1000)
t_values = rng.uniform(0.0, 1.0, size=1000)
p = np.stack([t_values, 1 - t_values], axis=-1)
binary = np.logaddexp(0.0, z_values) - t_values * z_values
for logits, name in [
    (np.stack([z_values, np.zeros_like(z_values)], axis=-1), "(z, 0)"),
    (np.stack([z_values / 2, -z_values / 2], axis=-1), "(z/2, −z/2)"),
]:
    close(
        cross_entropy(p, logits),
        binary,
        rtol=1e-13,
        what=f"cross_entropy with logits {name} against softplus(z) − tz",
    )
# The gradient: the site's cross_entropy_grad at (z, 0) against (σ(z) − t, t − σ(z)); entries
# are at most 1 in size and rounded to a few ε: atol 1e-15.
sigmoid = 1 / (1 + np.exp(-z_values))
close(
    cross_entropy_grad(p, np.stack([z_values, np.zeros_like(z_values)], axis=-1)),
    np.stack([sigmoid - t_values, t_values - sigmoid], axis=-1),
    atol=1e-15,
    what="cross_entropy_grad at (z, 0) against (σ(z) − t, t − σ(z))",
)

# The statement's formulas, read as the expressions checked above.
names = {"z_1": z1, "z_2": z2, "t": t, "q_1": q1, "H(p, q)": sp.expand_log(H, force=True)}
names |= {r"\nabla_{(z_1, z_2)} H": [sp.diff(H, z1), sp.diff(H, z2)], "sigma": q1}
states(r"p = (t, 1 - t)", None, target, names={"t": t})
for pair_tex, pair in logit_pairs.items():
    states(pair_tex, pair, names={"z": z})
states(
    r"q_1 = \sigma(z_1 - z_2)",
    q1,
    1 / (1 + sp.exp(-(z1 - z2))),
    names={"z_1": z1, "z_2": z2, "q_1": q1},
)
states(
    r"H(p, q) = \operatorname{softplus}(z_1 - z_2) - t (z_1 - z_2)",
    sp.expand_log(H, force=True),
    sp.log(1 + sp.exp(z1 - z2)) + z2 - t * z1 - (1 - t) * z2,
    names=names,
)
states(
    r"\nabla_{(z_1, z_2)} H = (\sigma - t, \, t - \sigma)",
    [sp.diff(H, z1), sp.diff(H, z2)],
    [q1 - t, t - q1],
    names=names,
)
