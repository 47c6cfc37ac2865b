r"""With $\Omega(\mu) = \tfrac12\|\mu\|^2$ for every real vector $\mu$, the conjugate
$\Omega^*(z) = \sup_\mu \bigl(\langle z, \mu\rangle - \Omega(\mu)\bigr)$ is $\tfrac12\|z\|^2$,
attained at
$\mu = z$, since
$\langle z, \mu \rangle - \tfrac12 \|\mu\|^2 = \tfrac12 \|z\|^2 - \tfrac12 \|\mu - z\|^2$, and the
Fenchel–Young loss
$L_\Omega(z; p) = \Omega^*(z) + \Omega(p) - \langle z, p\rangle$ is the squared error,
$L_\Omega(z; p) = \tfrac12 \|z\|^2 + \tfrac12 \|p\|^2 - \langle z, p \rangle = \tfrac12 \|z -
p\|^2$,
with prediction $z$. The symbolic proof is for three outputs."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import mse

z = sp.symbols("z1:4", real=True)
mu = sp.symbols("mu1:4", real=True)
p = sp.symbols("p1:4", real=True)


def dot(a, b):
    return sum(a_i * b_i for a_i, b_i in zip(a, b, strict=True))


def half_squared_norm(a):
    return dot(a, a) / 2


# Symbolic, 3 classes, completing the square: ⟨z, μ⟩ − ½‖μ‖² = ½‖z‖² − ½‖μ − z‖². The last
# term is ≥ 0 and zero only at μ = z, so the supremum is ½‖z‖², attained there.
difference = [mu_i - z_i for mu_i, z_i in zip(mu, z, strict=True)]
symbolic(
    dot(z, mu) - half_squared_norm(mu),
    half_squared_norm(z) - half_squared_norm(difference),
    what="sympy, 3 classes: ⟨z, μ⟩ − ½‖μ‖² = ½‖z‖² − ½‖μ − z‖²",
)

# Symbolic, 3 classes: Ω*(z) + Ω(p) − ⟨z, p⟩ = ½‖z − p‖².
fenchel_young = half_squared_norm(z) + half_squared_norm(p) - dot(z, p)
symbolic(
    fenchel_young,
    half_squared_norm([z_i - p_i for z_i, p_i in zip(z, p, strict=True)]),
    what="sympy, 3 classes: L_Ω(z; p) = ½‖z − p‖²",
)

# Numeric: the same loss from its definition against the site's mse summed over 5 outputs, on
# 1,000 random pairs. Terms up to about 50 round to about 1e-14: a tolerance of 1e-12.
rng = np.random.default_rng(5)
logits, targets = rng.normal(scale=3.0, size=(2, 1000, 5))
close(
    0.5 * np.sum(logits**2, axis=-1)
    + 0.5 * np.sum(targets**2, axis=-1)
    - np.sum(logits * targets, axis=-1),
    mse(logits, targets).sum(axis=-1),
    atol=1e-12,
    what="Ω*(z) + Ω(p) − ⟨z, p⟩ against the site's mse, 1,000 pairs of 5 outputs",
)

# The statement's formulas, read as the expressions checked above.
vector = {"z": sp.Matrix(z), "mu": sp.Matrix(mu), "p": sp.Matrix(p)}
names = {
    **vector,
    "Omega": lambda a: half_squared_norm(a),
    r"\Omega^*": lambda a: half_squared_norm(a),
}
names |= {r"\langle z, p\rangle": dot(z, p), "L_Omega": None}
names[r"L_\Omega(z; p)"] = fenchel_young
states(
    r"\Omega(\mu) = \tfrac12\|\mu\|^2", half_squared_norm(mu), half_squared_norm(mu), names=names
)
states(r"\tfrac12\|z\|^2", half_squared_norm(z), names=names)
states(r"\mu = z", None, sp.Matrix(z), names=names)
states(
    r"L_\Omega(z; p) = \Omega^*(z) + \Omega(p) - \langle z, p\rangle",
    fenchel_young,
    fenchel_young,
    names={**names, r"\Omega^*(z)": half_squared_norm(z)},
)


# The supremum, found by sympy where the gradient in μ vanishes (the function is concave in μ:
# minus a squared norm, by the completed square above).
def supremum_over_mu(term):
    (stationary,) = sp.solve([sp.diff(term, mu_i) for mu_i in mu], mu, dict=True)
    return term.subs(stationary)


supremum_over_mu.takes_product = True
sup_names = {**names, r"\sup_\mu": supremum_over_mu, r"\langle z, \mu\rangle": dot(z, mu)}
sup_names[r"\Omega^*(z)"] = half_squared_norm(z)
states(
    r"\Omega^*(z) = \sup_\mu \bigl(\langle z, \mu\rangle - \Omega(\mu)\bigr)",
    None,
    half_squared_norm(z),
    names=sup_names,
)
square_names = {**names, r"\langle z, \mu \rangle": dot(z, mu), r"\langle z, p \rangle": dot(z, p)}
states(
    r"\langle z, \mu \rangle - \tfrac12 \|\mu\|^2 = \tfrac12 \|z\|^2 - \tfrac12 \|\mu - z\|^2",
    dot(z, mu) - half_squared_norm(mu),
    half_squared_norm(z) - half_squared_norm(difference),
    names=square_names,
)
states(
    r"L_\Omega(z; p) = \tfrac12 \|z\|^2 + \tfrac12 \|p\|^2 - \langle z, p \rangle = \tfrac12 \|z"
    r" - p\|^2",
    fenchel_young,
    fenchel_young,
    half_squared_norm([z_i - p_i for z_i, p_i in zip(z, p, strict=True)]),
    names=square_names,
)
