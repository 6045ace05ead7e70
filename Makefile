# Two commands take a fresh Linux machine to a running system (make run)
# and to a passing test suite (make test). See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_SEED ?= 1

.PHONY: run setup test test-postgres lint typecheck system venv assets migrate demo static clean

run: setup
	$(PY) manage.py serve --host=$(HOST) --port=$(PORT) --threads=8

setup: venv assets migrate static demo

system:
	bash scripts/ensure-system.sh

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is required"' || bash scripts/ensure-system.sh
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

assets: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || bash scripts/ensure-system.sh
	npm ci --no-audit --no-fund --loglevel=error

migrate: venv
	$(PY) manage.py migrate --no-input -v0

static: venv assets
	$(PY) manage.py collectstatic --no-input -v0

demo: migrate
	$(PY) manage.py demo --seed $(DEMO_SEED)

test: venv assets system static
	$(VENV)/bin/pytest -q

# The same suite on PostgreSQL >= 15 (needs a server; see README).
PG_URL ?= postgres://postgres@127.0.0.1:5432/zhengdun
test-postgres: venv assets system static
	DATABASE_URL=$(PG_URL) $(VENV)/bin/pytest -q

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/mypy

# mypy with django-stubs (pyproject.toml).
typecheck: venv
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) node_modules staticfiles
