"""A process that runs page code for the build, and that the build kills at the time limit.

The time limit inside the process (timeout.py) fires only when Python regains control, so
the build waits for a reply a few seconds longer and then kills the process: code stuck in C
(a sleep, a lock, a long native call) cannot hang the build. Code that ends the process
(``os._exit``) leaves the build standing too. Either way the call raises WorkerError, naming
what ran; the next call starts a fresh process.
"""

from __future__ import annotations

import multiprocessing
import shutil
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from sitebuild import sandbox

# How long after the time limit the process is killed: time for the limit's own exception,
# which names the line that was running, to arrive first.
GRACE_SECONDS = 5.0


class WorkerError(Exception):
    """Page code that outlived its time limit in C code, or ended its process."""


def _serve(connection, snippets_dir: str, scratch_dir: str, preload: tuple[str, ...]) -> None:
    sandbox.enter(snippets_dir, scratch_dir, preload)
    connection.send(("ready", None))
    while True:
        try:
            function, args = connection.recv()
        except EOFError:  # the build ended
            return
        try:
            reply = ("ok", function(*args))
        except BaseException:  # a fault of the sandbox itself: reported, never silent
            reply = ("error", traceback.format_exc())
        connection.send(reply)


class Worker:
    """One process at a time, started on the first call; calls from several threads queue."""

    def __init__(
        self, snippets_dir: str, scratch_dir: str, name: str, preload: tuple[str, ...] = ()
    ) -> None:
        self.args = (snippets_dir, scratch_dir, preload)
        self.name = name
        self._lock = threading.Lock()
        self._process = None
        self._connection = None

    def call(self, what: str, seconds: float, function: Callable, *args):
        """function(*args) in the process, which is killed if it runs over seconds."""
        with self._lock:
            if self._process is None:
                self._start()
            self._connection.send((function, args))
            if not self._connection.poll(seconds + GRACE_SECONDS):
                self._stop()
                raise WorkerError(
                    f"{what} ran longer than its time limit of {seconds:g} s and was stopped"
                    " (it was stuck outside Python code)"
                )
            try:
                status, value = self._connection.recv()
            except EOFError:
                exit_code = self._stop()
                raise WorkerError(
                    f"{what} ended the process running it (exit code {exit_code}):"
                    " page code must not exit"
                ) from None
        if status == "error":
            raise WorkerError(f"{what}: {value}")
        return value

    def _start(self) -> None:
        # spawn, not fork: the builder holds threads and a V8 instance that must not be copied.
        context = multiprocessing.get_context("spawn")
        self._connection, child_end = context.Pipe()
        # A daemon: it is killed if the build ends without closing it (Ctrl-C).
        self._process = context.Process(
            target=_serve, args=(child_end, *self.args), name=self.name, daemon=True
        )
        self._process.start()
        child_end.close()
        # Imports take seconds on a busy machine: they do not count against a time limit.
        try:
            self._connection.recv()
        except EOFError:
            self._stop()
            raise WorkerError(f"the {self.name} process ended while starting") from None

    def _stop(self) -> int | None:
        process, self._process = self._process, None
        self._connection.close()
        process.kill()
        process.join()
        return process.exitcode

    def close(self) -> None:
        with self._lock:
            if self._process is None:
                return
            process, self._process = self._process, None
            self._connection.close()  # the process sees the end and returns
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join()


class Workers:
    """The processes of one build, which share a scratch folder that is removed at the end."""

    def __init__(self, snippets_dir: Path) -> None:
        self.scratch_dir = tempfile.mkdtemp(prefix="checked-site-scratch-")
        # What most blocks and every claim import: snippets' figures and checks.
        self.blocks = Worker(str(snippets_dir), self.scratch_dir, "blocks", ("figures",))
        self.claims = Worker(str(snippets_dir), self.scratch_dir, "claims", ("checks",))

    def close(self) -> None:
        self.blocks.close()
        self.claims.close()
        shutil.rmtree(self.scratch_dir, ignore_errors=True)
