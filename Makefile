# Peacebuild — the two jobs a newcomer needs. Both work on a fresh Debian machine with
# Python 3.11: they create .venv, install, and (for tests) the Debian packages needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast setup runtime-deps system-deps messages screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP) messages

# Compile the translation catalogues with Babel (pure Python: no gettext needed).
messages: $(STAMP)
	$(BIN)/pybabel compile -d peacebuild/locale -D django

## The main job: migrate an SQLite database, load the demo office, serve it on :8000.
demo: setup runtime-deps
	$(BIN)/peacebuild demo

# Debian packages: what the product needs (PDF and pictures: Pango, Cairo, Noto fonts) ...
runtime-deps:
	bash scripts/system-deps.sh runtime

# ... and what the tests need besides (Chromium, gettext, poppler-utils).
system-deps:
	bash scripts/system-deps.sh

## The whole test suite (SQLite unless DATABASE_URL says otherwise), browser tests included,
## after ruff, stale migrations, the import layers (contracts in pyproject.toml) and mypy;
## fails below 94 % coverage (docs/architecture.md says why). The tests run in one worker per
## core (pytest-xdist, at most 4), each with its own test database.
test: setup system-deps
	$(BIN)/ruff check peacebuild conftest.py tests bench
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy
	$(BIN)/pytest -q -n auto --maxprocesses 4 --cov=peacebuild --cov-report=term:skip-covered --cov-fail-under=94

test-fast: setup
	$(BIN)/pytest -q -n auto --maxprocesses 4 -m "not browser" -x

screenshots: setup system-deps
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info
