r"""The Jacobian of $q = \operatorname{softmax}(z)$ is
$J = \partial q / \partial z = \operatorname{diag}(q) - q q^\top$, that is, with
$S = \sum_j e^{z_j}$,
$\frac{\partial q_i}{\partial z_j} = \frac{\delta_{ij} e^{z_i} S - e^{z_i} e^{z_j}}{S^2}
= \delta_{ij} q_i - q_i q_j = q_i (\delta_{ij} - q_j)$, and the chain rule through it,
$\nabla_z H = J^\top (-p / q)$, entry by entry
$\frac{\partial H}{\partial z_j}
= \sum_i \frac{\partial H}{\partial q_i} \frac{\partial q_i}{\partial z_j}
= \sum_i \Bigl(-\frac{p_i}{q_i}\Bigr) q_i (\delta_{ij} - q_j)
= -\sum_i p_i \delta_{ij} + q_j \sum_i p_i = -p_j + \Bigl(\sum_i p_i\Bigr) q_j$,
gives $q - p$ for every distribution $p$.
The symbolic proof is for three classes."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import cross_entropy_grad, softmax

# Symbolic, three classes: differentiate each qᵢ = exp(zᵢ)/Σ exp(zⱼ) by each zⱼ.
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
p = sp.symbols(f"p1:{n + 1}", nonnegative=True)
total = sum(sp.exp(z_j) for z_j in z)
q = sp.Matrix([sp.exp(z_i) / total for z_i in z])
J = q.jacobian(z)
symbolic(J, sp.diag(*q) - q * q.T, what="sympy, 3 classes: ∂q/∂z = diag(q) − qqᵀ")

# The chain rule: ∂H/∂qᵢ = −pᵢ/qᵢ, pulled back through J, on the simplex p₃ = 1 − p₁ − p₂.
on_simplex = {p[2]: 1 - p[0] - p[1]}
loss_gradient_in_q = sp.Matrix([-p_i / q_i for p_i, q_i in zip(p, q, strict=True)])
# cancel() writes both sides as one fraction in the exp(zᵢ), dividing out the qᵢ of J
# against the 1/qᵢ of ∂H/∂q; simplify alone gets there too, but slowly.
symbolic(
    (J.T * loss_gradient_in_q).subs(on_simplex).applyfunc(sp.cancel),
    (q - sp.Matrix(p)).subs(on_simplex).applyfunc(sp.cancel),
    what="sympy, 3 classes, Σp = 1: Jᵀ(−p/q) = q − p",
)

# Numeric: central differences of the site's softmax, one output at a time, against
# diag(q) − qqᵀ, 300 random logit vectors of 5 classes. |qᵢ| ≤ 1, so rounding error
# ε/h ≈ 2e-10 and truncation error h²/6·|∂³q| ≈ 1e-13: the tolerance is 1e-9.
rng = np.random.default_rng(2)
logits = rng.normal(scale=3.0, size=(300, 5))
q_values = softmax(logits)
jacobian = q_values[:, :, None] * (np.eye(5) - q_values[:, None, :])
finite_differences = np.stack(
    [numerical_gradient(lambda z, i=i: softmax(z)[..., i], logits) for i in range(5)], axis=1
)
close(
    finite_differences,
    jacobian,
    atol=1e-9,
    what="finite differences of softmax against diag(q) − qqᵀ, 300 cases of 5 classes",
)

# The chain-rule route in float64 against the site's cross_entropy_grad. With logits of
# scale 3, p/q stays below about 1e5, so the products lose at most 1e5·ε ≈ 2e-11.
targets = rng.dirichlet(np.ones(5), size=300)
chain_rule = np.einsum("bij,bi->bj", jacobian, -targets / q_values)
close(
    chain_rule,
    cross_entropy_grad(targets, logits),
    atol=1e-10,
    what="Jᵀ(−p/q) against cross_entropy_grad, 300 distributions",
)

# The statement's formulas, read as the expressions checked above.
names = {"q": q, "z": sp.Matrix(z), "J": J, r"\partial q / \partial z": q.jacobian(z)}
states(r"q = \operatorname{softmax}(z)", q, q, names=names)
states(
    r"J = \partial q / \partial z = \operatorname{diag}(q) - q q^\top",
    J,
    J,
    sp.diag(*q) - q * q.T,
    names=names,
)
names |= {"p": sp.Matrix(p).subs(on_simplex), r"\nabla_z H": J.T * loss_gradient_in_q}
states(
    r"\nabla_z H = J^\top (-p / q)", None, (J.T * loss_gradient_in_q).subs(on_simplex), names=names
)
states(r"q - p", (q - sp.Matrix(p)).subs(on_simplex), names=names)
# Entry by entry, for each of the 3 × 3 entries: the derivative sympy took above, the quotient
# rule's fraction and the two forms of diag(q) − qqᵀ.
states(r"S = \sum_j e^{z_j}", None, total, names={"S": total, r"\sum_j e^{z_j}": total})
for i, j in np.ndindex(n, n):
    entry = {
        r"\frac{\partial q_i}{\partial z_j}": J[i, j],
        r"\delta_{ij}": sp.KroneckerDelta(i, j),
        "S": total,
        "z_i": z[i],
        "z_j": z[j],
        "q_i": q[i],
        "q_j": q[j],
    }
    states(
        r"\frac{\partial q_i}{\partial z_j} = \frac{\delta_{ij} e^{z_i} S - e^{z_i} e^{z_j}}{S^2}"
        r" = \delta_{ij} q_i - q_i q_j = q_i (\delta_{ij} - q_j)",
        J[i, j],
        J[i, j],
        (sp.diag(*q) - q * q.T)[i, j],
        (sp.diag(*q) - q * q.T)[i, j],
        names=entry,
    )

# The chain rule entry by entry, for any p: sympy's derivative of H = −Σ pᵢ log qᵢ in z_j, the
# sum over i written out at each stage, and the (Σp) q − p it ends with.
cross_entropy_in_z = -sum(p_i * sp.log(q_i) for p_i, q_i in zip(p, q, strict=True))
for j in range(n):
    delta = [sp.KroneckerDelta(i, j) for i in range(n)]
    stage = {
        r"\frac{\partial H}{\partial z_j}": sp.diff(cross_entropy_in_z, z[j]),
        r"\sum_i \frac{\partial H}{\partial q_i} \frac{\partial q_i}{\partial z_j}": sum(
            loss_gradient_in_q[i] * J[i, j] for i in range(n)
        ),
        r"\sum_i \Bigl(-\frac{p_i}{q_i}\Bigr) q_i (\delta_{ij} - q_j)": sum(
            -p[i] / q[i] * q[i] * (delta[i] - q[j]) for i in range(n)
        ),
        r"\sum_i p_i \delta_{ij}": sum(p[i] * delta[i] for i in range(n)),
        r"\sum_i p_i": sum(p),
        "p_j": p[j],
        "q_j": q[j],
    }
    general = sum(p) * q[j] - p[j]
    states(
        r"\frac{\partial H}{\partial z_j} = \sum_i \frac{\partial H}{\partial q_i}"
        r" \frac{\partial q_i}{\partial z_j} = \sum_i \Bigl(-\frac{p_i}{q_i}\Bigr) q_i"
        r" (\delta_{ij} - q_j) = -\sum_i p_i \delta_{ij} + q_j \sum_i p_i"
        r" = -p_j + \Bigl(\sum_i p_i\Bigr) q_j",
        general,
        general,
        general,
        general,
        general,
        names=stage,
    )
