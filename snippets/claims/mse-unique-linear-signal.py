r"""A loss $L(x, y)$ whose derivative in the prediction is $\partial L / \partial x = x - y$
changes from the perfect prediction $y$ to $x$ by
$L(x, y) - L(y, y) = \int_y^x (s - y)\, ds = \Bigl[\tfrac12 (s - y)^2\Bigr]_{s = y}^{s = x}
= \tfrac12 (x - y)^2 - 0$, so it
must be $L(x, y) = \tfrac12 (x - y)^2 + c(y)$, where $c(y) = L(y, y)$ is the loss of a
perfect prediction; asking for $c = 0$ leaves exactly the squared error."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import mse, mse_grad

x, y, s = sp.symbols("x y s", real=True)
L = sp.Function("L")

# Symbolic: solve the differential equation dL/dx = x − y (y is a parameter). sympy returns
# L = C1 + x²/2 − xy; subtracting ½(x − y)² must leave something that does not depend on x.
solution = sp.dsolve(sp.Eq(L(x).diff(x), x - y), L(x)).rhs
symbolic(
    sp.diff(solution - (x - y) ** 2 / 2, x),
    0,
    what="sympy: every solution of dL/dx = x − y minus ½(x − y)² is constant in x",
)
# Fundamental theorem of calculus: L(x) − L(y) = ∫ from y to x of (s − y) ds = ½(x − y)².
symbolic(
    sp.integrate(s - y, (s, y, x)),
    (x - y) ** 2 / 2,
    what="sympy: ∫_y^x (s − y) ds = ½(x − y)²",
)

# Numeric: integrate the site's mse_grad from y to x with the trapezoid rule on 11 points
# (exact for a linear integrand, so only rounding is left: ≈ 10 ε·18 for |x − y| ≤ 6) and
# compare with the site's mse, which is 0 at x = y.
rng = np.random.default_rng(0)
x_values, y_values = rng.uniform(-3.0, 3.0, size=(2, 500))
paths = np.linspace(y_values, x_values, 11, axis=-1)  # each row runs from y to x
integrals = np.trapezoid(mse_grad(paths, y_values[:, None]), paths, axis=-1)
close(
    integrals,
    mse(x_values, y_values),
    atol=1e-12,
    what="trapezoid integral of mse_grad from y to x against mse, 500 pairs",
)

# The statement's formulas, read as the expressions checked above.
c = sp.Function("c")
names = {
    "x": x,
    "y": y,
    "L": sp.Lambda((x, y), solution),
    "c": sp.Lambda(y, solution - (x - y) ** 2 / 2),
}
names[r"\partial L / \partial x"] = sp.diff(solution, x)
states(r"\partial L / \partial x = x - y", sp.diff(solution, x), x - y, names=names)
states(
    r"L(x, y) = \tfrac12 (x - y)^2 + c(y)",
    solution,
    (x - y) ** 2 / 2 + (solution - (x - y) ** 2 / 2),
    names=names,
)

# The statement's formulas, read as the expressions checked above.
states(r"c(y) = L(y, y)", solution - (x - y) ** 2 / 2, solution.subs(x, y), names=names)

# Asking for c = 0: the constant of integration that makes c(y) = L(y, y) vanish leaves exactly
# the squared error.
constant = next(iter(solution.free_symbols - {x, y}))
no_offset = solution.subs(constant, sp.solve(solution.subs(x, y), constant)[0])
symbolic(no_offset, (x - y) ** 2 / 2, what="sympy: with c = 0, L(x, y) = ½(x − y)²")
states(r"c = 0", None, (no_offset - (x - y) ** 2 / 2).subs(x, y), names={})

# The fundamental theorem of calculus as the statement writes it, for the solution L above: the
# integral by sympy, the antiderivative ½(s − y)² evaluated at both ends.
antiderivative = (s - y) ** 2 / 2
symbolic(sp.diff(antiderivative, s), s - y, what="sympy: d/ds ½(s − y)² = s − y")
ends = {
    **names,
    r"\int_y^x (s - y)\, ds": sp.integrate(s - y, (s, y, x)),
    r"\Bigl[\tfrac12 (s - y)^2\Bigr]_{s = y}^{s = x}": antiderivative.subs(s, x)
    - antiderivative.subs(s, y),
}
change = solution - solution.subs(x, y)
states(
    r"L(x, y) - L(y, y) = \int_y^x (s - y)\, ds = \Bigl[\tfrac12 (s - y)^2\Bigr]_{s = y}^{s = x}"
    r" = \tfrac12 (x - y)^2 - 0",
    change,
    change,
    change,
    change,
    names=ends,
)
