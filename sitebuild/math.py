"""Render TeX with KaTeX at build time, so that no math JavaScript reaches the browser.

KaTeX runs in an embedded V8 (mini-racer) and writes HTML that its stylesheet and fonts lay
out, labelled with its text for screen readers (`render`: no MathML is published). Its
stylesheet and all its fonts are published from the same vendored copy (vendor/katex), so the
markup, the stylesheet and the glyphs always match: every glyph a formula draws, a radical or a
tall bracket too, comes from a KaTeX font.

Why KaTeX and not MathML laid out by the browser (Temml, which this site used before): with a
math font cut down to the formulas' characters, Chromium drew no radical (`<msqrt>` draws
U+221A implicitly), primes were small detached marks in both browsers, and beside KaTeX the
browser's layout had looser big delimiters, uneven subscripts and small display sums.

This module is also the one place that finds formulas in a page's HTML (`formulas`,
`replace_formulas`): pymdownx.arithmatex's markup on Markdown pages, $…$ in notebooks' Markdown
cells. A display formula labelled `\\label{eq-name}` is rendered with its number
(`number_formula`, `display_html`; equations.py numbers the labels), and a page with formulas
gets its fonts preloaded (`preload_fonts`).
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from mkdocs.utils import get_relative_url
from py_mini_racer import MiniRacer

from sitebuild.stylesheets import class_names

KATEX_DIR = Path(__file__).resolve().parent.parent / "vendor" / "katex"
# Where KaTeX's stylesheet and fonts are published.
MATH_SITE_DIR = "assets/katex"
MATH_STYLESHEET = f"{MATH_SITE_DIR}/katex.min.css"

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
# KaTeX accepts \label and shows nothing for it; here a label is either numbered or an error.
_ANY_LABEL = re.compile(r"\\label\b")
LABEL = re.compile(r"\\label\s*\{([^{}]*)\}")
_RAW_TEX_IN_TITLE = re.compile(r"\$|\\\(|\\\[")
_MATHML_NAMESPACE = "{http://www.w3.org/1998/Math/MathML}"
_ANNOTATION = f"{_MATHML_NAMESPACE}annotation"


class TexError(ValueError):
    """TeX that KaTeX cannot parse."""


class MathRenderer:
    """One V8 context with KaTeX loaded; renders TeX strings to HTML."""

    def __init__(self, macros: dict[str, str] | None = None) -> None:
        self.macros = dict(macros or {})
        # Rendering is a pure function of the TeX: `mkdocs serve` renders each formula once.
        self._rendered: dict[tuple[str, bool, str], str] = {}

    @classmethod
    def shared(cls, macros: Mapping[str, str]) -> MathRenderer:
        """A renderer shared by the builds of this process (serve rebuilds make a new plugin)."""
        return _shared_renderer(tuple(sorted(macros.items())))

    @functools.cached_property
    def _context(self) -> MiniRacer:
        context = MiniRacer()
        context.eval((KATEX_DIR / "katex.min.js").read_text(encoding="utf-8"))
        context.eval(_RENDER_JS)
        return context

    @functools.cached_property
    def version(self) -> str:
        return self._context.eval("katex.version")

    def render(self, tex: str, *, display: bool, output: str = "html") -> str:
        """KaTeX's HTML of a formula, labelled with its text (`plain_text`); or its MathML."""
        if (tex, display, output) not in self._rendered:
            self._rendered[tex, display, output] = self._render(tex, display, output)
        return self._rendered[tex, display, output]

    def _render(self, tex: str, display: bool, output: str) -> str:
        if _ANY_LABEL.search(tex):
            raise TexError(
                "\\label is allowed only once in a display formula, with a name eq-…"
                f" (see equations.py) in TeX: {tex.strip()}"
            )
        options = {
            "displayMode": display,
            "throwOnError": True,
            # Unknown commands and characters KaTeX has no glyph for are errors, not red text
            # or a glyph from another font.
            "strict": "error",
            # A copy: KaTeX writes \gdef definitions into the macros object it is given.
            "macros": dict(self.macros),
            "output": output,
        }
        result = self._context.call("renderTex", tex, options)
        if "error" in result:
            raise TexError(f"{result['error']} in TeX: {tex.strip()}")
        if output == "mathml":
            return result["html"]
        # Screen readers read the label: the MathML that KaTeX would write beside the HTML
        # doubles the work of laying a page out, which is most of a phone's work on this site.
        label = html.escape(plain_text(self.render(tex, display=display, output="mathml")))
        return result["html"].replace(
            '<span class="katex">', f'<span class="katex" role="math" aria-label="{label}">', 1
        )

    def render_page(
        self,
        page_html: str,
        *,
        notebook: bool = False,
        equation_numbers: Mapping[str, int] | None = None,
        as_text: bool = False,
        rendered: list[tuple[str, bool]] | None = None,
    ) -> tuple[str, list[str]]:
        """Replace every formula in a page; return the new HTML and the errors found.

        equation_numbers: the page's equation labels and their numbers (see equations.py).
        as_text: each formula becomes readable text (`plain_text`), for the search index.
        rendered: gets each formula's TeX, as given to KaTeX, and whether it is displayed.
        """
        errors: list[str] = []

        def replace(formula: Formula) -> str:
            tex, equation = formula.tex, None
            if formula.display:
                tex, equation = number_formula(tex, equation_numbers or {})
            if rendered is not None:
                rendered.append((tex, formula.display))
            try:
                katex = self.render(tex, display=formula.display)
            except TexError as error:
                errors.append(str(error))
                return formula.html
            if as_text:
                mathml = self.render(tex, display=formula.display, output="mathml")
                return html.escape(plain_text(mathml))
            return display_html(katex, equation) if formula.display else katex

        new_html = replace_formulas(page_html, replace, notebook=notebook)
        if not as_text:
            page_without_formulas = replace_formulas(page_html, lambda _: " ", notebook=notebook)
            # Looked for with the formulas left out rather than rendered: KaTeX's markup
            # would be most of what the parser reads.
            errors.extend(
                f"a $ without its pair would publish raw TeX: …{text}… (a dollar sign in"
                " prose belongs in code)"
                for text in stray_dollars(page_without_formulas)
            )
        return new_html, errors


