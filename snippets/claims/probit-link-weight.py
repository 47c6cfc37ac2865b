r"""With the probit link $q = \Phi(s)$ instead of the canonical $q = \sigma(s)$, the Bernoulli
negative log-likelihood $-t \ln \Phi(s) - (1 - t) \ln(1 - \Phi(s))$ has derivative
$\big(\Phi(s) - t\big)\, \frac{\varphi(s)}{\Phi(s)(1 - \Phi(s))}$: the residual times a weight,
the slope $d\eta/ds$ of the natural parameter $\eta = \ln\frac{\Phi(s)}{1 - \Phi(s)}$, which is
$4\varphi(0) = 4/\sqrt{2\pi} \approx 1.596$ at $s = 0$ and grows like $|s|$ for large $|s|$."""

import math

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, symbolic

# Symbolic: Φ(s) = (1 + erf(s/√2))/2 and φ = Φ', for t a symbol (the NLL is linear in t).
s, t = sp.symbols("s t", real=True)
cdf = (1 + sp.erf(s / sp.sqrt(2))) / 2
pdf = sp.exp(-(s**2) / 2) / sp.sqrt(2 * sp.pi)
weight = pdf / (cdf * (1 - cdf))
nll = -t * sp.log(cdf) - (1 - t) * sp.log(1 - cdf)
symbolic(
    sp.diff(nll, s),
    (cdf - t) * weight,
    what="sympy: d/ds of the probit NLL = (Φ(s) − t) φ(s)/(Φ(s)(1 − Φ(s)))",
)
natural_parameter = sp.log(cdf) - sp.log(1 - cdf)
symbolic(
    sp.diff(natural_parameter, s),
    weight,
    what="sympy: the weight is dη/ds for η = ln(Φ/(1 − Φ))",
)
symbolic(weight.subs(s, 0), 4 / sp.sqrt(2 * sp.pi), what="sympy: the weight at s = 0 is 4φ(0)")


# Numeric: Φ through erfc, which keeps its relative accuracy in both tails.
def probit(s):
    return np.vectorize(math.erfc)(-s / math.sqrt(2)) / 2


def density(s):
    return np.exp(-(s**2) / 2) / math.sqrt(2 * math.pi)


# Central differences of the NLL at 1000 random scores in [−5, 5] with random targets, against
# (Φ − t)·weight. The NLL reaches ≈ 15.1 at |s| = 5, so the quotient's rounding error is a few
# ε·15/h ≈ 3e-9; 1 − Φ is computed as Φ(−s) so that it keeps its accuracy: atol 3e-8.
rng = np.random.default_rng(4)
scores = rng.uniform(-5, 5, size=1000)
targets = rng.integers(0, 2, size=1000).astype(float)


def probit_nll(s):
    s = s[..., 0]
    return -targets * np.log(probit(s)) - (1 - targets) * np.log(probit(-s))


close(
    numerical_gradient(probit_nll, scores[:, None])[:, 0],
    (probit(scores) - targets) * density(scores) / (probit(scores) * probit(-scores)),
    atol=3e-8,
    what="finite differences of the probit NLL against (Φ − t)·weight, 1000 points",
)

# Numeric, the growth: for s < 0 the inverse Mills ratio obeys |s| < φ(s)/Φ(s) < |s| + 1/|s|,
# and 1/(1 − Φ(s)) is within 1e-22 of 1 for s ≤ −10 (and symmetrically for s > 0), so
# weight/|s| lies in (1, 1 + 1/s²): (weight/|s| − 1)·s² lies in (0, 1). The check asks for the
# middle of that interval, ½, with tolerance ½. The value sits near the top of the interval
# (φ/Φ ≈ |s| + 1/|s| − 2/|s|³), so the observed distance is just under ½; the cancellation in
# weight/|s| − 1 costs about ε·s² ≈ 1e-13, negligible.
tails = np.array([-10.0, -20.0, -30.0, 10.0, 20.0, 30.0])
tail_weights = density(tails) / (probit(tails) * probit(-tails))
close(
    (tail_weights / np.abs(tails) - 1) * tails**2,
    np.full(tails.shape, 0.5),
    atol=0.5,
    what="weight/|s| within the Mills-ratio bounds (1, 1 + 1/s²) at |s| = 10, 20, 30",
)
