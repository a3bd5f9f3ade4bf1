# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test test-slow bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "servsim needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Stamps: re-install when pyproject.toml changes; one per set of extras.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-%: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[$*]'
	@touch $@

demo: $(VENV)/.installed
	$(BIN)/servsim sweep experiments/staffing_x_training.yaml

# Static gates first (ruff on sim/), then the suite on every core (pytest-xdist).
test: $(VENV)/.installed-test
	$(BIN)/ruff check sim
	$(BIN)/python -m pytest -n auto

test-slow: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m slow

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_erlang_a.py
	$(BIN)/python benchmarks/bench_journey.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_schedule.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
