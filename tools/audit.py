"""Lighthouse on every page of a built site, against the site's budgets (`make audit`).

Serves the built site on 127.0.0.1 with gzip, as any static host does (GitHub Pages, Netlify,
nginx), so that the load times are those readers get; the page weight is counted uncompressed
(the sum of the resources' decoded sizes). Runs Lighthouse (mobile, its default form factor)
several times per page, one run at a time (parallel runs on a small machine distort the
timings), in rounds over all pages. Each metric is the median over the runs; the table also
shows the range of the performance score, which varies by several points from run to run.
Prints a table, writes the same figures as JSON, and exits 1 when a page misses a budget.

    python tools/audit.py [--site site] [--runs 3] [--json audit.json] [PAGE ...]

PAGE is a page path as the table prints it, such as / or classification/softmax/.
A run takes 15 s to half a minute on an idle machine: the whole site, three runs a page,
took 30 minutes for 33 pages on two cores.
Lighthouse comes from node_modules (`make node_modules/.installed`); Chromium from CHROME_PATH.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from chromium import CHROMIUM_FLAGS  # tools/, the script's own folder

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = {
    "performance": "perf",
    "accessibility": "a11y",
    "best-practices": "best",
    "seo": "seo",
}
KB = 1000
# metric: (bound, is it a lower bound?); every page, notebooks too.
BUDGETS = {
    "perf": (90, True),
    "a11y": (100, True),
    "best": (100, True),
    "seo": (95, True),
    "cls": (0.02, False),
}


# What static hosts compress; images and fonts are compressed already.
COMPRESSED_TYPES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"}


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, text gzipped when the browser accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL with its slash
            path /= "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.suffix in COMPRESSED_TYPES and path.is_file()):
            return super().send_head()
        body = _gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):
        pass  # one line per request would drown the report


@functools.cache
def _gzipped(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@contextmanager
def serve(site: Path):
    """The built site on a free port of 127.0.0.1, text gzipped."""
    handler = functools.partial(_GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(site: Path) -> list[str]:
    """Every page of the built site, as a URL path relative to the root ('' is the home page)."""
    pages = []
    for index in site.rglob("index.html"):
        relative = index.parent.relative_to(site)
        if relative.parts and relative.parts[0] in {"assets", "search"}:
            continue
        pages.append("" if relative == Path() else f"{relative.as_posix()}/")
    return sorted(pages)


def is_notebook(site: Path, page: str) -> bool:
    """A page made from a notebook: mkdocs-jupyter publishes the .ipynb beside it."""
    return any((site / page).glob("*.ipynb"))


def lighthouse_run(url: str, chrome_path: str) -> dict:
    """One Lighthouse run in a fresh browser profile: the figures the table shows."""
    with tempfile.TemporaryDirectory(prefix="audit-chrome-") as profile:
        flags = " ".join(["--headless", *CHROMIUM_FLAGS, f"--user-data-dir={profile}"])
        result = subprocess.run(
            [
                str(LIGHTHOUSE),
                url,
                "--output=json",
                "--quiet",
                f"--only-categories={','.join(CATEGORIES)}",
                f"--chrome-flags={flags}",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "CHROME_PATH": chrome_path},
            timeout=300,
        )
    if result.returncode != 0:
        raise RuntimeError(f"lighthouse exited {result.returncode}: {result.stderr.strip()}")
    report = json.loads(result.stdout)
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {report['runtimeError']['message']}")
    audits = report["audits"]
    scores = {short: report["categories"][name]["score"] for name, short in CATEGORIES.items()}
    if None in scores.values():
        raise RuntimeError(f"lighthouse gave no score: {scores} ({report.get('runWarnings')})")
    return {
        **{short: round(score * 100) for short, score in scores.items()},
        # Decoded sizes: what the page weighs before compression.
        "bytes": sum(
            request.get("resourceSize", 0)
            for request in audits["network-requests"]["details"]["items"]
        ),
        "transferred": audits["total-byte-weight"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        # Lighthouse's CPU benchmark of this machine: low values mean a loaded machine.
        "benchmark_index": report["environment"]["benchmarkIndex"],
        "warnings": report.get("runWarnings", []),
    }


def missed_budgets(figures: dict) -> list[str]:
    missed = []
    for metric, (bound, lower) in BUDGETS.items():
        value = figures[metric]
        if (value < bound) if lower else (value > bound):
            missed.append(metric)
    return missed


def page_result(site: Path, page: str, samples: list[dict], error: str | None) -> dict:
    """A page's figures: the median of its runs, and the budgets the median misses."""
    result = {"page": f"/{page}", "notebook": is_notebook(site, page)}
    if error:
        # One broken page should not cost the report of the others.
        return {**result, "error": error, "missed": ["lighthouse error"]}
    numeric = [key for key, value in samples[0].items() if isinstance(value, int | float)]
    median = {key: statistics.median(sample[key] for sample in samples) for key in numeric}
    perf = [sample["perf"] for sample in samples]
    return {
        **result,
        "median": median,
        "perf_range": [min(perf), max(perf)],
        "missed": missed_budgets(median),
        "runs": samples,
    }


