"""One strict build of the site per test run, shared by every xdist worker.

The controller makes a folder for it and hands it to the workers. The first process to ask for
the site builds it there, holding a lock; the others wait on the lock and read what it left.
In a run of the whole suite the controller starts the build itself, at once, so that it runs
while the workers collect and run the tests that do not need it (tests/conftest.py runs those
first).
"""

from __future__ import annotations

import fcntl
import json
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

_FOLDER_KEY = "shared_site_folder"
_folder = pytest.StashKey[Path]()
_early_build = pytest.StashKey[threading.Thread]()


def build_once(folder: Path, build: Callable[[Path, Path], object]) -> Path:
    """The site built in folder/site with its cache in folder/site-cache, by whichever process
    asks first; a failed build fails every test that asks, with the build's output."""
    _build_unless_built(folder, build)
    recorded = json.loads((folder / "outcome.json").read_text())
    assert recorded["returncode"] == 0, f"strict build failed:\n{recorded['output']}"
    return folder / "site"


def _build_unless_built(folder: Path, build: Callable[[Path, Path], object]) -> None:
    outcome = folder / "outcome.json"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not outcome.exists():
            result = build(folder / "site", folder / "site-cache")
            output = f"{result.stdout}\n{result.stderr}"
            outcome.write_text(json.dumps({"returncode": result.returncode, "output": output}))


def folder(config: pytest.Config) -> Path:
    """The run's shared folder: the controller's, in a worker. A worker whose controller did not
    load tests/conftest.py (`pytest .`) makes its own, and builds the site itself."""
    shared = getattr(config, "workerinput", {}).get(_FOLDER_KEY)
    if shared:
        return Path(shared)
    if _folder not in config.stash:
        config.stash[_folder] = Path(tempfile.mkdtemp(prefix="pytest-site-"))
    return config.stash[_folder]


def start(config: pytest.Config, build: Callable[[Path, Path], object]) -> None:
    """In the controller (or a run without workers): make the folder and, when the whole suite
    runs, start the build."""
    if hasattr(config, "workerinput"):
        return
    shared = folder(config)
    whole_suite = (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.option.keyword
        and not config.option.markexpr
        and not config.option.collectonly
    )
    if whole_suite:
        thread = threading.Thread(target=_build_unless_built, args=(shared, build), daemon=True)
        thread.start()
        config.stash[_early_build] = thread


def hand_over(config: pytest.Config, workerinput: dict) -> None:
    workerinput[_FOLDER_KEY] = str(folder(config))


def finish(config: pytest.Config) -> None:
    """Remove the folder, in the process that made it."""
    if _folder not in config.stash:
        return
    if _early_build in config.stash:
        config.stash[_early_build].join()
    shutil.rmtree(config.stash[_folder], ignore_errors=True)
