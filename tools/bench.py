"""Measure what building the site costs: `make bench`.

Prints a table and writes the same figures as JSON (``--output``), so that a later change
can be compared with this one. Measured in one run, on this machine:

- clean strict builds (empty cache, median of ``--runs``) and bare builds (no code run);
- the execution time of every claim, block and notebook, from the first clean build;
- `mkdocs serve --dirty` (make serve) rebuild latency, from the save to the rebuilt site:
  after a prose edit, a snippet edit, and a change that no page depends on (a snippet touched
  without changing it);
- the size of the built site and of its largest page;
- the time of `make test` (skip with ``--no-test``).

Budgets are reported, not enforced: wall-clock time belongs here, not in the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from project_copy import NOT_COPIED  # tools/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
# The edits whose serve rebuild is timed: (name, file, the text after the n-th edit, the page
# that shows the edit and the text it shows then; None: no page changes, the rebuild is timed).
# Each edit is new, so that no run can take its outputs from the cache of an earlier one.
SERVE_EDITS = [
    (
        "prose edit (regression.md)",
        "docs/regression.md",
        lambda text, n: f"{text}\nEdit {n}.\n",
        ("regression/", lambda n: f"Edit {n}."),
    ),
    (
        "snippet edit (regression/alternatives.py)",
        "snippets/regression/alternatives.py",
        # The block shows what the script prints, not its code.
        lambda text, n: f'{text}\nprint("<p>Edit {n} of the script.</p>")\n',
        ("regression/", lambda n: f"Edit {n} of the script."),
    ),
    (
        "nothing a page depends on (touch losses.py)",
        "snippets/losses.py",
        lambda text, n: text,
        None,
    ),
]
BUDGET_CLEAN_SECONDS = 10.0
BUDGET_SERVE_PROSE_SECONDS = 1.0
BUDGET_MAKE_TEST_SECONDS = 240.0
BUDGET_OVERHEAD = 1.5  # clean build <= this x bare build + the checks' own compute


def environment(**overrides: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **overrides}


def timed_build(site: Path, **env: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=environment(**env),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def executions(timings: Path) -> dict:
    """Totals and top tens of execution time, from a build's timings file."""
    pages = json.loads(timings.read_text())["pages"]
    runs = [
        (f"{page}: {what}", record["seconds"])
        for page, page_runs in pages.items()
        for what, record in page_runs.items()
    ]
    claims = sorted(((n, s) for n, s in runs if ": claim " in n), key=lambda r: -r[1])
    per_page = sorted(
        (
            (page, sum(r["seconds"] for r in page_runs.values()))
            for page, page_runs in pages.items()
        ),
        key=lambda r: -r[1],
    )
    return {
        "total_seconds": sum(seconds for _, seconds in runs),
        "claims_total_seconds": sum(seconds for _, seconds in claims),
        "claims": len(claims),
        "top_claims": claims[:10],
        "top_pages": per_page[:10],
    }


def site_sizes(site: Path) -> dict:
    pages = [path for path in site.rglob("*.html")]
    largest = max(pages, key=lambda path: path.stat().st_size)
    return {
        "site_bytes": sum(path.stat().st_size for path in site.rglob("*") if path.is_file()),
        "largest_page": largest.relative_to(site).as_posix(),
        "largest_page_bytes": largest.stat().st_size,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_latencies(runs: int) -> dict[str, float]:
    """Seconds from saving a file to `mkdocs serve --dirty` serving the page that shows the
    edit (or, for an edit no page shows, to the rebuild's end), median of runs."""
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch) / "project"
        shutil.copytree(ROOT, project, ignore=NOT_COPIED)
        lines: queue.Queue[str] = queue.Queue()
        address = f"127.0.0.1:{free_port()}"
        process = subprocess.Popen(
            # --dirty: as make serve runs it.
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", address],
            cwd=project,
            env=environment(),
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        threading.Thread(
            target=lambda: [lines.put(line) for line in process.stderr], daemon=True
        ).start()

        def wait_for(text: str, timeout: float = 300) -> None:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    if text in lines.get(timeout=1):
                        return
                except queue.Empty:
                    if process.poll() is not None:
                        raise RuntimeError("mkdocs serve stopped") from None
            raise TimeoutError(f"mkdocs serve never logged {text!r}")

        def settle() -> None:
            """Wait until the server has logged nothing for a second: one save can start two
            rebuilds (the editor's write and close), and a line left over would end the next
            measurement."""
            while True:
                try:
                    lines.get(timeout=1.0)
                except queue.Empty:
                    return

        def wait_for_page(page: str, text: str, timeout: float = 300) -> None:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"http://{address}/{page}", timeout=5) as response:
                        if text in response.read().decode():
                            return
                except OSError:
                    pass
                time.sleep(0.02)
            raise TimeoutError(f"{page} never showed {text!r}")

        try:
            wait_for("Serving on")
            latencies = {}
            for name, relative, edit, shown in SERVE_EDITS:
                path = project / relative
                original = path.read_text()
                samples = []
                for run in range(runs):
                    settle()
                    path.write_text(edit(original, run))
                    start = time.perf_counter()
                    if shown is None:
                        wait_for("Reloading browsers")
                    else:
                        wait_for_page(shown[0], shown[1](run))
                    samples.append(time.perf_counter() - start)
                latencies[name] = statistics.median(samples)
            return latencies
        finally:
            process.terminate()
            process.wait(timeout=30)


