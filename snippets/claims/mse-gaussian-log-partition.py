r"""For unit variance, $\mathcal N(y; \eta, 1) = h(y)\, e^{\eta y - A(\eta)}$ with base measure
$h(y) = e^{-y^2/2} / \sqrt{2\pi}$ and log-partition
$A(\eta) = \log \int h(y)\, e^{\eta y}\, dy = \eta^2/2$, so the negative log-likelihood
$A(\eta) - \eta y - \log h(y)$ has gradient $A'(\eta) - y = \eta - y$: the $\tfrac12$ of
$\tfrac12(x - y)^2$ is the $\tfrac12$ of $A(\eta) = \eta^2/2$."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic

y, eta = sp.symbols("y eta", real=True)
base = sp.exp(-(y**2) / 2) / sp.sqrt(2 * sp.pi)
log_partition = eta**2 / 2
gaussian = sp.exp(-((y - eta) ** 2) / 2) / sp.sqrt(2 * sp.pi)

# Symbolic: completing the square, h(y) e^{ηy} = e^{η²/2} N(y; η, 1), i.e. the density is
# h(y) e^{ηy − A(η)}; since N(y; η, 1) integrates to 1, ∫ h(y) e^{ηy} dy = e^{A(η)}.
symbolic(
    sp.powsimp(base * sp.exp(eta * y)),
    sp.powsimp(sp.exp(log_partition) * gaussian),
    what=r"sympy: $h(y)\, e^{\eta y} = e^{\eta^2/2}\, \mathcal{N}(y; \eta, 1)$",
)
nll = log_partition - eta * y - sp.log(base)
symbolic(
    sp.expand(sp.expand_log(nll, force=True)),
    sp.expand((eta - y) ** 2 / 2 + sp.log(2 * sp.pi) / 2),
    what="sympy: A(η) − ηy − log h(y) = ½(η − y)² + ½ log 2π",
)
symbolic(sp.diff(nll, eta), eta - y, what="sympy: d/dη (A(η) − ηy − log h(y)) = η − y")

# Numeric: A(η) = log ∫ h(y) e^{ηy} dy by the trapezoid rule on η ± 12 (4001 points; for a
# Gaussian integrand this is accurate to rounding, the tails hold 4e-33), against η²/2.
for natural_parameter in [-2.0, 0.0, 0.7, 3.0]:
    targets = np.linspace(natural_parameter - 12, natural_parameter + 12, 4001)
    integrand = np.exp(-(targets**2) / 2 + natural_parameter * targets) / np.sqrt(2 * np.pi)
    close(
        np.log(np.trapezoid(integrand, targets)),
        natural_parameter**2 / 2,
        atol=1e-12,
        what=f"log ∫ h(y) e^(ηy) dy = η²/2 at η = {natural_parameter}",
    )

# The statement's formulas, read as the expressions checked above.
names = {"y": y, "eta": eta, "h": sp.Lambda(y, base), "A": sp.Lambda(eta, log_partition)}
names["A'"] = sp.Lambda(eta, sp.diff(log_partition, eta))
names[r"\mathcal N(y; \eta, 1)"] = gaussian
names[r"\log \int h(y)\, e^{\eta y}\, dy"] = log_partition  # its value checked above at 4 points
states(r"\mathcal N(y; \eta, 1) = h(y)\, e^{\eta y - A(\eta)}", gaussian, gaussian, names=names)
states(r"h(y) = e^{-y^2/2} / \sqrt{2\pi}", base, base, names=names)
states(
    r"A(\eta) = \log \int h(y)\, e^{\eta y}\, dy = \eta^2/2",
    log_partition,
    None,
    log_partition,
    names=names,
)
states(r"A(\eta) - \eta y - \log h(y)", nll, names=names)
states(r"A'(\eta) - y = \eta - y", sp.diff(nll, eta), eta - y, names=names)
states(r"\tfrac12(x - y)^2", (eta - y) ** 2 / 2, names={**names, "x": eta})
states(r"A(\eta) = \eta^2/2", log_partition, log_partition, names=names)

# The statement's formulas, read as the expressions checked above.
states(r"\tfrac12", sp.Poly(log_partition, eta).coeff_monomial(eta**2), names=names)
