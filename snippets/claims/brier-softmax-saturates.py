r"""With $q = \operatorname{softmax}(z)$ the Brier loss $\lVert q - p \rVert^2$ has logit gradient
$\nabla_z \lVert q - p \rVert^2 = 2J(q - p)$, $J = \operatorname{diag}(q) - q q^\top$, of norm
$\bigl\lVert \nabla_z \lVert q - p \rVert^2 \bigr\rVert \le 2\sqrt2\,\bigl(1 - \lVert q
\rVert^2\bigr)$: it vanishes as $q$ nears any one-hot vector, the
wrong one included, while the cross entropy's gradient $q - p$ nears $e_k - e_y$, of norm
$\sqrt2$; with two classes the Brier loss is $4 \cdot \tfrac12\bigl(\sigma(z_1 - z_2) - t\bigr)^2$.
The symbolic proof is for three classes."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import softmax

# Symbolic, three classes, p on the simplex: differentiate Σ (qᵢ − pᵢ)² through the softmax.
n = 3
z = sp.symbols(f"z1:{n + 1}", real=True)
p = sp.Matrix(sp.symbols(f"p1:{n + 1}", nonnegative=True))
total = sum(sp.exp(z_j) for z_j in z)
q = sp.Matrix([sp.exp(z_i) / total for z_i in z])
on_simplex = {p[2]: 1 - p[0] - p[1]}
brier = (q - p).dot(q - p)
J = sp.diag(*q) - q * q.T
symbolic(
    [sp.diff(brier, z_k).subs(on_simplex) for z_k in z],
    list((2 * J * (q - p)).subs(on_simplex)),
    what="sympy, 3 classes: ∇_z ‖q − p‖² = 2J(q − p)",
)
# Why the bound: J is positive semidefinite (claim ce-hessian), so its largest eigenvalue is at
# most its trace Σ qᵢ(1 − qᵢ) = 1 − ‖q‖²; and ‖q − p‖² = ‖q‖² + ‖p‖² − 2q·p ≤ 2 on the simplex.
symbolic(J.trace(), 1 - q.dot(q), what="sympy, 3 classes: trace J = 1 − ‖q‖²")
# Two classes: with q₁ = σ(z₁ − z₂) (claim bce-is-two-class-softmax) and p = (t, 1 − t).
q1, t = sp.symbols("q1 t", real=True)
symbolic(
    (q1 - t) ** 2 + ((1 - q1) - (1 - t)) ** 2,
    4 * (q1 - t) ** 2 / 2,
    what="sympy: two classes, ‖q − p‖² = 4·½(q₁ − t)²",
)


def brier_loss(p, z):
    return np.sum((softmax(z) - p) ** 2, axis=-1)


def brier_gradient(p, z):
    q = softmax(z)
    residual = q - p
    return 2 * q * (residual - np.sum(q * residual, axis=-1, keepdims=True))  # 2J(q − p)


# Numeric: central differences of the loss against 2J(q − p), 200 random cases of 5 classes.
# The loss is at most 2, so rounding in the quotient is ≈ ε·2/h ≈ 4e-10: tolerance 1e-8.
rng = np.random.default_rng(7)
logits = rng.normal(scale=3.0, size=(200, 5))
targets = rng.dirichlet(np.ones(5), size=200)
close(
    numerical_gradient(lambda z: brier_loss(targets, z), logits),
    brier_gradient(targets, logits),
    atol=1e-8,
    what="finite differences of ‖softmax(z) − p‖² against 2J(q − p), 200 cases",
)

# The bound, on 4,000 cases of 2 to 10 classes with logit scales up to 50 (confident softmaxes)
# and one-hot or soft targets: the excess of the norm over 2√2(1 − ‖q‖²) must be 0, up to the
# rounding of both sides (a few ε).
excess = []
for n_classes in (2, 3, 5, 10):
    scales = np.geomspace(0.1, 50.0, 1000)[:, None]
    z_values = scales * rng.normal(size=(1000, n_classes))
    p_values = np.where(
        np.arange(1000)[:, None] % 2 == 0,
        np.eye(n_classes)[rng.integers(0, n_classes, size=1000)],
        rng.dirichlet(np.ones(n_classes), size=1000),
    )
    norm = np.linalg.norm(brier_gradient(p_values, z_values), axis=-1)
    bound = 2 * np.sqrt(2) * (1 - np.sum(softmax(z_values) ** 2, axis=-1))
    excess.append(np.maximum(norm - bound, 0.0))
close(
    np.concatenate(excess),
    np.zeros(4000),
    atol=1e-14,
    what="‖2J(q − p)‖ above 2√2(1 − ‖q‖²), 4,000 cases",
)

# A confident mistake: z = (0, s, 0), target e₁. Then 1 − ‖q‖² ≤ 4e^{−s}, so the Brier gradient
# is below 8√2 e^{−s}; and with a = 1/(e^s + 2), q − p = (a − 1, 1 − 2a, a) is within √6·a of
# e₂ − e₁, of norm √2.
s_values = np.array([5.0, 10.0, 20.0, 30.0])
mistakes = np.stack([np.zeros(4), s_values, np.zeros(4)], axis=-1)
one_hot = np.broadcast_to([1.0, 0.0, 0.0], mistakes.shape)
scaled_norm = np.linalg.norm(brier_gradient(one_hot, mistakes), axis=-1) * np.exp(s_values)
close(
    np.maximum(scaled_norm - 8 * np.sqrt(2), 0.0),
    np.zeros(4),
    atol=1e-12,
    what="e^s ‖∇ Brier‖ above 8√2 at z = (0, s, 0), p = e₁, s = 5 … 30",
)
close(
    np.linalg.norm(softmax(mistakes) - one_hot, axis=-1),
    np.full(4, np.sqrt(2)),
    atol=0.017,  # √6·a < √6·e^{−5} ≈ 0.0165 at s = 5, smaller for larger s
    what="‖q − p‖ against √2 at the same points",
)
# And q − p itself against e₂ − e₁: each entry is within 2a < 2e^{−5} ≈ 0.0135 of it.
wrong_class, true_class = np.eye(3)[1], np.eye(3)[0]
close(
    softmax(mistakes) - one_hot,
    np.broadcast_to(wrong_class - true_class, mistakes.shape),
    atol=0.014,
    what="q − p against e₂ − e₁ at the same points",
)

# The statement's formulas, read as the expressions checked above (three classes, p on the
# simplex; the limits at the confident mistake z = (0, s, 0), p = e₁).
on_simplex_p = p.subs(on_simplex)
names = {"z": sp.Matrix(z), "q": q, "p": on_simplex_p, "J": J}
states(r"q = \operatorname{softmax}(z)", None, q, names=names)
states(r"\lVert q - p \rVert^2", brier.subs(on_simplex), names=names)
gradient = sp.Matrix([sp.diff(brier, z_k) for z_k in z]).subs(on_simplex)
names[r"\nabla_z \lVert q - p \rVert^2"] = gradient
states(
    r"\nabla_z \lVert q - p \rVert^2 = 2J(q - p)",
    gradient,
    (2 * J * (q - p)).subs(on_simplex),
    names=names,
)
states(r"J = \operatorname{diag}(q) - q q^\top", None, J, names=names)
# The bound: sympy cannot order the two sides in general, so they are compared at the 4,000
# cases of the check above (the formula's sides read from it, each ≤ evaluated on numbers).
for case_z, case_p in zip(z_values[:10], p_values[:10], strict=True):
    case_q = softmax(case_z)
    case_gradient = brier_gradient(case_p, case_z)
    states(
        r"\bigl\lVert \nabla_z \lVert q - p \rVert^2 \bigr\rVert \le 2\sqrt2\,\bigl(1 - \lVert q"
        r" \rVert^2\bigr)",
        sp.Float(np.linalg.norm(case_gradient)),
        2 * sp.sqrt(2) * (1 - sp.Float(np.sum(case_q**2))),
        names={"q": sp.Matrix(case_q), r"\nabla_z \lVert q - p \rVert^2": sp.Matrix(case_gradient)},
        relations=(r"\le",),
    )
states(r"q - p", q - on_simplex_p, names=names)
states(
    r"e_k - e_y",
    sp.Matrix(wrong_class - true_class),
    names={"e_k": sp.Matrix(wrong_class), "e_y": sp.Matrix(true_class)},
)
states(r"\sqrt2", sp.sqrt(2), names={})  # the norm the check above compares with
z1, z2 = sp.symbols("z1 z2", real=True)
two_class_q = sp.exp(z1) / (sp.exp(z1) + sp.exp(z2))
states(
    r"4 \cdot \tfrac12\bigl(\sigma(z_1 - z_2) - t\bigr)^2",
    (two_class_q - t) ** 2 + ((1 - two_class_q) - (1 - t)) ** 2,
    names={"z_1": z1, "z_2": z2, "t": t},
)
