"""The execution cache: outputs of blocks, claims and notebooks whose inputs have not changed.

An entry is found by a key made of what is known before anything runs:

- the code itself (a block after its includes are expanded, a claim's file, a notebook's file)
  and the options that shape its output;
- the time limit (``exec_timeout``), the plugin's own code (``sitebuild/*.py``), the version of
  Python and of the packages that format the output.

Beside the output, an entry holds what the run read, recorded while it ran (``recording``):

- every file it opened outside Python's installation (data files, the snippet modules it
  imported, however deep or however imported), by content hash;
- every environment variable it looked up through ``os.environ`` or ``os.getenv``, by value;
- the version of every distribution in its import closure: those of the modules it imported,
  already loaded or not, and what they require, however indirectly (mpmath under sympy).

An entry is used only while all of that is unchanged (``ExecutionCache.get``); otherwise the
code runs again. Out of reach: what C code reads (``getenv`` in a C library), what child
processes read, and threads the run starts. A notebook runs in a Jupyter kernel, another
process: its key holds every distribution installed, and the snippet modules its code imports.

A cache directory of None turns the cache off: every lookup misses and nothing is stored.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import functools
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import sys
import sysconfig
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

# Bump when the format of stored entries changes.
FORMAT = 2
# Packages that turn a run's output into the page, whatever the code imports.
FORMATTING_PACKAGES = ("markdown", "markdown-exec", "pymdown-extensions", "pygments", "nbconvert")
PLUGIN_DIR = Path(__file__).resolve().parent

# --- Recording what a run reads ---------------------------------------------------------

# The recording of the code running in this thread, if any.
_active = threading.local()
# Files of Python's installation are covered by the versions of Python and the distributions.
_INSTALLATION = tuple(
    {
        os.path.join(os.path.realpath(path), "")
        for path in [
            sys.prefix,
            sys.base_prefix,
            sys.exec_prefix,
            sys.base_exec_prefix,
            *sysconfig.get_paths().values(),
        ]
    }
)


class Reads:
    """What code read while it ran: absolute file paths, environment variables, modules."""

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.environment: dict[str, str | None] = {}
        self.every_variable = False  # it went through the whole environment
        self.modules: set[str] = set()

    def file_states(self) -> dict[str, str | None]:
        """The files read, outside Python's installation, and their state now (file_state)."""
        return {
            path: state
            for path in sorted({_source(path) for path in self.files})
            if (state := file_state(path)) != "installed"
        }

    def summary(self) -> dict:
        """What was read and its state now, as JSON-ready data: see `unchanged`."""
        environment = dict(os.environ) if self.every_variable else self.environment
        return {
            "files": self.file_states(),
            "environment": dict(sorted(environment.items())),
            "every_variable": self.every_variable,
            "distributions": {
                name: _installed().get(name) for name in sorted(_distributions(self.modules))
            },
        }


def unchanged(summary: dict) -> bool:
    """Whether everything a run read (its Reads.summary()) is still as it was."""
    environment = summary["environment"]
    if summary["every_variable"] and environment != dict(os.environ):
        return False
    installed = _installed()
    return (
        all(os.environ.get(name) == value for name, value in environment.items())
        and all(
            installed.get(name) == version for name, version in summary["distributions"].items()
        )
        and all(file_state(path) == state for path, state in summary["files"].items())
    )


@contextlib.contextmanager
def recording(fresh: Path | None = None) -> Iterator[Reads]:
    """Record what the code run in this thread inside the block reads.

    Modules loaded from the folder `fresh` (snippets/) are forgotten first: the run imports
    them again, as a fresh process would, so their files are seen however they are imported.
    """
    _install_hooks()
    if fresh is not None:
        forget_modules(fresh)
    reads = Reads()
    outer = getattr(_active, "reads", None)
    _active.reads = reads
    try:
        yield reads
    finally:
        _active.reads = outer
        if outer is not None:  # what a nested run read, its caller read too
            outer.files |= reads.files
            outer.environment.update(reads.environment)
            outer.every_variable |= reads.every_variable
            outer.modules |= reads.modules


def forget_modules(folder: Path) -> None:
    """Remove the modules loaded from folder from sys.modules, so they are imported again."""
    prefix = os.path.join(os.path.abspath(folder), "")  # not resolved: that would be slow
    for name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(prefix):
            del sys.modules[name]


def _reads() -> Reads | None:
    return getattr(_active, "reads", None)


def _audit(event: str, args: tuple) -> None:
    """Audit hook: files opened for reading and modules loaded, while a recording is on."""
    reads = _reads()
    if reads is None:
        return
    if event == "open":
        path, mode, flags = args
        writing_only = (
            (flags & os.O_ACCMODE) == os.O_WRONLY
            if mode is None
            else "r" not in mode and "+" not in mode
        )
        if isinstance(path, str | bytes) and not writing_only:
            reads.files.add(os.path.abspath(os.fsdecode(path)))
    elif event == "import":
        reads.modules.add(args[0])


