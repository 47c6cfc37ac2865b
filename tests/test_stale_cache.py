"""The execution cache never shows a stale result: one test per input that a run reads.

A one-page project of probes (claims, a block and a notebook, each reading one kind of input)
is built once with its cache. Each test takes a copy of the project and its cache, changes one
input so that a fresh run of its probe fails, and builds again: the build must run exactly
what read that input, and fail, where a stale cache would show the claim as holding.
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


PACKAGES = "packages"  # inside the project, as a copy of the cache names it relative to it


def claim(statement: str, code: str) -> str:
    """A claim's file: its statement, then code that ends in checks."""
    return f'"""{statement}"""\n\n{code.strip()}\n'


def install(project: Path, name: str, version: str, code: str, requires=()) -> None:
    """A distribution as pip installs it: its module and its metadata (dist-info)."""
    site_packages = project / PACKAGES
    site_packages.mkdir(exist_ok=True)
    (site_packages / f"{name}.py").write_text(code)
    for old in site_packages.glob(f"{name}-*.dist-info"):
        shutil.rmtree(old)
    info = site_packages / f"{name}-{version}.dist-info"
    info.mkdir()
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    metadata += "".join(f"Requires-Dist: {requirement}\n" for requirement in requires)
    (info / "METADATA").write_text(metadata)
    (info / "top_level.txt").write_text(f"{name}\n")
    (info / "RECORD").write_text(f"{name}.py,,\n")


def write(project: Path, path: str, text: str) -> None:
    target = project / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


FIVE = "from checks import close\nclose(VALUE, 5, atol=0.5)"
# Claim id -> its code. Two claims import each package: the second finds it imported already
# (by the first, in the same process) and must see it changed all the same.
PROBES = {
    "package-first": f"from probe_package.values import VALUE\n{FIVE}",
    "package-second": f"from probe_package.values import VALUE\n{FIVE}",
    "data": f"from probe_files import DATA\nVALUE = float(open(DATA).read())\n{FIVE}",
    "environment": f"import os\nVALUE = float(os.getenv('CACHE_PROBE_VALUE', '5'))\n{FIVE}",
    "dynamic": f"import importlib\nVALUE = importlib.import_module('probe_dynamic').VALUE\n{FIVE}",
    "sleep": f"import time\ntime.sleep(2)\nVALUE = 5\n{FIVE}",
    "installed-first": f"from probe_top import VALUE\n{FIVE}",
    "installed-second": f"from probe_top import VALUE\n{FIVE}",
}
DATA_PATH = "import os\nDATA = os.path.join(os.path.dirname(__file__), 'probe-data.txt')\n"
BLOCK = """```python exec="on"
from probe_files import DATA
print("The data file holds", open(DATA).read().strip() + ".")
```
"""
# `%matplotlib inline` is not Python: a scan of the cell's imports would find none.
NOTEBOOK_CELL = (
    "%matplotlib inline\nfrom probe_notebook import VALUE\n"
    "assert VALUE == 5, f'the value is {VALUE}'"
)
EVERY_RUN = {
    *(f"index.md: claim {claim_id}" for claim_id in PROBES),
    "index.md: python block",
    "probe.ipynb: notebook",
}


def build_probes(project: Path, **env: str):
    """A strict build with the project's cache (beside it); result.ran: what ran rather than
    came from the cache."""
    timings = project.parent / "timings.json"
    timings.unlink(missing_ok=True)
    result = build(
        project,
        project.parent / "site",
        CHECKED_SITE_CACHE=str(project.parent / "cache"),
        CHECKED_SITE_TIMINGS=str(timings),
        PYTHONPATH=str(project / PACKAGES),
        **env,
    )
    pages = json.loads(timings.read_text())["pages"] if timings.is_file() else {}
    result.ran = {
        f"{page}: {what}"
        for page, runs in pages.items()
        for what, record in runs.items()
        if not record["cached"]
    }
    return result


