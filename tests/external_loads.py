"""Every URL a built site's pages and stylesheets load, read as a browser reads them.

Pages are parsed by an HTML5 parser (justhtml), so an element inside SVG or MathML is seen
where the browser sees it; stylesheets, <style> elements and style attributes by a CSS parser
(tinycss2), so every url(), image-set() and @import is seen however it is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import tinycss2
from justhtml import JustHTML

# A URL that names a host: http://…, https://…, //… (any scheme with an authority).
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
# Elements whose href is a link the reader follows, not something the page loads.
_LINKS = {"a", "area"}
# The rel values of a <link> that load what it names; others (canonical, …) only name a page.
_LOADING_RELS = {
    "stylesheet",
    "icon",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "preconnect",
    "dns-prefetch",
    "manifest",
    "apple-touch-icon",
}
_SRCSETS = {"srcset", "imagesrcset"}
# Attributes that load what they name (href: <link>, and SVG's <image>, <use>, <feImage>, …).
_URL_ATTRIBUTES = {"src", "href", "xlink:href", "data", "poster", "background", "manifest"}
# CSS functions whose string argument is a URL (url("…") with quotes is a function).
_CSS_URL_FUNCTIONS = {"url", "src", "image-set", "-webkit-image-set", "image"}
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"\s]+)", re.IGNORECASE)


def site_loads(site: Path) -> tuple[list[str], list[tuple[str, str]]]:
    """The pages of the site, and every (file, URL) that its pages and stylesheets load."""
    pages = sorted(site.rglob("*.html"))
    loads = []
    for page in pages:
        where = page.relative_to(site).as_posix()
        loads += [(where, url) for url in page_loads(page.read_text("utf-8"))]
    for stylesheet in sorted(site.rglob("*.css")):
        where = stylesheet.relative_to(site).as_posix()
        loads += [(where, url) for url in css_loads(stylesheet.read_text("utf-8"))]
    return [page.relative_to(site).as_posix() for page in pages], loads


def external_loads(site: Path) -> list[str]:
    """What the site loads from another host; fails when there is nothing to check."""
    pages, loads = site_loads(site)
    assert pages, f"no page in {site}: nothing to check"
    assert loads, f"nothing in {site} loads anything: a page without its stylesheet?"
    return [f"{where}: {url}" for where, url in loads if EXTERNAL.match(url)]


def page_loads(text: str) -> Iterator[str]:
    """Every URL in the page's attributes and styles but the links a reader follows."""
    for element in _elements(JustHTML(text, sanitize=False).root):
        name = element.name
        attributes = element.attrs or {}
        if name == "style":
            yield from css_loads(element.to_text())
        for attribute, value in attributes.items():
            if not value or attribute == "xmlns" or attribute.startswith("xmlns:"):
                continue  # a namespace's name, never fetched
            if attribute in ("href", "xlink:href") and name in _LINKS:
                continue
            rels = set(attributes.get("rel", "").lower().split())
            if name == "link" and attribute == "href" and not _LOADING_RELS & rels:
                continue
            if attribute == "style":
                if "(" in value:  # every way CSS loads in a declaration is a function: url(…)
                    yield from css_loads(value, declarations=True)
            elif attribute in _SRCSETS:
                yield from (part.split()[0] for part in value.split(",") if part.strip())
            elif name == "meta" and attribute == "content":
                if attributes.get("http-equiv", "").lower() == "refresh":
                    yield from _REFRESH_URL.findall(value)
            elif attribute in _URL_ATTRIBUTES or EXTERNAL.match(value):
                # Any other attribute holding a URL to another host counts too: flagged rather
                # than missed, whatever new kind of load it is.
                yield value


def css_loads(css: str, *, declarations: bool = False) -> Iterator[str]:
    """Every URL a stylesheet (or, with declarations, a style attribute) loads."""
    parse = tinycss2.parse_blocks_contents if declarations else tinycss2.parse_stylesheet
    yield from _css_urls(parse(css))


def _css_urls(nodes, in_url_function: bool = False) -> Iterator[str]:
    for node in nodes:
        kind = getattr(node, "type", None)
        if kind == "url" or (kind == "string" and in_url_function):
            yield node.value
        elif kind == "function":
            inside = node.lower_name in _CSS_URL_FUNCTIONS
            yield from _css_urls(node.arguments, inside or in_url_function)
        elif kind == "at-rule":
            # @import "x.css" names its URL with a bare string.
            yield from _css_urls(node.prelude, node.lower_at_keyword == "import")
            yield from _css_urls(tinycss2.parse_blocks_contents(node.content or []))
        elif kind in ("qualified-rule", "declaration"):
            yield from _css_urls(getattr(node, "content", None) or getattr(node, "value", []))
        elif kind in ("() block", "[] block", "{} block"):
            yield from _css_urls(node.content, in_url_function)


def _elements(root):
    """Every element under root, in document order (a stack: pages nest deep)."""
    stack = list(reversed(root.children or []))
    while stack:
        node = stack.pop()
        if node.name and not node.name.startswith("#"):
            yield node
        stack.extend(reversed(getattr(node, "children", None) or []))
