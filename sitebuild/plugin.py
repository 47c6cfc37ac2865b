"""The MkDocs plugin that makes every page of the site checked and self-contained.

- ```claim fences run a claim (see claims.py) and show its statement and outcome; its code is
  a page of its own (claims/<id>.html), which claim-code.js shows in the claim on demand;
  a ```claims-table fence lists every claim of the site (the Checks page).
- markdown-exec's python and pycon blocks, and claims, run in worker processes (worker.py,
  sandbox.py): under a time limit that kills code stuck in C, in a scratch folder, from a reset
  library state; any way a block or claim ends (sys.exit too) fails it naming the page.
- Math is rendered by KaTeX at build time (math.py); bad TeX fails the build. The search index
  gets each formula as readable text, not TeX.
- Notebook pages get valid markup and a stylesheet file cut down to what they use (notebooks.py);
  the theme's and KaTeX's stylesheets are cut down to what the site uses (stylesheets.py).
- Every build starts fresh: its worker processes are new, so no session globals or snippet
  modules survive from an earlier build of the same `mkdocs serve` process.
- Blocks, claims and notebooks whose inputs have not changed are not run again: their outputs
  come from the execution cache (cache.py). `execute: false` builds the pages without running
  anything, to measure what execution costs.
- The build writes ``claims.json``; a failing claim, an orphan claim file or a failing block
  logs an error, so ``mkdocs build --strict`` fails and names the page.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import posixpath
import re
import shutil
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import markdown
import markdown_exec
import minify_html
from markupsafe import Markup
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import get_relative_url
from mkdocs_jupyter.plugin import get_nb_toc

from sitebuild import claims as claim_runner
from sitebuild.ahead import Ahead, render_notebook
from sitebuild.blocks import Blocks
from sitebuild.cache import ExecutionCache
from sitebuild.claims import CLAIM_FENCE
from sitebuild.equation_accounts import (
    PageAccount,
    account_page,
    cached_verifier,
    notebook_markdown,
)
from sitebuild.equations import PageEquations, fill_equation_links, page_labels
from sitebuild.math import KATEX_DIR, MathRenderer, fonts_used
from sitebuild.notebooks import STYLESHEET_HREF, configure_notebook_execution, tidy_notebook
from sitebuild.output import active_content
from sitebuild.project_files import links_out_of
from sitebuild.quotes import fill_quotes, unshown_quotes
from sitebuild.stylesheets import THEME_STYLESHEETS, cut_down_stylesheets, wrap_tables
from sitebuild.worker import Workers

log = get_plugin_logger("checked-site")

# Set by the git-revision-date-localized plugin, which runs before this one.
GIT_DATE = "git_revision_date_localized_raw_iso_date"
# Where KaTeX's stylesheet and fonts are published.
MATH_SITE_DIR = "assets/katex"
MATH_STYLESHEET = f"{MATH_SITE_DIR}/katex.min.css"
# Each claim's check code is a page of its own here (claims/<id>.html); a claim links to it, and
# claim-code.js shows it in the claim when the reader opens it.
CLAIM_CODE_DIR = "claims"
CLAIM_CODE_SCRIPT = "assets/claim-code.js"
# An executed fence (markdown-exec) and the snippets it includes (pymdownx.snippets).
_EXEC_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?:python|pycon)\b[^\n]*"
    r'\bexec="(?:1|on|true|yes)"[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$',
    re.MULTILINE | re.DOTALL,
)
_INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"([^"]+)"', re.MULTILINE)
_HEADING = re.compile(r"<h[1-6][\s>]")
_RAW_TEX_IN_TITLE = re.compile(r"\$|\\\(|\\\[")
_CLAIM_STATUS_PLACEHOLDER = re.compile(
    r'<div class="claim-status-placeholder" data-claim="([^"]*)"></div>'
)
_CLAIM_FORMULA_PLACEHOLDER = re.compile(
    r'<div class="claim-formula-placeholder" data-claim="([^"]*)"></div>'
)
_CLAIMS_TABLE_PLACEHOLDER = re.compile(
    r'<div class="claims-table-placeholder" data-page="([^"]*)"></div>'
)
# The Checks page's fence, which becomes a heading and a table per page that makes claims.
_CLAIMS_TABLE_FENCE = re.compile(r"^```claims-table[ \t]*\n```[ \t]*$", re.MULTILINE)


class CheckedSiteConfig(Config):
    snippets_dir = config_options.Type(str, default="snippets")
    exec_timeout = config_options.Type((int, float), default=60)
    """Seconds a markdown-exec block, a claim or a notebook cell may run."""
    output_limit = config_options.Type(int, default=1_000_000)
    """Characters a block may print."""
    tex_macros = config_options.Type(dict, default={})
    execute = config_options.Type(bool, default=True)
    """False builds the pages without running blocks, claims or notebooks (a bare build)."""
    cache_dir = config_options.Optional(config_options.Type(str))
    """Where the execution cache lives, relative to mkdocs.yml; unset or empty: no cache."""
    source_url = config_options.Type(str, default="")
    """Where the repository shows a file, ending in "/": blocks and claims link to their code."""
    timings_file = config_options.Type(str, default="")
    """If set, where each build writes what execution cost, block by block (for make bench)."""
    equations_pending = config_options.Type(list, default=[])
    """Pages whose unchecked display equations are reported but do not fail the build."""


class _CurrentPage:
    """The page being converted: markdown-exec's log messages are prefixed with it."""

    src_uri = ""


