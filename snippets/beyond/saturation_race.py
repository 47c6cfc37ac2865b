"""Gradient descent from w = −8 on cross entropy and on squared error after a sigmoid."""

import numpy as np
from figures import figure_html, new_figure


def sigmoid(w):
    return 1 / (1 + np.exp(-w))


START, LEARNING_RATE, REACHED = -8.0, 1.0, 0.9


def steps_to(threshold, gradient, w=START, learning_rate=LEARNING_RATE):
    """σ(w) at every step of gradient descent, until σ(w) > threshold."""
    history = [sigmoid(w)]
    while history[-1] <= threshold:
        w -= learning_rate * gradient(w)
        history.append(sigmoid(w))
    return np.array(history)


# t = 1: the cross entropy's gradient is σ − 1, the squared error's (σ − 1)σ(1 − σ).
races = {
    "cross entropy": steps_to(REACHED, lambda w: sigmoid(w) - 1),
    "squared error after a sigmoid": steps_to(
        REACHED, lambda w: (sigmoid(w) - 1) * sigmoid(w) * (1 - sigmoid(w))
    ),
}
counts = {name: len(history) - 1 for name, history in races.items()}

fig, ax = new_figure()
for name, history in races.items():
    # Step k is drawn at k + 1 so that the start (k = 0) fits on the logarithmic axis.
    ax.plot(np.arange(1, len(history) + 1), history, label=f"{name}: {counts[name]:,} steps")
ax.axhline(REACHED, color="black", linestyle=":", linewidth=1)
ax.set_xscale("log")
ax.set_xlabel("step + 1 (log scale)")
ax.set_ylabel("σ(w), the predicted probability of t = 1")
ax.set_ylim(0, 1)
ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0))
print(
    figure_html(
        fig,
        "The one-weight model $z = w$ with target $t = 1$, trained by gradient descent with"
        f" learning rate ${LEARNING_RATE:g}$ from $w = {START:g}$, where"
        rf" $\sigma(w) \approx {sigmoid(START):.1g}$. Cross entropy reaches"
        rf" $\sigma(w) > {REACHED:g}$ (dotted line) after {counts['cross entropy']} steps;"
        " squared error after a sigmoid needs"
        f" {counts['squared error after a sigmoid']:,}, crawling for thousands of steps while"
        " its gradient is nearly zero.",
    )
)
