"""markdown-exec's python and pycon blocks, run in the blocks worker process (worker.py).

markdown-exec formats a block (output.py) with a function that runs the code: here that
function sends the code to the worker (see sandbox.py for what the code may do there).
markdown-exec reports a failing block as usual, a warning naming the block; its logger is
replaced by one that adds the page (`name_pages_in_warnings`), and the build counts the
warnings of each block (`counting_warnings`), so that a failed block is never cached.
A block that includes snippets is followed by links to them (`with_source_links`).
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager

import markdown_exec
from markupsafe import Markup

from sitebuild import sandbox
from sitebuild.output import run_block, source_link
from sitebuild.worker import Worker, WorkerError

# An executed fence (markdown-exec) and the snippets it includes (pymdownx.snippets).
_EXEC_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?:python|pycon)\b[^\n]*"
    r'\bexec="(?:1|on|true|yes)"[^\n]*\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$',
    re.MULTILINE | re.DOTALL,
)
_INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"([^"]+)"', re.MULTILINE)
_MARKDOWN_EXEC_LOGGER = "mkdocs.plugins.markdown_exec"


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


def with_source_links(markdown: str, snippets_dir: str, source_url: str) -> str:
    """The page's Markdown with each executed block that includes snippets followed by links
    to them (snippets_dir: the snippets' folder relative to mkdocs.yml)."""

    def linked(fence: re.Match) -> str:
        paths = [f"{snippets_dir}/{path}" for path in _INCLUDE.findall(fence["body"])]
        links = "".join(f'<p class="source-link">{source_link(p, source_url)}</p>' for p in paths)
        return f"{fence[0]}\n\n{fence['indent']}{links}" if links else fence[0]

    return _EXEC_FENCE.sub(linked, markdown)


class CurrentPage:
    """The page being converted: markdown-exec's log messages are prefixed with it."""

    src_uri = ""


class _PageLoggerAdapter(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        where = f"{CurrentPage.src_uri}: " if CurrentPage.src_uri else ""
        return f"{where}markdown-exec: {msg}", kwargs


def _markdown_exec_logger(name: str) -> logging.LoggerAdapter:
    # Under mkdocs.plugins, so that `mkdocs build --strict` counts its warnings.
    return _PageLoggerAdapter(logging.getLogger(f"mkdocs.plugins.{name}"), {})


def format_with(fences: list[dict], format) -> None:
    """Have markdown-exec's fences (superfences' custom fences) formatted by format, and its
    warnings prefixed with the page (CurrentPage): its own name only the block."""
    markdown_exec.patch_loggers(_markdown_exec_logger)
    for fence in fences:
        if fence.get("format") is markdown_exec.formatter:
            fence["format"] = format


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record) -> None:
        self.count += 1


@contextmanager
def counting_warnings():
    """Counts markdown-exec's warnings: a block that failed must not be cached."""
    counter = _WarningCounter()
    logger = logging.getLogger(_MARKDOWN_EXEC_LOGGER)
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