_original_import = builtins.__import__
_original_import_module = importlib.import_module


def _recording_import(name, globals=None, locals=None, fromlist=(), level=0):
    # Modules already loaded raise no audit event: their imports are seen here.
    module = _original_import(name, globals, locals, fromlist, level)
    reads = _reads()
    if reads is not None:
        reads.modules.add(module.__name__)
    return module


def _recording_import_module(name, package=None):
    module = _original_import_module(name, package)
    reads = _reads()
    if reads is not None:
        reads.modules.add(module.__name__)
    return module


class _RecordingEnviron(os._Environ):
    """os.environ, recording the variables a run looks up (os.getenv and `in` too)."""

    def __getitem__(self, name):
        reads = _reads()
        try:
            value = super().__getitem__(name)
        except KeyError:
            if reads is not None:
                reads.environment[name] = None
            raise
        if reads is not None:
            reads.environment[name] = value
        return value

    def __iter__(self):
        reads = _reads()
        if reads is not None:
            reads.every_variable = True
        return super().__iter__()


@functools.cache
def _install_hooks() -> None:
    """Install the recording hooks, once per process: audit hooks cannot be removed, and each
    hook records into the recording of its thread, if any."""
    sys.addaudithook(_audit)
    builtins.__import__ = _recording_import
    importlib.import_module = _recording_import_module
    os.environ.__class__ = _RecordingEnviron


def _source(path: str) -> str:
    """The file that matters: a module's source, not its compiled code (__pycache__/*.pyc)."""
    if path.endswith(".pyc"):
        with contextlib.suppress(ValueError):
            return importlib.util.source_from_cache(path)
    return path