@functools.lru_cache(maxsize=4)
def _shared_renderer(macros: tuple[tuple[str, str], ...]) -> MathRenderer:
    # One V8 context per process and set of macros.
    return MathRenderer(dict(macros))


@dataclass(frozen=True)
class Formula:
    """A formula found in a page's HTML."""

    tex: str  # as written, HTML-unescaped
    display: bool
    html: str  # the markup it was found in
    start: int
    end: int


def formulas(page_html: str, *, notebook: bool = False) -> list[Formula]:
    r"""The formulas of a page's HTML, in page order; notebook: in Markdown cells too.

    >>> [(f.tex, f.display) for f in formulas(
    ...     r'<span class="arithmatex">\(a &lt; b\)</span><div class="arithmatex">\[c\]</div>')]
    [('a < b', False), ('c', True)]
    """
    found = [_formula(match) for match in _ARITHMATEX.finditer(page_html)]
    if notebook:
        for cell in _NOTEBOOK_MARKDOWN_CELL.finditer(page_html):
            found += [
                _formula(match)
                for match in _DOLLAR_MATH.finditer(page_html, cell.start(2), cell.end(2))
            ]
    return sorted(found, key=lambda formula: formula.start)


def _formula(match: re.Match) -> Formula:
    # The patterns name their groups "display" and "inline".
    display = match["display"] is not None
    tex = html.unescape(match["display"] if display else match["inline"])
    return Formula(tex, display, match[0], match.start(), match.end())


def replace_formulas(
    page_html: str,
    replace: Callable[[Formula], str],
    *,
    text: Callable[[str], str] = str,
    notebook: bool = False,
) -> str:
    """The page with each formula replaced by replace(formula), and the HTML between formulas
    by text(html)."""
    pieces, position = [], 0
    for formula in formulas(page_html, notebook=notebook):
        pieces += [text(page_html[position : formula.start]), replace(formula)]
        position = formula.end
    pieces.append(text(page_html[position:]))
    return "".join(pieces)


