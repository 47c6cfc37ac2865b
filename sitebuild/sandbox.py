"""What page code (blocks and claims) runs inside: a worker process of its own (worker.py).

In the worker, page code

- runs in a scratch folder made for the build (its working directory and TMPDIR); a write,
  removal or rename outside it, or starting a program, is refused and fails the block or
  claim, even if the code catches the error. A block or claim that changes the working
  directory fails, and the directory is restored;
- starts from the same library state every time: snippet modules are imported afresh, numpy's
  print options and error handling, the global random generators (seeded with 0) and
  matplotlib's settings are reset, open figures are closed;
- may end in any way: SystemExit, KeyboardInterrupt or any BaseException fails the block or
  claim with its traceback, and the build goes on.

A block's standard output is its output; anything written to the error stream, by
``sys.stderr.write``, ``print(file=sys.stderr)`` or a warning, fails the block: the page
would not show it. An output longer than the limit fails the block too.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import linecache
import os
import random
import signal
import sys
import tempfile
import traceback
import types
from dataclasses import dataclass, field
from pathlib import Path

from sitebuild import claims as claim_runner
from sitebuild.cache import forget_modules, recording
from sitebuild.timeout import time_limit

# Audit events (https://docs.python.org/3/library/audit_events.html) that change files, and
# which of their arguments are paths.
_WRITE_EVENTS = {
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.link": (0, 1),
    "os.symlink": (1,),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "shutil.rmtree": (0,),
    "shutil.copyfile": (1,),
    "shutil.copytree": (1,),
    "shutil.move": (0, 1),
}
# Audit events that start a program, which could change any file.
_PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork"}
)
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


@dataclass
class _State:
    """The worker's: set by enter(), used by each block or claim."""

    snippets_dir: Path = Path()
    scratch_dir: Path = Path()
    guarding: bool = False  # whether page code is running
    refused: list[str] = field(default_factory=list)
    sessions: dict[str, dict] = field(default_factory=dict)
    numpy_state: tuple[dict, dict] | None = None


_state = _State()


def enter(snippets_dir: str, scratch_dir: str, preload: tuple[str, ...]) -> None:
    """Set up the worker process: called once, before any page code runs.

    preload: modules to import now, so that a time limit does not count their import.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the build, which stops this
    _state.snippets_dir = Path(snippets_dir)
    _state.scratch_dir = Path(scratch_dir).resolve()
    sys.path.insert(0, snippets_dir)
    sys.dont_write_bytecode = True  # no __pycache__ written beside the snippets
    os.environ["TMPDIR"] = tempfile.tempdir = str(_state.scratch_dir)
    os.chdir(_state.scratch_dir)
    # Libraries that write caches on first import do it now, outside the guard.
    with contextlib.suppress(ImportError):
        import numpy

        _state.numpy_state = (numpy.get_printoptions(), numpy.geterr())
    for module in ("matplotlib.font_manager", *preload):
        with contextlib.suppress(Exception):  # the code that imports it reports the error
            importlib.import_module(module)
    sys.addaudithook(_guard)


def _guard(event: str, args: tuple) -> None:
    if not _state.guarding:
        return
    if event == "open":
        path, _, flags = args
        paths = [path] if isinstance(flags, int) and flags & _WRITE_FLAGS else []
    elif event in _WRITE_EVENTS:
        paths = [args[index] for index in _WRITE_EVENTS[event]]
    elif event in _PROCESS_EVENTS:
        _refuse(f"{event}: page code may not start programs, which could change any file")
    else:
        return
    for path in paths:
        if isinstance(path, int) or path is None:
            continue  # an open file descriptor: its opening was checked
        resolved = Path(os.path.realpath(os.fsdecode(path)))
        if resolved == Path(os.devnull) or resolved.is_relative_to(_state.scratch_dir):
            continue
        _refuse(f"{event} {resolved}: page code may change files only in its scratch folder")


def _refuse(message: str) -> None:
    _state.refused.append(message)
    raise PermissionError(message)


def _reset_state() -> None:
    forget_modules(_state.snippets_dir)
    random.seed(0)
    if _state.numpy_state is not None:
        import numpy

        print_options, errors = _state.numpy_state
        numpy.set_printoptions(**print_options)
        numpy.seterr(**errors)
        numpy.random.seed(0)
    if "matplotlib" in sys.modules:
        sys.modules["matplotlib"].rc_file_defaults()
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@contextlib.contextmanager
def _page_code():
    """Run page code from the reset state; yields the list of its faults, filled on exit."""
    faults: list[str] = []
    _reset_state()
    _state.refused = []
    _state.guarding = True
    try:
        yield faults
    finally:
        _state.guarding = False
        faults.extend(_state.refused)
        cwd = Path.cwd()
        if cwd != _state.scratch_dir:
            faults.append(
                f"changed the working directory to {cwd}: page code must not change it"
                " (it would change which files later pages include)"
            )
            os.chdir(_state.scratch_dir)


def run_block(code: str, session: str, name: str, timeout: float, output_limit: int):
    """Run a block: (its output, "", what it read: cache.Reads.summary()) or ("", what went
    wrong, {})."""
    filename = f"<code block: {name}>"
    linecache.cache[filename] = (len(code), None, code.splitlines(keepends=True), filename)
    namespace = _state.sessions.setdefault(session, {}) if session else {}
    # A module of the block's name: dataclasses and pickle look functions' modules up.
    module_name = "code_block_" + "".join(c if c.isalnum() else "_" for c in name)
    namespace["__name__"] = module_name
    sys.modules[module_name] = types.ModuleType(module_name)
    output, errors = io.StringIO(), io.StringIO()
    error = ""
    with (
        _page_code() as faults,
        contextlib.redirect_stdout(output),
        contextlib.redirect_stderr(errors),
        recording(_state.snippets_dir) as reads,
    ):
        try:
            with time_limit(timeout, f"block {name}"):
                exec(compile(code, filename, "exec"), namespace)
        except BaseException as exception:  # any way out of the block is its failure
            error = _traceback(exception)
    if errors.getvalue():
        faults.append(
            "wrote to the error stream, which the page does not show:\n" + errors.getvalue()
        )
    if len(output.getvalue()) > output_limit:
        faults.append(
            f"printed {len(output.getvalue()):,} characters, more than the limit of"
            f" {output_limit:,} (checked-site's output_limit)"
        )
    problems = "\n".join([error, *(fault for fault in faults if fault not in error)]).strip()
    return ("", problems, {}) if problems else (output.getvalue(), "", reads.summary())


def _traceback(exception: BaseException) -> str:
    """The traceback without the frames of this module."""
    trace = traceback.TracebackException.from_exception(exception)
    trace.stack = traceback.StackSummary.from_list(
        [frame for frame in trace.stack if frame.filename != __file__]
    )
    return "".join(trace.format())


def run_claim(claim_id: str, timeout: float) -> dict:
    """Run a claim (claims.run_claim) in the sandbox: its result as data."""
    with _page_code() as faults:
        result = claim_runner.run_claim(_state.snippets_dir, claim_id, timeout)
    if faults:
        result.error = "\n".join(filter(None, [result.error, *faults]))
    return result.to_entry()
