r"""In float64 the naive $\log \sum_i e^{z_i}$ is $+\infty$ wherever
$\operatorname{LSE}(z) > \log(\text{largest float64}) \approx 709.78$ and $-\infty$ wherever every
$z_i < -1075 \log 2 \approx -745.13$
(each $e^{z_i}$ rounds to 0), and there the naive $e^{z_i} / \sum_j e^{z_j}$ is NaN or all zeros,
while the site's logsumexp and softmax, which subtract $m = \max_i z_i$ first, agree with
50-digit arithmetic for logits of any size up to $10^{300}$."""

import mpmath as mp
import numpy as np
import sympy as sp
import tex
from checks import close, quote, states
from losses import logsumexp, softmax

mp.mp.dps = 50

# 5 logits per row: the largest is ±c, the others spread below it by up to 30 or by up to
# twice c. Scales c run from 3 to 1,000 (across both thresholds) and on to 1e300. One more row
# has five logits at 709: each exp(709) is finite, but their sum is not.
rng = np.random.default_rng(7)
scales = np.concatenate([np.linspace(3.0, 1e3, 120), np.geomspace(1e3, 1e300, 30)])
signs = rng.choice([-1.0, 1.0], size=scales.size)
gaps = np.where(
    rng.random((scales.size, 1)) < 0.5,
    rng.uniform(0, 30, size=(scales.size, 5)),
    rng.uniform(0, 2, size=(scales.size, 5)) * scales[:, None],
)
gaps[:, 0] = 0.0
logits = np.vstack([(signs * scales)[:, None] - gaps, np.full(5, 709.0)])
# Rows whose LSE lies within 0.5 of a threshold are left out below: there the rounding of
# the naive sum decides, and the claim is about the ranges either side.

# The references use no shift: LSE sums the exponentials as they are, and softmax is
# qᵢ = 1 / Σⱼ exp(zⱼ − zᵢ), whose differences of floats are exact at 50 digits.
exact_lse = np.array(
    [float(mp.log(mp.fsum(mp.exp(mp.mpf(float(z_i))) for z_i in row))) for row in logits]
)
exact_softmax = np.array(
    [
        [
            float(1 / mp.fsum(mp.exp(mp.mpf(float(z_j)) - mp.mpf(float(z_i))) for z_j in row))
            for z_i in row
        ]
        for row in logits
    ]
)

overflow_at = float(mp.log(mp.mpf(float(np.finfo(np.float64).max))))  # 709.78...
underflow_at = float(-1075 * mp.log(2))  # e^x < 2^-1075, half the smallest subnormal: rounds to 0
kept = (np.abs(exact_lse - overflow_at) > 0.5) & (np.abs(logits.max(axis=1) - underflow_at) > 0.5)
logits, exact_lse, exact_softmax = logits[kept], exact_lse[kept], exact_softmax[kept]

# The naive formulas, evaluated where they overflow and underflow: that failure is the point.
with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
    naive_lse = np.log(np.exp(logits).sum(axis=1))
    naive_softmax = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)

# Where each fails, against where 50-digit arithmetic says it must. The comparisons are of
# booleans (1 or 0), so any disagreement is an error of 1 and fails the tolerance of 0.5.
predicted_overflow = exact_lse > overflow_at
predicted_underflow = logits.max(axis=1) < underflow_at
close(
    np.isposinf(naive_lse),
    predicted_overflow,
    atol=0.5,
    what="rows where the naive LSE is +inf against LSE(z) > 709.78 in 50 digits",
)
close(
    np.isneginf(naive_lse),
    predicted_underflow,
    atol=0.5,
    what="rows where the naive LSE is −inf against max z < −1075 log 2",
)
# The naive softmax fails as inf/inf = NaN, 0/0 = NaN, or finite/inf = 0 (five logits at
# 709): either way its row no longer sums to 1.
with np.errstate(invalid="ignore"):  # NaN rows compare as not summing to 1, as they should
    naive_softmax_fails = ~(np.abs(naive_softmax.sum(axis=1) - 1) < 1e-12)
