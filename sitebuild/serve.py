"""`mkdocs serve --dirty` (`make serve`): a save rebuilds only the pages it can change.

A build in serve records what went into each page (`PageRecord`): its source, every file its
conversion and its code read (in the builder, and recorded by the workers for blocks and
claims), what it shows of other pages (claims, equation numbers), and what the site-wide
outputs need of it (its claims, equations, formulas, search entries, the words its HTML uses).
The next rebuild:

1. rebuilds everything (a full build) when something every page depends on changed: mkdocs.yml,
   overrides/, sitebuild/ (whose Python code a running serve does not reload: it says so), the
   files of docs/ that are not pages, the set of pages, or the installed distributions;
2. otherwise converts only the pages whose source, or a file they read, changed (`plan`);
3. once those are converted, also the pages that show what changed there: a claim's result
   (claim-status, claim-formula, quoted numbers, the Checks page) or an equation's number
   (`follow_references`);
4. keeps the other pages' files in the site, and restores what the site-wide outputs need of
   them (`restore`): claims.json, the Checks page, equations.json, formulas.json, the search
   index and the stylesheets' cut are made from every page, as in a full build.

`make build` never takes this path: MkDocs passes dirty only to `mkdocs serve --dirty`.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from mkdocs import utils
from mkdocs.commands.build import _populate_page
from mkdocs.structure.pages import Page

from sitebuild.cache import file_state, metadata_folders, recording
from sitebuild.config import log
from sitebuild.equations import linked_pages
from sitebuild.minify import minify_pages
from sitebuild.site_claims import claim_record
from sitebuild.stylesheets import (
    colours_of,
    cut_down_stylesheets,
    cut_stylesheet,
    relink,
    stylesheet_words,
    words_of,
)

# What a change of which rebuilds the whole site, besides mkdocs.yml (relative to its folder).
SITE_WIDE_DIRS = ("overrides", "sitebuild")
# The plugin's temporary folders start so (worker.py, notebooks.py).
TEMPORARY_PREFIX = "checked-site-"
# MkDocs warns on every dirty build that navigation may be wrong: this module keeps it right.
_DIRTY_WARNING = "A 'dirty' build is being performed"


@dataclass
class PageRecord:
    """What went into one page at its last conversion, and what the site needs of it."""

    source: str  # digest of its Markdown (or notebook, or generated text)
    files: dict[str, str | None] = field(default_factory=dict)  # path -> content digest
    always: bool = False  # something on it failed: converted on every rebuild until fixed
    claims: dict = field(default_factory=dict)  # claim id -> ClaimResult made on it
    claim_ids: list[str] = field(default_factory=list)  # its claim fences, in order
    quotes_shown: set = field(default_factory=set)
    equations: object = None  # PageEquations
    account: object = None  # PageAccount
    formulas: list = field(default_factory=list)
    uses_claims: set[str] = field(default_factory=set)  # "*": every claim
    uses_equations: set[str] = field(default_factory=set)  # URLs of pages
    search: list = field(default_factory=list)
    words: set[str] = field(default_factory=set)  # of its HTML, for the stylesheets' cut
    colours: set[str] = field(default_factory=set)
    anchors: set[str] | None = None
    links_to_anchors: dict[str, dict[str, str]] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    update_date: str | None = None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return _DIRTY_WARNING not in record.getMessage()


def search_index_of(config):
    """The search plugin's index being built, if the site has search."""
    search = config.plugins.get("material/search")
    return search.search_index if search and search.config.enabled else None


class FullBuild:
    """Any build but a `mkdocs serve --dirty` rebuild: every page is converted and the site-wide
    passes run over them all, so there is nothing to keep at the points where ServeSession
    keeps what the next rebuild needs."""

    building: set[str] | None = None  # the source paths of the pages converted; None: all

    def share_templates(self, theme, root: Path) -> None:
        pass

    def plan(self, files, config, root: Path, excluded_dirs: list[Path]) -> None:
        pass

    def restore(self, config, files, claims, equations, accounts, formulas) -> None:
        pass

    def claims_to_make(self, ordered: list[str], by_page: dict[str, list[str]]) -> list[str]:
        return ordered

    def start_page(self) -> None:
        pass

    def end_page(self, page, execution) -> None:
        pass

    def abort(self) -> None:
        pass

    def follow_references(self, config, files, claims, equations) -> None:
        pass

    def complete_page(self, page, claims, config) -> None:
        pass

    def indexed_page(self, page, config) -> None:
        pass

    def page_output(self, page, output: str) -> None:
        pass

    def finish(self, claims, equations, accounts, formulas) -> None:
        pass

    def write_site(self, site: Path, stylesheets: list[str], write_notebook_stylesheets, config):
        """The site-wide passes (stylesheets.py, notebooks.py, minify.py)."""
        cut_down_stylesheets(site, stylesheets)
        write_notebook_stylesheets(site)
        minify_pages(site)


