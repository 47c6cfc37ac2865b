r"""A one-hot label $e_y$ is itself a distribution over the classes, and when $y$ is drawn from
the target $p$ its expectation is the target: $\mathbb{E}_{y \sim p}[e_y] = \sum_y p_y e_y = p$."""

import numpy as np
import sympy as sp
from checks import statistical, symbolic

# Symbolic, three classes: the expectation of the one-hot vector, Σ_y p_y e_y, is p itself.
n = 3
p = sp.symbols(f"p1:{n + 1}", nonnegative=True)
one_hot = sp.eye(n)
expected_one_hot = sum((p[y] * one_hot.col(y) for y in range(n)), sp.zeros(n, 1))
symbolic(expected_one_hot, sp.Matrix(p), what="sympy, 3 classes: Σ_y p_y e_y = p")

# Monte Carlo: 20,000 labels drawn from p; the mean of their one-hot vectors must lie within
# 5 standard errors of p in every coordinate (a seeded stream; no exact sampled value is asserted).
classes = 5
identity = np.eye(classes)
rng = np.random.default_rng(2)
p_example = np.array([0.05, 0.1, 0.2, 0.25, 0.4])
labels = rng.choice(classes, size=20_000, p=p_example)
statistical(identity[labels], p_example, what="mean of e_y over 20,000 labels y ~ p against p")
