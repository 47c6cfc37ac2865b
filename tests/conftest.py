"""Shared fixtures: the project root, a strict build of the site, and copies to break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What a copy of the project leaves out: environments, caches and build output.
NOT_COPIED = shutil.ignore_patterns(
    ".git", ".venv", ".tools", "site", ".cache", "__pycache__", ".pytest_cache", ".ruff_cache"
)


def build(
    project: Path, site_dir: Path, *extra: str, timeout: float = 600
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project, as `make build` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir), *extra],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built once from this checkout with --strict; every site test reads it."""
    site = tmp_path_factory.mktemp("site")
    result = build(ROOT, site)
    assert result.returncode == 0, f"strict build failed:\n{result.stdout}\n{result.stderr}"
    return site


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project's sources to inject a fault into."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=NOT_COPIED)
    return copy
