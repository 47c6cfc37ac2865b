r"""If the target $y$ is Gaussian around the prediction $x$, with density
$\mathcal N(y; x, \sigma^2) = e^{-(y - x)^2/(2\sigma^2)} / \sqrt{2\pi\sigma^2}$, its
negative log-likelihood is $-\log \mathcal N(y; x, \sigma^2) = \frac{(x - y)^2}{2\sigma^2} +
\tfrac12 \log(2\pi\sigma^2)$, the squared error scaled by $1/\sigma^2$ plus a constant, so
its gradient in $x$ at fixed $\sigma$ is $(x - y)/\sigma^2$."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import mse

x, y = sp.symbols("x y", real=True)
sigma = sp.Symbol("sigma", positive=True)
density = sp.exp(-((y - x) ** 2) / (2 * sigma**2)) / sp.sqrt(2 * sp.pi * sigma**2)
nll = (x - y) ** 2 / (2 * sigma**2) + sp.log(2 * sp.pi * sigma**2) / 2

# Symbolic: −log of the density, with log(a·b) = log a + log b expanded (every factor is > 0).
symbolic(
    sp.expand_log(-sp.log(density), force=True),
    nll,
    what="sympy: −log N(y; x, σ²) = (x − y)²/(2σ²) + ½ log(2πσ²)",
)
symbolic(
    sp.diff(-sp.log(density), x),
    (x - y) / sigma**2,
    what="sympy: d/dx −log N(y; x, σ²) = (x − y)/σ²",
)

# Numeric: the constant ½ log(2πσ²) is what makes exp(−NLL) a density. Written with the site's
# mse, exp(−(mse(x, y)/σ² + ½ log 2πσ²)) must integrate to 1 over y. Trapezoid rule on
# x ± 12σ with 4001 points: for a Gaussian that is accurate to rounding (≈ 1e-15 · 4001), and
# the tails beyond 12σ hold about 4e-33 of the mass, so atol 1e-12.
for prediction, scale in [(0.0, 1.0), (2.5, 0.3), (-1.0, 4.0)]:
    targets = np.linspace(prediction - 12 * scale, prediction + 12 * scale, 4001)
    neg_log_density = mse(prediction, targets) / scale**2 + 0.5 * np.log(2 * np.pi * scale**2)
    close(
        np.trapezoid(np.exp(-neg_log_density), targets),
        1.0,
        atol=1e-12,
        what=f"∫ exp(−NLL) dy = 1 at x = {prediction}, σ = {scale}",
    )

# The statement's formulas, read as the expressions checked above.
names = {"x": x, "y": y, "sigma": sigma, r"\log \mathcal N(y; x, \sigma^2)": sp.log(density)}
states(
    r"-\log \mathcal N(y; x, \sigma^2) = \frac{(x - y)^2}{2\sigma^2} + \tfrac12 \log(2\pi\sigma^2)",
    sp.expand_log(-sp.log(density), force=True),
    nll,
    names=names,
)
states(r"1/\sigma^2", 1 / sigma**2, names=names)
states(r"(x - y)/\sigma^2", sp.diff(-sp.log(density), x), names=names)
states(
    r"\mathcal N(y; x, \sigma^2) = e^{-(y - x)^2/(2\sigma^2)} / \sqrt{2\pi\sigma^2}",
    None,
    density,
    names=names,
)
