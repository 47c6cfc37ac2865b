"""Render TeX to KaTeX HTML at build time, so that no math JavaScript reaches the browser.

KaTeX runs in an embedded V8 (mini-racer). Its CSS and fonts are served from the same
vendored copy (``vendor/katex``), so the markup and the stylesheet always match.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

from py_mini_racer import MiniRacer

from sitebuild.equations import display_html, number_formula

KATEX_DIR = Path(__file__).resolve().parent.parent / "vendor" / "katex"

# Returns {"html": ...} or {"error": ...}: KaTeX's own exception would carry its whole source.
_RENDER_JS = """
function renderTex(tex, options) {
  try { return {html: katex.renderToString(tex, options)}; }
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


class TexError(ValueError):
    """TeX that KaTeX cannot parse."""


class KatexRenderer:
    """One V8 context with KaTeX loaded; renders TeX strings to HTML."""

    def __init__(self, macros: dict[str, str] | None = None) -> None:
        self.macros = dict(macros or {})
        # Rendering is a pure function of the TeX: `mkdocs serve` renders each formula once.
        self._rendered: dict[tuple[str, bool], str] = {}

    @cached_property
    def _context(self) -> MiniRacer:
        context = MiniRacer()
        context.eval((KATEX_DIR / "katex.min.js").read_text(encoding="utf-8"))
        context.eval(_RENDER_JS)
        return context

    @cached_property
    def version(self) -> str:
        return self._context.eval("katex.version")

    def render(self, tex: str, *, display: bool) -> str:
        if (tex, display) not in self._rendered:
            self._rendered[tex, display] = self._render(tex, display)
        return self._rendered[tex, display]

    def _render(self, tex: str, display: bool) -> str:
        options = {
            "displayMode": display,
            "throwOnError": True,
            # Unknown commands are errors, not red text on the page.
            "strict": "error",
            # A copy: KaTeX writes \gdef definitions into the macros object it is given.
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


def css_version(css_path: Path = KATEX_DIR / "katex.min.css") -> str:
    """The KaTeX version a stylesheet was made for (KaTeX writes it into the CSS)."""
    match = re.search(r'katex-version:?:after\{content:"([^"]+)"\}', css_path.read_text("utf-8"))
    if match is None:
        raise ValueError(f"no KaTeX version in {css_path}")
    return match[1]
