# Neural Networks, Derived — every command sets up .venv itself on first use.
#   make book    build the website (every notebook executed) into _build/html
#   make test    run the whole test suite (library, notebooks, grading, site)
#   make serve   serve the built site on http://127.0.0.1:8000
#   make lab     open JupyterLab on the chapters
#   make bench   speed comparisons (not part of the tests)
#   make clean   remove build outputs (keeps .venv)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
JOBS ?= 2
# pytest runs $(JOBS) workers; one BLAS thread each keeps them from fighting over the cores.
PARALLEL_ENV := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1

.PHONY: venv book test test-lib test-notebooks test-site serve lab bench exercises clean

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -e '.[plot,exercises,test]'
	@touch $(STAMP)

venv: $(STAMP)

# Strict: a warning (-W), a broken reference (-n) or a notebook cell that
# raises fails the build; --keep-going reports every problem before failing.
# The .venv's bin/ goes first on PATH so that the notebooks run on its kernel.
# NNLIB_SITE=1 makes the kernel-free widgets (nnlib.widgets.vega) emit the site's HTML.
# tools/execute_notebooks.py first runs the changed notebooks $(JOBS) at a time into the
# build's cache (Jupyter Book alone runs them one after another).
BOOK_ENV := NNLIB_SITE=1 PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PARALLEL_ENV)
book: $(STAMP)
	$(BOOK_ENV) $(PY) tools/execute_notebooks.py --jobs $(JOBS)
	$(BOOK_ENV) $(VENV)/bin/jupyter-book build -W -n --keep-going .
	@echo "The book is in $(CURDIR)/_build/html/index.html (or run: make serve)"

# Each notebook runs once per `make test`: chapters and exercises in the book build (a cell
# that raises fails it), solutions and exercises in the grading tests of test-lib.
test: test-lib book test-site

test-lib: $(STAMP)
	$(PARALLEL_ENV) $(PY) -m pytest tests -n $(JOBS) -m "not site"

# Not part of `make test` (the book build and the grading tests run every notebook): a quick
# way for an author to run notebooks cell by cell, a failed check raising in solutions/.
test-notebooks: $(STAMP)
	$(PARALLEL_ENV) NNLIB_CHECK_STRICT=1 $(PY) -m pytest --nbval-lax --dist loadfile -n $(JOBS) -p no:cacheprovider chapters solutions exercises

# Finds a Chromium (or installs Debian's, as root) and stops with one clear line otherwise.
test-site: $(STAMP)
	chromium="$$(tools/find_chromium.sh)"; CHROMIUM="$$chromium" $(PY) -m pytest tests -m site

exercises: $(STAMP)
	$(PY) tools/make_exercises.py

serve:
	@test -f _build/html/index.html || { echo "No site in _build/html yet: run make book first" >&2; exit 1; }
	@echo "Serving the book on http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(PYTHON) -m http.server 8000 --bind 127.0.0.1 --directory _build/html

# Opens on chapters/, with the whole repository reachable (exercises/ too).
# Jupyter refuses to run as root (e.g. in a container) without --allow-root.
lab: $(STAMP)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" \
		--LabApp.default_url=/lab/tree/chapters $(if $(filter 0,$(shell id -u)),--allow-root)

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/bench_mnist.py
	$(PY) benchmarks/train_mnist.py

# _build holds the site, the screenshots and the notebooks' execution cache.
clean:
	rm -rf _build .pytest_cache
