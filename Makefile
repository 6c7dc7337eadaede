# The two entry points of the README: `make demo` and `make test`.
# The virtual environment is created on first use from pyproject.toml.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: demo test test-scale lint bench evaluate clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) on PATH (set PYTHON=...)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/wirewatch demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "not scale"

# Several workers sharing the outlets on a PostgreSQL-catalog lake with S3 data files
# (docs/scale-out.md): minutes of worker processes, so apart from `make test`; CI runs both.
test-scale: $(STAMP)
	$(BIN)/python -m pytest -q -m scale

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

evaluate: $(STAMP)
	$(BIN)/wirewatch evaluate all

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache wirewatch-demo
