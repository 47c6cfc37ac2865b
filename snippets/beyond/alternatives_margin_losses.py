"""The six margin losses of Wikipedia's list against the margin v = yf, and their derivatives."""

import numpy as np
from figures import figure_html, new_figure

v = np.linspace(-3.0, 3.0, 601)
# name: (φ(v), φ'(v)), each scaled as on Wikipedia so that φ(0) = 1.
margin_losses = {
    "square": ((1 - v) ** 2, -2 * (1 - v)),
    "logistic": (np.logaddexp(0.0, -v) / np.log(2), -1 / ((1 + np.exp(v)) * np.log(2))),
    "exponential": (np.exp(-v), -np.exp(-v)),
    "Savage": (4 / (1 + np.exp(v)) ** 2, -8 * np.exp(v) / (1 + np.exp(v)) ** 3),
    "tangent": ((2 * np.arctan(v) - 1) ** 2, 4 * (2 * np.arctan(v) - 1) / (1 + v**2)),
    # The hinge's derivative jumps at v = 1: nan there keeps the plot from drawing the jump.
    "hinge": (
        np.maximum(0.0, 1 - v),
        np.where(np.isclose(v, 1.0), np.nan, np.where(v < 1.0, -1.0, 0.0)),
    ),
}

fig, (loss_axes, slope_axes) = new_figure(ncols=2, width=8.0, height=3.8)
for name, (loss, slope) in margin_losses.items():
    loss_axes.plot(v, loss, label=name)
    slope_axes.plot(v, slope, label=name)
loss_axes.set_ylim(-0.2, 4.0)
loss_axes.set_xlabel("margin v = yf")
loss_axes.set_ylabel("loss φ(v)")
slope_axes.set_ylim(-6.5, 2.0)
slope_axes.set_xlabel("margin v = yf")
slope_axes.set_ylabel("derivative φ′(v)")
loss_axes.legend(loc="upper right")
print(
    figure_html(
        fig,
        r"Left: the six margin losses against the margin $v = yf$, each scaled so that"
        r" $\phi(0) = 1$; negative margins are mistakes. Right: their derivatives. The square and"
        " exponential losses push ever harder on confident mistakes (large negative $v$), the"
        r" logistic loss's push levels off at $-1/\ln 2$, the hinge's is a constant $-1$ up to"
        " $v = 1$ and $0$ after it, and the pushes of the Savage and tangent losses peak and then"
        " fade back towards $0$ as a mistake gets more confident. The square and tangent losses"
        " also push back on very confident correct answers: their derivatives turn positive past"
        rf" $v = 1$ and $v = \tan \frac12 \approx {np.tan(0.5):.2f}$.",
    )
)
