r"""The derivative of the binary cross entropy $\operatorname{softplus}(z) - t z$ with respect to
the logit is $\sigma(z) - t$, prediction minus target: the derivative
$(q - t)/\big(q(1 - q)\big)$ with respect to $q = \sigma(z)$ is multiplied by
$\sigma'(z) = \sigma(z)\big(1 - \sigma(z)\big)$, which cancels its denominator."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic

z, t = sp.symbols("z t", real=True)
sigmoid = 1 / (1 + sp.exp(-z))
symbolic(
    sp.diff(sp.log(1 + sp.exp(z)) - t * z, z),
    sigmoid - t,
    what="sympy: d/dz [softplus(z) − tz] = σ(z) − t",
)
# The chain-rule route: the loss as a function of q, then the sigmoid's derivative.
q = sp.Symbol("q", positive=True)
symbolic(
    sp.diff(-t * sp.log(q) - (1 - t) * sp.log(1 - q), q),
    (q - t) / (q * (1 - q)),
    what="sympy: ∂/∂q [−t log q − (1 − t) log(1 − q)] = (q − t)/(q(1 − q))",
)
symbolic(sp.diff(sigmoid, z), sigmoid * (1 - sigmoid), what="sympy: σ′(z) = σ(z)(1 − σ(z))")


def binary_cross_entropy(z, t):
    """softplus(z) − tz, with softplus(z) = log(1 + e^z) computed without overflow."""
    return np.logaddexp(0.0, z) - t * z


# Numeric: central differences of the loss against σ(z) − t at 1,000 random (z, t), |z| ≤ 30.
# The loss is at most about 30, so rounding in the quotient is ≈ ε·30/h ≈ 7e-9: tolerance 1e-8.
rng = np.random.default_rng(1)
z_values = rng.uniform(-30.0, 30.0, size=1000)
t_values = rng.uniform(0.0, 1.0, size=1000)
finite_differences = numerical_gradient(
    lambda z: binary_cross_entropy(z[..., 0], t_values), z_values[:, None]
)
close(
    finite_differences[:, 0],
    1 / (1 + np.exp(-z_values)) - t_values,
    atol=1e-8,
    what="finite differences of softplus(z) − tz against σ(z) − t, 1,000 points",
)

# The statement's formulas, read as the expressions checked above.
names = {"z": z, "t": t, "q": q, "sigma": sp.Lambda(z, sigmoid)}
names |= {
    "softplus": sp.Lambda(z, sp.log(1 + sp.exp(z))),
    "sigma'": sp.Lambda(z, sp.diff(sigmoid, z)),
}
states(r"\operatorname{softplus}(z) - t z", sp.log(1 + sp.exp(z)) - t * z, names=names)
states(r"\sigma(z) - t", sigmoid - t, names=names)
states(r"(q - t)/\big(q(1 - q)\big)", (q - t) / (q * (1 - q)), names=names)
states(
    r"\sigma'(z) = \sigma(z)\big(1 - \sigma(z)\big)",
    sp.diff(sigmoid, z),
    sigmoid * (1 - sigmoid),
    names=names,
)
states(r"q = \sigma(z)", sigmoid, sigmoid, names={**names, "q": sigmoid})
