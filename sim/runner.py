"""Run a scenario's replications and gather their KPIs as DataFrames: the library's front door."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd

import sim
from sim.config.schema import Scenario
from sim.metrics import (channel_kpis, daily_kpis, group_kpis, interval_kpis, issue_kpis, run_kpis, summarise,
                         tier_kpis, weekly_kpis)
from sim.model import simulate


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
    runs, intervals, days, weeks, tiers, channels, issues, groups, contacts, metas = ([] for _ in range(10))
    for rep in range(replications):
        output = simulate(scenario, rep, seed)
        runs.append({"replication": rep, **run_kpis(output, scenario)})
        for frame, into in ((interval_kpis(output, scenario), intervals), (daily_kpis(output, scenario), days),
                            (weekly_kpis(output, scenario), weeks),
                            (tier_kpis(output, scenario), tiers), (channel_kpis(output, scenario), channels),
                            (issue_kpis(output, scenario), issues), (group_kpis(output, scenario), groups),
                            (output.contacts, contacts)):
            if frame is not None:
                into.append(frame.assign(replication=rep))
        metas.append(output.meta)
    meta = {
        "servsim_version": sim.__version__,
        "root_seed": seed,
        "replications": replications,
        "service_level_definition": scenario.service_level.definition,
        "service_level_threshold_seconds": scenario.service_level.threshold,
        "wall_seconds": time.perf_counter() - started,
        "runs": metas,
    }
    return Results(
        scenario,
        pd.DataFrame(runs),
        _stack(intervals),
        _stack(days),
        _stack(weeks),
        _stack(tiers),
        _stack(channels),
        _stack(issues),
        _stack(groups),
        _stack(contacts) if contacts else None,
        meta,
    )


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frame = pd.concat(frames, ignore_index=True)
    return frame[["replication"] + [c for c in frame.columns if c != "replication"]]
