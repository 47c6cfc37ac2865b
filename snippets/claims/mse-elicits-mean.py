r"""For a sample $y_1, \dots, y_n$, the average squared error
$\frac1n \sum_i \tfrac12 (x - y_i)^2 = \tfrac12 (x - \bar y)^2 + \tfrac12 s^2$ is minimised by
the sample mean $\bar y$ (here $s^2 = \frac1n \sum_i (y_i - \bar y)^2$), while the average
absolute error $\frac1n \sum_i |x - y_i|$ is minimised by a sample median: the middle value
for odd $n$, and for even $n$ every point between the two middle values."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import mse

# Symbolic, for a general sample size n (sums over i = 1..n of an indexed y): the average
# squared error is ½(x − ȳ)² plus half the sample variance, which does not depend on x; so it is
# smallest at x = ȳ, where its derivative x − ȳ vanishes. Expanded, the sums split term by term.
n, i = sp.Symbol("n", integer=True, positive=True), sp.Symbol("i", integer=True)
x = sp.Symbol("x", real=True)
y = sp.IndexedBase("y", real=True)


def sample_sum(term):
    return sp.Sum(term, (i, 1, n))


mean = sample_sum(y[i]) / n
variance = sample_sum((y[i] - mean) ** 2) / n
average_loss = sample_sum((x - y[i]) ** 2 / 2) / n
symbolic(
    sp.expand(average_loss).doit(),
    sp.expand((x - mean) ** 2 / 2 + variance / 2).doit(),
    what="sympy, any n: average squared error = ½(x − ȳ)² + ½ s²",
)
symbolic(
    sp.expand(sp.diff(average_loss, x)).doit(),
    sp.expand(x - mean).doit(),
    what="sympy, any n: its derivative is x − ȳ",
)

# Optimisation: a skewed sample (lognormal, so mean and median differ by about 0.6) and a grid
# of candidate predictions with spacing h ≈ 4e-4. Both average losses are convex in x, so the
# best grid point is one of the two that bracket the true minimiser: within h of it.
rng = np.random.default_rng(0)
sample = rng.lognormal(sigma=1.0, size=101)  # odd size: the median is the middle value
candidates = np.linspace(sample.min(), sample.max(), 20_001)
spacing = candidates[1] - candidates[0]
average_squared = mse(candidates[:, None], sample).mean(axis=1)
# The absolute error as the statement writes it, |x − yᵢ|, evaluated by numpy.
one_value = sp.Symbol("y_i", real=True)
absolute_term = sp.Abs(x - one_value)
absolute_error = sp.lambdify((x, one_value), absolute_term, "numpy")
average_absolute = absolute_error(candidates[:, None], sample).mean(axis=1)
close(
    candidates[np.argmin(average_squared)],
    np.mean(sample),
    atol=spacing,
    kind="optimisation",
    what="grid minimiser of the average mse against np.mean",
)
close(
    candidates[np.argmin(average_absolute)],
    np.median(sample),
    atol=spacing,
    kind="optimisation",
    what="grid minimiser of the average absolute error against np.median",
)

# An even sample has no middle value: every x between the two middle values y₍n/2₎ and
# y₍n/2+1₎ is a sample median, and the average absolute error is flat there and larger outside.
# The grid points whose loss is within a relative 1e-12 of the smallest (rounding of a mean of
# 100 terms is ≈ 1e-14) must span that interval, to within one grid step at each end.
even_sample = rng.lognormal(sigma=1.0, size=100)
even_candidates = np.linspace(even_sample.min(), even_sample.max(), 20_001)
even_spacing = even_candidates[1] - even_candidates[0]
even_absolute = absolute_error(even_candidates[:, None], even_sample).mean(axis=1)
flat = even_candidates[even_absolute <= even_absolute.min() * (1 + 1e-12)]
middle_values = np.sort(even_sample)[[49, 50]]
close(
    [flat.min(), flat.max()],
    middle_values,
    atol=even_spacing,
    kind="optimisation",
    what="even n: the grid minimisers of the average absolute error span the two middle values",
)

# The statement's formulas, read as the expressions checked above, at n = 5 (the reader has no
# sums over a symbolic n: each sum is bound to the checked sum written out for five values).
size = 5
values = sp.symbols(f"y1:{size + 1}", real=True)


def at_size(expression):
    """The expression for a sample of `size` values y₁ … y₅."""
    written_out = expression.subs(n, size).doit()
    return written_out.subs({y[k]: values[k - 1] for k in range(1, size + 1)})


names = {
    "x": x,
    "n": size,
    r"\bar y": at_size(mean),
    "s": sp.sqrt(at_size(variance)),
    r"\sum_i \tfrac12 (x - y_i)^2": at_size(sample_sum((x - y[i]) ** 2 / 2)),
    r"\sum_i (y_i - \bar y)^2": at_size(sample_sum((y[i] - mean) ** 2)),
    r"\sum_i |x - y_i|": at_size(sample_sum(absolute_term.subs(one_value, y[i]))),
}
states(
    r"\frac1n \sum_i \tfrac12 (x - y_i)^2 = \tfrac12 (x - \bar y)^2 + \tfrac12 s^2",
    at_size(average_loss),
    at_size((x - mean) ** 2 / 2 + variance / 2),
    names=names,
)
states(r"s^2 = \frac1n \sum_i (y_i - \bar y)^2", at_size(variance), at_size(variance), names=names)
states(
    r"\frac1n \sum_i |x - y_i|",
    at_size(sample_sum(absolute_term.subs(one_value, y[i])) / n),
    names=names,
)
