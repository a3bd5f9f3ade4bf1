"""``agents_busy``: the time-average number of busy agents per interval (and per group in sweeps' interval tables).

Two checks: an identity (busy agents = occupancy x agents on duty, both from the same time integrals), and
Little's law for the agents of M/M/9+M: in steady state the mean number busy is the carried load
lambda h (1 - P(abandon)), with P(abandon) from exact Erlang A.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import phone_scenario
from scipy import stats

import sim
from sim.analytic import queue_kpis
from sim.config.loader import validate
from sim.config.schema import Scenario


@pytest.mark.integration
def test_agents_busy_is_occupancy_times_agents_and_obeys_littles_law():
    scenario = validate(Scenario, phone_scenario(horizon="2d", warmup="2h"), "test")
    results = sim.run(scenario, replications=6, seed=3)
    t = results.intervals
    np.testing.assert_allclose(t["agents_busy"], t["occupancy"] * t["agents_mean"], rtol=1e-12)
    after = t[t["start_seconds"] >= 7200]
    per_run = after.groupby("replication")["agents_busy"].mean()  # intervals are equally long
    carried = 2 / 60 * 240 * (1 - queue_kpis(2 / 60, 240.0, 9, 180.0).abandon_rate)
    half = stats.t.ppf(0.995, len(per_run) - 1) * per_run.std(ddof=1) / np.sqrt(len(per_run))
    assert abs(per_run.mean() - carried) <= half
    assert results.runs["agents_busy"].to_numpy() == pytest.approx(per_run.to_numpy(), rel=1e-9)


def test_sweep_interval_tables_carry_each_groups_busy_agents():
    from sim.experiment.spec import RunSpec
    from sim.experiment.executors import run_one

    data = phone_scenario(horizon="4h")
    data["agents"] = {"a": {"staffing": 5}, "b": {"staffing": 4}}
    scenario = validate(Scenario, data, "test")
    outcome = run_one(scenario, RunSpec(0, 0, 1))
    table = outcome.intervals
    np.testing.assert_allclose(table["a_agents_busy"] + table["b_agents_busy"], table["agents_busy"], rtol=1e-12)
    assert (table["a_agents_busy"] <= 5 + 1e-9).all() and (table["b_agents_busy"] <= 4 + 1e-9).all()
