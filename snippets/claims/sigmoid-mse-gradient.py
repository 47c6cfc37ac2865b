r"""The squared error after a sigmoid, $\tfrac12\big(\sigma(z) - t\big)^2$, has derivative
$\big(\sigma(z) - t\big)\,\sigma(z)\big(1 - \sigma(z)\big)$ with respect to the logit: the
binary cross entropy's $\sigma(z) - t$ times
$\sigma'(z) = \tfrac14 - \big(\sigma(z) - \tfrac12\big)^2 \le \tfrac14$."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic

z, t = sp.symbols("z t", real=True)
u = sp.Symbol("u", positive=True)
sigmoid = 1 / (1 + sp.exp(-z))


def in_u(expression):
    """The expression as one fraction in u = e^{−z} > 0, where sympy compares rational functions."""
    return sp.cancel(expression.subs(sp.exp(-z), u))


symbolic(
    in_u(sp.diff((sigmoid - t) ** 2 / 2, z)),
    in_u((sigmoid - t) * sigmoid * (1 - sigmoid)),
    what="sympy: d/dz ½(σ(z) − t)² = (σ − t) σ (1 − σ)",
)
symbolic(
    in_u(sp.diff(sigmoid, z)),
    in_u(sp.Rational(1, 4) - (sigmoid - sp.Rational(1, 2)) ** 2),
    what="sympy: σ′(z) = ¼ − (σ(z) − ½)²",
)


def squared_error_after_sigmoid(z, t):
    return 0.5 * (1 / (1 + np.exp(-z)) - t) ** 2


# Numeric: central differences at 1,000 random (z, t), |z| ≤ 20. The loss is at most ½, so
# rounding in the quotient is ≈ ε·½/h ≈ 6e-11: tolerance 1e-9.
rng = np.random.default_rng(5)
z_values = rng.uniform(-20.0, 20.0, size=1000)
t_values = rng.uniform(0.0, 1.0, size=1000)
q_values = 1 / (1 + np.exp(-z_values))
finite_differences = numerical_gradient(
    lambda z: squared_error_after_sigmoid(z[..., 0], t_values), z_values[:, None]
)
close(
    finite_differences[:, 0],
    (q_values - t_values) * q_values * (1 - q_values),
    atol=1e-9,
    what="finite differences of ½(σ(z) − t)² against (σ − t)σ(1 − σ), 1,000 points",
)

# The statement's formulas, read as the expressions checked above.
names = {
    "z": z,
    "t": t,
    "sigma": sp.Lambda(z, sigmoid),
    "sigma'": sp.Lambda(z, sp.diff(sigmoid, z)),
}
states(r"\tfrac12\big(\sigma(z) - t\big)^2", (sigmoid - t) ** 2 / 2, names=names)
states(
    r"\big(\sigma(z) - t\big)\,\sigma(z)\big(1 - \sigma(z)\big)",
    (sigmoid - t) * sigmoid * (1 - sigmoid),
    names=names,
)
states(r"\sigma(z) - t", sigmoid - t, names=names)
states(
    r"\sigma'(z) = \tfrac14 - \big(\sigma(z) - \tfrac12\big)^2 \le \tfrac14",
    sp.diff(sigmoid, z),
    sp.Rational(1, 4) - (sigmoid - sp.Rational(1, 2)) ** 2,
    sp.Rational(1, 4),
    names=names,
    relations=("=", r"\le"),
)
