r"""The logit gradients of the Brier loss $\|q - p\|^2$, $\nabla_z \|q - p\|^2 = 2 J (q - p) =
2\bigl(q \odot (q - p) - q\, (q \cdot (q - p))\bigr) = 2\, q \odot \bigl((q - p) - q \cdot (q -
p)\bigr)$, and of the spherical loss $-p \cdot q / \|q\|$ are not $q - p$: at the confident mistake
$z = (t, 0, 0)$, $p = e_2$, both shrink like $e^{-t}$ while $q - p$ tends to $(1, -1, 0)$; with $a =
1/(e^t + 2)$ and $N = \|q\|$, $\nabla_z \|q - p\|^2 = \Bigl(6a(1 - 2a)^2,\; -4a(1 - 3a + 3a^2),\;
-2a(1 - 6a + 6a^2)\Bigr) \approx a\,(6, -4, -2)$ and $\nabla_z \Bigl(-\frac{p \cdot q}{\|q\|}\Bigr)
= \frac{a}{N^3} \Bigl((1 - 2a)^2,\; -(1 - 4a + 5a^2),\; a^2\Bigr) \approx a\,(1, -1, 0)$ (proved for
three classes)."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, quote, states, symbolic
from losses import softmax

# Symbolic, the Brier formula: for any q on the simplex (q₃ = 1 − q₁ − q₂) and any p, the
# chain rule's 2J(q − p), with J = diag(q) − qqᵀ, is the elementwise form. Both sides are
# polynomials; expanding them lets simplify finish at once.
q_free = sp.symbols("q1:3", real=True)
q = sp.Matrix([*q_free, 1 - sum(q_free)])
p = sp.Matrix(sp.symbols("p1:4", real=True))
residual = q - p
chain_rule_form = 2 * (sp.diag(*q) - q * q.T) * residual
elementwise_form = 2 * q.multiply_elementwise(residual - q.dot(residual) * sp.ones(3, 1))
symbolic(
    chain_rule_form.applyfunc(sp.expand),
    elementwise_form.applyfunc(sp.expand),
    what="sympy, 3 classes: 2J(q − p) = 2q⊙((q − p) − q·(q − p))",
)

# Symbolic, both losses differentiated directly along z = (t, 0, 0) with p = e₂. In the
# coordinates eᵢ = exp(zᵢ) > 0, ∂/∂zᵢ = eᵢ ∂/∂eᵢ keeps every expression rational; the point
# is e = (eᵗ, 1, 1), and with a = 1/(eᵗ + 2) = q₂, eᵗ = 1/a − 2.
e = sp.symbols("e1:4", positive=True)
a = sp.Symbol("a", positive=True)
q_of_e = sp.Matrix([e_i / sum(e) for e_i in e])
target = sp.Matrix([0, 1, 0])
brier = (q_of_e - target).dot(q_of_e - target)
spherical = -target.dot(q_of_e) / sp.sqrt(q_of_e.dot(q_of_e))
confident_wrong = {e[0]: 1 / a - 2, e[1]: 1, e[2]: 1}


def logit_gradient(loss):
    """∇_z loss at z = (t, 0, 0), as a function of a."""
    gradient = sp.Matrix([e_k * sp.diff(loss, e_k) for e_k in e])
    return gradient.subs(confident_wrong).applyfunc(sp.factor)


brier_at_point, spherical_at_point = logit_gradient(brier), logit_gradient(spherical)
brier_closed_form = sp.Matrix(
    [6 * a * (1 - 2 * a) ** 2, -4 * a * (1 - 3 * a + 3 * a**2), -2 * a * (1 - 6 * a + 6 * a**2)]
)
symbolic(
    brier_at_point,
    brier_closed_form.applyfunc(sp.expand),
    what="sympy: Brier's logit gradient at z = (t, 0, 0), p = e₂, is a·(6, −4, −2) + O(a²)",
)
norm_cubed = (1 - 4 * a + 6 * a**2) ** sp.Rational(3, 2)  # ‖q‖³, as ‖q‖² = 1 − 4a + 6a²
spherical_closed_form = sp.Matrix([(1 - 2 * a) ** 2, -(1 - 4 * a + 5 * a**2), a**2]) * a
symbolic(
    spherical_at_point,
    spherical_closed_form / norm_cubed,
    what="sympy: the spherical logit gradient at z = (t, 0, 0), p = e₂, is a·(1, −1, 0) + O(a²)",
)


# Numeric: central differences of both losses, computed from the site's softmax, against
# their gradient formulas, 300 random cases of 5 classes. Both losses are at most 2 in size,
# so rounding error is ε·2/h ≈ 4e-10: the tolerance is 1e-9.
def brier_loss(p, z):
    return ((softmax(z) - p) ** 2).sum(axis=-1)


def spherical_loss(p, z):
    q = softmax(z)
    return -(p * q).sum(axis=-1) / np.linalg.norm(q, axis=-1)


def brier_gradient(p, z):
    q = softmax(z)
    residual = q - p
    return 2 * q * (residual - (q * residual).sum(axis=-1, keepdims=True))


def spherical_gradient(p, z):
    q = softmax(z)
    norm = np.linalg.norm(q, axis=-1, keepdims=True)
    gradient_in_q = -p / norm + (p * q).sum(axis=-1, keepdims=True) * q / norm**3
    jacobian = q[..., :, None] * (np.eye(q.shape[-1]) - q[..., None, :])
    return np.einsum("...ij,...j->...i", jacobian, gradient_in_q)


rng = np.random.default_rng(9)
logits = rng.normal(scale=3.0, size=(300, 5))
targets = rng.dirichlet(np.ones(5), size=300)
for name, loss, gradient in [
    ("Brier", brier_loss, brier_gradient),
    ("spherical", spherical_loss, spherical_gradient),
]:
    close(
        numerical_gradient(lambda z, loss=loss: loss(targets, z), logits),
        gradient(targets, logits),
        atol=1e-9,
        what=f"finite differences of the {name} loss against its gradient formula, 300 cases",
    )

# Quoted by the softmax page's prose: the length of the Brier gradient at t = 10.
quote(
    "brier-gradient-length-at-10",
    sp.sqrt(brier_closed_form.dot(brier_closed_form)).subs(a, 1 / (sp.exp(10) + 2)),
)

# The concrete case t = 10 by finite differences, against the closed forms above: both
# gradients are about 1e-4 in size, where q − p is nearly (1, −1, 0). Same rounding: 1e-9.
t = 10.0
z_wrong = np.array([t, 0.0, 0.0])
p_wrong = np.array([0.0, 1.0, 0.0])
a_value = 1 / (np.exp(t) + 2)
for name, loss, closed_form in [
    ("Brier", brier_loss, brier_closed_form),
    ("spherical", spherical_loss, spherical_closed_form / norm_cubed),
]:
    close(
        numerical_gradient(lambda z, loss=loss: loss(p_wrong, z), z_wrong),
        np.array(closed_form.subs(a, a_value), dtype=float).ravel(),
        atol=1e-9,
        what=f"finite differences of the {name} loss at z = (10, 0, 0), p = e₂",
    )

# The statement's formulas, read as the expressions checked above.
names = {"q": q, "p": p, "J": sp.diag(*q) - q * q.T}
states(r"\|q - p\|^2", residual.dot(residual), names=names)
# The gradient in z by the chain rule: J (symmetric) times sympy's gradient of ‖q − p‖² in q.
brier_in_q = residual.dot(residual)
names[r"\nabla_z \|q - p\|^2"] = (sp.diag(*q) - q * q.T) * sp.Matrix(
    [sp.diff(brier_in_q.subs(q[2], sp.Symbol("q3")), v) for v in (*q_free, sp.Symbol("q3"))]
).subs(sp.Symbol("q3"), q[2])
states(
    r"\nabla_z \|q - p\|^2 = 2 J (q - p) = 2\bigl(q \odot (q - p) - q\, (q \cdot (q - p))\bigr)"
    r" = 2\, q \odot \bigl((q - p) - q \cdot (q - p)\bigr)",
    chain_rule_form,
    chain_rule_form,
    elementwise_form,
    elementwise_form,
    names=names,
)
states(r"-p \cdot q / \|q\|", spherical, names={"q": q_of_e, "p": target})
# The confident wrong prediction: exp(z) at z = (t, 0, 0) is the point e used above, with
# a = 1/(eᵗ + 2); both gradients times eᵗ tend to non-zero limits, so they shrink like e^{−t},
# while q − p tends to (1, −1, 0).
t_symbol = sp.Symbol("t", positive=True)
z_confident = sp.Matrix([t_symbol, 0, 0])
at_t = {a: 1 / (sp.exp(t_symbol) + 2)}
symbolic(
    z_confident.applyfunc(sp.exp),
    sp.Matrix([confident_wrong[e_i] for e_i in e]).subs(at_t),
    what="sympy: exp(z) at z = (t, 0, 0) is the point of the gradients above",
)
shrink_rate = sp.exp(-t_symbol)


def limit_as_t_grows(expression):
    """The limit t → ∞, taken as a → 0⁺ in a = 1/(eᵗ + 2) (eᵗ = 1/a − 2): fast for sympy."""
    in_a = sp.cancel(expression.subs(sp.exp(t_symbol), 1 / a - 2))
    return sp.limit(in_a, a, 0, "+")


symbolic(
    [
        limit_as_t_grows(gradient_entry.subs(at_t) / shrink_rate)
        for gradient_entry in [*brier_closed_form, *(spherical_closed_form / norm_cubed)]
    ],
    [6, -4, -2, 1, -1, 0],
    what="sympy: both gradients times eᵗ tend to a·eᵗ → 1 times (6, −4, −2) and (1, −1, 0)",
)
q_confident = z_confident.applyfunc(sp.exp) / sum(z_confident.applyfunc(sp.exp))
residual_limit = (q_confident - target).applyfunc(limit_as_t_grows)
symbolic(residual_limit, [1, -1, 0], what="sympy: q − p tends to (1, −1, 0)")
names = {"z": z_confident, "t": t_symbol, "p": target, "e_2": sp.eye(3).col(1)}
states(r"z = (t, 0, 0)", None, z_confident, names=names)
states(r"p = e_2", None, target, names=names)
states(r"e^{-t}", shrink_rate, names=names)
states(r"q - p", q_confident - target, names={"q": q_confident, "p": target})
states(r"(1, -1, 0)", residual_limit, names={})

# The two gradients at the confident wrong prediction, as sympy differentiated them above, in
# terms of a; their first-order parts, a times the limit of gradient / a as a → 0.
norm_at_point = sp.sqrt(q_of_e.subs(confident_wrong).dot(q_of_e.subs(confident_wrong)))


def first_order(gradient):
    """a times gradient / a at a = 0, where that quotient is continuous (a common factor a)."""
    return a * gradient.applyfunc(lambda entry: sp.cancel(entry / a).subs(a, 0))


point = {
    "a": a,
    "N": norm_at_point,
    r"\nabla_z \|q - p\|^2": brier_at_point,
    r"\nabla_z \Bigl(-\frac{p \cdot q}{\|q\|}\Bigr)": spherical_at_point,
}
for formula, gradient_at_point in [
    (
        r"\nabla_z \|q - p\|^2"
        r" = \Bigl(6a(1 - 2a)^2,\; -4a(1 - 3a + 3a^2),\; -2a(1 - 6a + 6a^2)\Bigr)"
        r" \approx a\,(6, -4, -2)",
        brier_at_point,
    ),
    (
        r"\nabla_z \Bigl(-\frac{p \cdot q}{\|q\|}\Bigr)"
        r" = \frac{a}{N^3} \Bigl((1 - 2a)^2,\; -(1 - 4a + 5a^2),\; a^2\Bigr) \approx a\,(1, -1, 0)",
        spherical_at_point,
    ),
]:
    states(
        formula,
        gradient_at_point,
        gradient_at_point,
        first_order(gradient_at_point),
        names=point,
        relations=("=", r"\approx"),
    )
states(
    r"a = 1/(e^t + 2)",
    None,
    1 / (sp.exp(t_symbol) + 2),
    names={"t": t_symbol},
)
states(r"N = \|q\|", None, norm_at_point, names={"q": q_of_e.subs(confident_wrong)})
