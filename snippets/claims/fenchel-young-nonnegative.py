r"""For each of the three regularisers $\Omega$ (squared norm, negative entropy on the simplex,
squared norm on the simplex) the Fenchel–Young inequality
$\Omega^*(z) \ge \langle z, p \rangle - \Omega(p)$ holds for every target $p$, so the loss
$L_\Omega(z; p) = \Omega^*(z) + \Omega(p) - \langle z, p \rangle \ge 0$, and each of the three
losses (squared error, softmax cross entropy, sparsemax loss) satisfies $L_\Omega(z; p) \ge
\tfrac12\|\nabla\Omega^*(z) - p\|^2 \ge 0$, so it is zero exactly
when the prediction $\nabla\Omega^*(z)$ equals the target $p$."""

import numpy as np
import sympy as sp
from checks import close, states
from losses import logsumexp, softmax, sparsemax


def neg_entropy(p):
    with np.errstate(divide="ignore", invalid="ignore"):  # 0·log 0 counts 0
        return np.sum(np.where(p > 0, p * np.log(p), 0.0), axis=-1)


def half_squared_norm(a):
    return 0.5 * np.sum(a**2, axis=-1)


# Each loss from its definition Ω*(z) + Ω(p) − ⟨z, p⟩, with its prediction ∇Ω*(z).
def squared_error(z, p):
    return half_squared_norm(z) + half_squared_norm(p) - np.sum(z * p, axis=-1), z


def softmax_cross_entropy(z, p):
    return logsumexp(z) + neg_entropy(p) - np.sum(z * p, axis=-1), softmax(z)


def sparsemax_loss(z, p):
    pi = sparsemax(z)
    conjugate = np.sum(z * pi, axis=-1) - half_squared_norm(pi)
    return conjugate + half_squared_norm(p) - np.sum(z * p, axis=-1), pi


# Each conjugate Ω*(z) and regulariser Ω(p) on its own, for the inequality as written.
conjugates = {
    "squared error": half_squared_norm,
    "softmax cross entropy": logsumexp,
    "sparsemax loss": lambda z: np.sum(z * sparsemax(z), axis=-1) - half_squared_norm(sparsemax(z)),
}
regularisers = {
    "squared error": half_squared_norm,
    "softmax cross entropy": neg_entropy,
    "sparsemax loss": half_squared_norm,
}

# 5,000 random pairs of 4 classes: logits of scales 0.1 to 10, targets anywhere on the simplex,
# a quarter of them one-hot labels and the others Dirichlet draws, many close to the edges.
rng = np.random.default_rng(8)
cases, classes = 5_000, 4
logits = rng.normal(size=(cases, classes)) * rng.choice([0.1, 1.0, 10.0], size=(cases, 1))
targets = rng.dirichlet(np.full(classes, 0.3), size=cases)
targets[: cases // 4] = np.eye(classes)[rng.integers(0, classes, size=cases // 4)]

for name, loss in (
    ("squared error", squared_error),
    ("softmax cross entropy", softmax_cross_entropy),
    ("sparsemax loss", sparsemax_loss),
):
    values, prediction = loss(logits, targets)
    conjugate, regulariser = conjugates[name](logits), regularisers[name](targets)
    inner = np.sum(logits * targets, axis=-1)
    # The chain as written, at 10 cases, one-hot targets among them: the middle read from the
    # formula, each ≥ evaluated by sympy on the numbers. For squared error the first ≥ is an
    # equality, so L gets the rounding allowance of the check below, 1e-11.
    for case in list(range(5)) + list(range(cases - 5, cases)):
        allowed = sp.Float(values[case]) + sp.Float(1e-11)
        names = {"p": sp.Matrix(targets[case]), r"L_\Omega(z; p)": allowed}
        names[r"\nabla\Omega^*(z)"] = sp.Matrix(prediction[case])
        numbers = {
            r"\Omega^*(z)": sp.Float(conjugate[case]),
            r"\Omega(p)": sp.Float(regulariser[case]),
        }
        numbers[r"\langle z, p \rangle"] = sp.Float(inner[case])
        states(
            r"\Omega^*(z) \ge \langle z, p \rangle - \Omega(p)",
            sp.Float(conjugate[case]) + sp.Float(1e-11),  # the rounding allowance, as below
            sp.Float(inner[case] - regulariser[case]),
            names=numbers,
            relations=(r"\ge",),
        )
        states(
            r"L_\Omega(z; p) = \Omega^*(z) + \Omega(p) - \langle z, p \rangle \ge 0",
            sp.Float(values[case]),
            sp.Float(values[case]),
            0,
            names={**numbers, r"L_\Omega(z; p)": sp.Float(values[case])},
            relations=("=", r"\ge"),
        )
        states(
            r"L_\Omega(z; p) \ge \tfrac12\|\nabla\Omega^*(z) - p\|^2 \ge 0",
            allowed,
            sp.Float(half_squared_norm(prediction[case] - targets[case])),
            0,
            names=names,
            relations=(r"\ge", r"\ge"),
        )
    # The lower bound: L − ½‖prediction − p‖² must not be negative beyond rounding. Terms reach
    # about 200 (logits of scale 10), each rounded to about 3e-14: 1e-11 leaves room.
    close(
        np.minimum(values - half_squared_norm(prediction - targets), 0.0),
        np.zeros(cases),
        atol=1e-11,
        kind="optimisation",
        what=f"{name}: L_Ω(z; p) ≥ ½‖∇Ω*(z) − p‖², 5,000 random pairs",
    )
    # Zero at the prediction: with the target p = ∇Ω*(z) (a point of the simplex for the last
    # two, exact zeros included for sparsemax) the loss is 0 up to the same rounding.
    at_prediction, _ = loss(logits, prediction)
    close(
        at_prediction,
        np.zeros(cases),
        atol=1e-11,
        what=f"{name}: L_Ω(z; ∇Ω*(z)) = 0, 5,000 cases",
    )

# The prediction ∇Ω*(z), as the gradient sympy takes of the conjugates ½‖z‖² and LSE(z) at the
# first case, against the predictions the losses above use.
z_symbols = sp.symbols(f"z1:{classes + 1}", real=True)
at_case = dict(zip(z_symbols, (sp.Float(value) for value in logits[0]), strict=True))
for conjugate, loss in (
    (sum(z_k**2 for z_k in z_symbols) / 2, squared_error),
    (sp.log(sum(sp.exp(z_k) for z_k in z_symbols)), softmax_cross_entropy),
):
    gradient = sp.Matrix([sp.diff(conjugate, z_k).subs(at_case) for z_k in z_symbols])
    _, prediction = loss(logits[:1], targets[:1])
    states(r"\nabla\Omega^*(z)", sp.Matrix(prediction[0]), names={r"\nabla\Omega^*(z)": gradient})
