# Set-up is part of every target: on a fresh machine `make demo` and `make test` build the
# virtual environment from nothing and install the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PYTEST_WORKERS ?= 2

.PHONY: demo test lint catalogs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/gtm-optimizer run scenarios/duitama/baseline.yaml --out out/duitama

lint: $(STAMP)
	$(BIN)/ruff check gtm_optimizer solvers tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) --durations=15

# Refresh the message catalogs after changing user-facing text, then translate the new
# entries in gtm_optimizer/locale/es/LC_MESSAGES/gtm_optimizer.po.
catalogs: $(STAMP)
	$(BIN)/pybabel extract -k _ -k ngettext:1,2 --no-location --sort-output \
		-o gtm_optimizer/locale/gtm_optimizer.pot gtm_optimizer
	$(BIN)/pybabel update -D gtm_optimizer -d gtm_optimizer/locale \
		-i gtm_optimizer/locale/gtm_optimizer.pot --no-fuzzy-matching
	$(BIN)/pybabel compile -D gtm_optimizer -d gtm_optimizer/locale

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
