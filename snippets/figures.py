"""Figures as inline SVG that read in light and dark themes and are the same on every build.

A page's figure script draws with matplotlib and prints `figure_html(fig, caption)` in a
``python exec="on" html="on"`` block. Black becomes ``currentColor``, so axes and text take the
page's text colour; the line colours (Okabe–Ito hues) keep 3:1 on white and on the dark theme.

>>> fig, ax = new_figure()
>>> _ = ax.plot([0, 1], [0, 1])
>>> html = figure_html(fig, "A rising line.")
>>> html.startswith('<figure class="plot">'), "currentColor" in html, "#000000" in html
(True, True, False)
"""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections import Counter

import matplotlib

matplotlib.use("Agg")  # no display: figures are only ever written to SVG

import matplotlib.pyplot as plt

# Okabe–Ito hues (the yellow left out), their lightness moved just enough for a contrast of
# at least 3.5:1 with both themes' backgrounds (white, #1e2129), so that a line keeps 3:1 on
# its own translucent band too; the orange and the sky blue had 2.3:1 on white.
PALETTE = ["#007BC0", "#B77E00", "#009C71", "#D55E00", "#C66A9D", "#1B90D2"]
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


def _luminance(rgb) -> float:
    """WCAG 2 relative luminance of an sRGB colour with channels in [0, 1]."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# Black that stays black in the dark theme, where #000000 becomes the page's text colour.
FIXED_BLACK = "#000001"


def text_colour_on(rgb) -> str:
    """Black or white, whichever contrasts more with an opaque cell of colour `rgb` (channels
    in [0, 1]); one of the two always reaches 4.58:1, above WCAG's 4.5:1 for text.

    >>> text_colour_on((1.0, 1.0, 0.8)), text_colour_on((0.2, 0.1, 0.4))
    ('#000001', 'white')
    """
    luminance = _luminance(rgb)
    on_black, on_white = (luminance + 0.05) / 0.05, 1.05 / (luminance + 0.05)
    return FIXED_BLACK if on_black >= on_white else "white"


def new_figure(ncols: int = 1, width: float = 7.0, height: float = 3.6):
    """A figure and its axes in the site's style."""
    return plt.subplots(1, ncols, figsize=(width, height), layout="constrained")


# A reference to an id inside an SVG: xlink:href="#id" or url(#id); group 2 is the id.
_ID_REFERENCE = re.compile(r'(href="#|url\(#)([^")]+)')


def _unique_ids(svg: str) -> str:
    """Prefix the SVG's ids (matplotlib numbers them per figure: figure_1, axes_1, ...) with a
    hash of the figure, so that two figures on one page share no id.

    >>> _unique_ids('<g id="a"><use xlink:href="#a"/><path clip-path="url(#a)"/></g>')
    '<g id="f485a6637-a"><use xlink:href="#f485a6637-a"/><path clip-path="url(#f485a6637-a)"/></g>'
    """
    prefix = "f" + hashlib.sha1(svg.encode()).hexdigest()[:8] + "-"
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', svg)
    return _ID_REFERENCE.sub(lambda m: m[1] + prefix + m[2] if m[2] in ids else m[0], svg)


# Geometry attributes, where matplotlib writes six decimals: 0.01 pt is a fiftieth of a pixel
# on a 504 pt wide figure, so two decimals draw the same figure in about 13 % fewer bytes.
_GEOMETRY = re.compile(r'\b(d|x|y|width|height|transform)="([^"]*)"')
_LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")


def _two_decimals(value: float) -> str:
    return f"{round(value, 2) or 0.0:.2f}".rstrip("0").rstrip(".")  # `or`: no "-0"


def _compact(svg: str) -> str:
    """The same drawing in less markup: coordinates to 0.01 pt, no indentation or comments,
    no ids that nothing refers to (matplotlib names every group), and the text font named once
    on the <svg> (the labels inherit it) instead of on every label.

    >>> svg = _compact('<svg a="1">\\n <path d="M 1.123456 2.5 \\nL 3.999999 -0.000001 \\n"/>\\n'
    ...                '<text style="font-size: 11px; font-family: X" x="0.5">2.125</text></svg>')
    >>> svg.split("><")  # the label's text 2.125 is no coordinate
    ['<svg style="font-family: X" a="1"', 'path d="M 1.12 2.5 L 4 0"/',
     'text style="font-size: 11px" x="0.5">2.125</text', '/svg>']

    >>> _compact('<svg><!-- a comment --><g id="axes_1"><path id="m1" d="M 0 0"/></g>'
    ...          '<use xlink:href="#m1"/></svg>')
    '<svg><g><path id="m1" d="M 0 0"/></g><use xlink:href="#m1"/></svg>'

    Mathtext glyphs name the list's first family alone (X): they inherit the whole list too,
    so that where X is missing they fall back like the other text, not to the browser's default
    serif. A glyph or label in another family keeps its own.

    >>> label = '<text style="font-family: X, Y">a</text>'
    >>> mathtext = '<text><tspan style="font-family: X">b</tspan><tspan style="font-family: Z">c'
    >>> _compact(f'<svg a="1">{label}{mathtext}</tspan></text>{label}</svg>').split("><")
    ['<svg style="font-family: X, Y" a="1"', 'text>a</text', 'text', 'tspan>b</tspan',
     'tspan style="font-family: Z">c</tspan', '/text', 'text>a</text', '/svg>']
    """

    def round_geometry(match: re.Match) -> str:
        values = _LONG_DECIMAL.sub(lambda m: _two_decimals(float(m[0])), match[2])
        return f'{match[1]}="{" ".join(values.split())}"'

    svg = _GEOMETRY.sub(round_geometry, svg)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r">\s+<", "><", svg)
    referenced = {match[2] for match in _ID_REFERENCE.finditer(svg)}
    svg = re.sub(r' id="([^"]+)"', lambda m: m[0] if m[1] in referenced else "", svg)
    families = Counter(re.findall(r"font-family: ([^;\"]+)", svg))
    if not families:
        return svg
    # The one written most often in total (mathtext labels name a shorter one of their own).
    family = max(families, key=lambda name: families[name] * len(name))
    declaration = f"font-family: {family}"
    inherited = {declaration, f"font-family: {family.split(',')[0].strip()}"}

    def drop_family(match: re.Match) -> str:
        kept = [part for part in match[1].split("; ") if part not in inherited]
        return f' style="{"; ".join(kept)}"' if kept else ""

    svg = re.sub(r' style="([^"]*)"', drop_family, svg)
    return svg.replace("<svg ", f'<svg style="{declaration}" ', 1)


