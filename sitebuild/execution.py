"""Running a build's page code: blocks, claims and notebooks, under the time limit, through the
execution cache, and ahead of the pages that show them.

- Blocks and claims run in worker processes that the build kills at the time limit (worker.py,
  sandbox.py, blocks.py; timeout.py inside them); notebooks run in Jupyter kernels.
- Whatever ran with inputs that have not changed since comes from the execution cache
  (cache.py): a block, a claim and a notebook each have a key, and an entry is kept only for
  code that succeeded.
- Claims and notebooks that the cache does not hold start as soon as the build knows its pages
  (`run_ahead`, ahead.py: a pool whose results each page takes, or waits for, where it shows
  them; an exception raised ahead is raised there).
- Every build has fresh worker processes (`start`), as a clean `mkdocs build` would: no session
  globals or snippet modules survive from an earlier build of the same `mkdocs serve`.
- What running cost is recorded page by page (`write_timings`, for make bench).
"""

from __future__ import annotations

import html
import json
import re
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup

from sitebuild import claims as claim_runner
from sitebuild.ahead import Ahead, render_notebook
from sitebuild.blocks import Blocks, counting_warnings
from sitebuild.cache import ExecutionCache
from sitebuild.config import CheckedSiteConfig, log
from sitebuild.output import active_content, fragment
from sitebuild.worker import Workers

_HEADING = re.compile(r"<h[1-6][\s>]")


