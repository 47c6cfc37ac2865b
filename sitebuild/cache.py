"""The execution cache: outputs of blocks, claims and notebooks whose inputs have not changed.

An entry's key is a hash of everything its output depends on:

- the code itself (a block after its includes are expanded, a claim's file, a notebook's file),
  and the options that shape its output;
- every module of ``snippets/`` it imports, directly or through other snippet modules;
- the versions of the packages those imports reach (numpy, sympy, matplotlib, ...), of Python,
  and of the packages that format the output.

Imports are found by reading the code (``ast``), not by running it, so the key is known before
anything runs. Code that reads other files at run time would escape the key; snippets do not.
A cache directory of None turns the cache off: every lookup misses and nothing is stored.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

# Bump when the format of stored entries changes.
FORMAT = 1
# Packages that turn a run's output into the page, whatever the code imports.
FORMATTING_PACKAGES = ("markdown", "markdown-exec", "pymdown-extensions", "pygments", "nbconvert")


@functools.lru_cache(maxsize=512)
def imported_modules(code: str) -> frozenset[str]:
    """Top-level names of the modules that code imports (absolute imports only).

    Cached: every claim's key reads the same snippet modules (checks.py, losses.py) again.
    """
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


class ExecutionCache:
    def __init__(self, directory: Path | None, snippets_dir: Path) -> None:
        self.directory = directory
        self.snippets_dir = snippets_dir
        self.hits = 0
        self.misses = 0
        self._distributions = importlib.metadata.packages_distributions()

    def key(self, kind: str, code: str, *, sources: Iterable[str] = (), **options) -> str:
        """The key of running code (of the given kind, with options that shape its output).

        Imports are read from code, or from sources when code is not Python (a notebook).
        """
        snippet_files, packages = self._dependencies(list(sources) or [code])
        inputs = {
            "format": FORMAT,
            "kind": kind,
            "code": code,
            "options": options,
            "snippets": {
                path.relative_to(self.snippets_dir).as_posix(): _file_hash(path)
                for path in sorted(snippet_files)
            },
            "packages": {
                name: _version(name) for name in sorted({*packages, *FORMATTING_PACKAGES})
            },
            "python": sys.version,
        }
        encoded = json.dumps(inputs, sort_keys=True, default=repr).encode()
        return hashlib.sha256(encoded).hexdigest()

    def __contains__(self, key: str) -> bool:
        """Whether an entry exists (not counted as a hit or a miss)."""
        return self.directory is not None and (self.directory / f"{key}.json").is_file()

    def get(self, key: str) -> dict | None:
        if self.directory is None:
            self.misses += 1
            return None
        try:
            entry = json.loads((self.directory / f"{key}.json").read_text("utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: dict) -> None:
        if self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{key}.json"
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(entry), "utf-8")
        temporary.replace(path)  # atomic: a reader never sees half an entry

    def _dependencies(self, sources: list[str]) -> tuple[set[Path], set[str]]:
        """The snippet modules the sources import (transitively) and the distributions reached."""
        snippet_files: set[Path] = set()
        distributions: set[str] = set()
        pending = sources
        while pending:
            for name in imported_modules(pending.pop()):
                module = self._snippet_module(name)
                if module is not None:
                    if module not in snippet_files:
                        snippet_files.add(module)
                        pending.append(module.read_text("utf-8"))
                elif name not in sys.stdlib_module_names:
                    distributions.update(self._distributions.get(name, [name]))
        return snippet_files, distributions

    def _snippet_module(self, name: str) -> Path | None:
        module, package = self.snippets_dir / f"{name}.py", self.snippets_dir / name / "__init__.py"
        for candidate in (module, package):
            if candidate.is_file():
                return candidate
        return None


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def notebook_code(notebook_text: str) -> Iterable[str]:
    """The code cells of a notebook (its JSON text), for finding what it imports."""
    cells = json.loads(notebook_text).get("cells", [])
    return ["".join(cell.get("source", "")) for cell in cells if cell.get("cell_type") == "code"]
