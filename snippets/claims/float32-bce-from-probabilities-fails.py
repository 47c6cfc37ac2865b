r"""In float32, binary cross entropy from the probability $\sigma(z) = 1/(1 + e^{-z})$ is infinite
for $t = 0$ once $z \ge -\log 2^{-24} = 24 \log 2 \approx 16.64$ ($1 + e^{-z}$ rounds to 1, so
$\sigma(z) = 1$ and $1 - \sigma(z) = 0$, whose log is $-\infty$), never exceeds $23 \log 2 \approx
15.94$ below it, and is infinite for $t = 1$ once $z < -\log(\text{largest float32}) \approx -88.72$
($e^{-z}$ overflows); the logit form $\operatorname{softplus}(z) - tz = \max(z, 0) - tz + \log(1 +
e^{-\lvert z \rvert})$ stays within $10^{-6} \max(1, L)$ of the exact loss $L$ for every $\lvert z
\rvert \le 100$. In float64 the threshold is $53 \log 2 \approx 36.74$."""

import mpmath as mp
import numpy as np
import sympy as sp
from checks import close, quote, states

mp.mp.dps = 50
f32 = np.float32


def sigmoid(z):
    """σ(z) = 1/(1 + e^{−z}), in the precision of z, as written in textbooks."""
    return 1 / (1 + np.exp(-z))


def bce_from_probability(z, t):
    """−log σ(z) for t = 1, −log(1 − σ(z)) for t = 0: the loss computed from the probability."""
    q = sigmoid(z)
    return -np.log(q) if t == 1 else -np.log(1 - q)


def first_infinite(dtype, int_type, low, high, t):
    """The float in (low, high] where bce_from_probability turns infinite, by bisection.

    Floats of one sign are ordered like their bit patterns read as integers (reversed for
    negative floats), so bisecting the integers visits every float in between.
    """
    finite, infinite = int(dtype(low).view(int_type)), int(dtype(high).view(int_type))
    # exp overflowing and log(0) = −inf are exactly what the search looks for.
    with np.errstate(over="ignore", divide="ignore"):
        while abs(infinite - finite) > 1:
            middle = (finite + infinite) // 2
            if np.isfinite(bce_from_probability(int_type(middle).view(dtype), t)):
                finite = middle
            else:
                infinite = middle
    return int_type(finite).view(dtype), int_type(infinite).view(dtype)


def distances(floats, exact):
    """How far each float is from a 50-digit value, computed in 50 digits."""
    return [float(mp.mpf(float(x)) - exact) for x in floats]


# t = 0: the search finds the adjacent floats where the loss turns infinite; they are both
# within one spacing of the threshold exactly when it lies between them.
last_finite, first_infinite_t0, thresholds = {}, {}, {}
for dtype, int_type, digits in [(np.float32, np.int32, 24), (np.float64, np.int64, 53)]:
    name = np.dtype(dtype).name
    last, first = first_infinite(dtype, int_type, 1.0, 60.0, t=0)
    last_finite[name], first_infinite_t0[name] = last, first
    threshold = thresholds[name] = digits * mp.log(2)
    close(
        distances([last, first], threshold),
        [0.0, 0.0],
        atol=abs(float(np.spacing(last))),
        what=f"{name}, t = 0: where −log(1 − σ(z)) turns inf against {digits} log 2",
    )

# Below the threshold, 1 + e^{−z} ≥ 1 + 2^{−23}, so 1 − σ(z) ≥ 2^{−23} and the loss is at most
# 23 log 2: its largest value on 20,000 float32 logits from 0 to the last one with a finite
# loss. float32's log at 16 is exact to a spacing of 2e-6: the tolerance is 1e-5.
logits = np.linspace(0, last_finite["float32"], 20_000, dtype=f32)
close(
    bce_from_probability(logits, t=0).max(),
    float(23 * mp.log(2)),
    atol=1e-5,
    what="float32, t = 0: largest finite −log(1 − σ(z)) against 23 log 2",
)

# t = 1: σ(z) = 1/(1 + inf) = 0 once exp(−z) overflows, at −log(largest float32).
last, first = first_infinite(np.float32, np.int32, -1.0, -100.0, t=1)
threshold = thresholds["t = 1"] = -mp.log(mp.mpf(float(np.finfo(f32).max)))
close(
    distances([last, first], threshold),
    [0.0, 0.0],
    atol=abs(float(np.spacing(last))),
    what="float32, t = 1: where −log σ(z) turns inf against −log(largest float32)",
)