close(
    naive_softmax_fails,
    predicted_overflow | predicted_underflow,
    atol=0.5,
    what="rows where the naive softmax does not sum to 1 against the same two conditions",
)

# The site's functions on every row. logsumexp computes m + log s with 1 ≤ s ≤ 5, exact to
# about ε(|LSE| + 2.6); as max z = ±c with c ≥ 3, |LSE| ≥ 3 − log 5 ≈ 1.4, so the relative
# error stays below 3ε ≈ 7e-16: the tolerance is 1e-15.
close(
    logsumexp(logits),
    exact_lse,
    rtol=1e-15,
    what="site logsumexp against 50-digit LSE, scales 3 to 1e300",
)
# q ≤ 1, and each qᵢ = exp(zᵢ − m − log s) carries the rounding of its argument, which costs
# at most ε·d·e^{−d} ≤ ε/e absolutely: an absolute 1e-15 again leaves room for the sum.
close(
    softmax(logits),
    exact_softmax,
    atol=1e-15,
    what="site softmax against 50-digit softmax, scales 3 to 1e300",
)

# The statement's formulas, read as the expressions checked above (five logits a row).
z = sp.Matrix(sp.symbols("z1:6", real=True))
z_i, z_j = sp.Symbol("z_i", real=True), sp.Symbol("z_j", real=True)
over = {
    index: [{placeholder: entry} for entry in z] for index, placeholder in (("i", z_i), ("j", z_j))
}
names = {
    "z": z,
    "z_i": z_i,
    "z_j": z_j,
    r"\sum_i": tex.operator(over["i"]),
    r"\sum_j": tex.operator(over["j"]),
}
names[r"\max_i"] = tex.operator(over["i"], combine=sp.Max)
naive_lse_formula = sp.log(sum(sp.exp(entry) for entry in z))
states(r"\log \sum_i e^{z_i}", naive_lse_formula, names=names)
states(r"e^{z_i}", sp.exp(z_i), names=names)
for i in range(5):
    states(
        r"e^{z_i} / \sum_j e^{z_j}",
        sp.exp(z[i]) / sp.exp(naive_lse_formula),
        names={**names, "z_i": z[i]},
    )
states(r"m = \max_i z_i", None, sp.Max(*z), names=names)
largest = sp.Float(float(np.finfo(np.float64).max), 30)
states(
    r"\operatorname{LSE}(z) > \log(\text{largest float64}) \approx 709.78",
    None,
    sp.Float(overflow_at, 30),
    None,
    names={r"\text{largest float64}": largest},
    relations=(">", r"\approx"),
)
states(
    r"z_i < -1075 \log 2 \approx -745.13",
    None,
    sp.Float(underflow_at, 30),
    None,
    names=names,
    relations=("<", r"\approx"),
)
# The values the naive LSE takes where the checks above say it fails.
states(r"+\infty", sp.sympify(float(naive_lse[predicted_overflow][0])), names={})
states(r"-\infty", sp.sympify(float(naive_lse[predicted_underflow][0])), names={})
states(r"10^{300}", 10 ** sp.Integer(round(np.log10(scales.max()))), names={})  # largest scale
quote("underflow", underflow_at)  # for the page

# For the page: e^709, finite in float64 although five of them overflow (the last row above),
# and the page's example z = (1000, 999, 0): its LSE(z) − z₃, the loss of class 3. numpy's exp
# and the site's logsumexp are within a few ε of 50 digits: rtol 1e-15.
close(  # in units of 10^307: a float that large is a whole number, which checks change by 1
    np.exp(709.0) / 1e307,
    float(mp.exp(709) / mp.mpf(10) ** 307),
    rtol=1e-15,
    what="float64 exp(709), finite, against 50 digits, in units of $10^{307}$",
)
quote("exp_709", np.exp(709.0))
example = np.array([1000.0, 999.0, 0.0])
example_loss = logsumexp(example) - example[2]
close(
    example_loss,
    float(mp.log(mp.fsum(mp.exp(mp.mpf(z_i)) for z_i in example)) - mp.mpf(example[2])),
    rtol=1e-15,
    what="site LSE(z) − z₃ for z = (1000, 999, 0) against 50 digits",
)
quote("example_loss", example_loss)
