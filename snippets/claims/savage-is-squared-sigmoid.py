r"""The Savage margin loss is four times the squared error of the sigmoid probability:
with $t = (1 + y)/2$, $\frac{4}{(1 + e^{yf})^2} = 4\,\bigl(\sigma(f) - t\bigr)^2$."""

import numpy as np
import sympy as sp
from checks import close, states, symbolic

# Symbolic, one label at a time: for y = +1, 1/(1 + e^f) = 1 − σ(f); for y = −1,
# 1/(1 + e^{−f}) = σ(f).
f = sp.Symbol("f", real=True)
sigmoid = 1 / (1 + sp.exp(-f))
for y in (1, -1):
    t = (1 + y) // 2
    symbolic(
        4 / (1 + sp.exp(y * f)) ** 2,
        4 * (sigmoid - t) ** 2,
        what=f"sympy, y = {y:+d}: 4/(1 + e^(yf))² = 4(σ(f) − t)²",
    )

# Numeric: both sides in numpy at 1000 random scores in [−20, 20]; both are at most 4 and are
# computed with a few roundings each, so they agree to ≈ 1e-15: atol 1e-14.
rng = np.random.default_rng(3)
scores = rng.uniform(-20, 20, size=1000)
labels = rng.choice([-1.0, 1.0], size=1000)
close(
    4 / (1 + np.exp(labels * scores)) ** 2,
    4 * (1 / (1 + np.exp(-scores)) - (1 + labels) / 2) ** 2,
    atol=1e-14,
    what="4/(1 + e^(yf))² against 4(σ(f) − t)², 1000 points",
)

# The statement's formulas, read as the expressions checked above.
y = sp.Symbol("y", real=True)
t = (1 + y) / 2
for label in (1, -1):
    names = {"y": label, "f": f, "t": t.subs(y, label), "sigma": sp.Lambda(f, sigmoid)}
    states(
        r"\frac{4}{(1 + e^{yf})^2} = 4\,\bigl(\sigma(f) - t\bigr)^2",
        4 / (1 + sp.exp(label * f)) ** 2,
        4 * (sigmoid - (1 + label) // 2) ** 2,
        names=names,
    )
states(r"t = (1 + y)/2", None, t, names={"y": y})
