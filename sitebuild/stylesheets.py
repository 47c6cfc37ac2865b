"""The site's stylesheets, without the rules that nothing in the site can match.

The theme's stylesheet styles every feature of mkdocs-material (blog, tabs, annotations, cards,
twenty palette colours...), and KaTeX's every construct of TeX; a page of this site uses a
fraction of them, yet downloads both whole. After the build, each is cut down with
`used_rules` to the rules whose classes occur somewhere in the built site: in a page's
markup or in a script that writes markup (the theme's bundle builds its search results and
code buttons from class names it spells out), and whose palette colour is one the site's palette
uses. The cut-down file gets a name of its own, made from its content, and every page links to it.

The theme's script moves every table without a class into a wrapper that scrolls, once the page
has loaded; the browser then styles and lays out each table a second time (on the Checks page,
most of a second on a phone). The build wraps the tables of every page itself, with a class
that the script skips (`wrap_tables`), and the theme's table rules, which name tables without a
class, name the build's class instead (`extend_table_rules`). Naming a table by the absence
of a class would cost a whole second styling of every page: a rule such as
`table:not([class]) td > :first-child` makes the browser restyle everything below an element
whose class changes, and the theme's script changes the class of <html> (no-js to js) once
the page has been read, most of it styled already.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import tinycss2

# The theme's stylesheets, by path in the site.
THEME_STYLESHEETS = re.compile(r"assets/stylesheets/(?:main|palette)\.\w+\.min\.css")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# The colour a palette selector asks for: [data-md-color-primary=indigo].
_PALETTE_COLOUR = re.compile(r"\[data-md-color-(?:primary|accent)=[\"']?([\w-]+)[\"']?\]")
_PALETTE_ATTRIBUTE = re.compile(r'data-md-color-(?:primary|accent)="([\w-]+)"')
BUILT_TABLE = "data-table"
# The classes of an element, as the build and the theme write them (always quoted).
_CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
# In a selector: what a class inside it does not decide alone (:not(.a), :is(.a, .b), [x=".a"]).
_ARGUMENTS_AND_ATTRIBUTES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_CLASS_IN_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# The root element inside another: mkdocs-jupyter prefixes JupyterLab's ":root { --jp-… }"
# with ".jupyter-wrapper ", which no element can match.
_NESTED_ROOT = re.compile(r"[\s>+~]:root\b")
# At-rules whose blocks hold style rules; the others (@font-face, @keyframes) are kept whole.
_GROUPING_AT_RULES = {"media", "supports", "layer", "container"}
# A table without a class (its attributes, its content), with no table inside it.
_TABLE_WITHOUT_CLASS = re.compile(
    r"<table((?:\s(?![^>]*\bclass=)[^>]*)?)>((?:(?!<table\b).)*?)</table>", re.DOTALL
)


def wrap_tables(page_html: str) -> str:
    """The page with each table that has no class (a Markdown table, the build's) wrapped
    as the theme's script would wrap it (renderTable, templates/table in mkdocs-material's
    scripts), and given the class that the theme's table rules name here.

    >>> wrap_tables("<p>a</p><table><tr><td>1</td></tr></table>")  # doctest: +NORMALIZE_WHITESPACE
    '<p>a</p><div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table
    class="data-table"><tr><td>1</td></tr></table></div></div>'
    >>> wrap_tables('<table id="t"><tr><td>1</td></tr></table>')  # doctest: +NORMALIZE_WHITESPACE
    '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table id="t"
    class="data-table"><tr><td>1</td></tr></table></div></div>'
    >>> wrap_tables('<table class="highlighttable"><tr><td>1</td></tr></table>')
    '<table class="highlighttable"><tr><td>1</td></tr></table>'
    """
    return _TABLE_WITHOUT_CLASS.sub(
        lambda match: (
            '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
            f'<table{match[1]} class="{BUILT_TABLE}">{match[2]}</table></div></div>'
        ),
        page_html,
    )


def extend_table_rules(css: str) -> str:
    """The stylesheet with the theme's rules for tables without a class given to built ones.

    table.data-table has the specificity of table:not([class]), so the cascade is unchanged.

    >>> extend_table_rules(".md-typeset table:not([class]) td{padding:0}")
    '.md-typeset table.data-table td{padding:0}'
    """
    return css.replace("table:not([class])", f"table.{BUILT_TABLE}")


def cut_down_stylesheets(site: Path, paths: list[str]) -> dict[str, str]:
    """Cut down these stylesheets of the built site; returns each one's new path.

    Every HTML file of the site is changed to link to the new paths.
    """
    pages = sorted(site.rglob("*.html"))
    markup = [path.read_text("utf-8") for path in pages]
    scripts = [path.read_text("utf-8") for path in sorted(site.rglob("*.js"))]
    words, colours = words_of(markup + scripts), colours_of(markup)
    renamed = {path: cut_stylesheet(site, path, words, colours) for path in paths}
    relink(zip(pages, markup, strict=True), renamed)
    return renamed


def words_of(texts: list[str]) -> set[str]:
    """The words of markup and scripts that may name a class."""
    return {word for text in texts for word in _WORD.findall(text)}


def colours_of(markup: list[str]) -> set[str]:
    """The palette colours the pages ask for."""
    return {colour for text in markup for colour in _PALETTE_ATTRIBUTE.findall(text)}


def stylesheet_words(site: Path, path: str) -> set[str]:
    """The words of a stylesheet of the site: only these of a page's words change its cut."""
    return set(_WORD.findall((site / path).read_text("utf-8")))


