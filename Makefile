# The two commands: `make run` and `make test`. Everything else is what they are made of.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint venv dev translations browser clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# What serving the app needs (make run), and on top of it the test tools (make test).
$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

venv: $(VENV)/.installed

dev: $(VENV)/.installed-dev

translations: venv
	$(PY) manage.py compile_translations

# Chromium and CJK fonts for the browser tests: installed where possible, else one line says what to do.
export PYTEST_ARGS
browser:
	@sh tests/browser_prerequisites.sh

run: venv translations
	PORT=$(PORT) $(PY) -m riskops.launcher

lint: dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

test: lint translations browser
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
