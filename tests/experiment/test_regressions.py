"""Sweeps whose KPIs are undefined somewhere, and base files with empty sections, still finish cleanly."""

from __future__ import annotations

import pytest
import math

import pandas as pd
import yaml
from helpers import phone_scenario

import sim
from sim.experiment.summary import paired_differences


def runs_table(baseline_asa: float) -> pd.DataFrame:
    rows = [{"scenario": s, "scenario_name": f"s{s}", "replication": r,
             "asa_seconds": baseline_asa if s == 0 else 10.0 + r} for s in (0, 1) for r in range(3)]
    return pd.DataFrame(rows)


def test_a_kpi_undefined_in_every_baseline_run_gives_nan_differences_not_a_crash():
    diffs = paired_differences(runs_table(math.nan), 0, ["asa_seconds"])
    assert len(diffs) == 2 and diffs["diff_mean"].isna().all()


def test_a_kpi_undefined_in_another_scenario_keeps_its_row():
    runs = runs_table(5.0)
    runs.loc[runs["scenario"] == 1, "asa_seconds"] = math.nan
    diffs = paired_differences(runs, 0, ["asa_seconds"]).set_index("scenario")
    assert set(diffs.index) == {0, 1} and math.isnan(diffs.loc[1, "diff_mean"])


@pytest.mark.integration
def test_sweep_with_no_agents_in_one_scenario_and_an_empty_output_section(tmp_path):
    base = phone_scenario(horizon="2h", output=None)
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(base))
    experiment = {"base": "base.yaml", "grid": {"agents.team.staffing": [0, 2]}, "replications": 2,
                  "kpis": ["asa_seconds", "service_level"]}
    (tmp_path / "experiment.yaml").write_text(yaml.safe_dump(experiment))
    results = sim.sweep(tmp_path / "experiment.yaml", tmp_path / "out", executor="serial")
    assert results.manifest["status"] == "complete"
    assert set(results.differences["scenario"]) == {0, 1}
