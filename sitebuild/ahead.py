"""Running claims and notebooks ahead of the pages that show them, on the machine's other cores.

MkDocs converts pages one after another in one thread. A clean build would wait for every
claim and notebook in turn, so they start as soon as the build knows its pages:

- claims run one after another in the claims worker process (worker.py: the checks are
  CPU-bound Python, and a claim stuck past its time limit is killed there);
- notebooks run in a thread: their cells execute in kernel processes, so it mostly waits.

The page that shows a claim or a notebook then takes the result, or waits for it. Results are
the same as running in place: the same functions run on the same files with the same time limit,
and an error is raised where the page is built.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sitebuild import claims as claim_runner
from sitebuild import sandbox
from sitebuild.worker import Worker, WorkerError


def render_notebook(render, page, config, files) -> tuple[str, float]:
    """Run mkdocs-jupyter's render of a page: its HTML and the seconds it took."""
    start = time.perf_counter()
    render(config, files)
    return page.content, time.perf_counter() - start


class Ahead:
    """Claims and notebooks started early; each is taken once by the page that shows it."""

    def __init__(self, snippets_dir: Path, timeout: float, worker: Worker) -> None:
        self.snippets_dir = snippets_dir
        self.timeout = timeout
        self.worker = worker
        self._claims: dict[str, Future] = {}
        self._notebooks: dict[str, Future] = {}
        self._claim_thread: ThreadPoolExecutor | None = None
        self._threads: ThreadPoolExecutor | None = None

    def start_claims(self, claim_ids: list[str]) -> None:
        if not claim_ids:
            return
        # One thread feeds the worker: each claim's time limit starts when the claim does.
        self._claim_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="claims")
        for claim_id in claim_ids:
            self._claims[claim_id] = self._claim_thread.submit(self._run_claim, claim_id)

    def _run_claim(self, claim_id: str) -> dict:
        # A dict, not the result: unpickling snippets' Check in the builder would import sympy.
        try:
            return self.worker.call(
                f"claim {claim_id}", self.timeout, sandbox.run_claim, claim_id, self.timeout
            )
        except WorkerError as error:
            source = claim_runner.claim_source(self.snippets_dir, claim_id)
            statement = claim_runner.statement_of(source, claim_id)
            return claim_runner.ClaimResult(
                claim_id, statement, source, error=str(error)
            ).to_entry()

    def start_notebook(self, src_uri: str, render, page, config, files) -> None:
        if self._threads is None:
            # One thread: mkdocs-jupyter numbers code cells with a module-level counter
            # (nbconvert2.cell_id), so two notebooks converted at once would share it.
            self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="notebook")
        self._notebooks[src_uri] = self._threads.submit(
            render_notebook, render, page, config, files
        )

    def claim(self, claim_id: str) -> claim_runner.ClaimResult:
        """The result of a claim: started ahead, or run now."""
        future = self._claims.pop(claim_id, None)
        entry = self._run_claim(claim_id) if future is None else future.result()
        return claim_runner.ClaimResult.from_entry(entry)

    def notebook(self, src_uri: str) -> tuple[str, float] | None:
        """(HTML, seconds) of a notebook started ahead, or None; raises what the notebook raised."""
        future = self._notebooks.pop(src_uri, None)
        return None if future is None else future.result()

    def close(self) -> None:
        """Stop what no page took (a build that failed early) and release the workers."""
        for executor in (self._claim_thread, self._threads):
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
        self._claims.clear()
        self._notebooks.clear()
