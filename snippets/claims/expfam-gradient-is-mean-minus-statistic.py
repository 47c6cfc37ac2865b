r"""For an exponential family $p(y \mid \eta) = h(y)\, \exp\bigl(\eta\, T(y) - A(\eta)\bigr)$,
$A(\eta) = \log \int h(y)\, e^{\eta\, T(y)}\, dy$ (a sum for discrete $y$), $-\log p(y \mid \eta) =
A(\eta) - \eta\, T(y) - \log h(y)$ has $\frac{\partial}{\partial \eta} \bigl(-\log p(y \mid
\eta)\bigr) = A'(\eta) - T(y)$ with $A'(\eta) = \int T(y)\, h(y)\, e^{\eta T(y) - A(\eta)}\, dy =
\int T(y)\, p(y \mid \eta)\, dy = \mathbb{E}_{\eta}\bigl[T(y)\bigr]$ (and $A''(\eta) =
\operatorname{Var}_\eta[T(y)]$): the gradient is mean minus statistic, $\frac{\partial}{\partial
\eta} \bigl(-\log p(y \mid \eta)\bigr) = \mathbb{E}_{\eta}[T] - T(y)$; $\eta - y$ for the
unit-variance Gaussian ($A = \eta^2/2$), $\sigma(\eta) - t$ for the Bernoulli ($A = \ln(1 +
e^{\eta})$), $\operatorname{softmax}(z) - e_y$ for the categorical ($A = \operatorname{LSE}(z)$),
$e^{\eta} - k$ for the Poisson ($A = e^{\eta}$). The general case is proved on a four-point support
with any $h$ and $T$."""

import math

import numpy as np
import sympy as sp
import tex
from checks import close, states, symbolic

eta = sp.Symbol("eta", real=True)

# Symbolic, the general statement on a support of four points with arbitrary positive base
# measure h and arbitrary statistic T: A = ln Σ h e^{ηT}, and A' is the average of T under
# the weights h e^{ηT − A}, which are the probabilities p(y | η); A'' is their variance.
h = sp.symbols("h1:5", positive=True)
T = sp.symbols("T1:5", real=True)
A = sp.log(sum(h_y * sp.exp(eta * T_y) for h_y, T_y in zip(h, T, strict=True)))
probabilities = [h_y * sp.exp(eta * T_y - A) for h_y, T_y in zip(h, T, strict=True)]
mean = sum(T_y * p_y for T_y, p_y in zip(T, probabilities, strict=True))
symbolic(
    sp.diff(A, eta), mean, what="sympy, any h and T on 4 points: A'(η) = Σ T(y) p(y | η) = E[T]"
)
symbolic(
    sp.diff(A, eta, 2),
    sum(T_y**2 * p_y for T_y, p_y in zip(T, probabilities, strict=True)) - mean**2,
    what="sympy, any h and T on 4 points: A''(η) = E[T²] − E[T]² = Var T",
)

# Symbolic, the gradient in general: −ln p(y | η) = A(η) − ηT(y) − ln h(y), whose derivative in η
# is A'(η) − T(y), at each point of the support (the logarithm expanded first: h > 0).
for T_y, p_y in zip(T, probabilities, strict=True):
    symbolic(
        sp.diff(sp.expand_log(-sp.log(p_y), force=True), eta),
        sp.diff(A, eta) - T_y,
        what="sympy, any h and T on 4 points: d/dη (−ln p(y | η)) = A'(η) − T(y)",
    )

