r"""When the sampling distribution $\pi_\theta$ depends on $\theta$, $\nabla_\theta \sum_y
\pi_\theta(y)\, f_\theta(y) = \underbrace{\mathbb{E}_{y \sim \pi_\theta}\bigl[\nabla_\theta
f_\theta(y)\bigr]}_{\text{backpropagate the sample}} + \underbrace{\mathbb{E}_{y \sim
\pi_\theta}\bigl[f_\theta(y)\, \nabla_\theta \log \pi_\theta(y)\bigr]}_{\text{score-function
term}}$; the sampled-label estimator has none, its labels coming from $p$, free of $\theta$. For the
entropy $H(q) = \mathbb{E}_{y \sim q}[-\log q_y]$, sampled from the model, $\nabla_z H(q) = -\sum_y
\Bigl( q_y (e_y - q) \log q_y + q_y (e_y - q) \Bigr) = -q \odot \log q - H(q)\, q - (q - q) = -q
\odot \bigl(\log q + H(q)\bigr)$, but backpropagating $-\log q_y$ alone gives $\mathbb{E}_{y \sim
q}\bigl[q - e_y\bigr] = q - q = 0$, biased; REINFORCE's score-function term $(-\log q_y)(e_y - q)$
makes it unbiased (proved for three classes)."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, statistical, symbolic
from losses import log_softmax, softmax


def entropy(z):
    """H(softmax z) = −Σ_y q_y log q_y along the last axis."""
    return -np.sum(softmax(z) * log_softmax(z), axis=-1)


# Symbolic, three classes, written with u_k = exp z_k > 0, so q_y = u_y / S with S = Σ u and
# log q_y = log u_y − log S, and the chain rule ∂/∂z_k = u_k ∂/∂u_k. sympy differentiates
# H(q) = −Σ q_y log q_y, compared with the closed form −q ⊙ (log q + H); then come the exact
# expectations over y ~ q of the backpropagated term q − e_y (which must be 0) and of the
# REINFORCE estimate (q − e_y) + (−log q_y)(e_y − q), with ∇_z log q_y = e_y − q (which must be
# the gradient). After differentiating, log u_y and log S are renamed l_y and L: if the sides
# agree as rational functions of independent u, l and L, they agree for every z, and sympy
# proves that fast by cancelling.
n = 3
u = sp.symbols(f"u1:{n + 1}", positive=True)
S = sum(u)
q = sp.Matrix([u_y / S for u_y in u])
log_q = sp.Matrix([sp.log(u_y) - sp.log(S) for u_y in u])
H = -sum(q[y] * log_q[y] for y in range(n))
renames = {
    sp.log(S): sp.Symbol("L", real=True),
    **{sp.log(u_y): sp.Symbol(f"l{y + 1}", real=True) for y, u_y in enumerate(u)},
}


def rational(matrix):
    return sp.Matrix(matrix).applyfunc(lambda entry: sp.cancel(entry.subs(renames)))


entropy_gradient = sp.Matrix([u[k] * sp.diff(H, u[k]) for k in range(n)])  # ∂H/∂z_k
gradient = rational(entropy_gradient)
symbolic(
    gradient,
    rational([-q[k] * (log_q[k] + H) for k in range(n)]),
    what="sympy, 3 classes: ∇_z H(q) = −q ⊙ (log q + H(q))",
)
one_hot = sp.eye(n)
backpropagated = [q - one_hot.col(y) for y in range(n)]
symbolic(
    rational(sum((q[y] * backpropagated[y] for y in range(n)), sp.zeros(n, 1))),
    sp.zeros(n, 1),
    what=r"sympy, 3 classes: $\mathbb{E}_{y \sim q}[q - e_y] = 0$, whatever the gradient is",
)
reinforce = [backpropagated[y] + (-log_q[y]) * (one_hot.col(y) - q) for y in range(n)]
symbolic(
    rational(sum((q[y] * reinforce[y] for y in range(n)), sp.zeros(n, 1))),
    gradient,
    what=r"sympy, 3 classes:"
    r" $\mathbb{E}_{y \sim q}[(q - e_y) + (-\log q_y)(e_y - q)] = \nabla_z H(q)$",
)

# Numeric: central differences of the entropy against the closed form, 200 random logits of 5
# classes (|H| ≤ log 5, so rounding ≈ ε/h ≈ 1e-10; 1e-8 absolute as for the cross entropy).
rng = np.random.default_rng(3)
logits = rng.normal(scale=2.0, size=(200, 5))
closed_form = -softmax(logits) * (log_softmax(logits) + entropy(logits)[:, None])
close(
    numerical_gradient(entropy, logits),
    closed_form,
    atol=1e-8,
    what="finite differences of H(softmax z) against −q ⊙ (log q + H), 200 cases",
)

# Monte Carlo, one example of 4 classes: 50,000 labels y ~ q from the model itself. Each mean
# is compared, within 5 standard errors, with what it estimates: the backpropagated term with 0
# (so it misses the gradient), the REINFORCE estimate with the finite-difference gradient.
z_example = np.array([2.0, 0.5, -0.5, -1.0])
q_example = softmax(z_example)
labels = rng.choice(len(q_example), size=50_000, p=q_example)
one_hots = np.eye(len(q_example))[labels]
backpropagated_samples = q_example - one_hots
score = one_hots - q_example  # ∇_z log q_y
reinforce_samples = backpropagated_samples + (-log_softmax(z_example)[labels])[:, None] * score
statistical(
    backpropagated_samples,
    np.zeros(len(q_example)),
    what="mean of q − e_y over 50,000 labels y ~ q vs 0",
)
statistical(
    reinforce_samples,
    numerical_gradient(entropy, z_example),
    what="mean of the REINFORCE estimate over 50,000 labels y ~ q vs finite differences of H(q)",
)

# The statement's formulas, read as the expressions checked above, in u = exp z (positive).


def elementwise_log(value):
    return value.applyfunc(sp.log) if isinstance(value, sp.MatrixBase) else sp.log(value)


def entropy_of(distribution):
    return -sum(entry * sp.log(entry) for entry in distribution)


names = {
    "q": q,
    "log": elementwise_log,
    "H": entropy_of,
    r"\mathbb{E}_{y \sim q}[-\log q_y]": sum(q[y] * -log_q[y] for y in range(n)),
    r"\nabla_z H(q)": entropy_gradient,
    r"\mathbb{E}_{y \sim q}\bigl[q - e_y\bigr]": sum(
        (q[y] * backpropagated[y] for y in range(n)), sp.zeros(n, 1)
    ),
}
states(r"H(q) = \mathbb{E}_{y \sim q}[-\log q_y]", H, H, names=names)
# The middle of the chain: the sum over labels written out (∇_z q_y = q_y(e_y − q)).
names[r"\sum_y \Bigl( q_y (e_y - q) \log q_y + q_y (e_y - q) \Bigr)"] = sum(
    (q[y] * (one_hot.col(y) - q) * sp.log(q[y]) + q[y] * (one_hot.col(y) - q) for y in range(n)),
    sp.zeros(n, 1),
)
states(
    r"\nabla_z H(q) = -\sum_y \Bigl( q_y (e_y - q) \log q_y + q_y (e_y - q) \Bigr)"
    r" = -q \odot \log q - H(q)\, q - (q - q) = -q \odot \bigl(\log q + H(q)\bigr)",
    entropy_gradient,
    entropy_gradient,
    entropy_gradient,
    entropy_gradient,
    names=names,
)
states(
    r"\mathbb{E}_{y \sim q}\bigl[q - e_y\bigr] = q - q = 0",
    sum((q[y] * backpropagated[y] for y in range(n)), sp.zeros(n, 1)),
    sp.zeros(n, 1),
    0,
    names=names,
)
for y in range(n):
    label = {**names, "q_y": q[y], "e_y": one_hot.col(y)}
    states(r"-\log q_y", -log_q[y], names=label)
    states(r"(-\log q_y)(e_y - q)", reinforce[y] - backpropagated[y], names=label)

# The product rule, for π_θ = q = softmax(θ) and f_θ(y) = −log q_y (the entropy above), with
# log q_y = θ_y − log Σ exp(θ): sympy's gradient of the sum against the two expectations, each
# the q-weighted sum of its gradients.
theta = sp.Matrix(sp.symbols(f"theta1:{n + 1}", real=True))
log_pi = [theta[y] - sp.log(sum(theta.applyfunc(sp.exp))) for y in range(n)]
pi = [sp.exp(log_pi_y) for log_pi_y in log_pi]


def gradient_in_theta(function):
    return sp.Matrix([sp.diff(function, parameter) for parameter in theta])


objective = sum(pi[y] * -log_pi[y] for y in range(n))
backpropagated_term = sum((pi[y] * gradient_in_theta(-log_pi[y]) for y in range(n)), sp.zeros(n, 1))
score_term = sum(
    (pi[y] * -log_pi[y] * gradient_in_theta(log_pi[y]) for y in range(n)), sp.zeros(n, 1)
)
product_rule = {
    r"\nabla_\theta \sum_y \pi_\theta(y)\, f_\theta(y)": gradient_in_theta(objective),
    r"\underbrace{\mathbb{E}_{y \sim \pi_\theta}\bigl[\nabla_\theta f_\theta(y)\bigr]}"
    r"_{\text{backpropagate the sample}}": backpropagated_term,
    r"\underbrace{\mathbb{E}_{y \sim \pi_\theta}\bigl[f_\theta(y)\, \nabla_\theta \log"
    r" \pi_\theta(y)\bigr]}_{\text{score-function term}}": score_term,
}
states(
    r"\nabla_\theta \sum_y \pi_\theta(y)\, f_\theta(y)"
    r" = \underbrace{\mathbb{E}_{y \sim \pi_\theta}\bigl[\nabla_\theta f_\theta(y)\bigr]}"
    r"_{\text{backpropagate the sample}}"
    r" + \underbrace{\mathbb{E}_{y \sim \pi_\theta}\bigl[f_\theta(y)\, \nabla_\theta \log"
    r" \pi_\theta(y)\bigr]}_{\text{score-function term}}",
    gradient_in_theta(objective),
    gradient_in_theta(objective),
    names=product_rule,
)
