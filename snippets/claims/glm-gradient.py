r"""For a generalised linear model with the canonical link, natural parameters $\eta = Xw$ (row $n$
of $X$ is the input $a_n^\top$) and summed negative log-likelihood $\sum_n \bigl(A(\eta_n) -
T(y_n)\, \eta_n\bigr)$ up to a constant, $\nabla_w = X^\top\bigl(A'(Xw) - T(y)\bigr) = \sum_n (\mu_n
- T(y_n))\, a_n$, that is $\nabla_w \sum_n \bigl(A(\eta_n) - T(y_n)\, \eta_n\bigr) = \sum_n
\bigl(A'(\eta_n) - T(y_n)\bigr)\, a_n = X^\top\bigl(\mu - T(y)\bigr)$ with means $\mu = A'(Xw)$:
prediction minus target times input; $X^\top(e^{Xw} - k)$ for Poisson, $X^\top(\sigma(Xw) - t)$ for
logistic, $\nabla_W = X^\top(\operatorname{softmax}(XW) - Y)$ for softmax regression (weights $W$,
one-hot target rows $Y$). Proved for $N = 3$ examples, two weights."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import cross_entropy, cross_entropy_grad

# Symbolic, N = 3 examples and 2 weights, for the Poisson and Bernoulli families: sympy
# differentiates the summed NLL by each weight; the means are A'(η) = e^η and σ(η).
N, d = 3, 2
X = sp.Matrix(N, d, lambda n, j: sp.Symbol(f"X{n + 1}{j + 1}", real=True))
w = sp.Matrix(sp.symbols(f"w1:{d + 1}", real=True))
y = sp.Matrix(sp.symbols(f"y1:{N + 1}", real=True))
natural = X * w
families = {
    # name: (A(η), A'(η))
    "Poisson": (sp.exp, sp.exp),
    "Bernoulli": (lambda u: sp.log(1 + sp.exp(u)), lambda u: 1 / (1 + sp.exp(-u))),
}
for name, (log_partition, mean) in families.items():
    nll = sum(log_partition(natural[n]) - y[n] * natural[n] for n in range(N))
    symbolic(
        [sp.diff(nll, w_j) for w_j in w],
        X.T * (natural.applyfunc(mean) - y),
        what=f"sympy, {name}, N = 3, 2 weights: ∇_w NLL = Xᵀ(A'(Xw) − T(y))",
    )

# Symbolic, softmax regression, N = 3 examples, 2 inputs, 3 classes, labels (1, 3, 2): sympy
# differentiates Σₙ −log softmax(aₙᵀW)_{yₙ} by each entry of W.
classes = 3
W = sp.Matrix(d, classes, lambda j, c: sp.Symbol(f"W{j + 1}{c + 1}", real=True))
scores = X * W
labels_symbolic = (0, 2, 1)
Y = sp.Matrix(N, classes, lambda n, c: int(c == labels_symbolic[n]))
row_sums = [sum(sp.exp(scores[n, c]) for c in range(classes)) for n in range(N)]
Q = sp.Matrix(N, classes, lambda n, c: sp.exp(scores[n, c]) / row_sums[n])
softmax_regression_nll = sum(sp.log(row_sums[n]) - scores[n, labels_symbolic[n]] for n in range(N))
softmax_regression_gradient = sp.Matrix(
    d, classes, lambda j, c: sp.diff(softmax_regression_nll, W[j, c])
)
symbolic(
    softmax_regression_gradient,
    X.T * (Q - Y),
    what="sympy, softmax regression, N = 3, 2 inputs, 3 classes: ∇_W NLL = Xᵀ(softmax(XW) − Y)",
)

# Numeric: one random data set of N = 30 examples with 4 inputs, and 100 random weight vectors
# (a weight matrix of 4 × 3 for softmax regression, flattened). Central differences of each
# summed NLL against Xᵀ(prediction − target). The NLLs stay below ≈ 200, so the quotient's
# rounding error is a few ε·200/h ≈ 4e-8 per weight: atol 3e-7.
rng = np.random.default_rng(7)
inputs = rng.normal(size=(30, 4))
weights = rng.normal(scale=0.5, size=(100, 4))
counts = rng.poisson(np.exp(inputs @ rng.normal(scale=0.5, size=4)))
labels = rng.integers(0, 2, size=30).astype(float)


def poisson_nll(w):
    """Σₙ e^{ηₙ} − kₙηₙ for a batch of weight vectors (the ln k! terms do not depend on w)."""
    natural = w @ inputs.T
    return (np.exp(natural) - counts * natural).sum(axis=-1)


def logistic_nll(w):
    """Σₙ ln(1 + e^{ηₙ}) − tₙηₙ for a batch of weight vectors."""
    natural = w @ inputs.T
    return (np.logaddexp(0.0, natural) - labels * natural).sum(axis=-1)


close(
    numerical_gradient(poisson_nll, weights),
    (np.exp(weights @ inputs.T) - counts) @ inputs,
    atol=3e-7,
    what=r"Poisson regression: finite differences against $X^\top(e^{Xw} - k)$, 100 weight vectors",
)
close(
    numerical_gradient(logistic_nll, weights),
    (1 / (1 + np.exp(-weights @ inputs.T)) - labels) @ inputs,
    atol=3e-7,
    what="logistic regression: finite differences against Xᵀ(σ(Xw) − t), 100 weight vectors",
)

# Softmax regression with 3 classes, through the site's cross_entropy and cross_entropy_grad.
one_hot = np.eye(classes)[rng.integers(0, classes, size=30)]
weight_matrices = rng.normal(scale=0.5, size=(100, 4 * classes))


def softmax_nll(flat_w):
    """Σₙ H(e_{yₙ}, softmax(aₙᵀW)) for a batch of flattened weight matrices."""
    logits = inputs @ flat_w.reshape(*flat_w.shape[:-1], 4, classes)
    return cross_entropy(np.broadcast_to(one_hot, logits.shape), logits).sum(axis=-1)


logits = inputs @ weight_matrices.reshape(100, 4, classes)
residuals = cross_entropy_grad(np.broadcast_to(one_hot, logits.shape), logits)  # Q − Y
close(
    numerical_gradient(softmax_nll, weight_matrices),
    (inputs.T @ residuals).reshape(100, 4 * classes),
    atol=3e-7,
    what="softmax regression: finite differences against Xᵀ(softmax(XW) − Y), 100 matrices",
)

# The statement's formulas, read as the expressions checked above. A sum over the examples,
# \sum_n, is read term by term: its terms are written with placeholders for example n, which
# it replaces by the values of each example in turn.
example = sp.Symbol("n", integer=True)
eta_n, y_n, mu_n = (sp.IndexedBase(name)[example] for name in ("eta", "y", "mu"))
a_n = sp.Matrix([sp.IndexedBase("a")[example, j] for j in range(d)])


def summing_with(mean):
    """\\sum_n for a family with the given mean function: the sum of its term at every example."""

    def sum_over_examples(term):
        def at(n):
            values = {eta_n: natural[n], y_n: y[n], mu_n: mean(natural[n])}
            values |= {a_n[j]: X[n, j] for j in range(d)}
            return term.xreplace(values)

        return sum((at(n) for n in range(1, N)), at(0))

    sum_over_examples.takes_product = True
    return sum_over_examples


for name, (log_partition, mean) in families.items():
    nll = sum(log_partition(natural[n]) - y[n] * natural[n] for n in range(N))
    names = {"X": X, "w": w, "y": y, "k": y, "t": y, "eta_n": eta_n, "y_n": y_n, "mu_n": mu_n}
    names |= {"a_n": a_n, "A": log_partition, "A'": lambda u, mean=mean: u.applyfunc(mean)}
    names |= {"T": lambda u: u, r"\sum_n": summing_with(mean)}
    names[r"\nabla_w"] = sp.Matrix([sp.diff(nll, w_j) for w_j in w])
    residual = natural.applyfunc(mean) - y
    states(r"\sum_n \bigl(A(\eta_n) - T(y_n)\, \eta_n\bigr)", nll, names=names)
    gradient_names = {**names, "mu": natural.applyfunc(mean), "A'": mean}
    gradient_names[r"\nabla_w \sum_n \bigl(A(\eta_n) - T(y_n)\, \eta_n\bigr)"] = names[r"\nabla_w"]
    states(
        r"\nabla_w \sum_n \bigl(A(\eta_n) - T(y_n)\, \eta_n\bigr)"
        r" = \sum_n \bigl(A'(\eta_n) - T(y_n)\bigr)\, a_n = X^\top\bigl(\mu - T(y)\bigr)",
        names[r"\nabla_w"],
        X.T * (natural.applyfunc(mean) - y),
        X.T * (natural.applyfunc(mean) - y),
        names=gradient_names,
    )
    states(r"\mu = A'(Xw)", None, natural.applyfunc(mean), names=names)
    states(
        r"\nabla_w = X^\top\bigl(A'(Xw) - T(y)\bigr) = \sum_n (\mu_n - T(y_n))\, a_n",
        [sp.diff(nll, w_j) for w_j in w],
        X.T * residual,
        X.T * residual,
        names=names,
    )
    if name == "Poisson":
        states(r"X^\top(e^{Xw} - k)", X.T * residual, names={**names, "e": sp.E})
    else:
        states(r"X^\top(\sigma(Xw) - t)", X.T * residual, names={**names, "sigma": names["A'"]})
states(r"\eta = Xw", natural, X * w, names={"eta": natural, "X": X, "w": w})
names = {"X": X, "W": W, "Y": Y, r"\nabla_W": softmax_regression_gradient}
names["softmax"] = lambda rows: rows.applyfunc(sp.exp).multiply_elementwise(
    sp.Matrix(N, classes, lambda n, c: 1 / row_sums[n])
)
states(
    r"\nabla_W = X^\top(\operatorname{softmax}(XW) - Y)",
    softmax_regression_gradient,
    X.T * (Q - Y),
    names=names,
)
for n in range(N):
    states(r"a_n^\top", X.row(n), names={"a_n": X.row(n).T})  # row n of X
states(r"N = 3", None, N, names={})
