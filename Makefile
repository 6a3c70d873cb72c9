# Two commands do all set-up:  `make serve`  and  `make test`.
# Everything else here is what those two need; each step is skipped when already done.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
VENDOR := static/vendor

.PHONY: serve test test-unit test-e2e lint format bench dist setup vendor clean help

help:
	@echo "make serve   serve the page at http://127.0.0.1:$(PORT)/ (PORT=... to change)"
	@echo "make test    run every test (unit, then end-to-end in headless Chromium)"
	@echo "make lint    ruff check"
	@echo "make bench   training throughput: CPython vs the page"
	@echo "make dist    build dist/: a self-contained folder for any static host"

setup: $(VENV)/.stamp vendor

# The Python environment: nn installed editable plus the pinned test tools.
$(VENV)/.stamp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# The browser assets, from the pinned npm packages, served from our own origin.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

vendor: $(VENDOR)/.stamp

$(VENDOR)/.stamp: node_modules/.package-lock.json Makefile
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/pyscript $(VENDOR)/pyodide $(VENDOR)/chart.js $(VENDOR)/katex
	cp node_modules/@pyscript/core/dist/*.js node_modules/@pyscript/core/dist/*.css $(VENDOR)/pyscript/
	cp node_modules/pyodide/pyodide.mjs node_modules/pyodide/pyodide.asm.mjs \
	   node_modules/pyodide/pyodide.asm.wasm node_modules/pyodide/python_stdlib.zip \
	   node_modules/pyodide/pyodide-lock.json $(VENDOR)/pyodide/
	cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/chart.js/
	cp node_modules/katex/dist/katex.min.js node_modules/katex/dist/katex.min.css $(VENDOR)/katex/
	cp -r node_modules/katex/dist/fonts $(VENDOR)/katex/
	touch $@

serve: setup
	$(PY) -m tests.serve --port $(PORT)

test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest -m "not e2e" -q
	$(PY) -m pytest -m e2e -q

test-unit: $(VENV)/.stamp
	$(PY) -m pytest -m "not e2e" -q

test-e2e: setup
	$(PY) -m pytest -m e2e -q

lint: $(VENV)/.stamp
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.stamp
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

bench: setup
	$(PY) -m bench.throughput

clean:
	rm -rf $(VENV) node_modules $(VENDOR) dist .pytest_cache .ruff_cache .hypothesis
