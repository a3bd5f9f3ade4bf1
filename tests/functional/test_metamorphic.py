"""Metamorphic tests: change one input of the M/M/n+M system and check the KPIs move the right way.

All variants run with the same root seed, so they see the same customers (common
random numbers) and the comparisons reflect the change, not sampling noise.
The base system is lambda = 2/min, aht = 4 min, patience = 3 min, 9 agents.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

import sim
from sim.config.loader import apply_overrides, validate
from sim.config.schema import Scenario
from helpers import phone_scenario

REPLICATIONS = 4
SEED = 11
BASE = phone_scenario(name="M/M/n+M metamorphic base", horizon="2d", warmup="1h")
UP, DOWN = "not smaller", "not larger"

# (what changes, override key, values in increasing order, KPI, how it must move as the value grows)
# A value of None leaves the key out of the scenario.
LADDERS = [
    ("agents", "agents.team.staffing", (8, 9, 10), "mean_wait_seconds", DOWN),
    ("agents", "agents.team.staffing", (8, 9, 10), "asa_seconds", DOWN),
    ("agents", "agents.team.staffing", (8, 9, 10), "abandon_rate", DOWN),
    ("agents", "agents.team.staffing", (8, 9, 10), "service_level", UP),
    ("mean patience", "channels.phone.patience.mean", ("90s", "3min", "6min"), "abandon_rate", DOWN),
    ("arrival rate", "channels.phone.arrivals.rate", ("1.6/min", "2/min", "2.4/min"), "occupancy", UP),
    ("after-contact work", "channels.phone.after_contact_work", (None, "{dist: fixed, value: 30s}"), "occupancy", UP),
    ("after-contact work", "channels.phone.after_contact_work", (None, "{dist: fixed, value: 30s}"), "asa_seconds", UP),
]


@lru_cache(maxsize=None)
def mean_kpis(overrides: tuple[str, ...]) -> dict[str, float]:
    """Mean of each KPI over the replications of the base scenario with ``overrides`` applied."""
    scenario = validate(Scenario, apply_overrides(BASE, overrides), "metamorphic", units_required=False)
    summary = sim.run(scenario, REPLICATIONS, SEED).summary
    return dict(zip(summary["kpi"], summary["mean"]))


def kpi_at(key: str, value: object, kpi: str) -> float:
    return mean_kpis(() if value is None else (f"{key}={value}",))[kpi]


@pytest.mark.parametrize(
    ("what", "key", "values", "kpi", "direction"),
    LADDERS,
    ids=[f"{what}-{kpi}" for what, _, _, kpi, _ in LADDERS],
)
def test_kpi_moves_the_right_way_as_one_input_grows(what, key, values, kpi, direction):
    series = [kpi_at(key, value, kpi) for value in values]
    steps = list(zip(series, series[1:]))
    if direction == UP:
        assert all(after >= before for before, after in steps), f"{kpi} fell as {what} grew: {series}"
    else:
        assert all(after <= before for before, after in steps), f"{kpi} rose as {what} grew: {series}"


def test_variants_differ_only_in_the_changed_input():
    """The comparisons are under common random numbers: more agents do not change who calls."""
    offered = {agents: kpi_at("agents.team.staffing", agents, "offered") for agents in (8, 9, 10)}
    assert len(set(offered.values())) == 1, offered
