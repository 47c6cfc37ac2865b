"""Gradients of the Bernoulli NLL for t = 1 through the canonical (logit) and the probit links."""

import math

import numpy as np
from figures import PALETTE, figure_html, new_figure

f = np.linspace(-6.0, 4.0, 401)
sigmoid = 1 / (1 + np.exp(-f))
# Φ(f) and 1 − Φ(f) = Φ(−f) through erfc, which keeps its accuracy in the tails.
probit = np.vectorize(math.erfc)(-f / math.sqrt(2)) / 2
probit_complement = np.vectorize(math.erfc)(f / math.sqrt(2)) / 2
density = np.exp(-(f**2) / 2) / math.sqrt(2 * math.pi)
probit_weight = density / (probit * probit_complement)
target = 1.0

fig, (gradient_axes, weight_axes) = new_figure(ncols=2, width=8.0, height=3.6)
gradient_axes.plot(f, sigmoid - target, color=PALETTE[0], label="logit: σ(f) − t")
gradient_axes.plot(f, (probit - target) * probit_weight, color=PALETTE[3], label="probit")
gradient_axes.plot(
    f, probit - target, color=PALETTE[3], linestyle="--", linewidth=1, label="probit: Φ(f) − t"
)
gradient_axes.set_xlabel("score f")
gradient_axes.set_ylabel("∂NLL/∂f for target t = 1")
gradient_axes.legend(loc="lower right")
weight_axes.plot(f, np.ones_like(f), color=PALETTE[0], label="logit (canonical)")
weight_axes.plot(f, probit_weight, color=PALETTE[3], label="probit")
weight_axes.plot(f, np.abs(f), color="black", linestyle=":", linewidth=1, label="|f|")
weight_axes.set_xlabel("score f")
weight_axes.set_ylabel("weight on the residual")
weight_axes.legend(loc="upper right")
print(
    figure_html(
        fig,
        "Left: the derivative of the Bernoulli negative log-likelihood with respect to the"
        " score $f$, for the target $t = 1$. With the canonical logit link it is the residual"
        r" $\sigma(f) - t$, which stays between $-1$ and $0$; with the probit link it is the"
        r" residual $\Phi(f) - t$ (dashed) times a weight, and for confident mistakes (very"
        " negative $f$) it grows without bound. Right: that weight,"
        r" $\varphi(f) / \bigl(\Phi(f)\,(1 - \Phi(f))\bigr)$, against the constant $1$ of the"
        " canonical link; for large $|f|$ it grows like $|f|$ (dotted).",
    )
)
