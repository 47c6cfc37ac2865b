r"""With the label-smoothed target
$p = (1 - \varepsilon)\, e_y + \frac{\varepsilon}{n}\, \mathbf{1}$, whose entries are
$p_y = 1 - \varepsilon + \frac{\varepsilon}{n}$ and $p_j = \frac{\varepsilon}{n}$ for $j \ne y$,
and $0 < \varepsilon \le 1$, the cross entropy $H(p, \operatorname{softmax} z)$ is minimised at
finite logits, exactly where $\operatorname{softmax}(z) = p$, so every minimiser has the same
gap $z_y - z_j = \log\bigl((1 - \varepsilon + \varepsilon/n)/(\varepsilon/n)\bigr)$ for each
$j \ne y$."""

import numpy as np
import sympy as sp
from checks import close, quote, states, symbolic
from losses import cross_entropy_grad

# Symbolic, any number of classes n: put z_y = gap and z_j = 0 for the n − 1 other classes.
# Then softmax(z) = (e^gap, 1, …, 1)/(e^gap + n − 1), and at the claimed gap it equals p, so the
# gradient q − p vanishes; the loss is convex in z, so this stationary point is a minimiser.
n = sp.Symbol("n", integer=True, positive=True)
eps = sp.Symbol("varepsilon", positive=True)
p_y, p_other = 1 - eps + eps / n, eps / n
gap = sp.log(p_y / p_other)
normaliser = sp.exp(gap) + n - 1
symbolic(
    [sp.exp(gap) / normaliser, 1 / normaliser],
    [p_y, p_other],
    what="sympy, any n: softmax at the claimed gap is (1 − ε + ε/n, ε/n, …, ε/n) = p",
)

# Symbolic, 3 classes, from the definition: differentiate H = −Σ pᵢ log softmax(z)ᵢ, with
# log softmax(z)ᵢ = zᵢ − log Σⱼ exp(zⱼ), and evaluate at z = (gap, 0, 0): every partial derivative
# is 0, found without using the identity ∇H = q − p.
z = sp.symbols("z1:4", real=True)
smoothed = [p_y.subs(n, 3), p_other.subs(n, 3), p_other.subs(n, 3)]
log_softmax_z = [z_i - sp.log(sum(sp.exp(z_j) for z_j in z)) for z_i in z]
H = -sum(p_i * log_q_i for p_i, log_q_i in zip(smoothed, log_softmax_z, strict=True))
at_gap = {z[0]: gap.subs(n, 3), z[1]: 0, z[2]: 0}
symbolic(
    [sp.diff(H, z_k).subs(at_gap) for z_k in z],
    [0, 0, 0],
    what="sympy, 3 classes: ∂H/∂z_k = 0 at z = (gap, 0, 0)",
)

# Optimisation: gradient descent on the smoothed loss from 5 random starts, for 5 values of ε
# and n = 3 and 10, using only the site's gradient (Σp) q − p. The step 3.5 is stable because the
# Hessian's eigenvalues are at most ½. We stop when every |∂H/∂z_k| < 1e-12; the smallest
# non-zero curvature here is ε/n ≥ 0.01, so the logits are then within about 1e-12 / 0.01 = 1e-10
# of a minimiser, and the gap within 2e-10: a tolerance of 1e-9.
rng = np.random.default_rng(0)
smoothing = np.array([0.1, 0.2, 0.5, 0.9, 1.0])  # up to the uniform target, ε = 1
for classes in (3, 10):
    target = np.broadcast_to(smoothing[:, None] / classes, (5, len(smoothing), classes)).copy()
    target[..., 0] += 1 - smoothing
    logits = rng.normal(scale=3.0, size=target.shape)
    for _ in range(20_000):
        gradient = cross_entropy_grad(target, logits)
        if np.abs(gradient).max() < 1e-12:
            break
        logits -= 3.5 * gradient
    expected = np.log((1 - smoothing + smoothing / classes) / (smoothing / classes))
    close(
        logits[..., :1] - logits[..., 1:],
        np.broadcast_to(expected[:, None], (5, len(smoothing), classes - 1)),
        atol=1e-9,
        kind="optimisation",
        what=f"gradient descent, n = {classes}, ε in {smoothing.tolist()}, 5 starts: z_y − z_j",
    )

# The statement's formulas, read as the expressions checked above.
e_y = sp.Matrix([1, 0, 0])
names = {
    "varepsilon": eps,
    "n": 3,
    "e_y": e_y,
    r"\mathbf{1}": sp.ones(3, 1),
    "p": sp.Matrix(smoothed),
}
names |= {"z_y": gap.subs(n, 3), "z_j": 0, "z": sp.Matrix([gap.subs(n, 3), 0, 0])}
defined = (1 - eps) * e_y + eps / 3 * sp.ones(3, 1)
states(
    r"p = (1 - \varepsilon)\, e_y + \frac{\varepsilon}{n}\, \mathbf{1}",
    sp.Matrix(smoothed),
    defined,
    names=names,
)
# The entries of p as defined (y the first class, j the second) against those the checks use.
entries = {**names, "p_y": defined[0], "p_j": defined[1]}
states(
    r"p_y = 1 - \varepsilon + \frac{\varepsilon}{n}", p_y.subs(n, 3), p_y.subs(n, 3), names=entries
)
states(r"p_j = \frac{\varepsilon}{n}", p_other.subs(n, 3), p_other.subs(n, 3), names=entries)
states(
    r"\operatorname{softmax}(z) = p",
    sp.Matrix([p_y, p_other, p_other]).subs(n, 3),
    sp.Matrix(smoothed),
    names=names,
)
states(
    r"z_y - z_j = \log\bigl((1 - \varepsilon + \varepsilon/n)/(\varepsilon/n)\bigr)",
    gap.subs(n, 3),
    gap.subs(n, 3),
    names=names,
)
states(r"j \ne y", 1, 0, names={"j": 1, "y": 0}, relations=(r"\ne",))  # y = 0; j ≥ 1 checked
# 0 < ε ≤ 1 at every ε the descent checks (sympy's proof above takes any ε > 0).
for value in smoothing:
    states(
        r"0 < \varepsilon \le 1",
        0,
        sp.Float(value),
        1,
        names={"varepsilon": sp.Float(value)},
        relations=("<", r"\le"),
    )

# Szegedy et al.'s setting, for the page: ε = 0.1 and n = 1000 ImageNet classes.
quote("imagenet_gap", gap.subs({eps: sp.Rational(1, 10), n: 1000}))
