"""The ledger's output frames (sums per interval and channel, breakdown, levels) wrap its arrays instead of
copying them (issue 11: memory per simulated week), and are exactly the frames of the previous construction.

The reference is the construction used before: every field summed in one float64 table, fold by fold, then
turned into a frame with the count fields rounded to int64. It is rebuilt here from the batches of rows the
ledger folded (kept because the run keeps the contact log), so the values, dtypes and column order compared
come from an independent path over the same rows, in the same order.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import simpy

import sim
from sim.model.agents import floor_plan
from sim.model.demand import Layout
from sim.model.ledger import Ledger
from sim.model.simulate import _engine as build
from sim.records import CENTRE_LEVELS, CHANNEL_LEVELS, CONTACT_FIELDS, GROUP_LEVELS, Levels
from sim.rng import Streams

CENTRE = Path(__file__).resolve().parents[2] / "configs" / "service_centre.yaml"


@lru_cache(maxsize=1)
def finished_run() -> tuple[Ledger, Levels, sim.Scenario]:
    """Three days of the shipped centre (one of warm-up) with the contact log, run to the end."""
    scenario = sim.load_config(CENTRE, ["horizon=3d", "warmup=1d", "output.contacts=true"])
    streams, layout = Streams(7, 0), Layout(scenario)
    ledger = Ledger(scenario, layout.channels, layout.tiers, layout.issues, True)
    levels = Levels(scenario.n_intervals, layout.channels, list(scenario.agents))
    env = simpy.Environment()
    centre = build(scenario, streams, layout, env, ledger, levels, False, None)
    env.run(until=scenario.horizon)
    centre.finish(scenario.horizon)
    return ledger, levels, scenario


def previous_tables(ledger: Ledger) -> tuple[np.ndarray, np.ndarray]:
    """The float64 tables (fields x cells) the ledger used to keep, re-folded from its batches of rows."""
    n_c, n_t, n_i = len(ledger.channels), len(ledger.tiers), len(ledger.issues)
    sums = np.zeros((len(CONTACT_FIELDS), ledger.sums.size))
    breakdown = np.zeros((len(CONTACT_FIELDS), ledger.breakdown.size))
    assert ledger.kept
    for rows in ledger.kept:
        values = ledger.scoring.fields(rows)
        add(sums, rows["interval"] * n_c + rows["channel"], values)
        after = rows["interval"] >= ledger.warm
        add(breakdown, ((rows["channel"] * n_t + rows["tier"]) * n_i + rows["issue"])[after], values[:, after])
    return sums, breakdown


def add(table: np.ndarray, index: np.ndarray, values: np.ndarray) -> None:
    if len(index):
        order = np.argsort(index, kind="stable")
        index = index[order]
        starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
        table[:, index[starts]] += np.add.reduceat(values[:, order], starts, axis=1)


def previous_frame(keys: pd.DataFrame, table: np.ndarray) -> pd.DataFrame:
    fields = pd.DataFrame(table.T, columns=list(CONTACT_FIELDS))
    for name in CONTACT_FIELDS:
        if not name.endswith("_sum"):
            fields[name] = fields[name].round().astype(np.int64)
    return pd.concat([keys, fields], axis=1)


def test_sums_and_breakdown_are_the_previous_frames_exactly():
    ledger, _, scenario = finished_run()
    sums_table, breakdown_table = previous_tables(ledger)
    sums, breakdown = ledger.sums_frame(scenario.interval), ledger.breakdown_frame()
    assert sums["offered"].sum() > 1000  # a real run, with contacts in every channel
    for frame, table in ((sums, sums_table), (breakdown, breakdown_table)):
        before = previous_frame(frame.iloc[:, :3].copy(), table)
        assert list(frame.columns) == list(before.columns)
        assert list(frame.dtypes) == list(before.dtypes)
        pd.testing.assert_frame_equal(frame, before, check_exact=True)


def test_the_frames_wrap_the_arrays_rather_than_copy_them():
    ledger, levels, scenario = finished_run()
    sums = ledger.sums_frame(scenario.interval)
    for name in CONTACT_FIELDS:
        assert np.shares_memory(sums[name].to_numpy(), ledger.sums.field(name)), name
    staffing = {g: floor_plan(scenario, g) for g in levels.groups}
    frame = levels.frame(scenario.interval, scenario.horizon, staffing)
    for names, fields in ((levels.channels, CHANNEL_LEVELS), (levels.groups, GROUP_LEVELS)):
        for field in fields:
            array = np.frombuffer(getattr(levels, field)).reshape(-1, len(names))
            for i, name in enumerate(names):
                column = frame[f"{field}.{name}"].to_numpy()
                assert np.shares_memory(column, array) and np.array_equal(column, array[:, i]), (field, name)
            assert np.array_equal(frame[field].to_numpy(), array.sum(axis=1)), field
    for name in CENTRE_LEVELS:
        assert np.shares_memory(frame[name].to_numpy(), np.frombuffer(getattr(levels, name))), name
