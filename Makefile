# agentoire — two commands: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 3000
PYTHON ?= python3
export REFLEX_USE_NPM := 1
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: run test install install-test lint bench clean

run: $(VENV)/.installed
	PORT=$(PORT) $(VENV)/bin/agentoire serve --port $(PORT)

# Local PostgreSQL and Redis are used as CI uses them when they answer on their usual ports and the
# variables are unset; set a variable (even to empty, which skips those tests) to choose otherwise.
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# pytest-xdist workers: the browser tests keep one to themselves, the rest share the others (the suite
# mostly waits on servers, browsers and databases, so a third worker pays even on two cores).
TEST_WORKERS ?= 3

test: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	@if [ -z "$${AGENTOIRE_TEST_POSTGRES_URL+set}" ] && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then \
	  export AGENTOIRE_TEST_POSTGRES_URL='$(TEST_POSTGRES_URL)'; echo "make test: local PostgreSQL answers, using it"; fi; \
	if [ -z "$${AGENTOIRE_TEST_REDIS_URL+set}" ] && (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then \
	  export AGENTOIRE_TEST_REDIS_URL='$(TEST_REDIS_URL)'; echo "make test: local Redis answers, using it"; fi; \
	$(VENV)/bin/pytest -n $(TEST_WORKERS)

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# A bare Debian/Ubuntu may lack the venv module (python3-venv); as root we install it, else we say so.
$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    rm -rf $(VENV); apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null \
	    && $(PYTHON) -m venv $(VENV); \
	  else echo "make: '$(PYTHON) -m venv' failed; install python3-venv (Debian/Ubuntu) and retry" >&2; exit 1; fi; }
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PY) -m pip install -q -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-nginx.sh
	@touch $@

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: $(VENV)/.installed-test
	$(PY) bench/run_all.py

clean:
	rm -rf .web .states data/*.db*
