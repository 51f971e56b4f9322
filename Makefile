# ECFS Case: `make run` for a working demo, `make test` for the whole suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := .make
PORT ?= 8000
PYTEST_ARGS ?=
FRONTEND_SOURCES := $(shell find frontend -type f 2>/dev/null)

.PHONY: install run test lint assets worker beat clean loadtest

install: $(STAMP)/python $(STAMP)/assets

$(STAMP)/python: pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,test]"
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/node: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMP) && touch $@

$(STAMP)/assets: $(STAMP)/node $(FRONTEND_SOURCES)
	npm run --silent build
	@mkdir -p $(STAMP) && touch $@

assets: $(STAMP)/assets

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py seed_demo
	@echo "ECFS Case is running on http://127.0.0.1:$(PORT)/ (Ctrl+C to stop)"
	@$(PY) manage.py message_outputs
	$(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Not part of `make test`: gunicorn on 127.0.0.1 against the PostgreSQL database in DATABASE_URL (seeded with
# `manage.py seed_demo --scale county`), driven by Locust headless; stops everything it started. Settings
# (LOADTEST_USERS, LOADTEST_TIME, LOADTEST_STEPS, ...) are in loadtest/run.sh; results in docs/performance.md.
loadtest: $(STAMP)/load

$(STAMP)/load: pyproject.toml $(STAMP)/python
	$(PY) -m pip install --quiet -e ".[dev,test,load]"
	@mkdir -p $(STAMP) && touch $@

loadtest:
	VENV=$(VENV) loadtest/run.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

worker: install
	$(VENV)/bin/celery -A ecfs worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A ecfs beat --loglevel=info

clean:
	rm -rf $(STAMP) static/build staticfiles
