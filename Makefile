# Two commands do all set-up:  `make serve`  and  `make test`.
# Everything else here is what those two need; each step is skipped when already done.

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
VENDOR := static/vendor
ARCHIVE := static/build/python.zip
# The end-to-end tests run in this many processes, a browser each (pytest-xdist): on a 2-core
# machine two take about two thirds of the time one does.
E2E_WORKERS ?= 2
SNAPSHOT := static/build/snapshot.bin.gz

.PHONY: serve test test-unit test-e2e lint format bench dist scorm setup vendor clean help check-lesson coverage

help:
	@echo "make serve   serve the page at http://127.0.0.1:$(PORT)/ (PORT=... to change)"
	@echo "make test    run every test (unit, then end-to-end in headless Chromium)"
	@echo "make lint    ruff check"
	@echo "make bench   training throughput: CPython vs the page"
	@echo "make coverage  line coverage of the page's Python without a browser, by the unit tests"
	@echo "make dist    build dist/: a self-contained folder for any static host"
	@echo "             (LESSONS=dir: with the lesson files dir/*.json, checked, in dist/lessons/)"
	@echo "make scorm   build dist/nn-lab-scorm.zip: the lesson as a SCORM 1.2 package for an LMS"
	@echo "             (LESSON=x.json: a teacher's lesson, checked, instead of notebook)"
	@echo "make check-lesson FILE=x.json   check a lesson file, with the page's own messages"

setup: $(VENV)/.stamp vendor $(ARCHIVE) $(ARCHIVE).gz $(SNAPSHOT)

