r"""A binary loss in Savage's form $\ell(t, q) = L(q) + (t - q)\,L'(q)$, $L$ strictly concave (the
form of every proper loss with a smooth Bayes risk $L$), has expected loss $\eta\,\ell(1, q) + (1 -
\eta)\,\ell(0, q)$ (the target is $t = 1$ with probability $\eta$) with derivative $(\eta -
q)\,L''(q)$ in $q$, so is minimised at $q = \eta$; and $\frac{\partial \ell}{\partial q} = L'(q) -
L'(q) + (t - q)\, L''(q) = \bigl(-L''(q)\bigr)\,(q - t)$, so with the canonical link $f = \psi(q) =
-L'(q)$, $\frac{\partial \ell}{\partial f} = \frac{\partial \ell / \partial q}{\psi'(q)} = q - t$:
the logit for the log loss ($L = -q \ln q - (1 - q) \ln(1 - q)$), $f = 2q - 1$ for the Brier loss
$(q - t)^2$ ($L = q(1 - q)$), and $f = (2q - 1)/\sqrt{q(1 - q)}$ for the loss behind the exponential
margin loss ($L = 2\sqrt{q(1 - q)}$), not the $\tfrac12$ logit the exponential loss uses."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic

q, eta, t = sp.symbols("q eta t", real=True)
L = sp.Function("L")


def savage_loss(t, q, bayes_risk):
    """ℓ(t, q) = L(q) + (t − q) L'(q)."""
    return bayes_risk + (t - q) * sp.diff(bayes_risk, q)


# Symbolic, for an arbitrary smooth L. The expected loss is linear in t, so replacing t by η
# gives it; its derivative in q is (η − q)L''(q), which for L'' < 0 is negative below η and
# positive above: the minimiser is q = η. With f = −L'(q), df/dq = −L''(q), and the chain rule
# dℓ/df = (dℓ/dq)/(df/dq) gives q − t.
loss = savage_loss(t, q, L(q))
expected_loss = eta * savage_loss(1, q, L(q)) + (1 - eta) * savage_loss(0, q, L(q))
symbolic(
    expected_loss,
    savage_loss(eta, q, L(q)),
    what="sympy, any L: ηℓ(1, q) + (1 − η)ℓ(0, q) = ℓ(η, q), as ℓ is linear in t",
)
symbolic(
    sp.diff(expected_loss, q).subs(q, eta),
    0,
    what="sympy, any L: the expected loss is stationary at q = η",
)
symbolic(
    sp.diff(savage_loss(eta, q, L(q)), q),
    (eta - q) * sp.diff(L(q), q, 2),
    what="sympy, any L: d/dq E_t[ℓ(t, q)] = (η − q)L''(q)",
)
symbolic(
    sp.diff(loss, q) / sp.diff(-sp.diff(L(q), q), q),
    q - t,
    what="sympy, any L: dℓ/df = (dℓ/dq)/(dψ/dq) = q − t for ψ = −L'",
)

# Symbolic, three instances: Savage's form with each Bayes risk gives back the familiar partial
# losses ℓ(1, q) and ℓ(0, q), and −L' is the stated link. q is kept inside (0, 1).
p = sp.Symbol("p", positive=True)  # q = p/(1 + p) ranges over (0, 1) as p ranges over (0, ∞)
instances = {
    # name: (L(q), ℓ(1, q), ℓ(0, q), canonical link ψ(q))
    "log loss": (
        -q * sp.log(q) - (1 - q) * sp.log(1 - q),
        -sp.log(q),
        -sp.log(1 - q),
        sp.log(q / (1 - q)),
    ),
    "Brier": (q * (1 - q), (q - 1) ** 2, q**2, 2 * q - 1),
    "exponential": (
        2 * sp.sqrt(q * (1 - q)),
        sp.sqrt((1 - q) / q),
        sp.sqrt(q / (1 - q)),
        (2 * q - 1) / sp.sqrt(q * (1 - q)),
    ),
}
inside = {q: p / (1 + p)}
for name, (bayes_risk, loss_one, loss_zero, link) in instances.items():
    symbolic(
        [
            savage_loss(1, q, bayes_risk).subs(inside),
            savage_loss(0, q, bayes_risk).subs(inside),
            -sp.diff(bayes_risk, q).subs(inside),
        ],
        [loss_one.subs(inside), loss_zero.subs(inside), link.subs(inside)],
        what=f"sympy, {name}: Savage's form gives ℓ(1, q), ℓ(0, q), and −L' is the link",
    )

