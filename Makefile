# Quick start: `make build` then `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test lint clean

# Reinstall whenever pyproject.toml changes, so a stale .venv is refreshed.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/peru-digest build

test: $(STAMP)
	$(BIN)/ruff check src tests build.py
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests build.py
	$(BIN)/ruff format --check src tests build.py
	$(BIN)/mypy

clean:
	rm -rf $(VENV) public .public-* .pytest_cache .mypy_cache .ruff_cache
