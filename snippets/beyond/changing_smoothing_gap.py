"""The logit gap that minimises the label-smoothed cross entropy, against the smoothing ε."""

import numpy as np
from figures import figure_html, new_figure

smoothing = np.geomspace(1e-4, 1.0, 400)

fig, ax = new_figure()
for classes in (10, 100, 1000):
    on_label, off_label = 1 - smoothing + smoothing / classes, smoothing / classes
    ax.plot(smoothing, np.log(on_label / off_label), label=f"$n = {classes}$")
# Szegedy et al. smooth ImageNet's 1,000 classes with ε = 0.1.
szegedy_gap = np.log((1 - 0.1 + 0.1 / 1000) / (0.1 / 1000))
ax.plot([0.1], [szegedy_gap], "o", color="black")  # black becomes the theme's text colour
ax.annotate(
    rf"$\varepsilon = 0.1$, $n = 1000$: gap {szegedy_gap:.2f}",
    (0.1, szegedy_gap),
    xytext=(8, 8),
    textcoords="offset points",
)
ax.set_xscale("log")
ax.set_xlim(1e-4, 1.0)
ax.set_ylim(0, None)
ax.set_xlabel(r"smoothing $\varepsilon$")
ax.set_ylabel("optimal gap $z_y - z_j$")
ax.legend()
print(
    figure_html(
        fig,
        r"The logit gap $z_y - z_j$ that minimises the label-smoothed cross entropy,"
        r" $\log\bigl((1 - \varepsilon + \varepsilon/n)/(\varepsilon/n)\bigr)$, against the"
        r" smoothing $\varepsilon$ (logarithmic axis) for $n = 10$, $100$ and $1000$ classes:"
        r" finite for every $\varepsilon > 0$, zero at $\varepsilon = 1$ (the uniform target),"
        r" and growing without bound like $\log(n/\varepsilon)$ as $\varepsilon \to 0$, where"
        " the one-hot target has no minimiser.",
    )
)