# Symbolic, each family: its negative log-likelihood written in its usual parameters (mean,
# probability, rate) with the natural parameter substituted, differentiated by sympy, against
# A'(η) − T(y) with the stated A.
y = sp.Symbol("y", real=True)
t = sp.Symbol("t", real=True)
k = sp.Symbol("k", integer=True, nonnegative=True)
sigmoid = 1 / (1 + sp.exp(-eta))
rate = sp.exp(eta)
families = {
    # name: (−log p(y | η) in the usual parameters, A(η), T(y))
    "Gaussian": (sp.log(sp.sqrt(2 * sp.pi)) + (y - eta) ** 2 / 2, eta**2 / 2, y),
    "Bernoulli": (-t * sp.log(sigmoid) - (1 - t) * sp.log(1 - sigmoid), sp.log(1 + sp.exp(eta)), t),
    "Poisson": (-k * sp.log(rate) + rate + sp.log(sp.factorial(k)), sp.exp(eta), k),
}
for name, (nll, log_partition, statistic) in families.items():
    symbolic(
        sp.diff(sp.expand_log(nll, force=True), eta),
        sp.diff(log_partition, eta) - statistic,
        what=f"sympy, {name}: d/dη of the NLL = A'(η) − T(y)",
    )
# The categorical family, 3 classes: natural parameters z, statistic e_y, A = LSE(z).
z = sp.Matrix(sp.symbols("z1:4", real=True))
lse = sp.log(sum(sp.exp(z_i) for z_i in z))
softmax = z.applyfunc(sp.exp) / sum(sp.exp(z_i) for z_i in z)
lse_gradient = sp.Matrix([sp.diff(lse, z_i) for z_i in z])
for label in range(3):
    e_y = sp.eye(3).col(label)
    symbolic(
        [sp.diff(-sp.log(softmax[label]), z_i) for z_i in z],
        lse_gradient - e_y,
        what=f"sympy, categorical, y = {label + 1}: ∇_z(−log q_y) = ∇LSE(z) − e_y",
    )

# Symbolic, the means of the two finite families: E[t] = σ(η) = A'(η) for the Bernoulli, and
# E[e_y] = Σ_y q_y e_y = softmax(z) = ∇LSE(z) for the categorical.
symbolic(
    1 * sigmoid + 0 * (1 - sigmoid),
    sp.diff(sp.log(1 + sp.exp(eta)), eta),
    what="sympy, Bernoulli: E[t] = A'(η)",
)
symbolic(
    sum((softmax[label] * sp.eye(3).col(label) for label in range(3)), sp.zeros(3, 1)),
    lse_gradient,
    what="sympy, categorical: E[e_y] = ∇LSE(z)",
)

# Numeric, the means of the two infinite families at five natural parameters each.
# Gaussian: E[y] by the trapezoid rule on η ± 12 over 4001 points, accurate to rounding for a
# Gaussian, with tails beyond 12 standard deviations holding ≈ 4e-33: atol 1e-12 against A' = η.
# Poisson: Σ k p(k) over k ≤ 200, with p(k) = exp(kη − e^η − ln k!); at rate e^η ≤ 20 the terms
# beyond 200 are below 1e-100, and each term is rounded relatively: rtol 1e-12 against e^η.
etas = np.array([-2.0, -0.5, 0.0, 1.3, 3.0])
gaussian_means = []
for natural in etas:
    grid = np.linspace(natural - 12, natural + 12, 4001)
    density = np.exp(-((grid - natural) ** 2) / 2) / np.sqrt(2 * np.pi)
    gaussian_means.append(np.trapezoid(grid * density, grid))
close(gaussian_means, etas, atol=1e-12, what="Gaussian: ∫ y p(y | η) dy against A'(η) = η")
counts = np.arange(201)
log_factorials = np.array([math.lgamma(count + 1) for count in counts])
poisson_pmf = np.exp(counts * etas[:, None] - np.exp(etas)[:, None] - log_factorials)
close(
    poisson_pmf @ counts,
    np.exp(etas),
    rtol=1e-12,
    what="Poisson: Σ k p(k | η) against A'(η) = e^η",
)