class _PageLoggerAdapter(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        where = f"{_CurrentPage.src_uri}: " if _CurrentPage.src_uri else ""
        return f"{where}markdown-exec: {msg}", kwargs


_MARKDOWN_EXEC_LOGGER = "mkdocs.plugins.markdown_exec"


def _markdown_exec_logger(name: str) -> logging.LoggerAdapter:
    # Under mkdocs.plugins, so that `mkdocs build --strict` counts its warnings.
    return _PageLoggerAdapter(logging.getLogger(f"mkdocs.plugins.{name}"), {})


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record) -> None:
        self.count += 1


@contextmanager
def _markdown_exec_warnings():
    """Counts markdown-exec's warnings: a block that failed must not be cached."""
    counter = _WarningCounter()
    logger = logging.getLogger(_MARKDOWN_EXEC_LOGGER)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)


@functools.lru_cache(maxsize=4)
def _renderer(macros: tuple[tuple[str, str], ...]) -> MathRenderer:
    # One V8 context per process: serve rebuilds create a new plugin but reuse it.
    return MathRenderer(dict(macros))


class CheckedSitePlugin(BasePlugin[CheckedSiteConfig]):
    def on_config(self, config):
        root = Path(config.config_file_path).resolve().parent
        self.snippets_dir = root / self.config.snippets_dir
        cache_dir = root / self.config.cache_dir if self.config.cache_dir else None
        self.cache = ExecutionCache(cache_dir, root, self.snippets_dir, self.config.exec_timeout)
        self.formatting = _formatting_options(config)
        markdown_exec.patch_loggers(_markdown_exec_logger)
        self.renderer = _renderer(tuple(sorted(self.config.tex_macros.items())))

        fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault(
            "custom_fences", []
        )
        for fence in fences:
            if fence.get("format") is markdown_exec.formatter:
                fence["format"] = self._run_block
        fences.append({"name": "claim", "class": "claim", "format": self._show_claim})
        fences.append(
            {"name": "claims-table", "class": "claims-table", "format": self._claims_table}
        )
        fences.append(
            {"name": "claim-status", "class": "claim-status", "format": self._claim_status}
        )
        fences.append(
            {"name": "claim-formula", "class": "claim-formula", "format": self._claim_formula}
        )
        for palette in config.theme.get("palette") or []:
            if palette.get("media") == "(prefers-color-scheme)":
                raise PluginError(
                    "theme.palette: an automatic palette (media: (prefers-color-scheme)) is not"
                    " supported by the colour scheme toggle of overrides/main.html"
                )
        config.extra_css.insert(0, MATH_STYLESHEET)
        self._remove_notebook_config()  # a serve rebuild: the previous build's
        self.nbconvert_settings, self.notebook_config = configure_notebook_execution(
            self.config.exec_timeout
        )
        self.templates = config.theme.get_env()  # the site's partials (overrides/partials)
        return config

    def on_pre_build(self, config):
        root = Path(config.config_file_path).resolve().parent
        if leaving := links_out_of(self.snippets_dir, root):
            raise PluginError(
                "links out of the project, which the build would read and publish: "
                + "; ".join(leaving)
            )
        self.results: dict[str, claim_runner.ClaimResult] = {}
        self.claim_pages: dict[str, object] = {}
        # Each page's numbered equations, by URL: links from other pages show their numbers.
        self.equations: dict[str, PageEquations] = {}
        # Pages with their math rendered, by URL, while the search index reads them as text.
        self.rendered_content: dict[str, str] = {}
        # The notebook pages' stylesheets (see notebooks.py), by path in the site.
        self.notebook_stylesheets: dict[str, str] = {}
        # Seconds spent running code, by page and by block, claim or notebook.
        self.timings: dict[str, dict[str, dict]] = defaultdict(dict)
        # What each page's display equations are (equation_accounts.py), by source path.
        self.equation_accounts: dict[str, PageAccount] = {}
        # The (claim, value) pairs that pages show (quotes.py).
        self.quotes_shown: set[tuple[str, str]] = set()
        self.cache.hits = self.cache.misses = 0
        # Fresh processes for every build, as a clean `mkdocs build` would have.
        self.workers = Workers(self.snippets_dir)
        self.ahead = Ahead(self.snippets_dir, self.config.exec_timeout, self.workers.claims)
        self.blocks = Blocks(
            self.workers.blocks, self.config.exec_timeout, self.config.output_limit
        )

    def on_files(self, files, config):
        # The claims each page makes, in order; pages in reading order once the nav is known.
        self.claims_by_page = {
            file.src_uri: ids
            for file in files.documentation_pages()
            if file.src_uri.endswith(".md")
            and (ids := [match["id"] for match in CLAIM_FENCE.finditer(file.content_string)])
        }
        for src_uri, claim_ids in self.claims_by_page.items():
            for claim_id in filter(claim_runner.CLAIM_ID.fullmatch, claim_ids):
                files.append(self._claim_code_file(claim_id, src_uri, config))
        # The theme's stylesheets, named by their hash.
        self.theme_stylesheets = sorted(
            file.dest_uri for file in files if THEME_STYLESHEETS.fullmatch(file.dest_uri)
        )
        for path in [KATEX_DIR / "katex.min.css", *sorted((KATEX_DIR / "fonts").glob("*.woff2"))]:
            site_path = f"{MATH_SITE_DIR}/{path.relative_to(KATEX_DIR).as_posix()}"
            files.append(File.generated(config, site_path, abs_src_path=str(path)))
        return files

    def on_nav(self, nav, config, files):
        """Start the claims and notebooks that the cache does not hold (see ahead.py)."""
        # The Checks page lists claims in the order of the navigation.
        order = {page.file.src_uri: index for index, page in enumerate(nav.pages)}
        self.claims_by_page = dict(
            sorted(self.claims_by_page.items(), key=lambda item: order.get(item[0], len(order)))
        )
        self.files = files
        if not self.config.execute:
            return nav
        jupyter = config.plugins["mkdocs-jupyter"]
        for file in files.documentation_pages():
            notebook = file.src_uri.endswith(".ipynb") and file.page is not None
            if notebook and self._notebook_key(file.page, config) not in self.cache:
                jupyter.on_pre_page(file.page, config=config, files=files)  # sets its render
                self.ahead.start_notebook(file.src_uri, file.page.render, file.page, config, files)
        self.ahead.start_claims(
            [
                claim_id
                for ids in self.claims_by_page.values()
                for claim_id in ids
                if claim_runner.CLAIM_ID.fullmatch(claim_id)
                and claim_runner.claim_path(self.snippets_dir, claim_id).is_file()
                and self._claim_key(claim_id) not in self.cache
            ]
        )
        return nav

    def on_pre_page(self, page, config, files):
        if page.file.src_uri.endswith(".ipynb"):
            self._cache_notebook(page, config)
        return page

    def on_page_markdown(self, markdown_source, page, config, files):
        self.page = page
        # The sitemap's date: the page's last commit (git-revision-date-localized), not today.
        page.update_date = page.meta.get(GIT_DATE, page.update_date)
        _CurrentPage.src_uri = page.file.src_uri
        markdown_source = _CLAIMS_TABLE_FENCE.sub(
            lambda _: self._claims_sections(page), markdown_source
        )
        markdown_source = self._account_equations(markdown_source, page.file.src_uri)
        return _EXEC_FENCE.sub(self._with_source_link, markdown_source)

    def _account_equations(self, markdown_source: str, src_uri: str) -> str:
        """Check the page's display equations; an unchecked one fails unless the page is pending."""
        notebook = src_uri.endswith(".ipynb")
        markdown = notebook_markdown(markdown_source) if notebook else markdown_source
        claims_made = {match["id"] for match in CLAIM_FENCE.finditer(markdown)}
        verify = cached_verifier(self.cache)
        accounted, account = account_page(markdown, self._statement, claims_made, verify)
        if not notebook:  # a notebook's source is JSON: reported, not changed
            markdown_source = accounted
        self.equation_accounts[src_uri] = account
        errors = account.errors
        if src_uri not in self.config.equations_pending:
            errors = errors + account.unchecked_errors()
        elif not account.count("unchecked"):
            errors = [
                *errors,
                "every display equation is accounted for: remove the page from"
                " equations_pending (mkdocs.yml)",
            ]
        for error in errors:
            log.error(f"{src_uri}: {error}")
        if account.equations:
            log.info(f"{src_uri}: {account.summary()}")
        return markdown_source

    def _statement(self, claim_id: str) -> str | None:
        try:
            source = claim_runner.claim_source(self.snippets_dir, claim_id)
        except (ValueError, FileNotFoundError):
            return None
        return claim_runner.statement_of(source, claim_id)

    def _with_source_link(self, fence: re.Match) -> str:
        """An executed block that includes snippets, followed by links to them."""
        paths = [f"{self.config.snippets_dir}/{path}" for path in _INCLUDE.findall(fence["body"])]
        links = "".join(f'<p class="source-link">{self._source_link(path)}</p>' for path in paths)
        return f"{fence[0]}\n\n{fence['indent']}{links}" if links else fence[0]

    def _source_link(self, path: str) -> str:
        """A link to a file of the project in the repository (path relative to mkdocs.yml)."""
        if not self.config.source_url:
            return f"<code>{html.escape(path)}</code>"
        url = html.escape(self.config.source_url + path)
        return f'<a href="{url}">View <code>{html.escape(path)}</code> in the repository</a>'

    def on_page_content(self, html_content, page, config, files):
        # Claims are raw HTML to MkDocs, so it would not see their ids when it validates
        # links such as `softmax.md#ce-logit-gradient`.
        made_here = {claim_id for claim_id, made_on in self.claim_pages.items() if made_on is page}
        for claim_id in sorted(made_here & set(page.present_anchor_ids or ())):
            log.error(
                f"{page.file.src_uri}: claim {claim_id} has the id of another element of the page"
                " (a heading?): give that element another id"
            )
        # Equations get their ids when KaTeX renders them (on_post_page), too late for MkDocs.
        numbers, errors = page_labels(html_content, made_here | set(page.present_anchor_ids or ()))
        for error in errors:
            log.error(f"{page.file.src_uri}: {error}")
        self.equations[page.url] = PageEquations(page.title, numbers)
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= made_here | numbers.keys()
        return html_content

    # --- Fences -------------------------------------------------------------------------

    def _run_block(self, source, language, css_class, options, md, **kwargs):
        what = f"{language} block"
        if options.get("id"):
            what += f" '{options['id']}'"
        if not self.config.execute:
            return self._fragment(f"```{language}\n{source}\n```")
        # A block of a session depends on the blocks before it: it always runs.
        key = None
        if not options.get("session"):
            key = self.cache.key(
                "block", source, language=language, options=options, formatting=self.formatting
            )
            entry = self.cache.get(key)
            if entry is not None:
                self._record_time(what, 0.0, cached=True)
                return Markup(entry["html"])
        start = time.perf_counter()
        with _markdown_exec_warnings() as warnings:
            output, reads = self.blocks.format(source, language, options, md, what)
        seconds = time.perf_counter() - start
        self._record_time(what, seconds)
        if refused := active_content(output):
            log.error(f"{self.page.file.src_uri}: {what}: its output has {', '.join(refused)}")
            return Markup(f'<p class="block-error">{html.escape(what)}: output refused.</p>')
        # Headings in an output would reach the table of contents only when the block runs.
        if key and not warnings.count and not _HEADING.search(output):
            self.cache.put(key, {"html": str(output)}, reads)
        return output

    def _record_time(self, what: str, seconds: float, cached: bool = False) -> None:
        runs = self.timings[self.page.file.src_uri]
        name, number = what, 1
        while name in runs:  # blocks without an id share a name
            number += 1
            name = f"{what} #{number}"
        runs[name] = {"seconds": seconds, "cached": cached}

    def _notebook_key(self, page, config) -> str:
        text = Path(page.file.abs_src_path).read_text("utf-8")
        jupyter = dict(config.plugins["mkdocs-jupyter"].config)
        return self.cache.notebook_key(
            text,
            formatting=self.formatting,
            jupyter=jupyter,
            nbconvert=self.nbconvert_settings,
        )

    def _cache_notebook(self, page, config) -> None:
        """Wrap the notebook's render (set by mkdocs-jupyter) with the execution cache."""
        jupyter = config.plugins["mkdocs-jupyter"].config
        render = page.render
        path = Path(page.file.abs_src_path)

        def cached_render(config, files):
            self.page = page
            if not self.config.execute:
                render(config, files)  # mkdocs-jupyter renders it without running it
                page.content = self._tidy_notebook(page.content, page)
                return
            key = self._notebook_key(page, config)
            entry = self.cache.get(key)
            if entry is not None:
                self._record_time("notebook", 0.0, cached=True)
                content = entry["html"]
            else:
                # mkdocs-jupyter raises, and fails the build, if a cell raises.
                content, seconds = self.ahead.notebook(page.file.src_uri) or render_notebook(
                    render, page, config, files
                )
                self._record_time("notebook", seconds)
                self.cache.put(key, {"html": content})
            page.content = self._tidy_notebook(content, page)
            toc, title = get_nb_toc(str(path), jupyter["toc_depth"])
            page.toc = toc
            if title is not None and not jupyter["ignore_h1_titles"]:
                page.title = title

        page.render = cached_render

    def _tidy_notebook(self, content: str, page) -> str:
        # Cached: reading the notebook's stylesheets takes seconds, and serve repeats it.
        tidied = self.cache.computed(
            "notebook-tidy",
            content,
            lambda: dict(zip(("html", "css"), tidy_notebook(content), strict=True)),
            uses=("tinycss2",),
        )
        content, stylesheets = tidied["html"], tidied["css"]
        self.notebook_stylesheets.update(stylesheets)
        for path in stylesheets:
            content = content.replace(STYLESHEET_HREF, get_relative_url(path, page.url))
        return content

    def _show_claim(self, source, language, css_class, options, md, **kwargs):
        claim_id = source.strip()
        page = self.page
        try:
            if claim_id in self.claim_pages:
                raise ValueError(
                    f"claim {claim_id} is already made on"
                    f" {self.claim_pages[claim_id].file.src_uri};"
                    " link to it instead"
                )
            result = self._run_claim(claim_id)
        except Exception as error:  # superfences would swallow it and show the raw fence
            log.error(f"{page.file.src_uri}: claim {claim_id}: {error}")
            message = html.escape(f"Claim {claim_id}: {error}")
            return f'<p class="claim-error">{message}</p>'
        self.results[claim_id] = result
        self.claim_pages[claim_id] = page
        if self.config.execute and not result.passed:
            log.error(f"{page.file.src_uri}: claim {claim_id} fails: {result.failure()}")
        return self._claim_html(result)

    def _run_claim(self, claim_id: str) -> claim_runner.ClaimResult:
        source = claim_runner.claim_source(self.snippets_dir, claim_id)
        what = f"claim {claim_id}"
        if not self.config.execute:
            return claim_runner.ClaimResult(
                claim_id, claim_runner.statement_of(source, claim_id), source
            )
        key = self._claim_key(claim_id)
        entry = self.cache.get(key)
        if entry is not None:
            self._record_time(what, 0.0, cached=True)
            return claim_runner.ClaimResult.from_entry(entry)
        result = self.ahead.claim(claim_id)
        self._record_time(what, result.seconds)
        if result.passed:  # a failing claim runs again on every build until it is fixed
            entry = result.to_entry()
            self.cache.put(key, entry, entry.pop("reads"))
        return result

    def _claim_key(self, claim_id: str) -> str:
        # The id too: two claims with the same code are two results, each with its id.
        source = claim_runner.claim_source(self.snippets_dir, claim_id)
        return self.cache.key("claim", source, claim_id=claim_id)

    def _claims_table(self, source, language, css_class, options, md, **kwargs):
        # Filled in once every page has run its claims (on_page_context).
        src_uri = html.escape(source.strip())
        return f'<div class="claims-table-placeholder" data-page="{src_uri}"></div>'

    def _claims_sections(self, page) -> str:
        """The Checks page's fence as Markdown: headings that reach the table of contents."""
        sections = ["```claims-table\n```"]
        for src_uri in self.claims_by_page:
            made_on = self.files.get_file_from_path(src_uri).page
            link = posixpath.relpath(src_uri, posixpath.dirname(page.file.src_uri) or ".")
            anchor = made_on.url.strip("/").replace("/", "-") or "home"
            sections.append(
                f"## [{made_on.title}]({link}) {{ #claims-{anchor} }}\n\n"
                f"```claims-table\n{src_uri}\n```"
            )
        return "\n\n".join(sections)

    def _claim_status(self, source, language, css_class, options, md, **kwargs):
        # The live outcome of a claim made on another page, filled in on_post_page.
        claim_id = html.escape(source.strip())
        return f'<div class="claim-status-placeholder" data-claim="{claim_id}"></div>'

    def _quoted(self, claim_id: str):
        """The values a claim quotes (checks.quote), for numbers in prose; None: no claim."""
        result = self.results.get(claim_id)
        return None if result is None else result.quoted

    def _claim_formula(self, source, language, css_class, options, md, **kwargs):
        # A formula of a claim's statement, shown boxed on another page: filled in like a status.
        reference = html.escape(" ".join(source.split()))
        return f'<div class="claim-formula-placeholder" data-claim="{reference}"></div>'

    def _claim_formula_html(self, reference: str, page) -> str:
        try:
            formula = claim_runner.formula_of(self.results, reference, checked=self.config.execute)
        except ValueError as error:
            log.error(f"{page.file.src_uri}: claim-formula {reference}: {error}")
            return f'<p class="claim-error">{html.escape(str(error))}</p>'
        return f'<div class="arithmatex">\\[\\boxed{{{html.escape(formula)}}}\\]</div>'

    def _claim_status_html(self, claim_id: str, page) -> str:
        result = self.results.get(claim_id)
        if result is None:
            log.error(f"{page.file.src_uri}: claim-status of {claim_id}, which no page makes")
            return f'<p class="claim-error">No claim {html.escape(claim_id)}.</p>'
        binding = result.binding_check
        return self.templates.get_template("partials/claim-status.html").render(
            claim=result,
            href=self._claim_href(claim_id, page),
            status="success" if result.passed else "failure",
            execute=self.config.execute,
            binding=binding
            and {"observed": _number(binding.observed), "tolerance": _number(binding.tolerance)},
        )

    def _claim_href(self, claim_id: str, page) -> str:
        """Where page links to the claim."""
        target = get_relative_url(self.claim_pages[claim_id].url or "./", page.url or "./")
        return f"{target}#{claim_id}"

    # --- HTML ---------------------------------------------------------------------------

    @functools.cached_property
    def _fragment_markdown(self) -> markdown.Markdown:
        """Converts statements and code of claims the way pages are converted."""
        return markdown.Markdown(
            extensions=["pymdownx.arithmatex", "pymdownx.highlight", "pymdownx.superfences"],
            extension_configs={"pymdownx.arithmatex": {"generic": True}},
        )

    def _fragment(self, text: str) -> str:
        self._fragment_markdown.reset()
        return self._fragment_markdown.convert(text)

    def _statement_html(self, result) -> str:
        converted = self._fragment(result.statement)
        return converted.removeprefix("<p>").removesuffix("</p>")

    def _claim_html(self, result) -> str:
        claim_file = f"{self.config.snippets_dir}/claims/{result.id}.py"
        return self.templates.get_template("partials/claim.html").render(
            claim=result,
            execute=self.config.execute,
            statement=self._statement_html(result),
            checks=[(c, claim_runner.what_html(c.what), _figures(c)) for c in result.checks],
            unchanged=list(map(claim_runner.what_html, result.unchanged_by_changes)),
            untied=[claim_runner.what_html(f"${formula}$") for formula in result.untied],
            figures=_figures,
            code_page=get_relative_url(f"{CLAIM_CODE_DIR}/{result.id}.html", self.page.url or "./"),
            source_link=self._source_link(claim_file),
        )

    def _claim_code_file(self, claim_id: str, made_on: str, config) -> File:
        """The page of a claim's check code, which claim-code.js takes the code from."""
        claim_file = f"{self.config.snippets_dir}/claims/{claim_id}.py"
        path = claim_runner.claim_path(self.snippets_dir, claim_id)
        source = path.read_text("utf-8") if path.is_file() else ""
        fence = "`" * max([3, *(len(run) + 1 for run in re.findall("`+", source))])
        back = posixpath.relpath(made_on, CLAIM_CODE_DIR)
        text = (
            "---\ntemplate: claim-code.html\nsearch:\n  exclude: true\n---\n\n"
            f"# The check of claim {claim_id}\n\n"
            f"`{claim_file}` checks claim [`{claim_id}`]({back}#{claim_id}):\n\n"
            f'<div class="claim-source" markdown>\n\n{fence}python\n{source}\n{fence}\n\n</div>\n'
        )
        file = File.generated(
            config,
            f"{CLAIM_CODE_DIR}/{claim_id}.md",
            content=text,
            inclusion=InclusionLevel.NOT_IN_NAV,
        )
        file.dest_uri = f"{CLAIM_CODE_DIR}/{claim_id}.html"  # the URL claims link to
        return file

    def _claims_table_html(self, src_uri: str, page) -> str:
        """The summary of every claim (src_uri empty), or the claims one page makes."""
        if not src_uri:
            failing = sum(not r.passed for r in self.results.values())
            summary = f"All {len(self.results)} claims pass."
            if failing:
                summary = f"{failing} of {len(self.results)} claims FAIL."
            if not self.config.execute:
                summary = "This build runs no code: no claim was checked."
            return f'<p class="claims-summary">{summary}</p>'
        rows = [
            (result, self._claim_href(result.id, page), self._statement_html(result))
            for result in map(self.results.get, self.claims_by_page[src_uri])
        ]
        return self.templates.get_template("partials/claims-table.html").render(
            rows=rows, figures=_figures
        )

    # --- Whole pages and the end of the build ----------------------------------------------

    @event_priority(50)  # before the search plugin indexes the page
    def _complete_page(self, context, page, config, nav):
        """Fill in what needs every page converted first, and render the math.

        Every page's claims have run and its equations are numbered by now (on_page_content
        runs for all pages before on_page_context runs for any). The search plugin indexes
        page.content next, so until it has, the content holds each formula as readable text.
        """
        for title in _toc_titles(page.toc):
            if _RAW_TEX_IN_TITLE.search(title):
                log.error(
                    f"{page.file.src_uri}: the heading '{title}' contains math, which the table"
                    " of contents would show as raw TeX: write the heading in words"
                )
        content = _CLAIMS_TABLE_PLACEHOLDER.sub(
            lambda match: self._claims_table_html(html.unescape(match[1]), page), page.content
        )
        content = _CLAIM_FORMULA_PLACEHOLDER.sub(
            lambda match: self._claim_formula_html(html.unescape(match[1]), page), content
        )
        content = _CLAIM_STATUS_PLACEHOLDER.sub(
            lambda match: self._claim_status_html(html.unescape(match[1]), page), content
        )
        content, quote_errors = fill_quotes(
            content, self._quoted, self.config.execute, self.quotes_shown
        )
        for error in quote_errors:
            log.error(f"{page.file.src_uri}: {error}")
        content, link_errors = fill_equation_links(content, page.url, self.equations)
        for error in link_errors:
            log.error(f"{page.file.src_uri}: {error}")
        options = {
            "notebook": page.file.src_uri.endswith(".ipynb"),
            "equation_numbers": self.equations[page.url].numbers,
        }
        rendered, errors = self.renderer.render_page(content, **options)
        for error in errors:
            log.error(f"{page.file.src_uri}: bad TeX: {error}")
        self.rendered_content[page.url] = wrap_tables(rendered)
        page.content, _ = self.renderer.render_page(content, as_text=True, **options)
        return context

    @event_priority(-50)  # after the search plugin
    def _show_rendered_page(self, context, page, config, nav):
        page.content = self.rendered_content.pop(page.url)
        return context

    on_page_context = CombinedEvent(_complete_page, _show_rendered_page)

    def on_post_page(self, output, page, config):
        if 'class="claim-code"' in output:
            script = get_relative_url(CLAIM_CODE_SCRIPT, page.url or "./")
            head, body_end, tail = output.rpartition("</body>")
            output = f'{head}<script src="{script}" defer></script>{body_end}{tail}'
        return _preload_math_fonts(output, page.url)

    def on_build_error(self, error):
        self.ahead.close()
        self.workers.close()
        self._remove_notebook_config()

    def on_shutdown(self):
        self._remove_notebook_config()

    def _remove_notebook_config(self) -> None:
        if getattr(self, "notebook_config", None):
            shutil.rmtree(self.notebook_config, ignore_errors=True)
            self.notebook_config = None

    def on_post_build(self, config):
        self.ahead.close()
        self.workers.close()
        self._remove_notebook_config()
        cut_down_stylesheets(Path(config.site_dir), [*self.theme_stylesheets, MATH_STYLESHEET])
        for path, css in sorted(self.notebook_stylesheets.items()):
            target = Path(config.site_dir) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(css, "utf-8")
        _minify_pages(Path(config.site_dir))
        for claim_id in claim_runner.all_claim_ids(self.snippets_dir):
            if claim_id not in self.claim_pages:
                log.error(
                    f"claim {claim_id} ({self.config.snippets_dir}/claims/{claim_id}.py)"
                    " is made on no page: add a ```claim fence where it belongs"
                )
        if self.config.execute:
            quoted = {claim_id: result.quoted for claim_id, result in self.results.items()}
            for error in unshown_quotes(quoted, self.quotes_shown):
                log.error(error)
        if self.config.timings_file:
            timings = {
                "cache": {"hits": self.cache.hits, "misses": self.cache.misses},
                "pages": dict(sorted(self.timings.items())),
            }
            path = Path(config.config_file_path).parent / self.config.timings_file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(timings, indent=2) + "\n", "utf-8")
        accounts = {
            src: account.record()
            for src, account in sorted(self.equation_accounts.items())
            if account.equations
        }
        path = Path(config.site_dir) / "equations.json"
        path.write_text(json.dumps(accounts, indent=2, ensure_ascii=False) + "\n", "utf-8")
        if not self.config.execute:
            return  # nothing was checked: no claims.json
        records = [
            _claim_record(result, self.claim_pages[claim_id])
            for claim_id, result in sorted(self.results.items())
        ]
        path = Path(config.site_dir) / "claims.json"
        path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", "utf-8")


