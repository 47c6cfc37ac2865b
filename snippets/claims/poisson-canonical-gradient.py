r"""With the canonical (log) link the Poisson rate is $\lambda = e^{\eta}$, the negative
log-likelihood of a count $k$ is $e^{\eta} - k\eta + \ln k!$, and its gradient $e^{\eta} - k$,
the predicted rate minus the observed count, averages to $0$ over counts $k$ drawn from the
Poisson distribution of rate $e^{\eta}$ and has variance $e^{\eta} = A''(\eta)$."""

import math

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, statistical, symbolic

# Symbolic: −ln(λ^k e^{−λ}/k!) with λ = e^η, its logarithms expanded (λ > 0, k! > 0).
eta = sp.Symbol("eta", real=True)
k = sp.Symbol("k", integer=True, nonnegative=True)
rate = sp.exp(eta)
nll = -sp.log(rate**k * sp.exp(-rate) / sp.factorial(k))
symbolic(
    sp.expand_log(nll, force=True),
    sp.exp(eta) - k * eta + sp.log(sp.factorial(k)),
    what="sympy: −ln p(k | η) = e^η − kη + ln k!",
)

# Numeric: central differences of e^η − kη + ln k! against e^η − k at 1000 random (η, k) with
# η in [−3, 4] and k in 0…80. The NLL stays below ≈ 600 (ln 80! ≈ 272, −kη ≤ 240), so the
# quotient's rounding error is up to about ε·600/h ≈ 1.3e-7: atol 5e-7.
rng = np.random.default_rng(5)
etas = rng.uniform(-3, 4, size=1000)
counts = rng.integers(0, 81, size=1000).astype(float)
log_factorials = np.array([math.lgamma(count + 1) for count in counts])


def poisson_nll(eta):
    return np.exp(eta[..., 0]) - counts * eta[..., 0] + log_factorials


close(
    numerical_gradient(poisson_nll, etas[:, None])[:, 0],
    np.exp(etas) - counts,
    atol=5e-7,
    what="finite differences of the Poisson NLL against e^η − k, 1000 points",
)

# Statistical: at η = ln 3.5, 20000 counts drawn from Poisson(3.5). The gradient e^η − k has
# mean 0, and its square has mean Var k = 3.5 = A''(η); both within 5 standard errors.
natural = math.log(3.5)
sampled = np.random.default_rng(6).poisson(math.exp(natural), size=20_000)
gradients = math.exp(natural) - sampled
statistical(gradients, 0.0, what="mean of e^η − k over k ~ Poisson(e^η) is 0")
statistical(gradients**2, math.exp(natural), what="mean of (e^η − k)² is A''(η) = e^η")

# The statement's formulas, read as the expressions checked above.
names = {"eta": eta, "k": k, "lambda": rate, "A''": sp.Lambda(eta, sp.diff(rate, eta, 2))}
names["k!"] = sp.factorial(k)
states(r"\lambda = e^{\eta}", rate, rate, names=names)
states(r"e^{\eta} - k\eta + \ln k!", nll, names=names)
states(r"e^{\eta} - k", sp.diff(nll, eta), names=names)
states(r"e^{\eta} = A''(\eta)", rate, sp.diff(rate, eta, 2), names=names)
# The rate the counts above are drawn with.
states(r"e^{\eta}", sp.Float(math.exp(natural)), names={"eta": sp.Float(natural)})
