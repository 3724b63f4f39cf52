# fourchain: one command surface for people, CI and hooks. `make help` lists the targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.setup-stamp
UV_VERSION := 0.13.9
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup demo test test-fast check lint types imports fmt bench lock clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip sync --quiet --require-hashes --compile-bytecode requirements.lock
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP) ## Create .venv with the locked dependencies (hash-checked) and fourchain
	@echo "environment ready: $(VENV)"

demo: setup ## Build the demo city (first run) and serve it at http://127.0.0.1:$(PORT)
	$(BIN)/fourchain demo --port $(PORT)

test: setup ## Run the whole test suite on every core (PostgreSQL and browser tests need their services)
	$(BIN)/python -m pytest -n auto --dist loadfile

test-fast: setup ## Unit tests only
	$(BIN)/python -m pytest tests/unit -q

check: lint types imports ## Lint, type-check and check the architecture's import rules

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

types: setup
	$(BIN)/mypy

imports: setup
	$(BIN)/lint-imports

fmt: setup ## Format the code and apply safe lint fixes
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

bench: setup ## Run the benchmarks (prints tables of figures and ratios)
	$(BIN)/python benchmarks/run_all.py

lock: ## Re-resolve requirements.lock from pyproject.toml (versions and hashes, no addresses)
	$(BIN)/uv pip compile pyproject.toml --extra dev --extra spark --generate-hashes --python-version 3.11 \
		--no-header --quiet -o requirements.lock

clean: ## Remove the environment and generated data
	rm -rf $(VENV) var test-artifacts .pytest_cache .mypy_cache .ruff_cache
