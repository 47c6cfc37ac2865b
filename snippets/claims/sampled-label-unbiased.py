r"""If the label $y$ is drawn from the target $p$, the one-label gradient is unbiased. For the
logits it is $-\nabla_z \log q_y = -\bigl(e_y - q\bigr) = q - e_y$, and
$\mathbb{E}_{y \sim p}\bigl[q - e_y\bigr] = \Bigl(\sum_y p_y\Bigr) q - \sum_y p_y e_y = q - p$,
which is $\nabla_z H(p, q)$; for the parameters $\theta$ of a model $z = Wa$ of an input $a$,
$\nabla_\theta H(p, q) = \nabla_\theta \sum_{y} p_y \bigl(-\log q_y\bigr)
= \sum_{y} p_y \bigl(-\nabla_\theta \log q_y\bigr)
= \mathbb{E}_{y \sim p}\bigl[-\nabla_\theta \log q_y\bigr]$.
The symbolic proofs are for three classes and two inputs."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, statistical, symbolic
from losses import cross_entropy, cross_entropy_grad, softmax

rng = np.random.default_rng(0)

# Exact expectation: the site's one-label gradients cross_entropy_grad(e_y, z), weighted by p_y
# and summed over the 6 labels, against central differences of the site's full loss
# cross_entropy(p, z) in z, an independent route, for 200 random (p, z) of 6 classes. Losses are
# below about 15: rounding in a central difference is ≈ ε·15/h ≈ 3e-9 and the truncation error
# O(h²) far smaller, so 1e-8 leaves room.
n = 6
logits = rng.normal(scale=2.0, size=(200, n))
targets = rng.dirichlet(np.ones(n), size=200)
shape = (200, n, n)  # [case, y, :]: the one-hot e_y against the case's logits
one_label_gradients = cross_entropy_grad(
    np.broadcast_to(np.eye(n), shape), np.broadcast_to(logits[:, None, :], shape)
)
close(
    np.einsum("cy,cyk->ck", targets, one_label_gradients),
    numerical_gradient(lambda z_: cross_entropy(targets, z_), logits),
    atol=1e-8,
    what="Σ_y p_y (q − e_y), one-hot gradients, against finite differences of H(p, q), 200 cases",
)

# Monte Carlo, one example of 4 classes: 20,000 labels y ~ p, one gradient q − e_y each, from
# the site's cross_entropy_grad with the one-hot e_y as target. The band is 5 standard errors
# of the sample mean, estimated from the samples' own spread: a false pass or fail is < 1e-6.
z = np.array([1.0, 0.5, -0.5, -1.0])
p = np.array([0.1, 0.4, 0.3, 0.2])
labels = rng.choice(len(p), size=20_000, p=p)
one_hots = np.eye(len(p))[labels]
samples = cross_entropy_grad(one_hots, np.broadcast_to(z, one_hots.shape))
statistical(samples, softmax(z) - p, what="mean of q − e_y over 20,000 labels y ~ p vs q − p")

# Parameters: a linear model z = W a. The expected one-label gradient (q − e_y) aᵀ is compared
# with central differences of the full loss H(p, softmax(W a)) in W, an independent route
# (finite-difference error ≈ 1e-9 is negligible against standard errors ≈ 1e-3).
a = np.array([0.5, -1.0, 2.0])
W = rng.normal(size=(len(p), len(a)))
full_gradient = numerical_gradient(
    lambda flat_W: cross_entropy(p, flat_W.reshape(*flat_W.shape[:-1], len(p), len(a)) @ a),
    W.ravel(),
).reshape(W.shape)
q_model = softmax(W @ a)
parameter_samples = (q_model - one_hots)[:, :, None] * a  # (q − e_y) aᵀ for every label
statistical(
    parameter_samples.reshape(len(labels), -1),
    full_gradient.ravel(),
    what="mean of −∇_W log q_y over 20,000 labels vs finite differences of H(p, q) in W",
)

# Symbolic, three classes and two inputs: z = Wa, log q_y = z_y − log Σ exp(z), p on the simplex.
# The exact expectation Σ_y p_y (·) of each one-label gradient against sympy's gradient of
# H(p, q) = −Σ_y p_y log q_y, in the logits and in the weights.
classes, inputs = 3, 2
W = sp.Matrix(classes, inputs, lambda i, j: sp.Symbol(f"W{i + 1}{j + 1}", real=True))
a_symbols = sp.Matrix(sp.symbols(f"a1:{inputs + 1}", real=True))
z_symbols = sp.Matrix(sp.symbols(f"z1:{classes + 1}", real=True))
p_free = sp.symbols("p1:3", nonnegative=True)
p_symbols = sp.Matrix([*p_free, 1 - sum(p_free)])


def log_q(z, y):
    return z[y] - sp.log(sum(z.applyfunc(sp.exp)))


q_symbols = sp.Matrix([sp.exp(log_q(z_symbols, y)) for y in range(classes)])
one_hot = sp.eye(classes)
loss_in_z = -sum(p_symbols[y] * log_q(z_symbols, y) for y in range(classes))
gradient_in_z = sp.Matrix([sp.diff(loss_in_z, z_k) for z_k in z_symbols])
expected_in_z = sum(
    (p_symbols[y] * (q_symbols - one_hot.col(y)) for y in range(classes)), sp.zeros(classes, 1)
)
symbolic(
    expected_in_z,
    gradient_in_z,
    what=r"sympy, 3 classes: $\sum_y p_y (q - e_y) = \nabla_z H(p, q)$",
)
model_logits = W * a_symbols
parameters = list(W)


def gradient_in_W(function):
    return sp.Matrix([sp.diff(function, w) for w in parameters])


expected_in_W = sum(
    (p_symbols[y] * gradient_in_W(-log_q(model_logits, y)) for y in range(classes)),
    sp.zeros(len(parameters), 1),
)
loss_in_W = -sum(p_symbols[y] * log_q(model_logits, y) for y in range(classes))
symbolic(
    expected_in_W,
    gradient_in_W(loss_in_W),
    what=r"sympy, 3 classes, 2 inputs: $\sum_y p_y (-\nabla_W \log q_y) = \nabla_W H(p, q_W)$",
)

# The statement's formulas, read as the expressions checked above: each expectation is the
# p-weighted sum, each gradient sympy's derivative.
weighted_sum_in_W = -sum(p_symbols[y] * log_q(model_logits, y) for y in range(classes))
names = {
    "q": q_symbols,
    "p": p_symbols,
    "W": W,
    "a": a_symbols,
    r"\sum_y p_y e_y": p_symbols,
    r"\sum_y p_y": sum(p_symbols),
    r"\mathbb{E}_{y \sim p}\bigl[q - e_y\bigr]": expected_in_z,
    r"\nabla_z H(p, q)": gradient_in_z,
    r"\nabla_\theta H(p, q)": gradient_in_W(loss_in_W),
    r"\nabla_\theta \sum_{y} p_y \bigl(-\log q_y\bigr)": gradient_in_W(weighted_sum_in_W),
    r"\sum_{y} p_y \bigl(-\nabla_\theta \log q_y\bigr)": expected_in_W,
    r"\mathbb{E}_{y \sim p}\bigl[-\nabla_\theta \log q_y\bigr]": expected_in_W,
}
# The one-hot sum, written out, is p: the statement's Σ_y p_y e_y names it.
symbolic(
    sum((p_symbols[y] * one_hot.col(y) for y in range(classes)), sp.zeros(classes, 1)),
    p_symbols,
    what=r"sympy: $\sum_y p_y e_y = p$",
)
for y in range(classes):
    label = {"q": q_symbols, "e_y": one_hot.col(y)}
    label[r"\nabla_z \log q_y"] = sp.Matrix(
        [sp.diff(log_q(z_symbols, y), z_k) for z_k in z_symbols]
    )
    states(
        r"-\nabla_z \log q_y = -\bigl(e_y - q\bigr) = q - e_y",
        q_symbols - one_hot.col(y),
        q_symbols - one_hot.col(y),
        q_symbols - one_hot.col(y),
        names=label,
    )
states(
    r"\mathbb{E}_{y \sim p}\bigl[q - e_y\bigr] = \Bigl(\sum_y p_y\Bigr) q - \sum_y p_y e_y = q - p",
    gradient_in_z,
    gradient_in_z,
    gradient_in_z,
    names=names,
)
states(r"\nabla_z H(p, q)", q_symbols - p_symbols, names=names)
states(
    r"\nabla_\theta H(p, q) = \nabla_\theta \sum_{y} p_y \bigl(-\log q_y\bigr)"
    r" = \sum_{y} p_y \bigl(-\nabla_\theta \log q_y\bigr)"
    r" = \mathbb{E}_{y \sim p}\bigl[-\nabla_\theta \log q_y\bigr]",
    gradient_in_W(loss_in_W),
    gradient_in_W(loss_in_W),
    gradient_in_W(loss_in_W),
    gradient_in_W(loss_in_W),
    names=names,
)
states(r"z = Wa", None, model_logits, names=names)
