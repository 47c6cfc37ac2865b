r"""For distributions $p$ and $q$ over the same classes, $H(p, q) = H(p) + \operatorname{KL}(p
\,\|\, q)$ and $\operatorname{KL}(p \,\|\, q) = \sum_i p_i \log(p_i / q_i) \ge 0$, zero only at $q =
p$. Gibbs: with $\varphi(u) = u - 1 - \log u \ge 0$ and $S$ the classes where $p_i > 0$, $\sum_{i
\in S} p_i \, \varphi\!\left(\frac{q_i}{p_i}\right) = \sum_{i \in S} q_i - \sum_{i \in S} p_i +
\sum_{i \in S} p_i \log \frac{p_i}{q_i} = \sum_{i \in S} q_i - 1 + \operatorname{KL}(p \,\|\, q)$,
so $\operatorname{KL}(p \,\|\, q) = \underbrace{\sum_{i \in S} p_i \,
\varphi\!\left(\frac{q_i}{p_i}\right)}_{\ge 0} + \underbrace{\Bigl(1 - \sum_{i \in S}
q_i\Bigr)}_{\ge 0}$. Hence $H(p, q) \ge H(p)$, minimised over $q$ at $q = p$ alone, where it is the
entropy $H(p) = -\sum_i p_i \log p_i$ (proved for three classes, tested for four). Both must be
distributions: $q = 2p$ gives $H(p) - \log 2$."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic
from losses import cross_entropy

# Symbolic, three classes, positive probabilities: −Σ pᵢ log qᵢ = −Σ pᵢ log pᵢ + Σ pᵢ log(pᵢ/qᵢ).
# expand_log(force=True) splits log(pᵢ/qᵢ) into log pᵢ − log qᵢ, which holds for positive pᵢ, qᵢ.
n = 3
p = sp.symbols(f"p1:{n + 1}", positive=True)
q = sp.symbols(f"q1:{n + 1}", positive=True)
cross_entropy_pq = -sum(p_i * sp.log(q_i) for p_i, q_i in zip(p, q, strict=True))
entropy_p = -sum(p_i * sp.log(p_i) for p_i in p)
kl_pq = sum(p_i * sp.log(p_i / q_i) for p_i, q_i in zip(p, q, strict=True))
symbolic(
    cross_entropy_pq,
    sp.expand_log(entropy_p + kl_pq, force=True),
    what="sympy, 3 classes: H(p, q) = H(p) + KL(p‖q)",
)

# Gibbs, step 1: with φ(u) = u − 1 − log u, Σ pᵢ φ(qᵢ/pᵢ) = KL(p‖q) + Σq − Σp, and on the
# simplex Σq − Σp = 1 − 1 = 0, so the KL divergence is the weighted sum Σ pᵢ φ(qᵢ/pᵢ).
u = sp.Symbol("u", positive=True)


def phi(value):
    return value - 1 - sp.log(value)


symbolic(
    sp.expand_log(sum(p_i * phi(q_i / p_i) for p_i, q_i in zip(p, q, strict=True)), force=True),
    sp.expand_log(kl_pq, force=True) + sum(q) - sum(p),
    what="sympy, 3 classes: Σ pᵢ φ(qᵢ/pᵢ) = KL(p‖q) + Σq − Σp, φ(u) = u − 1 − log u",
)
# Gibbs, step 2: φ(1) = 0 and φ'(u) = (u − 1)/u has the sign of u − 1, so φ falls until u = 1 and
# rises after it: φ(u) > 0 for every u ≠ 1. Each term pᵢ φ(qᵢ/pᵢ) is ≥ 0, and all vanish only
# if qᵢ = pᵢ wherever pᵢ > 0, which on the simplex forces q = p.
symbolic(sp.diff(phi(u), u), (u - 1) / u, what="sympy: φ'(u) = (u − 1)/u")
# The equality case: at q = p every log(pᵢ/qᵢ) is 0, and H(p, p) is the entropy H(p).
at_target = dict(zip(q, p, strict=True))
symbolic(kl_pq.subs(at_target), 0, what="sympy: KL(p‖p) = 0")
# The premise matters: if q need not sum to 1, doubling p lowers the loss below H(p).
on_simplex = {p[-1]: 1 - sum(p[:-1])}
doubled = [2 * p_i for p_i in p]
symbolic(
    (-sum(p_i * sp.log(q_i) for p_i, q_i in zip(p, doubled, strict=True))).subs(on_simplex),
    sp.expand_log(entropy_p.subs(on_simplex) - sp.log(2), force=True),
    what="sympy, 3 classes: H(p, 2p) = H(p) − log 2, so q must be a distribution",
)

# Numeric: KL(p‖q) ≥ 0 on 100,000 random pairs of 4 classes, some close to the boundary of the
# simplex. The most negative value must be 0 up to rounding: KL is a sum of 4 terms below about
# 100 in size (q goes down to ≈ 1e-30), each rounded to ≈ 1e-14, so 1e-12 leaves room.
rng = np.random.default_rng(3)
pairs, classes = 100_000, 4
p_values = rng.dirichlet(np.ones(classes), size=pairs)
# q from Dirichlet(c, …, c) with c = 0.2 (near the edges), 1 or 5 (near the centre), drawn as
# normalised Gamma(c) variates so that one vectorised call covers all three.
gammas = rng.gamma(rng.choice([0.2, 1.0, 5.0], size=(pairs, 1)), size=(pairs, classes))
q_values = gammas / gammas.sum(axis=-1, keepdims=True)
kl_values = np.sum(p_values * np.log(p_values / q_values), axis=-1)
close(
    np.minimum(kl_values, 0.0),
    np.zeros(pairs),
    atol=1e-12,
    what="negative part of KL(p‖q) on 100,000 random pairs",
)

# Optimisation: a grid search over the simplex of 3 classes, q = (i, j, k)/120, for 12 targets p
# on the same grid. The site's cross_entropy takes logits; z = log q gives softmax(z) = q, and
# log 0 = −inf is allowed (the loss is then +inf wherever pᵢ > 0). The minimiser must be the grid
# point p itself: a tolerance below half the grid step (1/240) admits no other point.
steps = 120
i, j = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
inside = i + j <= steps
grid = np.stack([i[inside], j[inside], steps - i[inside] - j[inside]], axis=-1) / steps
# Two cut points of 0..120 split it into three counts: targets anywhere on the simplex, edges too.
cuts = np.sort(rng.integers(0, steps + 1, size=(12, 2)), axis=1)
grid_targets = np.diff(cuts, prepend=0, append=steps) / steps
with np.errstate(divide="ignore"):  # log 0 = −inf on the edges of the simplex, on purpose
    grid_logits = np.log(grid)
losses = cross_entropy(
    np.broadcast_to(grid_targets[:, None, :], (12, len(grid), 3)),
    np.broadcast_to(grid_logits, (12, len(grid), 3)),
)
close(
    grid[np.argmin(losses, axis=-1)],
    grid_targets,
    atol=1 / (4 * steps),
    kind="optimisation",
    what=f"grid minimiser of H(p, q) over {len(grid)} points of the simplex against p, 12 targets",
)


# The statement's formulas, read as the expressions checked above: H with one argument is the
# entropy, with two the cross entropy.
def H(target, model=None):
    model = target if model is None else model
    return -sum(p_i * sp.log(q_i) for p_i, q_i in zip(target, model, strict=True))


names = {
    "p": sp.Matrix(p),
    "q": sp.Matrix(q),
    "H": H,
    r"\operatorname{KL}(p \,\|\, q)": kl_pq,
    r"\sum_i p_i \log(p_i / q_i)": kl_pq,
    r"\sum_i p_i \log p_i": -entropy_p,
}
states(
    r"H(p, q) = H(p) + \operatorname{KL}(p \,\|\, q)",
    cross_entropy_pq,
    sp.expand_log(entropy_p + kl_pq, force=True),
    names=names,
)
states(
    r"\operatorname{KL}(p \,\|\, q) = \sum_i p_i \log(p_i / q_i) \ge 0",
    kl_pq,
    kl_pq,
    0,
    names=names,
    relations=("=", r"\ge"),
)
states(r"q = p", None, sp.Matrix([at_target[q_i] for q_i in q]), names=names)
states(r"H(p) = -\sum_i p_i \log p_i", cross_entropy_pq.subs(at_target), entropy_p, names=names)
states(r"q = 2p", None, sp.Matrix(doubled), names=names)
on_simplex_names = {**names, "p": sp.Matrix(p).subs(on_simplex)}
states(
    r"H(p) - \log 2",
    (-sum(p_i * sp.log(q_i) for p_i, q_i in zip(p, doubled, strict=True))).subs(on_simplex),
    names=on_simplex_names,
)
states(r"H(p, q) \ge H(p)", cross_entropy_pq, entropy_p, names=names, relations=(r"\ge",))

# Gibbs' steps as the statement writes them, three classes all in S, p a positive point of the
# simplex (normalised positive weights, so that every log is real at the random points) and q
# any positive vector. Each sum is written out; φ ≥ 0 is the sign of φ' checked above with
# φ(1) = 0, and 1 − Σ_S qᵢ ≥ 0 holds for a distribution q.
weights = sp.symbols("w1:4", positive=True)
positive_simplex = {p_i: w_i / sum(weights) for p_i, w_i in zip(p, weights, strict=True)}
gibbs = {
    "u": u,
    r"\varphi(u)": phi(u),
    r"\sum_{i \in S} p_i \, \varphi\!\left(\frac{q_i}{p_i}\right)": sum(
        p_i * phi(q_i / p_i) for p_i, q_i in zip(p, q, strict=True)
    ).subs(positive_simplex),
    r"\sum_{i \in S} q_i": sum(q),
    r"\sum_{i \in S} p_i \log \frac{p_i}{q_i}": kl_pq.subs(positive_simplex),
    r"\sum_{i \in S} p_i": sum(p).subs(positive_simplex),
    r"\operatorname{KL}(p \,\|\, q)": kl_pq.subs(positive_simplex),
}
gibbs[r"\underbrace{\sum_{i \in S} p_i \, \varphi\!\left(\frac{q_i}{p_i}\right)}_{\ge 0}"] = gibbs[
    r"\sum_{i \in S} p_i \, \varphi\!\left(\frac{q_i}{p_i}\right)"
]
gibbs[r"\underbrace{\Bigl(1 - \sum_{i \in S} q_i\Bigr)}_{\ge 0}"] = 1 - sum(q)
weighted_phi = gibbs[r"\sum_{i \in S} p_i \, \varphi\!\left(\frac{q_i}{p_i}\right)"]
states(
    r"\varphi(u) = u - 1 - \log u \ge 0", phi(u), phi(u), 0, names=gibbs, relations=("=", r"\ge")
)
states(
    r"\sum_{i \in S} p_i \, \varphi\!\left(\frac{q_i}{p_i}\right)"
    r" = \sum_{i \in S} q_i - \sum_{i \in S} p_i + \sum_{i \in S} p_i \log \frac{p_i}{q_i}"
    r" = \sum_{i \in S} q_i - 1 + \operatorname{KL}(p \,\|\, q)",
    weighted_phi,
    weighted_phi,
    weighted_phi,
    names=gibbs,
)
states(
    r"\operatorname{KL}(p \,\|\, q)"
    r" = \underbrace{\sum_{i \in S} p_i \, \varphi\!\left(\frac{q_i}{p_i}\right)}_{\ge 0}"
    r" + \underbrace{\Bigl(1 - \sum_{i \in S} q_i\Bigr)}_{\ge 0}",
    kl_pq.subs(positive_simplex),
    kl_pq.subs(positive_simplex),
    names=gibbs,
)
states(
    r"p_i > 0",
    p[0].subs(positive_simplex),
    0,
    names={"p_i": p[0].subs(positive_simplex)},
    relations=(">",),
)
