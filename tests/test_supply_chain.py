"""What the project installs or runs from outside is pinned, or the README says why it cannot be:
uv by the sha256 of its wheels, GitHub Actions by commit; and CI still runs `make test`."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

_HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")


def test_uv_is_installed_only_with_its_pinned_hashes():
    """`make` (dry run) installs uv with --require-hashes from a file that pins its version."""
    dry_run = subprocess.run(
        ["make", "-n", "-B", "-f", str(ROOT / "Makefile"), ".tools/bin/uv"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    commands = re.sub(r"\\\n\s*", " ", dry_run).splitlines()  # continued lines joined
    installs = [line for line in commands if "pip install" in line]
    assert installs, dry_run
    for line in installs:
        assert "--require-hashes" in line, line
        assert "--only-binary=:all:" in line, line  # never built from a source archive
        (requirements,) = re.findall(r"-r\s+(\S+)", line)
    text = (ROOT / requirements).read_text()
    entries = [e for e in re.split(r"\n(?=[A-Za-z])", re.sub(r"(?m)^#.*\n", "", text)) if e]
    assert [e.split("==")[0] for e in entries] == ["uv"], entries
    for entry in entries:
        assert re.match(r"^uv==\d+\.\d+\.\d+ ", entry), entry
        assert len(_HASH.findall(entry)) >= 2, entry  # a wheel for each platform


def test_github_actions_are_pinned_by_commit():
    uses = []
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.y*ml")):
        uses += re.findall(r"^\s*(?:-\s+)?uses:\s*(.+)$", workflow.read_text(), re.MULTILINE)
    assert uses, "no workflow uses an action: nothing checked"
    for use in uses:
        # owner/repo@<commit>  # vX.Y.Z: the tag is for the reader, the commit for GitHub.
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+\.\d+\.\d+", use), use


def test_readme_says_what_cannot_be_pinned():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## What is pinned", 1)[1].split("\n## ", 1)[0]
    for named in ("uv.lock", "package-lock.json", "uv-requirements.txt", "commit", "Debian"):
        assert named in section, named


# --- .ci/run, with stand-ins for make, apt-get and the tools it looks for -----------------


def _stand_in(folder: Path, name: str, body: str, record: bool = True) -> None:
    """A program that does body, and (record) writes how it was called into $CALLS."""
    path = folder / name
    call = f'echo "{name} $*" >> "$CALLS"\n' if record else ""
    path.write_text(f"#!/bin/bash\n{call}{body}\n")
    path.chmod(0o755)


def _run_ci(tmp_path: Path, make_status: int, present: tuple[str, ...]):
    """.ci/run in a copy of the project folder with only stand-ins on the PATH: `present` names
    the tools the machine has; apt-get "installs" the others."""
    project = tmp_path / "project"
    (project / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", project / ".ci" / "run")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("dirname", "head", "tail"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    _stand_in(
        bin_dir, "make", f'echo "REQUIRE_BROWSER=$REQUIRE_BROWSER" >> "$CALLS"\nexit {make_status}'
    )
    versions = {"chromium": "Chromium 1.2.3", "node": "v20.0.0", "npm": "10.0.0"}
    versions["java"] = 'openjdk version "17.0.1"'
    installs = {"chromium": "chromium", "nodejs": "node", "default-jre-headless": "java"}
    installs["npm"] = "npm"
    for tool in present:
        _stand_in(bin_dir, tool, f"echo '{versions[tool]}'", record=False)
    # apt-get puts a stand-in for each tool whose package it is asked for.
    apt_lines = [
        f'if [[ " $* " == *" {package} "* ]]; then'
        f" printf '#!/bin/bash\\necho \"{versions[tool]}\"\\n' > {bin_dir / tool};"
        f" /bin/chmod +x {bin_dir / tool}; fi"
        for package, tool in installs.items()
    ]
    _stand_in(bin_dir, "apt-get", "\n".join(apt_lines))
    calls = tmp_path / "calls"
    calls.touch()
    result = subprocess.run(
        ["/bin/bash", str(project / ".ci" / "run")],
        capture_output=True,
        text=True,
        env={"PATH": str(bin_dir), "CALLS": str(calls), "HOME": str(tmp_path)},
        timeout=60,
    )
    return result, calls.read_text().splitlines()


@pytest.mark.parametrize("make_status", [0, 2])
def test_ci_runs_make_test_and_fails_when_it_fails(tmp_path, make_status):
    result, calls = _run_ci(tmp_path, make_status, ("chromium", "node", "npm", "java"))
    assert (result.returncode != 0) == (make_status != 0), result
    assert calls == ["make test", "REQUIRE_BROWSER=1"], calls
    assert "Tested with Chromium 1.2.3, Node.js v20.0.0, npm 10.0.0, openjdk" in result.stdout


def test_ci_installs_what_the_machine_lacks_and_says_which_versions(tmp_path):
    result, calls = _run_ci(tmp_path, 0, ())
    assert result.returncode == 0, result.stderr
    installs = [call for call in calls if call.startswith("apt-get install")]
    assert installs == [
        "apt-get install -y -qq chromium nodejs default-jre-headless",
        "apt-get install -y -qq npm",
    ], calls
    assert calls[0] == "apt-get update -qq", calls
    assert "Tested with Chromium 1.2.3, Node.js v20.0.0, npm 10.0.0, openjdk" in result.stdout
    assert calls[-2:] == ["make test", "REQUIRE_BROWSER=1"], calls
