# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo build test test-quick test-slow bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "servsim needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Stamps: re-install when pyproject.toml, setup.py or the engine's source changes; one per set of extras. The
# install compiles the engine with mypyc (setup.py; without a C compiler it stays Python, half as fast).
ENGINE := setup.py sim/compiled.py $(shell find sim/model sim/behaviour -name '*.py')

$(VENV)/.installed: pyproject.toml $(ENGINE) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(VENV)/.installed-%: pyproject.toml $(ENGINE) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[$*]'
	@touch $@

# A headless Chromium for the browser tests of report.html (tests/functional/test_report_browser.py).
# Debian's package where apt-get can install it (Playwright's own download needs a host that this project's
# machines cannot reach), else Playwright's installer; the stamp keeps it to once. With neither, make test
# stops here, loudly.
$(VENV)/.browser: | $(VENV)/.installed-test
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	 { command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && apt-get update -q >/dev/null && \
	   DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; } || \
	 $(BIN)/python -m playwright install chromium || \
	 { echo "no headless Chromium: install Debian's chromium (sudo apt-get install chromium) or run"; \
	   echo "'$(BIN)/python -m playwright install chromium' where its download host is reachable"; exit 1; }
	@touch $@

demo: $(VENV)/.installed
	$(BIN)/servsim sweep experiments/staffing_x_training.yaml

# Static gates first (ruff and mypy on sim/), then the whole suite on every core (pytest-xdist): the quick tier
# and the integration tier (full-model runs, subprocesses, clusters, sweeps, reports; `make test-quick` or a
# bare `pytest` leaves it out). The report's browser tests need Chromium (the .browser stamp installs it once).
test: $(VENV)/.installed-test $(VENV)/.browser
	$(BIN)/ruff check sim
	$(BIN)/mypy
	$(BIN)/python -m pytest -n auto -m "not slow"

test-quick: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n auto

test-slow: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m slow

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/bench_erlang_a.py
	$(BIN)/python benchmarks/bench_journey.py
	$(BIN)/python benchmarks/bench_sweep.py
	$(BIN)/python benchmarks/bench_schedule.py

# Compile the engine again after editing it (make test and make demo do this themselves).
build: $(VENV)/.installed

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis sim/_compiled.json
	find sim -name '*.so' -delete
