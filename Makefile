# `make run` and `make test` are all a fresh clone needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: run run-shared test test-fast index install bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $@

install: $(VENV)/.installed

# Serves at once; builds the index in the background when it is missing or stale.
run: install
	$(PY) app.py --host $(HOST) --port $(PORT)

# The shared deployment on one machine: a local Postgres + pgvector (pgserver) and two app processes.
run-shared: install
	$(PY) scripts/run_shared.py --host $(HOST) --port $(PORT)

index: install
	$(VENV)/bin/advisor index

test: install
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not slow"

bench: install
	$(PY) bench/bench_indexing.py
	$(PY) bench/bench_query.py

clean:
	rm -rf index/ tests/artifacts/ .pytest_cache
