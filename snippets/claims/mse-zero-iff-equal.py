r"""The squared error $\tfrac12(x - y)^2$ is zero if and only if $x = y$, and positive
whenever $x \ne y$."""

import numpy as np
import sympy as sp
from checks import close, symbolic
from losses import mse

# Symbolic: sympy solves ½(x − y)² = 0 for real x; the only solution is x = y.
x, y = sp.symbols("x y", real=True)
loss = (x - y) ** 2 / 2
symbolic(sp.solve(loss, x), [y], what="sympy: ½(x − y)² = 0 only at x = y")
# Non-negative: sympy's assumptions evaluate min(½(x − y)², 0) to 0 for real x and y (a real
# square is ≥ 0). Non-negative and zero only at x = y: positive whenever x ≠ y.
symbolic(sp.Min(loss, 0), 0, what="sympy: min(½(x − y)², 0) = 0 for real x, y")

# Numeric: on a grid of 61 × 61 predictions and targets, the site's mse is positive exactly
# where x ≠ y. Signs are the integers 0 and 1, so a tolerance below 1 demands equality.
# (|x − y| ≥ 0.1 on the grid: no square underflows to 0, which happens for |x − y| < 3e-162.)
grid = np.linspace(-3.0, 3.0, 61)
x_grid, y_grid = np.meshgrid(grid, grid)
close(
    np.sign(mse(x_grid, y_grid)),
    (x_grid != y_grid).astype(float),
    atol=0.5,
    what="sign of mse against x ≠ y, 3721 grid points",
)
