# The two set-up commands of the README: `make demo` (install + the main job) and `make test` (install + tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/actorgraph db start
	$(BIN)/actorgraph db status

test: install
	$(BIN)/pytest
	$(MAKE) lint

lint: install
	$(BIN)/ruff check actorgraph tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/store_speed.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