def passes(result) -> None:
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def built_probes(tmp_path_factory) -> Path:
    """The probe project, built once with its cache: every probe holds."""
    project = tmp_path_factory.mktemp("probes") / "project"
    for folder in ("sitebuild", "overrides", "vendor"):
        ignore = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / folder, project / folder, ignore=ignore)
    for module in ("checks.py", "tex.py"):
        write(project, f"snippets/{module}", (ROOT / "snippets" / module).read_text())
    write(project, "mkdocs.yml", CONFIG)
    write(project, "snippets/probe_package/__init__.py", "")
    write(project, "snippets/probe_package/values.py", "VALUE = 5\n")
    write(project, "snippets/probe-data.txt", "5\n")
    # Page code runs in a scratch folder: it finds the data file beside the snippets.
    write(project, "snippets/probe_files.py", DATA_PATH)
    write(project, "snippets/probe_dynamic.py", "VALUE = 5\n")
    install(project, "probe_deep", "1.0", "VALUE = 5\n")
    install(project, "probe_top", "1.0", "from probe_deep import VALUE\n", ["probe-deep>=1"])
    install(project, "probe_notebook", "1.0", "VALUE = 5\n")
    for claim_id, code in PROBES.items():
        write(project, f"snippets/claims/{claim_id}.py", claim(f"Probe {claim_id}.", code))
    fences = "".join(f"```claim\n{claim_id}\n```\n\n" for claim_id in PROBES)
    write(project, "docs/index.md", f"# Cache probes\n\n{fences}{BLOCK}")
    cell = {"cell_type": "code", "metadata": {}, "source": NOTEBOOK_CELL, "outputs": []}
    cell["execution_count"] = None
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = {"cells": [cell], "metadata": {"kernelspec": kernel}, "nbformat": 4}
    write(project, "docs/probe.ipynb", json.dumps({**notebook, "nbformat_minor": 5}))
    result = build_probes(project)
    passes(result)
    assert result.ran == EVERY_RUN
    return project.parent


@pytest.fixture
def probes(built_probes, tmp_path) -> Path:
    """A copy of the probe project and its cache, to change one input of."""
    shutil.copytree(built_probes, tmp_path / "probes")
    return tmp_path / "probes" / "project"


def test_nothing_changed_nothing_runs(probes):
    """The copy's cache serves every probe: the tests below see what a change runs again."""
    result = build_probes(probes)
    passes(result)
    assert result.ran == set()


def test_a_submodule_of_a_snippet_package(probes):
    write(probes, "snippets/probe_package/values.py", "VALUE = 6\n")
    result = build_probes(probes)
    assert_fails(result, "claim package-first fails", "claim package-second fails")
    assert result.ran == {"index.md: claim package-first", "index.md: claim package-second"}


def test_a_data_file_read_with_open(probes):
    write(probes, "snippets/probe-data.txt", "6\n")
    result = build_probes(probes)
    assert_fails(result, "index.md: claim data fails")
    assert result.ran == {"index.md: claim data", "index.md: python block"}
    assert "The data file holds 6." in (probes.parent / "site" / "index.html").read_text()


def test_an_environment_variable(probes):
    result = build_probes(probes, CACHE_PROBE_VALUE="6")
    assert_fails(result, "index.md: claim environment fails")
    assert result.ran == {"index.md: claim environment"}


def test_a_module_loaded_with_import_module(probes):
    write(probes, "snippets/probe_dynamic.py", "VALUE = 6\n")
    result = build_probes(probes)
    assert_fails(result, "index.md: claim dynamic fails")
    assert result.ran == {"index.md: claim dynamic"}


def test_the_time_limit(probes):
    config = probes / "mkdocs.yml"
    config.write_text(config.read_text().replace("exec_timeout: 60", "exec_timeout: 1"))
    # The claim ran again: its cached result held. (Whether the notebook's cells fit in 1 s
    # too depends on the machine's load, so what else ran is not asked.)
    assert_fails(build_probes(probes), "index.md: claim sleep fails", "time limit of 1 s")


def test_the_version_of_an_indirect_dependency(probes):
    """The claims import probe_top, which imports probe_deep. The second claim opens no file
    of either: only the versions of probe_top's requirements can tell it that one changed.
    The notebook runs again too: it is keyed on every installed distribution."""
    install(probes, "probe_deep", "2.0", "VALUE = 6\n")  # an upgrade
    result = build_probes(probes)
    assert_fails(result, "claim installed-first fails", "claim installed-second fails")
    assert result.ran == {
        "index.md: claim installed-first",
        "index.md: claim installed-second",
        "probe.ipynb: notebook",
    }


def test_the_plugin_code(probes):
    claims_module = probes / "sitebuild" / "claims.py"
    claims_module.write_text(claims_module.read_text() + "\n# A change to the plugin.\n")
    result = build_probes(probes)
    passes(result)
    assert result.ran == EVERY_RUN


def test_a_notebook_and_what_is_installed(probes):
    """A notebook runs in a Jupyter kernel, out of reach of recording: it runs again when an
    installed distribution changes, even one that no scan of its code finds."""
    install(probes, "probe_notebook", "2.0", "VALUE = 6\n")
    assert_fails(build_probes(probes), "the value is 6")
