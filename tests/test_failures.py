"""Every kind of fault fails the build (or the tests) with a message naming where it is.

Each test breaks a copy of the project in one way and checks the exit code and the message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import add_page, assert_fails, build

pytestmark = pytest.mark.slow


def test_snippet_that_raises(project_copy, tmp_path, warm_cache):
    (project_copy / "snippets" / "broken_example.py").write_text(
        'raise RuntimeError("the example is broken")\n'
    )
    add_page(
        project_copy,
        "fault.md",
        '# Fault\n\n```python exec="on" id="broken-example"\n--8<-- "broken_example.py"\n```\n',
    )
    assert_fails(
        build(project_copy, tmp_path / "site", **warm_cache),
        "fault.md",
        "'broken-example'",
        "RuntimeError: the example is broken",
    )


def test_block_that_runs_forever(project_copy, tmp_path, warm_cache):
    config = project_copy / "mkdocs.yml"
    config.write_text(config.read_text().replace("exec_timeout: 60", "exec_timeout: 2"))
    add_page(
        project_copy,
        "fault.md",
        '# Fault\n\n```python exec="on" id="endless"\nwhile True:\n    pass\n```\n',
    )
    assert_fails(
        build(project_copy, tmp_path / "site", **warm_cache, timeout=120),
        "fault.md",
        "'endless'",
        "ran longer than its time limit of 2 s",
    )


def test_missing_include(project_copy, tmp_path, warm_cache):
    add_page(project_copy, "fault.md", '# Fault\n\n```python\n--8<-- "no_such_snippet.py"\n```\n')
    assert_fails(
        build(project_copy, tmp_path / "site", **warm_cache), "fault.md", "no_such_snippet.py"
    )


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("[gone](no-such-page.md)", "no-such-page.md"),
        ("[gone](index.md#no-such-anchor)", "no-such-anchor"),
    ],
    ids=["page", "anchor"],
)
def test_broken_internal_link(project_copy, tmp_path, warm_cache, link, message):
    add_page(project_copy, "fault.md", f"# Fault\n\nSee {link}.\n")
    assert_fails(build(project_copy, tmp_path / "site", **warm_cache), "fault.md", message)


def test_bad_tex(project_copy, tmp_path, warm_cache):
    add_page(project_copy, "fault.md", "# Fault\n\nA broken formula: $\\frac{1}{$.\n")
    assert_fails(
        build(project_copy, tmp_path / "site", **warm_cache), "fault.md", "bad TeX", "\\frac{1}{"
    )


def test_failing_claim(project_copy, tmp_path, warm_cache):
    claim = project_copy / "snippets" / "claims" / "mse-gradient.py"
    claim.write_text(claim.read_text().replace("** 2 / 2, x - y", "** 2 / 2, x + y"))
    site = tmp_path / "site"
    assert_fails(
        build(project_copy, site, **warm_cache),
        "regression.md",
        "claim mse-gradient fails",
        "symbolic",
    )
    records = {r["id"]: r for r in json.loads((site / "claims.json").read_text())}
    assert records["mse-gradient"]["passed"] is False
    # The tests fail too, naming the claim and its page.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "tests/test_claims.py",
            "-k",
            "test_claim_holds and mse-gradient",
        ],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert_fails(result, "claim mse-gradient (made on regression.md) fails")


def test_notebook_cell_that_raises(project_copy, tmp_path, warm_cache):
    notebook = project_copy / "docs" / "notebooks" / "identities.ipynb"
    content = json.loads(notebook.read_text())
    content["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": "raise ValueError('cell is broken')",
        }
    )
    notebook.write_text(json.dumps(content))
    assert_fails(
        build(project_copy, tmp_path / "site", **warm_cache),
        "notebooks/identities.ipynb",
        "ValueError",
        "cell is broken",
    )


@pytest.mark.parametrize("target", ["docs/index.md", "snippets/losses.py"])
def test_stale_doctest_output(project_copy, target):
    path = project_copy / target
    text = path.read_text()
    # Change the first expected output line of the first example.
    lines = text.splitlines(keepends=True)
    first_prompt = next(i for i, line in enumerate(lines) if line.lstrip().startswith(">>>"))
    output_line = next(
        i
        for i in range(first_prompt, len(lines))
        if lines[i].strip() and not lines[i].lstrip().startswith((">>>", "..."))
    )
    lines[output_line] = lines[output_line].replace(lines[output_line].strip(), "'stale output'")
    path.write_text("".join(lines))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", target],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    output = assert_fails(result, target, "'stale output'")
    assert f"{Path(target).name}:" in output or f"line {output_line}" in output
