# Everyday commands. `make run` sets up and starts the platform with demo data; `make test` runs the suite.
# Without DATABASE_URL / REDIS_URL the embedded PostgreSQL and the filesystem broker are used.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3.11
PORT ?= 8000
PYTEST_WORKERS ?= 2
# The settings that serve (web, worker, beat) are also the ones static files are collected with: a manifest
# built by other settings fails every page in production. `make serve SETTINGS=quality_platform.settings.production`.
SETTINGS ?= $(or $(DJANGO_SETTINGS_MODULE),quality_platform.settings.dev)

.PHONY: help setup system-packages db migrate messages static reference demo run serve test test-fast lint format smoke stop-db clean

help:
	@echo "make run    安装、迁移、加载演示数据并启动（web + worker + beat）"
	@echo "make test   运行全部测试"
	@echo "make lint   ruff 检查"

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed system-packages

system-packages:
	@bash scripts/install_system_packages.sh $(SYSTEM_PACKAGE_FLAGS)

db: setup
	@$(PY) scripts/ensure_database.py

migrate: db
	$(PY) manage.py migrate --noinput

messages: setup
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.local -v 0

static: setup
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) manage.py collectstatic --noinput -v 0

reference: migrate
	$(PY) manage.py load_reference_data

demo: reference
	$(PY) manage.py load_demo
	$(PY) manage.py generate_demo_reports

run: demo messages static
	@$(PY) manage.py demo_accounts --port $(PORT)
	DJANGO_SETTINGS_MODULE=$(SETTINGS) PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

serve: migrate messages static
	DJANGO_SETTINGS_MODULE=$(SETTINGS) PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

test: SYSTEM_PACKAGE_FLAGS = --browser
test: db messages
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --create-db -q

test-fast: db
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q -m "not browser"

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# What CI checks after the tests: a fresh database gets reference and demo data, and the
# started server answers the login page.
smoke: demo messages static
	@bash scripts/smoke.sh $(PORT)

stop-db:
	@$(PY) -m quality_platform.embedded stop

clean:
	rm -rf .local/staticfiles .local/broker
