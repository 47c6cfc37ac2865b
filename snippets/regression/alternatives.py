"""Figure: four losses of d = x − y that vanish only at d = 0, and their derivatives."""

import numpy as np
from figures import figure_html, new_figure, shown

d = np.linspace(-2.0, 2.0, 801)
# (label, loss, derivative with respect to x), as on the page and in mse-alternatives-derivatives.
curves = [
    (r"$\frac{1}{2}d^2$", d**2 / 2, d),
    (r"$d^4$", d**4, 4 * d**3),
    (
        r"$\sin^2 d + \sin^2 \pi d$",
        np.sin(d) ** 2 + np.sin(np.pi * d) ** 2,
        np.sin(2 * d) + np.pi * np.sin(2 * np.pi * d),
    ),
    # The sign jumps at d = 0: a gap there rather than a vertical wall.
    (r"$|d|$", np.abs(d), np.where(d == 0, np.nan, np.sign(d))),
]

fig, (loss_axes, derivative_axes) = new_figure(ncols=2, width=7.0, height=3.6)
for (label, loss, derivative), style in zip(curves, ["-", "--", "-", ":"], strict=True):
    loss_axes.plot(d, loss, style, label=label)
    derivative_axes.plot(d, derivative, style, label=label)
loss_axes.set(xlabel="error d = x − y", ylabel="loss", ylim=(-0.1, 3.0), title="The losses")
derivative_axes.set(
    xlabel="error d = x − y",
    ylabel="derivative with respect to x",
    ylim=(-4.5, 4.5),
    title="Their derivatives",
)
loss_axes.legend(loc="upper center", fontsize=9)

# The caption says what the plotted arrays show, each sentence tested on them.
losses = {label: loss for label, loss, _ in curves}
slopes = {label: derivative for label, _, derivative in curves}
half_square, quartic, sine, absolute = (label for label, *_ in curves)
away = d != 0
small = away & (np.abs(d) <= 0.1)
caption = [
    shown(
        "Left: four losses of the error $d = x - y$, each zero only at $d = 0$.",
        all(np.all(loss[away] > 0) and loss[~away].tolist() == [0.0] for loss in losses.values()),
    ),
    "Right: their derivatives.",
    shown(
        r"Only the squared error $\tfrac12 d^2$ has the straight line $d$ as derivative;",
        [label for label, slope in slopes.items() if np.allclose(slope[away], d[away])]
        == [half_square],
    ),
    shown(
        "$d^4$ barely corrects small errors,",
        np.all(np.abs(slopes[quartic][small]) <= 0.05 * np.abs(d[small])),
    ),
    shown(
        "the sine loss's derivative oscillates and changes sign away from $0$,",
        np.any(np.sign(slopes[sine][away]) != np.sign(d[away])),
    ),
    shown(
        r"and $|d|$ gives $\pm 1$ whatever the size of the error.",
        np.all(np.abs(slopes[absolute][away]) == 1),
    ),
]
print(figure_html(fig, " ".join(caption)))
