r"""A one-hot label $e_y$ is itself a distribution over the classes, and when $y$ is drawn from
the target $p$ its expectation is the target, coordinate by coordinate
$\mathbb{E}_{y \sim p}\bigl[(e_y)_i\bigr] = \sum_{y} p_y \, (e_y)_i = p_i$, that is
$\mathbb{E}_{y \sim p}[e_y] = \sum_y p_y \, e_y = p$. The symbolic proof is for three
classes."""

import numpy as np
import sympy as sp
from checks import states, statistical, symbolic
from sympy.stats import E as expectation
from sympy.stats import FiniteRV

# Symbolic, three classes: sympy.stats builds the random label Y with P(Y = y) = p_y (on the
# simplex, p₃ = 1 − p₁ − p₂) and computes the expectation of each coordinate of its one-hot
# vector, the indicator δ(Y, i), from that distribution: it must come out as p.
n = 3
p1, p2 = sp.symbols("p1 p2", nonnegative=True)
p = [p1, p2, 1 - p1 - p2]
label = FiniteRV("Y", {y: p[y] for y in range(n)})
expected_one_hot = sp.Matrix([expectation(sp.KroneckerDelta(label, i)) for i in range(n)])
symbolic(
    expected_one_hot,
    p,
    what="sympy.stats, 3 classes: E[e_Y] for P(Y = y) = p_y is p",
)

# Monte Carlo: 20,000 labels drawn from p; the mean of their one-hot vectors must lie within
# 5 standard errors of p in every coordinate (a seeded stream; no exact sampled value is asserted).
classes = 5
identity = np.eye(classes)
rng = np.random.default_rng(2)
p_example = np.array([0.05, 0.1, 0.2, 0.25, 0.4])
labels = rng.choice(classes, size=20_000, p=p_example)
statistical(identity[labels], p_example, what="mean of e_y over 20,000 labels y ~ p against p")

# The statement's formula, read as the expressions checked above: the expectation is sympy.stats'
# and the sum is written out over the three one-hot vectors.
names = {
    "p": p,
    r"\mathbb{E}_{y \sim p}[e_y]": expected_one_hot,
    r"\sum_y p_y \, e_y": sum((p[y] * sp.eye(n).col(y) for y in range(n)), sp.zeros(n, 1)),
}
states(
    r"\mathbb{E}_{y \sim p}[e_y] = \sum_y p_y \, e_y = p",
    expected_one_hot,
    sp.Matrix(p),
    sp.Matrix(p),
    names=names,
)
for i in range(n):
    coordinate = {
        "p_i": p[i],
        r"\mathbb{E}_{y \sim p}\bigl[(e_y)_i\bigr]": expected_one_hot[i],
        r"\sum_{y} p_y \, (e_y)_i": sum(p[y] * sp.eye(n)[y, i] for y in range(n)),
    }
    states(
        r"\mathbb{E}_{y \sim p}\bigl[(e_y)_i\bigr] = \sum_{y} p_y \, (e_y)_i = p_i",
        expected_one_hot[i],
        p[i],
        p[i],
        names=coordinate,
    )
