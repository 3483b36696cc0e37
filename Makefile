# carekg: the two set-up commands are `make serve` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: serve test install install-dev ui-assets browser check lint typecheck imports pytest validate wheel-smoke bench-smoke clean

# Build once (parse, validate, store, dumps), then serve what was built.
serve: install ui-assets
	$(BIN)/carekg build
	$(BIN)/carekg serve --host $(HOST) --port $(PORT)

test: install-dev ui-assets browser check bench-smoke

# Debian's own python3 needs python3-venv for `-m venv`; install it when the first try fails.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV) && bash scripts/apt_install.sh python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'

ui-assets:
	bash scripts/install_ui_assets.sh

browser:
	bash scripts/install_browser.sh

check: lint typecheck imports pytest validate wheel-smoke

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck:
	$(BIN)/mypy

# The layers and their import rules: [tool.importlinter] in pyproject.toml.
imports:
	$(BIN)/lint-imports --no-cache

# One pytest worker per core, each taking whole test files (a file's servers start once; the slowest
# files, which are CPU-bound SHACL validations, run beside the files that wait on servers).
pytest:
	$(BIN)/pytest -q -n auto --dist loadfile

validate:
	$(BIN)/carekg validate

wheel-smoke:
	bash scripts/wheel_smoke_test.sh $(BIN)/python $(PYTHON)

# The peer benchmark at 10k triples, as a smoke test: every peer answers every query, serially and
# under wrk, in short runs (needs Debian's wrk). Its Virtuoso peers run where `make pytest` installed
# Virtuoso for the engine tests, else are skipped with the reason.
bench-smoke: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	command -v wrk >/dev/null || bash scripts/apt_install.sh wrk
	$(BIN)/python benchmarks/serve_peers.py --sizes 10k

clean:
	rm -rf $(VENV) build dist node_modules server/static/yasgui test-artifacts
