r"""The squared error $\tfrac12(x - y)^2$ is zero if and only if $x = y$, and positive
whenever $x \ne y$; so are the rivals $d^4$, $|d|$ and $\sin^2 d + \sin^2(\pi d)$ of
$d = x - y$, zero only at $d = 0$ (the sine loss can vanish only where both terms do, at an
integer that is a multiple of $\pi$: checked at every integer $0 < |d| \le 1000$, and true for
all since $\pi$ is irrational)."""

import mpmath
import numpy as np
import sympy as sp
from checks import close, states, symbolic
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

# The rivals of d = x − y. sympy solves d⁴ = 0 and |d| = 0 over the reals: only d = 0.
d = sp.Symbol("d", real=True)
rivals = {
    "d^4": d**4,
    "|d|": sp.Abs(d),
    r"\sin^2 d + \sin^2(\pi d)": sp.sin(d) ** 2 + sp.sin(sp.pi * d) ** 2,
}
zeros = {}
for name in ("d^4", "|d|"):
    zeros[name] = sorted(sp.solveset(rivals[name], d, sp.S.Reals))
    symbolic(sp.Matrix(zeros[name]), sp.Matrix([0]), what=f"sympy: ${name} = 0$ only at $d = 0$")
# The sine loss is a sum of two squares, zero only where sin²(πd) = 0, at the integers m, and
# there it is sin²(m). Its smallest value over 0 < |m| ≤ 1000 (the loss is even in d), in 30-digit
# arithmetic, must be positive: it is sin²(355 − 113π), at the best approximation 355/113 of π
# in that range, computed independently as the square of the small angle's sine. A zero at any
# integer would make the smallest value 0, a relative error of 1; rounding is ≈ 1e-20.
sine_rival = sp.lambdify(d, rivals[r"\sin^2 d + \sin^2(\pi d)"], "mpmath")
largest_integer = 1000
with mpmath.workdps(30):
    smallest_at_integers = min(sine_rival(m) for m in range(1, largest_integer + 1))
    close(
        float(smallest_at_integers),
        float(mpmath.sin(355 - 113 * mpmath.pi) ** 2),
        rtol=1e-12,
        what="smallest sine loss at the integers 0 < |d| ≤ 1000 against sin²(355 − 113π) > 0",
    )

# The statement's formulas, read as the expressions checked above.
names = {"x": x, "y": y, "d": d}
states(r"\tfrac12(x - y)^2", loss, names=names)
states(r"x = y", None, sp.solve(loss, x)[0], names=names)
states(r"x \ne y", x, y, names=names, relations=(r"\ne",))
states(r"d = x - y", None, x - y, names=names)
for formula, rival in rivals.items():
    states(formula, rival, names=names)
states(r"d = 0", None, *zeros["|d|"], names=names)
states(
    r"0 < |d| \le 1000",
    0,
    None,
    largest_integer,
    names=names,
    relations=("<", r"\le"),
)
