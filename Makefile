# Two commands do everything: `make run` and `make test`; `make lint` keeps the code in shape.
# All can be run again safely.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
export FLASK_APP := webapp:create_app
export HF_HUB_OFFLINE := 1

.PHONY: install lock browser run test lint bench evaluate loadtest vendor-htmx vendor-axe

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch first: a plain dependency resolution would pull several GB of CUDA.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test,lint,evaluation]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# What a deployment installs: every package pinned with its hashes (requirements.lock), torch
# apart (the CPU build, installed first from its own index). Refresh after changing pyproject.toml.
lock: install
	$(BIN)/python -m pip install --quiet 'pip-tools>=7.4'
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --unsafe-package torch \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

# Debian's Chromium for the browser tests (Playwright drives it; never `playwright install`).
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

# The app's own dependencies from the lock file, as the Dockerfile installs them.
RUN_STAMP := $(VENV)/.run-$(shell cat requirements.lock | sha1sum | cut -c1-12)
$(RUN_STAMP): requirements.lock $(STAMP)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	rm -f $(VENV)/.run-* && touch $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask taxonomy import
	$(BIN)/flask demo seed --if-empty
	$(BIN)/flask index rebuild
	# gunicorn, as in production: each worker loads the model, indexes and taxonomy as it starts.
	TANDEM_BIND=127.0.0.1:5000 WEB_CONCURRENCY=2 $(BIN)/gunicorn "webapp:create_app()"

test: install browser
	$(BIN)/python -m pytest

# ruff (lint and format), mypy (matching strict, webapp as pyproject.toml says), import-linter
# (matching imports neither Flask nor SQLAlchemy nor webapp), then what `duplicates` finds.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	@if command -v duplicates >/dev/null; then duplicates; \
	  else echo "duplicates: not installed on this machine, skipped"; fi

bench: install
	$(BIN)/python -m matching.bench

evaluate: install
	$(BIN)/python -m matching.evaluate ../shared/eval/onet

# A benchmark, not a test: a scratch PostgreSQL database (tandem_load on 127.0.0.1:5432, reused
# once prepared), gunicorn with 4 workers, 50 Locust users for 60 s on loopback. Locust lives in
# its own venv under instance/ so the app's dependencies stay as they are.
LOCUST_VENV := instance/loadtest/venv
# `make loadtest USERS=150 LOADTEST_ARGS="--min-rps 45 --profile"`
USERS ?= 50
LOAD_SECONDS ?= 60
LOADTEST_ARGS ?=
loadtest: install
	test -x $(LOCUST_VENV)/bin/py-spy || { $(PYTHON) -m venv $(LOCUST_VENV) && $(LOCUST_VENV)/bin/pip install --quiet 'locust>=2.30,<3' 'py-spy>=0.3.14'; }
	$(BIN)/python -m loadtest.prepare
	$(BIN)/python -m loadtest.run --users $(USERS) --seconds $(LOAD_SECONDS) $(LOADTEST_ARGS)

# Refresh the vendored htmx (pinned); the built file is committed under static/js.
HTMX_VERSION := 2.0.4
vendor-htmx:
	cd /tmp && npm pack htmx.org@$(HTMX_VERSION) && tar xzf htmx.org-$(HTMX_VERSION).tgz
	cp /tmp/package/dist/htmx.min.js static/js/htmx-$(HTMX_VERSION).min.js

# Refresh the vendored axe-core (pinned) that the browser tests run on every page.
AXE_VERSION := 4.14.1
vendor-axe:
	cd /tmp && npm pack axe-core@$(AXE_VERSION) && tar xzf axe-core-$(AXE_VERSION).tgz
	cp /tmp/package/axe.min.js static/js/axe-$(AXE_VERSION).min.js
