"""The engine with exponential assumptions and no behaviour reproduces exact Erlang C and Erlang A.

Each KPI's analytic value must lie inside the 99% Student-t interval of the
replication means (replications are independent, so the interval is honest).
Short cases run by default; the long, tighter ones are marked ``slow``.
"""

from __future__ import annotations

import pytest

from sim.analytic import queue_kpis
from sim.config.loader import validate
from sim.config.schema import Scenario
from sim.metrics import summarise
from sim.runner import run
from sim.stationary import COMPARED, stationary_scenario

LEVEL = 0.99
PER_MIN = 1 / 60


def assert_agrees(exact: dict, scenario: Scenario, replications: int, kpis=COMPARED, seed: int = 11):
    """Every KPI in ``kpis``: the analytic value lies inside the simulated 99% interval."""
    summary = summarise(run(scenario, replications, seed).runs, kpis, LEVEL).set_index("kpi")
    misses = {
        kpi: (exact[kpi], row.ci_low, row.ci_high)
        for kpi, row in summary.iterrows()
        if not row.ci_low <= exact[kpi] <= row.ci_high
    }
    assert not misses, f"analytic value outside the {LEVEL:.0%} interval: {misses}"


def check(rate, aht, agents, patience, hours, replications, threshold=20.0):
    exact = queue_kpis(rate, aht, agents, patience, threshold).as_dict()
    scenario = stationary_scenario(rate, aht, agents, patience, threshold, hours * 3600, 2 * 3600)
    assert_agrees(exact, scenario, replications)


@pytest.mark.parametrize(
    ("rate", "aht", "agents", "patience"),
    [
        pytest.param(2 * PER_MIN, 240, 9, 180, id="M/M/9+M (benchmark case)"),
        pytest.param(2 * PER_MIN, 240, 10, None, id="M/M/10 Erlang C, 80% load"),
        pytest.param(3 * PER_MIN, 240, 9, 180, id="M/M/9+M overloaded 133%"),
    ],
)
def test_short_cases(rate, aht, agents, patience):
    check(rate, aht, agents, patience, hours=100, replications=10)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("rate", "aht", "agents", "patience", "threshold"),
    [
        pytest.param(0.8 * PER_MIN, 60, 1, 120, 20, id="M/M/1+M"),
        pytest.param(19 * PER_MIN, 60, 20, None, 10, id="M/M/20 Erlang C, 95% load"),
        pytest.param(45 * PER_MIN, 60, 48, 90, 15, id="M/M/48+M QED regime"),
        pytest.param(200 * PER_MIN, 60, 205, 60, 5, id="M/M/205+M large"),
        pytest.param(2 * PER_MIN, 240, 9, 30, 20, id="M/M/9+M impatient"),
        pytest.param(1 * PER_MIN, 240, 3, 600, 60, id="M/M/3+M patient, 133% load"),
    ],
)
def test_long_cases(rate, aht, agents, patience, threshold):
    exact = queue_kpis(rate, aht, agents, patience, threshold).as_dict()
    hours = min(1000, 300_000 / (rate * 3600))  # about 300k contacts per replication
    scenario = stationary_scenario(rate, aht, agents, patience, threshold, hours * 3600, 2 * 3600)
    assert_agrees(exact, scenario, replications=20)


def test_priority_tiers_leave_the_aggregate_erlang_a():
    """With equal patience, priority only reorders the queue: the number in system is still Erlang A's chain."""
    exact = queue_kpis(2 * PER_MIN, 240, 9, 180, 20).as_dict()
    base = stationary_scenario(2 * PER_MIN, 240, 9, 180, 20, 100 * 3600, 2 * 3600).model_dump(by_alias=True)
    base["customers"] = {"tiers": {"gold": {"share": 0.3, "priority": 1}, "regular": {"share": 0.7}}}
    scenario = validate(Scenario, base, "test", units_required=False)
    order_free = ("p_wait", "abandon_rate", "mean_wait_seconds", "occupancy", "mean_queue_length")
    assert_agrees(exact, scenario, replications=10, kpis=order_free)


def test_abandon_rate_equals_mean_wait_over_mean_patience():
    """P(abandon) = E[wait of all arrivals] / E[patience], exact for exponential patience (Little on the queue).

    It is the cheap validation Mandelbaum & Zeltyn recommend for real data, checked here on the engine.
    """
    scenario = stationary_scenario(2 * PER_MIN, 240, 9, 180, 20, 100 * 3600, 2 * 3600)
    runs = run(scenario, 10, seed=5).runs
    ratio = runs["abandon_rate"] / (runs["mean_wait_seconds"] / 180)
    low, high = summarise(runs.assign(ratio=ratio), ("ratio",), LEVEL).iloc[0][["ci_low", "ci_high"]]
    assert low <= 1.0 <= high


def _stationary(**changes) -> Scenario:
    base = stationary_scenario(2 * PER_MIN, 240, 9, 180, 20, 100 * 3600, 2 * 3600).model_dump(by_alias=True)
    base.update(changes)
    return validate(Scenario, base, "test", units_required=False)


def test_full_centre_with_two_agent_groups_matches_erlang_a():
    """The full centre (routing across groups, per-group levels) with behaviour off is still M/M/9+M."""
    scenario = _stationary(agents={"early": {"staffing": 4}, "late": {"staffing": 5}})
    assert_agrees(queue_kpis(2 * PER_MIN, 240, 9, 180, 20).as_dict(), scenario, replications=10)


def test_full_centre_with_every_behaviour_part_switched_off_matches_erlang_a():
    """Master switch on, every part off one by one (and no redials): the journey adds nothing to the queue."""
    parts = ("frustration", "resolution", "learning", "exhaustion", "handle_time", "pressure", "attrition", "memory")
    scenario = _stationary(behaviour={"enabled": True, **{p: {"enabled": False} for p in parts}})
    data = scenario.model_dump(by_alias=True)
    data["channels"]["phone"]["redial"] = None
    scenario = validate(Scenario, data, "test", units_required=False)
    assert_agrees(queue_kpis(2 * PER_MIN, 240, 9, 180, 20).as_dict(), scenario, replications=10)
