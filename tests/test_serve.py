"""`mkdocs serve` shows what a clean build would: edits to snippets and pages take effect,
and nothing survives from the previous build (imported snippet modules, session globals)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import add_page

pytestmark = pytest.mark.slow

PROBE_PAGE = """# Probe

```python exec="on" id="imported"
from serve_probe import VALUE
print(f"imported: {VALUE}")
```

```python exec="on" session="probe" id="define"
counter = 1
```

```python exec="on" session="probe" id="use"
print(f"session: {counter}")
```
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_for(url: str, condition, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = fetch(url)
        if text and condition(text):
            return text
        time.sleep(0.5)
    raise AssertionError(f"{url} never showed the expected content; last:\n{fetch(url)[-2000:]}")


@contextlib.contextmanager
def serving(project: Path, env: dict[str, str]):
    """`mkdocs serve` of a project on a free port: the process and the site's address."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    try:
        yield process, f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def served(tiny_project: Path, tmp_path: Path):
    """`mkdocs serve`, with an execution cache as authors run it, of a one-page copy with the
    probe page (the site's other pages would only make each rebuild longer)."""
    (tiny_project / "snippets" / "serve_probe.py").write_text('VALUE = "first"\n')
    add_page(tiny_project, "probe.md", PROBE_PAGE)
    with serving(tiny_project, {"CHECKED_SITE_CACHE": str(tmp_path / "cache")}) as (_, url):
        yield tiny_project, f"{url}probe/"


def test_serve_rebuilds_from_scratch(served):
    project, url = served
    first = wait_for(url, lambda text: "imported: first" in text)
    assert "session: 1" in first

    # An edited snippet module is imported again, not taken from the last build.
    (project / "snippets" / "serve_probe.py").write_text('VALUE = "second"\n')
    wait_for(url, lambda text: "imported: second" in text)

    # A session global that the page no longer defines is gone: the block now fails.
    page = project / "docs" / "probe.md"
    page.write_text(PROBE_PAGE.replace("counter = 1", "pass"))
    rebuilt = wait_for(url, lambda text: "session: 1" not in text)
    assert "NameError" in rebuilt