class Equation(NamedTuple):
    label: str
    number: int


def number_formula(tex: str, numbers: Mapping[str, int]) -> tuple[str, Equation | None]:
    """A display formula's TeX with its label replaced by `\\tag{n}`, and its label and number.

    A formula whose label the page did not number (equations.page_labels reported why) keeps
    its `\\label`, which the renderer then rejects: it is never shown silently unnumbered.
    """
    labels = LABEL.findall(tex)
    if len(labels) != 1 or labels[0] not in numbers:
        return tex, None
    equation = Equation(labels[0], numbers[labels[0]])
    return f"{LABEL.sub('', tex).rstrip()} \\tag{{{equation.number}}}", equation


def display_html(rendered: str, equation: Equation | None = None) -> str:
    """The block around a rendered display formula; a numbered one gets its id and a ¶ link.

    A <span> styled as a block: notebooks write display math inside paragraphs, where a <div>
    is not allowed.
    """
    if equation is None:
        return f'<span class="math-display">{rendered}</span>'
    label, number = equation
    return (
        f'<span class="math-display" id="{label}">{rendered}'
        f'<a class="equation-link" href="#{label}" aria-label="Link to equation ({number})">'
        "&para;</a></span>"
    )


def write_formulas(path: Path, formulas_by_page: Mapping[str, list[tuple[str, bool]]]) -> None:
    """formulas.json: each page's formulas (by source path), [TeX, displayed] as rendered, for
    the formula gallery (tools/gallery.py): KaTeX's HTML keeps no TeX. Compact: about 20 KB
    gzipped, which no page loads."""
    records = {page: found for page, found in sorted(formulas_by_page.items()) if found}
    path.write_text(json.dumps(records, ensure_ascii=False) + "\n", "utf-8")


def tex_in_headings(toc) -> list[str]:
    """Errors for the headings of a table of contents (MkDocs') that contain math."""
    errors = []
    for item in toc:
        if _RAW_TEX_IN_TITLE.search(item.title):
            errors.append(
                f"the heading '{item.title}' contains math, which the table of contents would"
                " show as raw TeX: write the heading in words"
            )
        errors += tex_in_headings(item.children)
    return errors


def katex_files() -> list[tuple[str, Path]]:
    """KaTeX's stylesheet and fonts: (path in the site, file in vendor/katex)."""
    paths = [KATEX_DIR / "katex.min.css", *sorted((KATEX_DIR / "fonts").glob("*.woff2"))]
    return [(f"{MATH_SITE_DIR}/{path.relative_to(KATEX_DIR).as_posix()}", path) for path in paths]


def preload_fonts(page_html: str, page_url: str) -> str:
    """Request the fonts that the page's formulas draw from with the stylesheets.

    KaTeX's fonts are declared font-display: block: a formula stays invisible until its font
    arrives, and the browser lays it out meanwhile with another font's widths, so lines of
    text move when the font arrives.
    """
    fonts = fonts_used(page_html)
    if not fonts:
        return page_html  # a page without formulas
    links = "".join(
        f'<link rel="preload" href="{get_relative_url(f"{MATH_SITE_DIR}/{font}", page_url or ".")}"'
        ' as="font" type="font/woff2" crossorigin>'
        for font in fonts
    )
    return page_html.replace("</head>", f"{links}\n</head>", 1)


_NOT_PROSE = frozenset({"code", "pre", "script", "style", "textarea"})


