r"""With label $y \in \{-1, +1\}$, score $f$ and $\eta$ the probability that $y = +1$ given the
input, the conditional risk
$\eta\,\phi(f) + (1 - \eta)\,\phi(-f)$ of a margin loss $\phi(v)$ is minimised at
$f^* = 2\eta - 1$ for the square loss $(1 - v)^2$, at $f^* = \ln\frac{\eta}{1 - \eta}$ for the
logistic loss $\ln(1 + e^{-v})/\ln 2$ and the Savage loss $4/(1 + e^{v})^2$, at
$f^* = \tfrac12 \ln\frac{\eta}{1 - \eta}$ for the exponential loss $e^{-v}$, at
$f^* = \tan(\eta - \tfrac12)$ for the tangent loss $(2\arctan v - 1)^2$, and at
$f^* = \operatorname{sign}(2\eta - 1)$ for the hinge loss $\max(0, 1 - v)$, whose minimiser at
$\eta = \tfrac12$ is not unique: every $f \in [-1, 1]$ is one."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic

# The five smooth losses, and for each the inverse of its minimiser: the probability
# η = ψ⁻¹(f) for which f is the best score.
v, f, eta = sp.symbols("v f eta", real=True)
sigmoid = 1 / (1 + sp.exp(-f))
smooth = {
    # name: (φ(v), minimiser ψ(η), inverse ψ⁻¹(f))
    "square": ((1 - v) ** 2, 2 * eta - 1, (1 + f) / 2),
    "logistic": (sp.log(1 + sp.exp(-v)) / sp.log(2), sp.log(eta / (1 - eta)), sigmoid),
    "exponential": (sp.exp(-v), sp.log(eta / (1 - eta)) / 2, sigmoid.subs(f, 2 * f)),
    "Savage": (4 / (1 + sp.exp(v)) ** 2, sp.log(eta / (1 - eta)), sigmoid),
    "tangent": (
        (2 * sp.atan(v) - 1) ** 2,
        sp.tan(eta - sp.Rational(1, 2)),
        sp.atan(f) + sp.Rational(1, 2),
    ),
}

# Symbolic, in two steps for each loss. (1) The stated minimiser inverts ψ⁻¹: ψ(ψ⁻¹(f)) = f, so
# every η in (0, 1) is ψ⁻¹(f) for the score f = ψ(η). (2) At η = ψ⁻¹(f) the derivative of the
# conditional risk in f vanishes, for every f: the stated f* is a stationary point.
for name, (phi, minimiser, inverse) in smooth.items():
    symbolic(
        minimiser.subs(eta, inverse),
        f,
        what=f"sympy, {name}: the minimiser formula inverts η = ψ⁻¹(f)",
    )
    risk = eta * phi.subs(v, f) + (1 - eta) * phi.subs(v, -f)
    symbolic(
        sp.diff(risk, f).subs(eta, inverse),
        0,
        what=f"sympy, {name}: d/df of the conditional risk is 0 at η = ψ⁻¹(f)",
    )

# Optimisation: stationary is not minimal (the Savage and tangent losses are not convex), so
# search a dense grid of scores on [−6, 6] with step 1e-4 for 18 values of η in [0.05, 0.95]
# (η = ½ is left out: the hinge handles it below). Every minimiser lies inside the grid
# (the largest is |ln 19| ≈ 2.94), and the risk rises by far more than rounding within one
# step of it, so the grid's argmin is within half a step of f*: tolerance one step.
step = 1e-4
scores = np.linspace(-6.0, 6.0, 120_001)
etas = np.concatenate([np.linspace(0.05, 0.45, 9), np.linspace(0.55, 0.95, 9)])[:, None]
margin_losses = {
    "square": lambda v: (1 - v) ** 2,
    "logistic": lambda v: np.logaddexp(0.0, -v) / np.log(2),
    "exponential": lambda v: np.exp(-v),
    "Savage": lambda v: 4 / (1 + np.exp(v)) ** 2,
    "tangent": lambda v: (2 * np.arctan(v) - 1) ** 2,
    "hinge": lambda v: np.maximum(0.0, 1 - v),
}
log_odds = np.log(etas / (1 - etas))
stated_minimisers = {
    "square": 2 * etas - 1,
    "logistic": log_odds,
    "exponential": log_odds / 2,
    "Savage": log_odds,
    "tangent": np.tan(etas - 0.5),
    "hinge": np.sign(2 * etas - 1),
}
for name, phi in margin_losses.items():
    risk = etas * phi(scores) + (1 - etas) * phi(-scores)
    close(
        scores[np.argmin(risk, axis=1)][:, None],
        stated_minimisers[name],
        atol=step,
        kind="optimisation",
        what=f"{name}: grid minimiser of the conditional risk against f*(η), 18 values of η",
    )

# Numeric: at η = ½ the hinge risk is ½ max(0, 1 − f) + ½ max(0, 1 + f) = max(1, (1 + |f|)/2),
# flat at its minimum 1 on all of [−1, 1] and larger outside. Both sides are sums of two
# numbers ≤ 4 rounded once or twice: atol 1e-15.
hinge = margin_losses["hinge"]
hinge_risk_at_half = 0.5 * hinge(scores) + 0.5 * hinge(-scores)
close(
    hinge_risk_at_half,
    np.maximum(1.0, (1 + np.abs(scores)) / 2),
    atol=1e-15,
    what="hinge at η = ½: the risk against max(1, (1 + |f|)/2), flat on [−1, 1]",
)
# Where it takes its minimum 1: exactly on [−1, 1] (booleans: a disagreement is an error of 1).
close(
    hinge_risk_at_half <= 1.0,
    np.abs(scores) <= 1.0,
    atol=0.5,
    what="hinge at η = ½: the scores with risk 1 against −1 ≤ f ≤ 1",
)
minimum_set = scores[hinge_risk_at_half <= 1.0]

# The statement's formulas, read as the expressions checked above.
for label in (-1, 1):  # the labels of the risk: η weighs φ(f), for y = +1, and 1 − η φ(−f)
    states(r"y \in \{-1, +1\}", label, None, names={"y": label}, relations=(r"\in",))
states(r"y = +1", None, 1, names={})  # the label whose loss is φ(f), weighted by η
statement_tex = {
    # name: (φ(v), f*)
    "square": (r"(1 - v)^2", r"f^* = 2\eta - 1"),
    "logistic": (r"\ln(1 + e^{-v})/\ln 2", r"f^* = \ln\frac{\eta}{1 - \eta}"),
    "exponential": (r"e^{-v}", r"f^* = \tfrac12 \ln\frac{\eta}{1 - \eta}"),
    "Savage": (r"4/(1 + e^{v})^2", r"f^* = \ln\frac{\eta}{1 - \eta}"),
    "tangent": (r"(2\arctan v - 1)^2", r"f^* = \tan(\eta - \tfrac12)"),
}
for name, (phi_tex, minimiser_tex) in statement_tex.items():
    phi, minimiser, _ = smooth[name]
    names = {"v": v, "f": f, "eta": eta, "phi": sp.Lambda(v, phi)}
    states(phi_tex, phi, names=names)
    states(minimiser_tex, None, minimiser, names=names)
    states(
        r"\eta\,\phi(f) + (1 - \eta)\,\phi(-f)",
        eta * phi.subs(v, f) + (1 - eta) * phi.subs(v, -f),
        names=names,
    )
hinge_names = {"v": v, "eta": eta, "sign": sp.sign}
states(r"\max(0, 1 - v)", sp.Max(0, 1 - v), names=hinge_names)
states(r"f^* = \operatorname{sign}(2\eta - 1)", None, sp.sign(2 * eta - 1), names=hinge_names)
states(r"\eta = \tfrac12", None, sp.Rational(1, 2), names={})  # the η of the checks above
states(
    r"f \in [-1, 1]",
    None,
    sp.Matrix([sp.Float(minimum_set.min()), sp.Float(minimum_set.max())]),
    names={},
    relations=(r"\in",),
)
