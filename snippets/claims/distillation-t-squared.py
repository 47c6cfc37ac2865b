r"""The soft-target loss $\operatorname{KL}(\operatorname{softmax}(v/T) \,\|\,
\operatorname{softmax}(z/T))$ vanishes like $1/T^2$ as the temperature grows: for zero-mean
logits $T^2$ times it tends to $\|z - v\|^2/(2n)$ over the $n$ classes, a squared error on the
logits whose size does not depend on $T$, which is why distillation multiplies the soft-target
loss by $T^2$; the remaining error shrinks like $1/T$, as $\frac{1}{6nT}\,(z - v)^2 \cdot (z + 2v)$
(the square entrywise). The symbolic proofs are for three classes."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import log_softmax, softmax

# Symbolic, 3 classes, u = 1/T: with log softmax(u x)ᵢ = u xᵢ − LSE(u x), the loss is
# g(u) = Σᵢ softmax(u v)ᵢ (u vᵢ − u zᵢ) + LSE(u z) − LSE(u v). T²·g = g(u)/u² tends to g''(0)/2
# if g(0) = g'(0) = 0, and sympy finds g''(0) = ‖(z − mean z) − (v − mean v)‖²/n.
u = sp.Symbol("u", real=True)
z = sp.symbols("z1:4", real=True)
v = sp.symbols("v1:4", real=True)


def lse(x):
    return sp.log(sum(sp.exp(u * x_j) for x_j in x))


soft_loss = (
    u * sum(sp.exp(u * v_i - lse(v)) * (v_i - z_i) for v_i, z_i in zip(v, z, strict=True))
    + lse(z)
    - lse(v)
)
first_derivative = sp.diff(soft_loss, u)
second_derivative = sp.diff(first_derivative, u)
derivatives = [sp.expand(d.subs(u, 0)) for d in (first_derivative, second_derivative)]
centred_difference = [
    (z_i - sum(z) / 3) - (v_i - sum(v) / 3) for z_i, v_i in zip(z, v, strict=True)
]
symbolic(
    [soft_loss.subs(u, 0), derivatives[0], derivatives[1]],
    [0, 0, sp.expand(sum(d**2 for d in centred_difference) / 3)],
    what="sympy, 3 classes: g(0) = 0, g'(0) = 0, g''(0) = ‖z − v‖²/n for centred logits",
)

# The next term, u³g'''(0)/6, is the 1/T error of T²·g: for centred logits (z₃ = −z₁ − z₂, and
# the same for v) sympy finds g'''(0) = Σᵢ (zᵢ − vᵢ)²(zᵢ + 2vᵢ)/n.
centred = {z[2]: -z[0] - z[1], v[2]: -v[0] - v[1]}
third_derivative_at_0 = (
    sum((z_i - v_i) ** 2 * (z_i + 2 * v_i) for z_i, v_i in zip(z, v, strict=True)) / 3
)
symbolic(
    sp.expand(sp.diff(second_derivative, u).subs(u, 0).subs(centred)),
    sp.expand(third_derivative_at_0.subs(centred)),
    what="sympy, 3 classes: g'''(0) = Σ(zᵢ − vᵢ)²(zᵢ + 2vᵢ)/n for centred logits",
)

# Numeric: 200 zero-mean pairs of 5 classes at T = 100, 1000 and 10,000. The rate is checked, not
# only the limit: T·(T²·KL − ‖z − v‖²/(2K)) must match the 1/T coefficient
# Σ(zᵢ − vᵢ)²(zᵢ + 2vᵢ)/(6K) above. What is left is the next term of the expansion, quartic in
# the logits and divided by T: with r the largest range (max − min) of z plus that of v, it
# measures 3.2e-4·r⁴/T on these pairs, so the tolerance r⁴/(1000T) leaves a factor 3 and still
# notices a 1/T coefficient a tenth off. At T = 10 that term is larger than such a change, so the
# rate is checked from T = 100; rounding, about 1e-16·T³·r/T, stays below 1e-6.
rng = np.random.default_rng(3)
classes = 5
student = rng.normal(scale=2.0, size=(200, classes))
teacher = rng.normal(scale=2.0, size=(200, classes))
student -= student.mean(axis=-1, keepdims=True)
teacher -= teacher.mean(axis=-1, keepdims=True)
squared_error = np.sum((student - teacher) ** 2, axis=-1) / (2 * classes)
one_over_t_coefficient = np.mean((student - teacher) ** 2 * (student + 2 * teacher), axis=-1) / 6
spread = np.max(np.ptp(student, axis=-1) + np.ptp(teacher, axis=-1))
for temperature in (100.0, 1000.0, 10_000.0):
    soft_target = softmax(teacher / temperature)
    log_ratio = log_softmax(teacher / temperature) - log_softmax(student / temperature)
    soft_loss_values = np.sum(soft_target * log_ratio, axis=-1)
    close(
        temperature * (temperature**2 * soft_loss_values - squared_error),
        one_over_t_coefficient,
        atol=float(spread**4 / (1000 * temperature)),
        what=f"T = {temperature:g}: T·(T²·KL − ‖z − v‖²/(2K)) against its 1/T coefficient",
    )

# The statement's formulas, read as the expressions checked above: the limit g''(0)/2 and the
# 1/T term g‴(0)/(6T) for centred logits, with u = 1/T.
T = sp.Symbol("T", positive=True)
names = {"z": sp.Matrix(z), "v": sp.Matrix(v), "T": T}
kl_tex = r"\operatorname{KL}(\operatorname{softmax}(v/T) \,\|\, \operatorname{softmax}(z/T))"
names[kl_tex] = soft_loss.subs(u, 1 / T)
states(kl_tex, soft_loss.subs(u, 1 / T), names=names)
states(r"1/T^2", 1 / T**2, names=names)  # g(u) starts at u²: the checks multiply by T²
states(r"T^2", T**2, names=names)
states(r"1/T", 1 / T, names=names)  # the checks multiply the remaining error by T
centred_names = {"z": sp.Matrix(z).subs(centred), "v": sp.Matrix(v).subs(centred), "n": 3, "T": T}
states(r"\|z - v\|^2/(2n)", (derivatives[1] / 2).subs(centred), names=centred_names)
states(
    r"\frac{1}{6nT}\,(z - v)^2 \cdot (z + 2v)",
    sp.expand(sp.diff(second_derivative, u).subs(u, 0).subs(centred)) / (6 * T),
    names=centred_names,
)
