"""Binary cross entropy from a logit, for both targets, and its derivative σ(z) − t."""

import numpy as np
from figures import figure_html, new_figure

z = np.linspace(-6.0, 6.0, 400)
sigmoid = 1 / (1 + np.exp(-z))

fig, (left, right) = new_figure(ncols=2, height=3.4)
for t in (1, 0):
    left.plot(z, np.logaddexp(0.0, z) - t * z, label=f"t = {t}")
    right.plot(z, sigmoid - t, label=f"t = {t}")
left.set_xlabel("logit z")
left.set_ylabel("softplus(z) − tz")
left.legend(loc="upper center")
right.axhline(0, color="black", linewidth=0.8)
right.set_ylim(-1.05, 1.05)
right.set_xlabel("logit z")
right.set_ylabel("derivative σ(z) − t")
right.legend(loc="upper left")
print(
    figure_html(
        fig,
        "Left: binary cross entropy as a function of the logit $z$, for target $t = 1$ (small"
        " when $z$ is large) and $t = 0$ (small when $z$ is very negative); on the wrong side it"
        r" grows like $|z|$. Right: its derivative $\sigma(z) - t$, prediction minus target,"
        " between $-1$ and $1$: it is largest in size for the most confident mistakes.",
    )
)
