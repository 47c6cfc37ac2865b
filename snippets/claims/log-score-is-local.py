r"""With $n \ge 3$ classes the loss of a one-hot target, $H(e_y, q) = -\log q_y$, is local: it
depends on $q$ only through $q_y$, whereas moving probability between two other classes changes the
Brier loss $\lVert q - e_y \rVert^2$ and the spherical loss $-q_y / \lVert q \rVert$. A smooth local
loss $f(q_y)$ whose expectation is stationary at $q = p$ for every $p$ has $p_i f'(p_i) = p_j
f'(p_j)$ for all classes $i, j$, so $u f'(u) = c$ and $f(u) = c \log u + d$: with $c < 0$, the log
loss up to a positive scale and a shift (derived for three classes). A local loss without it is not
proper: the expectation of $-\sqrt{q_y}$ is minimised at $q = p^2 / \sum_i p_i^2$, not at $p$."""

import numpy as np
import sympy as sp
from checks import close, numerical_gradient, states, symbolic
from losses import cross_entropy

# Symbolic, three classes, label y = 1: the rate of change of each loss when probability moves
# from class 3 to class 2 (direction e₂ − e₃, which keeps q_y and Σq fixed).
q = sp.symbols("q1:4", positive=True)
norm = sp.sqrt(sum(q_i**2 for q_i in q))
one_hot_losses = {
    "log": -sp.log(q[0]),
    "Brier": (q[0] - 1) ** 2 + q[1] ** 2 + q[2] ** 2,
    "spherical": -q[0] / norm,
}
rates = {name: sp.diff(loss, q[1]) - sp.diff(loss, q[2]) for name, loss in one_hot_losses.items()}
symbolic(rates["log"], 0, what="sympy: −log q_y does not change along e₂ − e₃")
symbolic(rates["Brier"], 2 * (q[1] - q[2]), what="sympy: the Brier loss changes at 2(q₂ − q₃)")
symbolic(  # expanded: both sides are then the same sum of terms q_y qⱼ/‖q‖³
    sp.expand(rates["spherical"]),
    sp.expand(q[0] * (q[1] - q[2]) / norm**3),
    what="sympy: the spherical loss changes at q_y(q₂ − q₃)/‖q‖³",
)

# Numeric: central differences of the three losses, with the site's cross_entropy for the log
# loss (z = log q, so softmax(z) = q/Σq), at 1,000 random q of 5 classes, label y = 0, along
# e₁ − e₂. Losses are below about 4; rounding in a central difference is ≈ ε·4/h ≈ 1e-9 and the
# truncation error O(h²) is far smaller, so 1e-7 leaves room.
rng = np.random.default_rng(7)
cases, classes = 1_000, 5
# Mixed with the uniform distribution, so that every qᵢ ≥ 0.02 and a step h = 1e-6 stays positive.
q_values = 0.9 * rng.dirichlet(np.ones(classes), size=cases) + 0.1 / classes
direction = np.zeros(classes)
direction[1:3] = [1.0, -1.0]
e_0 = np.eye(classes)[0]
numeric_losses = {
    "log": lambda q_: cross_entropy(np.broadcast_to(e_0, q_.shape), np.log(q_)),
    "Brier": lambda q_: np.sum((q_ - e_0) ** 2, axis=-1),
    "spherical": lambda q_: -q_[..., 0] / np.linalg.norm(q_, axis=-1),
}
expected_rates = {
    "log": np.zeros(cases),
    "Brier": 2 * (q_values[:, 1] - q_values[:, 2]),
    "spherical": q_values[:, 0]
    * (q_values[:, 1] - q_values[:, 2])
    / np.linalg.norm(q_values, axis=-1) ** 3,
}
for name, loss in numeric_losses.items():
    close(
        numerical_gradient(loss, q_values) @ direction,
        expected_rates[name],
        atol=1e-7,
        what=f"finite-difference rate of the {name} loss along e₁ − e₂, 1,000 random q",
    )

