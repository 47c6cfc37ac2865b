r"""Cross entropy is the potential of the residual: along $z_t = z_0 + t(z_1 - z_0)$,
$\int_0^1 (q(z_t) - p) \cdot (z_1 - z_0)\, dt = H(p, \operatorname{softmax} z_1)
- H(p, \operatorname{softmax} z_0)$ for every distribution $p$, so any function $L$ whose
gradient is $q - p$ has the same changes,
$L(z_1) - L(z_0) = \int_0^1 \bigl(q(z_t) - p\bigr) \cdot (z_1 - z_0)\, dt$, and equals
$H(p, \operatorname{softmax} z)$ plus a constant."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import cross_entropy, cross_entropy_grad, softmax

# Gauss–Legendre quadrature on [0, 1]. The integrand is analytic in t, but its complex poles
# come within about π/|z₁ − z₀| of the real axis, so long steps need many nodes: with steps up
# to about 25 here, 40 nodes leave errors of 1e-9 and 80 nodes below 1e-13.
nodes, weights = np.polynomial.legendre.leggauss(80)
nodes, weights = (nodes + 1) / 2, weights / 2


def work_along_segment(signal, start, end):
    """∫₀¹ signal(z_t) · (end − start) dt along the segment z_t = start + t(end − start)."""
    step = end - start
    path = start[..., None, :] + nodes[:, None] * step[..., None, :]
    return np.einsum("...kn,...n,k->...", signal(path), step, weights)


rng = np.random.default_rng(8)
start, end, middle = rng.normal(scale=3.0, size=(3, 300, 5))
targets = rng.dirichlet(np.ones(5), size=300)
loss_change = cross_entropy(targets, end) - cross_entropy(targets, start)


def residual(z):
    return softmax(z) - targets[:, None, :]


# The quadrature sums 80 terms of size up to about 20: rounding error about 80·20·ε ≈ 4e-13,
# so the tolerance is 1e-11.
close(
    work_along_segment(residual, start, end),
    loss_change,
    atol=1e-11,
    what="∫ (q − p)·dz along a straight path against the change of cross_entropy, 300 cases",
)
# Path independence, which is what makes the potential unique up to a constant: through a
# third point the integral of q − p is the same change of H.
close(
    work_along_segment(residual, start, middle) + work_along_segment(residual, middle, end),
    loss_change,
    atol=1e-11,
    what="∫ (q − p)·dz along a path through a third point against the change of cross_entropy",
)

# Any target p ≥ 0: integrating the general gradient (Σp) q − p gives back H as well.
multi_hot = rng.integers(0, 2, size=(300, 5)).astype(float)
close(
    work_along_segment(
        lambda z: cross_entropy_grad(np.broadcast_to(multi_hot[:, None, :], z.shape), z),
        start,
        end,
    ),
    cross_entropy(multi_hot, end) - cross_entropy(multi_hot, start),
    atol=1e-11,
    what="∫ ((Σp) q − p)·dz against the change of cross_entropy, 300 multi-hot targets",
)

# The statement's formulas, read as sympy: three classes, a rational path and target. The
# integral is the quadrature above along that path (accurate to ≈ 1e-13), and the change of H
# is exact: the statement's tolerance 1e-9 leaves room.
t = sp.Symbol("t", real=True)
z_0, z_1 = sp.Matrix([2, -1, sp.Rational(1, 2)]), sp.Matrix([-3, 1, 4])
p = sp.Matrix([sp.Rational(1, 5), sp.Rational(1, 2), sp.Rational(3, 10)])
z_t = z_0 + t * (z_1 - z_0)


def softmax_of(z):
    return z.applyfunc(sp.exp) / sum(z.applyfunc(sp.exp))


def cross_entropy_of(p, q):
    return -sum(p_i * sp.log(q_i) for p_i, q_i in zip(p, q, strict=True))


integral = work_along_segment(
    lambda z: softmax(z) - np.array(p, dtype=float).ravel(),
    np.array(z_0, dtype=float).ravel(),
    np.array(z_1, dtype=float).ravel(),
)
names = {
    "z_0": z_0,
    "z_1": z_1,
    "t": t,
    "p": p,
    "H": cross_entropy_of,
    r"\int_0^1 (q(z_t) - p) \cdot (z_1 - z_0)\, dt": sp.Float(float(integral)),
}
states(r"z_t = z_0 + t(z_1 - z_0)", None, z_t, names=names)
# L: the cross entropy plus a constant, a function whose gradient is q − p.
names[r"\int_0^1 \bigl(q(z_t) - p\bigr) \cdot (z_1 - z_0)\, dt"] = sp.Float(float(integral))
names["L"] = lambda z: cross_entropy_of(p, softmax_of(z)) + sp.Rational(7, 3)
states(
    r"L(z_1) - L(z_0) = \int_0^1 \bigl(q(z_t) - p\bigr) \cdot (z_1 - z_0)\, dt",
    cross_entropy_of(p, softmax_of(z_1)) - cross_entropy_of(p, softmax_of(z_0)),
    cross_entropy_of(p, softmax_of(z_1)) - cross_entropy_of(p, softmax_of(z_0)),
    names=names,
)
states(
    r"\int_0^1 (q(z_t) - p) \cdot (z_1 - z_0)\, dt = H(p, \operatorname{softmax} z_1)"
    r" - H(p, \operatorname{softmax} z_0)",
    sp.Float(float(integral)),
    cross_entropy_of(p, softmax_of(z_1)) - cross_entropy_of(p, softmax_of(z_0)),
    names=names,
)

# q − p is the gradient of H(p, softmax z), symbolically for three classes on the simplex.
z = sp.Matrix(sp.symbols("z1:4", real=True))
p_free = sp.symbols("p1:3", nonnegative=True)
target = sp.Matrix([*p_free, 1 - sum(p_free)])
loss = -sum(target[i] * (z[i] - sp.log(sum(z.applyfunc(sp.exp)))) for i in range(3))  # log q
gradient = sp.Matrix([sp.diff(loss, z_k) for z_k in z])
symbolic(gradient, softmax_of(z) - target, what="sympy, 3 classes, Σp = 1: ∇_z H = q − p")
states(r"q - p", gradient, names={"q": softmax_of(z), "p": target})
