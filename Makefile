# The two commands: `make run` and `make test`. Everything else is what they are made of.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint venv translations clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

translations: venv
	$(PY) manage.py compile_translations

run: venv translations
	PORT=$(PORT) $(PY) -m riskops.launcher

lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

test: lint translations
	$(PY) -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var
