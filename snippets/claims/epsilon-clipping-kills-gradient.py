r"""With the clipped loss $-\log \max(q_y, \epsilon)$, $q = \operatorname{softmax}(z)$, the gradient
with respect to $z$ is exactly 0 wherever $q_y < \epsilon$, although there the true gradient
$q - e_y$ has $y$-th entry within $\epsilon$ of $-1$, the largest it can be; wherever
$q_y > \epsilon$ the two gradients agree."""

import numpy as np
from checks import close, numerical_gradient
from losses import cross_entropy, cross_entropy_grad, softmax

# 10 classes, the true class y = 0. Its logit runs from −40 to 10 while the other nine are
# standard normal, so q_y runs from about 1e-18 to nearly 1: confident mistakes to right answers.
rng = np.random.default_rng(9)
classes, y = 10, 0
logits = rng.normal(size=(2000, classes))
logits[:, y] = np.linspace(-40.0, 10.0, 2000)
one_hot = np.eye(classes)[np.zeros(2000, dtype=int) + y]
q_y = softmax(logits)[:, y]

for epsilon in (1e-4, 1e-7, 1e-12):

    def clipped_loss(z, epsilon=epsilon):
        return -np.log(np.maximum(softmax(z)[..., y], epsilon))

    clipped = numerical_gradient(clipped_loss, logits)
    # A step of h = 1e-6 changes q_y by a relative 1e-5 at most; logits whose q_y is within a
    # factor 10 of ε are left out, so no difference quotient straddles the kink at q_y = ε.
    flat, smooth = q_y < epsilon / 10, q_y > 10 * epsilon
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
