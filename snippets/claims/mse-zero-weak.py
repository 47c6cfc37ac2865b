r"""The loss $\sin^2(x - y) + \sin^2(\pi(x - y))$ is nearly zero far from its zero at $x = y$:
at $x - y = 355$ it equals $\sin^2(355 - 113\pi) \approx 9.1 \times 10^{-10}$, and at
$x - y = 113\pi$ it equals $\sin^2(\pi(113\pi - 355)) \approx 9.0 \times 10^{-9}$, because
$|355/113 - \pi| < 3 \times 10^{-7}$."""

import re

import mpmath
import sympy as sp
from checks import close, quote, states, symbolic


def sin_loss_precise(d):
    """sin²(d) + sin²(πd) in mpmath at 40 significant digits, d = x − y."""
    with mpmath.workdps(40):
        return mpmath.sin(d) ** 2 + mpmath.sin(mpmath.pi * d) ** 2


# Symbolic: at an integer m, sin²(πm) = 0 and sin(m) = ±sin(m − kπ) for every integer k, so the
# loss at m is sin²(m − kπ): small whenever m is close to a multiple of π.
m, k = sp.symbols("m k", integer=True)
symbolic(
    sp.sin(m) ** 2 + sp.sin(sp.pi * m) ** 2,
    sp.expand_trig(sp.sin(m - k * sp.pi)) ** 2,
    what="sympy: at integers m, sin²(m) + sin²(πm) = sin²(m − kπ) for every integer k",
)

# Numeric: the two values the statement quotes, read from it, against the loss at 40 digits
# (at exactly 355 and exactly 113π). Each is quoted to two significant digits, so it may differ
# from the loss by half a unit in its second digit: relative 0.05/9.0 ≈ 0.0056.
with mpmath.workdps(40):
    losses_at = [float(sin_loss_precise(355)), float(sin_loss_precise(113 * mpmath.pi))]
quoted = [
    float(mantissa) * 10 ** int(exponent)
    for mantissa, exponent in re.findall(r"(\d\.\d) \\times 10\^\{(-\d+)\}", __doc__)
]
close(
    quoted,
    losses_at,
    rtol=0.05 / 9.0,
    what="the losses quoted at 355 and 113π against 40-digit values",
)

# Why so small: 355/113 is within 3e-7 of π (a convergent of its continued fraction), the bound
# the statement quotes: |355/113 − π| = 2.7e-7, so it must lie within 3e-7.
bound = 3e-7
close(355 / 113, float(mpmath.pi), atol=bound, what="|355/113 − π| < 3e-7")
quote("bound", bound)  # for the page
# ... so u = 355 − 113π ≈ 3.0e-5, sin²(u) ≈ u² and, at 113π, sin²(π · 113π) = sin²(πu) ≈ (πu)²,
# with relative errors u²/3 ≈ 3e-10 and (πu)²/3 ≈ 3e-9 (sin² t = t²(1 − t²/3 + …)): rtol 1e-8.
with mpmath.workdps(40):
    u = 355 - 113 * mpmath.pi
    close(losses_at[0], float(u**2), rtol=1e-8, what="loss at 355 ≈ u²")
    close(losses_at[1], float((mpmath.pi * u) ** 2), rtol=1e-8, what="loss at 113π ≈ (πu)²")
    quote("angle-355", u)  # the angle 355 − 113π, which the page's prose quotes

# The statement's formulas, read as the expressions checked above: the loss at x = y + gap.
x, y = sp.symbols("x y", real=True)
sine_loss = sp.sin(x - y) ** 2 + sp.sin(sp.pi * (x - y)) ** 2
symbolic(sine_loss.subs(x, y), 0, what="sympy: the loss is 0 at x = y")
states(r"\sin^2(x - y) + \sin^2(\pi(x - y))", sine_loss, names={"x": x, "y": y})
states(r"x = y", None, y, names={"y": y})
for gap, gap_tex, loss_tex, loss_value in [
    (sp.Integer(355), "355", r"\sin^2(355 - 113\pi) \approx 9.1 \times 10^{-10}", losses_at[0]),
    (113 * sp.pi, r"113\pi", r"\sin^2(\pi(113\pi - 355)) \approx 9.0 \times 10^{-9}", losses_at[1]),
]:
    names = {"x": y + gap, "y": y}
    states(f"x - y = {gap_tex}", gap, gap, names=names)
    # The sine at 40 digits, as the checks above computed it.
    states(loss_tex, sine_loss.subs(x, y + gap), None, names=names, relations=(r"\approx",))
    close(
        float(sp.N(sine_loss.subs(x, y + gap), 40)),
        loss_value,
        rtol=1e-12,
        what=f"sympy's loss at $x - y = {gap_tex}$ against mpmath's",
    )
states(
    r"|355/113 - \pi| < 3 \times 10^{-7}",
    sp.Abs(sp.Rational(355, 113) - sp.pi),
    sp.nsimplify(bound),
    names={},
    relations=("<",),
)
