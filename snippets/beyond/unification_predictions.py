"""Softmax and sparsemax probabilities of 3 classes along a line of logits z = (t, 0.5, 0)."""

import numpy as np
from figures import figure_html, new_figure, shown
from losses import softmax, sparsemax

t = np.linspace(-2.0, 3.0, 501)
logits = np.stack([t, np.full_like(t, 0.5), np.zeros_like(t)], axis=-1)
sparse = sparsemax(logits)
names = ["class 1 (z₁ = t)", "class 2 (z₂ = 0.5)", "class 3 (z₃ = 0)"]

fig, (left, right) = new_figure(ncols=2, height=3.4)
for ax, title, probabilities in (
    (left, "softmax(z)", softmax(logits)),
    (right, "sparsemax(z)", sparse),
):
    for k, name in enumerate(names):
        ax.plot(t, probabilities[:, k], label=name)
    ax.set_title(title)
    ax.set_xlabel("t")
    ax.set_xlim(t[0], t[-1])
    ax.set_ylim(-0.03, 1.03)
left.set_ylabel("probability")
left.legend(loc="upper left")
# Where each class's sparsemax probability is exactly 0 (the grid of t holds each end).
zero_up_to = round(t[sparse[:, 0] == 0].max(), 2)
zero_from = {k: round(t[sparse[:, k] == 0].min(), 2) for k in (1, 2)}
print(
    figure_html(
        fig,
        "The probabilities of 3 classes with logits $z = (t, 0.5, 0)$, as $t$ goes from"
        f" ${t[0]:g}$ to ${t[-1]:g}$. Left, softmax: every class keeps a positive probability."
        " Right, sparsemax, the Euclidean projection of $z$ onto the simplex: probabilities are"
        f" piecewise linear in $t$ and hit exactly $0$ (class 1 for $t \\le {zero_up_to:g}$,"
        f" class 3 for $t \\ge {zero_from[2]:g}$, class 2 for $t \\ge {zero_from[1]:g}$),"
        + shown(
            f" so that for $t \\ge {zero_from[1]:g}$ all the mass is on class 1.",
            np.all(sparse[t >= zero_from[1], 0] == 1),
        ),
    )
)
