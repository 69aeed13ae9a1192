# PeaceLink: `make demo` runs the demo, `make test` runs every check. Both install what they need first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= $(or $(PEACELINK_PORT),8000)

.PHONY: demo test install install-dev core assets browser lint typecheck coverage pytest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3

# Exact versions of every package (transitive included) come from requirements.lock.
$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The name-matching core compiled to C with mypyc (tools/compile_core.py): rebuilt when a source changes.
# Until then the package runs the changed sources as Python (peacelink/matching/names/_core.py).
CORE := src/peacelink/matching/names
CORE_SOURCES := $(filter-out $(CORE)/__init__.py $(CORE)/_core.py,$(wildcard $(CORE)/*.py))
$(CORE)/compiled.json: $(VENV)/.installed $(CORE_SOURCES) $(CORE)/_core.py tools/compile_core.py
	$(BIN)/python tools/compile_core.py

core: $(CORE)/compiled.json

install: $(VENV)/.installed core assets

install-dev: install

# Front-end libraries from the npm registry, exactly as package-lock.json pins them.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed

# Debian's Chromium for the browser tests (Playwright's own browser download does not work here).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

demo: install
	PEACELINK_PORT=$(PORT) $(BIN)/peacelink demo

lint: install
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools

typecheck: install
	$(BIN)/mypy --strict src/peacelink

# The identifier modules (MRZ, VIN, plates, check digits) keep 100 % line and branch coverage: below it fails.
coverage: install
	$(BIN)/pytest -p no:cacheprovider --cov=peacelink.identifiers --cov-branch --cov-report=term-missing:skip-covered \
	  --cov-fail-under=100 src/peacelink/identifiers tests/unit/identifiers

# One worker per core (pytest-xdist): each test process keeps its own SQLite files and PostgreSQL schema.
pytest: install browser
	$(BIN)/pytest -p no:cacheprovider -n auto

test: lint typecheck coverage pytest

clean:
	rm -rf $(VENV) node_modules var build .pytest_cache .mypy_cache .ruff_cache
	rm -f $(CORE)/*.so $(CORE)/compiled.json
