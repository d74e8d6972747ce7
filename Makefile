# Two commands matter: `make run` and `make test`. Both set everything up first, on a fresh clone too.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?=
HOST ?= 127.0.0.1
PORT ?= 8000
# The address people open for what `make run` serves: 127.0.0.1 when it listens on every interface (0.0.0.0).
SERVED_HOST = $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST))
SERVED_URL = http://$(SERVED_HOST):$(PORT)

LOAD_MINUTES ?= 5
LOAD_USERS ?= 200
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rasso_load
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/8

.PHONY: run test setup venv assets migrate seed lint format bench-dashboard bench-reminders bench-review-cycle bench-api load clean

run: setup seed
	@bash scripts/run-dev.sh "$(HOST)" "$(PORT)" "$(SERVED_URL)"

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

setup: venv assets migrate

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

assets: static/dist/.built

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/dist/.built: node_modules/.installed scripts/build-assets.mjs $(wildcard static/src/*)
	npm run --silent build
	touch $@

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --site-url "$(SERVED_URL)" $(if $(DEMO_PASSWORD),--password "$(DEMO_PASSWORD)")

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench-dashboard: setup
	$(PY) tests/bench/dashboard.py

bench-review-cycle: setup
	$(PY) tests/bench/review_cycle.py

bench-reminders: setup
	$(PY) tests/bench/reminders.py

bench-api: setup
	$(PY) tests/bench/api.py

# 200 simulated leads and board members against gunicorn (4 workers), PostgreSQL and Redis on loopback.
load: venv assets
	DATABASE_URL=$(LOAD_DATABASE_URL) REDIS_URL=$(LOAD_REDIS_URL) $(PY) tests/load/run.py --minutes $(LOAD_MINUTES) --users $(LOAD_USERS)

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles var
