# The verbs of the project. `make serve` and `make test` set everything up on first use:
# a machine needs Python >= 3.11 and make; `make test` and `make audit` also need Node.js (npm),
# Java and Chromium for the browser checks. uv is used from the PATH, or installed into a
# private tools environment (.tools/) when it is missing.

PYTHON ?= python3
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
# The machine's Python is used; uv must never download one.
export UV_PYTHON_DOWNLOADS := never
# Installed modules are compiled once, at install: Python never writes bytecode where
# PYTHONDONTWRITEBYTECODE is set (as on CI), and every build, worker and test process would
# otherwise compile the whole stack again (about 3 s of CPU per process).
export UV_COMPILE_BYTECODE := 1
# Material prints a notice about MkDocs 2.0 on every build; it does not apply to this site.
export NO_MKDOCS_2_WARNING := 1
RUN := $(UV) run --frozen --no-sync

.PHONY: serve build test audit bench gallery lint format clean

serve: .venv/.synced
	$(RUN) mkdocs serve --dirty --dev-addr 127.0.0.1:8000

# Never pass -q: `mkdocs build -q --strict` exits 0 on warnings (mkdocs issue 4126).
# The execution cache is off: a published site never depends on outputs of an earlier build.
build: .venv/.synced
	rm -rf site
	CHECKED_SITE_CACHE= $(RUN) mkdocs build --strict

test: .venv/.synced node_modules/.installed
	$(RUN) pytest

# Lighthouse on every page of a fresh build, against the budgets: a report, not part of `make test`.
# Takes about half an hour (3 runs of every page); `tools/audit.py --help` runs fewer.
audit: build node_modules/.installed
	$(RUN) python tools/audit.py --site site

# Build times, execution times, serve latency, sizes and the time of `make test`, against the
# budgets; the figures also go to bench.json. A report, not part of `make test`.
bench: .venv/.synced node_modules/.installed
	$(RUN) python tools/bench.py

# Every distinct formula of a fresh build, the site's rendering beside KaTeX's own, with
# screenshots from Chromium and Firefox: a report in gallery/ for reviewing the typography.
gallery: build
	$(RUN) python tools/gallery.py --site site

lint: .venv/.synced
	$(RUN) ruff check .
	$(RUN) ruff format --check .

format: .venv/.synced
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

clean:
	rm -rf site gallery .venv .tools .pytest_cache .ruff_cache node_modules

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

# The version and the sha256 of every wheel are pinned in tools/uv-requirements.txt: pip
# refuses a download whose hash differs, and never builds uv from source.
.tools/bin/uv: tools/uv-requirements.txt
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet --require-hashes --only-binary=:all: \
		-r tools/uv-requirements.txt
	touch $@

# axe-core, the Nu HTML checker and Lighthouse, at the versions in package-lock.json.
# --ignore-scripts: vnu-jar's install script would try to download a Java runtime.
# --engine-strict: a package that does not support this Node fails the install (EBADENGINE)
# instead of warning. Lighthouse 12 runs on Node 20 (Debian's); 13 needs Node 22.19.
# package.json pins the two dependencies Lighthouse's trace engine asks for as "latest":
# npm ci would otherwise reject the lock file whenever either publishes a new version.
node_modules/.installed: package.json package-lock.json
	npm ci --engine-strict --ignore-scripts --no-audit --no-fund
	touch $@
