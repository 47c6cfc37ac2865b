"""Every built page is valid HTML to the Nu Html Checker (vnu), apart from markup we do not write.

vnu runs once over the whole built site (a JVM takes seconds to start); each page is then a
test of its own. It needs Java: without it the tests skip, unless REQUIRE_BROWSER=1 (CI),
where they fail, as the browser tests do.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from sitebuild.claims import all_claim_ids
from tests.conftest import PAGES, ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

AUTOCOMPLETE = (
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, "
    "“datetime-local”, “email”, “hidden”, “month”, “number”, “password”, “range”, “search”, "
    "“tel”, “text”, “time”, “url”, or “week”."
)

# Errors in markup that comes from the theme, not from this project: (the message, a
# piece of the markup vnu quotes with it). Each matches one known defect. The markup is quoted
# as published: minified, with attributes in order and without the quotes they do not need.
# (The theme's tabindex="" on section labels, also invalid, is one of the attributes the
# minifier drops: an empty tabindex has no effect.)
NOT_OURS = [
    # mkdocs-material, base.html: autocomplete="off" on its drawer and search checkboxes.
    (AUTOCOMPLETE, "id=__drawer type=checkbox>"),
    (AUTOCOMPLETE, "id=__search type=checkbox>"),
]


def not_ours(error: dict) -> bool:
    return any(
        error["message"] == message and markup in error["extract"] for message, markup in NOT_OURS
    )


def page_of(url: str, site: Path) -> str:
    """The page ("" for the home page, "404.html" for the error page) of a file vnu names."""
    path = Path(url.removeprefix("file:")).relative_to(site)
    if path.name != "index.html":
        return path.as_posix()
    return "" if path.parent == Path() else path.parent.as_posix() + "/"


def require_java() -> str:
    java = shutil.which("java")
    if java is not None:
        return java
    message = "java not found: the Nu Html Checker needs a Java runtime (17 or later)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def vnu_errors(built_site) -> dict[str, list[dict]]:
    """vnu's errors (warnings left out) for every HTML file of the built site, by page."""
    java = require_java()
    assert VNU.is_file(), f"{VNU} is missing: run `make node_modules/.installed`"
    options = ["--format", "json", "--stdout", "--exit-zero-always", "--errors-only"]
    result = subprocess.run(
        [java, "-jar", str(VNU), *options, "--skip-non-html", str(built_site)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    errors: dict[str, list[dict]] = {}
    for message in json.loads(result.stdout)["messages"]:
        # Anything but an error in a document (a file it could not read, say) is a failure.
        assert message["type"] == "error", message
        errors.setdefault(page_of(message["url"], built_site), []).append(message)
    return errors


# The pages of the claims' check code, made by the build from the theme's templates.
CLAIM_CODE_PAGES = [f"claims/{claim_id}.html" for claim_id in all_claim_ids(ROOT / "snippets")]


def test_every_page_with_errors_is_a_known_page(vnu_errors):
    assert set(vnu_errors) <= {*PAGES, "404.html", *CLAIM_CODE_PAGES}


@pytest.mark.parametrize(
    "path", [*PAGES, "404.html", *CLAIM_CODE_PAGES], ids=lambda p: p or "index"
)
def test_page_is_valid_html(vnu_errors, path):
    errors = [e for e in vnu_errors.get(path, []) if not not_ours(e)]
    report = [f"line {e.get('lastLine')}: {e['message']}\n    {e['extract']!r}" for e in errors]
    assert not errors, f"{len(errors)} HTML errors on {path or 'index'}:\n" + "\n".join(report)


@pytest.mark.parametrize(("required", "outcome"), [("1", "Failed"), ("", "Skipped")])
def test_missing_java_skips_unless_required(monkeypatch, required, outcome):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("REQUIRE_BROWSER", required)
    with pytest.raises(BaseException, match="java not found") as raised:
        require_java()
    assert type(raised.value).__name__ == outcome
