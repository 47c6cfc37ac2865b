"""The two losses for t = 1 against the logit, and the size of their gradients."""

import numpy as np
from figures import figure_html, new_figure

z = np.linspace(-12.0, 6.0, 400)
q = 1 / (1 + np.exp(-z))
cross_entropy = np.logaddexp(0.0, z) - z  # softplus(z) − tz at t = 1
squared_error = 0.5 * (q - 1) ** 2
# Gradient sizes: |σ − 1| = 1 − σ, and |(σ − 1)σ(1 − σ)| = σ(1 − σ)²; 1 − σ(z) is σ(−z).
gradient_cross_entropy = 1 / (1 + np.exp(z))
gradient_squared_error = q * gradient_cross_entropy**2

fig, (left, right) = new_figure(ncols=2, height=3.4)
left.plot(z, cross_entropy, label="cross entropy")
left.plot(z, squared_error, label="squared error after a sigmoid")
left.axvline(-np.log(2), color="black", linestyle=":", linewidth=1)
left.set_ylim(0, 4)
left.set_xlabel("logit z")
left.set_ylabel("loss for t = 1")
left.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0))
right.plot(z, gradient_cross_entropy, label="|σ − t|")
right.plot(z, gradient_squared_error, label="|(σ − t)σ(1 − σ)|")
right.set_yscale("log")
right.set_ylim(1e-6, 2)
right.set_xlabel("logit z")
right.set_ylabel("size of the gradient (log scale)")
right.legend(loc="lower center")
print(
    figure_html(
        fig,
        r"Left: for target $t = 1$, cross entropy grows linearly as the logit $z$ goes wrong,"
        r" while squared error after a sigmoid flattens out at $\tfrac12$ and bends the wrong"
        r" way (it is concave left of the dotted line $z = -\ln 2$). Right: the size of the"
        r" gradients, log scale. Cross entropy's tends to $1$ for a confident mistake; the"
        r" squared error's falls like $e^z$, below $10^{-5}$ at $z = -12$.",
    )
)
