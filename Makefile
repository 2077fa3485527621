# The two set-up commands of the README: `make demo` (install + the main job) and `make test` (install + tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test-install system-deps demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	scripts/system-deps

# The FollowTheMoney extra builds pyicu from source: only where ICU's headers are there (system-deps adds them).
test-install: install system-deps
	@if pkg-config --exists icu-uc 2>/dev/null; then $(BIN)/python -m pip install -q -e '.[dev,ftm]'; \
	else echo "no ICU headers: skipping the ftm extra (its tests will skip)"; fi

# The main job on the embedded default: ingest the bundled examples, run curated queries, draw and export.
demo: install
	$(BIN)/actorgraph db start
	$(BIN)/actorgraph ingest examples/
	$(BIN)/actorgraph stats
	$(BIN)/actorgraph query accusations-against "Mukhtar Ablyazov"
	$(BIN)/actorgraph query funded "Harlan Voss" --param depth=3
	$(BIN)/actorgraph query bans
	mkdir -p out
	$(BIN)/actorgraph viz -o out/network.html
	$(BIN)/actorgraph export rdf --format turtle -o out/graph.ttl
	@echo "open out/network.html in a browser; out/graph.ttl is the graph as RDF (Turtle)"

test: test-install
	$(BIN)/pytest
	$(MAKE) lint

lint: install
	$(BIN)/ruff check actorgraph tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/store_speed.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
