r"""Properness is about the expected loss, not a finite sample: for $N$ labels $y_1, \dots, y_N$
drawn from $p$, the average loss $-\frac1N \sum_k \log q_{y_k}$ equals $H(\hat p, q)$ for the
empirical frequencies $\hat p$, so it is minimised at $q = \hat p$, which misses $p$ by
$\mathbb{E}(\hat p_i - p_i)^2 = p_i (1 - p_i) / N$, and with a single label at the one-hot
$q = e_{y_1}$."""

import numpy as np
import sympy as sp
from checks import close, states, statistical, symbolic
from losses import cross_entropy

rng = np.random.default_rng(8)
p_example = np.array([0.6, 0.3, 0.1])
n = len(p_example)
sample_size = 40

# Numeric: the average of the one-hot losses over 40 sampled labels against the site's
# cross_entropy of the empirical frequencies, at 200 random logits. Both are averages of numbers
# below about 15, rounded to ≈ 1e-15 relative; 1e-12 relative leaves room.
labels = rng.choice(n, size=sample_size, p=p_example)
frequencies = np.bincount(labels, minlength=n) / sample_size
logits = rng.normal(scale=2.0, size=(200, n))
one_hot_losses = cross_entropy(
    np.broadcast_to(np.eye(n)[labels], (200, sample_size, n)),
    np.broadcast_to(logits[:, None, :], (200, sample_size, n)),
)
close(
    one_hot_losses.mean(axis=1),
    cross_entropy(np.broadcast_to(frequencies, (200, n)), logits),
    rtol=1e-12,
    what="mean one-hot loss over 40 labels against H(p̂, q), 200 random logits",
)

# Optimisation: a grid search over the simplex, q = (i, j, k)/120, of the average loss of the 40
# labels, −(1/N) Σₖ log q_{y_k} label by label, and of each single label's loss −log q_y. The
# frequencies are multiples of 1/40, so they lie on the grid; its neighbours lose ≈ 1e-4 ≫
# rounding, and a tolerance below half the grid step (1/240) demands the exact grid point.
steps = 120
i, j = np.meshgrid(np.arange(steps + 1), np.arange(steps + 1), indexing="ij")
inside = i + j <= steps
grid = np.stack([i[inside], j[inside], steps - i[inside] - j[inside]], axis=-1) / steps
with np.errstate(divide="ignore"):  # −log 0 = +inf on the edges of the simplex, on purpose
    grid_losses = -np.log(grid)  # [point, y]: the loss of label y at each grid point
average_loss = grid_losses[:, labels].mean(axis=1)
close(
    grid[np.argmin(average_loss)],
    frequencies,
    atol=1 / (4 * steps),
    kind="optimisation",
    what="grid minimiser of the average loss of 40 labels against their frequencies p̂",
)
close(
    grid[np.argmin(grid_losses, axis=0)],
    np.eye(n),
    atol=1 / (4 * steps),
    kind="optimisation",
    what="grid minimiser of a single label's loss −log q_y against e_y, each y",
)

# Statistical: 20,000 repetitions of 40 labels; the mean of (p̂ᵢ − pᵢ)² must lie within 5 standard
# errors of pᵢ(1 − pᵢ)/N in every coordinate (the standard error of a variance estimate).
repeated_frequencies = rng.multinomial(sample_size, p_example, size=20_000) / sample_size
statistical(
    (repeated_frequencies - p_example) ** 2,
    p_example * (1 - p_example) / sample_size,
    what="mean of (p̂ᵢ − pᵢ)² over 20,000 samples of 40 labels against pᵢ(1 − pᵢ)/N",
)

# Exactly: the count of class i among N labels is Binomial(N, pᵢ), so E(p̂ᵢ − pᵢ)² is the sum over
# counts k of its probability times (k/N − pᵢ)², a polynomial in pᵢ (sympy's Poly arithmetic,
# fast at N = 40).
p_i = sp.Symbol("p_i", positive=True)
probability, one = sp.Poly(p_i, p_i, domain="QQ"), sp.Poly(1, p_i, domain="QQ")
squared_miss = sum(
    (
        sp.binomial(sample_size, k)
        * probability**k
        * (one - probability) ** (sample_size - k)
        * (one * sp.Rational(k, sample_size) - probability) ** 2
        for k in range(sample_size + 1)
    ),
    0 * one,
).as_expr()
symbolic(
    squared_miss,
    p_i * (1 - p_i) / sample_size,
    what=r"sympy, N = 40: $\mathbb{E}(\hat p_i - p_i)^2 = p_i(1 - p_i)/N$ exactly",
)

# The statement's formulas, read as the expressions checked above. The average loss of the 40
# labels, label by label, against H(p̂, q) = −Σᵢ p̂ᵢ log qᵢ, for q a vector of symbols.
q = sp.Matrix(sp.symbols("q1:4", positive=True))
empirical = sp.Matrix([sp.nsimplify(value) for value in frequencies])
names = {
    "N": sample_size,
    "q": q,
    r"\hat p": empirical,
    r"\sum_k \log q_{y_k}": sum(sp.log(q[label]) for label in labels),
}
states(
    r"-\frac1N \sum_k \log q_{y_k}",
    -sum(empirical[i] * sp.log(q[i]) for i in range(n)),
    names=names,
)
states(r"q = \hat p", None, sp.Matrix(grid[np.argmin(average_loss)]), names=names)
states(
    r"\mathbb{E}(\hat p_i - p_i)^2 = p_i (1 - p_i) / N",
    squared_miss,
    p_i * (1 - p_i) / sample_size,
    names={"N": sample_size, "p_i": p_i, r"\mathbb{E}(\hat p_i - p_i)^2": squared_miss},
)
first_label = labels[0]
states(
    r"q = e_{y_1}",
    None,
    sp.Matrix(grid[np.argmin(grid_losses, axis=0)][first_label]),
    names={"e_y_1": sp.eye(n).col(first_label)},
)
