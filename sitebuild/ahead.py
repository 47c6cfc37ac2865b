"""Running claims and notebooks ahead of the pages that show them, on the machine's other cores.

MkDocs converts pages one after another in one thread. A clean build would wait for every
claim and notebook in turn, so they start as soon as the build knows its pages:

- claims run in one worker process, in page order (the checks are CPU-bound Python);
- notebooks run in a thread: their cells execute in kernel processes, so it mostly waits.

The page that shows a claim or a notebook then takes the result, or waits for it. Results are
the same as running in place: the same functions run on the same files with the same time limit,
and an error is raised where the page is built.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from sitebuild import claims as claim_runner


def _start_worker(snippets_dir: str) -> None:
    sys.path.insert(0, snippets_dir)


def _run_claim(snippets_dir: str, claim_id: str, timeout: float) -> dict:
    # A dict, not the result: unpickling snippets' Check in the builder would import sympy.
    return claim_runner.run_claim(Path(snippets_dir), claim_id, timeout).to_entry()


def render_notebook(render, page, config, files) -> tuple[str, float]:
    """Run mkdocs-jupyter's render of a page: its HTML and the seconds it took."""
    start = time.perf_counter()
    render(config, files)
    return page.content, time.perf_counter() - start


class Ahead:
    """Claims and notebooks started early; each is taken once by the page that shows it."""

    def __init__(self, snippets_dir: Path, timeout: float) -> None:
        self.snippets_dir = snippets_dir
        self.timeout = timeout
        self._claims: dict[str, Future] = {}
        self._notebooks: dict[str, Future] = {}
        self._processes: ProcessPoolExecutor | None = None
        self._threads: ThreadPoolExecutor | None = None

    def start_claims(self, claim_ids: list[str]) -> None:
        if not claim_ids:
            return
        # spawn, not fork: the builder holds threads and a V8 instance that must not be copied.
        self._processes = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(str(self.snippets_dir),),
        )
        for claim_id in claim_ids:
            self._claims[claim_id] = self._processes.submit(
                _run_claim, str(self.snippets_dir), claim_id, self.timeout
            )

    def start_notebook(self, src_uri: str, render, page, config, files) -> None:
        if self._threads is None:
            # One thread: mkdocs-jupyter numbers code cells with a module-level counter
            # (nbconvert2.cell_id), so two notebooks converted at once would share it.
            self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notebook")
        self._notebooks[src_uri] = self._threads.submit(
            render_notebook, render, page, config, files
        )

    def claim(self, claim_id: str) -> claim_runner.ClaimResult | None:
        """The result of a claim started ahead, or None if it was not."""
        future = self._claims.pop(claim_id, None)
        return None if future is None else claim_runner.ClaimResult.from_entry(future.result())

    def notebook(self, src_uri: str) -> tuple[str, float] | None:
        """(HTML, seconds) of a notebook started ahead, or None; raises what the notebook raised."""
        future = self._notebooks.pop(src_uri, None)
        return None if future is None else future.result()

    def close(self) -> None:
        """Stop what no page took (a build that failed early) and release the workers."""
        for executor in (self._processes, self._threads):
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
        self._claims.clear()
        self._notebooks.clear()