class ServeSession(FullBuild):
    """The state kept from one build of `mkdocs serve --dirty` to the next."""

    def __init__(self) -> None:
        self.records: dict[str, PageRecord] = {}  # by source path
        self.site_state: str | None = None
        self.building: set[str] = set()  # source paths of the pages this build converts
        self.full = True
        self.new: dict[str, PageRecord] = {}  # this build's records, page by page
        self.files = None  # this build's, once its pages are converted
        self._recording: contextlib.ExitStack | None = None
        self._reads = None
        self._search_start = 0
        # Each stylesheet's last cut: (the words and colours it was cut to, its path).
        self.stylesheet_cuts: dict[str, tuple[tuple, str]] = {}
        self._script_words: set[str] | None = None
        logging.getLogger("mkdocs.commands.build").addFilter(_DropDirtyWarning())
        self._templates = _CompiledTemplates()
        self._theme_files: tuple[tuple, list[str]] | None = None

    def share_templates(self, theme, root: Path) -> None:
        """Have the theme's Jinja environments of every rebuild share their compiled templates,
        and the list of the theme's files (tens of thousands: its icons) while the theme's
        folders and the list's filter are the same."""
        get_env = theme.get_env

        def env_sharing_templates():
            env = get_env()
            env.bytecode_cache = self._templates
            list_templates = env.list_templates

            def listed_once(extensions=None, filter_func=None):
                overrides = sorted(str(path) for path in (root / "overrides").rglob("*"))
                key = (
                    *(tuple(theme.dirs), tuple(theme.static_templates), tuple(overrides)),
                    importlib.metadata.version("mkdocs-material"),
                    # MkDocs' filter is a new function in every build, with the same code.
                    extensions and tuple(extensions),
                    filter_func and filter_func.__code__,
                )
                if self._theme_files is None or self._theme_files[0] != key:
                    self._theme_files = (key, list_templates(extensions, filter_func))
                return list(self._theme_files[1])

            env.list_templates = listed_once
            return env

        theme.get_env = env_sharing_templates

    # --- Before the pages ------------------------------------------------------------------

    def plan(self, files, config, root: Path, excluded_dirs: list[Path]) -> None:
        """Decide which pages this build converts: all, or those whose inputs changed."""
        # Not inputs: the site, the cache, and the build's own temporary folders (the workers'
        # scratch folder, the notebooks' Jupyter configuration), new in every build.
        excluded_dirs = [*excluded_dirs, Path(config.site_dir)]
        self.excluded = (
            *(os.path.join(path.resolve(), "") for path in excluded_dirs if path),
            os.path.join(os.path.realpath(tempfile.gettempdir()), TEMPORARY_PREFIX),
        )
        pages = files.documentation_pages()
        state = self._site_state(files, config, root, [file.src_uri for file in pages])
        self.full = state != self.site_state
        if self.full and self.site_state is not None:
            log.info("Rebuilding every page: the configuration, theme or plugin changed")
            if _plugin_changed(self.site_state, state):
                log.warning("sitebuild/ changed: restart mkdocs serve to run the new code")
            utils.clean_directory(config.site_dir)
        self.site_state = state
        if self.full:
            self.records = {}
        self.sources = {file.src_uri: _digest(file.content_bytes) for file in pages}
        self.building = {src_uri for src_uri in self.sources if self._changed(src_uri)}
        for file in pages:
            file.is_modified = lambda src_uri=file.src_uri: src_uri in self.building
        self.new = {}
        if not self.full:
            log.info(
                f"Rebuilding {len(self.building)} of {len(pages)} pages: "
                + ", ".join(sorted(self.building))
            )

    def claims_to_make(self, ordered: list[str], by_page: dict[str, list[str]]) -> list[str]:
        """The claims of the pages this build converts, in reading order (to run ahead)."""
        wanted = {claim for src_uri in self.building for claim in by_page.get(src_uri, [])}
        return [claim_id for claim_id in ordered if claim_id in wanted]

    def _changed(self, src_uri: str) -> bool:
        record = self.records.get(src_uri)
        return (
            record is None
            or record.always
            or record.source != self.sources[src_uri]
            or any(file_state(path) != state for path, state in record.files.items())
        )

    def _site_state(self, files, config, root: Path, pages: list[str]) -> str:
        digest = hashlib.sha256()
        digest.update(Path(config.config_file_path).read_bytes())
        for folder in SITE_WIDE_DIRS:
            for path in sorted((root / folder).rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    digest.update(f"{path.relative_to(root)}\0".encode() + path.read_bytes())
        docs = Path(config.docs_dir)
        for path in sorted(docs.rglob("*")):
            if path.is_file() and path.relative_to(docs).as_posix() not in pages:
                digest.update(f"{path.relative_to(docs)}\0".encode() + path.read_bytes())
        digest.update("\0".join(pages).encode())
        digest.update("\0".join(metadata_folders()).encode())
        plugin = _digest(
            b"".join(p.read_bytes() for p in sorted((root / "sitebuild").glob("*.py")))
        )
        return f"{digest.hexdigest()} {plugin}"

    def restore(self, config, files, claims, equations, accounts, formulas) -> None:
        """Put back what the pages this build keeps contributed to the build's state."""
        for src_uri, record in self.records.items():
            if src_uri not in self.building:
                file = files.get_file_from_path(src_uri)
                page = file.page or Page(None, file, config)  # a page not in the nav
                _restore_page(page, record, files, claims, equations, accounts, formulas)

    # --- While a page converts -------------------------------------------------------------

    def start_page(self) -> None:
        """Record what the builder reads while the page converts (includes, claim files)."""
        self._recording = contextlib.ExitStack()
        self._reads = self._recording.enter_context(recording())

    def end_page(self, page, execution) -> None:
        """The record of a page just converted (its HTML is completed later)."""
        files = {}
        if self._recording is not None:
            self._recording.close()
            files = self._reads.file_states()
            self._recording = None
        src_uri = page.file.src_uri
        run = execution.page_reads.get(src_uri, {})
        files.update(run.get("files", {}))
        files.pop(page.file.abs_src_path, None)  # its source is compared by content
        record = PageRecord(
            source=self.sources[src_uri],
            files={
                path: state for path, state in files.items() if not path.startswith(self.excluded)
            },
            always=run.get("failed", False),
        )
        self.new[src_uri] = record

    def abort(self) -> None:
        if self._recording is not None:
            self._recording.close()
            self._recording = None

    def follow_references(self, config, files, claims, equations, populate=_populate_page):
        """Convert also the pages that show a claim or an equation that changed here."""
        changed_claims, changed_pages = set(), set()
        for src_uri in list(self.building):
            old = self.records.get(src_uri) or PageRecord(source="")
            page = files.get_file_from_path(src_uri).page
            url = page.url
            new = {
                cid: r
                for cid, r in claims.results.items()
                if claims.made_on[cid].file.src_uri == src_uri
            }
            ids = claims.by_page.get(src_uri, [])
            if ids != old.claim_ids:
                changed_claims |= set(ids) | set(old.claim_ids)
            for claim_id in set(new) | set(old.claims):
                before, after = old.claims.get(claim_id), new.get(claim_id)
                if (
                    before is None
                    or after is None
                    or claim_record(before, page) != claim_record(after, page)
                ):
                    changed_claims.add(claim_id)
            if old.equations != equations.get(url):
                changed_pages.add(url)
        extra = {
            src_uri
            for src_uri, record in self.records.items()
            if src_uri not in self.building
            and (
                (changed_claims and "*" in record.uses_claims)
                or record.uses_claims & changed_claims
                or record.uses_equations & changed_pages
            )
        }
        if not extra:
            return
        log.info(f"Rebuilding also, for what they show of those: {', '.join(sorted(extra))}")
        for src_uri in sorted(extra):
            record = self.records[src_uri]
            for claim_id in record.claims:  # the page makes them again
                claims.results.pop(claim_id, None)
                claims.made_on.pop(claim_id, None)
            claims.quotes_shown.pop(src_uri, None)
            self.building.add(src_uri)
            populate(files.get_file_from_path(src_uri).page, config, files)

    # --- While a page is completed and written ---------------------------------------------

    def complete_page(self, page, claims, config) -> None:
        """What the page shows of other pages, and where its search entries will start."""
        record = self.new[page.file.src_uri]
        record.uses_claims = claims.claims_shown(page.content)
        record.uses_equations = linked_pages(page.content, page.url)
        search = search_index_of(config)
        self._search_start = len(search.entries) if search else 0

    def indexed_page(self, page, config) -> None:
        if search := search_index_of(config):
            self.new[page.file.src_uri].search = search.entries[self._search_start :]

    def page_output(self, page, output: str) -> None:
        record = self.new[page.file.src_uri]
        record.words, record.colours = words_of([output]), colours_of([output])

    # --- After the pages -------------------------------------------------------------------

    def finish(self, claims, equations, accounts, formulas) -> None:
        """Keep the records of the pages converted now, with what the build made of them."""
        self.files = files = claims.files
        for src_uri, record in self.new.items():
            page = files.get_file_from_path(src_uri).page
            record.claim_ids = list(claims.by_page.get(src_uri, []))
            record.claims = {
                claim_id: result
                for claim_id, result in claims.results.items()
                if claims.made_on[claim_id] is page
            }
            record.always |= any(not result.passed for result in record.claims.values())
            record.quotes_shown = set(claims.quotes_shown.get(src_uri, ()))
            record.equations = equations.get(page.url)
            record.account = accounts.get(src_uri)
            record.formulas = formulas.get(src_uri, [])
            record.anchors = (
                None if page.present_anchor_ids is None else set(page.present_anchor_ids)
            )
            record.links_to_anchors = {
                target.src_uri: dict(links)
                for target, links in (page.links_to_anchors or {}).items()
            }
            record.meta = dict(page.meta)
            record.update_date = page.update_date
            self.records[src_uri] = record
        for src_uri in set(self.records) - set(self.sources):
            del self.records[src_uri]

    def write_site(self, site: Path, stylesheets: list[str], write_notebook_stylesheets, config):
        write_notebook_stylesheets(site)
        self._write_pages(site, self.files, stylesheets)
        if search_index_of(config) is not None:
            self._search_index(site, self.files)

    def _write_pages(self, site: Path, files, stylesheets: list[str]) -> None:
        """The site-wide passes of a full build (stylesheets.py, minify.py), over the HTML files
        this build wrote: the stylesheets are cut down to every page's words, and only the
        pages written now link to the new cut (the others keep theirs, which has their words)."""
        pages = {Path(file.abs_dest_path): file.src_uri for file in files.documentation_pages()}
        written = [path for path, src_uri in pages.items() if src_uri in self.building]
        written += [path for path in sorted(site.glob("*.html")) if path not in pages]  # 404
        markup = [path.read_text("utf-8") for path in written]
        others = [text for path, text in zip(written, markup, strict=True) if path not in pages]
        if self.full or self._script_words is None:
            scripts = [path.read_text("utf-8") for path in sorted(site.rglob("*.js"))]
            self._script_words = words_of(scripts)
        words, colours = self._script_words | words_of(others), colours_of(others)
        for record in self.records.values():
            words |= record.words
            colours |= record.colours
        renamed = {}
        for path in stylesheets:
            relevant = (frozenset(words & stylesheet_words(site, path)), frozenset(colours))
            cut = self.stylesheet_cuts.get(path)
            if cut is not None and cut[0] == relevant and (site / cut[1]).is_file():
                (site / path).unlink()
                renamed[path] = cut[1]
            else:
                renamed[path] = cut_stylesheet(site, path, words, colours)
                self.stylesheet_cuts[path] = (relevant, renamed[path])
        relink(zip(written, markup, strict=True), renamed)
        minify_pages(site, written)

    def _search_index(self, site: Path, files) -> None:
        """Rewrite the search index with every page's entries, in the order a full build has."""
        path = site / "search" / "search_index.json"
        data = json.loads(path.read_text("utf-8"))
        data["docs"] = [
            entry
            for file in files.documentation_pages()
            if (record := self.records.get(file.src_uri))
            for entry in record.search
        ]
        path.write_text(json.dumps(data, separators=(",", ":"), default=str), "utf-8")


def _restore_page(page, record, files, claims, equations, accounts, formulas) -> None:
    for claim_id, result in record.claims.items():
        claims.results[claim_id] = result
        claims.made_on[claim_id] = page
    claims.quotes_shown[page.file.src_uri] = set(record.quotes_shown)
    if record.equations is not None:
        equations[page.url] = record.equations
    if record.account is not None:
        accounts[page.file.src_uri] = record.account
    formulas[page.file.src_uri] = record.formulas
    page.present_anchor_ids = None if record.anchors is None else set(record.anchors)
    page.links_to_anchors = {
        target: links
        for uri, links in record.links_to_anchors.items()
        if (target := files.get_file_from_path(uri)) is not None
    }
    page.meta = dict(record.meta)
    if record.update_date is not None:
        page.update_date = record.update_date


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per serve, not once per rebuild (a third of one);
    Jinja compiles a template again when its source changes."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _plugin_changed(before: str, after: str) -> bool:
    return before.split()[1] != after.split()[1]
