r"""Cross entropy is the potential of the residual: along $z_t = z_0 + t(z_1 - z_0)$,
$\int_0^1 (q(z_t) - p) \cdot (z_1 - z_0)\, dt = H(p, \operatorname{softmax} z_1)
- H(p, \operatorname{softmax} z_0)$ for every distribution $p$, so any function whose gradient
is $q - p$ equals $H(p, \operatorname{softmax} z)$ plus a constant."""

import numpy as np
from checks import close
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
