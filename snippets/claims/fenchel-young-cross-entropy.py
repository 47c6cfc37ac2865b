r"""With $\Omega(\mu) = \sum_i \mu_i \log \mu_i$ on the probability simplex (the negative Shannon
entropy), $\Omega^*(z) = \operatorname{LSE}(z) = \log \sum_j e^{z_j}$, attained at $\mu =
\operatorname{softmax}(z)$, since, with $q = \operatorname{softmax}(z)$, $\langle z, \mu \rangle -
\sum_i \mu_i \log \mu_i = \operatorname{LSE}(z) \sum_i \mu_i + \sum_i \mu_i \log q_i - \sum_i \mu_i
\log \mu_i = \operatorname{LSE}(z) - \operatorname{KL}(\mu \,\|\, q)$; the Fenchel–Young loss is
$L_\Omega(z; p) = H(p, \operatorname{softmax} z) - H(p) = \operatorname{KL}(p \,\|\,
\operatorname{softmax} z)$, that is $L_\Omega(z; p) = \operatorname{LSE}(z) + \sum_i p_i \log p_i -
\langle z, p \rangle = H(p, q) - H(p) = \operatorname{KL}(p \,\|\, q)$, with prediction
$\operatorname{softmax}(z)$ (proved for three classes)."""

import numpy as np
import sympy as sp
import tex
from checks import close, states, symbolic
from losses import cross_entropy, logsumexp

# Symbolic, 3 classes, on the simplex (μ₃ = 1 − μ₁ − μ₂, the same for p): with
# log softmax(z)ᵢ = zᵢ − LSE(z),  ⟨z, μ⟩ − Ω(μ) = LSE(z) − KL(μ ‖ softmax z).
# KL ≥ 0 with equality only at μ = softmax(z) (Gibbs), so the supremum is LSE(z), attained there.
z = sp.symbols("z1:4", real=True)
mu1, mu2, p1, p2 = sp.symbols("mu1 mu2 p1 p2", positive=True)
mu = [mu1, mu2, 1 - mu1 - mu2]
p = [p1, p2, 1 - p1 - p2]
lse = sp.log(sum(sp.exp(z_j) for z_j in z))
log_q = [z_i - lse for z_i in z]


def neg_entropy(a):
    return sum(a_i * sp.log(a_i) for a_i in a)


def kl(a, log_b):
    return sum(a_i * (sp.log(a_i) - log_b_i) for a_i, log_b_i in zip(a, log_b, strict=True))


def dot(a, b):
    return sum(a_i * b_i for a_i, b_i in zip(a, b, strict=True))


symbolic(
    dot(z, mu) - neg_entropy(mu),
    lse - kl(mu, log_q),
    what="sympy, 3 classes: ⟨z, μ⟩ − Ω(μ) = LSE(z) − KL(μ ‖ softmax z)",
)
# The supremum is attained at μ = softmax(z): there ⟨z, μ⟩ − Ω(μ) is LSE(z).
q = [sp.exp(z_i - lse) for z_i in z]
symbolic(
    dot(z, q) - sum(q_i * (z_i - lse) for q_i, z_i in zip(q, z, strict=True)),
    lse * sum(q),
    what="sympy, 3 classes: ⟨z, q⟩ − Ω(q) = LSE(z) at q = softmax(z)",
)
symbolic(sum(q), 1, what="sympy, 3 classes: Σ softmax(z) = 1")
# Symbolic, 3 classes: LSE(z) + Ω(p) − ⟨z, p⟩ = H(p, softmax z) − H(p), with H(p) = −Ω(p).
cross_entropy_pq = -dot(p, log_q)
symbolic(
    lse + neg_entropy(p) - dot(z, p),
    cross_entropy_pq + neg_entropy(p),
    what="sympy, 3 classes: L_Ω(z; p) = H(p, softmax z) − H(p)",
)

# Optimisation, 3 classes: maximise ⟨z, μ⟩ − Ω(μ) over a grid on the simplex with step 1/200
# (20,301 points) for 20 random z. No grid point may beat LSE(z) (up to rounding, 1e-12); the
# best one falls short by at most KL(μ̂ ‖ q), where μ̂ rounds q₁ and q₂ of q = softmax(z) to the
# nearest multiple of 1/200 (so |μ̂ᵢ − qᵢ| ≤ 1/400 for i = 1, 2 and ≤ 1/200 for i = 3). KL is at
# most the χ² distance Σ (μ̂ᵢ − qᵢ)²/qᵢ ≤ 1.5/(200² · min q): the tolerance of the second check.
rng = np.random.default_rng(6)
steps = 200
i, j = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
inside = i + j <= steps
grid = np.stack([i[inside], j[inside], steps - i[inside] - j[inside]], axis=-1) / steps
with np.errstate(divide="ignore", invalid="ignore"):  # 0·log 0 counts 0
    grid_neg_entropy = np.sum(np.where(grid > 0, grid * np.log(grid), 0.0), axis=-1)
