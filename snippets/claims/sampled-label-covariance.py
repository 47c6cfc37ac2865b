r"""For a label $y$ drawn from $p$, the one-label gradient has covariance
$\operatorname{Cov}(q - e_y) = \operatorname{diag}(p) - pp^\top$, which does not depend on $q$
and has trace
$\operatorname{tr} \operatorname{Cov}(q - e_y) = \sum_i p_i - \sum_i p_i^2 = 1 - \lVert p \rVert^2$;
the mean of $B$ labels drawn independently for the same input (the same $p$ and $q$) has
covariance $(\operatorname{diag}(p) - pp^\top)/B$, and the
soft-target gradient $q - p$ is that mean itself, with no noise.
The symbolic proof is for three classes and $B = 2$ labels."""

import itertools

import numpy as np
import sympy as sp
from checks import close, states, statistical, symbolic
from losses import cross_entropy_grad, softmax

# Symbolic, three classes: the exact covariance Σ_y p_y (g_y − ḡ)(g_y − ḡ)ᵀ of g_y = q − e_y,
# with ḡ = Σ_y p_y g_y, for symbols q₁, q₂, q₃ and p on the simplex p₃ = 1 − p₁ − p₂. The
# q-symbols must cancel: the result is compared with diag(p) − ppᵀ, which has none. Every
# quantity is a polynomial, expanded as it is built: the expansion is the proof, and fast.
n = 3
p1, p2 = sp.symbols("p1 p2", nonnegative=True)
p = sp.Matrix([p1, p2, 1 - p1 - p2])
q = sp.Matrix(sp.symbols(f"q1:{n + 1}", real=True))
one_hot = sp.eye(n)


def expanded(matrix):
    return matrix.applyfunc(sp.expand)


def covariance_of(outcomes):
    """Exact mean and covariance of a vector taking the value outcomes[k] with probability k."""
    mean = expanded(sum((weight * value for weight, value in outcomes), sp.zeros(n, 1)))
    deviations = [(weight, expanded(value - mean)) for weight, value in outcomes]
    return expanded(sum((w * d * d.T for w, d in deviations), sp.zeros(n, n)))


formula = expanded(sp.diag(*p) - p * p.T)
covariance = covariance_of([(p[y], q - one_hot.col(y)) for y in range(n)])
symbolic(covariance, formula, what="sympy, 3 classes: Cov(q − e_y) = diag(p) − ppᵀ, for any q")
symbolic(
    covariance.trace(),
    sp.expand(1 - (p.T * p)[0]),
    what="sympy, 3 classes: trace of Cov = 1 − ‖p‖²",
)

# Symbolic, a minibatch of B = 2 labels: enumerate the 9 pairs (a, b) with probability p_a p_b;
# the batch gradient is q − (e_a + e_b)/2 and its exact covariance must be the formula over 2.
pair = 2
batch_covariance = covariance_of(
    [
        (p[a] * p[b], q - (one_hot.col(a) + one_hot.col(b)) / pair)
        for a, b in itertools.product(range(n), repeat=pair)
    ]
)
symbolic(batch_covariance, formula / pair, what="sympy, 3 classes, B = 2: Cov = (diag(p) − ppᵀ)/2")

# Monte Carlo, 4 classes: the outer products of (q − e_y) − (q − p) over 20,000 labels y ~ p
# estimate the covariance; their mean must be within 5 of their own standard errors of it.
rng = np.random.default_rng(2)
z_example = np.array([1.0, 0.5, -0.5, -1.0])
p_example = np.array([0.1, 0.4, 0.3, 0.2])
classes = len(p_example)
expected_covariance = np.diag(p_example) - np.outer(p_example, p_example)
q_example = softmax(z_example)
labels = rng.choice(classes, size=20_000, p=p_example)
centred = (q_example - np.eye(classes)[labels]) - (q_example - p_example)
statistical(
    (centred[:, :, None] * centred[:, None, :]).reshape(len(labels), -1),
    expected_covariance.ravel(),
    what="outer products of q − e_y centred at q − p, 20,000 labels, vs diag(p) − ppᵀ",
)

# Monte Carlo, minibatches of B = 16: 5,000 batches drawn with rng.multinomial (the counts of
# each class in a batch); the batch gradient is q − counts/B and its centred outer products
# must average to the formula divided by 16.
B = 16
counts = rng.multinomial(B, p_example, size=5_000)
batch_centred = (q_example - counts / B) - (q_example - p_example)
statistical(
    (batch_centred[:, :, None] * batch_centred[:, None, :]).reshape(len(counts), -1),
    expected_covariance.ravel() / B,
    what="5,000 minibatches of B = 16: covariance of the batch gradient vs (diag(p) − ppᵀ)/16",
)

# Soft target: cross_entropy_grad(p, z) against the exact mean Σ_y p_y cross_entropy_grad(e_y, z)
# of the one-label gradients, for 500 random (p, z) of 6 classes. It is a function of (p, z)
# alone, so it has no sampling noise at all; entries are at most 1 and the sum has 6 terms,
# so rounding is a few ε and 1e-14 absolute leaves room.
cases, n_classes = 500, 6
logits = rng.normal(scale=2.0, size=(cases, n_classes))
targets = rng.dirichlet(np.ones(n_classes), size=cases)
shape = (cases, n_classes, n_classes)  # [case, y, :]: the one-hot e_y against the case's logits
one_label_gradients = cross_entropy_grad(
    np.broadcast_to(np.eye(n_classes), shape), np.broadcast_to(logits[:, None, :], shape)
)
close(
    cross_entropy_grad(targets, logits),
    np.einsum("cy,cyk->ck", targets, one_label_gradients),
    atol=1e-14,
    what="soft-target gradient against the exact mean of the one-label gradients, 500 cases",
)

# The statement's formulas, read as the expressions checked above.
names = {"p": p, "q": q, r"\operatorname{Cov}(q - e_y)": covariance, "B": pair}
states(
    r"\operatorname{Cov}(q - e_y) = \operatorname{diag}(p) - pp^\top",
    covariance,
    formula,
    names=names,
)
trace_names = {
    **names,
    r"\operatorname{tr} \operatorname{Cov}(q - e_y)": covariance.trace(),
    r"\sum_i p_i^2": sum(p_i**2 for p_i in p),
    r"\sum_i p_i": sum(p),
}
states(
    r"\operatorname{tr} \operatorname{Cov}(q - e_y) = \sum_i p_i - \sum_i p_i^2"
    r" = 1 - \lVert p \rVert^2",
    covariance.trace(),
    covariance.trace(),
    covariance.trace(),
    names=trace_names,
)
states(r"(\operatorname{diag}(p) - pp^\top)/B", batch_covariance, names=names)
states(r"q - p", q - p, names=names)
states(r"B = 2", None, sp.Integer(pair), names={})
