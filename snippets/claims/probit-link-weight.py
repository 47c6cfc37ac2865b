r"""With the probit link $q = \Phi(f)$ instead of the canonical $q = \sigma(f)$, the Bernoulli
negative log-likelihood $-t \ln \Phi(f) - (1 - t) \ln(1 - \Phi(f))$, with $\varphi = \Phi'$, has
derivative $\bigl(\Phi(f) - t\bigr)\, \frac{\varphi(f)}{\Phi(f)(1 - \Phi(f))}$, term by term
$\frac{\partial}{\partial f}\bigl(-\log p(t \mid f)\bigr) = -t\, \frac{\varphi(f)}{\Phi(f)} + (1 -
t)\, \frac{\varphi(f)}{1 - \Phi(f)} = \varphi(f)\, \frac{-t\,(1 - \Phi(f)) + (1 - t)\,
\Phi(f)}{\Phi(f)\,(1 - \Phi(f))} = \bigl(\Phi(f) - t\bigr)\, \frac{\varphi(f)}{\Phi(f)\,(1 -
\Phi(f))}$: the residual times a weight,
the slope $d\eta/df$ of the natural parameter $\eta = \ln\frac{\Phi(f)}{1 - \Phi(f)}$, which is
$4\varphi(0) = 4/\sqrt{2\pi} \approx 1.596$ at $f = 0$ and grows like $|f|$ for large $|f|$."""

import math

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, quote, states, symbolic

# Symbolic: Φ(f) = (1 + erf(f/√2))/2 and φ = Φ', for t a symbol (the NLL is linear in t).
f, t = sp.symbols("f t", real=True)
cdf = (1 + sp.erf(f / sp.sqrt(2))) / 2
pdf = sp.exp(-(f**2) / 2) / sp.sqrt(2 * sp.pi)
weight = pdf / (cdf * (1 - cdf))
nll = -t * sp.log(cdf) - (1 - t) * sp.log(1 - cdf)
symbolic(
    sp.diff(nll, f),
    (cdf - t) * weight,
    what="sympy: d/df of the probit NLL = (Φ(f) − t) φ(f)/(Φ(f)(1 − Φ(f)))",
)
natural_parameter = sp.log(cdf) - sp.log(1 - cdf)
symbolic(
    sp.diff(natural_parameter, f),
    weight,
    what="sympy: the weight is dη/df for η = ln(Φ/(1 − Φ))",
)
symbolic(weight.subs(f, 0), 4 / sp.sqrt(2 * sp.pi), what="sympy: the weight at f = 0 is 4φ(0)")


# Numeric: Φ through erfc, which keeps its relative accuracy in both tails.
def probit(f):
    return np.vectorize(math.erfc)(-f / math.sqrt(2)) / 2


def density(f):
    return np.exp(-(f**2) / 2) / math.sqrt(2 * math.pi)


# Central differences of the NLL at 1000 random scores in [−5, 5] with random targets, against
# (Φ − t)·weight. The NLL reaches ≈ 15.1 at |f| = 5, so the quotient's rounding error is a few
# ε·15/h ≈ 3e-9; 1 − Φ is computed as Φ(−f) so that it keeps its accuracy: atol 3e-8.
rng = np.random.default_rng(4)
scores = rng.uniform(-5, 5, size=1000)
targets = rng.integers(0, 2, size=1000).astype(float)


def probit_nll(f):
    f = f[..., 0]
    return -targets * np.log(probit(f)) - (1 - targets) * np.log(probit(-f))


close(
    numerical_gradient(probit_nll, scores[:, None])[:, 0],
    (probit(scores) - targets) * density(scores) / (probit(scores) * probit(-scores)),
    atol=3e-8,
    what="finite differences of the probit NLL against (Φ − t)·weight, 1000 points",
)

# Numeric, the growth: for f < 0 the inverse Mills ratio is φ(f)/Φ(f) = |f| + 1/|f| − 2/|f|³
# + 10/|f|⁵ − …, and 1/(1 − Φ(f)) is within 1e-22 of 1 for f ≤ −10 (and symmetrically for
# f > 0), so weight/|f| = 1 + 1/f² − 2/f⁴ + …: (weight/|f| − 1)·f² is 1 − 2/f² up to the next
# term, 10/f⁴ ≤ 1e-3 at |f| ≥ 10 (the series alternates, so that bounds the rest): atol 1e-3.
# The cancellation in weight/|f| − 1 costs about ε·f² ≈ 1e-13, negligible.
tails = np.array([-10.0, -20.0, -30.0, 10.0, 20.0, 30.0])
tail_weights = density(tails) / (probit(tails) * probit(-tails))
close(
    (tail_weights / np.abs(tails) - 1) * tails**2,
    1 - 2 / tails**2,
    atol=1e-3,
    what="(weight/|f| − 1)·f² against 1 − 2/f² (the Mills ratio's series) at |f| = 10, 20, 30",
)

# The statement's formulas, read as the expressions checked above.
names = {
    "f": f,
    "t": t,
    "Phi": sp.Lambda(f, cdf),
    "varphi": sp.Lambda(f, pdf),
    "eta": natural_parameter,
}
names[r"d\eta/df"] = sp.diff(natural_parameter, f)
states(r"q = \Phi(f)", None, cdf, names=names)
states(r"q = \sigma(f)", None, 1 / (1 + sp.exp(-f)), names=names)  # the canonical link
states(r"-t \ln \Phi(f) - (1 - t) \ln(1 - \Phi(f))", nll, names=names)
states(
    r"\bigl(\Phi(f) - t\bigr)\, \frac{\varphi(f)}{\Phi(f)(1 - \Phi(f))}",
    sp.diff(nll, f),
    names=names,
)
states(r"d\eta/df", weight, names=names)
states(r"\eta = \ln\frac{\Phi(f)}{1 - \Phi(f)}", None, natural_parameter, names=names)
states(
    r"4\varphi(0) = 4/\sqrt{2\pi} \approx 1.596",
    weight.subs(f, 0),
    4 / sp.sqrt(2 * sp.pi),
    None,
    names=names,
    relations=("=", r"\approx"),
)
states(r"f = 0", None, 0, names=names)  # where the weight is evaluated above
states(r"|f|", sp.Abs(f), names=names)  # the tail check divides the weight by |f|
likelihood = cdf**t * (1 - cdf) ** (1 - t)
names[r"p(t \mid f)"] = likelihood
names["Phi'"] = sp.Lambda(f, sp.diff(cdf, f))
states(
    r"\varphi = \Phi'",
    sp.Lambda(f, pdf)(f),
    sp.diff(cdf, f),
    names={**names, r"\varphi": pdf, r"\Phi'": sp.diff(cdf, f)},
)
states(
    r"\frac{\partial}{\partial f}\bigl(-\log p(t \mid f)\bigr) = -t\, \frac{\varphi(f)}{\Phi(f)}"
    r" + (1 - t)\, \frac{\varphi(f)}{1 - \Phi(f)}"
    r" = \varphi(f)\, \frac{-t\,(1 - \Phi(f)) + (1 - t)\, \Phi(f)}{\Phi(f)\,(1 - \Phi(f))}"
    r" = \bigl(\Phi(f) - t\bigr)\, \frac{\varphi(f)}{\Phi(f)\,(1 - \Phi(f))}",
    sp.diff(nll, f),
    sp.diff(nll, f),
    sp.diff(nll, f),
    (cdf - t) * weight,
    names=names,
)
quote("weight_at_zero", weight.subs(f, 0))  # for the page