class _TextOutsideCode(HTMLParser):
    """The text of a page outside code, scripts, styles and rendered formulas."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skipped: list[str] = []  # the tags of the skipped elements open at this point
        self._depth = 0  # how deep inside the innermost skipped element's tag

    def handle_starttag(self, tag, attrs) -> None:
        if self._skipped and tag == self._skipped[-1]:
            self._depth += 1
        elif not self._skipped and (
            tag in _NOT_PROSE or "katex" in (dict(attrs).get("class") or "").split()
        ):
            self._skipped.append(tag)
            self._depth = 1

    def handle_endtag(self, tag) -> None:
        if self._skipped and tag == self._skipped[-1]:
            self._depth -= 1
            if not self._depth:
                self._skipped.pop()

    def handle_data(self, data) -> None:
        if not self._skipped:
            self.texts.append(data)


def stray_dollars(page_html: str) -> list[str]:
    """Each $ left in the text of a page whose math is rendered, with a few words around it.

    >>> stray_dollars('<p>The loss $x^2 is <code>$HOME</code></p>')
    ['The loss $x^2 is']
    """
    parser = _TextOutsideCode()
    parser.feed(page_html)
    parser.close()
    text = " ".join(" ".join(parser.texts).split())
    return [text[max(0, m.start() - 20) : m.end() + 20] for m in re.finditer(r"\$", text)]


def plain_text(mathml: str) -> str:
    """A formula's MathML as one line of readable text.

    >>> plain_text('<math><mrow><mi>q</mi><mo>−</mo><mi>p</mi></mrow></math>')
    'q − p'
    >>> plain_text('<math><mfrac><mn>1</mn><mrow><mi>x</mi><mo>+</mo><mn>1</mn></mrow></mfrac>'
    ...            '<msub><mi>p</mi><mi>i</mi></msub><msup><mi>z</mi><mn>2</mn></msup></math>')
    '1/(x + 1)pᵢz²'

    A matrix's rows end with ";", a chain set on several lines (aligned) reads as one line:

    >>> row = '<mtr><mtd><mi>a</mi></mtd><mtd><mo>=</mo><mi>b</mi></mtd></mtr>'
    >>> plain_text(f'<math><mtable>{row}{row.replace("<mi>a</mi>", "")}</mtable></math>')
    'a = b = b'
    >>> plain_text('<math><mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>0</mn></mtd></mtr>'
    ...            '<mtr><mtd><mn>0</mn></mtd><mtd><mn>1</mn></mtd></mtr></mtable></math>')
    '1 0; 0 1'
    """
    # KaTeX's MathML is well-formed XML: it escapes only with entities XML knows.
    math = ElementTree.fromstring(re.search(r"<math\b.*</math>", mathml, re.DOTALL)[0])
    return re.sub(r"\s+", " ", _plain(math)).strip()


_SUBSCRIPTS = str.maketrans("0123456789+−=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_SUPERSCRIPTS = str.maketrans("0123456789+−=()inT′", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿᵀ′")


# Spaced in text; a table's row that starts with one continues the row before (aligned).
_RELATIONS = ("=", "≤", "≥", "<", ">", "≈", "≠", "→", "∈", "∼", "∝", "≡")


def _script(text: str, table: dict, mark: str) -> str:
    """Unicode sub- or superscript letters where all of them exist, else mark(text)."""
    mapped = text.translate(table)
    if all(a != b or a == "′" for a, b in zip(text, mapped, strict=True)):
        return mapped
    return f"{mark}({text})" if len(text) > 1 else f"{mark}{text}"


def _plain(element: ElementTree.Element) -> str:
    tag = element.tag.removeprefix(_MATHML_NAMESPACE)
    # The TeX source beside the formula (<annotation>) is not part of what it reads as.
    parts = [_plain(child) for child in element if child.tag != _ANNOTATION]
    if tag in {"mi", "mn", "mtext", "ms"}:
        return _variant(element.text or "", element.get("mathvariant"))
    # A space after a function name such as log (KaTeX writes U+2061, FUNCTION APPLICATION).
    if tag == "mo" and element.text == "\N{FUNCTION APPLICATION}":
        return " "
    if tag == "mo":
        text = (element.text or "").strip()
        is_separator = text in {"+", "−", "×", "⋅", "·"} or text in _RELATIONS
        return f" {text} " if is_separator else (f"{text} " if text == "," else text)
    if tag == "mfrac":
        numerator, denominator = (_grouped(part) for part in parts)
        return f"{numerator}/{denominator}"
    if tag in {"msqrt"}:
        return f"√{_grouped(''.join(parts))}"
    if tag in {"msub", "munder"} and len(parts) == 2:
        return parts[0] + _script(parts[1].strip(), _SUBSCRIPTS, "_")
    if tag in {"msup", "mover"} and len(parts) == 2:
        if tag == "mover" and element.get("accent") == "true":
            return parts[0] + parts[1].strip()
        return parts[0] + _script(parts[1].strip(), _SUPERSCRIPTS, "^")
    if tag in {"msubsup", "munderover"} and len(parts) == 3:
        base, below, above = parts
        return (
            base
            + _script(below.strip(), _SUBSCRIPTS, "_")
            + _script(above.strip(), _SUPERSCRIPTS, "^")
        )
    if tag == "mspace":
        return " "
    if tag == "mtr":
        return "  ".join(part for part in parts if part.strip())
    if tag == "mtable":  # rows that start with a relation continue the one before
        first, *rest = [part.strip() for part in parts] or [""]
        return first + "".join(
            f" {row}" if row.startswith(_RELATIONS) else f"; {row}" for row in rest
        )
    return "".join(parts)


def _variant(text: str, mathvariant: str | None) -> str:
    """Double-struck and bold letters as their own code points: ℝ, 𝐱.

    >>> _variant("R", "double-struck"), _variant("x", "bold"), _variant("x", None)
    ('ℝ', '𝐱', 'x')
    """
    if mathvariant not in _VARIANTS:
        return text
    return "".join(_letter_variant(letter, _VARIANTS[mathvariant]) for letter in text)


_VARIANTS = {"double-struck": "DOUBLE-STRUCK", "bold": "BOLD"}


def _letter_variant(letter: str, variant: str) -> str:
    case = "CAPITAL" if letter.isupper() else "SMALL"
    for name in (
        f"{variant} {case} {letter.upper()}",
        f"MATHEMATICAL {variant} {case} {letter.upper()}",
    ):
        try:
            return unicodedata.lookup(name)
        except KeyError:
            continue
    return letter


def _grouped(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 1 or re.fullmatch(r"\w+", text) else f"({text})"


def fonts_used(page_html: str) -> list[str]:
    """The KaTeX font files (relative to vendor/katex) that a page's formulas draw from.

    Which class draws from which font is read from KaTeX's stylesheet: `.katex .mathnormal`
    from KaTeX_Math italic, `.katex .delimsizing.size1` from KaTeX_Size1, and every formula
    from KaTeX_Main (the font of `.katex`).

    >>> fonts_used('<span class="katex"><span class="mord mathnormal">x</span></span>')
    ['fonts/KaTeX_Main-Regular.woff2', 'fonts/KaTeX_Math-Italic.woff2']
    """
    if 'class="katex' not in page_html:
        return []
    classes = class_names(page_html)
    fonts = {_MAIN_FONT} | {font for needed, font in _font_rules() if needed <= classes}
    return sorted(fonts)


_MAIN_FONT = "fonts/KaTeX_Main-Regular.woff2"


@functools.cache
def _font_rules() -> list[tuple[frozenset[str], str]]:
    """(the classes a rule's selector needs, the font file it draws from), for KaTeX's rules."""
    rules = []
    css = (KATEX_DIR / "katex.min.css").read_text("utf-8")
    for selectors, block in re.findall(r"([^{}@]+)\{([^}]*font-family:KaTeX_[^}]*)\}", css):
        family = re.search(r"font-family:(KaTeX_\w+)", block)[1]
        bold = re.search(r"font-weight:(?:700|bold)", block) is not None
        italic = "font-style:italic" in block
        style = ("Bold" if bold else "") + ("Italic" if italic else "") or "Regular"
        font = f"fonts/{family}-{style}.woff2"
        if not (KATEX_DIR / font).is_file():
            continue
        for selector in selectors.split(","):
            needed = frozenset(re.findall(r"\.([\w-]+)", selector)) - {"katex"}
            if needed:
                rules.append((needed, font))
    return rules
