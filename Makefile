# Two commands on a fresh machine: `make run` and `make test`.
# Both install from constraints.txt, the pinned versions of every dependency (`make lock` refreshes it).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint example clean bench lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(TEST_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/planner run inputs/example.xlsx

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q

lint: $(TEST_STAMP)
	$(BIN)/ruff check .

example: $(STAMP)
	$(BIN)/python inputs/make_example.py

clean:
	rm -rf $(VENV) outputs/example

# Refresh the pins: the newest versions pyproject.toml allows, resolved in a fresh virtual environment.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e '.[test]'
	(echo "# Pinned versions that make run and make test install (pip -c). Refresh: make lock"; \
	 .venv-lock/bin/python -m pip freeze --exclude-editable | grep -v '^planner') > constraints.txt
	rm -rf .venv-lock

bench: $(TEST_STAMP)
	$(BIN)/python -m benchmarks.run --out benchmarks/last-run.md