def _minify_pages(site_dir: Path) -> None:
    """Write every page without the spaces, comments and quotes a browser does not need.

    About a tenth of a page's bytes. minify-html parses HTML5 with its MathML and SVG, keeps
    the text of <pre> and the spaces between words, and only leaves out what the standard
    lets it, so the pages stay valid. Closing tags stay (2 % of a page): without them, only a
    parser that knows HTML5's rules for implied ends builds the tree the browser builds.
    """
    for page in site_dir.rglob("*.html"):
        text = page.read_text("utf-8")
        minified = minify_html.minify(
            text,
            keep_closing_tags=True,
            keep_html_and_head_opening_tags=True,
            minify_css=True,
            minify_js=True,
        )
        page.write_text(minified, "utf-8")


def _preload_math_fonts(page_html: str, page_url: str) -> str:
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


def _formatting_options(config) -> str:
    """The Markdown configuration that turns an output into HTML, as stable text."""

    def name(value) -> str:  # functions by name: their address changes from run to run
        return getattr(value, "__qualname__", type(value).__qualname__)

    options = {"extensions": config.markdown_extensions, "configs": config.mdx_configs}
    return json.dumps(options, sort_keys=True, default=name)


def _toc_titles(toc):
    for item in toc:
        yield item.title
        yield from _toc_titles(item.children)