def cut_stylesheet(site: Path, path: str, words: set[str], colours: set[str]) -> str:
    """Cut down one stylesheet of the site to the rules words and colours can match; the
    stylesheet is replaced by the cut, named by its content. Returns the cut's path."""
    whole = extend_table_rules((site / path).read_text("utf-8"))
    css = used_rules(_without_other_colours(whole, colours), words)
    stem = Path(path).name.partition(".")[0]
    digest = hashlib.sha256(css.encode()).hexdigest()[:8]
    new_path = (Path(path).parent / f"{stem}.{digest}.css").as_posix()
    (site / new_path).write_text(css, "utf-8")
    (site / path).unlink()
    return new_path


def relink(pages, renamed: dict[str, str]) -> None:
    """Have the pages ((path, its HTML) pairs) link to the renamed stylesheets."""
    links = re.compile("|".join(re.escape(Path(path).name) for path in renamed))
    names = {Path(old).name: Path(new).name for old, new in renamed.items()}
    for path, text in pages:
        changed = links.sub(lambda match: names[match[0]], text)
        if changed != text:
            path.write_text(changed, "utf-8")


def _without_other_colours(css: str, colours: set[str]) -> str:
    """The stylesheet with [data-md-color-primary=x] made unmatchable for colours not in use.

    >>> css = "[data-md-color-primary=pink]{a:1}[data-md-color-accent=indigo]{b:2}"
    >>> print(_without_other_colours(css, {"indigo"}).replace("}", "}\\n"))
    [data-md-color-primary=pink].checked-site-unused-colour{a:1}
    [data-md-color-accent=indigo]{b:2}
    <BLANKLINE>
    """

    def mark(match: re.Match) -> str:
        return match[0] if match[1] in colours else f"{match[0]}.checked-site-unused-colour"

    return _PALETTE_COLOUR.sub(mark, css)


def class_names(markup: str) -> set[str]:
    """The classes that elements of the markup have.

    >>> sorted(class_names('<p class="a b"><span class="katex">x</span></p>'))
    ['a', 'b', 'katex']
    """
    return {name for attribute in _CLASS_ATTRIBUTE.findall(markup) for name in attribute.split()}


def used_rules(css: str, classes: set[str]) -> str:
    """The stylesheet without the selectors that name a class no element has.

    A selector is dropped when a class it requires is missing (classes inside :not(), :is()
    and attribute selectors do not count, and a selector with an escape is kept), or when it
    asks for the root element inside another element.

    >>> print(used_rules(
    ...     ".a .b { x: 1 } .a, .c { y: 2 } .c:not(.a) { z: 3 } .a:not(.c) { w: 4 }"
    ...     " @media print { .c { v: 5 } .a { u: 6 } } [title='.c'] { t: 7 }"
    ...     " @font-face { src: url(f.woff2) } .a :root { s: 8 }",
    ...     {"a", "b"},
    ... ).replace("}", "}\\n"))
    .a .b{ x: 1 }
    .a{ y: 2 }
    .a:not(.c){ w: 4 }
    @media print {.a{ u: 6 }
    }
    [title=".c"]{ t: 7 }
    @font-face { src: url(f.woff2) }
    <BLANKLINE>
    """
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "".join(_used_rule(rule, classes) for rule in rules)


def _used_rule(rule, classes: set[str]) -> str:
    if rule.type == "qualified-rule":
        selectors = [
            selector
            for selector in _split_selectors(tinycss2.serialize(rule.prelude))
            if _may_match(selector, classes)
        ]
        if not selectors:
            return ""
        return ",".join(selectors) + "{" + tinycss2.serialize(rule.content) + "}"
    if rule.type == "at-rule" and rule.lower_at_keyword in _GROUPING_AT_RULES and rule.content:
        inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
        kept = "".join(_used_rule(child, classes) for child in inner)
        if not kept:
            return ""
        return f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{kept}}}"
    return rule.serialize() if rule.type != "error" else ""


def _split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas (not those inside parentheses)."""
    selectors, depth, start = [], 0, 0
    for index, character in enumerate(prelude):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character == "," and depth == 0:
            selectors.append(prelude[start:index].strip())
            start = index + 1
    selectors.append(prelude[start:].strip())
    return [selector for selector in selectors if selector]


def _may_match(selector: str, classes: set[str]) -> bool:
    if _NESTED_ROOT.search(selector):
        return False
    if "\\" in selector:
        return True
    previous = None
    while previous != selector:  # innermost parentheses first, for nested :not(:is(...))
        previous, selector = selector, _ARGUMENTS_AND_ATTRIBUTES.sub("", selector)
    return all(name in classes for name in _CLASS_IN_SELECTOR.findall(selector))
