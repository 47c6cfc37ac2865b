r"""For each of the three regularisers (squared norm, negative entropy on the simplex, squared norm
on the simplex), the Fenchel–Young loss is differentiable with gradient
$\nabla_z L_\Omega(z; p) = \nabla\Omega^*(z) - p = \hat y_\Omega(z) - p$: prediction minus target,
where the prediction $\nabla\Omega^*(z)$ is the maximiser $\hat y_\Omega(z)$ in the definition of
the
conjugate, namely $z$,
$\operatorname{softmax}(z)$ and $\operatorname{sparsemax}(z)$.
The symbolic proof is for three classes."""

import numpy as np
import sympy as sp
import tex
from checks import close, numerical_gradient, states, symbolic
from losses import logsumexp, softmax, sparsemax

z = sp.symbols("z1:4", real=True)
p = sp.symbols("p1:4", real=True)


def dot(a, b):
    return sum(a_i * b_i for a_i, b_i in zip(a, b, strict=True))


# Symbolic, 3 classes. Squared norm: L = ½‖z‖² + ½‖p‖² − ⟨z, p⟩ has gradient z − p.
squared_loss = dot(z, z) / 2 + dot(p, p) / 2 - dot(z, p)
symbolic(
    [sp.diff(squared_loss, z_k) for z_k in z],
    [z_k - p_k for z_k, p_k in zip(z, p, strict=True)],
    what="sympy, 3 classes: ∇_z L = z − p for Ω = ½‖·‖²",
)
# Negative entropy: L = LSE(z) + Σ pᵢ log pᵢ − ⟨z, p⟩ (the last-but-one term is constant in z).
total = sum(sp.exp(z_j) for z_j in z)
entropy_loss = sp.log(total) - dot(z, p)
symbolic(
    [sp.diff(entropy_loss, z_k) for z_k in z],
    [sp.exp(z_k) / total - p_k for z_k, p_k in zip(z, p, strict=True)],
    what="sympy, 3 classes: ∇_z L = softmax(z) − p for Ω = negative entropy",
)
# Squared norm on the simplex, on a region where the support S of the maximiser π is fixed:
# there π_S = z_S − τ with τ = (Σ_S z − 1)/|S|, π = 0 off S, and Ω*(z) = ⟨z, π⟩ − ½‖π‖².
# Differentiating this formula gives π itself, for the full support and for a support of two.
for support in ([0, 1, 2], [0, 1]):
    tau = (sum(z[i] for i in support) - 1) / len(support)
    pi = [z[i] - tau if i in support else sp.Integer(0) for i in range(3)]
    conjugate = dot(z, pi) - dot(pi, pi) / 2
    symbolic(
        [sp.diff(conjugate, z_k) for z_k in z],
        pi,
        what=f"sympy, 3 classes, support of size {len(support)}: ∇Ω*(z) = sparsemax(z)",
    )

# Numeric: central differences of each loss computed from its definition, against prediction
# minus target, on 300 random pairs of 6 classes with targets on the simplex.
rng = np.random.default_rng(7)
logits = rng.normal(scale=2.0, size=(300, 6))
targets = rng.dirichlet(np.full(6, 0.5), size=300)
neg_entropy_p = np.sum(targets * np.log(targets), axis=-1)


def squared_norm_loss(z):
    return 0.5 * np.sum(z**2, axis=-1) + 0.5 * np.sum(targets**2, axis=-1) - np.sum(z * targets, -1)


def neg_entropy_loss(z):
    return logsumexp(z) + neg_entropy_p - np.sum(z * targets, axis=-1)


def sparsemax_loss(z):
    pi = sparsemax(z)
    conjugate = np.sum(z * pi, axis=-1) - 0.5 * np.sum(pi**2, axis=-1)
    return conjugate + 0.5 * np.sum(targets**2, axis=-1) - np.sum(z * targets, axis=-1)


# The losses are below about 40, so rounding in the differences is ε·40/h ≈ 1e-8 at h = 1e-6.
# The sparsemax loss is piecewise quadratic, and central differences are exact on each piece;
# a step across a change of support (probability about 1e-6 per case) would cost O(h).
for name, loss, prediction in (
    ("½‖·‖²", squared_norm_loss, logits),
    ("negative entropy", neg_entropy_loss, softmax(logits)),
    ("½‖·‖² on the simplex", sparsemax_loss, sparsemax(logits)),
):
    close(
        numerical_gradient(loss, logits),
        prediction - targets,
        atol=3e-8,
        what=f"finite differences of L_Ω against prediction − p, Ω = {name}, 300 pairs",
    )

# The statement's formulas, read as the expressions checked above.
vectors = {"z": sp.Matrix(z), "p": sp.Matrix(p)}
for loss, prediction in [
    (squared_loss, sp.Matrix(z)),
    (entropy_loss, tex.FUNCTIONS["softmax"](sp.Matrix(z))),
]:
    gradient = sp.Matrix([sp.diff(loss, z_k) for z_k in z])
    names = {**vectors, r"\nabla_z L_\Omega(z; p)": gradient, r"\nabla\Omega^*(z)": prediction}
    names[r"\hat y_\Omega(z)"] = (
        prediction  # the maximiser (claims fenchel-young-mse, -cross-entropy)
    )
    states(
        r"\nabla_z L_\Omega(z; p) = \nabla\Omega^*(z) - p = \hat y_\Omega(z) - p",
        gradient,
        prediction - sp.Matrix(p),
        prediction - sp.Matrix(p),
        names=names,
    )
states(r"\operatorname{softmax}(z)", tex.FUNCTIONS["softmax"](sp.Matrix(z)), names=vectors)
# The prediction as the gradient of each conjugate, ½‖z‖² and LSE(z), computed by sympy.
for conjugate, prediction in [
    (dot(z, z) / 2, sp.Matrix(z)),
    (sp.log(total), tex.FUNCTIONS["softmax"](sp.Matrix(z))),
]:
    gradient_of_conjugate = sp.Matrix([sp.diff(conjugate, z_k) for z_k in z])
    states(r"\nabla\Omega^*(z)", prediction, names={r"\nabla\Omega^*(z)": gradient_of_conjugate})