def _number(value: float) -> str:
    if value == 0:
        return "0"
    return f"{value:.1e}"


def _figures(check) -> str:
    """A check's observed error against its tolerance ("" for no check)."""
    if check is None:
        return ""
    if check.passed:
        return f"{_number(check.observed)} ≤ {_number(check.tolerance)}"
    return f"{_number(check.observed)} > {_number(check.tolerance)}, FAILED"


def _claim_record(result, page) -> dict:
    binding = result.binding_check
    return {
        "id": result.id,
        "statement": result.statement,
        "page": f"{page.url or './'}#{result.id}",
        "checks": [c.kind for c in result.checks],
        "observed": _finite(binding.observed) if binding else None,
        "tolerance": _finite(binding.tolerance) if binding else None,
        "passed": result.passed,
        "formulas_tied": result.tied,
        "formulas_untied": result.untied,
        "quoted": result.quoted,
        "unchanged_by_changes": result.unchanged_by_changes,
        "details": [
            {
                "kind": c.kind,
                "what": c.what,
                "observed": _finite(c.observed),
                "tolerance": c.tolerance,
                "passed": c.passed,
                "fails_when_changed": c.fails_when_changed,
            }
            for c in result.checks
        ],
    }


def _finite(value: float) -> float | None:
    """JSON has no inf or nan: an unmeasurable error is null."""
    return value if value == value and abs(value) != float("inf") else None
