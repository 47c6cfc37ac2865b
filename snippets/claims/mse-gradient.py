r"""The derivative of the squared error $\tfrac12(x - y)^2$ with respect to the prediction $x$
is the error itself: $\frac{d}{dx}\,\tfrac12(x - y)^2 = x - y$."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import mse, mse_grad

# Symbolic: sympy differentiates the loss; the result must simplify to x − y.
x, y = sp.symbols("x y", real=True)
loss, gradient = (x - y) ** 2 / 2, x - y
symbolic(sp.diff(loss, x), gradient, what="sympy: d/dx ½(x − y)² = x − y")
# The statement's formulas are these expressions.
states(r"\tfrac12(x - y)^2", loss, names={"x": x, "y": y})
states(
    r"\frac{d}{dx}\,\tfrac12(x - y)^2 = x - y", sp.diff(loss, x), gradient, names={"x": x, "y": y}
)

# Numeric: central differences of the site's mse against its mse_grad, at random points.
# The quotient's rounding error is about ε·|mse|/h; with |mse| ≤ 11 here that is ≤ 3e-9 < 1e-8.
rng = np.random.default_rng(0)
x_values, y_values = rng.normal(size=(2, 1000))
finite_differences = numerical_gradient(lambda x: mse(x[..., 0], y_values), x_values[:, None])
close(
    finite_differences[:, 0],
    mse_grad(x_values, y_values),
    atol=1e-8,
    what="finite differences of mse against mse_grad, 1000 points",
)