logits_3 = rng.normal(scale=1.0, size=(20, 3))
grid_best = np.max(logits_3 @ grid.T - grid_neg_entropy, axis=-1)
close(
    np.maximum(grid_best - logsumexp(logits_3), 0.0),
    np.zeros(20),
    atol=1e-12,
    kind="optimisation",
    what="no grid point of the simplex exceeds LSE(z), 20 cases of 3 classes",
)
smallest_q = np.exp(logits_3 - logsumexp(logits_3)[:, None]).min()
close(
    grid_best,
    logsumexp(logits_3),
    atol=1.5 / (steps**2 * smallest_q),
    kind="optimisation",
    what="grid maximum of ⟨z, μ⟩ − Ω(μ) against LSE(z), 20 cases of 3 classes",
)

# Numeric: the loss from its definition, LSE(z) + Σ pᵢ log pᵢ − ⟨z, p⟩, against the site's
# cross_entropy(p, z) minus the entropy of p, 1,000 pairs of 5 classes. Terms of size ≤ 20 round
# to about 1e-14: a tolerance of 1e-12.
logits = rng.normal(scale=3.0, size=(1000, 5))
targets = rng.dirichlet(np.ones(5), size=1000)
neg_entropy_p = np.sum(targets * np.log(targets), axis=-1)
close(
    logsumexp(logits) + neg_entropy_p - np.sum(logits * targets, axis=-1),
    cross_entropy(targets, logits) + neg_entropy_p,
    atol=1e-12,
    what="LSE(z) + Ω(p) − ⟨z, p⟩ against H(p, softmax z) − H(p), 1,000 pairs of 5 classes",
)

# The statement's formulas, read as the expressions checked above (3 classes, on the simplex).
mu_i, z_j = sp.Symbol("mu_i", positive=True), sp.Symbol("z_j", real=True)
names = {"z": sp.Matrix(z), "mu": sp.Matrix(mu), "mu_i": mu_i, "z_j": z_j}
names |= {r"\sum_i": tex.operator([{mu_i: entry} for entry in mu])}
names |= {r"\sum_j": tex.operator([{z_j: entry} for entry in z])}
names |= {"Omega": neg_entropy, r"\Omega^*(z)": lse}
states(r"\Omega(\mu) = \sum_i \mu_i \log \mu_i", neg_entropy(mu), neg_entropy(mu), names=names)
states(r"\Omega^*(z) = \operatorname{LSE}(z) = \log \sum_j e^{z_j}", lse, lse, lse, names=names)
states(r"\mu = \operatorname{softmax}(z)", None, sp.Matrix(q), names=names)
loss_names = {"p": sp.Matrix(p), "z": sp.Matrix(z)}
loss_names[r"L_\Omega(z; p)"] = lse + neg_entropy(p) - dot(z, p)  # Ω*(z) + Ω(p) − ⟨z, p⟩
loss_names[r"H(p, \operatorname{softmax} z)"] = cross_entropy_pq
loss_names[r"H(p)"] = -neg_entropy(p)
loss_names[r"\operatorname{KL}(p \,\|\, \operatorname{softmax} z)"] = kl(p, log_q)
states(
    r"L_\Omega(z; p) = H(p, \operatorname{softmax} z) - H(p) = \operatorname{KL}(p \,\|\,"
    r" \operatorname{softmax} z)",
    lse + neg_entropy(p) - dot(z, p),
    cross_entropy_pq + neg_entropy(p),
    kl(p, log_q),
    names=loss_names,
)
q_names = {**names, "q": sp.Matrix([sp.exp(log_q_i) for log_q_i in log_q])}
q_names |= {
    r"\langle z, \mu \rangle": dot(z, mu),
    r"\operatorname{KL}(\mu \,\|\, q)": kl(mu, log_q),
}
q_i = sp.Symbol("q_i", positive=True)
paired = [{mu_i: m, q_i: sp.exp(log_q_i)} for m, log_q_i in zip(mu, log_q, strict=True)]
q_names |= {"q_i": q_i, r"\sum_i": tex.operator(paired)}
states(
    r"\langle z, \mu \rangle - \sum_i \mu_i \log \mu_i"
    r" = \operatorname{LSE}(z) \sum_i \mu_i + \sum_i \mu_i \log q_i - \sum_i \mu_i \log \mu_i"
    r" = \operatorname{LSE}(z) - \operatorname{KL}(\mu \,\|\, q)",
    dot(z, mu) - neg_entropy(mu),
    dot(z, mu) - neg_entropy(mu),
    lse - kl(mu, log_q),
    names=q_names,
)
p_i = sp.Symbol("p_i", positive=True)
p_names = {"z": sp.Matrix(z), "p_i": p_i, r"\sum_i": tex.operator([{p_i: entry} for entry in p])}
p_names |= {r"L_\Omega(z; p)": lse + neg_entropy(p) - dot(z, p), r"\langle z, p \rangle": dot(z, p)}
p_names |= {"H(p, q)": cross_entropy_pq, "H(p)": -neg_entropy(p)}
p_names[r"\operatorname{KL}(p \,\|\, q)"] = kl(p, log_q)
states(
    r"L_\Omega(z; p) = \operatorname{LSE}(z) + \sum_i p_i \log p_i - \langle z, p \rangle"
    r" = H(p, q) - H(p) = \operatorname{KL}(p \,\|\, q)",
    lse + neg_entropy(p) - dot(z, p),
    lse + neg_entropy(p) - dot(z, p),
    cross_entropy_pq + neg_entropy(p),
    kl(p, log_q),
    names=p_names,
)
states(r"q = \operatorname{softmax}(z)", None, q_names["q"], names=names)
