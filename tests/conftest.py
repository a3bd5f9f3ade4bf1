"""Shared fixtures: paths to shipped files and a tiny scenario factory."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import phone_scenario
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# Property tests draw the same examples on every run (derandomize) and have no per-example deadline: a test
# must never fail by chance, and a loaded machine must not turn a slow example into a failure.
settings.register_profile("servsim", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("servsim")


# The integration tier: tests that run the full model for days or weeks under common random numbers, real
# subprocesses, clusters, sweeps and reports. `pytest` alone leaves them out (the quick developer's run);
# `make test`, and so CI, runs them too. Whole directories here, heavy modules and functions by their marks.
INTEGRATION_DIRS = frozenset({"functional", "plausibility", "statistical"})


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if item.path.parent.name in INTEGRATION_DIRS:
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def root() -> Path:
    return ROOT


def scenario_dict(**phone) -> dict:
    """A minimal valid scenario as a dict; keyword arguments replace parts of the phone channel."""
    data = phone_scenario()
    data["channels"]["phone"].update(phone)
    return data


@pytest.fixture
def make_scenario():
    """The ``scenario_dict`` factory, for tests that build scenario files."""
    return scenario_dict


@pytest.fixture(scope="session")
def weeks_dir(tmp_path_factory) -> Path:
    """The results directory of the shipped ``loyalty_over_weeks`` experiment cut to its first two scenarios
    (training 0 and 80 h), two replications and nine days, swept serially: a customer base, money, attrition,
    every channel, and more than a week for the over-weeks charts, in a few seconds. Treat it as read-only."""
    import dataclasses

    import sim
    from sim.experiment.spec import run_specs

    plan = sim.load_experiment(ROOT / "experiments" / "loyalty_over_weeks.yaml", ["horizon=9d", "warmup=0s"], replications=2)
    plan = dataclasses.replace(plan, scenarios=plan.scenarios[:2], runs=run_specs(2, 2, plan.experiment.seed))
    out = tmp_path_factory.mktemp("weeks") / "results"
    sim.sweep(plan, out, executor="serial")
    return out


@pytest.fixture(scope="session")
def weeks_sweep(weeks_dir):
    """The tables of ``weeks_dir``."""
    import sim

    return sim.load_results(weeks_dir)
