r"""For linear regression with inputs $X \in \mathbb{R}^{N \times k}$ (row $n$ is the input
$a_n^\top$), weights $w \in \mathbb{R}^k$, predictions $x = Xw$ and targets $y \in \mathbb{R}^N$,
$\nabla_w \tfrac12 \lVert Xw - y \rVert^2 = X^\top (Xw - y) = \sum_n (x_n - y_n)\, a_n$: every
example contributes its prediction minus target, times its input. Entry by entry, with
$E = \tfrac12 \lVert Xw - y \rVert^2$,
$\frac{\partial E}{\partial w_j} = \sum_{n=1}^{N} (x_n - y_n)\, \frac{\partial x_n}{\partial w_j}
= \sum_{n=1}^{N} X_{nj}\, (x_n - y_n) = \bigl(X^\top (Xw - y)\bigr)_j$.
The symbolic proof is for $N = 3$ examples and $k = 2$ weights."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import mse, mse_grad

# Symbolic, N = 3 examples and k = 2 weights: differentiate ½ Σₙ (Xw − y)ₙ² by each weight.
N, k = 3, 2
X = sp.Matrix(N, k, lambda n, j: sp.Symbol(f"X{n + 1}{j + 1}", real=True))
w = sp.Matrix(sp.symbols(f"w1:{k + 1}", real=True))
y = sp.Matrix(sp.symbols(f"y1:{N + 1}", real=True))
residual = X * w - y
loss = sum(r**2 for r in residual) / 2
symbolic(
    [sp.diff(loss, w_j) for w_j in w],
    X.T * residual,
    what="sympy, N = 3, k = 2: ∇_w ½‖Xw − y‖² = Xᵀ(Xw − y)",
)

# Numeric: 200 random weight vectors for one random data set (N = 20, k = 4). Central
# differences of the summed site mse against Σₙ mse_grad(xₙ, yₙ) aₙ. The loss reaches 190
# here, so rounding error is a few ε·190/h ≈ 4e-8: atol 2e-7. The loss is quadratic in w, so
# central differences have no truncation error.
rng = np.random.default_rng(0)
inputs = rng.normal(size=(20, 4))
targets = rng.normal(size=20)
weights = rng.normal(size=(200, 4))


def total_loss(w):
    """½‖Xw − y‖² for a batch of weight vectors, shape (..., k) → (...)."""
    return mse(w @ inputs.T, targets).sum(axis=-1)


predictions = weights @ inputs.T
close(
    numerical_gradient(total_loss, weights),
    mse_grad(predictions, targets) @ inputs,  # row b: Σₙ (xₙ − yₙ) aₙ
    atol=2e-7,
    what="finite differences of ½‖Xw − y‖² against Σₙ (xₙ − yₙ) aₙ, 200 weight vectors",
)

# The statement's formulas, read as the expressions checked above.
gradient = sp.Matrix([sp.diff(loss, w_j) for w_j in w])
names = {"X": X, "w": w, "y": y, "x": X * w, r"\nabla_w \tfrac12 \lVert Xw - y \rVert^2": gradient}
states(r"x = Xw", X * w, X * w, names=names)
# The sum over examples, written out from the rows aₙᵀ of X: an independent route to Xᵀ(Xw − y).
predictions = X * w
names[r"\sum_n (x_n - y_n)\, a_n"] = sum(
    ((predictions[n] - y[n]) * X.row(n).T for n in range(N)), sp.zeros(k, 1)
)
states(
    r"\nabla_w \tfrac12 \lVert Xw - y \rVert^2 = X^\top (Xw - y) = \sum_n (x_n - y_n)\, a_n",
    gradient,
    X.T * residual,
    X.T * residual,
    names=names,
)
states(r"X \in \mathbb{R}^{N \times k}", X, None, names=names, relations=(r"\in",))
states(r"w \in \mathbb{R}^k", w, None, names=names, relations=(r"\in",))
states(r"y \in \mathbb{R}^N", y, None, names=names, relations=(r"\in",))
states(r"a_n^\top", X.row(0), names={"a_n": X.row(0).T})
states(r"N = 3", None, sp.Integer(X.rows), names={})
states(r"k = 2", None, sp.Integer(X.cols), names={})

# Entry by entry, the chain rule over the examples: each sum written out over n, the last
# side the entry j of Xᵀ(Xw − y).
for j in range(k):
    entry = {
        r"\frac{\partial E}{\partial w_j}": gradient[j],
        r"\sum_{n=1}^{N} (x_n - y_n)\, \frac{\partial x_n}{\partial w_j}": sum(
            (predictions[n] - y[n]) * sp.diff(predictions[n], w[j]) for n in range(N)
        ),
        r"\sum_{n=1}^{N} X_{nj}\, (x_n - y_n)": sum(
            X[n, j] * (predictions[n] - y[n]) for n in range(N)
        ),
        r"\bigl(X^\top (Xw - y)\bigr)_j": (X.T * residual)[j],
    }
    states(
        r"\frac{\partial E}{\partial w_j} = \sum_{n=1}^{N} (x_n - y_n)\,"
        r" \frac{\partial x_n}{\partial w_j} = \sum_{n=1}^{N} X_{nj}\, (x_n - y_n)"
        r" = \bigl(X^\top (Xw - y)\bigr)_j",
        gradient[j],
        gradient[j],
        gradient[j],
        gradient[j],
        names=entry,
    )
states(r"E = \tfrac12 \lVert Xw - y \rVert^2", None, loss, names=names)
