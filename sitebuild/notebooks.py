"""Notebook pages as mkdocs-jupyter renders them, made valid, lighter and self-contained.

mkdocs-jupyter's template (templates/mkdocs_html/notebook.html.j2) and its converter
(nbconvert2.py) put into the content of every notebook page:

- about 590 KB of JupyterLab and Pygments stylesheets, in <style> elements inside <body>,
  where HTML does not allow them; each notebook page carries its own copy. They become one
  stylesheet file that every notebook page links to (a <link> to a stylesheet may be in <body>)
  and the browser caches.
- the Pygments stylesheet once more, printed as a Python list (nbconvert2.py writes
  ``resources["inlining"]["css"]``, a list, into a <style>): not CSS, so it has no effect.
- ``<clipboard-copy for="cell-1", aria-label=...>``: the stray comma becomes an attribute
  named ",", and the aria-label is only allowed once the element has a role, which its script
  gives it (role="button", tabindex="0") after the page has loaded. The markup says so itself.
- MathJax and Mermaid loaders from CDNs: math is rendered at build time (math.py) and the
  notebooks have no diagrams.

>>> content = (
...     '<style type="text/css">\\n  .a { x: 1 }\\n</style><p>text</p><style>.b{}</style>'
...     '<clipboard-copy for="cell-1", aria-label="Copy"><clipboard-copy ,="" for="cell-2">'
...     "<style>\\n  ['.a { x: 1 }']\\n</style>"
... )
>>> html, stylesheets = tidy_notebook(content)
>>> print(html.replace(STYLESHEET_HREF, "HREF").replace("><", ">\\n<"))
<link rel="stylesheet" href="HREF">
<p>text</p>
<clipboard-copy role="button" tabindex="0" for="cell-1" aria-label="Copy">
<clipboard-copy role="button" tabindex="0" for="cell-2">
>>> [(path.startswith("assets/notebooks/"), css) for path, css in stylesheets.items()]
[(True, '.a { x: 1 }\\n.b{}\\n')]
"""

from __future__ import annotations

import hashlib
import re

# Replaced, page by page, with the stylesheet's URL relative to the page.
STYLESHEET_HREF = "checked-site-notebook-stylesheet"

_LOADERS = re.compile(
    r"<!-- Load mathjax -->\s*<script src=\"[^\"]*\">\s*</script>"
    r"|<!-- MathJax configuration -->\s*<script type=\"text/x-mathjax-config\">.*?</script>"
    r"|<!-- End of mathjax configuration -->"
    r"|<script type=\"module\">(?:(?!</script>).)*?mermaid.*?</script>",
    re.DOTALL,
)
_STYLE = re.compile(r"<style\b[^>]*>(?P<css>.*?)</style>", re.DOTALL)
_PRINTED_LIST = re.compile(r"\s*\[\s*'")
_CLIPBOARD_COPY = re.compile(r"<clipboard-copy\b(?P<attributes>[^>]*)>")
# The comma, as written or as an HTML parser has turned it into an attribute.
_STRAY_COMMA = re.compile(r'(?<=")\s*,|\s,=""')


def tidy_notebook(content: str) -> tuple[str, dict[str, str]]:
    """The notebook's HTML with its stylesheets moved out, and those stylesheets by site path.

    The HTML links to the stylesheet at ``STYLESHEET_HREF``, for the page to make relative.
    """
    content = _LOADERS.sub("", content)
    sheets = [
        m["css"].strip() for m in _STYLE.finditer(content) if not _PRINTED_LIST.match(m["css"])
    ]
    stylesheets = {}
    if sheets:
        css = "\n".join(sheets) + "\n"
        path = f"assets/notebooks/{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
        stylesheets[path] = css
        # The link takes the place of the first stylesheet, so the cascade keeps its order.
        link = [f'<link rel="stylesheet" href="{STYLESHEET_HREF}">']
        content = _STYLE.sub(lambda _: link.pop() if link else "", content)
    content = _CLIPBOARD_COPY.sub(_clipboard_copy, content)
    return content, stylesheets


def _clipboard_copy(match: re.Match) -> str:
    attributes = _STRAY_COMMA.sub("", match["attributes"])
    return f'<clipboard-copy role="button" tabindex="0"{attributes}>'
