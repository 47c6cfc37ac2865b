r"""With $q = \sigma(z) = 1/(1 + e^{-z})$, the binary cross entropy
$-t \log q - (1 - t) \log(1 - q)$ equals $\operatorname{softplus}(z) - t z$, where
$\operatorname{softplus}(z) = \log(1 + e^{z})$, for every target $t \in [0, 1]$."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic

# Symbolic: expand_log splits log σ(z) = −log(1 + e^{−z}) and log(1 − σ(z)) into sums of logs; force
# is safe because every argument (e^{−z}, 1 + e^{−z}) is positive for real z.
z, t = sp.symbols("z t", real=True)
q = 1 / (1 + sp.exp(-z))
binary_cross_entropy = -t * sp.log(q) - (1 - t) * sp.log(1 - q)
softplus = sp.log(1 + sp.exp(z))
symbolic(
    sp.expand_log(binary_cross_entropy, force=True),
    softplus - t * z,
    what="sympy: −t log σ(z) − (1 − t) log(1 − σ(z)) = softplus(z) − tz",
)

# Numeric: the probability form, computed the way it is written, against the logit form from
# np.logaddexp(0, z) = log(e⁰ + e^z), at 1,000 random (z, t) with |z| ≤ 10. Computing 1 − q
# cancels: at z = 10 it is 4.5e-5 with an absolute error of ε ≈ 1.1e-16, a relative error of
# 2.5e-12 that the log passes on as an absolute one, so the tolerance is 1e-11.
rng = np.random.default_rng(0)
z_values = rng.uniform(-10.0, 10.0, size=1000)
t_values = rng.uniform(0.0, 1.0, size=1000)
q_values = 1 / (1 + np.exp(-z_values))
close(
    -t_values * np.log(q_values) - (1 - t_values) * np.log(1 - q_values),
    np.logaddexp(0.0, z_values) - t_values * z_values,
    atol=1e-11,
    what="probability form against softplus(z) − tz, 1,000 points, |z| ≤ 10",
)

# The statement's formulas, read as the expressions checked above.
names = {"z": z, "t": t, "q": q, "sigma": sp.Lambda(z, q), "softplus": sp.Lambda(z, softplus)}
states(r"q = \sigma(z) = 1/(1 + e^{-z})", q, q, 1 / (1 + sp.exp(-z)), names=names)
states(r"-t \log q - (1 - t) \log(1 - q)", binary_cross_entropy, names=names)
states(r"\operatorname{softplus}(z) - t z", softplus - t * z, names=names)
states(r"\operatorname{softplus}(z) = \log(1 + e^{z})", softplus, softplus, names=names)
states(r"t \in [0, 1]", t, None, names=names, relations=(r"\in",))
