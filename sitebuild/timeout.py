"""A time limit for page code (markdown-exec blocks, claims) in the process that runs it.

exec() has no timeout, so an endless loop would run for ever. A watchdog thread raises
`ExecutionTimeout` in the running thread when time is up, and its traceback names the line that
was running. It works in any thread, where signals cannot be used; a call blocked inside C code
is interrupted only when it returns to Python: worker.py kills such code's process.
"""

from __future__ import annotations

import contextlib
import ctypes
import threading
from collections.abc import Iterator


class ExecutionTimeout(Exception):
    """Code that ran longer than its time limit.

    An Exception, not a BaseException, so markdown-exec reports it like any failing block.
    """


@contextlib.contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise ExecutionTimeout in this thread if the block runs longer than seconds."""
    message = f"{what} ran longer than its time limit of {seconds:g} s"
    # Async exceptions are raised from a class, so the message lives in the class.
    timeout_type = type("ExecutionTimeout", (ExecutionTimeout,), {"__str__": lambda _: message})
    timeout_type.__module__ = __name__
    target = threading.get_ident()
    finished = threading.Event()
    lock = threading.Lock()

    def watchdog() -> None:
        if finished.wait(seconds):
            return
        with lock:
            if not finished.is_set():
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(target), ctypes.py_object(timeout_type)
                )

    thread = threading.Thread(target=watchdog, name=f"time limit: {what}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        with lock:
            finished.set()
        thread.join()
