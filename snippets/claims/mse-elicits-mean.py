r"""For a sample $y_1, \dots, y_n$, the average squared error
$\frac1n \sum_i \tfrac12 (x - y_i)^2 = \tfrac12 (x - \bar y)^2 + \tfrac12 s^2$ is minimised by
the sample mean $\bar y$ (here $s^2 = \frac1n \sum_i (y_i - \bar y)^2$), while the average
absolute error $\frac1n \sum_i |x - y_i|$ is minimised by a sample median."""

import numpy as np
import sympy as sp
from checks import close, symbolic
from losses import mse

# Symbolic, n = 4: the average squared error is ½(x − ȳ)² plus half the sample variance, which
# does not depend on x; so it is smallest at x = ȳ, where its derivative x − ȳ vanishes.
n = 4
x = sp.Symbol("x", real=True)
y = sp.symbols(f"y1:{n + 1}", real=True)
mean = sum(y) / n
variance = sum((y_i - mean) ** 2 for y_i in y) / n
average_loss = sum((x - y_i) ** 2 / 2 for y_i in y) / n
symbolic(
    sp.expand(average_loss),
    sp.expand((x - mean) ** 2 / 2 + variance / 2),
    what="sympy, n = 4: average squared error = ½(x − ȳ)² + ½ s²",
)
symbolic(sp.diff(average_loss, x), x - mean, what="sympy, n = 4: its derivative is x − ȳ")

# Optimisation: a skewed sample (lognormal, so mean and median differ by about 0.6) and a grid
# of candidate predictions with spacing h ≈ 4e-4. Both average losses are convex in x, so the
# best grid point is one of the two that bracket the true minimiser: within h of it.
rng = np.random.default_rng(0)
sample = rng.lognormal(sigma=1.0, size=101)  # odd size: the median is the middle value
candidates = np.linspace(sample.min(), sample.max(), 20_001)
spacing = candidates[1] - candidates[0]
average_squared = mse(candidates[:, None], sample).mean(axis=1)
average_absolute = np.abs(candidates[:, None] - sample).mean(axis=1)
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
