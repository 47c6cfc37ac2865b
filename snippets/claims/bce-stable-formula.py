r"""The formula $\max(z, 0) - z t + \log\big(1 + e^{-\lvert z \rvert}\big)$, with the last term
computed by $\operatorname{log1p}$, equals $\operatorname{softplus}(z) - t z$ for every real $z$,
and in float64 it stays accurate for $\lvert z \rvert$ up to $10^3$, including
$z > \log(\text{largest float64}) \approx 709.78$, where $e^{z}$ overflows and the naive
$\log(1 + e^{z}) - t z$ returns $\infty$."""

import mpmath
import numpy as np
import sympy as sp
from checks import close, states, symbolic

t = sp.Symbol("t", real=True)
# Symbolic, one sign of z at a time (max and |z| are then plain expressions). For z > 0,
# log(1 + e^z) = z + log(1 + e^{−z}): expand_log of log(e^z (1 + e^{−z})), whose factors are
# positive; for z < 0 the formula is softplus(z) − tz as written.
z_positive = sp.Symbol("z", positive=True)
symbolic(
    z_positive - z_positive * t + sp.log(1 + sp.exp(-z_positive)),
    sp.expand_log(sp.log(sp.exp(z_positive) * (1 + sp.exp(-z_positive))), force=True)
    - t * z_positive,
    what=r"sympy, $z > 0$: $z - zt + \log(1 + e^{-z}) = \log(e^z(1 + e^{-z})) - tz$",
)
symbolic(
    sp.expand(sp.exp(z_positive) * (1 + sp.exp(-z_positive))),
    1 + sp.exp(z_positive),
    what="sympy, $z > 0$: $e^z(1 + e^{-z}) = 1 + e^z$",
)
z_negative = sp.Symbol("z", negative=True)
symbolic(
    sp.Max(z_negative, 0) - z_negative * t + sp.log(1 + sp.exp(-sp.Abs(z_negative))),
    sp.log(1 + sp.exp(z_negative)) - t * z_negative,
    what="sympy, z < 0: max(z, 0) = 0 and −|z| = z",
)


def stable_binary_cross_entropy(z, t):
    """max(z, 0) − zt + log1p(e^{−|z|}): exp never sees a positive argument."""
    return np.maximum(z, 0.0) - z * t + np.log1p(np.exp(-np.abs(z)))


def precise_binary_cross_entropy(z, t):
    """log(1 + e^z) − tz in mpmath, at exactly the float64 z and t.

    For t = 1 and large z the result e^{−z} is what is left of log(1 + e^z) − z, so the precision
    grows with z: |z|/log 10 digits to carry e^{−|z|} next to 1, plus 40 to spare.
    """
    with mpmath.workdps(int(abs(z) / np.log(10)) + 40):
        z, t = mpmath.mpf(float(z)), mpmath.mpf(float(t))
        return float(mpmath.log1p(mpmath.exp(z)) - t * z)


# Numeric: 400 logits, log-spaced magnitudes 1e-3 to 1e3 with both signs, plus 709.5 and 710
# on either side of the overflow threshold, for t = 0 and t = 1. Then the formula adds two
# non-negative terms, each rounded to a few ε (z − z·1 is exactly 0), so its relative error is a
# few ε: rtol 1e-14. The reference is mpmath's log(1 + e^z) − tz, the naive formula in precision.
magnitudes = np.concatenate([np.geomspace(1e-3, 1e3, 200), [709.5, 710.0]])
z_values = np.concatenate([-magnitudes, magnitudes])
for t_value in (0.0, 1.0):
    reference = [precise_binary_cross_entropy(z, t_value) for z in z_values]
    close(
        stable_binary_cross_entropy(z_values, t_value),
        reference,
        rtol=1e-14,
        what=f"stable formula against mpmath, t = {t_value:g}, 1e-3 ≤ |z| ≤ 1e3",
    )
# Soft targets t in (0, 1): max(z, 0) − zt can cancel (t near 1, z large), leaving an absolute
# error of about ε·|z| ≤ 2.2e-13 at |z| ≤ 1e3, so here the tolerance is absolute, 1e-12.
rng = np.random.default_rng(4)
soft_t = rng.uniform(0.0, 1.0, size=z_values.size)
close(
    stable_binary_cross_entropy(z_values, soft_t),
    [precise_binary_cross_entropy(z, t) for z, t in zip(z_values, soft_t, strict=True)],
    atol=1e-12,
    what="stable formula against mpmath, soft targets t ∈ (0, 1), |z| ≤ 1e3",
)
# The naive formula (here t = 1) where e^z overflows: inf for every z above log(largest float64),
# while the stable one is finite there. Compared as the set of logits where each is infinite.
with np.errstate(over="ignore"):
    naive = np.log(1 + np.exp(z_values)) - z_values
close(
    np.isinf(naive),
    z_values > np.log(np.finfo(np.float64).max),
    atol=0.5,  # booleans: any disagreement is an error of 1
    what="the naive log(1 + e^z) − tz is infinite exactly where z > log(largest float64)",
)
close(
    np.isinf(stable_binary_cross_entropy(z_values, 1.0)),
    np.zeros(z_values.size),
    atol=0.5,
    what="the stable formula is finite everywhere",
)

# The statement's formulas, read as the expressions checked above.
stable_tex = r"\max(z, 0) - z t + \log\big(1 + e^{-\lvert z \rvert}\big)"
for z in (z_positive, z_negative):
    names = {"z": z, "t": t}
    softplus_form = sp.log(1 + sp.exp(z)) - t * z
    states(stable_tex, sp.Max(z, 0) - z * t + sp.log(1 + sp.exp(-sp.Abs(z))), names=names)
    states(r"\operatorname{softplus}(z) - t z", softplus_form, names=names)
    states(r"\log(1 + e^{z}) - t z", softplus_form, names=names)
states(r"10^3", sp.nsimplify(magnitudes.max()), names={})  # the largest |z| checked
# Where the naive formula overflows: the threshold the check above compares with.
states(
    r"z > \log(\text{largest float64}) \approx 709.78",
    None,
    sp.log(sp.Float(np.finfo(np.float64).max, 30)),
    None,
    names={r"\text{largest float64}": sp.Float(np.finfo(np.float64).max, 30)},
    relations=(">", r"\approx"),
)
states(r"e^{z}", sp.exp(z_positive), names={"z": z_positive})
