"""Gradient size of cross entropy, ε-clipped and ε-smoothed, against the true class's logit."""

import numpy as np
from figures import figure_html, new_figure, shown
from losses import cross_entropy_grad, softmax

# 10 classes, the other nine logits at 0, the true class y = 0; ε = 1e-7.
classes, y, epsilon = 10, 0, 1e-7
true_logit = np.linspace(-30.0, 8.0, 1521)
logits = np.zeros((true_logit.size, classes))
logits[:, y] = true_logit
one_hot = np.zeros_like(logits)
one_hot[:, y] = 1.0

q_y = softmax(logits)[:, y]
true_size = np.linalg.norm(cross_entropy_grad(one_hot, logits), axis=1)
# −log max(q_y, ε) is flat where q_y < ε; −log(q_y + ε) scales q − e_y by q_y/(q_y + ε).
clipped_size = np.where(q_y > epsilon, true_size, 0.0)
smoothed_size = q_y / (q_y + epsilon) * true_size
# q_y = ε where e^{z_y} = ε(e^{z_y} + 9), at z_y = log(9ε/(1 − ε)).
kink = np.log(9 * epsilon / (1 - epsilon))

# The three losses as the legend and the caption name them.
true_loss, clipped_loss, smoothed_loss = (
    r"-\log q_y",
    r"-\log \max(q_y, \varepsilon)",
    r"-\log(q_y + \varepsilon)",
)

fig, ax = new_figure()
# The true gradient is drawn wide and light: where the clipped one agrees, it runs inside it.
ax.plot(true_logit, true_size, linewidth=6, alpha=0.35, label=f"${true_loss}$ (true)")
ax.plot(true_logit, clipped_size, label=f"${clipped_loss}$")
ax.plot(true_logit, smoothed_size, linestyle="--", label=f"${smoothed_loss}$")
ax.axvline(kink, color="black", linestyle=":", linewidth=1)
ax.annotate(r"$q_y = \varepsilon$", (kink, 0.15), xytext=(4, 0), textcoords="offset points")
ax.set_xlim(true_logit[0], true_logit[-1])
ax.set_ylim(-0.05, 1.2)
ax.set_xlabel("logit of the true class, $z_y$ (the other nine logits are 0)")
ax.set_ylabel("‖gradient in $z$‖")
ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3)
below_epsilon = q_y < epsilon
caption = [
    rf"Size of the gradient with respect to the logits for {classes} classes and"
    rf" $\varepsilon = 10^{{{np.log10(epsilon):.0f}}}$, against the logit of the true class.",
    shown(
        r"The true gradient $q - e_y$ is largest for confident mistakes (left);",
        np.all(np.diff(true_size) <= 0) and true_size[0] > 0.99,
    ),
    shown(
        f"the gradient of the ε-clipped loss ${clipped_loss}$ drops to exactly 0 once"
        r" $q_y < \varepsilon$ (left of the dotted line),",
        np.all(clipped_size[below_epsilon] == 0) and np.all(clipped_size[~below_epsilon] > 0),
    ),
    shown(
        f"and that of the ε-smoothed loss ${smoothed_loss}$ fades to 0 there.",
        np.all(np.diff(smoothed_size[below_epsilon]) >= 0) and smoothed_size[0] < 1e-5,
    ),
]
print(figure_html(fig, " ".join(caption)))
