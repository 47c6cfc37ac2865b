r"""For teacher logits $v$ and student logits $z$ with zero mean over the $K$ classes, $T^2$ times
the soft-target gradient $(\operatorname{softmax}(z/T) - \operatorname{softmax}(v/T))/T$ tends
to $(z - v)/K$ as $T \to \infty$, with an error that shrinks like $1/T$: at high temperature the
gradient is about $(z - v)/(K T^2)$, the gradient of the squared error
$\|z - v\|^2/(2 K T^2)$ between the logits."""

import numpy as np
import sympy as sp
from checks import close, symbolic
from losses import softmax

# Symbolic, 3 classes, u = 1/T: with f(u) = softmax(u·z), T²·(softmax(z/T) − softmax(v/T))/T
# = (f_z(u) − f_v(u))/u. Both start at f(0) = 1/K, so as u → 0 this difference quotient tends
# to f_z'(0) − f_v'(0). sympy finds f'(0) = (z − mean z)/K, which is z/K for zero-mean logits.
u = sp.Symbol("u", real=True)
z = sp.symbols("z1:4", real=True)
exp_uz = [sp.exp(u * z_i) for z_i in z]
softmax_uz = [e / sum(exp_uz) for e in exp_uz]
mean_z = sum(z) / 3
symbolic(
    [f.subs(u, 0) for f in softmax_uz],
    [sp.Rational(1, 3)] * 3,
    what="sympy, 3 classes: softmax(0·z) = 1/K",
)
symbolic(
    [sp.diff(f, u).subs(u, 0) for f in softmax_uz],
    [(z_i - mean_z) / 3 for z_i in z],
    what="sympy, 3 classes: d/du softmax(u z) at u = 0 is (z − mean z)/K",
)

# Numeric: 200 zero-mean pairs (z, v) of 5 classes at T = 10, 100, 1000 and 10,000. By Taylor's
# theorem the error of the difference quotient is at most (u/2)·max |f''| on [0, u], and
# f'' = f·((z_i − E z)² − Var z) under softmax(ξz), so |f''| ≤ r² e^{ξ r}/K with r = max z − min z.
# The tolerance is that bound, summed over z and v and maximised over the pairs: it is a proof,
# not a guess, and it shrinks like 1/T. Rounding adds about 1e-16·T, far below it.
rng = np.random.default_rng(2)
classes = 5
student = rng.normal(scale=2.0, size=(200, classes))
teacher = rng.normal(scale=2.0, size=(200, classes))
student -= student.mean(axis=-1, keepdims=True)
teacher -= teacher.mean(axis=-1, keepdims=True)


def taylor_bound(logits, temperature):
    spread = np.ptp(logits, axis=-1)
    return spread**2 * np.exp(spread / temperature) / classes / (2 * temperature)


for temperature in (10.0, 100.0, 1000.0, 10_000.0):
    soft_gradient = (softmax(student / temperature) - softmax(teacher / temperature)) / temperature
    bound = taylor_bound(student, temperature) + taylor_bound(teacher, temperature)
    close(
        temperature**2 * soft_gradient,
        (student - teacher) / classes,
        atol=float(bound.max()),
        what=f"T = {temperature:g}: T²·(softmax(z/T) − softmax(v/T))/T against (z − v)/K",
    )