def timed_make_test() -> tuple[float, int]:
    start = time.perf_counter()
    result = subprocess.run(["make", "test"], cwd=ROOT, capture_output=True, env=environment())
    return time.perf_counter() - start, result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per timed figure")
    parser.add_argument("--output", type=Path, default=ROOT / "bench.json")
    parser.add_argument("--no-test", action="store_true", help="do not time make test")
    arguments = parser.parse_args()

    figures: dict = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        timings = scratch / "timings.json"
        clean = [
            timed_build(
                scratch / "site",
                CHECKED_SITE_CACHE="",
                CHECKED_SITE_TIMINGS=str(timings) if run == 0 else "",
            )
            for run in range(arguments.runs)
        ]
        bare = [
            timed_build(scratch / "bare", CHECKED_SITE_CACHE="", CHECKED_SITE_EXECUTE="false")
            for _ in range(arguments.runs)
        ]
        figures["clean_build_seconds"] = statistics.median(clean)
        figures["bare_build_seconds"] = statistics.median(bare)
        figures["clean_over_bare"] = figures["clean_build_seconds"] / figures["bare_build_seconds"]
        figures["execution"] = executions(timings)
        figures["sizes"] = site_sizes(scratch / "site")
    figures["serve_rebuild_seconds"] = serve_latencies(arguments.runs)
    if not arguments.no_test:
        seconds, returncode = timed_make_test()
        figures["make_test"] = {"seconds": seconds, "returncode": returncode}

    compute = figures["execution"]["total_seconds"]
    prose = figures["serve_rebuild_seconds"][SERVE_EDITS[0][0]]
    figures["budgets"] = {
        f"clean build < {BUDGET_CLEAN_SECONDS:g} s": figures["clean_build_seconds"]
        < BUDGET_CLEAN_SECONDS,
        f"clean build <= {BUDGET_OVERHEAD:g} x bare + execution": figures["clean_build_seconds"]
        <= BUDGET_OVERHEAD * figures["bare_build_seconds"] + compute,
        f"serve rebuild after prose edit < {BUDGET_SERVE_PROSE_SECONDS:g} s": prose
        < BUDGET_SERVE_PROSE_SECONDS,
    }
    if "make_test" in figures:
        figures["budgets"][f"make test <= {BUDGET_MAKE_TEST_SECONDS:g} s and passes"] = (
            figures["make_test"]["seconds"] <= BUDGET_MAKE_TEST_SECONDS
            and figures["make_test"]["returncode"] == 0
        )
    arguments.output.write_text(json.dumps(figures, indent=2) + "\n")
    print_table(figures)
    print(f"\nWritten to {arguments.output}")
    return 0


def print_table(figures: dict) -> None:
    execution, sizes = figures["execution"], figures["sizes"]
    rows = [
        ("clean strict build (median)", f"{figures['clean_build_seconds']:.1f} s"),
        ("bare build, no code run (median)", f"{figures['bare_build_seconds']:.1f} s"),
        ("clean / bare", f"{figures['clean_over_bare']:.2f}"),
        ("execution, total", f"{execution['total_seconds']:.1f} s"),
        (f"claims ({execution['claims']}), total", f"{execution['claims_total_seconds']:.1f} s"),
        *(
            (f"  claim {name.split(': claim ')[1]}", f"{s:.2f} s")
            for name, s in execution["top_claims"]
        ),
        *((f"  page {page}", f"{s:.2f} s") for page, s in execution["top_pages"]),
        *(
            (f"serve rebuild: {name}", f"{seconds:.2f} s")
            for name, seconds in figures["serve_rebuild_seconds"].items()
        ),
        ("site/ size", f"{sizes['site_bytes'] / 1e6:.1f} MB"),
        (f"largest page ({sizes['largest_page']})", f"{sizes['largest_page_bytes'] / 1e3:.0f} KB"),
    ]
    if "make_test" in figures:
        test = figures["make_test"]
        outcome = "passed" if test["returncode"] == 0 else f"FAILED ({test['returncode']})"
        rows.append(("make test", f"{test['seconds']:.0f} s, {outcome}"))
    rows += [
        (f"budget: {name}", "met" if met else "MISSED") for name, met in figures["budgets"].items()
    ]
    width = max(len(name) for name, _ in rows)
    print(f"| {'figure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")


if __name__ == "__main__":
    sys.exit(main())