# The page's Python as one archive with its bytecode, compiled by the vendored Pyodide (Node),
# and the copy of it the page fetches, gzipped whole (python.zip.gz).
$(ARCHIVE): $(wildcard nn/*.py static/py/*.py static/py/*/*.py nn/locales/*.json static/py/*/locales/*.json) tests/python_archive.py node_modules/.package-lock.json
	$(PYTHON) -m tests.python_archive

# Written with the archive each time; made again here only if it went missing.
$(ARCHIVE).gz: $(ARCHIVE)
	$(PYTHON) -c "from pathlib import Path; from tests.python_archive import write_gzipped; write_gzipped(Path('$(ARCHIVE)'))"

# The lab's Python started ahead of time: a memory snapshot of the vendored Pyodide that has
# imported the archive's pure modules (Node, ~10 s). It names itself in the archive's comment,
# so an archive rebuilt since is never used with it: static/js/pyodide-snapshot.mjs.
$(SNAPSHOT): $(ARCHIVE) $(VENDOR)/.stamp tests/memory_snapshot.py
	$(PYTHON) -m tests.memory_snapshot

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

$(VENDOR)/.stamp: node_modules/.package-lock.json Makefile tests/codemirror_entry.py tests/compile_hint.py
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/pyscript $(VENDOR)/pyodide $(VENDOR)/chart.js $(VENDOR)/katex
	cp node_modules/@pyscript/core/dist/*.js node_modules/@pyscript/core/dist/*.css $(VENDOR)/pyscript/
	cp node_modules/pyodide/pyodide.mjs node_modules/pyodide/pyodide.asm.mjs \
	   node_modules/pyodide/pyodide.asm.wasm node_modules/pyodide/python_stdlib.zip \
	   node_modules/pyodide/pyodide-lock.json $(VENDOR)/pyodide/
	cp node_modules/chart.js/dist/chart.umd.min.js $(VENDOR)/chart.js/
	cp node_modules/katex/dist/katex.min.js node_modules/katex/dist/katex.min.css $(VENDOR)/katex/
	cp -r node_modules/katex/dist/fonts $(VENDOR)/katex/
	$(PYTHON) tests/codemirror_entry.py $(VENDOR)
	$(PYTHON) tests/compile_hint.py $(VENDOR)/chart.js/chart.umd.min.js
	touch $@

serve: setup
	$(PY) -m tests.serve --port $(PORT) --rebuild

test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest -m "not e2e" -q
	$(PY) -m pytest -m e2e -q -n $(E2E_WORKERS)

test-unit: $(VENV)/.stamp
	$(PY) -m pytest -m "not e2e" -q

test-e2e: setup
	$(PY) -m pytest -m e2e -q -n $(E2E_WORKERS)

lint: $(VENV)/.stamp
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.stamp
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Line coverage of the page's Python without a browser under the unit tests. The tests marked
# `tracer` are left out: they stop a learner's endless loop with a time budget, a sys.settrace
# tracer that would take coverage's place.
coverage: $(VENV)/.stamp
	mkdir -p build
	$(PY) -m coverage run --data-file=build/.coverage --source=static/py \
	  -m pytest -q -m "not e2e and not tracer"
	$(PY) -m coverage report --data-file=build/.coverage --include='*/static/py/core/*'

bench: setup
	$(PY) -m bench.throughput

clean:
	rm -rf $(VENV) node_modules $(VENDOR) static/build dist .pytest_cache .ruff_cache .hypothesis

# --- dist: the page as one self-contained folder for any static host --------------------------
# dist/ holds only what the page loads, and every URL in it is relative, so the folder works
# from any sub-path (e.g. https://example.edu/courses/ml/nn/). `make dist LESSONS=dir` also
# checks each dir/*.json lesson and ships it as dist/lessons/NAME.json (?lesson=lessons/NAME.json):
# keep teachers' lessons in dir, outside dist/, which each build starts afresh. dist/sw.js, written from the
# template static/sw.js, precaches all of it: after one visit the page also works offline.
DIST := dist

dist: vendor $(ARCHIVE) $(ARCHIVE).gz $(SNAPSHOT)
	rm -rf $(DIST)
	mkdir -p $(DIST)/static/build $(DIST)/static/css $(DIST)/static/py $(DIST)/static/js \
	   $(DIST)/static/vendor/pyscript $(DIST)/static/vendor/pyodide \
	   $(DIST)/static/vendor/chart.js $(DIST)/static/vendor/katex
	cp index.html pyscript.toml $(DIST)/
	cp $(ARCHIVE).gz $(SNAPSHOT) $(DIST)/static/build/
	cp static/favicon.svg $(DIST)/static/
	cp static/css/*.css $(DIST)/static/css/
	cp static/py/main.py $(DIST)/static/py/
	cp static/js/*.js static/js/*.mjs $(DIST)/static/js/
	cp $(VENDOR)/pyscript/*.js $(VENDOR)/pyscript/*.css $(DIST)/static/vendor/pyscript/
	cp $(VENDOR)/codemirror.js $(VENDOR)/codemirror-chunks.js $(DIST)/static/vendor/
	cp $(VENDOR)/pyodide/pyodide.mjs $(VENDOR)/pyodide/pyodide.asm.mjs \
	   $(VENDOR)/pyodide/pyodide.asm.wasm $(VENDOR)/pyodide/python_stdlib.zip \
	   $(VENDOR)/pyodide/pyodide-lock.json $(DIST)/static/vendor/pyodide/
	cp $(VENDOR)/chart.js/chart.umd.min.js $(DIST)/static/vendor/chart.js/
	cp -r $(VENDOR)/katex/katex.min.js $(VENDOR)/katex/katex.min.css $(VENDOR)/katex/fonts \
	   $(DIST)/static/vendor/katex/
	@if [ -n "$(LESSONS)" ]; then \
	  PYTHONPATH=static/py:. $(PYTHON) -m core.lesson_files $(LESSONS)/*.json || exit 1; \
	  mkdir -p $(DIST)/lessons && cp $(LESSONS)/*.json $(DIST)/lessons/; \
	fi
	$(PYTHON) -c "$$DIST_FINISH" $(DIST) static/sw.js

# --- scorm: the lesson as a SCORM 1.2 package (tests/scorm_package.py says what is in it) -------
# `make scorm` writes dist/nn-lab-scorm.zip for Moodle, Canvas, Blackboard, Brightspace, Open
# edX: the dist bundle, imsmanifest.xml and one SCO playing the built-in lesson `notebook`, or
# with LESSON=my-lesson.json that lesson (checked first: a bad file fails the build).
scorm: dist
	$(PYTHON) -m tests.scorm_package $(DIST) $(LESSON)

# A lesson file checked as the page reads it: `make check-lesson FILE=my-lesson.json` (or several
# files, space-separated). Only the standard library: no set-up needed.
check-lesson:
	@test -n "$(FILE)" || { echo "usage: make check-lesson FILE=my-lesson.json"; exit 2; }
	PYTHONPATH=static/py:. $(PYTHON) -m core.lesson_files $(FILE)

# Run by `make dist` as: python3 -c "$DIST_FINISH" dist static/sw.js
# 1. checks that index.html and pyscript.toml use only relative URLs, to files that are in dist/;
# 2. adds to dist/index.html the service worker's registration (the page's Python knows nothing
#    of it: only this build has one);
# 3. writes dist/sw.js from the template: the list of files to precache, and as the cache
#    version a hash of all of them (and of the template).
define DIST_FINISH
import hashlib, json, re, sys, tomllib
from pathlib import Path

dist, template = Path(sys.argv[1]), Path(sys.argv[2]).read_text()
index = dist / "index.html"
html = index.read_text()
config = tomllib.loads((dist / "pyscript.toml").read_text())
urls = re.findall(r'(?:src|href)="([^"#][^"]*)"', html)
urls += [config["interpreter"], *config.get("files", {})]
for url in urls:
    if url.startswith("/") or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        sys.exit(f"make dist: {url!r} is not a relative URL: the folder must work at any path")
    if not (dist / url.split("?")[0]).is_file():
        sys.exit(f"make dist: {url!r} is used by the page but is not in {dist}/")

# Registered once the page is ready: its files are then in the HTTP cache, so precaching them
# costs revalidations, not a second download of Pyodide racing the first.
register = """  <meta name="nn-service-worker" content="sw.js">
  <script type="module">
    if ("serviceWorker" in navigator) {
      const root = document.documentElement;
      const register = () => navigator.serviceWorker.register("sw.js")
        .catch((error) => console.warn("nn: no offline copy of this page:", error));
      new MutationObserver((changes, observer) => {
        if (root.dataset.ready === "true") { observer.disconnect(); register(); }
      }).observe(root, { attributes: true, attributeFilter: ["data-ready"] });
    }
  </script>
"""
if html.count("</head>") != 1:
    sys.exit("make dist: index.html must have exactly one </head>")
index.write_text(html.replace("</head>", register + "</head>"))

files = sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file())
for path in files:
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", path):
        sys.exit(f"make dist: {path!r}: file names in dist/ must need no %-encoding in a URL")
digest = hashlib.sha256(template.encode())
for path in files:
    digest.update(path.encode() + b"\0" + (dist / path).read_bytes() + b"\0")
version = digest.hexdigest()[:16]
worker = template.replace("/*__PRECACHE__*/[]", json.dumps(files, indent=2))
worker = worker.replace("__VERSION__", version)
(dist / "sw.js").write_text(worker)
size = sum((dist / path).stat().st_size for path in files)
print(f"{dist}/: {len(files)} files, {size / 1e6:.1f} MB, cache version {version}")
endef
export DIST_FINISH
