r"""For every distribution $p$, the Hessian of $H(p, \operatorname{softmax} z)$ in the logits is
$\nabla_z^2 H = J = \operatorname{diag}(q) - q q^\top$, which does not depend on $p$; it is
positive semidefinite,
$v^\top J v = \sum_i q_i v_i^2 - \Bigl(\sum_i q_i v_i\Bigr)^2
= \sum_i q_i \bigl(v_i - q \cdot v\bigr)^2 \ge 0$,
$J \mathbf{1} = 0$, and its largest eigenvalue is at most $\tfrac12$; for any target $p \ge 0$
it is $\nabla_z^2 H = \Bigl(\sum_i p_i\Bigr) J$. The symbolic proof is for three classes."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import cross_entropy_grad, softmax

# Symbolic, three classes: the Hessian of −Σ pᵢ log qᵢ on the simplex p₃ = 1 − p₁ − p₂.
# expand_log (log(a/b) = log a − log b for a, b > 0) and expand leave −p·z + LSE(z): the
# target only enters linearly, so it drops out of the second derivatives.
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
p = sp.symbols(f"p1:{n + 1}", nonnegative=True)
total = sum(sp.exp(z_j) for z_j in z)
q = sp.Matrix([sp.exp(z_i) / total for z_i in z])
H = -sum(p_i * sp.log(q_i) for p_i, q_i in zip(p, q, strict=True))
on_simplex = {p[2]: 1 - p[0] - p[1]}
hessian = sp.hessian(sp.expand(sp.expand_log(H).subs(on_simplex)), z)
symbolic(hessian, sp.diag(*q) - q * q.T, what="sympy, 3 classes, Σp = 1: ∇²_z H = diag(q) − qqᵀ")

# Symbolic, any q on the simplex (q₃ = 1 − q₁ − q₂): vᵀJv is the variance of v under q, so
# J is positive semidefinite, and J·1 = 0.
q_free = sp.symbols("q1:3", nonnegative=True)
q_simplex = sp.Matrix([*q_free, 1 - sum(q_free)])
v = sp.Matrix(sp.symbols(f"v1:{n + 1}", real=True))
J = sp.diag(*q_simplex) - q_simplex * q_simplex.T
mean_v = (q_simplex.T * v)[0]
symbolic(
    (v.T * J * v)[0],
    sum(q_i * (v_i - mean_v) ** 2 for q_i, v_i in zip(q_simplex, v, strict=True)),
    what="sympy, 3 classes: vᵀJv = Σ qᵢ (vᵢ − q·v)², a variance",
)
symbolic(J * sp.ones(n, 1), sp.zeros(n, 1), what="sympy, 3 classes: J·1 = 0")
# Any target p ≥ 0: the Hessian is (Σp) J at the same logits.
any_target_hessian = sp.hessian(sp.expand(sp.expand_log(H)), z)
symbolic(
    any_target_hessian,
    sum(p) * (sp.diag(*q) - q * q.T),
    what="sympy, 3 classes, any p ≥ 0: ∇²_z H = (Σp) J",
)

# Numeric: the Hessian by central differences of the site's cross_entropy_grad, for a one-hot
# and a soft target at the same logits, against diag(q) − qqᵀ. Gradient entries are at most 1,
# so rounding error is ε/h ≈ 2e-10; the tolerance is 1e-9.
rng = np.random.default_rng(3)
logits = rng.normal(scale=3.0, size=(200, 5))
q_values = softmax(logits)
jacobian = q_values[:, :, None] * (np.eye(5) - q_values[:, None, :])
for targets, kind in [
    (np.eye(5)[rng.integers(0, 5, size=200)], "one-hot"),
    (rng.dirichlet(np.ones(5), size=200), "soft"),
]:
    finite_differences = np.stack(
        [
            numerical_gradient(lambda z, i=i, p=targets: cross_entropy_grad(p, z)[..., i], logits)
            for i in range(5)
        ],
        axis=1,
    )
    close(
        finite_differences,
        jacobian,
        atol=1e-9,
        what=f"finite differences of cross_entropy_grad ({kind} p) against diag(q) − qqᵀ",
    )

# Eigenvalues of J for 4,000 random logit vectors of 2 to 10 classes and scales 0.1 to 30,
# plus z = (0, 0), where the bound ½ is attained. eigvalsh is backward stable: its
# eigenvalues are exact to a few ε·‖J‖ ≤ 1e-15, so the bounds are checked to 1e-12.
bound = 0.5  # the largest eigenvalue's bound, ½
smallest, largest, null_residuals = [], [], []
for n_classes in (2, 3, 5, 10):
    scales = np.geomspace(0.1, 30.0, 1000)[:, None]
    z = scales * rng.normal(size=(1000, n_classes))
    if n_classes == 2:
        z[0] = 0.0
    q_values = softmax(z)
    J_values = q_values[:, :, None] * (np.eye(n_classes) - q_values[:, None, :])
    eigenvalues = np.linalg.eigvalsh(J_values)
    smallest.append(eigenvalues[:, 0])
    largest.append(eigenvalues[:, -1])
    null_residuals.append(np.abs(J_values @ np.ones(n_classes)).max(axis=-1))
smallest, largest = np.concatenate(smallest), np.concatenate(largest)
close(
    np.minimum(smallest, 0.0),
    np.zeros_like(smallest),
    atol=1e-12,
    what="no eigenvalue of J below 0 (positive semidefinite), 4,000 cases",
)
close(
    np.concatenate(null_residuals),
    np.zeros(4000),
    atol=1e-14,  # each entry is qᵢ(1 − Σq), and Σq is 1 to within 10ε
    what="J·1 = 0, 4,000 cases",
)
close(
    np.maximum(largest - bound, 0.0),
    np.zeros_like(largest),
    atol=1e-12,
    what="no eigenvalue of J above ½, 4,000 cases",
)
close(largest[0], bound, atol=1e-15, what="the bound ½ is attained at z = (0, 0)")

# The statement's formulas, read as the expressions checked above.
names = {"q": q, "J": sp.diag(*q) - q * q.T, r"\nabla_z^2 H": hessian, r"\mathbf{1}": sp.ones(n, 1)}
states(
    r"\nabla_z^2 H = J = \operatorname{diag}(q) - q q^\top",
    hessian,
    sp.diag(*q) - q * q.T,
    sp.diag(*q) - q * q.T,
    names=names,
)
states(r"J \mathbf{1} = 0", J * sp.ones(n, 1), sp.zeros(n, 1), names={**names, "J": J})
states(r"\tfrac12", sp.nsimplify(bound), names={})
states(
    r"\nabla_z^2 H = \Bigl(\sum_i p_i\Bigr) J",
    any_target_hessian,
    sum(p) * (sp.diag(*q) - q * q.T),
    names={**names, r"\nabla_z^2 H": any_target_hessian, r"\sum_i p_i": sum(p)},
)
variance_names = {
    "v": v,
    "q": q_simplex,
    "J": J,
    r"\sum_i q_i v_i^2": sum(q_i * v_i**2 for q_i, v_i in zip(q_simplex, v, strict=True)),
    r"\sum_i q_i v_i": mean_v,
    r"\sum_i q_i \bigl(v_i - q \cdot v\bigr)^2": sum(
        q_i * (v_i - mean_v) ** 2 for q_i, v_i in zip(q_simplex, v, strict=True)
    ),
}
states(
    r"v^\top J v = \sum_i q_i v_i^2 - \Bigl(\sum_i q_i v_i\Bigr)^2"
    r" = \sum_i q_i \bigl(v_i - q \cdot v\bigr)^2 \ge 0",
    v.T * J * v,  # a 1 × 1 matrix, as the formula writes it
    (v.T * J * v)[0],
    (v.T * J * v)[0],
    0,
    names=variance_names,
    relations=("=", "=", r"\ge"),
)
states(r"p \ge 0", sp.Matrix(p), 0, names={"p": sp.Matrix(p)}, relations=(r"\ge",))
