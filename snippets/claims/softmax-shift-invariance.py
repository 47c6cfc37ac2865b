r"""Adding the same constant $c$ to every logit changes nothing:
$\operatorname{softmax}(z + c\mathbf{1}) = \operatorname{softmax}(z)$, entry by entry
$\operatorname{softmax}(z + c\mathbf{1})_i = \frac{e^{c} e^{z_i}}{e^{c} \sum_j e^{z_j}} = q_i$, and
$\operatorname{LSE}(z + c\mathbf{1}) = \log\Bigl(e^{c} \sum_j e^{z_j}\Bigr)
= \operatorname{LSE}(z) + c$,
so the cross entropy and its gradient $q - p$ are unchanged. The symbolic proof is for three
classes."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import cross_entropy, cross_entropy_grad, logsumexp, softmax

# Symbolic, three classes: exp(zᵢ + c) = e^c exp(zᵢ), and the factor e^c cancels in the ratio
# and comes out of the log (expand_log: log(ab) = log a + log b for a, b > 0).
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
c = sp.Symbol("c", real=True)
total = sum(sp.exp(z_j) for z_j in z)
shifted_total = sum(sp.exp(z_j + c) for z_j in z)
symbolic(
    [sp.exp(z_i + c) / shifted_total for z_i in z],
    [sp.exp(z_i) / total for z_i in z],
    what="sympy, 3 classes: softmax(z + c1) = softmax(z)",
)
# factor pulls e^c out of the sum; expand_log then splits the log of the product.
symbolic(
    sp.expand_log(sp.log(sp.factor(shifted_total))),
    sp.log(total) + c,
    what="sympy, 3 classes: LSE(z + c1) = LSE(z) + c",
)

# Numeric: the site's functions at z and at z + c with |c| up to 1e6. Rounding z + c moves
# each logit by up to half a unit in the last place of 1e6, about 6e-11, which changes every
# qᵢ by a relative 1e-10 at most: the tolerance is relative, 1e-9.
rng = np.random.default_rng(5)
logits = rng.normal(scale=3.0, size=(1000, 6))
targets = rng.dirichlet(np.ones(6), size=1000)
shifts = rng.choice([-1e6, -1e3, -1.0, 1.0, 1e3, 1e6], size=(1000, 1))
shifted_logits = logits + shifts
close(
    softmax(shifted_logits),
    softmax(logits),
    rtol=1e-9,
    what="softmax(z + c1) against softmax(z), |c| up to 1e6",
)
# LSE grows like |c|: compare LSE(z + c1) − c with LSE(z), to 1e-9 of a logit (as above).
close(
    logsumexp(shifted_logits) - shifts[:, 0],
    logsumexp(logits),
    atol=1e-9,
    what="logsumexp(z + c1) − c against logsumexp(z)",
)
close(
    cross_entropy(targets, shifted_logits),
    cross_entropy(targets, logits),
    rtol=1e-9,
    what="cross_entropy(p, z + c1) against cross_entropy(p, z)",
)
close(
    cross_entropy_grad(targets, shifted_logits),
    cross_entropy_grad(targets, logits),
    atol=1e-9,  # entries of q − p are at most 1 in size, each q exact to a relative 1e-10
    what="cross_entropy_grad(p, z + c1) against cross_entropy_grad(p, z)",
)

# The statement's formulas, read as the expressions checked above.
vector = sp.Matrix(z)
names = {"z": vector, "c": c, r"\mathbf{1}": sp.ones(n, 1)}
states(
    r"\operatorname{softmax}(z + c\mathbf{1}) = \operatorname{softmax}(z)",
    [sp.exp(z_i + c) / shifted_total for z_i in z],
    [sp.exp(z_i) / total for z_i in z],
    names=names,
)
names[r"\sum_j e^{z_j}"] = total
states(
    r"\operatorname{LSE}(z + c\mathbf{1}) = \log\Bigl(e^{c} \sum_j e^{z_j}\Bigr)"
    r" = \operatorname{LSE}(z) + c",
    sp.log(shifted_total),
    sp.log(shifted_total),
    sp.log(total) + c,
    names=names,
)
for i in range(n):
    entry = {
        **names,
        "z_i": z[i],
        "q_i": sp.exp(z[i]) / total,
        r"\operatorname{softmax}(z + c\mathbf{1})_i": sp.exp(z[i] + c) / shifted_total,
    }
    states(
        r"\operatorname{softmax}(z + c\mathbf{1})_i"
        r" = \frac{e^{c} e^{z_i}}{e^{c} \sum_j e^{z_j}} = q_i",
        sp.exp(z[i]) / total,
        sp.exp(z[i]) / total,
        sp.exp(z[i]) / total,
        names=entry,
    )

# The gradient q − p, symbolically at the shifted logits: the derivative of
# H(p, softmax(z + c1)) = −Σ pᵢ log softmax(z + c1)ᵢ in z, on the simplex, is q − p at z.
p_free = sp.symbols("p1:3", nonnegative=True)
p = sp.Matrix([*p_free, 1 - sum(p_free)])
q = sp.Matrix([sp.exp(z_i) / total for z_i in z])
# log softmax(v)ᵢ = vᵢ − log Σ exp(vⱼ), at v = z + c1.
shifted_loss = -sum(p[i] * (z[i] + c - sp.log(shifted_total)) for i in range(n))
shifted_gradient = sp.Matrix([sp.diff(shifted_loss, z_k) for z_k in z])
symbolic(
    shifted_gradient,
    q - p,
    what="sympy, 3 classes, Σp = 1: ∇_z H(p, softmax(z + c1)) = q − p with q = softmax(z)",
)
states(r"q - p", shifted_gradient, names={"q": q, "p": p})
