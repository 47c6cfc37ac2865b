r"""For teacher logits $v$ and student logits $z$ with zero mean over the $n$ classes, $p =
\operatorname{softmax}(v/T)$ and $q = \operatorname{softmax}(z/T)$, $\nabla_z H(p, q) =
\frac{\operatorname{softmax}(z/T) - \operatorname{softmax}(v/T)}{T}$. At high temperature
$\operatorname{softmax}(z/T)_i \approx \frac{1 + z_i/T}{n}$, with error of order $1/T^2$, so
$\frac{\operatorname{softmax}(z/T)_i - \operatorname{softmax}(v/T)_i}{T} \approx \frac{1}{T} \cdot
\frac{z_i - v_i}{n T} = \frac{z_i - v_i}{n T^2}$, the gradient of $\|z - v\|^2/(2 n T^2)$: $T^2$
times the gradient tends to $(z - v)/n$ as $T$ grows, with error of order $1/T$, namely $\bigl((z^2
- \overline{z^2}) - (v^2 - \overline{v^2})\bigr)/(2nT)$ (squares entrywise, bars for means over
classes; proved for three classes)."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import cross_entropy, softmax

# Symbolic, 3 classes, u = 1/T: with f(u) = softmax(u·z), T²·(softmax(z/T) − softmax(v/T))/T
# = (f_z(u) − f_v(u))/u. Both start at f(0) = 1/n, so as u → 0 this difference quotient tends
# to f_z'(0) − f_v'(0). sympy finds f'(0) = (z − mean z)/n, which is z/n for zero-mean logits.
u = sp.Symbol("u", real=True)
z = sp.symbols("z1:4", real=True)
exp_uz = [sp.exp(u * z_i) for z_i in z]
softmax_uz = [e / sum(exp_uz) for e in exp_uz]
mean_z = sum(z) / 3
symbolic(
    [f.subs(u, 0) for f in softmax_uz],
    [sp.Rational(1, 3)] * 3,
    what="sympy, 3 classes: softmax(0·z) = 1/n",
)
symbolic(
    [sp.diff(f, u).subs(u, 0) for f in softmax_uz],
    [(z_i - mean_z) / 3 for z_i in z],
    what="sympy, 3 classes: d/du softmax(u z) at u = 0 is (z − mean z)/n",
)

# The 1/T error: the next Taylor term, u·f''(0)/2, with f''(0) = ((z − mean z)² − Var z)/n.
centred_z = [z_i - mean_z for z_i in z]
variance_z = sum(c_i**2 for c_i in centred_z) / 3
symbolic(
    [sp.diff(f, u, 2).subs(u, 0) for f in softmax_uz],
    [(c_i**2 - variance_z) / 3 for c_i in centred_z],
    what="sympy, 3 classes: d²/du² softmax(u z) at u = 0 is ((z − mean z)² − Var z)/n",
)

# The soft-target gradient, sympy, 3 classes, in u = 1/T: H(p, q) = −Σ pᵢ (u zᵢ − log Σⱼ e^{u zⱼ})
# with p = softmax(u v), differentiated in z, is u (q − p) (Σp = 1 once p's normaliser cancels).
v = sp.symbols("v1:4", real=True)
exp_uv = [sp.exp(u * v_i) for v_i in v]
softmax_uv = [e / sum(exp_uv) for e in exp_uv]
log_softmax_uz = [u * z_i - sp.log(sum(exp_uz)) for z_i in z]
soft_target_loss = -sum(
    p_i * log_q_i for p_i, log_q_i in zip(softmax_uv, log_softmax_uz, strict=True)
)
soft_gradient_u = [sp.diff(soft_target_loss, z_k) for z_k in z]
symbolic(
    soft_gradient_u,
    [u * (q_k - p_k) for q_k, p_k in zip(softmax_uz, softmax_uv, strict=True)],
    what="sympy, 3 classes: ∇_z H(softmax(v/T), softmax(z/T)) = (softmax(z/T) − softmax(v/T))/T",
)
# The squared error whose gradient the limit is: ∇_z ‖z − v‖²/(2n T²) = (z − v)/(n T²).
T = sp.Symbol("T", positive=True)
squared_error = sum((z_i - v_i) ** 2 for z_i, v_i in zip(z, v, strict=True)) / (2 * 3 * T**2)
symbolic(
    [sp.diff(squared_error, z_k) for z_k in z],
    [(z_i - v_i) / (3 * T**2) for z_i, v_i in zip(z, v, strict=True)],
    what="sympy, 3 classes: ∇_z ‖z − v‖²/(2nT²) = (z − v)/(nT²)",
)

# Numeric: 200 zero-mean pairs (z, v) of 5 classes at T = 100, 1000 and 10,000. The rate is
# checked, not only the limit: T·(T²·gradient − (z − v)/n) must match the 1/T coefficient
# (f_z''(0) − f_v''(0))/2 above. What is left is the next Taylor term, (u/6)·(f_z''' − f_v'''),
# cubic in the logits and divided by T: with r the largest range (max − min) of z plus that of v,
# it measures 5.1e-4·r³/T on these pairs, so the tolerance r³/(500T) leaves a factor 4 and still
# notices a 1/T coefficient a tenth off. At T = 10 that term is as large as such a change, so the
# rate is checked from T = 100. Rounding adds about 1e-16·T², far below it.
rng = np.random.default_rng(2)
classes = 5
student = rng.normal(scale=2.0, size=(200, classes))
teacher = rng.normal(scale=2.0, size=(200, classes))
student -= student.mean(axis=-1, keepdims=True)
teacher -= teacher.mean(axis=-1, keepdims=True)


def second_derivative_at_0(logits):
    """f''(0) of f(u) = softmax(u·logits) for zero-mean logits: (logits² − mean logits²)/n."""
    squares = logits**2
    return (squares - squares.mean(axis=-1, keepdims=True)) / classes


one_over_t_coefficient = (second_derivative_at_0(student) - second_derivative_at_0(teacher)) / 2
spread = np.max(np.ptp(student, axis=-1) + np.ptp(teacher, axis=-1))
# The first-order form of each probability, (1 + zᵢ/T)/n, is off by f''(0)/(2T²) + O(1/T³): T²
# times its error must match f''(0)/2, which makes the error O(1/T²), small beside 1/n. What is
# left, the third Taylor term times T², measures 3.0e-3·r³/T on the students (r their largest
# range); the tolerance r³/(100T) leaves a factor 3 and notices a coefficient a tenth off from
# T = 100 on (at T = 10 the tolerance is larger than such a change).
student_spread = np.max(np.ptp(student, axis=-1))
for temperature in (100.0, 1000.0, 10_000.0):
    close(
        temperature**2 * (softmax(student / temperature) - (1 + student / temperature) / classes),
        second_derivative_at_0(student) / 2,
        atol=float(student_spread**3 / (100 * temperature)),
        what=f"T = {temperature:g}: T²·(softmax(z/T) − (1 + z/T)/n) against f''(0)/2",
    )
for temperature in (100.0, 1000.0, 10_000.0):
    soft_gradient = (softmax(student / temperature) - softmax(teacher / temperature)) / temperature
    close(
        temperature * (temperature**2 * soft_gradient - (student - teacher) / classes),
        one_over_t_coefficient,
        atol=float(spread**3 / (500 * temperature)),
        what=f"T = {temperature:g}: T·(T²·gradient − (z − v)/n) against its 1/T coefficient",
    )

# The gradient formula numerically: central differences of the site's cross_entropy at T = 0.5
# to 20 (|H| ≤ about 25, so rounding ε·|H|/h stays below 6e-9: atol 1e-8).
for temperature in (0.5, 2.0, 20.0):
    soft_target = softmax(teacher / temperature)
    close(
        numerical_gradient(
            lambda z, p=soft_target, T=temperature: cross_entropy(p, z / T), student
        ),
        (softmax(student / temperature) - soft_target) / temperature,
        atol=1e-8,
        what=f"T = {temperature:g}: finite differences of H(softmax(v/T), softmax(z/T)) in z",
    )

# The statement's formulas, read as the expressions checked above, for zero-mean logits
# (z₃ = −z₁ − z₂, v₃ = −v₁ − v₂) and u = 1/T.
centred = {z[2]: -z[0] - z[1], v[2]: -v[0] - v[1]}
z_vector, v_vector = sp.Matrix(z).subs(centred), sp.Matrix(v).subs(centred)
as_temperature = {u: 1 / T}
names = {"z": z_vector, "v": v_vector, "n": 3, "T": T}
names |= {r"\overline{z^2}": sum(z_vector.applyfunc(lambda e: e**2)) / 3}
names |= {r"\overline{v^2}": sum(v_vector.applyfunc(lambda e: e**2)) / 3}
softmax_z_t = sp.Matrix(softmax_uz).subs(as_temperature)
softmax_v_t = sp.Matrix(softmax_uv).subs(as_temperature)
# The gradient holds for any logits, centred or not.
any_logits = {"z": sp.Matrix(z), "v": sp.Matrix(v), "T": T}
any_logits[r"\nabla_z H(p, q)"] = sp.Matrix(soft_gradient_u).subs(as_temperature)
states(r"p = \operatorname{softmax}(v/T)", None, softmax_v_t, names=any_logits)
states(r"q = \operatorname{softmax}(z/T)", None, softmax_z_t, names=any_logits)
states(
    r"\nabla_z H(p, q) = \frac{\operatorname{softmax}(z/T) - \operatorname{softmax}(v/T)}{T}",
    any_logits[r"\nabla_z H(p, q)"],
    (softmax_z_t - softmax_v_t) / T,
    names=any_logits,
)
first_derivative = sp.Matrix([sp.diff(f, u).subs(u, 0) for f in softmax_uz])
second_derivative = sp.Matrix([sp.diff(f, u, 2).subs(u, 0) for f in softmax_uz])
v_first = first_derivative.subs(dict(zip(z, v, strict=True)))
v_second = second_derivative.subs(dict(zip(z, v, strict=True)))
limit = (first_derivative - v_first).subs(centred)
states(r"T^2", T**2, names=names)  # the factor of the checks' temperature**2
states(r"(z - v)/n", limit, names=names)
states(r"1/T", 1 / T, names=names)  # the rate: the checks multiply the error by T
states(
    r"\bigl((z^2 - \overline{z^2}) - (v^2 - \overline{v^2})\bigr)/(2nT)",
    ((second_derivative - v_second) / 2 / T).subs(centred),
    names=names,
)
# Entry i = 1 of the first-order forms, read with the softmax entries as the checks use them.
entries = {
    r"\operatorname{softmax}(z/T)_i": softmax_z_t[0].subs(centred),
    r"\operatorname{softmax}(v/T)_i": softmax_v_t[0].subs(centred),
    "z_i": z_vector[0],
    "v_i": v_vector[0],
    "n": 3,
    "T": T,
}
first_order = sp.series(softmax_uz[0], u, 0, 2).removeO().subs(centred).subs(as_temperature)
states(
    r"\operatorname{softmax}(z/T)_i \approx \frac{1 + z_i/T}{n}",
    entries[r"\operatorname{softmax}(z/T)_i"],
    first_order,
    names=entries,
    relations=(r"\approx",),
)
states(r"1/T^2", 1 / T**2, names=names)  # the checks multiply the first-order error by T²
states(
    r"\frac{\operatorname{softmax}(z/T)_i - \operatorname{softmax}(v/T)_i}{T} \approx \frac{1}{T}"
    r" \cdot \frac{z_i - v_i}{n T} = \frac{z_i - v_i}{n T^2}",
    any_logits[r"\nabla_z H(p, q)"][0].subs(centred),
    limit[0] / T**2,
    limit[0] / T**2,
    names=entries,
    relations=(r"\approx", "="),
)
states(r"\|z - v\|^2/(2 n T^2)", squared_error.subs(centred), names=names)
