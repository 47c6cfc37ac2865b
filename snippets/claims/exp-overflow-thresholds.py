r"""The largest finite float is $2^{128}(1 - 2^{-24})$ in float32 and $2^{1024}(1 - 2^{-53})$ in
float64, so $e^x$ overflows to $\infty$ once $x$ passes its logarithm,
$128 \log 2 + \log(1 - 2^{-24}) \approx 88.72$ in float32 and
$1024 \log 2 + \log(1 - 2^{-53}) \approx 709.78$ in float64: NumPy's exp is finite at the last
float below that threshold and infinite at the next one."""

import mpmath as mp
import numpy as np
import sympy as sp
from checks import close, quote, states, symbolic

# (dtype, the integer type of the same width, bits of the significand, largest exponent)
FORMATS = [(np.float32, np.int32, 24, 127), (np.float64, np.int64, 53, 1023)]
mp.mp.dps = 50

for dtype, int_type, digits, max_exponent in FORMATS:
    name = np.dtype(dtype).name
    largest = np.finfo(dtype).max
    # Symbolic: NumPy's largest float, converted exactly to a fraction, is the all-ones
    # significand (1 − 2^{−digits}) times 2^{max_exponent + 1}.
    symbolic(
        sp.Rational(float(largest)),
        sp.Integer(2) ** (max_exponent + 1) * (1 - sp.Rational(1, 2**digits)),
        what=f"{name}: np.finfo max = 2^{max_exponent + 1}(1 − 2^−{digits}), exactly",
    )
    threshold = (max_exponent + 1) * mp.log(2) + mp.log(1 - mp.mpf(2) ** -digits)

    # Bisection over the floats themselves: positive floats are ordered like their bit
    # patterns read as integers, so bisecting the integers finds two adjacent floats,
    # the last with finite exp and the first with exp = inf.
    finite, infinite = int(dtype(1).view(int_type)), int(dtype(1000).view(int_type))
    with np.errstate(over="ignore"):  # exp overflowing is what the search looks for
        while infinite - finite > 1:
            middle = (finite + infinite) // 2
            if np.isfinite(np.exp(int_type(middle).view(dtype))):
                finite = middle
            else:
                infinite = middle
    last_finite, first_infinite = (int_type(bits).view(dtype) for bits in (finite, infinite))
    # Their distances to the threshold, taken in 50 digits (in float64 the threshold itself
    # would round onto one of them). Two adjacent floats are both within one spacing of the
    # threshold exactly when it lies between them (or on one): that is the tolerance.
    spacing = float(np.spacing(last_finite))
    close(
        [float(mp.mpf(float(x)) - threshold) for x in (last_finite, first_infinite)],
        [0.0, 0.0],
        atol=spacing,
        what=f"{name}: distance from the floats where np.exp turns inf to the 50-digit threshold",
    )
    # The digits the page states, to the two decimals it gives.
    stated = {np.float32: 88.72, np.float64: 709.78}[dtype]
    close(
        float(threshold),
        stated,
        atol=0.005,
        what=f"{name}: the threshold rounds to {stated}",
    )

# The statement's formulas, read as the expressions checked above.
for (dtype, _, digits, max_exponent), float_tex, threshold_tex in zip(
    FORMATS,
    [r"2^{128}(1 - 2^{-24})", r"2^{1024}(1 - 2^{-53})"],
    [
        r"128 \log 2 + \log(1 - 2^{-24}) \approx 88.72",
        r"1024 \log 2 + \log(1 - 2^{-53}) \approx 709.78",
    ],
    strict=True,
):
    largest_float = sp.Integer(2) ** (max_exponent + 1) * (1 - sp.Rational(1, 2**digits))
    states(float_tex, sp.Rational(float(np.finfo(dtype).max)), names={})
    states(threshold_tex, sp.log(largest_float), None, names={}, relations=(r"\approx",))
x = sp.Symbol("x", real=True)
states(r"e^x", sp.exp(x), names={"x": x})  # what np.exp computes in the search above
# For the pages: the thresholds as computed in 50 digits.
for dtype, _, digits, max_exponent in FORMATS:
    quote(
        np.dtype(dtype).name,
        (max_exponent + 1) * mp.log(2) + mp.log(1 - mp.mpf(2) ** -digits),
    )
