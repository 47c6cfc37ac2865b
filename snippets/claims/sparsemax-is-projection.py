r"""$\operatorname{sparsemax}(z) = \max(z - \tau, 0)$ (entrywise), with $\tau = \frac{\sum_{j \le k}
z_{(j)} - 1}{k}$ for the largest $k$ with $1 + k\, z_{(k)} > \sum_{j \le k} z_{(j)}$ ($z_{(j)}$ the
$j$-th largest logit), so that the entries sum to 1, is the Euclidean projection of $z$ onto the
simplex $\Delta$, $\operatorname{sparsemax}(z) = \operatorname{argmin}_{q \in \Delta} \|q - z\|^2$;
it is exactly 0 where $z_i \le \tau$, and $e_y$ once $z_y$ exceeds every other logit by more than 1.
With $\Omega(\mu) = \tfrac12\|\mu\|^2$ on $\Delta$, $\Omega^*(z) = \tfrac12 \|z\|^2 - \tfrac12
\|\operatorname{sparsemax}(z) - z\|^2$ and the Fenchel–Young loss is $L_\Omega(z; p) = \tfrac12
\|z\|^2 - \tfrac12 \|\operatorname{sparsemax}(z) - z\|^2 + \tfrac12 \|p\|^2 - \langle z, p \rangle =
\tfrac12 \|z - p\|^2 - \tfrac12 \|\operatorname{sparsemax}(z) - z\|^2$."""

import itertools

import numpy as np
import sympy as sp
import tex
from checks import close, states
from losses import sparsemax

rng = np.random.default_rng(4)
logits = rng.normal(scale=rng.choice([0.1, 1.0, 5.0], size=(3000, 1)), size=(3000, 6))
projection = sparsemax(logits)

# On the simplex: non-negative by construction, and the entries sum to 1 up to rounding
# (a sum of 6 numbers of size ≤ 1 is off by at most a few ε ≈ 1e-15).
close(projection.sum(axis=-1), np.ones(3000), atol=1e-12, what="Σ sparsemax(z) = 1, 3,000 cases")

# The threshold, found without sorting: Σ max(z − τ, 0) falls from above 1 (at τ = min z − 1)
# to 0 (at τ = max z) as τ rises, so bisection finds where it is 1; 100 halvings of an interval
# of width below 100 leave it within 1e-28, far below rounding. Then sparsemax(z) must be
# max(z − τ, 0) up to the rounding of z − τ (logits up to about 20: 1e-12), and give exact
# zeros to the classes with z_i ≤ τ and only to them (booleans: a disagreement is an error of 1).
low, high = logits.min(axis=-1) - 1, logits.max(axis=-1)
for _ in range(100):
    middle = (low + high) / 2
    too_low = np.maximum(logits - middle[:, None], 0).sum(axis=-1) > 1
    low, high = np.where(too_low, middle, low), np.where(too_low, high, middle)
tau = (low + high) / 2
close(
    projection,
    np.maximum(logits - tau[:, None], 0.0),
    atol=1e-12,
    what="sparsemax(z) against max(z − τ, 0) with τ found by bisection, 3,000 cases",
)
close(
    projection == 0.0,
    logits <= tau[:, None],
    atol=0.5,
    what="the classes sparsemax gives exactly 0 against those with z_i ≤ τ, 3,000 cases",
)

# The sorting rule, on its own: the condition 1 + k z_(k) > Σ_{j≤k} z_(j) holds for every k up
# to some K and for none beyond (compared as booleans, an error of 1 for any disagreement), and
# (Σ_{j≤K} z_(j) − 1)/K is the threshold found by bisection (sums of 6 logits: 1e-12).
ordered = -np.sort(-logits, axis=-1)
ranks = np.arange(1, logits.shape[-1] + 1)
partial_sums = np.cumsum(ordered, axis=-1)
condition = 1 + ranks * ordered > partial_sums
largest_k = condition.sum(axis=-1)
close(
    condition,
    ranks <= largest_k[:, None],
    atol=0.5,
    what="the sorting condition holds exactly for k ≤ K, 3,000 cases",
)
close(
    (partial_sums[np.arange(len(logits)), largest_k - 1] - 1) / largest_k,
    tau,
    atol=1e-12,
    what=r"$\bigl(\sum_{j \le K} z_{(j)} - 1\bigr)/K$ against the threshold found by bisection,"
    " 3,000 cases",
)