# The statement's formulas, read as the expressions checked above: the general ones at each
# point y of the four-point support, with h, T and A as there.
general = {"eta": eta, "A": sp.Lambda(eta, A), "A'": sp.Lambda(eta, sp.diff(A, eta))}
general |= {"A''": sp.Lambda(eta, sp.diff(A, eta, 2))}
general[r"\mathbb{E}_\eta[T(y)]"] = mean
general[r"\operatorname{Var}_\eta[T(y)]"] = (
    sum(T_y**2 * p_y for T_y, p_y in zip(T, probabilities, strict=True)) - mean**2
)
states(
    r"A''(\eta) = \operatorname{Var}_\eta[T(y)]",
    sp.diff(A, eta, 2),
    general[r"\operatorname{Var}_\eta[T(y)]"],
    names=general,
)
# The integrals: over the four points, h and T unknown functions of a placeholder y that each
# point replaces by its own h_y and T_y (the counting measure: dy weighs each point by 1).
y_placeholder = sp.Symbol("y_placeholder")
h_of, T_of = sp.Function("h"), sp.Function("T")
points = [
    {h_of(y_placeholder): h_y, T_of(y_placeholder): T_y, y_placeholder: index}
    for index, (h_y, T_y) in enumerate(zip(h, T, strict=True))
]
p_of = sp.Function("p")(y_placeholder, eta)
for point, p_y in zip(points, probabilities, strict=True):
    point[p_of] = p_y
integral = {**general, "y": y_placeholder, "h": h_of, "T": T_of, r"\int": tex.operator(points)}
integral |= {r"\, dy": 1, r"p(y \mid \eta)": p_of, r"\mathbb{E}_{\eta}\bigl[T(y)\bigr]": mean}
states(r"A(\eta) = \log \int h(y)\, e^{\eta\, T(y)}\, dy", A, A, names=integral)
states(
    r"A'(\eta) = \int T(y)\, h(y)\, e^{\eta T(y) - A(\eta)}\, dy"
    r" = \int T(y)\, p(y \mid \eta)\, dy = \mathbb{E}_{\eta}\bigl[T(y)\bigr]",
    sp.diff(A, eta),
    mean,
    mean,
    mean,
    names=integral,
)
# At one point of the support: the four are alike, each with its own symbols h_y and T_y.
for point, (h_y, T_y, p_y) in enumerate(zip(h[:1], T[:1], probabilities[:1], strict=True)):
    at_point = {**general, "y": point, "h": lambda _, h_y=h_y: h_y, "T": lambda _, T_y=T_y: T_y}
    at_point |= {r"p(y \mid \eta)": p_y, r"\mathbb{E}_{\eta}[T]": mean}
    states(
        r"p(y \mid \eta) = h(y)\, \exp\bigl(\eta\, T(y) - A(\eta)\bigr)",
        p_y,
        h_y * sp.exp(eta * T_y - A),
        names=at_point,
    )
    states(
        r"-\log p(y \mid \eta) = A(\eta) - \eta\, T(y) - \log h(y)",
        -sp.log(p_y),
        A - eta * T_y - sp.log(h_y),
        names=at_point,
    )
    states(
        r"\frac{\partial}{\partial \eta} \bigl(-\log p(y \mid \eta)\bigr) = A'(\eta) - T(y)",
        sp.diff(-sp.log(p_y), eta),
        sp.diff(A, eta) - T_y,
        names=at_point,
    )
    states(
        r"\frac{\partial}{\partial \eta} \bigl(-\log p(y \mid \eta)\bigr) = \mathbb{E}_{\eta}[T]"
        r" - T(y)",
        sp.diff(-sp.log(p_y), eta),
        mean - T_y,
        names=at_point,
    )
# Each family: its gradient and its log-partition.
for name, formulas in {
    "Gaussian": (r"\eta - y", r"A = \eta^2/2"),
    "Bernoulli": (r"\sigma(\eta) - t", r"A = \ln(1 + e^{\eta})"),
    "Poisson": (r"e^{\eta} - k", r"A = e^{\eta}"),
}.items():
    nll, log_partition, statistic = families[name]
    names = {"eta": eta, "y": y, "t": t, "k": k}
    states(formulas[0], sp.diff(sp.expand_log(nll, force=True), eta), names=names)
    states(formulas[1], None, log_partition, names=names)
for label in range(3):
    names = {"z": z, "e_y": sp.eye(3).col(label)}
    states(
        r"\operatorname{softmax}(z) - e_y",
        [sp.diff(-sp.log(softmax[label]), z_i) for z_i in z],
        names=names,
    )
states(r"A = \operatorname{LSE}(z)", None, lse, names={"z": z})
