"""The execution cache never shows a stale result: one test per input that a run reads.

Each test builds a one-page project with its cache, changes one thing the claim (or block, or
notebook) read so that a fresh run fails, and builds again with the same cache: the build must
run it again and fail, where a stale cache would show the claim as holding.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, assert_fails, build

pytestmark = pytest.mark.slow

CONFIG = """site_name: Cache probe
theme:
  name: material
  custom_dir: overrides
  font: false
markdown_extensions:
  - attr_list
  - md_in_html
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.highlight
  - pymdownx.superfences
plugins:
  - markdown-exec:
      languages: [python]
  - mkdocs-jupyter:
      include: ["*.ipynb"]
      execute: true
      allow_errors: false
      cache: false
  - checked-site:
      exec_timeout: 60
      cache_dir: !ENV [CHECKED_SITE_CACHE, ""]
      timings_file: !ENV [CHECKED_SITE_TIMINGS, ""]
"""


def claim(statement: str, code: str) -> str:
    """A claim's file: its statement, then code that ends in checks."""
    return f'"""{statement}"""\n\n{code.strip()}\n'


class Project:
    """A one-page project: the plugin's code, the theme's overrides, checks.py and the files
    a test writes; built twice with one execution cache."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for folder in ("sitebuild", "overrides", "vendor"):
            shutil.copytree(
                ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__")
            )
        self.write("snippets/checks.py", (ROOT / "snippets" / "checks.py").read_text())
        self.write("mkdocs.yml", CONFIG)
        self.builds = 0

    def write(self, path: str, text: str) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    def page(self, *claim_ids: str, extra: str = "") -> None:
        fences = "".join(f"```claim\n{claim_id}\n```\n\n" for claim_id in claim_ids)
        self.write("docs/index.md", f"# Cache probe\n\n{fences}{extra}")

    def build(self, **env: str):
        """A strict build with the project's cache; env adds environment variables."""
        self.builds += 1
        timings = self.root.parent / f"timings-{self.builds}.json"
        result = build(
            self.root,
            self.root.parent / f"site-{self.builds}",
            CHECKED_SITE_CACHE=str(self.root.parent / "cache"),
            CHECKED_SITE_TIMINGS=str(timings),
            **env,
        )
        result.ran = (
            {  # what ran rather than came from the cache
                f"{page}: {what}"
                for page, runs in json.loads(timings.read_text()).get("pages", {}).items()
                for what, record in runs.items()
                if not record["cached"]
            }
            if timings.is_file()
            else None
        )
        return result


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "project")


def passes(result) -> None:
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]


def test_a_submodule_of_a_snippet_package(project):
    """Two claims import a module of a snippet package: the second finds it imported already
    (by the first, in the same process), and must see it changed all the same."""
    project.write("snippets/probe_package/__init__.py", "")
    project.write("snippets/probe_package/values.py", "VALUE = 5\n")
    for claim_id in ("probe-first", "probe-second"):
        project.write(
            f"snippets/claims/{claim_id}.py",
            claim(
                f"The package's value is five ({claim_id}).",
                "from probe_package.values import VALUE\nfrom checks import close\n"
                "close(VALUE, 5, atol=0.5)",
            ),
        )
    project.page("probe-first", "probe-second")
    passes(project.build())
    project.write("snippets/probe_package/values.py", "VALUE = 6\n")
    assert_fails(
        project.build(),
        "index.md: claim probe-first fails",
        "index.md: claim probe-second fails",
    )


def test_a_data_file_read_with_open(project):
    project.write("snippets/probe-data.txt", "5\n")
    project.write(
        "snippets/claims/probe.py",
        claim(
            "The data file holds five.",
            "from pathlib import Path\nfrom checks import close\n"
            "data = Path(__file__).parent.parent / 'probe-data.txt'\n"
            "close(float(data.read_text()), 5, atol=0.5)",
        ),
    )
    block = (
        '```python exec="on"\n'
        "print('The data file holds', open('snippets/probe-data.txt').read().strip() + '.')\n"
        "```\n"
    )
    project.page("probe", extra=block)
    first = project.build()
    passes(first)
    assert first.ran == {"index.md: claim probe", "index.md: python block"}
    project.write("snippets/probe-data.txt", "6\n")
    assert_fails(project.build(), "index.md: claim probe fails")
    # The block ran again too (its page is written even though the claim failed).
    assert "The data file holds 6." in (project.root.parent / "site-2" / "index.html").read_text()


def test_an_environment_variable(project):
    project.write(
        "snippets/claims/probe.py",
        claim(
            "The probe variable is five, or unset.",
            "import os\nfrom checks import close\n"
            "close(float(os.getenv('CACHE_PROBE_VALUE', '5')), 5, atol=0.5)",
        ),
    )
    project.page("probe")
    passes(project.build())
    assert_fails(project.build(CACHE_PROBE_VALUE="6"), "index.md: claim probe fails")


