"""What an executed block shows the reader: its printed text escaped, or HTML that runs nothing.

markdown-exec renders what a block prints as Markdown, which lets raw HTML through: here the
`<` that would open a tag, comment or declaration is escaped first, so a block that prints
`<script>` shows that text. (Inside a code span of printed Markdown such a `<` shows as `&lt;`:
a block that prints code shows it with `result="…"`, whose code block is left as it is.)

A fence that asks for HTML (`html="1"`) puts its output into the page as it is: the figures
are inline SVG. That output, and the HTML of any block, must not run or load anything: a
script, an event handler, a javascript: URL, a frame, an embedded object, a <base>, <meta> or
<link> is refused, and the plugin fails the build naming the page and block. The output is
read by an HTML5 parser (justhtml), so what is refused is what a browser would see: a tag
hidden in an SVG <style> or a <noscript> is found where the browser finds it. A refusal list,
not a list of what is allowed, because figures bring SVG elements and attributes without end.

Also here: the Markdown the build converts itself (`fragment`: a block that does not run, a
claim's statement), and the link from a block or claim to its file in the repository.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable

import markdown
import markdown_exec
from justhtml import JustHTML
from markupsafe import Markup

# Elements that run code, load a document or change how the page's URLs resolve.
_REFUSED_ELEMENTS = {
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "portal",
    "base",
    "meta",
    "link",
}
# Attributes whose value is a URL the browser may navigate to or load.
_URL_ATTRIBUTES = {"href", "xlink:href", "src", "action", "formaction", "data", "poster"}
# The URL schemes that run code. Browsers drop tabs and newlines anywhere in a URL and spaces
# and control characters around it before they read its scheme.
_CODE_SCHEMES = re.compile(r"^(?:javascript|vbscript|data:text/html)", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\t\n\r]|^[\x00-\x20]+")
# What opens markup in Markdown: a tag, an end tag, a comment, a declaration or an instruction.
_MARKUP_OPENER = re.compile(r"<(?=[A-Za-z/!?])")


def run_block(source: str, language: str, options: dict, md, run: Callable[..., str]) -> Markup:
    """The HTML of a python or pycon fence, formatted by markdown-exec (`base_format`, its
    documented hook for formatters), its code run by run (see blocks.py): printed text escaped
    unless the fence asks for HTML or shows the output as a code block (result)."""
    if language not in ("python", "pycon"):  # markdown-exec's other languages run otherwise
        raise ValueError(f"{language} blocks are not run by this site (python, pycon are)")
    if not options.get("html") and not options.get("result"):
        plain_run = run

        def run(*args, **kwargs):
            return _MARKUP_OPENER.sub("&lt;", plain_run(*args, **kwargs))

    transform = pycon_source if language == "pycon" else None
    return markdown_exec.base_format(
        language=language, run=run, code=source, md=md, transform_source=transform, **options
    )


def pycon_source(code: str) -> tuple[str, str]:
    """The Python a pycon block runs, and the prompt lines it shows (as markdown-exec does).

    >>> pycon_source(">>> x = 1\\n... y = 2\\nignored")
    ('x = 1\\ny = 2', '>>> x = 1\\n... y = 2')
    """
    prompts = [line for line in code.split("\n") if line.startswith((">>> ", "... "))]
    return "\n".join(line[4:] for line in prompts), "\n".join(prompts)


def active_content(html: str) -> list[str]:
    """What in an output's HTML would run or load something, described for the reader."""
    found = []
    for element in _elements(JustHTML(html, fragment=True, sanitize=False).root):
        if element.name in _REFUSED_ELEMENTS:
            found.append(f"a <{element.name}> element")
        for name, value in (element.attrs or {}).items():
            if name.lower().startswith("on"):
                found.append(f"an event handler ({name} on <{element.name}>)")
            elif name.lower() == "srcdoc":
                found.append(f"a document in srcdoc (on <{element.name}>)")
            elif name.lower() in _URL_ATTRIBUTES and _CODE_SCHEMES.match(
                _URL_NOISE.sub("", value or "")
            ):
                found.append(f"a {value.split(':')[0].strip()}: URL ({name} on <{element.name}>)")
            elif name.lower() == "attributename" and (value or "").lower() in _URL_ATTRIBUTES:
                found.append(f"an animation of {value} (on <{element.name}>)")
    return found


def _elements(node):
    for child in node.children or []:
        if child.name and not child.name.startswith("#"):
            yield child
        if getattr(child, "children", None):
            yield from _elements(child)


@functools.cache
def _fragment_markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["pymdownx.arithmatex", "pymdownx.highlight", "pymdownx.superfences"],
        extension_configs={"pymdownx.arithmatex": {"generic": True}},
    )


def fragment(text: str) -> str:
    """Markdown converted the way pages are converted (math left to math.py, code highlighted):
    the statements and check descriptions of claims, and blocks a build does not run."""
    converter = _fragment_markdown()
    converter.reset()
    return converter.convert(text)


def source_link(path: str, source_url: str) -> str:
    """A link to a file of the project in the repository (path relative to mkdocs.yml)."""
    if not source_url:
        return f"<code>{html.escape(path)}</code>"
    url = html.escape(source_url + path)
    return f'<a href="{url}">View <code>{html.escape(path)}</code> in the repository</a>'