# Symbolic: a local loss f(q_y) has expected value E(q) = Σ pᵢ f(qᵢ). On the simplex, with
# q₃ = 1 − q₁ − q₂, its slope in q₁ at q = p is p₁f'(p₁) − p₃f'(p₃). Stationarity for every p
# therefore needs u f'(u) to take the same value at any u = p₁ and v = p₃ with u + v < 1, which
# (with a third class to absorb the rest) makes u f'(u) a constant c on (0, 1).
f = sp.Function("f")
p = sp.symbols("p1:4", positive=True)
q_free = sp.symbols("r1:3", positive=True)
on_simplex_q = [q_free[0], q_free[1], 1 - q_free[0] - q_free[1]]
expected_local = sum(p_i * f(q_i) for p_i, q_i in zip(p, on_simplex_q, strict=True))
at_target = {q_free[0]: p[0], q_free[1]: p[1]}
slope_at_p = sp.diff(expected_local, q_free[0]).subs(at_target).doit()
u, c = sp.Symbol("u", positive=True), sp.Symbol("c", real=True)
f_prime = sp.diff(f(u), u)
# The same slope from the partial derivatives of Σ pᵢ f(qᵢ) off the simplex, at q = p: moving
# probability from class 3 to class 1 changes it at ∂E/∂q₁ − ∂E/∂q₃, so it is stationary there
# exactly when the two partials are equal (classes i = 1, j = 3 of the statement).
q_any = sp.symbols("s1:4", positive=True)
expected_any = sum(p_i * f(q_i) for p_i, q_i in zip(p, q_any, strict=True))
partials_at_p = [sp.diff(expected_any, q_k).subs(dict(zip(q_any, p, strict=True))) for q_k in q_any]
symbolic(
    slope_at_p.subs(p[2], 1 - p[0] - p[1]),
    (partials_at_p[0] - partials_at_p[2]).subs(p[2], 1 - p[0] - p[1]),
    what="sympy: slope of Σ pᵢ f(qᵢ) on the simplex in q₁ at q = p is ∂E/∂q₁ − ∂E/∂q₃",
)
# Then f(u) − c log u has derivative (u f'(u) − c)/u = 0 on (0, 1): it is a constant d, so
# f(u) = c log u + d. (For a minimum rather than a maximum, c < 0: the log loss −log u, scaled.)
symbolic(
    sp.diff(f(u) - c * sp.log(u), u),
    (u * f_prime - c) / u,
    what="sympy: d/du [f(u) − c log u] = (u f'(u) − c)/u",
)
# The last step by sympy's ODE solver: every solution of u f'(u) = c is c log u plus a constant.
solution = sp.dsolve(sp.Eq(u * f_prime, c), f(u)).rhs
(integration_constant,) = solution.free_symbols - {u, c}
symbolic(
    solution,
    c * sp.log(u) + integration_constant,
    what="sympy dsolve: u f'(u) = c gives f(u) = c log u + C",
)
# The log loss is the solution with c = −1 and no shift: c < 0 makes it a loss to minimise.
log_loss_scale = -1
symbolic(
    solution.subs({c: log_loss_scale, integration_constant: 0}),
    -sp.log(u),
    what="sympy: c = −1, C = 0 gives −log u",
)

# Optimisation: a smooth local loss without u f'(u) constant is not proper. For f(u) = −√u,
# u f'(u) = −√u/2, and by Cauchy–Schwarz Σ pᵢ√qᵢ ≤ ‖p‖ on the simplex, with equality at
# q = p²/Σp²: the expected loss is minimised there, not at p. The log loss, on the same grid, is
# minimised at p. Grid of step 1/400 over the simplex (qᵢ > 0): its minimiser is within a step or
# two of the exact one, so tolerance 2/400, while p²/Σp² is 0.18 from p.
steps = 400
i, j = np.meshgrid(np.arange(1, steps), np.arange(1, steps), indexing="ij")
inside = i + j < steps
grid = np.stack([i[inside], j[inside], steps - i[inside] - j[inside]], axis=-1) / steps
p_example = np.array([0.6, 0.3, 0.1])
square_root_loss = -sp.sqrt(u)
for name, local_loss, minimiser in [
    ("−√q_y", sp.lambdify(u, square_root_loss, "numpy"), p_example**2 / np.sum(p_example**2)),
    ("−log q_y", lambda q_: -np.log(q_), p_example),
]:
    close(
        grid[np.argmin(local_loss(grid) @ p_example)],
        minimiser,
        atol=2 / steps,
        kind="optimisation",
        what=f"grid minimiser of the expected local loss {name} at p = (0.6, 0.3, 0.1)",
    )

# The statement's formulas, read as the expressions checked above (label y = 1, three classes).
one_hot = sp.eye(3).col(0)
names = {
    "n": len(q),
    "q": sp.Matrix(q),
    "q_y": q[0],
    "e_y": one_hot,
    "H": lambda target, model: -sum(t * sp.log(m) for t, m in zip(target, model, strict=True)),
}
states(r"n \ge 3", len(q), len(q), names=names, relations=(r"\ge",))
states(r"H(e_y, q) = -\log q_y", one_hot_losses["log"], one_hot_losses["log"], names=names)
states(r"\lVert q - e_y \rVert^2", one_hot_losses["Brier"], names=names)
states(r"-q_y / \lVert q \rVert", one_hot_losses["spherical"], names=names)
states(r"-\sqrt{q_y}", square_root_loss.subs(u, q[0]), names=names)
on_simplex_p = sp.Matrix([p[0], p[1], 1 - p[0] - p[1]])
states(r"q = p", None, sp.Matrix(on_simplex_q).subs(at_target), names={"p": on_simplex_p})
solved = {
    "u": u,
    "c": c,
    "d": integration_constant,
    "f": sp.Lambda(u, solution),
    "f'": sp.Lambda(u, sp.diff(solution, u)),
}
states(
    r"p_i f'(p_i) = p_j f'(p_j)",
    partials_at_p[0],
    partials_at_p[2],
    names={"p_i": p[0], "p_j": p[2], "f'": sp.Lambda(u, f_prime)},
)
states(r"u f'(u) = c", u * sp.diff(solution, u), c, names=solved)
states(r"f(u) = c \log u + d", solution, c * sp.log(u) + integration_constant, names=solved)
states(r"c < 0", log_loss_scale, 0, names={"c": log_loss_scale}, relations=("<",))
example = sp.Matrix([sp.nsimplify(value) for value in p_example])
states(
    r"q = p^2 / \sum_i p_i^2",
    None,
    sp.Matrix(p_example**2 / np.sum(p_example**2)),
    names={"p": example, r"\sum_i p_i^2": sum(example.applyfunc(lambda v: v**2))},
)
