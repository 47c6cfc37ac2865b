r"""Adding $\epsilon$ inside the log scales the gradient instead of zeroing it:
$\nabla_z \bigl[-\log(q_y + \epsilon)\bigr] = -\frac{\nabla_z q_y}{q_y + \epsilon}
= -\frac{q_y (e_y - q)}{q_y + \epsilon} = \frac{q_y}{q_y + \epsilon}\,(q - e_y)$, so the
correction is less than half the true one wherever $q_y < \epsilon$ and about $q_y / \epsilon$ of
it for the most confident mistakes. The symbolic proof is for three classes."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import cross_entropy_grad, softmax

# Symbolic, three classes, true class y = 1: differentiate −log(q₁ + ε) by each logit.
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
epsilon = sp.Symbol("epsilon", positive=True)
total = sum(sp.exp(z_j) for z_j in z)
q = sp.Matrix([sp.exp(z_i) / total for z_i in z])
gradient = sp.Matrix([sp.diff(-sp.log(q[0] + epsilon), z_j) for z_j in z])
# cancel() writes each side as one fraction of polynomials in the exp(zᵢ) and ε, which is
# quicker than leaving it all to simplify.
symbolic(
    gradient.applyfunc(sp.cancel),
    (q[0] / (q[0] + epsilon) * (q - sp.eye(n).col(0))).applyfunc(sp.cancel),
    what="sympy, 3 classes: ∇_z −log(q_y + ε) = q_y/(q_y + ε) (q − e_y)",
)

# Numeric: 10 classes, the true logit from −40 to 10, the others standard normal, ε = 1e-7.
# The loss is at most −log ε ≈ 16, so the difference quotients' rounding is ε₆₄·16/h ≈ 4e-9:
# the tolerance is 1e-8.
rng = np.random.default_rng(10)
classes, y, eps = 10, 0, 1e-7
logits = rng.normal(size=(2000, classes))
logits[:, y] = np.linspace(-40.0, 10.0, 2000)
one_hot = np.zeros_like(logits)
one_hot[:, y] = 1.0
q_y = softmax(logits)[:, y]
close(
    numerical_gradient(lambda z: -np.log(softmax(z)[..., y] + eps), logits),
    (q_y / (q_y + eps))[:, None] * cross_entropy_grad(one_hot, logits),
    atol=1e-8,
    what="finite differences of −log(q_y + ε) against q_y/(q_y + ε) (q − e_y), ε = 1e-7",
)

# The statement's formulas, read as the expressions checked above.
names = {"q": q, "q_y": q[0], "epsilon": epsilon, "e_y": sp.eye(n).col(0)}
names[r"\nabla_z \bigl[-\log(q_y + \epsilon)\bigr]"] = gradient
names[r"\nabla_z q_y"] = sp.Matrix([sp.diff(q[0], z_j) for z_j in z])
states(
    r"\nabla_z \bigl[-\log(q_y + \epsilon)\bigr] = -\frac{\nabla_z q_y}{q_y + \epsilon}"
    r" = -\frac{q_y (e_y - q)}{q_y + \epsilon} = \frac{q_y}{q_y + \epsilon}\,(q - e_y)",
    gradient,
    gradient,
    gradient,
    q[0] / (q[0] + epsilon) * (q - sp.eye(n).col(0)),
    names=names,
)

# The two consequences, on the same logits: the factor q_y/(q_y + ε) is below ½ exactly where
# q_y < ε (compared as booleans: any disagreement is an error of 1, beyond 0.5), and where
# q_y < ε/1000 it is q_y/ε to within a relative 1e-3 (it is q_y/ε · ε/(q_y + ε)).
factor = q_y / (q_y + eps)
close(factor < 0.5, q_y < eps, atol=0.5, what="the factor is below ½ exactly where q_y < ε")
confident = q_y < eps / 1000
close(
    factor[confident],
    q_y[confident] / eps,
    rtol=1e-3,
    what="the factor against q_y/ε where q_y < ε/1000 (the most confident mistakes)",
)
q_value = sp.Symbol("q_y", positive=True)
states(
    r"q_y < \epsilon",
    q_value,
    epsilon,
    names={"q_y": q_value, "epsilon": epsilon},
    relations=("<",),
)
states(r"q_y / \epsilon", q_value / epsilon, names={"q_y": q_value, "epsilon": epsilon})
