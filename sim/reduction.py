"""One reduction of a run's output to the tables every command keeps (``servsim run``, ``sweep``, ``staff``,
``schedule --evaluate``): the run's KPIs, and per interval, day, week, tier, channel, issue type and agent group.

The metrics module gives KPIs; the charts also need a little more from each run (the email backlog apart
from the phone queue, how many answers fell in each CSAT or frustration bin), and results directories store
only tables, never the run itself. So the interval and day tables are the metrics' frames with those columns
joined on.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from sim.config.schema import DAY, Scenario
from sim.metrics import (
    channel_kpis,
    daily_kpis,
    group_kpis,
    interval_kpis,
    issue_kpis,
    kpis_from_sums,
    run_kpis,
    tier_kpis,
    weekly_kpis,
)
from sim.records import CONTACT_FIELDS, FRUSTRATION_BINS, LEVEL_FIELDS, RunOutput

CSAT_COUNTS = ("csat_1", "csat_2", "csat_3", "csat_4", "csat_top")  # served contacts answering 1, 2, 3, 4, 5
FRUSTRATION_COUNTS = tuple(f"frustration_{i}" for i in range(len(FRUSTRATION_BINS)))  # ended contacts per bin
DISTRIBUTION_COUNTS = CSAT_COUNTS + FRUSTRATION_COUNTS
# Events counted per day from the run's levels, under names that say what they count.
EVENT_COUNTS = {"quits": "agents_quit", "hires": "agents_hired", "churned": "customers_lost",
                "acquired": "customers_acquired"}
# plus mean_queue_length, from the channel's own level
CHANNEL_INTERVAL_KPIS = ("offered", "service_level", "asa_seconds", "mean_wait_seconds", "abandon_rate")


@dataclass
class RunTables:
    """What one replication leaves behind: its KPIs and its tables (None where not kept)."""

    kpis: dict
    intervals: pd.DataFrame  # one row per interval, per-channel and per-group columns (``interval_table``)
    days: pd.DataFrame | None = None  # one row per day after the warm-up, with the distribution counts
    weeks: pd.DataFrame | None = None
    tiers: pd.DataFrame | None = None
    channels: pd.DataFrame | None = None
    issues: pd.DataFrame | None = None
    groups: pd.DataFrame | None = None
    contacts: pd.DataFrame | None = None  # the contact log, only if the scenario asks for it
    trace: pd.DataFrame | None = None  # the event trace, only with ``output.trace``

    @classmethod
    def tables(cls) -> tuple[str, ...]:
        """The names of the table fields, in order."""
        return tuple(f.name for f in fields(cls) if f.name != "kpis")


def reduce_run(output: RunOutput, scenario: Scenario, lean: bool = False) -> RunTables:
    """The run's KPIs and tables. ``lean``: only the contact log and each group's busy agents per interval (no
    KPIs), for callers that compute their own from them (``servsim staff``), at a fraction of the cost."""
    if lean:
        return RunTables({}, group_busy_table(output, scenario), contacts=output.contacts)
    return RunTables(
        kpis=run_kpis(output, scenario),
        intervals=interval_table(output, scenario),
        days=day_table(output, scenario),
        weeks=weekly_kpis(output, scenario),
        tiers=tier_kpis(output, scenario),
        channels=channel_kpis(output, scenario),
        issues=issue_kpis(output, scenario),
        groups=group_kpis(output, scenario),
        contacts=output.contacts,
        trace=output.trace,
    )


def interval_table(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """``interval_kpis`` with ``<channel>_<kpi>`` for each of ``CHANNEL_INTERVAL_KPIS`` and
    ``<channel>_mean_queue_length`` (for email: the mean backlog) for every channel of the run, and
    ``<group>_agents_busy`` (time-average agents busy) for every agent group."""
    frame = interval_kpis(output, scenario)
    channels = _channel_columns(output, scenario)
    return frame.join(channels, on="interval").join(group_busy_table(output, scenario).set_index("interval"),
                                                    on="interval")


def group_busy_table(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per interval: ``<group>_agents_busy``, the time-average agents busy in every group."""
    levels = output.levels
    frame = pd.DataFrame({"interval": levels["interval"]})
    for g in scenario.agents:
        frame[f"{g}_agents_busy"] = levels[f"busy_area.{g}"] / levels["length_seconds"]
    return frame


def day_table(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """``daily_kpis`` with the day's CSAT answer counts (1-5), remembered-frustration bin counts, and the agents
    who quit or were hired and the customers lost or acquired that day."""
    frame = daily_kpis(output, scenario)
    sums = _after_warmup(output.sums, scenario)
    counts = sums.groupby(_day(sums))[list(DISTRIBUTION_COUNTS)].sum()
    levels = _after_warmup(output.levels, scenario)
    events = levels.groupby(_day(levels))[list(EVENT_COUNTS)].sum().round().astype("int64").rename(columns=EVENT_COUNTS)
    return frame.join(counts, on="day").join(events, on="day")


def _after_warmup(frame: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    return frame[frame["start_seconds"] >= scenario.warmup - 1e-9]


def _day(frame: pd.DataFrame) -> pd.Series:
    return (frame["start_seconds"] // DAY).astype(int).rename("day")


def _channel_columns(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per interval, the headline KPIs of each channel side by side."""
    sums = output.sums.groupby(["interval", "channel"], observed=False)[list(CONTACT_FIELDS)].sum()
    for name in LEVEL_FIELDS + ("length_seconds",):
        sums[name] = np.nan  # agent levels are per group, not per channel
    kpis = kpis_from_sums(sums, scenario.service_level.definition)[list(CHANNEL_INTERVAL_KPIS)].unstack("channel")
    levels = output.levels.set_index("interval")
    wide = {}
    for channel in output.sums["channel"].cat.categories:
        for kpi in CHANNEL_INTERVAL_KPIS:
            wide[f"{channel}_{kpi}"] = kpis[(kpi, channel)]
        wide[f"{channel}_mean_queue_length"] = levels[f"queue_area.{channel}"] / levels["length_seconds"]
    return pd.DataFrame(wide)
