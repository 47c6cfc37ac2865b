"""Render TeX to MathML at build time, so that no math JavaScript reaches the browser.

Temml (vendor/temml) runs in an embedded V8 (mini-racer) and writes MathML Core, which
browsers lay out natively. Its stylesheet is published with the site, and the math font
(Noto Sans Math, vendor/noto-sans-math) is published cut down to the characters the site's
formulas use (`subset_font`): about 23 KB instead of 270 KB.
"""

from __future__ import annotations

import functools
import html
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from py_mini_racer import MiniRacer

from sitebuild.equations import display_html, number_formula

VENDOR_DIR = Path(__file__).resolve().parent.parent / "vendor"
TEMML_DIR = VENDOR_DIR / "temml"
MATH_FONT = VENDOR_DIR / "noto-sans-math" / "NotoSansMath-Regular.woff2"
# Temml's stylesheet for Noto Sans Math names the font file this way; the site serves a subset.
_TEMML_FONT_URL = "url('NotoSansMath-Regular.ttf')"

# Returns {"html": ...} or {"error": ...}: Temml's own exception would carry its whole source.
_RENDER_JS = """
function renderTex(tex, options) {
  try { return {html: temml.renderToString(tex, options)}; }
  catch (e) { return {error: String(e.message || e)}; }
}
"""

# pymdownx.arithmatex (generic mode) output; its TeX is HTML-escaped.
_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])"
    r"\s*</(?P=tag)>",
    re.DOTALL,
)
# Markdown cells of notebooks keep their $…$ and $$…$$ delimiters in the HTML (nbconvert).
_NOTEBOOK_MARKDOWN_CELL = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)',
    re.DOTALL,
)
_DOLLAR_MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)\$", re.DOTALL)
# Temml accepts \label and shows nothing for it; here a label is either numbered or an error.
_LABEL = re.compile(r"\\label\b")
_MATH_ELEMENT = re.compile(r"<math\b.*?</math>", re.DOTALL)
_MARKUP = re.compile(r"<[^>]*>")
# A one-letter <mi> is drawn in italic: the browser swaps the letter for its mathematical
# italic code point (MathML Core, text-transform: math-auto), which the font must then hold.
_SINGLE_LETTER_MI = re.compile(r"<mi>([^<])</mi>")
# The one mathematical italic letter that Unicode keeps outside the Mathematical block.
_ITALIC_EXCEPTIONS = {"h": "\N{PLANCK CONSTANT}"}


class TexError(ValueError):
    """TeX that Temml cannot parse."""


class MathRenderer:
    """One V8 context with Temml loaded; renders TeX strings to MathML."""

    def __init__(self, macros: dict[str, str] | None = None) -> None:
        self.macros = dict(macros or {})
        # Rendering is a pure function of the TeX: `mkdocs serve` renders each formula once.
        self._rendered: dict[tuple[str, bool], str] = {}

    @functools.cached_property
    def _context(self) -> MiniRacer:
        context = MiniRacer()
        context.eval((TEMML_DIR / "temml.min.js").read_text(encoding="utf-8"))
        context.eval(_RENDER_JS)
        return context

    @functools.cached_property
    def version(self) -> str:
        return self._context.eval("temml.version")

    def render(self, tex: str, *, display: bool) -> str:
        if (tex, display) not in self._rendered:
            self._rendered[tex, display] = self._render(tex, display)
        return self._rendered[tex, display]

    def _render(self, tex: str, display: bool) -> str:
        if _LABEL.search(tex):
            raise TexError(
                "\\label is allowed only once in a display formula, with a name eq-…"
                f" (see equations.py) in TeX: {tex.strip()}"
            )
        options = {
            "displayMode": display,
            "throwOnError": True,
            # Unicode that LaTeX would not accept in math is an error, as in LaTeX.
            "strict": True,
            # A copy: Temml writes \gdef definitions into the macros object it is given.
            "macros": dict(self.macros),
        }
        result = self._context.call("renderTex", tex, options)
        if "error" in result:
            raise TexError(f"{result['error']} in TeX: {tex.strip()}")
        return result["html"]

    def render_page(
        self,
        page_html: str,
        *,
        notebook: bool = False,
        equation_numbers: Mapping[str, int] | None = None,
    ) -> tuple[str, list[str]]:
        """Replace every formula in a page; return the new HTML and the errors found.

        equation_numbers: the page's equation labels and their numbers (see equations.py).
        """
        errors: list[str] = []

        def replace(tex: str, display: bool, original: str) -> str:
            equation = None
            if display:
                tex, equation = number_formula(tex, equation_numbers or {})
            try:
                rendered = self.render(tex, display=display)
            except TexError as error:
                errors.append(str(error))
                return original
            return display_html(rendered, equation) if display else rendered

        def formula(match: re.Match) -> str:
            # Both patterns name their groups "display" and "inline".
            display = match["display"] is not None
            tex = html.unescape(match["display"] if display else match["inline"])
            return replace(tex, display, match[0])

        def notebook_cell(match: re.Match) -> str:
            return match[1] + _DOLLAR_MATH.sub(formula, match[2]) + match[3]

        page_html = _ARITHMATEX.sub(formula, page_html)
        if notebook:
            page_html = _NOTEBOOK_MARKDOWN_CELL.sub(notebook_cell, page_html)
        return page_html, errors