# matplotlib's SVG begins with <style>*{stroke-linejoin: round; stroke-linecap: butt}</style>.
# Inline in a page, that is a stylesheet of the whole page: when the parser reaches it, the
# browser styles every element again (on a long page, a second of a phone's time).
_STYLE_FOR_ALL = re.compile(r'<defs><style type="text/css">\*\{([^}]*)\}</style></defs>')


def _style_on_root(svg: str) -> str:
    """The <style> for every element of the drawing, as attributes of its root, which the
    elements inherit (stroke-linejoin and stroke-linecap are inherited properties).

    >>> _style_on_root('<svg a="1"><defs><style type="text/css">*{stroke-linejoin: round; '
    ...                'stroke-linecap: butt}</style></defs><path/></svg>')
    '<svg stroke-linejoin="round" stroke-linecap="butt" a="1"><path/></svg>'
    """
    match = _STYLE_FOR_ALL.search(svg)
    if match is None:
        return svg
    declarations = [part.split(":") for part in match[1].split(";") if part.strip()]
    attributes = " ".join(f'{name.strip()}="{value.strip()}"' for name, value in declarations)
    svg = svg[: match.start()] + svg[match.end() :]
    return svg.replace("<svg ", f"<svg {attributes} ", 1)


class CaptionNotShown(AssertionError):
    """A sentence of a caption that the figure's data do not bear out."""


def shown(sentence: str, holds) -> str:
    """A sentence of a caption, with the test that the plotted data show what it says.

    A caption states what its script asserts: a changed script whose figure no longer shows
    the sentence fails its block, and with it the build.

    >>> shown("The line rises.", 2 > 1)
    'The line rises.'
    >>> shown("The line falls.", 2 < 1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    figures.CaptionNotShown: the caption says 'The line falls.', but the figure's data do not...
    """
    if not bool(holds):
        raise CaptionNotShown(
            f"the caption says {sentence!r}, but the figure's data do not show it"
        )
    return sentence


# $…$ in a caption: TeX, set as the prose's inline math is (pymdownx.arithmatex's markup, which
# the build renders with KaTeX), so that a caption names what is plotted in the same notation.
_CAPTION_MATH = re.compile(r"\$([^$]+)\$")


def caption_html(caption: str) -> str:
    r"""A caption's HTML: its text escaped, each $…$ inline math for the page to typeset.

    >>> print(caption_html(r"Where $q_y < 1$ & more."))
    Where <span class="arithmatex">\(q_y &lt; 1\)</span> &amp; more.
    >>> caption_html("costs $5")
    Traceback (most recent call last):
    ...
    ValueError: caption 'costs $5' has a $ without its pair: write math as $…$
    """
    pieces = _CAPTION_MATH.split(caption)
    texts, formulas = pieces[::2], pieces[1::2]
    if any("$" in text for text in texts):
        raise ValueError(f"caption {caption!r} has a $ without its pair: write math as $…$")
    math = [f'<span class="arithmatex">\\({html.escape(tex)}\\)</span>' for tex in formulas]
    pieces = [html.escape(texts[0])]
    for formula, text in zip(math, texts[1:], strict=True):
        pieces += [formula, html.escape(text)]
    return "".join(pieces)


def figure_html(fig, caption: str) -> str:
    """The figure as an inline SVG in a <figure>; its caption (text with $…$ math, see
    caption_html) is also the drawing's accessible name."""
    buffer = io.StringIO()
    # No metadata: its RDF block is not allowed in HTML, and a date would change every build.
    no_metadata = dict.fromkeys(["Creator", "Date", "Format", "Type"])
    fig.savefig(buffer, format="svg", transparent=True, metadata=no_metadata)
    plt.close(fig)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration and doctype
    svg = _unique_ids(svg)
    svg = _compact(svg)
    svg = _style_on_root(svg)
    svg = re.sub(r"#000000\b|\bblack\b", "currentColor", svg)
    # Named by its caption, whose typeset math reads as words (KaTeX labels each formula).
    caption_id = "f" + hashlib.sha1(svg.encode()).hexdigest()[:8] + "-caption"
    # Text carries no fill of its own (SVG's default is black): it inherits the page's colour.
    svg = svg.replace(
        "<svg ", f'<svg role="img" aria-labelledby="{caption_id}" fill="currentColor" ', 1
    )
    # Tick labels are no search terms; the caption is indexed. (The search plugin removes this
    # attribute from the page once it has read it.)
    svg = svg.replace("<svg ", '<svg data-search-exclude="figure" ', 1)
    figcaption = f'<figcaption id="{caption_id}">{caption_html(caption)}</figcaption>'
    return f'<figure class="plot">{svg}{figcaption}</figure>'
