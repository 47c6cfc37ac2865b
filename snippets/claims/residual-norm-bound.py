r"""For a distribution $p$ and $q = \operatorname{softmax}(z)$, the residual's squared norm is
$\|q - p\|_2^2 = \|q\|_2^2 - 2\, q \cdot p + \|p\|_2^2$ and it is bounded,
$\|q - p\|_2 \le \sqrt2$; the bound is approached only when $p$ is one-hot and $q$ piles its
mass on another class, and no finite $z$ attains it.
The symbolic check follows one confident mistake with four classes."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import softmax

# Symbolic, four classes, a confident wrong prediction: z = (t, 0, 0, 0) and p = e₂. With
# a = 1/(eᵗ + 3) the gap to the bound is 2 − ‖q − p‖² = 4a(2 − 3a): positive, since 3a < 1,
# and going to 0 only as t → ∞.
n = 4
t = sp.Symbol("t", real=True)
exp_z = [sp.exp(t), 1, 1, 1]
q = [e / sum(exp_z) for e in exp_z]
p = [0, 1, 0, 0]
a = 1 / (sp.exp(t) + n - 1)
symbolic(
    2 - sum((q_i - p_i) ** 2 for q_i, p_i in zip(q, p, strict=True)),
    n * a * (2 - (n - 1) * a),
    what="sympy, 4 classes, z = (t, 0, 0, 0), p = e₂: 2 − ‖q − p‖² = 4a(2 − 3a)",
)

# Numeric: ‖q − p‖ for 3,000 random cases of 5 classes: soft targets and moderate logits,
# nearly one-hot targets and logits of scale 30, and one-hot targets with the logits pushed
# towards a wrong class. How far the norm exceeds √2 must be 0; a norm of entries at most 1
# is computed to a few ε, so the tolerance is 2e-15.
rng = np.random.default_rng(7)
labels = rng.integers(0, 5, size=1000)
wrong = (labels + rng.integers(1, 5, size=1000)) % 5
adversarial_logits = (
    rng.normal(size=(1000, 5)) + rng.uniform(0, 40, size=(1000, 1)) * np.eye(5)[wrong]
)
cases = [
    (rng.dirichlet(np.ones(5), size=1000), rng.normal(scale=3.0, size=(1000, 5))),
    (rng.dirichlet(0.05 * np.ones(5), size=1000), rng.normal(scale=30.0, size=(1000, 5))),
    (np.eye(5)[labels], adversarial_logits),
]
excess = [np.maximum(np.linalg.norm(softmax(z) - p, axis=-1) - np.sqrt(2), 0) for p, z in cases]
close(
    np.concatenate(excess),
    np.zeros(3000),
    atol=2e-15,
    what="how far ‖q − p‖ exceeds √2, 3,000 random and adversarial cases",
)

# The gap along the confident wrong prediction, from the site's softmax, against 4a(2 − 3a).
# 2 − ‖q − p‖² loses about 4ε ≈ 1e-15 to cancellation: the tolerance is 1e-14.
t_values = np.linspace(0.0, 15.0, 31)
z_path = np.zeros((31, 4))
z_path[:, 0] = t_values
a_values = 1 / (np.exp(t_values) + 3)
close(
    2 - ((softmax(z_path) - np.eye(4)[1]) ** 2).sum(axis=-1),
    4 * a_values * (2 - 3 * a_values),
    atol=1e-14,
    what="2 − ‖q − p‖² along z = (t, 0, 0, 0), p = e₂, for t from 0 to 15",
)
# By t = 40 the gap, 8e^{−40} ≈ 3e-17, is below float64 resolution: the norm reads √2.
close(
    np.linalg.norm(softmax([40.0, 0.0, 0.0, 0.0]) - np.eye(4)[1]),
    np.sqrt(2),
    atol=1e-15,
    what="‖q − p‖ = √2 to float64 precision at z = (40, 0, 0, 0), p = e₂",
)

# The statement's formulas, read as the expressions checked above.
states(r"\|q - p\|_2 \le \sqrt2", None, sp.sqrt(2), names={}, relations=(r"\le",))
states(
    r"q = \operatorname{softmax}(z)",
    sp.Matrix(q),
    sp.Matrix(q),
    names={"q": sp.Matrix(q), "z": sp.Matrix([t, 0, 0, 0])},
)

# The expansion of the squared norm, for vectors of four free entries.
q_entries = sp.Matrix(sp.symbols("q1:5", real=True))
p_entries = sp.Matrix(sp.symbols("p1:5", real=True))
squared_norm = (q_entries - p_entries).dot(q_entries - p_entries)
expansion = q_entries.dot(q_entries) - 2 * q_entries.dot(p_entries) + p_entries.dot(p_entries)
symbolic(squared_norm, expansion, what="sympy, 4 entries: ‖q − p‖² = ‖q‖² − 2q·p + ‖p‖²")
states(
    r"\|q - p\|_2^2 = \|q\|_2^2 - 2\, q \cdot p + \|p\|_2^2",
    squared_norm,
    expansion,
    names={"q": q_entries, "p": p_entries},
)
