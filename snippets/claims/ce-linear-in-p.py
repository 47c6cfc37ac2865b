r"""The cross entropy is linear in the target: for distributions $p$, $p'$, any $q$ and
$0 \le \alpha \le 1$,
$H\bigl(\alpha p + (1 - \alpha) p', q\bigr)
= -\sum_i \bigl(\alpha p_i + (1 - \alpha) p'_i\bigr) \log q_i
= \alpha H(p, q) + (1 - \alpha) H(p', q)$, and in particular
$H(p, q) = \sum_y p_y \, H(e_y, q) = \mathbb{E}_{y \sim p}\bigl[-\log q_y\bigr]$; as $p$ does
not depend on the parameters $\theta$ of the model, also
$\nabla_\theta H(p, q) = \mathbb{E}_{y \sim p}\bigl[-\nabla_\theta \log q_y\bigr]$.
The symbolic proofs are for three classes, the last for a linear model of two inputs."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import cross_entropy

# Symbolic, three classes: H(target, q) = −Σ tᵢ log qᵢ, mixed targets against mixed losses.
n = 3
alpha = sp.Symbol("alpha", real=True)
p = sp.symbols(f"p1:{n + 1}", nonnegative=True)
p_other = sp.symbols(f"r1:{n + 1}", nonnegative=True)
q = sp.symbols(f"q1:{n + 1}", positive=True)


def H(target):
    return -sum(t_i * sp.log(q_i) for t_i, q_i in zip(target, q, strict=True))


mixture = [alpha * p_i + (1 - alpha) * r_i for p_i, r_i in zip(p, p_other, strict=True)]
symbolic(
    H(mixture),
    alpha * H(p) + (1 - alpha) * H(p_other),
    what="sympy, 3 classes: H(αp + (1 − α)p′, q) = αH(p, q) + (1 − α)H(p′, q)",
)
one_hot = sp.eye(n)
symbolic(
    H(p),
    sum(p[y] * H(one_hot.row(y)) for y in range(n)),
    what="sympy, 3 classes: H(p, q) = Σ_y p_y H(e_y, q)",
)

# Numeric: the site's cross_entropy (from logits z, q = softmax z) on 1,000 random triples
# (p, p′, α) of 5 classes. Losses are below about 20; each side sums 5 terms rounded to ≈ 1e-15
# relative, so the sides agree to ≈ 1e-14 relative and 1e-12 leaves room.
rng = np.random.default_rng(5)
cases, classes = 1_000, 5
logits = rng.normal(scale=3.0, size=(cases, classes))
p_values, p_other_values = rng.dirichlet(np.ones(classes), size=(2, cases))
alphas = rng.uniform(size=(cases, 1))
close(
    cross_entropy(alphas * p_values + (1 - alphas) * p_other_values, logits),
    alphas[:, 0] * cross_entropy(p_values, logits)
    + (1 - alphas[:, 0]) * cross_entropy(p_other_values, logits),
    rtol=1e-12,
    what="cross_entropy of the mixed target against the mixed cross_entropy, 1,000 cases",
)

# The statement's formulas, read as the expressions checked above; each sum written out, the
# expectation as the p-weighted sum of the one-label losses −log q_y.
names = {"alpha": alpha, "p": p, "p'": p_other, "H": lambda target, q: H(target), "q": q}
names[r"\sum_i \bigl(\alpha p_i + (1 - \alpha) p'_i\bigr) \log q_i"] = sum(
    m_i * sp.log(q_i) for m_i, q_i in zip(mixture, q, strict=True)
)
names[r"\sum_y p_y \, H(e_y, q)"] = sum(p[y] * H(one_hot.row(y)) for y in range(n))
names[r"\mathbb{E}_{y \sim p}\bigl[-\log q_y\bigr]"] = sum(p[y] * -sp.log(q[y]) for y in range(n))
states(
    r"H\bigl(\alpha p + (1 - \alpha) p', q\bigr)"
    r" = -\sum_i \bigl(\alpha p_i + (1 - \alpha) p'_i\bigr) \log q_i"
    r" = \alpha H(p, q) + (1 - \alpha) H(p', q)",
    H(mixture),
    H(mixture),
    alpha * H(p) + (1 - alpha) * H(p_other),
    names=names,
)
states(
    r"H(p, q) = \sum_y p_y \, H(e_y, q) = \mathbb{E}_{y \sim p}\bigl[-\log q_y\bigr]",
    H(p),
    names[r"\sum_y p_y \, H(e_y, q)"],
    H(p),
    names=names,
)
states(r"0 \le \alpha \le 1", 0, None, 1, names=names, relations=(r"\le", r"\le"))

# The gradient passes inside the expectation: for a linear model z = θa of an input a, sympy's
# gradient in θ of H(p, softmax(θa)) against the p-weighted sum of the one-label gradients
# −∇_θ log q_y, with log q_y = z_y − log Σ exp(z).
theta = sp.Matrix(n, 2, lambda i, j: sp.Symbol(f"theta{i + 1}{j + 1}", real=True))
logits = theta * sp.Matrix(sp.symbols("a1:3", real=True))
log_q = [logits[y] - sp.log(sum(logits.applyfunc(sp.exp))) for y in range(n)]
simplex_p = [*p[:-1], 1 - sum(p[:-1])]


def gradient_in_theta(function):
    return sp.Matrix([sp.diff(function, parameter) for parameter in theta])


full_gradient = gradient_in_theta(-sum(simplex_p[y] * log_q[y] for y in range(n)))
expected_gradient = sum(
    (simplex_p[y] * gradient_in_theta(-log_q[y]) for y in range(n)), sp.zeros(len(theta), 1)
)
symbolic(
    expected_gradient,
    full_gradient,
    what=r"sympy, 3 classes, z = θa: $\sum_y p_y (-\nabla_\theta \log q_y) = \nabla_\theta H$",
)
states(
    r"\nabla_\theta H(p, q) = \mathbb{E}_{y \sim p}\bigl[-\nabla_\theta \log q_y\bigr]",
    full_gradient,
    full_gradient,
    names={
        r"\nabla_\theta H(p, q)": full_gradient,
        r"\mathbb{E}_{y \sim p}\bigl[-\nabla_\theta \log q_y\bigr]": expected_gradient,
    },
)
