r"""With the target $t = (1 + y)/2$ and $q = \psi^{-1}(f)$ with $\psi$ the loss's minimiser, the
margin loss $\ell = t\,\phi(f) + (1 - t)\,\phi(-f)$ has derivative $\frac{\partial \ell}{\partial f}
= w(f)\,(q - t)$, a weight times prediction minus target, with $w(f) = -\phi'(f) - \phi'(-f)$: $w =
4$ (square, $q = (1 + f)/2$), $w = 1/\ln 2$ (logistic, $q = \sigma(f)$), $w = 2\cosh f$
(exponential, $q = \sigma(2f)$), $w = 8\sigma(f)(1 - \sigma(f))$ (Savage, $q = \sigma(f)$), $w =
8/(1 + f^2)$ (tangent, $q = \tfrac12 + \arctan f$): only the square and logistic weights are
constant. The hinge loss, whose minimiser has no inverse, has derivative $-y\,[yf < 1]$, the same
for every wrong enough score. Without its factor $1/\ln 2$ the logistic loss has derivative
$\frac{d}{df} \ln(1 + e^{-yf}) = \frac{e^{f}}{1 + e^{f}} - t = \sigma(f) - t$ for $y = 2t - 1$."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic

v, f = sp.symbols("v f", real=True)
sigmoid = 1 / (1 + sp.exp(-f))
smooth = {
    # name: (φ(v), q = ψ⁻¹(f), weight w(f))
    "square": ((1 - v) ** 2, (1 + f) / 2, sp.Integer(4)),
    "logistic": (sp.log(1 + sp.exp(-v)) / sp.log(2), sigmoid, 1 / sp.log(2)),
    # 2 cosh f, written as e^f + e^{−f}: simplify does not rewrite cosh into exponentials.
    "exponential": (sp.exp(-v), sigmoid.subs(f, 2 * f), sp.exp(f) + sp.exp(-f)),
    "Savage": (4 / (1 + sp.exp(v)) ** 2, sigmoid, 8 * sigmoid * (1 - sigmoid)),
    "tangent": ((2 * sp.atan(v) - 1) ** 2, sp.Rational(1, 2) + sp.atan(f), 8 / (1 + f**2)),
}

# Symbolic: for each loss and each target t ∈ {0, 1}, sympy differentiates
# ℓ = tφ(f) + (1 − t)φ(−f) and compares with w(f)(q − t).
for name, (phi, q, weight) in smooth.items():
    for t in (0, 1):
        loss = t * phi.subs(v, f) + (1 - t) * phi.subs(v, -f)
        symbolic(
            sp.diff(loss, f),
            weight * (q - t),
            what=f"sympy, {name}, t = {t}: dℓ/df = w(f)(q − t)",
        )

# Symbolic: the weight is −φ'(f) − φ'(−f), the slope of the derivative in t.
for name, (phi, _, weight) in smooth.items():
    phi_prime = sp.diff(phi, v)
    symbolic(
        -phi_prime.subs(v, f) - phi_prime.subs(v, -f),
        weight,
        what=f"sympy, {name}: w(f) = −φ'(f) − φ'(−f)",
    )
# Symbolic: the logistic loss in nats, ln(1 + e^{−yf}), for t = 0 and 1.
for t in (0, 1):
    symbolic(
        sp.diff(sp.log(1 + sp.exp(-(2 * t - 1) * f)), f),
        sigmoid - t,
        what=f"sympy, t = {t}: d/df ln(1 + e^(−yf)) = σ(f) − t",
    )

# Numeric: the same statement with numpy, by central differences at 1000 random scores in
# [−4, 4] with random targets. The largest loss is e⁴ ≈ 55 (exponential), so the quotient's
# rounding error is a few ε·55/h ≈ 1e-8 and the truncation error h²·e⁴/6 is negligible: atol 1e-7.
rng = np.random.default_rng(1)
scores = rng.uniform(-4, 4, size=1000)
targets = rng.integers(0, 2, size=1000).astype(float)
numpy_sigmoid = 1 / (1 + np.exp(-scores))
margin_losses = {
    # name: (φ(v), q, w) in numpy
    "square": (lambda v: (1 - v) ** 2, (1 + scores) / 2, 4.0),
    "logistic": (lambda v: np.logaddexp(0.0, -v) / np.log(2), numpy_sigmoid, 1 / np.log(2)),
    "exponential": (lambda v: np.exp(-v), 1 / (1 + np.exp(-2 * scores)), 2 * np.cosh(scores)),
    "Savage": (
        lambda v: 4 / (1 + np.exp(v)) ** 2,
        numpy_sigmoid,
        8 * numpy_sigmoid * (1 - numpy_sigmoid),
    ),
    "tangent": (
        lambda v: (2 * np.arctan(v) - 1) ** 2,
        0.5 + np.arctan(scores),
        8 / (1 + scores**2),
    ),
}
for name, (phi, q, weight) in margin_losses.items():

    def loss(f, phi=phi):
        return targets * phi(f[..., 0]) + (1 - targets) * phi(-f[..., 0])

    close(
        numerical_gradient(loss, scores[:, None])[:, 0],
        weight * (q - targets),
        atol=1e-7,
        what=f"{name}: finite differences of ℓ against w(f)(q − t), 1000 points",
    )

# Numeric: the hinge loss max(0, 1 − yf) is piecewise linear, so away from its kink at yf = 1
# the difference quotient is exactly its slope, −y below the kink and 0 above, up to rounding
# ε·|f|/h ≈ 1e-9: atol 1e-8. Scores within 1e-3 of the kink are left out.
labels = 2 * targets - 1
away_from_kink = np.abs(labels * scores - 1) > 1e-3


def hinge(f):
    return np.maximum(0.0, 1 - labels[away_from_kink] * f[..., 0])


close(
    numerical_gradient(hinge, scores[away_from_kink, None])[:, 0],
    -labels[away_from_kink] * (labels[away_from_kink] * scores[away_from_kink] < 1),
    atol=1e-8,
    what="hinge: finite differences against −y[yf < 1], away from the kink",
)

# The statement's formulas, read as the expressions checked above.
y = sp.Symbol("y", real=True)
states(r"t = (1 + y)/2", None, (1 + y) / 2, names={"y": y})
weights_tex = {
    "square": (r"w = 4", r"q = (1 + f)/2"),
    "logistic": (r"w = 1/\ln 2", None),
    "exponential": (r"w = 2\cosh f", r"q = \sigma(2f)"),
    "Savage": (r"w = 8\sigma(f)(1 - \sigma(f))", None),
    "tangent": (r"w = 8/(1 + f^2)", r"q = \tfrac12 + \arctan f"),
}
for name, (weight_tex, q_tex) in weights_tex.items():
    phi, q, weight = smooth[name]
    # The weight is the one the check above multiplies by: sympy reads it as the same number.
    states(
        weight_tex,
        None,
        sp.simplify(weight.rewrite(sp.exp)) if name == "exponential" else weight,
        names={"f": f},
    )
    if q_tex:
        states(q_tex, None, q, names={"f": f})
states(r"q = \sigma(f)", None, smooth["logistic"][1], names={"f": f})
# q = ψ⁻¹(f), with ψ⁻¹ found by sympy from each loss's minimiser ψ(η) (claim
# margin-loss-minimisers): the q above is that inverse.
eta = sp.Symbol("eta", positive=True)
minimisers = {
    "square": 2 * eta - 1,
    "logistic": sp.log(eta / (1 - eta)),
    "exponential": sp.log(eta / (1 - eta)) / 2,
    "Savage": sp.log(eta / (1 - eta)),
    "tangent": sp.tan(eta - sp.Rational(1, 2)),
}
t = sp.Symbol("t", real=True)
for name, minimiser in minimisers.items():
    phi, q, weight = smooth[name]
    (inverse,) = sp.solve(sp.Eq(minimiser, f), eta)
    names = {"f": f, "t": t, "q": q, r"\psi^{-1}": sp.Lambda(f, inverse)}
    names |= {"phi": sp.Lambda(v, phi), "w": sp.Lambda(f, weight)}
    loss = t * phi.subs(v, f) + (1 - t) * phi.subs(v, -f)
    names[r"\frac{\partial \ell}{\partial f}"] = sp.diff(loss, f)
    phi_prime = sp.diff(phi, v)
    names["phi'"] = sp.Lambda(v, phi_prime)
    states(r"q = \psi^{-1}(f)", None, q, names=names)
    states(r"\ell = t\,\phi(f) + (1 - t)\,\phi(-f)", None, loss, names=names)
    states(
        r"\frac{\partial \ell}{\partial f} = w(f)\,(q - t)",
        sp.diff(loss, f),
        weight * (q - t),
        names=names,
    )
    states(
        r"w(f) = -\phi'(f) - \phi'(-f)",
        None,
        -phi_prime.subs(v, f) - phi_prime.subs(v, -f),
        names=names,
    )
# The hinge's derivative, as the check above computes it: −y times the indicator of yf < 1.
for label in (-1, 1):
    indicator = sp.Piecewise((1, label * f < 1), (0, True))
    states(r"-y\,[yf < 1]", -label * indicator, names={"y": label, "f": f, "[yf < 1]": indicator})
for t in (0, 1):
    names = {"y": 2 * t - 1, "t": t, "f": f, "sigma": sp.Lambda(f, sigmoid)}
    loss_in_nats = sp.log(1 + sp.exp(-(2 * t - 1) * f))
    states(
        r"\frac{d}{df} \ln(1 + e^{-yf}) = \frac{e^{f}}{1 + e^{f}} - t = \sigma(f) - t",
        sp.diff(loss_in_nats, f),
        sigmoid - t,
        sigmoid - t,
        names=names,
    )
    states(r"y = 2t - 1", 2 * t - 1, 2 * t - 1, names=names)
states(r"1/\ln 2", 1 / sp.log(2), names={})  # the factor the logistic φ above divides by