def test_a_module_loaded_with_import_module(project):
    project.write("snippets/probe_dynamic.py", "VALUE = 5\n")
    project.write(
        "snippets/claims/probe.py",
        claim(
            "The dynamic module's value is five.",
            "import importlib\nfrom checks import close\n"
            "close(importlib.import_module('probe_dynamic').VALUE, 5, atol=0.5)",
        ),
    )
    project.page("probe")
    passes(project.build())
    project.write("snippets/probe_dynamic.py", "VALUE = 6\n")
    assert_fails(project.build(), "index.md: claim probe fails")


def test_the_time_limit(project):
    project.write(
        "snippets/claims/probe.py",
        claim(
            "Two seconds of sleep end.",
            "import time\nfrom checks import close\ntime.sleep(2)\nclose(1, 1, atol=0.5)",
        ),
    )
    project.page("probe")
    passes(project.build())
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text().replace("exec_timeout: 60", "exec_timeout: 1"))
    assert_fails(project.build(), "index.md: claim probe fails", "time limit of 1 s")


def _install(site_packages: Path, name: str, version: str, code: str, requires=()) -> None:
    """A distribution as pip installs it: its module and its metadata (dist-info)."""
    (site_packages / f"{name}.py").write_text(code)
    info = site_packages / f"{name}-{version}.dist-info"
    for old in site_packages.glob(f"{name}-*.dist-info"):
        shutil.rmtree(old)
    info.mkdir()
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {requirement}\n" for requirement in requires)
    (info / "METADATA").write_text(metadata)
    (info / "top_level.txt").write_text(f"{name}\n")
    (info / "RECORD").write_text(f"{name}.py,,\n")


def test_the_version_of_an_indirect_dependency(project):
    """probe_top imports probe_deep; the claims import only probe_top. The second claim finds
    probe_top already imported (by the first, in the same process), so it opens no file of
    either: only the versions of probe_top's dependencies can tell it ran with another."""
    packages = project.root.parent / "packages"
    packages.mkdir()
    _install(packages, "probe_deep", "1.0", "VALUE = 5\n")
    _install(packages, "probe_top", "1.0", "from probe_deep import VALUE\n", ["probe-deep>=1"])
    for claim_id in ("probe-first", "probe-second"):
        project.write(
            f"snippets/claims/{claim_id}.py",
            claim(
                f"The top package's value is five ({claim_id}).",
                "from probe_top import VALUE\nfrom checks import close\nclose(VALUE, 5, atol=0.5)",
            ),
        )
    project.page("probe-first", "probe-second")
    passes(project.build(PYTHONPATH=str(packages)))
    _install(packages, "probe_deep", "2.0", "VALUE = 6\n")  # an upgrade
    assert_fails(
        project.build(PYTHONPATH=str(packages)),
        "index.md: claim probe-first fails",
        "index.md: claim probe-second fails",
    )


def test_the_plugin_code(project):
    project.write(
        "snippets/claims/probe.py",
        claim("One is one.", "from checks import close\nclose(1, 1, atol=0.5)"),
    )
    project.page("probe", extra='```python exec="on"\nprint("A block.")\n```\n')
    first = project.build()
    passes(first)
    assert first.ran == {"index.md: claim probe", "index.md: python block"}
    unchanged = project.build()
    passes(unchanged)
    assert unchanged.ran == set(), "nothing changed: everything comes from the cache"
    claims_module = project.root / "sitebuild" / "claims.py"
    claims_module.write_text(claims_module.read_text() + "\n# A change to the plugin.\n")
    changed = project.build()
    passes(changed)
    assert changed.ran == first.ran, "a change to the plugin runs everything again"


def test_a_notebook_and_what_is_installed(project):
    """A notebook runs in a Jupyter kernel, out of reach of recording: it runs again when any
    installed distribution changes, here one its code does not name (as `%matplotlib inline`
    imports matplotlib)."""
    packages = project.root.parent / "packages"
    packages.mkdir()
    _install(packages, "probe_deep", "1.0", "VALUE = 5\n")
    _install(packages, "probe_top", "1.0", "from probe_deep import VALUE\n", ["probe-deep>=1"])
    cell = "from probe_top import VALUE\nassert VALUE == 5, f'the value is {VALUE}'"
    notebook = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": cell,
                "outputs": [],
                "execution_count": None,
            }
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    project.write("docs/probe.ipynb", json.dumps(notebook))
    project.page()
    first = project.build(PYTHONPATH=str(packages))
    passes(first)
    assert first.ran == {"probe.ipynb: notebook"}
    _install(packages, "probe_deep", "2.0", "VALUE = 6\n")
    assert_fails(project.build(PYTHONPATH=str(packages)), "the value is 6")
