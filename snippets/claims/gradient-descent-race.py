r"""From the bad start $w = -8$ for the one-weight model $z = w \cdot 1$ with target $t = 1$,
gradient descent with learning rate 1 first reaches $\sigma(w) > 0.9$ after 19 steps on the
binary cross entropy and after 3,081 steps on $\tfrac12\bigl(\sigma(w) - t\bigr)^2$, close to the
gradient flow's times $17 + \log 9 - e^{-8} \approx 19.2$ and
$e^{8} + \tfrac{1645}{18} + 3 \log 9 - 3e^{-8} - \tfrac12 e^{-16} \approx 3{,}078.9$."""

import math
import re

import numpy as np
import sympy as sp
from checks import close, quote, states, symbolic
from losses import cross_entropy_grad, mse_grad, softmax

start, threshold = -8.0, 0.9


def sigmoid(w):
    return 1 / (1 + math.exp(-w))


# The gradients in closed form (claims bce-logit-gradient and sigmoid-mse-gradient).
closed_form = {
    "cross entropy": lambda w: sigmoid(w) - 1,
    "squared error": lambda w: (sigmoid(w) - 1) * sigmoid(w) * (1 - sigmoid(w)),
}


def descend(gradient, w=start):
    """The weights w₀, w₁, … of w ← w − gradient(w) (learning rate 1) until σ(w) > 0.9."""
    weights = [w]
    while sigmoid(w) <= threshold:
        w -= gradient(w)
        weights.append(w)
    return np.array(weights)


trajectories = {name: descend(gradient) for name, gradient in closed_form.items()}
counts = {name: len(weights) - 1 for name, weights in trajectories.items()}


# The same steps with the site's code: the binary loss is two-class softmax cross entropy with
# logits (w, 0) and target (1, 0), and the squared error's gradient is mse_grad(q, 1)·q(1 − q).
# Evaluated at every weight of each trajectory at once, each step w_{k+1} − w_k must be minus
# it. Both sides are rounded to a few ε of the step's weights (|w| ≤ 8): atol 1e-14.
def site_gradient(name, w):
    logits = np.stack([w, np.zeros_like(w)], axis=-1)
    if name == "cross entropy":
        return cross_entropy_grad(np.broadcast_to([1.0, 0.0], logits.shape), logits)[:, 0]
    q = softmax(logits)[:, 0]
    return mse_grad(q, 1.0) * q * (1 - q)


for name, weights in trajectories.items():
    close(
        np.diff(weights),
        -site_gradient(name, weights[:-1]),
        atol=1e-14,
        kind="optimisation",
        what=f"{name}: every step against minus the site's gradient at that weight",
    )
# The counts the statement gives, read from it, against the counts found.
stated = [int(n.replace(",", "")) for n in re.findall(r"after ([\d,]+) steps", __doc__)]
close(
    stated,
    list(counts.values()),
    atol=0.5,  # step counts are integers: any difference is at least 1
    kind="optimisation",
    what="step counts in the statement against the counts gradient descent takes",
)

# Gradient flow dw/dt = −L′(w) reaches w₁ = log 9 (σ = 0.9) at time ∫ dw / |L′(w)| from −8 to w₁.
# In s = e^w > 0, σ = s/(1 + s), so 1/(1 − σ) = 1 + s and 1/((1 − σ)²σ) = (1 + s)³/s.
s = sp.Symbol("s", positive=True)
sigmoid_s = s / (1 + s)
symbolic(1 / (1 - sigmoid_s), 1 + s, what="sympy: 1/(1 − σ) = 1 + e^w")
symbolic(1 / ((1 - sigmoid_s) ** 2 * sigmoid_s), (1 + s) ** 3 / s, what="sympy: 1/((1 − σ)²σ)")
# Antiderivatives in w: w + e^w and −e^{−w} + 3w + 3e^w + e^{2w}/2, checked by differentiation.
w = sp.Symbol("w", real=True)
integrands = {"cross entropy": 1 + sp.exp(w), "squared error": (1 + sp.exp(w)) ** 3 / sp.exp(w)}
antiderivatives = {
    "cross entropy": w + sp.exp(w),
    "squared error": -sp.exp(-w) + 3 * w + 3 * sp.exp(w) + sp.exp(2 * w) / 2,
}
flow_times = {}
for name, antiderivative in antiderivatives.items():
    symbolic(
        sp.diff(antiderivative, w),
        integrands[name],
        what=f"sympy: the antiderivative of 1/|L′(w)|, {name}",
    )
    flow_times[name] = antiderivative.subs(w, sp.log(9)) - antiderivative.subs(w, -8)
symbolic(
    list(flow_times.values()),
    [
        17 + sp.log(9) - sp.exp(-8),
        sp.exp(8) + sp.Rational(1645, 18) + 3 * sp.log(9) - 3 * sp.exp(-8) - sp.exp(-16) / 2,
    ],
    what="sympy: the flow times in the closed forms stated",
)
# Gradient descent with learning rate 1 is Euler's method for the flow; it tracks the flow while
# the gradient changes little across a step, which fails only in the last few steps before the
# threshold. 5% agreement shows the counts come from the losses and not from the step size.
close(
    list(counts.values()),
    [float(time) for time in flow_times.values()],
    rtol=0.05,
    kind="optimisation",
    what="step counts against the gradient flow's time to σ = 0.9",
)

# The statement's formulas, read as the expressions checked above.
cross_entropy_time, squared_error_time = flow_times.values()
states(
    r"17 + \log 9 - e^{-8} \approx 19.2",
    cross_entropy_time,
    None,
    names={},
    relations=(r"\approx",),
)
states(
    r"e^{8} + \tfrac{1645}{18} + 3 \log 9 - 3e^{-8} - \tfrac12 e^{-16} \approx 3{,}078.9",
    squared_error_time,
    None,
    names={},
    relations=(r"\approx",),
)
states(r"w = -8", None, sp.Integer(start), names={})
states(r"\sigma(w) > 0.9", None, sp.nsimplify(threshold), names={"w": w}, relations=(">",))
states(
    r"\tfrac12\bigl(\sigma(w) - t\bigr)^2",
    (1 / (1 + sp.exp(-w)) - 1) ** 2 / 2,
    names={"w": w, "t": 1},
)
states(r"z = w \cdot 1", None, w, names={"w": w})  # the logit of site_gradient's (w, 0)
states(r"t = 1", None, 1, names={"t": 1})  # the target of closed_form and site_gradient

# For the page: the counts, the flow times and the starting probability.
for name, count in counts.items():
    quote(f"{name.replace(' ', '_')}_steps", count)
for name, time in flow_times.items():
    quote(f"{name.replace(' ', '_')}_flow_time", time)
quote("start_probability", sigmoid(start))
# Cross entropy's steps before and after its weight passes 0, and squared error's first step.
past_0 = int(np.argmax(trajectories["cross entropy"] > 0))
quote("cross_entropy_steps_past_0", past_0)
quote("cross_entropy_steps_after_0", counts["cross entropy"] - past_0)
quote("squared_error_first_step", np.diff(trajectories["squared error"])[0])
