r"""With $q = \operatorname{softmax}(z/T)$ at a temperature $T > 0$, the gradient of the cross
entropy with respect to the logits is
$\nabla_z H\bigl(p, \operatorname{softmax}(z/T)\bigr) = \frac{\operatorname{softmax}(z/T) - p}{T} =
\frac{q - p}{T}$
for every distribution $p$: still prediction minus target, divided by $T$. The symbolic proof is
for three classes."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import cross_entropy, softmax

# Symbolic, 3 classes, on the simplex (p₃ = 1 − p₁ − p₂): differentiate
# H = −Σ pᵢ log qᵢ with log qᵢ = zᵢ/T − log Σⱼ exp(zⱼ/T). Writing the logits as z = T·s afterwards
# (s arbitrary, so this loses nothing) turns exp(zⱼ/T) into exp(sⱼ), which sympy simplifies fast.
z = sp.symbols("z1:4", real=True)
s = sp.symbols("s1:4", real=True)
p1, p2 = sp.symbols("p1 p2", nonnegative=True)
p = [p1, p2, 1 - p1 - p2]
T = sp.Symbol("T", positive=True)
total = sum(sp.exp(z_i / T) for z_i in z)
H = -sum(p_i * (z_i / T - sp.log(total)) for p_i, z_i in zip(p, z, strict=True))
q = [sp.exp(z_i / T) / total for z_i in z]
as_scaled = {z_i: T * s_i for z_i, s_i in zip(z, s, strict=True)}
symbolic(
    [sp.diff(H, z_k).subs(as_scaled) for z_k in z],
    [((q_k - p_k) / T).subs(as_scaled) for q_k, p_k in zip(q, p, strict=True)],
    what="sympy, 3 classes, Σp = 1: ∇_z H(p, softmax(z/T)) = (q − p)/T",
)

# Numeric: central differences of the site's cross_entropy(p, z/T) in z, for 5 temperatures and
# 200 cases of 5 classes each. Logits of scale 2 and T ≥ 0.5 keep |H| below about 25, so the
# rounding error ε·|H|/h is below 6e-9: a tolerance of 1e-8.
rng = np.random.default_rng(1)
temperatures = np.array([0.5, 1.0, 2.0, 5.0, 20.0])[:, None, None]
logits = rng.normal(scale=2.0, size=(5, 200, 5))
targets = rng.dirichlet(np.ones(5), size=(5, 200))
close(
    numerical_gradient(lambda z: cross_entropy(targets, z / temperatures), logits),
    (softmax(logits / temperatures) - targets) / temperatures,
    atol=1e-8,
    what="finite differences of H(p, softmax(z/T)) against (q − p)/T, T from 0.5 to 20",
)

# The statement's formulas, read as the expressions checked above.
names = {"z": sp.Matrix(z), "T": T, "q": sp.Matrix(q), "p": sp.Matrix(p)}
names[r"\nabla_z H\bigl(p, \operatorname{softmax}(z/T)\bigr)"] = sp.Matrix(
    [sp.diff(H, z_k) for z_k in z]
)
states(r"q = \operatorname{softmax}(z/T)", sp.Matrix(q), sp.Matrix(q), names=names)
states(
    r"\nabla_z H\bigl(p, \operatorname{softmax}(z/T)\bigr) = \frac{\operatorname{softmax}(z/T) -"
    r" p}{T} = \frac{q - p}{T}",
    [sp.diff(H, z_k) for z_k in z],
    [(q_k - p_k) / T for q_k, p_k in zip(q, p, strict=True)],
    [(q_k - p_k) / T for q_k, p_k in zip(q, p, strict=True)],
    names=names,
)
states(r"T > 0", T, 0, names=names, relations=(">",))
