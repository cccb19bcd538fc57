# Two commands a new user needs: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test lint bench clean

# uv resolves and installs the pinned stack in seconds; pip would take about a minute.
# --compile-bytecode writes every package's .pyc once, at install: where PYTHONDONTWRITEBYTECODE
# is set (as on some CI machines) Python would otherwise recompile dagster, pandas and the rest
# from source in every process, 5.7 s instead of 2.0 s to load the code location here.
# The demo (./demo) is a distribution of its own, installed beside the package here and never
# in the production image.
$(STAMP): pyproject.toml demo/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]' -e ./demo
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/mlb-assets demo run $(DEMO_ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --durations=15 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_predict.py
	$(BIN)/python benchmarks/bench_batch.py
	$(BIN)/python benchmarks/bench_backfill.py

clean:
	rm -rf $(VENV) .mlb
