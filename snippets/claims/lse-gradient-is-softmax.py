r"""For logits $z \in \mathbb{R}^n$, the gradient of
$\operatorname{LSE}(z) = \log \sum_j e^{z_j}$ is the softmax: with $S = \sum_j e^{z_j}$,
$\frac{\partial \operatorname{LSE}(z)}{\partial z_k} = \frac{1}{S} \frac{\partial S}{\partial z_k}
= \frac{e^{z_k}}{\sum_j e^{z_j}} = q_k$."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import logsumexp, softmax

# Symbolic, three and five classes: differentiate log Σ exp(zⱼ) and compare with softmax.
for n in (3, 5):
    z = sp.symbols(f"z1:{n + 1}", real=True)
    total = sum(sp.exp(z_j) for z_j in z)
    symbolic(
        [sp.diff(sp.log(total), z_k) for z_k in z],
        [sp.exp(z_k) / total for z_k in z],
        what=f"sympy, {n} classes: ∂LSE/∂z_k = softmax(z)_k",
    )

# Symbolic, any n: z is an indexed family and the sum runs to n = k + m (m ≥ 0), so that the
# class k is always one of 1..n. The derivative of the sum is a sum of Kronecker deltas,
# which doit() evaluates to the one surviving term exp(z_k).
z = sp.IndexedBase("z", real=True)
j = sp.Symbol("j", integer=True)
k = sp.Symbol("k", integer=True, positive=True)
m = sp.Symbol("m", integer=True, nonnegative=True)
total = sp.Sum(sp.exp(z[j]), (j, 1, k + m))
symbolic(
    sp.diff(sp.log(total), z[k]).doit(),
    sp.exp(z[k]) / total,
    what=r"sympy, any $n$: $\partial/\partial z_k \log \sum_{j=1}^{n} \exp(z_j)"
    r" = \exp(z_k) / \sum_j \exp(z_j)$",
)

# Numeric: central differences of the site's logsumexp against its softmax, 500 random logit
# vectors of 6 classes. |LSE| stays below about 15, so rounding error ε·|LSE|/h ≈ 3e-9 < 1e-8.
rng = np.random.default_rng(0)
logits = rng.normal(scale=3.0, size=(500, 6))
close(
    numerical_gradient(logsumexp, logits),
    softmax(logits),
    atol=1e-8,
    what="finite differences of logsumexp against softmax, 500 cases of 6 classes",
)

# Large logits: offsets up to ±1e4 plus a spread of scale 1. Now the rounding error of the
# quotient is ε·|LSE|/h ≈ 2e-16·1e4/1e-4 ≈ 2e-8 in absolute terms: it grows like |z|·ε, so the
# step is h = 1e-4 (truncation error h²/6·|∂³LSE| < 1e-9) and the tolerance is relative, 1e-5,
# since the smallest softmax entry here is above 0.005.
offsets = rng.choice([-1e4, -1e3, 1e3, 1e4], size=(200, 1))
large_logits = offsets + rng.normal(size=(200, 4))
close(
    numerical_gradient(logsumexp, large_logits, h=1e-4),
    softmax(large_logits),
    rtol=1e-5,
    what="finite differences of logsumexp against softmax at |z| up to 1e4",
)

# The statement's formulas, read as the expressions checked above.
z = sp.symbols("z1:4", real=True)
total = sum(sp.exp(z_j) for z_j in z)
names = {"z": sp.Matrix(z), r"\sum_j e^{z_j}": total, "z_k": z[0], "q_k": sp.exp(z[0]) / total}
names[r"\frac{\partial \operatorname{LSE}(z)}{\partial z_k}"] = sp.diff(sp.log(total), z[0])
names[r"\frac{\partial S}{\partial z_k}"] = sp.diff(total, z[0])
names["S"] = total
names["LSE"] = sp.Lambda(sp.Symbol("v"), sp.log(total))
states(
    r"\frac{\partial \operatorname{LSE}(z)}{\partial z_k}"
    r" = \frac{1}{S} \frac{\partial S}{\partial z_k}"
    r" = \frac{e^{z_k}}{\sum_j e^{z_j}} = q_k",
    sp.diff(sp.log(total), z[0]),
    sp.exp(z[0]) / total,
    sp.exp(z[0]) / total,
    sp.exp(z[0]) / total,
    names=names,
)
states(r"\operatorname{LSE}(z) = \log \sum_j e^{z_j}", sp.log(total), sp.log(total), names=names)
states(r"z \in \mathbb{R}^n", sp.Matrix(z), None, names=names, relations=(r"\in",))
states(r"S = \sum_j e^{z_j}", None, total, names=names)
