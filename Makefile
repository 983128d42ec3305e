# Everything runs inside .venv/ in this repository.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: setup setup-dev demo test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The app alone: what `make demo` needs.
$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgres]'
	touch $@

# Everything the tests need. torch goes first, pinned, so pip takes the CPU build
# instead of pulling gigabytes of CUDA for the optional MiniLM embedder.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,transformers]'
	touch $@ $(APP_STAMP)

setup: $(APP_STAMP)

setup-dev: $(DEV_STAMP)

demo: setup
	$(BIN)/upstream demo

lint: setup-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build dist src/*.egg-info
