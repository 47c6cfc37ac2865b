"""`mkdocs serve --dirty` (make serve) shows what a clean build would: edits to snippets and
pages take effect, nothing survives from the previous build (imported snippet modules, session
globals), and a save rebuilds the pages it can change, and those only (sitebuild/serve.py)."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

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
def serving(project: Path, env: dict[str, str], log: Path | None = None):
    """`mkdocs serve --dirty` (as make serve runs it) of a project on a free port: the process
    and the site's address; its log goes to the file log."""
    port = free_port()
    with open(log or os.devnull, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=output,
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


# --- Rebuilding only what a save can change ------------------------------------------------

SERVE_CLAIM = '''"""The probe value has five letters."""

from serve_probe import VALUE

from checks import close, quote

close(len(VALUE), 5, atol=0.5, what=f"letters of {VALUE}")
quote("vowels", sum(letter in "aeiou" for letter in VALUE))
'''
SITE_PAGES = {
    "index.md": "# Home\n\nThe probe value has {{serve-probe.vowels:.0f}} vowels.\n",
    "checks.md": "# Checks\n\n```claims-table\n```\n",
    "probe.md": PROBE_PAGE + "\n```claim\nserve-probe\n```\n",
    "other.md": "# Other\n\nNothing here depends on the probe.\n",
}


@pytest.fixture
def served_site(tiny_project: Path, tmp_path: Path):
    """`mkdocs serve --dirty` of a copy with four pages: probe.md runs a block and makes a claim
    that import a snippet module, the home page quotes a number from the claim, the Checks page
    lists it, and other.md depends on none of it. Yields the project, the site's address and a
    function giving the pages each rebuild since the last call converted."""
    (tiny_project / "snippets" / "serve_probe.py").write_text('VALUE = "first"\n')
    (tiny_project / "snippets" / "claims" / "serve-probe.py").write_text(SERVE_CLAIM)
    for name, text in SITE_PAGES.items():
        if (tiny_project / "docs" / name).exists():
            (tiny_project / "docs" / name).write_text(text)
        else:
            add_page(tiny_project, name, text)
    log = tmp_path / "serve.log"
    env = {"CHECKED_SITE_CACHE": str(tmp_path / "cache")}
    with serving(tiny_project, env, log) as (_, url):
        seen = 0

        def rebuilt() -> list[str]:
            """Each rebuild logged since the last call: ("all" or the pages it converted)."""
            nonlocal seen
            lines = log.read_text().splitlines()
            new, seen = lines[seen:], len(lines)
            found = []
            for line in new:
                if "Rebuilding every page" in line:
                    found.append("all")
                elif match := re.search(r"Rebuilding \d+ of \d+ pages: (.*)", line):
                    found.append(match[1])
                elif match := re.search(
                    r"Rebuilding also, for what they show of those: (.*)", line
                ):
                    found[-1] += f"; also {match[1]}"
            return found

        wait_for(url, lambda text: "1 vowels" in text)
        rebuilt()
        yield tiny_project, url, rebuilt


def test_prose_edit_rebuilds_only_its_page(served_site):
    project, url, rebuilt = served_site
    page = project / "docs" / "other.md"
    page.write_text(page.read_text() + "\nA sentence added while serving.\n")
    shown = wait_for(f"{url}other/", lambda text: "A sentence added while serving." in text)
    assert "Nothing here depends on the probe." in shown
    assert rebuilt() == ["other.md"]
    # The pages it did not rebuild are still served whole, with what they showed.
    assert "1 vowels" in fetch(url)
    assert "imported: first" in fetch(f"{url}probe/")


def test_snippet_edit_rebuilds_its_dependants_and_their_readers(served_site):
    project, url, rebuilt = served_site
    (project / "snippets" / "serve_probe.py").write_text('VALUE = "again"\n')
    wait_for(f"{url}probe/", lambda text: "imported: again" in text)
    # The home page quotes the claim's number, and the Checks pages count and list the claim:
    # all are rebuilt with the new result; other.md, which shows nothing of it, is not.
    home = wait_for(url, lambda text: "3 vowels" in text)
    assert "1 vowels" not in home
    assert rebuilt() == ["probe.md; also checks.md, checks/probe.md, index.md"]
    checks = BeautifulSoup(fetch(f"{url}checks/probe/"), "html.parser")
    rows = checks.select("a[href$='#serve-probe']")
    assert rows, "the page of the probe's checks no longer lists the claim"
    assert "All 1 claims pass." in BeautifulSoup(fetch(f"{url}checks/"), "html.parser").get_text(
        " "
    )


def test_config_edit_rebuilds_every_page(served_site):
    project, url, rebuilt = served_site
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("site_name: Prediction minus target", "site_name: Renamed site")
    )
    for page in ("", "other/", "probe/", "checks/"):
        wait_for(f"{url}{page}", lambda text: "Renamed site" in text)
    assert rebuilt() == ["all"]
    # After the full rebuild, a prose edit is again a rebuild of its page alone.
    page = project / "docs" / "other.md"
    page.write_text(page.read_text() + "\nAnother sentence.\n")
    wait_for(f"{url}other/", lambda text: "Another sentence." in text)
    assert rebuilt() == ["other.md"]