# Optimisation, a certificate: a point π of a convex set is the Euclidean projection of z if and
# only if ⟨z − π, q − π⟩ ≤ 0 for every q in the set (no direction into the set brings π closer
# to z). The expression is linear in q, so it suffices to check the n vertices q = e_j:
# ⟨z − π, e_j − π⟩ = (z − π)_j − ⟨z − π, π⟩. Its largest value must be ≤ 0 up to rounding
# (products of logits up to about 20: 1e-12 is far above their rounding, far below a real miss).
# The certificate covers the exact zeros too: a zero entry passes only if it is truly optimal.
residual = logits - projection
vertex_terms = residual - np.sum(residual * projection, axis=-1, keepdims=True)
with_zeros = int(np.sum(np.any(projection == 0.0, axis=-1)))
close(
    np.maximum(vertex_terms.max(axis=-1), 0.0),
    np.zeros(3000),
    atol=1e-12,
    kind="optimisation",
    what=f"optimality certificate max_j ⟨z − π, e_j − π⟩ ≤ 0, 3,000 cases of 6 classes"
    f" ({with_zeros} of them with exact zeros)",
)

# Optimisation, a dense search in 3 classes: no point of a grid on the simplex with step 1/300
# (45,451 points) is closer to z than sparsemax(z). The gain of the best grid point over π is
# ‖π − z‖² − min ‖q − z‖²; it must be ≤ 0 up to rounding (1e-12).
steps = 300
i, j = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
inside = i + j <= steps
grid = np.stack([i[inside], j[inside], steps - i[inside] - j[inside]], axis=-1) / steps
logits_3 = rng.normal(scale=1.5, size=(40, 3))
grid_distances = np.sum((grid[None, :, :] - logits_3[:, None, :]) ** 2, axis=-1)
projection_distances = np.sum((sparsemax(logits_3) - logits_3) ** 2, axis=-1)
close(
    np.maximum(projection_distances - grid_distances.min(axis=-1), 0.0),
    np.zeros(40),
    atol=1e-12,
    kind="optimisation",
    what="‖sparsemax(z) − z‖² ≤ ‖q − z‖² for every grid point q, 40 cases of 3 classes",
)

# Exact one-hot outputs: raise a random label's logit z_y to the largest logit plus a margin of
# 1.001, 1.5, 3 or 10, so that it leads every other logit by at least that much (at a margin of
# exactly 1 rounding would decide). Every other entry must be exactly 0.0: each output has one
# non-zero entry. The label's entry is 1 up to the rounding of z_y − (z_y − 1): 1e-12.
labels = rng.integers(0, 6, size=400)
leading = rng.normal(scale=2.0, size=(400, 6))
margins = rng.choice([1.001, 1.5, 3.0, 10.0], size=400)
leading[np.arange(400), labels] = leading.max(axis=-1) + margins
one_hot = sparsemax(leading)
close(
    np.count_nonzero(one_hot, axis=-1),
    np.ones(400),
    atol=0.5,
    what="number of non-zero entries of sparsemax(z) when z_y leads by more than 1: exactly 1",
)
close(
    one_hot,
    np.eye(6)[labels],
    atol=1e-12,
    what=r"$\operatorname{sparsemax}(z) = e_y$ when $z_y - \max_{j \ne y} z_j > 1$, 400 cases",
)

# The statement's formulas, read as the expressions checked above, at the first 5 cases of 3
# classes: the argmin over the simplex found exactly, for the objective as written, by trying
# every support S (there the minimiser is z_S shifted to sum to 1) and keeping the best point
# of the simplex.
q_placeholder = sp.Matrix(sp.symbols("q1:4", real=True))


def argmin_over_simplex(objective, z):
    candidates = []
    for size in (1, 2, 3):
        for support in itertools.combinations(range(3), size):
            shift = (sum(z[i] for i in support) - 1) / size
            point = sp.Matrix([z[i] - shift if i in support else 0 for i in range(3)])
            if all(entry >= 0 for entry in point):
                candidates.append(point)
    return min(
        candidates,
        key=lambda point: objective.xreplace(dict(zip(q_placeholder, point, strict=True))),
    )