# Numeric: each loss as a function of the score through the inverse of its canonical link,
# differentiated by central differences, against q − t. Inverse links: σ(f); (1 + f)/2;
# (1 + f/√(f² + 4))/2 (solve f = 2u/√(1 − u²) for u = 2q − 1). The score ranges keep
# min(q, 1 − q) ≥ 0.018, and the losses divide by it: q rounded by ε moves a loss by up to
# ε/0.018 ≈ 1.2e-14, which the quotient divides by h, ≈ 1.2e-8 per evaluation: atol 5e-8.
rng = np.random.default_rng(2)
targets = rng.integers(0, 2, size=1000).astype(float)
numeric = {
    # name: (ℓ(1, q), ℓ(0, q), inverse link, score range)
    "log loss": (lambda q: -np.log(q), lambda q: -np.log1p(-q), lambda f: 1 / (1 + np.exp(-f)), 4),
    "Brier": (lambda q: (q - 1) ** 2, lambda q: q**2, lambda f: (1 + f) / 2, 0.9),
    "exponential": (
        lambda q: np.sqrt((1 - q) / q),
        lambda q: np.sqrt(q / (1 - q)),
        lambda f: (1 + f / np.sqrt(f**2 + 4)) / 2,
        6,
    ),
}
for name, (loss_one, loss_zero, inverse_link, largest) in numeric.items():
    scores = rng.uniform(-largest, largest, size=1000)

    def composite(f, loss_one=loss_one, loss_zero=loss_zero, inverse_link=inverse_link):
        q = inverse_link(f[..., 0])
        return targets * loss_one(q) + (1 - targets) * loss_zero(q)

    close(
        numerical_gradient(composite, scores[:, None])[:, 0],
        inverse_link(scores) - targets,
        atol=5e-8,
        what=f"{name} through its canonical link: finite differences against q − t",
    )

# The statement's formulas, read as the expressions checked above.
f = sp.Symbol("f", real=True)
names = {"t": t, "q": q, "eta": eta, "L": sp.Lambda(q, L(q)), "L'": sp.Lambda(q, sp.diff(L(q), q))}
names |= {"L''": sp.Lambda(q, sp.diff(L(q), q, 2)), r"\ell(t, q)": loss}
states(r"\ell(t, q) = L(q) + (t - q)\,L'(q)", loss, loss, names=names)
states(r"(\eta - q)\,L''(q)", sp.diff(savage_loss(eta, q, L(q)), q), names=names)
names[r"\frac{\partial \ell}{\partial q}"] = sp.diff(loss, q)
names[r"\partial \ell / \partial q"] = sp.diff(loss, q)
states(
    r"\frac{\partial \ell}{\partial q} = L'(q) - L'(q) + (t - q)\, L''(q) ="
    r" \bigl(-L''(q)\bigr)\,(q - t)",
    sp.diff(loss, q),
    sp.diff(loss, q),
    -sp.diff(L(q), q, 2) * (q - t),
    names=names,
)
# dℓ/df by the chain rule through f = ψ(q) = −L'(q), as the check above computes it.
chain_rule = sp.diff(loss, q) / sp.diff(-sp.diff(L(q), q), q)
names[r"\frac{\partial \ell}{\partial f}"] = chain_rule
names["psi'"] = sp.Lambda(q, sp.diff(-sp.diff(L(q), q), q))
states(
    r"\frac{\partial \ell}{\partial f} = \frac{\partial \ell / \partial q}{\psi'(q)} = q - t",
    chain_rule,
    chain_rule,
    q - t,
    names=names,
)
for (bayes_risk, _, _, link), risk_tex, link_tex in zip(
    instances.values(),
    [r"L = -q \ln q - (1 - q) \ln(1 - q)", r"L = q(1 - q)", r"L = 2\sqrt{q(1 - q)}"],
    [None, r"f = 2q - 1", r"f = (2q - 1)/\sqrt{q(1 - q)}"],
    strict=True,
):
    states(risk_tex, None, bayes_risk, names=names)
    if link_tex:
        states(link_tex, None, link, names=names)

# The rest of the statement: the expected loss, the point where its derivative vanishes (checked
# above), the canonical link, Brier's partial losses (t = 1 and t = 0) and the ½ of the
# exponential loss's link (claim margin-loss-minimisers), which is not the canonical one.
names[r"\ell"] = sp.Lambda((t, q), loss)
states(r"\eta\,\ell(1, q) + (1 - \eta)\,\ell(0, q)", expected_loss, names=names)
states(r"t = 1", None, 1, names=names)
states(r"q = \eta", None, eta, names=names)
names["psi"] = sp.Lambda(q, -sp.diff(L(q), q))
states(r"f = \psi(q) = -L'(q)", None, -sp.diff(L(q), q), -sp.diff(L(q), q), names=names)
brier_risk = instances["Brier"][0]
for target in (0, 1):
    states(r"(q - t)^2", savage_loss(target, q, brier_risk), names={**names, "t": target})
half_logit = sp.Rational(1, 2) * sp.log(q / (1 - q))  # the exponential loss's minimiser
states(r"\tfrac12", half_logit / sp.log(q / (1 - q)), names={})
