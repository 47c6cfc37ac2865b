"""Notebook pages: all of the build's adaptation of mkdocs-jupyter, which renders them.

`NotebookPages` runs a notebook page through the execution cache (execution.py) by wrapping the
render that mkdocs-jupyter gives the page, starts the notebooks the cache does not hold ahead of
their pages, and publishes their stylesheets; `configure_notebook_execution` gives the cells
the build's time limit (mkdocs-jupyter's options cannot). What follows makes the page valid,
lighter and self-contained (`tidy_notebook`).

mkdocs-jupyter's template (templates/mkdocs_html/notebook.html.j2) and its converter
(nbconvert2.py) put into the content of every notebook page:

- about 590 KB of JupyterLab and Pygments stylesheets, in <style> elements inside <body>,
  where HTML does not allow them. They become a stylesheet file that the page links to (a
  <link> to a stylesheet may be in <body>), without the rules that name a class the page does
  not have (`stylesheets.used_rules`): about 50 KB. The file is named by its content, so a
  page whose classes change gets a new file and no browser keeps the old one.
- the Pygments stylesheet once more, printed as a Python list (nbconvert2.py writes
  ``resources["inlining"]["css"]``, a list, into a <style>): not CSS, so it has no effect.
- ``<clipboard-copy for="cell-1", aria-label=...>``: the stray comma becomes an attribute
  named ",", and the aria-label is only allowed once the element has a role, which its script
  gives it (role="button", tabindex="0") after the page has loaded. The markup says so itself.
- MathJax and Mermaid loaders from CDNs: math is rendered at build time (math.py) and the
  notebooks have no diagrams.
- code in Pygments' classes under its own class (highlight-ipynb), with JupyterLab's colours:
  it gets the theme's class (highlight), so it takes the site's colours in both schemes. Its
  <pre> scrolls long lines, so it is what a keyboard reaches (tabindex, as the theme does for
  code blocks), instead of the cell around it, which does not scroll.
- figures as images, black on white, a bright box in the dark scheme. The kernel makes them
  SVG (``KERNEL_ARGUMENTS``) and they are put inline, drawn in the text's colour on the page's
  background (``inline_figure``), as the site's own figures are (snippets/figures.py).

>>> content = (
...     '<style type="text/css">\\n  .a { x: 1 }\\n</style><p class="a">text</p><style>.b{}</style>'
...     '<clipboard-copy for="cell-1", aria-label="Copy"><clipboard-copy ,="" for="cell-2">'
...     "<style>\\n  ['.a { x: 1 }']\\n</style>"
...     '<div class="jp-Cell jp-CodeCell"><div class="jp-Cell-inputWrapper" tabindex="0">'
...     '<div class="highlight-ipynb hl-python"><pre>x = 1</pre></div></div></div>'
... )
>>> html, stylesheets = tidy_notebook(content)
>>> print(html.replace(STYLESHEET_HREF, "HREF").replace("><", ">\\n<"))
<link rel="stylesheet" href="HREF">
<p class="a">text</p>
<clipboard-copy role="button" tabindex="0" for="cell-1" aria-label="Copy">
<clipboard-copy role="button" tabindex="0" for="cell-2">
<div class="jp-Cell jp-CodeCell">
<div class="jp-Cell-inputWrapper">
<div class="highlight hl-python">
<pre tabindex="0">x = 1</pre>
</div>
</div>
</div>
>>> [(path.startswith("assets/notebooks/"), css) for path, css in stylesheets.items()]
[(True, '.a{ x: 1 }')]
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from mkdocs.utils import get_relative_url
from mkdocs_jupyter.plugin import get_nb_toc
from nbconvert.exporters import HTMLExporter

from sitebuild.execution import Execution
from sitebuild.stylesheets import class_names, used_rules

# Replaced, page by page, with the stylesheet's URL relative to the page.
STYLESHEET_HREF = "checked-site-notebook-stylesheet"

# For the kernel that runs a notebook at build time: figures as SVG with their text as text,
# and matplotlib's ids made from a fixed salt, so that two builds write the same page; minor
# ticks as wide as major ones, which shrunk to the column would fade below 3:1. The notebook
# itself is unchanged: run elsewhere, it makes the usual images.
_FIGURE_RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "notebook",
    "xtick.minor.width": 0.8,
    "ytick.minor.width": 0.8,
}
KERNEL_ARGUMENTS = ["--InlineBackend.figure_formats=svg", f"--InlineBackend.rc={_FIGURE_RC!r}"]

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
_NOTEBOOK_CODE = re.compile(r'<div class="highlight-ipynb(?P<classes>[^"]*)"><pre>')
_CODE_INPUT = re.compile(
    r'(<div class="jp-Cell jp-CodeCell[^>]*>\s*<div class="jp-Cell-inputWrapper") tabindex="0"'
)
_SVG_IMAGE = re.compile(r'<img\b[^>]*\bsrc="data:image/svg\+xml;base64,(?P<data>[^"]+)"[^>]*>')
# A label's text: matplotlib writes it as text, or in a comment before the glyphs it draws
# instead. Tick labels are numbers or mathtext.
_LABEL = re.compile(r"<!-- (.*?) -->|<text\b[^>]*>([^<]+)</text>")
_TICK = re.compile(r"[-\u2212+]?[\d.,]+%?|\$.*\$")
_ID_REFERENCE = re.compile(r'(href="#|url\(#)([^")]+)')
_STYLE_FOR_ALL = re.compile(r'<defs>\s*<style type="text/css">\*\{([^}]*)\}</style>\s*</defs>')


def tidy_notebook(content: str) -> tuple[str, dict[str, str]]:
    """The notebook's HTML with its stylesheets moved out, and those stylesheets by site path.

    The HTML links to the stylesheet at ``STYLESHEET_HREF``, for the page to make relative.
    """
    content = _LOADERS.sub("", content)
    content = _NOTEBOOK_CODE.sub(r'<div class="highlight\g<classes>"><pre tabindex="0">', content)
    content = _CODE_INPUT.sub(r"\1", content)
    figures = iter(range(1, 1 + len(_SVG_IMAGE.findall(content))))
    content = _SVG_IMAGE.sub(
        lambda m: inline_figure(base64.b64decode(m["data"]).decode(), f"figure-{next(figures)}-"),
        content,
    )
    sheets = [
        m["css"].strip() for m in _STYLE.finditer(content) if not _PRINTED_LIST.match(m["css"])
    ]
    stylesheets = {}
    if sheets:
        css = used_rules("\n".join(sheets), class_names(content))
        path = f"assets/notebooks/{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
        stylesheets[path] = css
        # The link takes the place of the first stylesheet, so the cascade keeps its order.
        link = [f'<link rel="stylesheet" href="{STYLESHEET_HREF}">']
        content = _STYLE.sub(lambda _: link.pop() if link else "", content)
    content = _CLIPBOARD_COPY.sub(_clipboard_copy, content)
    return content, stylesheets


def inline_figure(svg: str, prefix: str) -> str:
    """A matplotlib SVG made to read in both schemes, for a page: black becomes the text's
    colour (currentColor) and white the page's background, so lines keep their colours; ids
    get the prefix (unique on the page) and the words of its labels name it.

    >>> print(inline_figure(
    ...     '<?xml version="1.0"?>\\n<svg width="9pt"><metadata>date</metadata>\\n'
    ...     '<defs><style type="text/css">*{stroke-linejoin: round}</style></defs>'
    ...     '<g id="figure_1"><path style="fill: #ffffff"/><!-- 0.5 --><!-- sigma(w) -->'
    ...     '<text style="fill: #000000">sigma(w)</text><path id="m1" style="stroke: #1f77b4"/>'
    ...     '<use xlink:href="#m1"/></g></svg>',
    ...     "figure-1-",
    ... ).replace("><", ">\\n<"))  # doctest: +NORMALIZE_WHITESPACE
    <svg role="img" aria-label="Plot: sigma(w)" data-search-exclude="figure" fill="currentColor"
      stroke-linejoin="round" width="9pt">
    <g>
    <path style="fill: var(--md-default-bg-color)"/>
    <text style="fill: currentColor">sigma(w)</text>
    <path id="figure-1-1" style="stroke: #1f77b4"/>
    <use xlink:href="#figure-1-1"/>
    </g>
    </svg>
    """
    svg = svg[svg.index("<svg") :]  # no XML declaration or doctype inside HTML
    labels = (html.unescape(comment or text).strip() for comment, text in _LABEL.findall(svg))
    words = dict.fromkeys(label for label in labels if not _TICK.fullmatch(label))
    svg = re.sub(r"<metadata>.*?</metadata>|<!--.*?-->", "", svg, flags=re.DOTALL)
    svg = re.sub(r">\s+<", "><", svg)
    # Its <style> would be a stylesheet of the whole page: inherited attributes do the same.
    style = _STYLE_FOR_ALL.search(svg)
    if style:
        declarations = (part.split(":") for part in style[1].split(";") if part.strip())
        attributes = "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)
        svg = svg[: style.start()] + svg[style.end() :]
        svg = svg.replace("<svg", f"<svg{attributes}", 1)
    referenced = {match[2] for match in _ID_REFERENCE.finditer(svg)}
    renamed = {}
    for name in re.findall(r' id="([^"]+)"', svg):
        if name in referenced:
            renamed.setdefault(name, f"{prefix}{len(renamed) + 1}")
    svg = re.sub(
        r' id="([^"]+)"', lambda m: f' id="{renamed[m[1]]}"' if m[1] in renamed else "", svg
    )
    svg = _ID_REFERENCE.sub(lambda m: m[1] + renamed.get(m[2], m[2]), svg)
    svg = re.sub(r"#000000\b", "currentColor", svg)
    svg = re.sub(r"#ffffff\b", "var(--md-default-bg-color)", svg)
    label = html.escape(f"Plot: {'; '.join(words)}" if words else "Plot", quote=True)
    # Text has no fill of its own (SVG's default is black): it takes the page's text colour.
    return svg.replace(
        "<svg",
        f'<svg role="img" aria-label="{label}" data-search-exclude="figure" fill="currentColor"',
        1,
    )


def _clipboard_copy(match: re.Match) -> str:
    attributes = _STRAY_COMMA.sub("", match["attributes"])
    return f'<clipboard-copy role="button" tabindex="0"{attributes}>'


# The JUPYTER_CONFIG_PATH of the environment, read before a build changes it.
USER_JUPYTER_CONFIG_PATH = os.environ.get("JUPYTER_CONFIG_PATH", "")


def configure_notebook_execution(seconds: float) -> tuple[dict, Path]:
    """Give notebook cells the same time limit as blocks, and make their outputs reproducible.

    mkdocs-jupyter overwrites ExecutePreprocessor.timeout, but its NbConvertApp loads
    jupyter_nbconvert_config from JUPYTER_CONFIG_PATH, where NotebookClient.timeout holds
    (and NotebookClient.extra_arguments, the kernel's: see notebooks.py).

    The kernel sends printed text every 0.2 s, so on a loaded machine a cell's prints can
    arrive as two outputs, which the page shows as two blocks. nbconvert merges such outputs
    (CoalesceStreamsPreprocessor) but only before it executes the notebook, and
    NotebookClient.coalesce_streams cannot be configured: the merge is moved after execution.

    Returns the settings and the folder that holds them.
    """
    merge, execute = (
        "nbconvert.preprocessors.CoalesceStreamsPreprocessor",
        "nbconvert.preprocessors.ExecutePreprocessor",
    )
    preprocessors = [name for name in HTMLExporter().default_preprocessors if name != merge]
    preprocessors.insert(preprocessors.index(execute) + 1, merge)
    settings = {
        "NotebookClient": {"timeout": seconds, "extra_arguments": KERNEL_ARGUMENTS},
        "HTMLExporter": {"default_preprocessors": preprocessors},
        "CoalesceStreamsPreprocessor": {"enabled": True},
    }
    # A folder of this build's own (mkdtemp: unpredictable, private to its user): a fixed
    # shared one would run a configuration that another user of the machine put there first.
    # The build removes it when it ends.
    config_dir = Path(tempfile.mkdtemp(prefix="checked-site-jupyter-"))
    config_file = config_dir / "jupyter_nbconvert_config.json"
    config_file.write_text(json.dumps(settings))
    os.environ["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        filter(None, [str(config_dir), USER_JUPYTER_CONFIG_PATH])
    )
    return settings, config_dir


class NotebookPages:
    """The notebook pages of a site, from `mkdocs-jupyter` (the plugin of that name)."""

    def __init__(self, execution: Execution, seconds: float) -> None:
        self.execution = execution
        self.settings, self.config_dir = configure_notebook_execution(seconds)
        # The notebook pages' stylesheets (see tidy_notebook), by path in the site.
        self.stylesheets: dict[str, str] = {}

    def start(self) -> None:
        self.stylesheets.clear()

    def key(self, page, config) -> str:
        text = Path(page.file.abs_src_path).read_text("utf-8")
        jupyter = dict(config.plugins["mkdocs-jupyter"].config)
        return self.execution.notebook_key(text, jupyter=jupyter, nbconvert=self.settings)

    def run_ahead(self, files, config, only: set[str] | None = None) -> None:
        """Start every notebook page that the execution cache does not hold (of those whose
        source paths are in only, if given)."""
        if not self.execution.options.execute:
            return
        jupyter = config.plugins["mkdocs-jupyter"]

        def prepare(page):
            jupyter.on_pre_page(page, config=config, files=files)  # sets its render
            return page.render, page, config, files

        for file in files.documentation_pages():
            if only is not None and file.src_uri not in only:
                continue
            if file.src_uri.endswith(".ipynb") and file.page is not None:
                key = self.key(file.page, config)
                self.execution.notebook_ahead(file.src_uri, key, lambda p=file.page: prepare(p))

    def wrap_render(self, page, config) -> None:
        """Wrap the notebook's render (set by mkdocs-jupyter) with the execution cache."""
        jupyter = config.plugins["mkdocs-jupyter"].config
        render = page.render
        path = Path(page.file.abs_src_path)

        def cached_render(config, files):
            if not self.execution.options.execute:
                render(config, files)  # mkdocs-jupyter renders it without running it
                page.content = self._tidy(page.content, page)
                return
            content = self.execution.notebook(
                page.file.src_uri, self.key(page, config), render, page, config, files
            )
            page.content = self._tidy(content, page)
            toc, title = get_nb_toc(str(path), jupyter["toc_depth"])
            page.toc = toc
            if title is not None and not jupyter["ignore_h1_titles"]:
                page.title = title

        page.render = cached_render

    def _tidy(self, content: str, page) -> str:
        # Cached: reading the notebook's stylesheets takes seconds, and serve repeats it.
        tidied = self.execution.cache.computed(
            "notebook-tidy",
            content,
            lambda: dict(zip(("html", "css"), tidy_notebook(content), strict=True)),
            uses=("tinycss2",),
        )
        content, stylesheets = tidied["html"], tidied["css"]
        self.stylesheets.update(stylesheets)
        for path in stylesheets:
            content = content.replace(STYLESHEET_HREF, get_relative_url(path, page.url))
        return content

    def write_stylesheets(self, site_dir: Path) -> None:
        for path, css in sorted(self.stylesheets.items()):
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(css, "utf-8")

    def remove_config(self) -> None:
        """Remove the Jupyter configuration of the build (configure_notebook_execution)."""
        if self.config_dir:
            shutil.rmtree(self.config_dir, ignore_errors=True)
            self.config_dir = None
