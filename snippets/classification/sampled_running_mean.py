"""Running mean of the one-label gradient q − e_y, y ~ p, converging to q − p within its band."""

import numpy as np
from figures import PALETTE, figure_html, new_figure
from losses import softmax

z = np.array([1.7, 0.9, 0.0, 0.0])
p = np.array([0.1, 0.15, 0.25, 0.5])
q = softmax(z)
samples = 5_000

rng = np.random.default_rng(0)
labels = rng.choice(len(p), size=samples, p=p)
one_label_gradients = q - np.eye(len(p))[labels]
count = np.arange(1, samples + 1)
running_mean = np.cumsum(one_label_gradients, axis=0) / count[:, None]
# Drawn at about 300 log-spaced m: the x-axis is logarithmic, and the SVG stays small.
shown = np.unique(np.geomspace(1, samples, 300).astype(int)) - 1
# Coordinate k of q − e_y is q_k − 1 with probability p_k and q_k otherwise: σ_k² = p_k(1 − p_k).
sigma = np.sqrt(p * (1 - p))

fig, ax = new_figure()
for k, colour in zip(range(len(p)), PALETTE, strict=False):
    target = q[k] - p[k]
    band = 3 * sigma[k] / np.sqrt(count[shown])
    ax.fill_between(
        count[shown], target - band, target + band, color=colour, alpha=0.12, linewidth=0
    )
    ax.axhline(target, color=colour, linestyle="--", linewidth=1)
    ax.plot(count[shown], running_mean[shown, k], color=colour, label=f"$k = {k + 1}$")
ax.set_xscale("log")
ax.set_xlim(1, samples)
ax.set_ylim(-1.0, 1.0)
ax.set_xlabel("number of sampled labels $m$")
ax.set_ylabel("running mean of $(q - e_y)_k$")
ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(p))
print(
    figure_html(
        fig,
        rf"One example with {len(p)} classes: the running mean of the one-label gradient"
        r" $q - e_y$ over $m$ labels drawn from $p$ (solid lines, one per coordinate $k$)"
        r" converges to $q - p$ (dashed). The shaded band is $q - p \pm 3\sigma/\sqrt{m}$ with"
        r" $\sigma^2 = p_k(1 - p_k)$, the variance of coordinate $k$: the running mean is"
        " expected to stay inside it.",
    )
)
