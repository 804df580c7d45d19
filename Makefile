# `make run` serves the knowledge base; `make test` runs the test suite. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup test lint run ingest bench clean

setup: $(STAMP)

# torch first, pinned: 2.13.0 is a local CPU build here; an unpinned torch pulls GBs of CUDA packages.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check kb cli.py tests scripts
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/pytest -q

ingest: $(STAMP)
	$(BIN)/kb ingest

clean:
	rm -rf $(VENV) index/gen-* index/CURRENT
