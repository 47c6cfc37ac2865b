"""Every kind of fault fails the build (or the tests) with a message naming where it is.

Each test breaks a copy of the project in one way and checks the exit code and the message.
A fault that needs no page of the site is added to a one-page copy (tiny_project), whose build
runs only the fault.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, add_page, assert_fails, build

pytestmark = pytest.mark.slow


def test_snippet_that_raises(tiny_project, tmp_path):
    (tiny_project / "snippets" / "broken_example.py").write_text(
        'raise RuntimeError("the example is broken")\n'
    )
    add_page(
        tiny_project,
        "fault.md",
        '# Fault\n\n```python exec="on" id="broken-example"\n--8<-- "broken_example.py"\n```\n',
    )
    assert_fails(
        build(tiny_project, tmp_path / "site"),
        "fault.md",
        "'broken-example'",
        "RuntimeError: the example is broken",
    )


def test_block_that_runs_forever(tiny_project, tmp_path):
    config = tiny_project / "mkdocs.yml"
    config.write_text(config.read_text().replace("exec_timeout: 60", "exec_timeout: 0.5"))
    add_page(
        tiny_project,
        "fault.md",
        '# Fault\n\n```python exec="on" id="endless"\nwhile True:\n    pass\n```\n',
    )
    assert_fails(
        build(tiny_project, tmp_path / "site", timeout=120),
        "fault.md",
        "'endless'",
        "ran longer than its time limit of 0.5 s",
    )


def test_missing_include(tiny_project, tmp_path):
    add_page(tiny_project, "fault.md", '# Fault\n\n```python\n--8<-- "no_such_snippet.py"\n```\n')
    assert_fails(build(tiny_project, tmp_path / "site"), "fault.md", "no_such_snippet.py")


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("[gone](no-such-page.md)", "no-such-page.md"),
        ("[gone](index.md#no-such-anchor)", "no-such-anchor"),
    ],
    ids=["page", "anchor"],
)
def test_broken_internal_link(tiny_project, tmp_path, link, message):
    add_page(tiny_project, "fault.md", f"# Fault\n\nSee {link}.\n")
    assert_fails(build(tiny_project, tmp_path / "site"), "fault.md", message)


def test_bad_tex(tiny_project, tmp_path):
    add_page(tiny_project, "fault.md", "# Fault\n\nA broken formula: $\\frac{1}{$.\n")
    assert_fails(build(tiny_project, tmp_path / "site"), "fault.md", "bad TeX", "\\frac{1}{")


def test_failing_claim(tiny_project, tmp_path):
    source = (ROOT / "snippets" / "claims" / "mse-gradient.py").read_text()
    claim = tiny_project / "snippets" / "claims" / "mse-gradient.py"
    claim.write_text(source.replace("** 2 / 2, x - y", "** 2 / 2, x + y"))
    add_page(tiny_project, "regression.md", "# Regression\n\n```claim\nmse-gradient\n```\n")
    site = tmp_path / "site"
    assert_fails(
        build(tiny_project, site),
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
            "-n",
            "0",  # one test: no workers to start
            "tests/test_claims.py",
            "-k",
            "test_claim_holds and mse-gradient",
        ],
        cwd=tiny_project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert_fails(result, "claim mse-gradient (made on regression.md) fails")


def test_notebook_cell_that_raises(tiny_project, tmp_path):
    notebook = ROOT / "docs" / "notebooks" / "identities.ipynb"
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
    add_page(tiny_project, "notebooks/identities.ipynb", json.dumps(content))
    assert_fails(
        build(tiny_project, tmp_path / "site"),
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
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-n", "0", target],
        cwd=project_copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    output = assert_fails(result, target, "'stale output'")
    assert f"{Path(target).name}:" in output or f"line {output_line}" in output
