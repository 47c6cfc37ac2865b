"""The execution cache re-runs exactly what changed, and two clean builds are byte-identical."""

from __future__ import annotations

import difflib
import filecmp
import json
import os
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest
from mkdocs_jupyter.nbconvert2 import nb2html

from sitebuild import cache as cache_module
from sitebuild.cache import ExecutionCache, recording
from sitebuild.notebooks import configure_notebook_execution
from tests.conftest import ROOT, add_page, build

PROBE_BLOCK = """
```python exec="on"
from cache_probe import VALUE
print(f"The probe block sees {VALUE}.")
```
"""
PROBE_CLAIM = '''"""The probe value has five letters."""

from cache_probe import VALUE

from checks import close

close(len(VALUE), 5, atol=0.5, what=f"letters of {VALUE}")
'''


def _differences(left: Path, right: Path) -> list[str]:
    """Files that differ between two trees, or exist in only one (relative paths)."""
    comparison = filecmp.dircmp(left, right)
    found = [*comparison.left_only, *comparison.right_only, *comparison.diff_files]
    # dircmp compares only size and times unless told: compare contents.
    found += [
        name
        for name in comparison.same_files
        if (left / name).read_bytes() != (right / name).read_bytes()
    ]
    for name in comparison.common_dirs:
        found += [f"{name}/{path}" for path in _differences(left / name, right / name)]
    return sorted(found)


def _first_changes(left: Path, right: Path, paths: list[str], lines: int = 40) -> str:
    """The start of a line diff of the first file that differs, to see what is not reproducible."""
    first = paths[0]
    if not ((left / first).is_file() and (right / first).is_file()):
        return f"{first} exists in only one build"
    # Break after tags too: most built files hold long lines.
    before, after = (
        (root / first).read_text(errors="replace").replace(">", ">\n").splitlines()
        for root in (left, right)
    )
    diff = difflib.unified_diff(before, after, f"first/{first}", f"second/{first}", lineterm="")
    return "\n".join(list(diff)[:lines])


def _runs(timings: Path) -> dict[str, bool]:
    """'page: what' -> whether it ran (False: its output came from the cache)."""
    pages = json.loads(timings.read_text())["pages"]
    return {
        f"{page}: {what}": not record["cached"]
        for page, runs in pages.items()
        for what, record in runs.items()
    }


def _commit(project: Path) -> None:
    """Make the copy a repository: pages are dated by their last commit, not by the clock."""
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run([*git, *command], cwd=project, check=True)


@pytest.mark.slow
def test_a_warm_build_runs_nothing_and_is_byte_identical(built_site, warm_cache, tmp_path):
    """The run's build of the site started from an empty cache and ran everything; a build of
    the same checkout from a copy of its cache runs nothing, and the site is the same to the
    byte."""
    cold_runs = _runs(built_site.parent / f"{built_site.name}-timings.json")
    assert all(cold_runs.values()), "a build with an empty cache must run everything"
    assert any(what.endswith("notebook") for what in cold_runs)
    warm, timings = tmp_path / "warm", tmp_path / "warm.json"
    result = build(ROOT, warm, **warm_cache, CHECKED_SITE_TIMINGS=str(timings))
    assert result.returncode == 0, result.stderr[-3000:]
    warm_runs = _runs(timings)
    assert warm_runs.keys() == cold_runs.keys()
    assert not [what for what, ran in warm_runs.items() if ran]
    differences = _differences(built_site, warm)
    assert differences == [], _first_changes(built_site, warm, differences)


def _notebook(*cells: tuple[str, str]) -> str:
    """A notebook of (cell type, source) cells, as Jupyter saves it before it runs."""
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": kernel})
    make = {"code": nbformat.v4.new_code_cell, "markdown": nbformat.v4.new_markdown_cell}
    notebook.cells = [make[kind](source) for kind, source in cells]
    return nbformat.writes(notebook)


