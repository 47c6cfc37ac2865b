r"""With $q = \operatorname{softmax}(z)$, the gradient of the cross entropy $H(p, q)$ with
respect to the logits is $\nabla_z H = q - p$ for every distribution $p$, and
$(\textstyle\sum_i p_i)\,q - p$ for any non-negative target $p$: entry by entry
$\frac{\partial H}{\partial z_k} = -p_k + \Bigl(\sum_i p_i\Bigr) q_k$, that is
$\nabla_z H = \Bigl(\sum_i p_i\Bigr) q - p$, which for a distribution is
$\nabla_z H\bigl(p, \operatorname{softmax}(z)\bigr) = q - p$.
The symbolic proof is for three classes."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import cross_entropy, cross_entropy_grad, softmax

# Symbolic, three classes: differentiate −Σ pᵢ log softmax(z)ᵢ and compare with q − p.
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
p = sp.symbols(f"p1:{n + 1}", nonnegative=True)
exp_z = [sp.exp(z_i) for z_i in z]
q = [e / sum(exp_z) for e in exp_z]
H = -sum(p_i * sp.log(q_i) for p_i, q_i in zip(p, q, strict=True))
gradient = [sp.diff(H, z_k) for z_k in z]
any_target = [sum(p) * q_k - p_k for q_k, p_k in zip(q, p, strict=True)]
symbolic(gradient, any_target, what="sympy, 3 classes: ∇_z H = (Σp) q − p for any p ≥ 0")
# On the simplex (p₃ = 1 − p₁ − p₂) the same gradient is exactly q − p.
on_simplex = {p[2]: 1 - p[0] - p[1]}
on_simplex_gradient = [g.subs(on_simplex) for g in gradient]
residual = [(q_k - p_k).subs(on_simplex) for q_k, p_k in zip(q, p, strict=True)]
symbolic(on_simplex_gradient, residual, what="sympy, 3 classes, Σp = 1: ∇_z H = q − p")
# The statement's formulas are these expressions.
vectors = {"q": sp.Matrix(q), "p": sp.Matrix(p), r"\sum_i p_i": sum(p)}
states(r"(\textstyle\sum_i p_i)\,q - p", any_target, names=vectors)
distribution = {**vectors, "p": sp.Matrix(p).subs(on_simplex), r"\nabla_z H": on_simplex_gradient}
states(r"\nabla_z H = q - p", sp.Matrix(on_simplex_gradient), residual, names=distribution)
for k in range(n):
    states(
        r"\frac{\partial H}{\partial z_k} = -p_k + \Bigl(\sum_i p_i\Bigr) q_k",
        gradient[k],
        any_target[k],
        names={
            "p_k": p[k],
            "q_k": q[k],
            r"\sum_i p_i": sum(p),
            r"\frac{\partial H}{\partial z_k}": gradient[k],
        },
    )
states(
    r"\nabla_z H = \Bigl(\sum_i p_i\Bigr) q - p",
    gradient,
    any_target,
    names={**vectors, r"\nabla_z H": gradient},
)
distribution[r"\nabla_z H\bigl(p, \operatorname{softmax}(z)\bigr)"] = on_simplex_gradient
states(
    r"\nabla_z H\bigl(p, \operatorname{softmax}(z)\bigr) = q - p",
    sp.Matrix(on_simplex_gradient),
    residual,
    names=distribution,
)

# Numeric: central differences of the site's cross_entropy against q − p, 200 random cases
# of 5 classes. Logits of scale 3 keep |H| below about 20: rounding error ≈ ε·|H|/h ≈ 1e-9.
rng = np.random.default_rng(0)
logits = rng.normal(scale=3.0, size=(200, 5))
targets = rng.dirichlet(np.ones(5), size=200)
finite_differences = numerical_gradient(lambda z: cross_entropy(targets, z), logits)
close(
    finite_differences,
    softmax(logits) - targets,
    atol=1e-8,
    what="finite differences of cross_entropy against q − p, 200 cases of 5 classes",
)
multi_hot = rng.integers(0, 2, size=(200, 5)).astype(float)
close(
    numerical_gradient(lambda z: cross_entropy(multi_hot, z), logits),
    cross_entropy_grad(multi_hot, logits),
    atol=1e-8,
    what="finite differences against (Σp) q − p for multi-hot targets",
)

# The statement's formulas, read as the expressions checked above.
states(r"q = \operatorname{softmax}(z)", q, q, names={**vectors, "z": sp.Matrix(z)})
