r"""Training on one-hot labels drawn from $p$ is the sampled-label estimator: the cross entropy
is the expected loss of one label, $H(p, q) = \mathbb{E}_{y \sim p}\bigl[-\log q_y\bigr]$, that
loss is the one-hot cross entropy, $H(e_y, q) = -\log q_y$, and so the expected one-hot loss is
the cross entropy, $H(p, q) = \mathbb{E}_{y \sim p}\, H(e_y, q)$, exactly.
The symbolic proof is for three classes."""

import mpmath as mp
import numpy as np
import sympy as sp
from checks import close, states, statistical, symbolic
from losses import cross_entropy

# Symbolic, three classes, q = softmax(z): average the one-hot losses H(e_y, q) with weights
# p_y and compare with H(p, q) = −Σ p_i log q_i on the simplex p₃ = 1 − p₁ − p₂.
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
p = sp.symbols(f"p1:{n + 1}", nonnegative=True)
log_partition = sp.log(sum(sp.exp(z_i) for z_i in z))
log_q = [z_i - log_partition for z_i in z]  # log softmax(z)


def H(target):
    return -sum(t_i * log_q_i for t_i, log_q_i in zip(target, log_q, strict=True))


one_hot = sp.eye(n)
expected_one_hot_loss = sum(p[y] * H(one_hot.row(y)) for y in range(n))
on_simplex = {p[2]: 1 - p[0] - p[1]}
symbolic(
    expected_one_hot_loss.subs(on_simplex),
    H(p).subs(on_simplex),
    what="sympy, 3 classes: Σ_y p_y H(e_y, q) = H(p, q)",
)

# Exact expectation: the site's cross_entropy on the 6 one-hot targets, averaged with weights
# p_y, against H(p, q) = −Σ pᵢ log qᵢ computed independently in 50-digit arithmetic (mpmath),
# for 200 random (p, z) of 6 classes. Losses are below about 15 and the float64 sum has 6 terms,
# so its rounding is ≈ 1e-14 in relative terms; 1e-12 relative leaves room.
rng = np.random.default_rng(1)
cases, classes = 200, 6
logits = rng.normal(scale=2.0, size=(cases, classes))
targets = rng.dirichlet(np.ones(classes), size=cases)
shape = (cases, classes, classes)  # [case, y, :]: the one-hot e_y against the case's logits
one_hot_losses = cross_entropy(
    np.broadcast_to(np.eye(classes), shape), np.broadcast_to(logits[:, None, :], shape)
)


def cross_entropy_50_digits(target, z_row):
    with mp.workdps(50):
        exponentials = [mp.exp(mp.mpf(float(z_i))) for z_i in z_row]
        total = mp.fsum(exponentials)
        return float(
            -mp.fsum(
                mp.mpf(float(t)) * mp.log(e / total)
                for t, e in zip(target, exponentials, strict=True)
            )
        )


close(
    np.sum(targets * one_hot_losses, axis=-1),
    [cross_entropy_50_digits(t, z_row) for t, z_row in zip(targets, logits, strict=True)],
    rtol=1e-12,
    what="Σ_y p_y cross_entropy(e_y, z) against H(p, q) in 50-digit arithmetic, 200 cases",
)

# Monte Carlo, one example: the mean one-hot loss over 20,000 labels y ~ p, as a training set
# labelled by sampling would give, lies within 5 standard errors of H(p, q).
z_example = np.array([1.0, 0.5, -0.5, -1.0])
p_example = np.array([0.1, 0.4, 0.3, 0.2])
labels = rng.choice(len(p_example), size=20_000, p=p_example)
statistical(
    cross_entropy(np.eye(len(p_example))[labels], np.broadcast_to(z_example, (len(labels), 4))),
    cross_entropy(p_example, z_example),
    what="mean one-hot loss over 20,000 labels y ~ p vs H(p, q)",
)

# The statement's formulas, read as the expressions checked above: the expectation of −log q_y
# is the p-weighted sum of sympy's log softmax, H(e_y, q) the one-hot cross entropy for each y.
names = {
    "p": sp.Matrix(p).subs(on_simplex),
    "H(p, q)": H(p).subs(on_simplex),
    r"\mathbb{E}_{y \sim p}\, H(e_y, q)": expected_one_hot_loss.subs(on_simplex),
    r"\mathbb{E}_{y \sim p}\bigl[-\log q_y\bigr]": sum(p[y] * -log_q[y] for y in range(n)).subs(
        on_simplex
    ),
}
states(
    r"H(p, q) = \mathbb{E}_{y \sim p}\bigl[-\log q_y\bigr]",
    H(p).subs(on_simplex),
    H(p).subs(on_simplex),
    names=names,
)
states(
    r"H(p, q) = \mathbb{E}_{y \sim p}\, H(e_y, q)",
    H(p).subs(on_simplex),
    H(p).subs(on_simplex),
    names=names,
)
for y in range(n):
    states(
        r"H(e_y, q) = -\log q_y",
        H(one_hot.row(y)),
        -log_q[y],
        names={"H(e_y, q)": H(one_hot.row(y)), "q_y": sp.exp(log_q[y])},
    )
