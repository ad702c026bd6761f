# Academia de Integridad — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app
# Where `make run` serves: `make run PORT=8080`, or BIND=0.0.0.0:5000 with BASE_URL for other machines.
# Exported so that the web server, the task worker and the set-up commands all write the same address.
PORT ?= 5000
BIND ?= 127.0.0.1:$(PORT)
export BIND

.PHONY: run serve setup test lint translations bench clean-venv

# The web server and the task worker together, as the Procfile declares them.
run: setup
	@$(BIN)/flask demo show
	@$(BIN)/honcho start

# Install, compile catalogues, migrate the database, load reference data and the courses, and
# (on a new database) the demo set.
setup: $(VENV)/.installed instance/config.py translations
	@echo "== Database, reference organisations, courses and the demo set"
	@$(BIN)/flask db upgrade
	@$(BIN)/flask organisations load-reference
	@$(BIN)/flask courses sync
	@$(BIN)/flask demo seed --if-new --quiet
	@$(BIN)/flask certificates demo

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed: install python3 and try again."; exit 1; }
	@echo "== Installing the academy and its libraries in $(VENV)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# A random SECRET_KEY for this machine only; production passes SECRET_KEY in the environment.
instance/config.py:
	@mkdir -p instance
	@$(BIN)/python -c "import secrets; print(f'SECRET_KEY = {secrets.token_hex(32)!r}')" > $@
	@chmod 600 $@

translations: $(VENV)/.installed
	@$(BIN)/pybabel --quiet compile -d translations

node_modules/.installed: package.json package-lock.json
	@command -v npm > /dev/null || bin/ensure-node
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check app tests bench

test: $(VENV)/.installed-dev translations node_modules/.installed
	@bin/ensure-browser
	@bin/ensure-pdf-tools
	$(BIN)/ruff check app tests bench
	@echo "== Test suite on SQLite"
	ACADEMY_TEST_DATABASE=sqlite $(BIN)/pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== Test suite on PostgreSQL ($$TEST_DATABASE_URL)"; \
		ACADEMY_TEST_DATABASE=postgres $(BIN)/pytest; \
	else echo "== TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

bench: $(VENV)/.installed-dev translations
	@command -v wrk > /dev/null || bin/ensure-wrk
	$(BIN)/python -m bench.run

clean-venv:
	rm -rf $(VENV)