class Execution:
    """The page code of one build; `start` before it, `close` after it."""

    def __init__(self, options: CheckedSiteConfig, root: Path, formatting: str) -> None:
        """formatting: the Markdown configuration that turns outputs into HTML (a cache key)."""
        self.options = options
        self.snippets_dir = root / options.snippets_dir
        cache_dir = root / options.cache_dir if options.cache_dir else None
        self.cache = ExecutionCache(cache_dir, root, self.snippets_dir, options.exec_timeout)
        self.formatting = formatting
        # Seconds spent running code, by page and by block, claim or notebook.
        self.timings: dict[str, dict[str, dict]] = defaultdict(dict)
        # What each page's code read ("files": path -> content digest), and whether any of it
        # failed: `mkdocs serve` rebuilds a page when one of those files changes (serve.py).
        self.page_reads: dict[str, dict] = defaultdict(lambda: {"files": {}, "failed": False})
        self.workers: Workers | None = None
        self.ahead: Ahead | None = None
        self.blocks: Blocks | None = None

    def start(self) -> None:
        self.timings.clear()
        self.page_reads.clear()
        self.cache.hits = self.cache.misses = 0
        # Fresh processes for every build, as a clean `mkdocs build` would have.
        self.workers = Workers(self.snippets_dir)
        timeout = self.options.exec_timeout
        self.ahead = Ahead(self.snippets_dir, timeout, self.workers.claims)
        self.blocks = Blocks(self.workers.blocks, timeout, self.options.output_limit)

    def close(self) -> None:
        """Stop what no page took (a build that failed early) and release the workers."""
        if self.workers is not None:
            self.ahead.close()
            self.workers.close()

    # --- Blocks -----------------------------------------------------------------------------

    def block(self, source: str, language: str, options: dict, md, src_uri: str):
        """A markdown-exec block's HTML, on page src_uri: run, or from the cache."""
        what = f"{language} block"
        if options.get("id"):
            what += f" '{options['id']}'"
        if not self.options.execute:
            return fragment(f"```{language}\n{source}\n```")
        # A block of a session depends on the blocks before it: it always runs.
        key = None
        if not options.get("session"):
            key = self.cache.key(
                "block", source, language=language, options=options, formatting=self.formatting
            )
            entry = self.cache.get(key)
            if entry is not None:
                self._record_time(src_uri, what, 0.0, cached=True)
                self._record_reads(src_uri, self.cache.files_read(key))
                return Markup(entry["html"])
        start = time.perf_counter()
        with counting_warnings() as warnings:
            output, reads = self.blocks.format(source, language, options, md, what)
        self._record_time(src_uri, what, time.perf_counter() - start)
        self._record_reads(src_uri, reads.get("files"), failed=bool(warnings.count))
        if refused := active_content(output):
            log.error(f"{src_uri}: {what}: its output has {', '.join(refused)}")
            return Markup(f'<p class="block-error">{html.escape(what)}: output refused.</p>')
        # Headings in an output would reach the table of contents only when the block runs.
        if key and not warnings.count and not _HEADING.search(output):
            self.cache.put(key, {"html": str(output)}, reads)
        return output

    # --- Claims -----------------------------------------------------------------------------

    def claim(self, claim_id: str, src_uri: str) -> claim_runner.ClaimResult:
        """A claim's result, for page src_uri: from the cache, run ahead, or run now; in a build
        that runs nothing, the claim unchecked."""
        source = claim_runner.claim_source(self.snippets_dir, claim_id)
        if not self.options.execute:
            statement = claim_runner.statement_of(source, claim_id)
            return claim_runner.ClaimResult(claim_id, statement, source)
        what = f"claim {claim_id}"
        key = self._claim_key(claim_id)
        entry = self.cache.get(key)
        if entry is not None:
            self._record_time(src_uri, what, 0.0, cached=True)
            self._record_reads(src_uri, self.cache.files_read(key))
            return claim_runner.ClaimResult.from_entry(entry)
        result = self.ahead.claim(claim_id)
        self._record_time(src_uri, what, result.seconds)
        self._record_reads(src_uri, result.reads.get("files"), failed=not result.passed)
        if result.passed:  # a failing claim runs again on every build until it is fixed
            entry = result.to_entry()
            self.cache.put(key, entry, entry.pop("reads"))
        return result

    def _claim_key(self, claim_id: str) -> str:
        # The id too: two claims with the same code are two results, each with its id.
        source = claim_runner.claim_source(self.snippets_dir, claim_id)
        return self.cache.key("claim", source, claim_id=claim_id)

    def run_ahead(self, claim_ids: list[str]) -> None:
        """Start the claims that the cache does not hold (ids of missing files are left to the
        page, which reports them)."""
        if not self.options.execute:
            return
        self.ahead.start_claims(
            [
                claim_id
                for claim_id in claim_ids
                if claim_runner.CLAIM_ID.fullmatch(claim_id)
                and claim_runner.claim_path(self.snippets_dir, claim_id).is_file()
                and self._claim_key(claim_id) not in self.cache
            ]
        )

    # --- Notebooks --------------------------------------------------------------------------

    def notebook_key(self, text: str, **options) -> str:
        return self.cache.notebook_key(text, formatting=self.formatting, **options)

    def notebook_ahead(self, src_uri: str, key: str, prepare: Callable[[], tuple]) -> None:
        """Start a notebook that the cache does not hold: prepare() sets up its render and
        returns (render, page, config, files)."""
        if self.options.execute and key not in self.cache:
            self.ahead.start_notebook(src_uri, *prepare())

    def notebook(self, src_uri: str, key: str, render, page, config, files) -> str:
        """A notebook's HTML as mkdocs-jupyter's render makes it: from the cache, run ahead, or
        rendered now (mkdocs-jupyter raises, and fails the build, if a cell raises)."""
        entry = self.cache.get(key)
        if entry is not None:
            self._record_time(src_uri, "notebook", 0.0, cached=True)
            return entry["html"]
        content, seconds = self.ahead.notebook(src_uri) or render_notebook(
            render, page, config, files
        )
        self._record_time(src_uri, "notebook", seconds)
        self.cache.put(key, {"html": content})
        return content

    def _record_reads(self, src_uri: str, files: dict | None, failed: bool = False) -> None:
        """Note what a run on the page read; a run that failed or recorded nothing (it ended
        early) marks the page failed."""
        reads = self.page_reads[src_uri]
        reads["files"].update(files or {})
        reads["failed"] |= failed or files is None

    # --- Timings ----------------------------------------------------------------------------

    def _record_time(self, src_uri: str, what: str, seconds: float, cached: bool = False) -> None:
        runs = self.timings[src_uri]
        name, number = what, 1
        while name in runs:  # blocks without an id share a name
            number += 1
            name = f"{what} #{number}"
        runs[name] = {"seconds": seconds, "cached": cached}

    def write_timings(self, path: Path) -> None:
        timings = {
            "cache": {"hits": self.cache.hits, "misses": self.cache.misses},
            "pages": dict(sorted(self.timings.items())),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(timings, indent=2) + "\n", "utf-8")


def formatting_options(config) -> str:
    """The Markdown configuration that turns an output into HTML, as stable text."""

    def name(value) -> str:  # functions by name: their address changes from run to run
        return getattr(value, "__qualname__", type(value).__qualname__)

    options = {"extensions": config.markdown_extensions, "configs": config.mdx_configs}
    return json.dumps(options, sort_keys=True, default=name)
