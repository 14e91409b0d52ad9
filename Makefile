# Enlace: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# pytest-xdist workers for `make test`: one per core by default (`PYTEST_WORKERS=0` runs in-process).
PYTEST_WORKERS ?= auto

.PHONY: run production test lint messages catalogs requirements clean

# The virtual environment, rebuilt when the pins change.
$(BIN)/.installed: requirements/base.txt requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

catalogs: $(BIN)/.installed
	$(BIN)/pybabel compile --domain django --directory locale --statistics

# The demo's local settings, which every `enlace` command reads (the environment still wins):
# DEBUG=1 and a secret key generated once.
var/local.env: | $(BIN)/.installed
	mkdir -p var
	printf 'DEBUG=1\nSECRET_KEY=%s\n' \
		"$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@

run: $(BIN)/.installed catalogs var/local.env
	mkdir -p var/static
	$(BIN)/enlace migrate --noinput
	$(BIN)/enlace load_demo
	@echo "Enlace: http://$(HOST):$(PORT)/  (job worker running; Ctrl-C stops both;" \
		"emails go to var/mail/)"
	$(BIN)/enlace run_huey --quiet & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/enlace runserver --noreload $(HOST):$(PORT)

# The production configuration on this machine (PostgreSQL, Redis, gunicorn, huey workers, DEBUG
# off): see README, "Running at scale". CI runs its smoke flow against it.
production: $(BIN)/.installed catalogs
	ops/production

test: $(BIN)/.installed catalogs
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .

# Developers: refresh the Spanish catalog after changing strings (needs GNU gettext).
messages: $(BIN)/.installed
	$(BIN)/enlace makemessages --locale es --no-obsolete --ignore '.venv/*' --ignore 'var/*'

requirements: $(BIN)/.installed
	cd requirements && ../$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url \
		--no-emit-find-links -o base.txt base.in && ../$(BIN)/pip-compile --quiet \
		--strip-extras --no-emit-index-url --no-emit-find-links -o dev.txt dev.in

clean:
	rm -rf $(VENV) var .pytest_cache