# The logit form in float32 at 1,001 logits in [−100, 100], both targets, against the exact
# loss log(1 + e^z) − tz in 50 digits. Each of its five float32 operations rounds by at most
# ε/2 = 6e-8 relative, and log1p of a value below 1 adds no cancellation: 1e-6 is ample. The
# error is measured against max(1, L): a loss below 1e-38 (z < −87 for t = 0) is a float32
# subnormal, with fewer significant bits, but an absolute error below 1e-44 matters to no one.
logits = np.linspace(-100, 100, 1001, dtype=f32)
for t in (0, 1):
    stable = np.maximum(logits, f32(0)) - f32(t) * logits + np.log1p(np.exp(-np.abs(logits)))
    exact = [float(mp.log1p(mp.exp(mp.mpf(float(z)))) - t * mp.mpf(float(z))) for z in logits]
    scale = np.maximum(1.0, exact)
    close(
        stable / scale,
        exact / scale,
        atol=1e-6,
        what=f"float32 softplus(z) − tz against 50-digit loss, over max(1, L), t = {t}",
    )

# The statement's formulas, read as the expressions checked above.
z, t_symbol, L = sp.Symbol("z", real=True), sp.Symbol("t", real=True), sp.Symbol("L", positive=True)
states(r"\sigma(z) = 1/(1 + e^{-z})", None, 1 / (1 + sp.exp(-z)), names={"z": z})
states(r"1 + e^{-z}", 1 + sp.exp(-z), names={"z": z})
states(r"e^{-z}", sp.exp(-z), names={"z": z})
for t in (0, 1):
    states(rf"t = {t}", None, t, names={"t": t})  # both targets are checked
threshold_t0 = sp.Float(thresholds["float32"], 30)
states(
    r"z \ge -\log 2^{-24} = 24 \log 2 \approx 16.64",
    None,
    threshold_t0,
    threshold_t0,
    None,
    names={},
    relations=(r"\ge", "=", r"\approx"),
)
states(
    r"23 \log 2 \approx 15.94",
    sp.Float(23 * mp.log(2), 30),
    None,
    names={},
    relations=(r"\approx",),
)
states(
    r"53 \log 2 \approx 36.74",
    sp.Float(thresholds["float64"], 30),
    None,
    names={},
    relations=(r"\approx",),
)
states(
    r"z < -\log(\text{largest float32}) \approx -88.72",
    None,
    sp.Float(thresholds["t = 1"], 30),
    None,
    names={r"\text{largest float32}": sp.Float(float(np.finfo(f32).max), 30)},
    relations=("<", r"\approx"),
)
# At the first logit where the loss is infinite (t = 0): float32's σ(z), 1 − σ(z) and its log.
at_threshold = first_infinite_t0["float32"]
with np.errstate(divide="ignore"):  # log 0 is what is shown
    probability = sigmoid(at_threshold)
    log_complement = np.log(f32(1) - probability)
sigma_there = {r"\sigma(z)": sp.Float(float(probability))}
states(r"\sigma(z) = 1", None, sp.Float(float(probability)), names=sigma_there)
states(r"1 - \sigma(z) = 0", sp.Float(float(f32(1) - probability)), 0, names=sigma_there)
states(r"-\infty", sp.sympify(float(log_complement)), names={})
# The logit form, for either sign of z (w > 0), and its tolerance and range.
w = sp.Symbol("w", positive=True)
for signed in (w, -w):
    states(
        r"\operatorname{softplus}(z) - tz = \max(z, 0) - tz + \log(1 + e^{-\lvert z \rvert})",
        sp.log(1 + sp.exp(signed)) - t_symbol * signed,
        sp.Max(signed, 0) - t_symbol * signed + sp.log(1 + sp.exp(-sp.Abs(signed))),
        names={"z": signed, "t": t_symbol},
    )
states(r"10^{-6} \max(1, L)", sp.Float(1e-6) * sp.Max(1, L), names={"L": L})
states(
    r"\lvert z \rvert \le 100",
    None,
    sp.Float(float(np.abs(logits).max())),
    names={},
    relations=(r"\le",),
)
quote("largest_finite_loss", 23 * mp.log(2))  # for the page
# Where 1 + e^{-z} rounds to 1 and the probability form becomes infinite (take-aways, FAQ).
quote("infinite_from", 24 * mp.log(2))
# The exact loss log(1 + e^z) at the last float32 logit with a finite computed loss (50 digits).
quote("exact_loss_below_threshold", mp.log1p(mp.exp(mp.mpf(float(last_finite["float32"])))))
