# The README's commands. `make run` and `make test` both begin with an idempotent `make setup`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
FRAMEWORK ?= data/frameworks/islington-2021

.PHONY: help setup lock run test test-sqlite test-postgres browser lint format bench clean

help:
	@echo "make run    set up, load the Islington framework and demo people, run the server and worker"
	@echo "make test   set up and run the whole test suite on SQLite and on a throwaway PostgreSQL"
	@echo "make setup  create .venv and install Python (uv.lock) and npm dependencies (idempotent)"
	@echo "make lock   renew uv.lock after changing the dependencies in pyproject.toml"
	@echo "make bench  run the benchmarks in bench/"
	@echo "make lint   ruff, the layer contract (import-linter), mypy, djlint on the templates"
	@echo "make format ruff and djlint reformat the code and the templates"

# --- setup: each step re-runs only when what it depends on has changed -----------------------

setup: $(VENV)/.installed node_modules/.installed

# The Python dependencies come from uv.lock (the versions CI tested); `make lock` renews it after a
# change to pyproject.toml, and a test fails while the two disagree.
export UV_PYTHON_DOWNLOADS := never

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet "uv==$$(sed -n '/^name = "uv"$$/{n;s/^version = "\(.*\)"/\1/p}' uv.lock)"
	$(VENV)/bin/uv sync --frozen --inexact --extra dev --no-install-project --python $(PY) --quiet
	@touch $@

lock:
	@$(VENV)/bin/uv --version >/dev/null 2>&1 || $(PY) -m pip install --quiet uv
	$(VENV)/bin/uv lock --python $(PY)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# --- run ----------------------------------------------------------------------------------------

# The product as people see it: its own error pages, not Django's debug pages (DJANGO_DEBUG=true make run
# for those). Only for run: the tests choose their own settings.
run: export DJANGO_DEBUG ?= false
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py import_framework $(FRAMEWORK) --reason "Framework loaded by make run"
	@$(PY) manage.py create_demo_people
	@$(PY) manage.py load_demo_progress
	@echo
	@echo "The product is running at http://$(HOST):$(PORT)/  (sign in with a demo email and the password above)"
	@echo "The background worker runs alongside. Press Ctrl-C to stop both."
	@trap 'kill 0' EXIT INT TERM; \
	  $(PY) manage.py db_worker --no-startup-delay & \
	  $(PY) manage.py runserver --nostatic $(HOST):$(PORT)

# --- test ---------------------------------------------------------------------------------------

test: setup browser lint test-sqlite test-postgres

test-sqlite: setup
	@echo "== Tests on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest

test-postgres: setup
	@echo "== Tests on a throwaway PostgreSQL =="
	@.ci/with-postgres $(PY) -m pytest; status=$$?; \
	  if [ $$status -eq 3 ] && [ "$$CI" != "true" ]; then \
	    echo "WARNING: PostgreSQL tests were SKIPPED on this machine (see above); CI runs them."; \
	  else exit $$status; fi

# Browser tests drive Debian's Chromium. As root it is installed when missing; elsewhere the browser
# tests are skipped with a reason, except under CI=true, where a missing browser fails them.
browser:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Chromium for the browser tests"; \
	  (apt-get install -y -q chromium >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) || \
	  echo "WARNING: could not install Chromium"; \
	fi

# djlint's settings are in pyproject.toml. The components in templates/components/ are linted but
# not reformatted: they keep govuk-frontend's markup as its fixtures lay it out, whitespace and all.
# (On the command line --extend-exclude replaces pyproject's, so the PDF's templates are named again.)
DJLINT_FORMAT := $(VENV)/bin/djlint templates --extend-exclude \
  "templates/components,templates/reporting/stocktake/pdf.html,templates/reporting/stocktake/document.html"

lint: setup
	$(VENV)/bin/uv lock --check --python $(PY) --quiet
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(VENV)/bin/djlint templates --lint
	$(DJLINT_FORMAT) --check

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(DJLINT_FORMAT) --reformat

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache db.sqlite3 .cache