for row in logits_3[:5]:
    z = sp.Matrix([sp.Float(value) for value in row])
    result = sp.Matrix(sparsemax(row))
    tau_row = max(row[i] - result[i] for i in range(3) if result[i] > 0)
    names = {"z": z, "tau": sp.Float(tau_row), "q": q_placeholder}
    names["sparsemax"] = lambda _z, result=result: result
    names["max"] = lambda a, b: a.applyfunc(lambda entry: sp.Max(entry, b))

    def argmin(objective, z=z):
        return argmin_over_simplex(objective, z)

    argmin.takes_product = True
    names[r"\operatorname{argmin}_{q \in \Delta}"] = argmin
    states(r"\operatorname{sparsemax}(z) = \max(z - \tau, 0)", result, result, names=names)
    states(
        r"\operatorname{sparsemax}(z) = \operatorname{argmin}_{q \in \Delta} \|q - z\|^2",
        result,
        result,
        names=names,
    )
# The zeros: at the first 5 entries that sparsemax sets to 0, z_i ≤ τ (τ by bisection above).
for row, column in list(zip(*np.nonzero(projection == 0.0), strict=True))[:5]:
    z_i, threshold = sp.Float(logits[row, column]), sp.Float(tau[row])
    states(
        r"z_i \le \tau", z_i, threshold, names={"z_i": z_i, "tau": threshold}, relations=(r"\le",)
    )

# The conjugate and the loss, at the same 5 cases with a random target p on the simplex: Ω*(z)
# is ⟨z, μ⟩ − ½‖μ‖² at its maximiser, the projection (checked above); the loss is its definition
# Ω*(z) + ½‖p‖² − ⟨z, p⟩.
targets_3 = rng.dirichlet(np.ones(3), size=5)
for row, target in zip(logits_3[:5], targets_3, strict=True):
    z, p = sp.Matrix([sp.Float(v) for v in row]), sp.Matrix([sp.Float(v) for v in target])
    result = sp.Matrix(sparsemax(row))
    conjugate = z.dot(result) - result.dot(result) / 2
    names = {"z": z, "p": p, "sparsemax": lambda _z, result=result: result}
    names |= {r"\Omega^*(z)": conjugate, r"\langle z, p \rangle": z.dot(p)}
    names[r"L_\Omega(z; p)"] = conjugate + p.dot(p) / 2 - z.dot(p)
    states(
        r"\Omega^*(z) = \tfrac12 \|z\|^2 - \tfrac12 \|\operatorname{sparsemax}(z) - z\|^2",
        conjugate,
        z.dot(z) / 2 - (result - z).dot(result - z) / 2,
        names=names,
    )
    states(
        r"L_\Omega(z; p) = \tfrac12 \|z\|^2 - \tfrac12 \|\operatorname{sparsemax}(z) - z\|^2"
        r" + \tfrac12 \|p\|^2 - \langle z, p \rangle"
        r" = \tfrac12 \|z - p\|^2 - \tfrac12 \|\operatorname{sparsemax}(z) - z\|^2",
        names[r"L_\Omega(z; p)"],
        names[r"L_\Omega(z; p)"],
        (z - p).dot(z - p) / 2 - (result - z).dot(result - z) / 2,
        names=names,
    )
mu = sp.Matrix(sp.symbols("mu1:4", real=True))
states(r"\Omega(\mu) = \tfrac12\|\mu\|^2", None, mu.dot(mu) / 2, names={"mu": mu})

# The sorting rule as written, at the first 5 cases: k is K, the placeholder z_(j) takes the
# sorted logits j = 1 … K in turn; sympy evaluates > on the numbers.
z_j_sorted = sp.Symbol("z_sorted_j")
for row in range(5):
    k = int(largest_k[row])
    names = {"k": k, "z_{(k)}": sp.Float(ordered[row, k - 1]), "z_{(j)}": z_j_sorted}
    names[r"\sum_{j \le k}"] = tex.operator([{z_j_sorted: sp.Float(v)} for v in ordered[row, :k]])
    names["tau"] = sp.Float(tau[row])
    states(
        r"1 + k\, z_{(k)} > \sum_{j \le k} z_{(j)}",
        1 + k * sp.Float(ordered[row, k - 1]),
        sp.Float(partial_sums[row, k - 1]),
        names=names,
        relations=(">",),
    )
    states(r"\tau = \frac{\sum_{j \le k} z_{(j)} - 1}{k}", None, sp.Float(tau[row]), names=names)
