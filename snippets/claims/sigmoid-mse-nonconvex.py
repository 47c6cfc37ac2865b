r"""For $t = 1$ the squared error after a sigmoid is not convex in the logit: its second
derivative $\sigma(1 - \sigma)^2(3\sigma - 1)$ is negative exactly where $\sigma(z) < \tfrac13$,
that is $z < -\log 2$ (for $t = 0$, mirrored: $\sigma^2(1 - \sigma)(2 - 3\sigma)$, negative for
$z > \log 2$), whereas the binary cross entropy's second derivative $\sigma(1 - \sigma)$ is
positive for every $z$."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic

# Symbolic, in u = e^{−z} > 0: σ = 1/(1 + u), and du/dz = −u, so d/dz = −u d/du. Every
# derivative is then a rational function of u, which sympy compares exactly.
u = sp.Symbol("u", positive=True)
sigmoid = 1 / (1 + u)


def d_dz(expression):
    return sp.cancel(-u * sp.diff(expression, u))


symbolic(
    d_dz(sigmoid),
    sigmoid * (1 - sigmoid),
    what=r"sympy: $\sigma' = \sigma(1 - \sigma)$ in $u = e^{-z}$",
)
second_derivative = d_dz(d_dz((sigmoid - 1) ** 2 / 2))
symbolic(
    second_derivative,
    sigmoid * (1 - sigmoid) ** 2 * (3 * sigmoid - 1),
    what="sympy: d²/dz² ½(σ − 1)² = σ(1 − σ)²(3σ − 1)",
)
# Its sign is plain in u: u²(2 − u)/(1 + u)⁴ < 0 exactly when u > 2, i.e. z < −log 2.
symbolic(
    second_derivative,
    u**2 * (2 - u) / (1 + u) ** 4,
    what="sympy: the second derivative is u²(2 − u)/(1 + u)⁴",
)
symbolic(sigmoid.subs(u, 2), sp.Rational(1, 3), what="sympy: σ(−log 2) = 1/(1 + 2) = 1/3")
# t = 0: u(2u − 1)/(1 + u)⁴ < 0 exactly when u < ½, i.e. z > log 2.
second_derivative_t0 = d_dz(d_dz(sigmoid**2 / 2))
symbolic(
    second_derivative_t0,
    sigmoid**2 * (1 - sigmoid) * (2 - 3 * sigmoid),
    what="sympy, t = 0: d²/dz² ½σ² = σ²(1 − σ)(2 − 3σ)",
)
symbolic(
    second_derivative_t0,
    u * (2 * u - 1) / (1 + u) ** 4,
    what="sympy, t = 0: the second derivative is u(2u − 1)/(1 + u)⁴",
)
# Cross entropy at t = 1: softplus(z) − z = log(1 + e^{−z}) = log(1 + u).
symbolic(
    d_dz(d_dz(sp.log(1 + u))),
    u / (1 + u) ** 2,
    what="sympy: cross entropy's second derivative is σ(1 − σ) = u/(1 + u)² > 0",
)


def squared_error_after_sigmoid(z):
    return 0.5 * (1 / (1 + np.exp(-z)) - 1.0) ** 2


# Numeric: second differences (L(z + h) − 2L(z) + L(z − h))/h² on a grid of z in [−10, 10]
# against the closed form. With h = 1e-4 rounding is ≈ 4ε·½/h² ≈ 4e-8 and truncation
# ≈ h²/12·|L''''| ≈ 1e-10: tolerance 1e-7.
h = 1e-4
z_values = np.linspace(-10.0, 10.0, 2001)
second_differences = (
    squared_error_after_sigmoid(z_values + h)
    - 2 * squared_error_after_sigmoid(z_values)
    + squared_error_after_sigmoid(z_values - h)
) / h**2
q = 1 / (1 + np.exp(-z_values))
close(
    second_differences,
    q * (1 - q) ** 2 * (3 * q - 1),
    atol=1e-7,
    what="second differences of ½(σ − 1)² against σ(1 − σ)²(3σ − 1), −10 ≤ z ≤ 10",
)
# The sign of the measured curvature, away from z = −log 2 (where |L''| < 1e-3 within 0.01 of it),
# is the sign of z + log 2: negative to the left, positive to the right. Where |L''| is tiny
# (z near 10, L'' ≈ 4e-9) the loss is too (≈ 1e-9), and so is the rounding, ≈ 4ε·L/h² ≈ 4e-17.
away = np.abs(z_values + np.log(2)) > 0.01
close(
    np.sign(second_differences[away]),
    np.sign(z_values[away] + np.log(2)),
    atol=0.5,  # signs are ±1: any disagreement is an error of 2
    what="sign of the second differences against the sign of z + log 2",
)

# The statement's formulas, read as the expressions checked above.
z = sp.Symbol("z", real=True)
in_z = {u: sp.exp(-z)}  # u = e^{−z}
names = {"sigma": sigmoid.subs(in_z), "z": z}
states(
    r"\sigma(1 - \sigma)^2(3\sigma - 1)",
    (sigmoid * (1 - sigmoid) ** 2 * (3 * sigmoid - 1)).subs(in_z),
    names=names,
)
states(
    r"\sigma^2(1 - \sigma)(2 - 3\sigma)",
    (sigmoid**2 * (1 - sigmoid) * (2 - 3 * sigmoid)).subs(in_z),
    names=names,
)
states(r"\sigma(1 - \sigma)", (sigmoid * (1 - sigmoid)).subs(in_z), names=names)
# The sign changes where σ(z) = 1/3 (checked above at u = 2, z = −log 2); at z = log 2 for t = 0.
states(r"\sigma(z) < \tfrac13", None, sigmoid.subs(u, 2), names=names, relations=("<",))
states(r"z < -\log 2", None, -sp.log(u).subs(u, 2), names=names, relations=("<",))
states(r"z > \log 2", None, sp.log(2), names=names, relations=(">",))
# The two targets: the checks above differentiate ½(σ − 1)² for t = 1 and ½σ² for t = 0.
states(r"t = 1", None, 1, names={"t": 1})
states(r"t = 0", None, 0, names={"t": 0})
