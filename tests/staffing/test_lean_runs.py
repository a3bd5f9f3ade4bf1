"""Lean runs (per-contact records and busy agents only) give the same numbers on every executor, from the same
random numbers, as a full run does."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import phone_scenario

from sim.config.loader import validate
from sim.config.schema import Scenario
from sim.staffing.runs import Runner, with_plan


def scenario() -> Scenario:
    data = phone_scenario(horizon="6h")
    data["agents"] = {"a": {"staffing": 5}, "b": {"staffing": 4}}
    base = validate(Scenario, data, "test")
    return with_plan(base, {})  # contacts recorded


def frames(executor: str) -> list[pd.DataFrame]:
    return [o.contacts.assign(busy_a=o.intervals["a_agents_busy"].sum())
            for o in Runner(3, 7, executor=executor, jobs=2)(scenario())]


def test_processes_give_what_serial_gives():
    for left, right in zip(frames("serial"), frames("local")):
        pd.testing.assert_frame_equal(left, right)


def test_a_lean_run_is_the_full_run_without_its_kpis():
    from sim.experiment.executors import run_one
    from sim.experiment.spec import RunSpec

    full, lean = run_one(scenario(), RunSpec(0, 1, 7)), run_one(scenario(), RunSpec(0, 1, 7), lean=True)
    pd.testing.assert_frame_equal(full.contacts, lean.contacts)
    pd.testing.assert_series_equal(full.intervals["b_agents_busy"], lean.intervals["b_agents_busy"])
    assert lean.kpis == {} and lean.tables.days is None and full.tables.days is not None


@pytest.mark.slow
def test_a_dask_cluster_gives_what_serial_gives():
    pytest.importorskip("dask.distributed")
    for left, right in zip(frames("serial"), frames("dask")):
        pd.testing.assert_frame_equal(left, right)
