"""Figure: q, p and the residual q − p for four classes, next to the softmax Jacobian J."""

import numpy as np
from figures import PALETTE, figure_html, new_figure, shown, text_colour_on
from losses import cross_entropy, cross_entropy_grad, softmax

z = np.array([2.0, 1.0, 0.2, -1.0])
p = np.array([0.0, 1.0, 0.0, 0.0])  # the label is class 2; the model favours class 1
q = softmax(z)
residual = cross_entropy_grad(p, z)
jacobian = np.diag(q) - np.outer(q, q)
classes = np.arange(1, 5)

fig, (bars, heatmap) = new_figure(ncols=2, width=8.0, height=3.6)
width = 0.27
for offset, values, label, colour in [
    (-width, q, "prediction $q$", PALETTE[0]),
    (0.0, p, "target $p$", PALETTE[1]),
    (width, residual, "gradient $q - p$", PALETTE[3]),
]:
    bars.bar(classes + offset, values, width, label=label, color=colour)
bars.axhline(0.0, color="black", linewidth=0.8)
bars.set_xticks(classes, [f"class {k}" for k in classes])
bars.set_ylim(-1.05, 1.05)
logits = f"({', '.join(f'{value:g}' for value in z)})"
label_class = int(np.argmax(p)) + 1
bars.set_title(f"Logits z = {logits}, label class {label_class}", fontsize=10)
bars.legend(loc="lower left", fontsize=9)

limit = np.abs(jacobian).max()
cells = heatmap.imshow(jacobian, cmap="PuOr_r", vmin=-limit, vmax=limit)
heatmap.grid(False)
for i in range(4):
    for j in range(4):
        # The cells are opaque, so their text is black or white in both themes.
        colour = text_colour_on(cells.to_rgba(jacobian[i, j]))
        heatmap.text(
            j, i, f"{jacobian[i, j]:.3f}", ha="center", va="center", fontsize=9, color=colour
        )
heatmap.set_xticks(range(4), classes)
heatmap.set_yticks(range(4), classes)
heatmap.set_title("Softmax Jacobian J = diag(q) - qqᵀ", fontsize=10)

# The caption says what the plotted arrays show, each sentence tested on them. The bars and
# the cells are compared with central differences of the loss (h = 1e-5: truncation h² ≈ 1e-10,
# rounding ε/h ≈ 1e-11), so they are what the caption calls them.
h = 1e-5
steps = np.eye(len(z)) * h
finite_gradient = np.array(
    [(cross_entropy(p, z + step) - cross_entropy(p, z - step)) / (2 * h) for step in steps]
)
finite_hessian = np.array(
    [
        (cross_entropy_grad(p, z + step) - cross_entropy_grad(p, z - step)) / (2 * h)
        for step in steps
    ]
)
caption = [
    shown(
        f"Left: for logits {logits} and the label class {label_class}, the softmax prediction q,"
        " the one-hot target p and the gradient of the cross entropy, q - p,",
        np.allclose(residual, finite_gradient, atol=1e-8) and np.allclose(residual, q - p),
    ),
    shown("whose entries sum to 0.", abs(residual.sum()) < 1e-12),
    shown(
        "Right: the softmax Jacobian J = diag(q) - qqᵀ at the same logits, which is also the"
        " Hessian of the loss:",
        np.allclose(jacobian, finite_hessian, atol=1e-8),
    ),
    shown(
        "symmetric, positive on the diagonal, and each row sums to 0.",
        np.allclose(jacobian, jacobian.T)
        and np.all(np.diag(jacobian) > 0)
        and np.allclose(jacobian.sum(axis=1), 0),
    ),
]
print(figure_html(fig, " ".join(caption)))