COLUMNS = [
    "page",
    "perf",
    "perf range",
    "a11y",
    "best",
    "seo",
    "KB",
    "gzip KB",
    "LCP ms",
    "TBT ms",
    "CLS",
    "budgets",
]


def table_row(result: dict) -> list[str]:
    if "error" in result:
        return [result["page"], *[""] * (len(COLUMNS) - 2), f"ERROR: {result['error']}"]
    figures, missed = result["median"], result["missed"]

    def mark(text: str, budget: str) -> str:
        return f"{text}*" if budget in missed else text

    kb = f"{figures['bytes'] / KB:.0f}"
    return [
        result["page"] + (" (notebook)" if result["notebook"] else ""),
        mark(f"{figures['perf']:g}", "perf"),
        "–".join(f"{score:g}" for score in result["perf_range"]),
        *(mark(f"{figures[short]:g}", short) for short in ("a11y", "best", "seo")),
        kb,
        f"{figures['transferred'] / KB:.0f}",
        f"{figures['lcp_ms']:.0f}",
        f"{figures['tbt_ms']:.0f}",
        mark(f"{figures['cls']:.3f}", "cls"),
        "missed: " + ", ".join(missed) if missed else "met",
    ]


def print_table(results: list[dict], runs: int) -> None:
    rows = [COLUMNS, *(table_row(result) for result in results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for number, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:-1], strict=True)]
        cells.append(row[-1])
        print("  ".join(cells))
        if number == 0:
            print("  ".join("-" * width for width in widths))
    print(
        f"\nMedians of {runs} Lighthouse runs (mobile). * marks a missed budget: performance"
        " >= 90, accessibility 100, best practices 100, SEO >= 95, layout shift <= 0.02."
        f" KB is the page's weight uncompressed (1 KB = {KB} bytes); the site was served with"
        " gzip, as static hosts serve it, and gzip KB is what went over the network."
    )
    failing = [result for result in results if result["missed"]]
    print(f"{len(results) - len(failing)} of {len(results)} pages meet every budget.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", metavar="PAGE", help="only these pages (default all)")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page")
    parser.add_argument(
        "--json", type=Path, help="where to write the figures (default: audit.json beside the site)"
    )
    args = parser.parse_args(argv)

    site = args.site.resolve()
    if not (site / "index.html").is_file():
        parser.error(f"no built site in {site}: run `make build` first")
    if not LIGHTHOUSE.is_file():
        parser.error(f"{LIGHTHOUSE} is missing: run `make node_modules/.installed`")
    chrome_path = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(chrome_path).is_file():
        parser.error(f"no Chromium at {chrome_path}: install it or set CHROME_PATH")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    json_path = args.json or site.parent / "audit.json"

    available = site_pages(site)
    wanted = {page.strip("/") + "/" if page.strip("/") else "" for page in args.pages}
    if unknown := wanted - set(available):
        listed = ", ".join(f"/{page}" for page in available)
        parser.error(f"no such page: {', '.join(sorted(unknown))} (pages: {listed})")
    pages = [page for page in available if not wanted or page in wanted]

    # Round after round over all pages, rather than all runs of a page in a row: the machine's
    # speed drifts over minutes, and consecutive runs would all catch the same slow spell.
    samples: dict[str, list[dict]] = {page: [] for page in pages}
    errors: dict[str, str] = {}
    started = time.monotonic()
    with serve(site) as base_url:
        for round_number in range(1, args.runs + 1):
            for page in pages:
                if page in errors:
                    continue
                try:
                    samples[page].append(lighthouse_run(base_url + page, chrome_path))
                except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as error:
                    errors[page] = str(error)
            print(
                f"[run {round_number}/{args.runs}] {len(pages)} pages,"
                f" {(time.monotonic() - started) / 60:.1f} min",
                file=sys.stderr,
                flush=True,
            )
    results = [page_result(site, page, samples[page], errors.get(page)) for page in pages]
    seconds = time.monotonic() - started

    print_table(results, args.runs)
    print(f"{len(pages)} pages x {args.runs} runs in {seconds / 60:.1f} min.")
    report = {
        "runs_per_page": args.runs,
        "seconds": round(seconds, 1),
        "budgets": {
            metric: {"bound": bound, "at_least": lower}
            for metric, (bound, lower) in BUDGETS.items()
        },
        "pages": results,
    }
    json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"Figures written to {json_path}.")
    return 1 if any(result["missed"] for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
