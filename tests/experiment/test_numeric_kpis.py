"""Every KPI of a run is a number, in the run's JSON and in the sweep summary (the ``<channel>_offered`` bug:
numpy integers went through ``json.dumps(default=str)`` as strings and the summary crashed)."""

from __future__ import annotations

import pytest
import json

import pandas as pd
import yaml
from helpers import phone_scenario

import sim
from sim.kpis import REGISTRY

PER_CHANNEL = ["phone_offered", "phone_service_level", "phone_asa_seconds", "phone_abandon_rate"]


@pytest.mark.integration
def test_a_sweep_listing_per_channel_kpis_finishes_with_numbers_everywhere(tmp_path):
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(phone_scenario(horizon="2h")))
    experiment = {"base": "base.yaml", "grid": {"agents.team.staffing": [8, 10]}, "replications": 2,
                  "kpis": ["offered", *PER_CHANNEL]}
    (tmp_path / "experiment.yaml").write_text(yaml.safe_dump(experiment))
    results = sim.sweep(tmp_path / "experiment.yaml", tmp_path / "out", executor="serial")
    assert results.manifest["status"] == "complete"
    for part in (tmp_path / "out" / "runs").glob("s*_r*.json"):
        kpis = json.loads(part.read_text())["kpis"]
        assert all(isinstance(v, (int, float)) or v is None for v in kpis.values()), part
    summary = pd.read_csv(tmp_path / "out" / "summary.csv")
    for name in PER_CHANNEL:
        assert pd.api.types.is_float_dtype(summary[f"{name}_mean"]), name
    # the phone line is the only channel, so its count is the centre's (an identity, not a seeded number)
    assert (summary["phone_offered_mean"] == summary["offered_mean"]).all()


def test_run_kpis_are_plain_floats_for_every_registered_name():
    from sim.config.schema import Scenario

    results = sim.run(Scenario.model_validate(phone_scenario(horizon="1h")), 1)
    assert set(REGISTRY) <= set(results.runs.columns)
    assert all(pd.api.types.is_float_dtype(results.runs[name]) for name in REGISTRY)