def math_characters(page_html: str) -> set[str]:
    """The characters a page's formulas draw from the math font.

    >>> sorted(math_characters("<p>a</p><math><mi>x</mi><mo>=</mo><mi>h</mi></math>"))
    ['=', 'h', 'x', 'ℎ', '𝑥']
    """
    characters: set[str] = set()
    for formula in _MATH_ELEMENT.findall(page_html):
        characters |= set(html.unescape(_MARKUP.sub("", formula)))
        for letter in _SINGLE_LETTER_MI.findall(formula):
            characters.add(_italic(html.unescape(letter)))
    return characters - {" ", "\n"}


def _italic(letter: str) -> str:
    if letter in _ITALIC_EXCEPTIONS:
        return _ITALIC_EXCEPTIONS[letter]
    name = unicodedata.name(letter, "")
    # "LATIN SMALL LETTER X" -> "MATHEMATICAL ITALIC SMALL X"; the same for Greek.
    italic_name = re.sub(
        r"^(?:LATIN|GREEK) (SMALL|CAPITAL) LETTER ", r"MATHEMATICAL ITALIC \1 ", name
    )
    try:
        return unicodedata.lookup(italic_name)
    except KeyError:
        return letter  # not a letter with an italic form: drawn as it is


def subset_font(characters: Iterable[str], font_path: Path = MATH_FONT) -> bytes:
    """The math font as WOFF2 with only the glyphs these characters need.

    The MATH table's larger and stretched variants of those glyphs (a display-size sum, tall
    brackets) and the OpenType features (script-size forms, primes) are kept.
    """
    return _subset_font("".join(sorted(set(characters))), font_path)


@functools.lru_cache(maxsize=4)  # `mkdocs serve` rebuilds mostly draw the same characters
def _subset_font(text: str, font_path: Path) -> bytes:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    # Without TrueType hinting instructions: 30% smaller (23 KB to 16 KB for this site), and
    # only Windows at low resolution uses them; the other systems ignore them.
    options.hinting = False
    font = TTFont(font_path, recalcTimestamp=False)  # the same characters, the same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def stylesheet(font_file_name: str) -> str:
    """Temml's stylesheet for Noto Sans Math, pointing at the site's subset of the font."""
    css = (TEMML_DIR / "Temml-NotoSans.css").read_text("utf-8")
    if _TEMML_FONT_URL not in css:
        raise ValueError(f"Temml's stylesheet no longer names its font as {_TEMML_FONT_URL}")
    return css.replace(_TEMML_FONT_URL, f"url('{font_file_name}') format('woff2')")
