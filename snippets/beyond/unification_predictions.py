"""Softmax and sparsemax probabilities of 3 classes along a line of logits z = (t, 0.5, 0)."""

import numpy as np
from figures import figure_html, new_figure
from losses import softmax, sparsemax

t = np.linspace(-2.0, 3.0, 501)
logits = np.stack([t, np.full_like(t, 0.5), np.zeros_like(t)], axis=-1)
names = ["class 1 (z₁ = t)", "class 2 (z₂ = 0.5)", "class 3 (z₃ = 0)"]

fig, (left, right) = new_figure(ncols=2, height=3.4)
for ax, title, probabilities in (
    (left, "softmax(z)", softmax(logits)),
    (right, "sparsemax(z)", sparsemax(logits)),
):
    for k, name in enumerate(names):
        ax.plot(t, probabilities[:, k], label=name)
    ax.set_title(title)
    ax.set_xlabel("t")
    ax.set_xlim(t[0], t[-1])
    ax.set_ylim(-0.03, 1.03)
left.set_ylabel("probability")
left.legend(loc="upper left")
print(
    figure_html(
        fig,
        "The probabilities of 3 classes with logits z = (t, 0.5, 0), as t goes from −2 to 3."
        " Left, softmax: every class keeps a positive probability. Right, sparsemax, the"
        " Euclidean projection of z onto the simplex: probabilities are piecewise linear in t"
        " and hit exactly 0 (class 1 for t ≤ −0.25, class 3 for t ≥ 0.5, class 2 for t ≥ 1.5),"
        " so that for t ≥ 1.5 all the mass is on class 1.",
    )
)
