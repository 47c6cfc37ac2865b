r"""With $d = x - y$, the rival losses $d^4$, $\sin^2 d + \sin^2(\pi d)$ and $|d|$ have
derivatives $4d^3$, $\sin 2d + \pi \sin 2\pi d$ and $\operatorname{sgn}(d)$ (for $d \ne 0$)
with respect to $x$, and only $\tfrac12 d^2$, with derivative $d$, has the same non-zero second
derivative everywhere, 1: the others' are $12 d^2$, $2 \cos 2d + 2\pi^2 \cos 2\pi d$, and for
$|d|$ 0 away from $d = 0$, where its slope jumps from $-1$ to $1$."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, quote, states, symbolic

x, y, d = sp.symbols("x y d", real=True)
error = x - y
losses = {
    "quartic": error**4,
    "sine": sp.sin(error) ** 2 + sp.sin(sp.pi * error) ** 2,
    "absolute": sp.Abs(error),
    "squared": error**2 / 2,
}
# The claimed derivatives as functions of d. The sine one is written with sin 2a = 2 sin a cos a
# (expand): sympy's simplify would take over a second to find that identity by itself.
derivatives = {
    "quartic": 4 * d**3,
    "sine": (sp.sin(2 * d) + sp.pi * sp.sin(2 * sp.pi * d)).expand(trig=True),
    "absolute": sp.sign(d),  # for real d ≠ 0; |d| has no derivative at 0
    "squared": d,
}


def in_terms_of_d(expression):
    """Substitute x = y + d, so that x − y becomes d."""
    return sp.expand(expression.subs(x, y + d))


# Symbolic: sympy differentiates each loss with respect to the prediction x.
for name, loss in losses.items():
    symbolic(
        in_terms_of_d(sp.diff(loss, x)), derivatives[name], what=f"sympy: d/dx of the {name} loss"
    )
# Second derivatives: 1 for the squared error at every d; each rival's varies with d, or, for
# |d|, is 0 except at the kink.
symbolic(sp.diff(losses["squared"], x, 2), 1, what="sympy: d²/dx² ½(x − y)² = 1")
second_derivatives = {
    "quartic": 12 * d**2,
    "sine": (2 * sp.cos(2 * d) + 2 * sp.pi**2 * sp.cos(2 * sp.pi * d)).expand(trig=True),
}
symbolic(
    in_terms_of_d(sp.diff(losses["quartic"], x, 2)),
    second_derivatives["quartic"],
    what="sympy: d²/dx² (x − y)⁴ = 12(x − y)²",
)
symbolic(
    in_terms_of_d(sp.diff(losses["sine"], x, 2)),
    second_derivatives["sine"],
    what="sympy: d²/dx² of the sine loss = 2 cos 2d + 2π² cos 2πd",
)
# sympy's second derivative of |x − y| is 2δ(x − y): 0 for d ≠ 0, all of it at the kink.
symbolic(
    in_terms_of_d(sp.diff(losses["absolute"], x, 2)),
    2 * sp.DiracDelta(d),
    what="sympy: d²/dx² |x − y| = 2δ(x − y), zero away from the kink",
)
kink = sp.Integer(0)
slopes_at_kink = [
    sp.limit(derivatives["absolute"], d, kink, "-"),
    sp.limit(derivatives["absolute"], d, kink, "+"),
]
symbolic(
    slopes_at_kink,
    [-1, 1],
    what="sympy: the slope of |d| jumps from −1 to 1 at d = 0",
)
# The sine loss can push the wrong way: at d = 3/4 its derivative is sin(3/2) − π < 0,
# so a gradient step increases d.
symbolic(
    derivatives["sine"].subs(d, sp.Rational(3, 4)),
    sp.sin(sp.Rational(3, 2)) - sp.pi,
    what="sympy: sine loss derivative at d = 3/4 is sin(3/2) − π",
)

# Numeric: central differences of the losses written in numpy against the derivatives written
# in numpy, at 1000 points d in [-2, 2] (|d| > 1e-3, away from the kink of |d|). Losses are
# ≤ 16 there: rounding error ε·16/h ≈ 4e-9; truncation h²·max|f‴|/6 ≤ 1e-12 · 8π³/6 ≈ 4e-11.
rng = np.random.default_rng(0)
d_values = rng.uniform(-2.0, 2.0, size=1000)
d_values = d_values[np.abs(d_values) > 1e-3]
numpy_losses_and_derivatives = {
    "quartic": (lambda d: d**4, lambda d: 4 * d**3),
    "sine": (
        lambda d: np.sin(d) ** 2 + np.sin(np.pi * d) ** 2,
        lambda d: np.sin(2 * d) + np.pi * np.sin(2 * np.pi * d),
    ),
    "absolute": (np.abs, np.sign),
    "squared": (lambda d: d**2 / 2, lambda d: d),
}
for name, (loss, derivative) in numpy_losses_and_derivatives.items():
    close(
        numerical_gradient(lambda d, loss=loss: loss(d[..., 0]), d_values[:, None])[:, 0],
        derivative(d_values),
        atol=1e-8,
        what=f"finite differences of the {name} loss against its derivative, 1000 points",
    )

# Quoted by the page's prose: the sine loss's derivative at d = 3/4, which points the wrong way.
quote("sine-slope-three-quarters", derivatives["sine"].subs(d, sp.Rational(3, 4)))
# Quoted by the page's prose: the quartic's signal 4d³ for a small and a large miss, and how
# many times smaller than the miss the small one is.
small_miss, large_miss = sp.Rational(1, 10), sp.Integer(10)
quote("quartic-signal-small-miss", derivatives["quartic"].subs(d, small_miss))
quote("quartic-signal-large-miss", derivatives["quartic"].subs(d, large_miss))
quote("quartic-shrink-factor", small_miss / derivatives["quartic"].subs(d, small_miss))

# The statement's formulas, read as the expressions checked above.
names = {"d": d, "x": x, "y": y, "sgn": sp.sign}
states(r"d = x - y", None, error, names=names)
for loss, derivative, loss_tex, derivative_tex in [
    ("quartic", "quartic", r"d^4", r"4d^3"),
    ("sine", "sine", r"\sin^2 d + \sin^2(\pi d)", r"\sin 2d + \pi \sin 2\pi d"),
    ("absolute", "absolute", r"|d|", r"\operatorname{sgn}(d)"),
]:
    states(loss_tex, in_terms_of_d(losses[loss]), names=names)
    states(derivative_tex, derivatives[derivative], names=names)
states(r"\tfrac12 d^2", in_terms_of_d(losses["squared"]), names=names)
states(r"d \ne 0", d, 0, names=names, relations=(r"\ne",))
states(r"12 d^2", second_derivatives["quartic"], names=names)
states(r"2 \cos 2d + 2\pi^2 \cos 2\pi d", second_derivatives["sine"], names=names)
states(r"d = 0", None, kink, names=names)
states(r"-1", slopes_at_kink[0], names=names)
