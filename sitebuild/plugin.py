"""The MkDocs plugin that makes every page of the site checked and self-contained.

The class wires MkDocs' events to the modules that do the work and holds the build's state,
all declared in `__init__`:

- site_claims.py: claims, from the ```claim fence on a page to claims.json (claims.py runs one);
- execution.py: page code (blocks, claims, notebooks) under the time limit, in killable worker
  processes (worker.py, sandbox.py), through the execution cache (cache.py), run ahead;
- blocks.py, output.py: markdown-exec's blocks, named by page in its warnings, and their output;
- notebooks.py: all of the adaptation of mkdocs-jupyter's notebook pages;
- math.py: TeX rendered by KaTeX at build time, and the one place that finds formulas in HTML;
  the search index gets each formula as readable text, not TeX;
- equation_accounts.py, derivations.py, equations.py: what each display equation is (checked
  or not), and numbered equations; quotes.py: numbers in prose quoted from claims;
- stylesheets.py, minify.py: the stylesheets cut down to what the site uses, pages minified.
- serve.py: in `mkdocs serve --dirty` (make serve), a save rebuilds the pages it can change.

Whatever fails (a claim, a block, an orphan claim file, bad TeX) logs an error naming the page,
so that ``mkdocs build --strict`` fails.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File

from sitebuild import blocks
from sitebuild.config import CheckedSiteConfig, check_theme, log
from sitebuild.equation_accounts import PageAccount, account_equations, write_accounts
from sitebuild.equations import PageEquations, fill_equation_links, number_page
from sitebuild.execution import Execution, formatting_options
from sitebuild.math import (
    MATH_STYLESHEET,
    MathRenderer,
    katex_files,
    preload_fonts,
    tex_in_headings,
    write_formulas,
)
from sitebuild.notebooks import NotebookPages
from sitebuild.project_files import refuse_links_out_of
from sitebuild.serve import SITE_WIDE_DIRS, FullBuild, ServeSession
from sitebuild.site_claims import SiteClaims
from sitebuild.stylesheets import THEME_STYLESHEETS, wrap_tables

# Set by the git-revision-date-localized plugin, which runs before this one.
GIT_DATE = "git_revision_date_localized_raw_iso_date"


class CheckedSitePlugin(BasePlugin[CheckedSiteConfig]):
    def __init__(self) -> None:
        self.root: Path | None = None  # the folder of mkdocs.yml
        self.execution: Execution | None = None
        self.claims: SiteClaims | None = None
        self.notebooks: NotebookPages | None = None
        self.renderer: MathRenderer | None = None
        self.page = None  # the page being converted, for the fences
        self.theme_stylesheets: list[str] = []  # the theme's, named by their hash
        # What each page's display equations are (equation_accounts.py), by source path.
        self.equation_accounts: dict[str, PageAccount] = {}
        # Each page's numbered equations, by URL: links from other pages show their numbers.
        self.equations: dict[str, PageEquations] = {}
        # Pages with their math rendered, by URL, while the search index reads them as text.
        self.rendered_content: dict[str, str] = {}
        self.formulas: dict[str, list] = {}  # each page's formulas, by source path
        # What a `mkdocs serve --dirty` rebuild keeps of the last (serve.py).
        self.serve: FullBuild = FullBuild()

    def on_startup(self, command, dirty):
        self.serve = ServeSession() if command == "serve" and dirty else FullBuild()

    def on_serve(self, server, config, builder):
        for folder in SITE_WIDE_DIRS:  # a change there rebuilds every page
            server.watch(str(self.root / folder))
        return server

    def on_config(self, config):
        check_theme(config)
        self.root = Path(config.config_file_path).resolve().parent
        self.serve.share_templates(config.theme, self.root)
        self.execution = Execution(self.config, self.root, formatting_options(config))
        self.claims = SiteClaims(self.config, self.execution, config.theme.get_env())
        if self.notebooks is not None:  # a serve rebuild: the previous build's
            self.notebooks.remove_config()
        self.notebooks = NotebookPages(self.execution, self.config.exec_timeout)
        self.renderer = MathRenderer.shared(self.config.tex_macros)
        fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault(
            "custom_fences", []
        )
        blocks.format_with(fences, self._run_block)
        for fence in self.claims.fences():
            fences.append({**fence, "class": fence["name"], "format": self._on_page(fence)})
        config.extra_css.insert(0, MATH_STYLESHEET)
        return config

    def _on_page(self, fence: dict):
        return lambda source, *args, **kwargs: fence["format"](source, self.page)

    def _run_block(self, source, language, css_class, options, md, **kwargs):
        return self.execution.block(source, language, options, md, self.page.file.src_uri)

    def on_pre_build(self, config):
        refuse_links_out_of(self.execution.snippets_dir, self.root)
        self.execution.start()
        self.claims.start()
        self.notebooks.start()
        self.equations, self.equation_accounts, self.rendered_content = {}, {}, {}
        self.formulas = {}

    def on_files(self, files, config):
        self.claims.find(files, config)
        self.theme_stylesheets = sorted(
            file.dest_uri for file in files if THEME_STYLESHEETS.fullmatch(file.dest_uri)
        )
        for site_path, path in katex_files():
            files.append(File.generated(config, site_path, abs_src_path=str(path)))
        self.serve.plan(files, config, self.root, [self.execution.cache.directory])
        return files

    def on_nav(self, nav, config, files):
        """Start the claims and notebooks that the cache does not hold (see execution.py)."""
        claim_ids = self.claims.order(nav)
        state = (self.claims, self.equations, self.equation_accounts, self.formulas)
        self.serve.restore(config, files, *state)
        claim_ids = self.serve.claims_to_make(claim_ids, self.claims.by_page)
        self.notebooks.run_ahead(files, config, self.serve.building)
        self.execution.run_ahead(claim_ids)
        return nav

    def on_pre_page(self, page, config, files):
        if page.file.src_uri.endswith(".ipynb"):
            self.notebooks.wrap_render(page, config)
        self.serve.start_page()
        return page

    def on_page_markdown(self, markdown_source, page, config, files):
        self.page = page
        blocks.CurrentPage.src_uri = page.file.src_uri
        # The sitemap's date: the page's last commit (git-revision-date-localized), not today.
        page.update_date = page.meta.get(GIT_DATE, page.update_date)
        markdown_source = self.claims.expand_checks_page(markdown_source, page)
        src_uri, cache = page.file.src_uri, self.execution.cache
        pending = src_uri in self.config.equations_pending
        markdown_source, self.equation_accounts[src_uri] = account_equations(
            markdown_source, src_uri, self.claims.statement, pending, cache
        )
        return blocks.with_source_links(
            markdown_source, self.config.snippets_dir, self.config.source_url
        )

    def on_page_content(self, html_content, page, config, files):
        made_here = self.claims.check_ids(page)
        self.equations[page.url], errors = number_page(html_content, page, made_here)
        _log_errors(page, errors)
        self.serve.end_page(page, self.execution)
        return html_content

    def on_env(self, env, config, files):
        self.serve.follow_references(config, files, self.claims, self.equations)
        return env

    @event_priority(50)  # before the search plugin indexes the page
    def _complete_page(self, context, page, config, nav):
        """Fill in what needs every page converted first, and render the math.

        Every page's claims have run and its equations are numbered by now (on_page_content
        runs for all pages before on_page_context runs for any). The search plugin indexes
        page.content next, so until it has, the content holds each formula as readable text.
        """
        _log_errors(page, tex_in_headings(page.toc))
        self.serve.complete_page(page, self.claims, config)
        content = self.claims.fill(page.content, page)
        content, link_errors = fill_equation_links(content, page.url, self.equations)
        _log_errors(page, link_errors)
        options = {
            "notebook": page.file.src_uri.endswith(".ipynb"),
            "equation_numbers": self.equations[page.url].numbers,
        }
        found = self.formulas[page.file.src_uri] = []
        rendered, errors = self.renderer.render_page(content, rendered=found, **options)
        _log_errors(page, [f"bad TeX: {error}" for error in errors])
        self.rendered_content[page.url] = wrap_tables(rendered)
        page.content, _ = self.renderer.render_page(content, as_text=True, **options)
        return context

    @event_priority(-50)  # after the search plugin
    def _show_rendered_page(self, context, page, config, nav):
        page.content = self.rendered_content.pop(page.url)
        self.serve.indexed_page(page, config)
        return context

    on_page_context = CombinedEvent(_complete_page, _show_rendered_page)

    def on_post_page(self, output, page, config):
        output = preload_fonts(self.claims.add_code_script(output, page), page.url)
        self.serve.page_output(page, output)
        return output

    def on_build_error(self, error):
        self.serve.abort()
        self.execution.close()
        self.notebooks.remove_config()

    def on_shutdown(self):
        if self.notebooks is not None:
            self.notebooks.remove_config()

    def on_post_build(self, config):
        self.execution.close()
        self.notebooks.remove_config()
        site_dir = Path(config.site_dir)
        self.serve.finish(self.claims, self.equations, self.equation_accounts, self.formulas)
        stylesheets = [*self.theme_stylesheets, MATH_STYLESHEET]
        self.serve.write_site(site_dir, stylesheets, self.notebooks.write_stylesheets, config)
        self.claims.finish(site_dir)
        if self.config.timings_file:
            self.execution.write_timings(self.root / self.config.timings_file)
        write_accounts(site_dir / "equations.json", self.equation_accounts)
        write_formulas(site_dir / "formulas.json", self.formulas)


def _log_errors(page, errors: list[str]) -> None:
    for error in errors:
        log.error(f"{page.file.src_uri}: {error}")
