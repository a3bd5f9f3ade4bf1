"""Run a scenario's replications and gather their KPIs as DataFrames: the library's front door."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

import sim
from sim.config.schema import Scenario
from sim.metrics import summarise
from sim.model import simulate
from sim.reduction import RunTables, reduce_run


@dataclass
class Results:
    """Everything a set of replications produced, as tidy tables."""

    scenario: Scenario
    runs: pd.DataFrame  # one row per replication: KPIs
    intervals: pd.DataFrame  # one row per replication x interval
    days: pd.DataFrame  # one row per replication x day
    weeks: pd.DataFrame  # one row per replication x week
    tiers: pd.DataFrame  # one row per replication x tier
    channels: pd.DataFrame  # one row per replication x channel
    issues: pd.DataFrame  # one row per replication x issue type
    groups: pd.DataFrame  # one row per replication x agent group
    contacts: pd.DataFrame | None  # one row per contact, only if scenario.output.contacts
    trace: pd.DataFrame | None = None  # one row per event, only if scenario.output.trace
    meta: dict = field(default_factory=dict)

    @property
    def summary(self) -> pd.DataFrame:
        """Per KPI: mean and 95% interval over replications."""
        return summarise(self.runs)


def run(scenario: Scenario, replications: int | None = None, seed: int | None = None) -> Results:
    """Simulate ``replications`` independent replications (default: the scenario's) from root ``seed``."""
    replications = scenario.replications if replications is None else replications
    seed = scenario.seed if seed is None else seed
    if replications < 1:
        raise ValueError("replications must be at least 1")
    started = time.perf_counter()
    reduced = []
    for rep in range(replications):
        output = simulate(scenario, rep, seed)
        reduced.append((reduce_run(output, scenario), output.meta))
    return collect(scenario, [tables for tables, _ in reduced], seed, time.perf_counter() - started,
                   [meta for _, meta in reduced])


def collect(scenario: Scenario, reduced: list[RunTables], seed: int, wall_seconds: float,
            metas: list[dict] | None = None) -> Results:
    """Stack the tables of replications 0, 1, ... into one ``Results``."""
    stacked = {name: [getattr(t, name).assign(replication=rep) for rep, t in enumerate(reduced)
                      if getattr(t, name) is not None] for name in RunTables.tables()}
    meta = {
        "servsim_version": sim.__version__,
        "root_seed": seed,
        "replications": len(reduced),
        "service_level_definition": scenario.service_level.definition,
        "service_level_threshold_seconds": scenario.service_level.threshold,
        "wall_seconds": wall_seconds,
        "runs": metas or [],
    }
    runs = pd.DataFrame([{"replication": rep, **t.kpis} for rep, t in enumerate(reduced)])
    tables = {name: _stack(frames) if frames else None for name, frames in stacked.items()}
    return Results(scenario, runs, meta=meta, **tables)


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frame = pd.concat(frames, ignore_index=True)
    return frame[["replication"] + [c for c in frame.columns if c != "replication"]]
