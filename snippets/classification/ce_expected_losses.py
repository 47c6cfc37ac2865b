"""Expected losses under y ~ p along a line through p: proper losses bottom out at q = p."""

import numpy as np
from figures import figure_html, new_figure
from losses import cross_entropy

p = np.array([0.6, 0.3, 0.1])
labels = np.eye(len(p))
# q(s) = p + s (e₁ − p): s = 0 is the target, s = 1 the vertex e₁, s < 0 moves mass off class 1.
s = np.linspace(-0.9, 0.95, 371)
q = p + s[:, None] * (labels[0] - p)


def expected(per_label_loss):
    """Σ_y p_y L(e_y, q) at every q of the line, minus its value at q = p."""
    values = np.stack([per_label_loss(e_y, q) for e_y in labels], axis=-1) @ p
    at_target = np.stack([per_label_loss(e_y, p[None]) for e_y in labels], axis=-1) @ p
    return values - at_target


curves = {
    "cross entropy": lambda e_y, q_: cross_entropy(np.broadcast_to(e_y, q_.shape), np.log(q_)),
    "Brier": lambda e_y, q_: np.sum((q_ - e_y) ** 2, axis=-1),
    "spherical": lambda e_y, q_: -(q_ @ e_y) / np.linalg.norm(q_, axis=-1),
    "linear": lambda e_y, q_: -(q_ @ e_y),
    "quartic, sampled labels": lambda e_y, q_: np.sum((q_ - e_y) ** 4, axis=-1),
}
fig, ax = new_figure()
for (name, loss), style in zip(curves.items(), ["-", "-", "-", "--", ":"], strict=True):
    ax.plot(s, expected(loss), style, label=name)
ax.axvline(0.0, color="black", linewidth=1.0)
ax.annotate("q = p", xy=(0.0, -0.2), xytext=(0.03, -0.2))
ax.set_ylim(-0.22, 0.45)
ax.set_xlabel("s, where q = p + s (e₁ − p)   (s = 1 is the vertex e₁)")
ax.set_ylabel("expected loss − its value at q = p")
ax.legend(loc="lower left", ncols=2, fontsize=9)
print(
    figure_html(
        fig,
        "Expected loss under y ~ p for p = (0.6, 0.3, 0.1), along the line from p towards the "
        "vertex e₁. Cross entropy, Brier and spherical are lowest at q = p; the linear loss "
        "keeps falling towards the vertex; the quartic loss on sampled labels is lowest at s < 0.",
    )
)
