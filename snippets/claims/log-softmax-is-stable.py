r"""$\log \operatorname{softmax}(z)_i = z_i - \operatorname{LSE}(z)
= (z_i - m) - \log \sum_j e^{z_j - m}$ for every real $m$; with $m = \max_j z_j$ the site's
log_softmax agrees with 50-digit arithmetic to $10^{-15} \max(1, \lvert \log q_i \rvert)$ for
logits up to $10^{300}$, whereas the log of a softmax, even an exact one, is $-\infty$ wherever
$\log q_i < -1075 \log 2 \approx -745.13$ because $q_i$ rounds to 0.
The symbolic proof is for three classes."""

import mpmath as mp
import numpy as np
import sympy as sp
import tex
from checks import close, quote, states, symbolic
from losses import log_softmax, softmax

# Symbolic, three classes: log(e^{z₁}/Σ) splits into z₁ − log Σ (expand_log, all terms
# positive), and e^{−m} factors out of Σ e^{zⱼ − m}, so any shift m gives the same value.
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
m = sp.Symbol("m", real=True)
total = sum(sp.exp(z_j) for z_j in z)
lse = sp.log(total)
symbolic(
    sp.expand_log(sp.log(sp.exp(z[0]) / total), force=True),
    z[0] - lse,
    what="sympy, 3 classes: log softmax(z)₁ = z₁ − LSE(z)",
)
symbolic(
    sp.expand_log(sp.log(sp.factor(sum(sp.exp(z_j - m) for z_j in z))), force=True),
    lse - m,
    what="sympy, 3 classes: log Σ exp(zⱼ − m) = LSE(z) − m for any m",
)

# Numeric: 5 logits per row, the largest ±c for c from 1 to 1e300, the others below it by up
# to 2,000 (across the −745 threshold) or by up to twice c.
mp.mp.dps = 50
rng = np.random.default_rng(8)
scales = np.concatenate([np.geomspace(1.0, 1e3, 80), np.geomspace(1e3, 1e300, 40)])
gaps = np.where(
    rng.random((scales.size, 1)) < 0.5,
    rng.uniform(0, 2e3, size=(scales.size, 5)),
    rng.uniform(0, 2, size=(scales.size, 5)) * scales[:, None],
)
gaps[:, 0] = 0.0
logits = (rng.choice([-1.0, 1.0], size=scales.size) * scales)[:, None] - gaps
# The reference uses no shift and no LSE: log qᵢ = −log Σⱼ exp(zⱼ − zᵢ), whose differences
# of floats are exact at 50 digits.
exact = np.array(
    [
        [
            -float(mp.log(mp.fsum(mp.exp(mp.mpf(float(z_j)) - mp.mpf(float(z_i))) for z_j in row)))
            for z_i in row
        ]
        for row in logits
    ]
)

# The site computes (zᵢ − m) − log s with 1 ≤ s ≤ 5: the rounding of zᵢ − m costs ε|zᵢ − m|
# and the log about 2ε, so the error is at most about ε(|log qᵢ| + 3). Measured against
# max(1, |log qᵢ|) that is below 4ε ≈ 9e-16: the tolerance is 1e-15.
scale = np.maximum(1.0, np.abs(exact))
close(
    log_softmax(logits) / scale,
    exact / scale,
    atol=1e-15,
    what="site log_softmax against 50-digit log q, error over max(1, |log q|)",
)

# log of the site's softmax (exact to ε relative where it does not underflow) is −inf
# exactly where 50 digits put log qᵢ below −1075 log 2, where qᵢ rounds to 0. Entries within
# 0.5 of the threshold are left out (there the last bit decides). Booleans: any disagreement
# is an error of 1, beyond the tolerance of 0.5.
underflow_at = float(-1075 * mp.log(2))
kept = np.abs(exact - underflow_at) > 0.5
with np.errstate(divide="ignore"):  # log 0 = −inf is what is measured
    log_of_softmax = np.log(softmax(logits))
close(
    np.isneginf(log_of_softmax[kept]),
    exact[kept] < underflow_at,
    atol=0.5,
    what="entries where log(softmax(z)) is −inf against log q < −1075 log 2 in 50 digits",
)

# For the page: log q₃ of its example z = (1000, 999, 0), an ordinary number although q₃ rounds
# to 0 (both checked against 50 digits, within the tolerance of the check above).
example = np.array([1000.0, 999.0, 0.0])
example_log_q = log_softmax(example)[2]
close(
    example_log_q,
    -float(mp.log(mp.fsum(mp.exp(mp.mpf(z_j)) for z_j in example))),
    rtol=1e-15,
    what="site log_softmax(z)₃ for z = (1000, 999, 0) against 50 digits",
)
close(softmax(example)[2], 0.0, atol=1e-300, what="softmax(z)₃ rounds to 0 for that z")
quote("example_log_q", example_log_q)

# The statement's formulas, read as the expressions checked above (three classes for the
# identity, any shift m; the tolerance and thresholds as the numeric checks use them).
z_vector = sp.Matrix(z)
z_j = sp.Symbol("z_j", real=True)
over_j = [{z_j: entry} for entry in z]
names = {"z": z_vector, "m": m, "z_j": z_j, r"\sum_j": tex.operator(over_j)}
names[r"\max_j"] = tex.operator(over_j, combine=sp.Max)
chain = (
    r"\log \operatorname{softmax}(z)_i = z_i - \operatorname{LSE}(z)"
    r" = (z_i - m) - \log \sum_j e^{z_j - m}"
)
for i in range(n):
    names_i = {**names, "z_i": z[i], r"\operatorname{softmax}(z)_i": sp.exp(z[i]) / total}
    states(chain, sp.log(sp.exp(z[i]) / total), z[i] - lse, z[i] - lse, names=names_i)
states(r"m = \max_j z_j", None, sp.Max(*z), names=names)
q_i = sp.Symbol("q_i", positive=True)
states(
    r"10^{-15} \max(1, \lvert \log q_i \rvert)",
    sp.Float(1e-15) * sp.Max(1, sp.Abs(sp.log(q_i))),
    names={"q_i": q_i},
)
states(r"10^{300}", 10 ** sp.Integer(round(np.log10(scales.max()))), names={})  # largest scale
states(r"-\infty", sp.sympify(float(log_of_softmax[kept][exact[kept] < underflow_at][0])), names={})
states(
    r"\log q_i < -1075 \log 2 \approx -745.13",
    None,
    sp.Float(underflow_at, 30),
    None,
    names={},
    relations=("<", r"\approx"),
)
