r"""For teacher logits $v$ and student logits $z$ with zero mean over the $n$ classes, $T^2$ times
the soft-target gradient $(\operatorname{softmax}(z/T) - \operatorname{softmax}(v/T))/T$ tends
to $(z - v)/n$ as $T \to \infty$, with an error that shrinks like $1/T$, as
$\bigl((z^2 - \overline{z^2}) - (v^2 - \overline{v^2})\bigr)/(2KT)$ (squares entrywise, bars for
means over classes): at high temperature the gradient is about $(z - v)/(n T^2)$, the gradient
of the squared error $\|z - v\|^2/(2 n T^2)$ between the logits."""

import numpy as np
import sympy as sp
from checks import close, symbolic
from losses import softmax

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

# Numeric: 200 zero-mean pairs (z, v) of 5 classes at T = 10, 100, 1000 and 10,000. The rate is
# checked, not only the limit: T·(T²·gradient − (z − v)/n) must match the 1/T coefficient
# (f_z''(0) − f_v''(0))/2 above. What is left is the next Taylor term, (u/6)·(f_z''' − f_v'''),
# cubic in the logits and divided by T: with r the largest range (max − min) of z plus that of v,
# it measures 5.1e-4·r³/T on these pairs, so the tolerance r³/(200T) leaves a factor 10.
# Rounding adds about 1e-16·T², far below it.
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
for temperature in (10.0, 100.0, 1000.0, 10_000.0):
    soft_gradient = (softmax(student / temperature) - softmax(teacher / temperature)) / temperature
    close(
        temperature * (temperature**2 * soft_gradient - (student - teacher) / classes),
        one_over_t_coefficient,
        atol=float(spread**3 / (200 * temperature)),
        what=f"T = {temperature:g}: T·(T²·gradient − (z − v)/n) against its 1/T coefficient",
    )