def test_cache_reruns_exactly_what_changed(tiny_project, tmp_path):
    """A one-page copy with a block and a claim importing a snippet module, a page including a
    snippet file and a notebook: each change runs again exactly what it changes."""
    project = tiny_project
    (project / "snippets" / "cache_probe.py").write_text('VALUE = "first"\n')
    (project / "snippets" / "claims" / "cache-probe.py").write_text(PROBE_CLAIM)
    index = f"# Home\n{PROBE_BLOCK}\n```claim\ncache-probe\n```\n"
    (project / "docs" / "index.md").write_text(index)  # in the nav already
    included = project / "snippets" / "cache_included.py"
    included.write_text('print("An included line.")\n')
    fence = '```python exec="on" id="included"\n--8<-- "cache_included.py"\n```\n'
    add_page(project, "included.md", f"# Included\n\n{fence}")
    notebook_cells = [("markdown", "# The identities, live"), ("code", "print(1 + 1)")]
    add_page(project, "notebooks/probe.ipynb", _notebook(*notebook_cells))
    _commit(project)

    def build_with_cache(name: str) -> tuple[Path, dict[str, bool]]:
        site, timings = tmp_path / name, tmp_path / f"{name}.json"
        result = build(
            project,
            site,
            CHECKED_SITE_CACHE=str(tmp_path / "cache"),
            CHECKED_SITE_TIMINGS=str(timings),
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return site, _runs(timings)

    cold, cold_runs = build_with_cache("cold")
    assert all(cold_runs.values()), "a build with an empty cache must run everything"
    assert len(cold_runs) == 4, cold_runs

    # Nothing changed: nothing runs, and the site is the same to the byte.
    warm, warm_runs = build_with_cache("warm")
    assert warm_runs.keys() == cold_runs.keys()
    assert not [what for what, ran in warm_runs.items() if ran]
    assert _differences(cold, warm) == []

    # Change one input of each kind: an imported snippet module (seen by a block and a claim),
    # a file a block includes, and a notebook.
    (project / "snippets" / "cache_probe.py").write_text('VALUE = "again"\n')
    included.write_text(included.read_text() + 'print("An included line changed.")\n')
    notebook_cells[0] = ("markdown", "# Identities, live")
    (project / "docs" / "notebooks" / "probe.ipynb").write_text(_notebook(*notebook_cells))

    edited, edited_runs = build_with_cache("edited")
    reran = {what for what, ran in edited_runs.items() if ran}
    assert reran == {
        "index.md: python block",
        "index.md: claim cache-probe",
        "included.md: python block 'included'",
        "notebooks/probe.ipynb: notebook",
    }
    assert "The probe block sees again." in (edited / "index.html").read_text()
    assert "letters of again" in (edited / "index.html").read_text()
    assert "An included line changed." in (edited / "included" / "index.html").read_text()
    assert "Identities, live" in (edited / "notebooks" / "probe" / "index.html").read_text()


def test_key_covers_code_options_and_time_limit(tmp_path):
    cache = ExecutionCache(None, tmp_path, tmp_path, exec_timeout=60)
    code = "print(1)\n"
    key = cache.key("block", code)
    assert cache.key("block", code + "\n") != key, "the code"
    assert cache.key("block", code, options={"html": True}) != key, "the options"
    assert ExecutionCache(None, tmp_path, tmp_path, 2).key("block", code) != key, "the time limit"
    assert ExecutionCache(None, tmp_path, tmp_path, 60).key("block", code) == key, (
        "the same inputs give the same key"
    )


def test_notebook_key_covers_snippet_packages_and_everything_installed(tmp_path, monkeypatch):
    (tmp_path / "helper").mkdir()
    (tmp_path / "helper" / "__init__.py").write_text("")
    (tmp_path / "helper" / "values.py").write_text("VALUE = 1\n")
    cell = {"cell_type": "code", "source": "%matplotlib inline\nfrom helper.values import VALUE"}
    text = json.dumps({"cells": [cell]})
    cache = ExecutionCache(None, tmp_path, tmp_path, exec_timeout=60)
    key = cache.notebook_key(text)
    (tmp_path / "helper" / "values.py").write_text("VALUE = 2\n")
    assert cache.notebook_key(text) != key, "a module of a snippet package the notebook imports"
    key = cache.notebook_key(text)
    installed = cache_module._installed()
    assert "matplotlib" in installed
    monkeypatch.setattr(cache_module, "_installed", lambda: {**installed, "matplotlib": "0"})
    assert cache.notebook_key(text) != key, "a package the code does not name (%matplotlib)"


def test_recording_sees_files_environment_and_imports(tmp_path, monkeypatch):
    import sympy  # loaded before the recording: importing it again opens no file of it

    data = tmp_path / "data.txt"
    data.write_text("1")
    monkeypatch.setenv("CACHE_PROBE", "a")
    monkeypatch.delenv("CACHE_PROBE_UNSET", raising=False)
    with recording() as reads:
        data.read_text()
        os.environ.get("CACHE_PROBE")
        os.getenv("CACHE_PROBE_UNSET")
        import sympy  # noqa: F401
    summary = reads.summary()
    assert list(summary["files"]) == [str(data)]
    assert summary["environment"] == {"CACHE_PROBE": "a", "CACHE_PROBE_UNSET": None}
    # sympy requires mpmath: the version of a package reached only through another counts.
    assert summary["distributions"].keys() == {"sympy", "mpmath"}
    assert cache_module.unchanged(summary)

    data.write_text("2")
    assert not cache_module.unchanged(summary), "a file read changed"
    data.write_text("1")
    assert cache_module.unchanged(summary), "and changed back"
    monkeypatch.setenv("CACHE_PROBE_UNSET", "now set")
    assert not cache_module.unchanged(summary), "a variable looked up and absent is now set"
    monkeypatch.delenv("CACHE_PROBE_UNSET")
    installed = cache_module._installed()
    monkeypatch.setattr(cache_module, "_installed", lambda: {**installed, "mpmath": "0"})
    assert not cache_module.unchanged(summary), "an indirect dependency's version changed"


def test_a_cache_without_directory_stores_nothing(tmp_path):
    cache = ExecutionCache(None, tmp_path, tmp_path, exec_timeout=60)
    key = cache.key("claim", "x = 1\n")
    cache.put(key, {"html": "<p>1</p>"})
    assert cache.get(key) is None
    assert (cache.hits, cache.misses) == (0, 1)


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(built_site, tmp_path):
    again = tmp_path / "again"
    result = build(ROOT, again)
    assert result.returncode == 0, result.stderr[-3000:]
    differences = _differences(built_site, again)
    assert differences == [], _first_changes(built_site, again, differences)


def test_a_cell_prints_one_output_however_late_its_prints_come(tmp_path, monkeypatch):
    """The kernel sends printed text every 0.2 s; on a loaded machine a cell's prints can come
    that far apart. The page must show one output all the same, or builds differ."""
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)  # restored after the test
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the settings' folder goes there
    configure_notebook_execution(seconds=60)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import time\nprint('one')\ntime.sleep(0.5)\nprint('two')")
    ]
    path = tmp_path / "late-prints.ipynb"
    nbformat.write(notebook, path)
    page = nb2html(str(path), execute=True)
    assert "<pre>one\ntwo\n</pre>" in page