def file_state(path: str) -> str | None:
    """A file's content hash; None if absent. Files of Python's installation count as unchanged
    ("installed"), and so does what is not a regular file (devices, directories)."""
    if os.path.realpath(path).startswith(_INSTALLATION):
        return "installed"
    try:
        if not os.path.isfile(path):
            return None if not os.path.lexists(path) else "not a file"
        with open(path, "rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError as error:
        return f"unreadable: {error.strerror}"


# --- Distributions ----------------------------------------------------------------------


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def metadata_folders() -> list[str]:
    """The installed distributions' metadata folders, whose names hold their versions: a cheap
    sign of a change (reading every distribution's metadata takes a quarter of a second)."""
    return sorted(
        entry.name
        for folder in map(Path, sys.path)
        if folder.is_dir()
        for entry in folder.iterdir()
        if entry.name.endswith((".dist-info", ".egg-info"))
    )


# The metadata folders when the distribution caches below were last filled.
_seen_installation: list[str] = []


@functools.cache
def _installed() -> dict[str, str]:
    """Normalised distribution name -> version, of everything installed (first on sys.path)."""
    versions: dict[str, str] = {}
    for distribution in importlib.metadata.distributions():
        versions.setdefault(_normal(distribution.metadata["Name"]), distribution.version)
    return versions


@functools.cache
def _top_level_distributions() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


@functools.cache
def _required(distribution: str) -> frozenset[str]:
    """The distributions that distribution requires, however indirectly (extras left out)."""
    found = {distribution}
    pending = [distribution]
    while pending:
        try:
            requirements = importlib.metadata.requires(pending.pop()) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for requirement in requirements:
            if "extra" in requirement.partition(";")[2]:
                continue
            name = _normal(re.match(r"[A-Za-z0-9._-]+", requirement)[0])
            if name not in found:
                found.add(name)
                pending.append(name)
    return frozenset(found)


def _distributions(modules: Iterable[str]) -> set[str]:
    """The distributions that provide the modules, with everything they require."""
    found: set[str] = set()
    for top_level in {module.partition(".")[0] for module in modules}:
        if top_level in sys.stdlib_module_names:
            continue
        for distribution in _top_level_distributions().get(top_level, []):
            found |= _required(_normal(distribution))
    return found


# --- The cache --------------------------------------------------------------------------


@functools.cache
def _plugin_code() -> str:
    digest = hashlib.sha256()
    for path in sorted(PLUGIN_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


class ExecutionCache:
    def __init__(
        self, directory: Path | None, root: Path, snippets_dir: Path, exec_timeout: float
    ) -> None:
        """directory: where entries are stored; root: the project, whose files entries name
        relative to it (a copy of the project can use the same entries)."""
        self.directory = directory
        self.root = root
        self.snippets_dir = snippets_dir
        self.exec_timeout = exec_timeout
        self.hits = 0
        self.misses = 0
        # What is installed may have changed since the last build of this process (serve).
        folders = metadata_folders()
        if folders != _seen_installation:
            for cached in (_installed, _top_level_distributions, _required):
                cached.cache_clear()
            _seen_installation[:] = folders

    def key(self, kind: str, code: str, **options) -> str:
        """The key of running code (of the given kind, with options that shape its output)."""
        inputs = {
            "format": FORMAT,
            "kind": kind,
            "code": code,
            "options": options,
            "exec_timeout": self.exec_timeout,
            "plugin": _plugin_code(),
            "packages": {name: _installed().get(_normal(name)) for name in FORMATTING_PACKAGES},
            "python": sys.version,
        }
        encoded = json.dumps(inputs, sort_keys=True, default=repr).encode()
        return hashlib.sha256(encoded).hexdigest()

    def notebook_key(self, text: str, **options) -> str:
        """The key of running a notebook (its JSON text): its code runs in a Jupyter kernel,
        which no recording sees, so the key holds every distribution installed and the snippet
        modules its code imports (read from the code: ``%matplotlib inline`` imports matplotlib
        unseen, but it is installed)."""
        snippet_files = self._snippet_files(notebook_code(text))
        return self.key(
            "notebook",
            text,
            snippets={
                path.relative_to(self.snippets_dir).as_posix(): file_state(str(path))
                for path in sorted(snippet_files)
            },
            installed=_installed(),
            **options,
        )

    def computed(
        self, kind: str, inputs: str, compute: Callable[[], dict], *, uses: Iterable[str]
    ) -> dict:
        """The result of a computation that reads nothing but its inputs (such as checking a
        derivation), stored like a run's output: keyed on the inputs, the plugin's code and the
        versions of the distributions it uses, with everything they require."""
        distributions = set().union(*(_required(_normal(name)) for name in uses))
        versions = {name: _installed().get(name) for name in sorted(distributions)}
        key = self.key(kind, inputs, versions=versions)
        entry = self.get(key)
        if entry is None:
            entry = compute()
            self.put(key, entry)
        return entry

    def __contains__(self, key: str) -> bool:
        """Whether a usable entry exists (not counted as a hit or a miss)."""
        return self._load(key) is not None

    def get(self, key: str) -> dict | None:
        """The entry stored under key, if nothing its run read has changed since."""
        entry = self._load(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def files_read(self, key: str) -> dict[str, str | None] | None:
        """The files an entry's run read (absolute path -> state), None if it recorded none."""
        try:
            reads = json.loads((self.directory / f"{key}.json").read_text("utf-8"))["reads"]
        except (OSError, ValueError, TypeError):
            return None
        if reads is None:
            return None
        return {str(self.root / name): state for name, state in reads["files"].items()}

    def put(self, key: str, entry: dict, reads: dict | None = None) -> None:
        """Store an entry with what its run read (a Reads.summary())."""
        if self.directory is None:
            return
        if reads is not None:
            reads = {**reads, "files": {self._name(p): s for p, s in reads["files"].items()}}
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{key}.json"
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"reads": reads, "entry": entry}), "utf-8")
        temporary.replace(path)  # atomic: a reader never sees half an entry

    def _load(self, key: str) -> dict | None:
        if self.directory is None:
            return None
        try:
            stored = json.loads((self.directory / f"{key}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        reads = stored["reads"]
        if reads is not None:
            files = {str(self.root / name): state for name, state in reads["files"].items()}
            if not unchanged({**reads, "files": files}):
                return None
        return stored["entry"]

    def _name(self, path: str) -> str:
        """A file's name in an entry: relative to the project if inside it (joined back by
        `_load`; an absolute path joined to the root stays itself)."""
        with contextlib.suppress(ValueError):
            return Path(path).relative_to(self.root).as_posix()
        return path

    def _snippet_files(self, sources: list[str]) -> set[Path]:
        """The snippet modules the sources import, transitively: a package with all its files."""
        found: set[Path] = set()
        pending = list(sources)
        while pending:
            for name in imported_modules(pending.pop()):
                module, package = self.snippets_dir / f"{name}.py", self.snippets_dir / name
                files = [module] if module.is_file() else sorted(package.rglob("*.py"))
                for path in set(files) - found:
                    found.add(path)
                    pending.append(path.read_text("utf-8"))
        return found


@functools.lru_cache(maxsize=512)
def imported_modules(code: str) -> frozenset[str]:
    """Top-level names of the modules that code imports (absolute imports only)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return frozenset()  # the run will report it; the key still covers the code
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return frozenset(names)


def notebook_code(notebook_text: str) -> list[str]:
    """The code cells of a notebook (its JSON text) as Python, for finding what it imports.

    IPython's magics (``%matplotlib inline``) and shell lines (``!ls``) are not Python: left in,
    the cell would not parse and none of its imports would be found.
    """
    cells = json.loads(notebook_text).get("cells", [])
    return [
        _IPYTHON_LINE.sub(r"\1# \2", "".join(cell.get("source", "")))
        for cell in cells
        if cell.get("cell_type") == "code"
    ]


_IPYTHON_LINE = re.compile(r"^([ \t]*)([%!])", re.MULTILINE)
