r"""The mean of squared errors without the half, $\frac1N \sum_n (x_n - y_n)^2$, has gradient
$\frac{\partial}{\partial x_n} = \frac2N (x_n - y_n)$: still prediction minus target, scaled by
the constant $2/N$. The symbolic proof is for $N = 4$ predictions."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import mse, mse_grad

# Symbolic, N = 4: differentiate the mean of (xₙ − yₙ)² by each prediction.
N = 4
x = sp.symbols(f"x1:{N + 1}", real=True)
y = sp.symbols(f"y1:{N + 1}", real=True)
sum_of_squares = sum((x_n - y_n) ** 2 for x_n, y_n in zip(x, y, strict=True))
mean_squared_error = sum_of_squares / N
symbolic(
    [sp.diff(mean_squared_error, x_n) for x_n in x],
    [2 * (x_n - y_n) / N for x_n, y_n in zip(x, y, strict=True)],
    what="sympy, N = 4: ∂/∂xₙ (1/N) Σ (xₙ − yₙ)² = 2(xₙ − yₙ)/N",
)

# Numeric: 100 batches of N = 32 predictions; the mean of (x − y)² is 2·mean(mse), and its
# central differences must equal (2/N)·mse_grad. The loss is ≤ 4 here: rounding error
# ε·4/h ≈ 1e-9; it is quadratic, so no truncation error.
rng = np.random.default_rng(0)
predictions, targets = rng.normal(size=(2, 100, 32))
close(
    numerical_gradient(lambda x: 2 * mse(x, targets).mean(axis=-1), predictions),
    2 / 32 * mse_grad(predictions, targets),
    atol=1e-8,
    what="finite differences of mean((x − y)²) against (2/N)(x − y), 100 batches of 32",
)

# The statement's formulas, read as the expressions checked above.
# One coordinate n: the sum over the others does not depend on x_n.
x_n, y_n = sp.symbols("x_n y_n", real=True)
names = {"x_n": x_n, "y_n": y_n, "N": N}
states(
    r"\frac{\partial}{\partial x_n} = \frac2N (x_n - y_n)", None, 2 * (x_n - y_n) / N, names=names
)
states(r"2/N", sp.Rational(2, N), names=names)
# The mean itself, its sum the N = 4 terms of the symbolic proof.
sum_names = {"N": N, r"\sum_n (x_n - y_n)^2": sum_of_squares}
states(r"\frac1N \sum_n (x_n - y_n)^2", mean_squared_error, names=sum_names)
states(r"N = 4", None, sp.Integer(len(x)), names={})
