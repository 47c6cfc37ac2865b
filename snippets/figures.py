"""Figures as inline SVG that read in light and dark themes and are the same on every build.

A page's figure script draws with matplotlib and prints `figure_html(fig, caption)` in a
``python exec="on" html="on"`` block. Black becomes ``currentColor``, so axes and text take the
page's text colour; the line colours (Okabe–Ito) read on white and on the dark theme.

>>> fig, ax = new_figure()
>>> _ = ax.plot([0, 1], [0, 1])
>>> html = figure_html(fig, "A rising line.")
>>> html.startswith('<figure class="plot">'), "currentColor" in html, "#000000" in html
(True, True, False)
"""

from __future__ import annotations

import html
import io
import re

import matplotlib

matplotlib.use("Agg")  # no display: figures are only ever written to SVG

import matplotlib.pyplot as plt

# Okabe–Ito colours that keep contrast on both themes' backgrounds (the yellow is left out).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"]
_STYLE = {
    "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#8888884d",
    "font.size": 11,
    "lines.linewidth": 2.0,
    "legend.frameon": False,
    # Text stays text (searchable, sharp, themed); fixed ids make builds reproducible.
    "svg.fonttype": "none",
    "svg.hashsalt": "prediction-minus-target",
}


# One style for every figure of the site; matplotlib reads it when artists are created.
matplotlib.rcParams.update(_STYLE)


def new_figure(ncols: int = 1, width: float = 7.0, height: float = 3.6):
    """A figure and its axes in the site's style."""
    return plt.subplots(1, ncols, figsize=(width, height), layout="constrained")


def figure_html(fig, caption: str) -> str:
    """The figure as an inline SVG in a <figure>, its caption also its accessible name."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and doctype
    svg = re.sub(r"#000000\b|\bblack\b", "currentColor", svg)
    label = html.escape(caption, quote=True)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    return f'<figure class="plot">{svg}<figcaption>{html.escape(caption)}</figcaption></figure>'
