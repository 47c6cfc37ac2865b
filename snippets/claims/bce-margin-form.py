r"""With the label written $y = 2t - 1 \in \{-1, +1\}$ and the logit written $f$, the binary
cross entropy is the logistic margin loss: $\operatorname{softplus}(f) - t f = \log(1 + e^{-y f})$
for both $t = 0$ and $t = 1$, and its derivative $-y\,\sigma(-y f)$ is $\sigma(f) - t$."""

import sympy as sp
from checks import states, symbolic

f = sp.Symbol("f", real=True)
for t in (0, 1):
    y = 2 * t - 1
    symbolic(
        sp.log(1 + sp.exp(f)) - t * f,
        sp.log(1 + sp.exp(-y * f)),
        what=f"sympy, t = {t} (y = {y:+d}): softplus(f) − tf = log(1 + e^(−yf))",
    )
    symbolic(
        sp.diff(sp.log(1 + sp.exp(-y * f)), f),
        -y / (1 + sp.exp(y * f)),
        what=f"sympy, t = {t}: d/df log(1 + e^(−yf)) = −y σ(−yf)",
    )
    symbolic(
        -y / (1 + sp.exp(y * f)),
        1 / (1 + sp.exp(-f)) - t,
        what=f"sympy, t = {t}: −y σ(−yf) = σ(f) − t",
    )

# The statement's formulas, read as the expressions checked above.
t_symbol, y_symbol = sp.symbols("t y", real=True)
states(
    r"y = 2t - 1 \in \{-1, +1\}",
    None,
    2 * t_symbol - 1,
    None,
    names={"t": t_symbol},
    relations=("=", r"\in"),
)
for t in (0, 1):
    y = 2 * t - 1
    names = {"t": t, "y": y, "f": f, "sigma": sp.Lambda(f, 1 / (1 + sp.exp(-f)))}
    names["softplus"] = sp.Lambda(f, sp.log(1 + sp.exp(f)))
    states(
        r"\operatorname{softplus}(f) - t f = \log(1 + e^{-y f})",
        sp.log(1 + sp.exp(f)) - t * f,
        sp.log(1 + sp.exp(-y * f)),
        names=names,
    )
    states(rf"t = {t}", None, t, names=names)  # both targets are checked
    states(r"-y\,\sigma(-y f)", -y / (1 + sp.exp(y * f)), names=names)
    states(r"\sigma(f) - t", 1 / (1 + sp.exp(-f)) - t, names=names)
