"""markdown-exec's python and pycon blocks, run in the blocks worker process (worker.py).

markdown-exec formats a block (output.py) with a function that runs the code: here that
function sends the code to the worker (see sandbox.py for what the code may do there).
markdown-exec reports a failing block as usual, a warning naming the block, and the plugin's
logger adds the page.
"""

from __future__ import annotations

import markdown_exec
from markupsafe import Markup

from sitebuild import sandbox
from sitebuild.output import run_block
from sitebuild.worker import Worker, WorkerError


class Blocks:
    """Runs a build's blocks in its worker, each under the time and output limits."""

    def __init__(self, worker: Worker, seconds: float, output_limit: int) -> None:
        self.worker = worker
        self.seconds = seconds
        self.output_limit = output_limit

    def format(
        self, source: str, language: str, options: dict, md, what: str
    ) -> tuple[Markup, dict]:
        """The HTML of a python or pycon block (options as markdown-exec's validator makes),
        and what its run read (cache.Reads.summary(); empty if it did not run to the end)."""
        reads: dict = {}
        run = self._runner(what, options.get("id") or what, reads)
        if options.get("workdir"):  # markdown-exec would change the builder's directory
            options = {**options, "workdir": None}
            run = _refuse("workdir is not supported: blocks run in the build's scratch folder")
        return run_block(source, language, options, md, run), reads

    def _runner(self, what: str, name: str, reads: dict):
        """markdown-exec's run function for one block: it runs the code in the worker, and
        puts what the code read into reads."""

        def run(code: str, session: str | None = None, **_) -> str:
            try:
                output, error, read = self.worker.call(
                    what,
                    self.seconds,
                    sandbox.run_block,
                    code,
                    session or "",
                    name,
                    self.seconds,
                    self.output_limit,
                )
            except WorkerError as failure:
                raise markdown_exec.ExecutionError(str(failure)) from None
            if error:
                raise markdown_exec.ExecutionError(markdown_exec.code_block("python", error))
            reads.update(read)
            return output

        return run


def _refuse(message: str):
    def run(*_, **__) -> str:
        raise markdown_exec.ExecutionError(message)

    return run
