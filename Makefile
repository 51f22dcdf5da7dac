# innerpace — two commands do all the set-up on a fresh machine:
#   make run    start the web app on the demo journal
#   make test   run every test, lint included
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8765

.PHONY: run test lint format bench fuzz soak simulate clean help

help:
	@echo "make run     start innerpace on the demo journal (http://127.0.0.1:$(PORT))"
	@echo "make test    install the dev extras and run the whole test suite, lint included"
	@echo "make bench   run the benchmarks against their peers"
	@echo "make soak    200 kill -9s during imports and 30 during each encryption operation"
	@echo "make fuzz    30 minutes of mutated files through every parser"
	@echo "make simulate  the insight methods on simulated journals: coverage and false claims"
	@echo "make format  format the code"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: $(VENV)/.installed-dev pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $@

run: $(VENV)/.installed
	$(BIN)/innerpace serve --demo --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run.py

# Long runs, apart from `make test`: kill -9s during imports and encryption operations;
# long fuzzing of the parsers.
soak: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/soak_import.py --kills 200
	$(BIN)/python benchmarks/soak_encryption.py --kills 30

fuzz: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/fuzz_parsers.py --minutes 30

# The insight methods against simulated journals with a known truth (a few minutes).
simulate: $(VENV)/.installed-dev
	$(BIN)/python -m innerpace.insights.simulate --reps 2000

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache src/*.egg-info
