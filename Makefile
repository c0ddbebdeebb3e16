# LoadForge's entry points: `make demo` and `make test` work on a fresh machine
# with Python 3.11+ and make; uv is bootstrapped with pip when it is missing.
# Both install every extra (server, ray): the tests cover all of LoadForge.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen --all-extras

.PHONY: demo test sync lint typecheck unit browser poppler postgres prometheus netns webtest benchtools bench build clean

sync:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet uv || python3 -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen --all-extras

demo: sync
	$(RUN) loadforge demo

lint: sync
	$(RUN) ruff format --check .
	$(RUN) ruff check .

typecheck: sync
	$(RUN) mypy

# Debian's chromium for the report's browser test; sudo when not root and sudo exists.
# LOADFORGE_CHROMIUM may name another Chromium-based browser to use instead.
browser:
	@test -x "$${LOADFORGE_CHROMIUM:-/usr/bin/chromium}" || command -v chromium >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi; \
		echo "Installing Debian's chromium for the browser test"; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

# Debian's poppler-utils (pdftoppm, pdftotext) for the PDF report's tests, which also
# need chromium (`browser`) to print it; sudo when not root and sudo exists.
poppler:
	@command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi; \
		echo "Installing Debian's poppler-utils for the PDF report's tests"; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils; }

# Debian's PostgreSQL server for the server's API tests (they start their own in a
# temporary directory); sudo when not root and sudo exists.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi; \
		echo "Installing Debian's postgresql for the server's tests"; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

# Debian's Prometheus server for the export tests (they start their own on a free
# loopback port, scraping or receiving a real run); sudo when not root and sudo exists.
prometheus:
	@test -x /usr/bin/prometheus || command -v prometheus >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi; \
		echo "Installing Debian's prometheus for the export tests"; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; }

# iproute2's `ip` for the Ray cluster tests (they start a three-node cluster inside a
# network namespace of their own, as root); sudo when not root and sudo exists.
netns:
	@command -v ip >/dev/null 2>&1 || test -x /usr/sbin/ip || { \
		if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi; \
		echo "Installing Debian's iproute2 for the Ray cluster tests"; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends iproute2; }

# The dashboard's front end: its Vitest tests and its type check against the generated
# wire types (the built bundle is committed; see README).
webtest:
	cd web && npm ci --no-audit --no-fund && npx vitest run && npm run typecheck

# The tests of the request path (HTTP client, metrics, engine) run a second time on the
# pure-Python path (LOADFORGE_NO_EXTENSIONS=1); the coverage of both runs counts together,
# since the first runs the compiled builds, which coverage cannot see into.
BOTH_PATHS := tests/unit/test_extensions.py tests/unit/http tests/unit/metrics tests/unit/engine \
	tests/integration/http tests/integration/engine

# The suite runs on two pytest-xdist processes, one file each at a time (`loadfile`), so that
# a module's servers and Ray cluster start once: most tests wait on subprocesses and sockets,
# and two processes cut the wall time by about two fifths on the CI machine's two cores.
PARALLEL := -n 2 --dist loadfile

test: lint typecheck browser poppler postgres prometheus netns webtest
	$(RUN) pytest $(PARALLEL) --cov=loadforge --cov-branch --cov-report=
	LOADFORGE_NO_EXTENSIONS=1 $(RUN) pytest $(PARALLEL) $(BOTH_PATHS) --cov=loadforge --cov-branch \
		--cov-append --cov-report=term --cov-fail-under=80

unit: sync
	$(RUN) pytest tests/unit -q
	LOADFORGE_NO_EXTENSIONS=1 $(RUN) pytest tests/unit/test_extensions.py tests/unit/http \
		tests/unit/metrics tests/unit/engine -q

# Debian's nginx (the target) and wrk (the yardstick) for the benchmarks, and valgrind for
# `engine_instructions.py`; sudo when not root and sudo exists.
benchtools:
	@test -x /usr/sbin/nginx && command -v wrk >/dev/null 2>&1 && command -v valgrind >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; else SUDO=; fi; \
		echo "Installing Debian's nginx, wrk and valgrind for the benchmarks"; \
		$$SUDO apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx wrk valgrind; }

bench: sync benchtools
	$(RUN) python benchmarks/loadforge_vs_wrk.py --nginx

build: sync
	$(UV) build

clean:
	rm -rf dist .coverage .coverage.* .pytest_cache .mypy_cache .ruff_cache
