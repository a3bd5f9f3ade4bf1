"""Every experiment in ``experiments/`` loads, and a reduced version (one day, one replication, the first
two scenarios, or up to the baseline) runs to a complete results directory."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import sim
from sim.experiment.spec import run_specs

pytestmark = pytest.mark.integration  # real subprocesses, sweeps and reports: the integration tier

ROOT = Path(__file__).resolve().parents[2]
EXPERIMENTS = sorted((ROOT / "experiments").glob("*.yaml"))


def reduced(path: Path):
    """The experiment over one day with one replication, cut to its first two scenarios (or up to the baseline)."""
    plan = sim.load_experiment(path, overrides=["horizon=1d", "warmup=0s"], replications=1)
    keep = max(2, plan.baseline + 1)
    return dataclasses.replace(plan, scenarios=plan.scenarios[:keep],
                               runs=run_specs(keep, 1, plan.experiment.seed))


def test_there_are_shipped_experiments():
    assert len(EXPERIMENTS) >= 3


@pytest.mark.parametrize("path", EXPERIMENTS, ids=[p.stem for p in EXPERIMENTS])
def test_shipped_experiment_loads_with_distinct_scenarios_and_a_ranked_kpi(path):
    plan = sim.load_experiment(path)
    assert len(plan.scenarios) >= 2
    assert len({s.name for s in plan.scenarios}) == len(plan.scenarios)
    assert len(plan.runs) == len(plan.scenarios) * plan.experiment.replications
    assert plan.experiment.rank_by in plan.experiment.kpis


@pytest.mark.parametrize("path", EXPERIMENTS, ids=[p.stem for p in EXPERIMENTS])
def test_reduced_shipped_experiment_runs_to_complete_results(path, tmp_path):
    plan = reduced(path)
    assert all(s.scenario.horizon == 86400 for s in plan.scenarios)
    out = tmp_path / plan.name
    results = sim.sweep(plan, out, executor="serial")
    assert results.manifest["status"] == "complete"
    assert results.manifest["failures"] == []
    assert sorted(zip(results.runs["scenario"], results.runs["replication"])) == \
        [(s.index, 0) for s in plan.scenarios]
    assert list(results.summary["scenario_name"]) == [s.name for s in plan.scenarios]
    loaded = sim.load_results(out)
    assert len(loaded.runs) == len(plan.runs)
    assert set(loaded.intervals["scenario"]) == {s.index for s in plan.scenarios}
    own = results.differences[results.differences["scenario"] == plan.baseline]
    assert (own["diff_mean"] == 0).all()
    for kpi in plan.experiment.kpis:
        assert results.runs[kpi].notna().all(), kpi
    # common random numbers: scenarios whose channels are configured alike get identical arrival counts (a
    # closing rule displaces demand, and a comeback due after the run leaves no row: it differs by design)
    demand = {s.index: s.scenario.channels.model_dump_json() for s in plan.scenarios}
    offered = results.runs.assign(demand=results.runs["scenario"].map(demand))
    assert (offered.groupby(["demand", "replication"])["first_contacts"].nunique() == 1).all()
