r"""For a confident mistake ($t = 1$, $z \to -\infty$) the gradient of
$\tfrac12\bigl(\sigma(z) - t\bigr)^2$ vanishes while the binary cross entropy's tends to $-1$:
their ratio is $\sigma(z)\bigl(1 - \sigma(z)\bigr) = e^{z}/(1 + e^{z})^2 < e^{z}$, about
$e^{-10} \approx 4.5 \times 10^{-5}$ at $z = -10$."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, quote, states, symbolic

# Symbolic: σ(1 − σ) = e^z/(1 + e^z)², and e^z minus it is e^{2z}(2 + e^z)/(1 + e^z)² > 0.
z = sp.Symbol("z", real=True)
sigmoid = sp.exp(z) / (1 + sp.exp(z))
ratio = sp.exp(z) / (1 + sp.exp(z)) ** 2
symbolic(sigmoid * (1 - sigmoid), ratio, what="sympy: σ(z)(1 − σ(z)) = e^z/(1 + e^z)²")
symbolic(
    sp.exp(z) - ratio,
    sp.exp(2 * z) * (2 + sp.exp(z)) / (1 + sp.exp(z)) ** 2,
    what="sympy: $e^z - e^z/(1 + e^z)^2 = e^{2z}(2 + e^z)/(1 + e^z)^2$, positive",
)


def squared_error_after_sigmoid(z):
    return 0.5 * (1 / (1 + np.exp(-z)) - 1.0) ** 2


def binary_cross_entropy(z):
    return np.logaddexp(0.0, z) - z  # softplus(z) − tz at t = 1


# Numeric: central differences of both losses at t = 1, z from −12 to 0. The smallest gradient
# is ≈ 6e-6 at z = −12; with h = 1e-4 rounding (ε·½/h ≈ 6e-13) and truncation (h²/6 relative:
# every derivative of the loss there is ≈ e^z) are each below 1e-7 of it: rtol 1e-6.
z_values = np.linspace(-12.0, 0.0, 121)[:, None]
gradient_mse = numerical_gradient(lambda z: squared_error_after_sigmoid(z[..., 0]), z_values, 1e-4)
gradient_bce = numerical_gradient(lambda z: binary_cross_entropy(z[..., 0]), z_values, 1e-4)
measured_ratio = gradient_mse[:, 0] / gradient_bce[:, 0]
close(
    measured_ratio,
    np.exp(z_values[:, 0]) / (1 + np.exp(z_values[:, 0])) ** 2,
    rtol=1e-6,
    what="ratio of the finite-difference gradients against e^z/(1 + e^z)², −12 ≤ z ≤ 0",
)
# At z = −10 the ratio is e^{−10}/(1 + e^{−10})², within 2e^{−10} ≈ 9e-5 (relative) of e^{−10}.
at_minus_10 = measured_ratio[np.argmin(np.abs(z_values[:, 0] + 10))]
close(at_minus_10, np.exp(-10.0), rtol=2e-4, what="the ratio at $z = -10$ against $e^{-10}$")
# Cross entropy's gradient there is σ(−10) − 1, within σ(−10) ≈ 4.5e-5 of −1: tolerance 1e-4.
close(
    gradient_bce[np.argmin(np.abs(z_values[:, 0] + 10)), 0],
    -1.0,
    atol=1e-4,
    what="cross entropy's gradient at z = −10 against −1",
)

# The statement's formulas, read as the expressions checked above.
names = {"z": z, "t": 1}
states(r"z \to -\infty", z, -sp.oo, names=names, relations=(r"\to",))
states(r"\tfrac12\bigl(\sigma(z) - t\bigr)^2", (sigmoid - 1) ** 2 / 2, names=names)
states(r"-1", sp.Integer(-1), names=names)
states(
    r"\sigma(z)\bigl(1 - \sigma(z)\bigr) = e^{z}/(1 + e^{z})^2 < e^{z}",
    sigmoid * (1 - sigmoid),
    ratio,
    sp.exp(z),
    names=names,
    relations=("=", "<"),
)
states(
    r"e^{-10} \approx 4.5 \times 10^{-5}", sp.exp(-10), None, names=names, relations=(r"\approx",)
)
states(r"z = -10", None, sp.Integer(-10), names=names)
quote("e_minus_10", np.exp(-10.0))  # for the page
states(r"t = 1", None, 1, names=names)  # the target of both losses above
