r"""The loss $\sin^2(x - y) + \sin^2(\pi(x - y))$ is nearly zero far from $x = y$: at
$x - y = 355$ it equals $\sin^2(355 - 113\pi) \approx 9.1 \times 10^{-10}$, and at
$x - y = 113\pi$ it is about $9.0 \times 10^{-9}$, because $355/113$ is within
$3 \times 10^{-7}$ of $\pi$."""

import mpmath
import numpy as np
import sympy as sp
from checks import close, symbolic


def sin_loss(d):
    """sin²(d) + sin²(πd) in float64, d = x − y."""
    return np.sin(d) ** 2 + np.sin(np.pi * d) ** 2


def sin_loss_precise(d):
    """The same loss in mpmath at 40 significant digits, at exactly the float64 value d."""
    with mpmath.workdps(40):
        d = mpmath.mpf(float(d))
        return mpmath.sin(d) ** 2 + mpmath.sin(mpmath.pi * d) ** 2


# Symbolic: at an integer m, sin²(πm) = 0 and sin(m) = ±sin(m − kπ) for every integer k, so the
# loss at m is sin²(m − kπ): small whenever m is close to a multiple of π.
m, k = sp.symbols("m k", integer=True)
symbolic(
    sp.sin(m) ** 2 + sp.sin(sp.pi * m) ** 2,
    sp.expand_trig(sp.sin(m - k * sp.pi)) ** 2,
    what="sympy: at integers m, sin²(m) + sin²(πm) = sin²(m − kπ) for every integer k",
)

# Numeric: float64 against mpmath at the same points. At 355 the float64 result is good to a
# few units in the last place (sin is accurate to < 1 ulp, 355 is exact), so rtol 1e-12.
close(
    sin_loss(355.0), float(sin_loss_precise(355.0)), rtol=1e-12, what="float64 vs mpmath, d = 355"
)
# At d = fl(113π), np.pi·d carries a rounding error of about 1.5e-13 on an angle whose sine is
# 9.5e-5: a relative error of about 2e-9 in that sine, twice that in its square, so rtol 1e-8.
d_113_pi = 113 * np.pi
close(
    sin_loss(d_113_pi),
    float(sin_loss_precise(d_113_pi)),
    rtol=1e-8,
    what="float64 vs mpmath, d = 113π",
)

# Why so small: 355/113 is within 3e-7 of π (a convergent of its continued fraction) ...
close(355 / 113, float(mpmath.pi), atol=3e-7, what="|355/113 − π| < 3e-7")
# ... so u = 355 − 113π ≈ 3.0e-5, sin²(u) ≈ u² and, at 113π, sin²(π · 113π) = sin²(πu) ≈ (πu)².
# Relative errors: u²/3 ≈ 3e-10 and (πu)²/3 ≈ 3e-9, plus up to 2e-9 at 113π because the
# loss is evaluated at fl(113π), 3e-14 away from 113π (relative change 2·3e-14/|u|): rtol 1e-8.
with mpmath.workdps(40):
    u = 355 - 113 * mpmath.pi
    close(float(sin_loss_precise(355.0)), float(u**2), rtol=1e-8, what="loss at 355 ≈ u²")
    close(
        float(sin_loss_precise(d_113_pi)),
        float((mpmath.pi * u) ** 2),
        rtol=1e-8,
        what="loss at 113π ≈ (πu)²",
    )
