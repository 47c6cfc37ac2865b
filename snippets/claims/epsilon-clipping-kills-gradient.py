r"""With the clipped loss $-\log \max(q_y, \epsilon)$, $q = \operatorname{softmax}(z)$, the gradient
with respect to $z$ is exactly 0 wherever $q_y < \epsilon$, although there the true gradient
$q - e_y$ has $y$-th entry within $\epsilon$ of $-1$, the largest it can be; wherever
$q_y > \epsilon$ the two gradients agree."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states
from losses import cross_entropy, cross_entropy_grad, softmax

# 10 classes, the true class y = 0. Its logit runs from −40 to 10 while the other nine are
# standard normal, so q_y runs from about 1e-18 to nearly 1: confident mistakes to right answers.
rng = np.random.default_rng(9)
classes, y = 10, 0
logits = rng.normal(size=(2000, classes))
logits[:, y] = np.linspace(-40.0, 10.0, 2000)
one_hot = np.eye(classes)[np.zeros(2000, dtype=int) + y]
q_y = softmax(logits)[:, y]

regions = {}
for epsilon in (1e-4, 1e-7, 1e-12):

    def clipped_loss(z, epsilon=epsilon):
        return -np.log(np.maximum(softmax(z)[..., y], epsilon))

    clipped = numerical_gradient(clipped_loss, logits)
    # A step of h = 1e-6 changes q_y by a relative 1e-5 at most; logits whose q_y is within a
    # factor 10 of ε are left out, so no difference quotient straddles the kink at q_y = ε.
    flat, smooth = q_y < epsilon / 10, q_y > 10 * epsilon
    regions[epsilon] = flat, smooth
    # Clipped region: both sides of every difference quotient are −log ε, so the quotient is
    # exactly 0; the tolerance only makes the check well posed.
    close(
        clipped[flat],
        np.zeros_like(clipped[flat]),
        atol=1e-12,
        what=f"ε = {epsilon:g}: differences of the clipped loss where q_y < ε/10 against 0",
    )
    # Elsewhere: the clipped loss is −log q_y, its rounding error over h is ε₆₄·|loss|/h with
    # |loss| ≤ 28 here, about 6e-9: the tolerance is 1e-8.
    close(
        clipped[smooth],
        cross_entropy_grad(one_hot[smooth], logits[smooth]),
        atol=1e-8,
        what=f"ε = {epsilon:g}: differences of the clipped loss where q_y > 10ε against q − e_y",
    )

    # The true loss in the clipped region: its finite differences are q − e_y (|loss| ≤ 52,
    # rounding ≤ 1.2e-8 over h; tolerance 2e-8), and their y-th entry, q_y − 1, is within ε of
    # −1 as claimed, give or take those 2e-8.
    true = numerical_gradient(lambda z, flat=flat: cross_entropy(one_hot[flat], z), logits[flat])
    close(
        true,
        cross_entropy_grad(one_hot[flat], logits[flat]),
        atol=2e-8,
        what=f"ε = {epsilon:g}: differences of the true loss where q_y < ε/10 against q − e_y",
    )
    close(
        true[:, y],
        -np.ones(np.count_nonzero(flat)),
        atol=epsilon + 2e-8,
        what=f"ε = {epsilon:g}: y-th entry of the true gradient where q_y < ε/10 against −1",
    )

# The statement's formulas, read as the expressions checked above: the losses and gradients in
# sympy for three classes (true class first), the regions at the values of q_y checked.
z = sp.Matrix(sp.symbols("z1:4", real=True))
eps_symbol = sp.Symbol("epsilon", positive=True)
q = z.applyfunc(sp.exp) / sum(z.applyfunc(sp.exp))
e_y = sp.eye(3).col(0)
names = {"z": z, "q": q, "q_y": q[0], "epsilon": eps_symbol, "e_y": e_y}
states(r"-\log \max(q_y, \epsilon)", -sp.log(sp.Max(q[0], eps_symbol)), names=names)
states(r"q = \operatorname{softmax}(z)", None, q, names=names)
states(r"q - e_y", sp.Matrix([sp.diff(-sp.log(q[0]), z_k) for z_k in z]), names=names)
states(r"-1", -1, names={})  # the value the checks compare the y-th entry with
for epsilon, (flat, smooth) in regions.items():
    at_epsilon = {"epsilon": sp.Float(epsilon)}
    states(
        r"q_y < \epsilon",
        sp.Float(q_y[flat].max()),
        sp.Float(epsilon),
        names={**at_epsilon, "q_y": sp.Float(q_y[flat].max())},
        relations=("<",),
    )
    states(
        r"q_y > \epsilon",
        sp.Float(q_y[smooth].min()),
        sp.Float(epsilon),
        names={**at_epsilon, "q_y": sp.Float(q_y[smooth].min())},
        relations=(">",),
    )
