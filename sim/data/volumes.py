"""Interval volume histories (``timestamp, channel, volume``): read them for forecasting, write them from a
contact log, and write forecasts in the same form so a scenario can name the file (``arrivals: {file: ...}``).

Intervals a history leaves out count as 0 and are reported, since ACD exports often skip empty
intervals; whole days left out are reported separately, as they may be an export gap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.schema import CHANNELS
from sim.config.tables import TableError, numbers, read_table, timestamps, where

DAY = 86400.0


@dataclass
class History:
    """Volumes per channel on a complete grid of intervals (a Series per channel, indexed by interval start)."""

    source: str
    interval: float
    series: dict[str, pd.Series]
    notes: list[str] = field(default_factory=list)

    @property
    def days(self) -> int:
        first = next(iter(self.series.values()))
        return int(round(len(first) * self.interval / DAY))


def read_history(path: str | Path, interval: float | None = None) -> History:
    """The volume history in ``path`` (CSV or xlsx: ``timestamp``, optional ``channel``, ``volume``)."""
    path = Path(path)
    frame = read_table(path, ("timestamp", "volume"))
    stamps = timestamps(frame, "timestamp", path)
    volume = numbers(frame, "volume", path)
    channel = frame["channel"].astype(str).str.strip() if "channel" in frame.columns else \
        pd.Series("phone", index=frame.index)
    bad = ~channel.isin(CHANNELS)
    if bad.any():
        raise TableError(f"{where(path, bad.idxmax(), 'channel')}: {channel[bad.idxmax()]!r} is not a channel; "
                         f"use one of {', '.join(CHANNELS)}")
    duplicated = pd.DataFrame({"t": stamps, "c": channel}).duplicated()
    if duplicated.any():
        label = duplicated.idxmax()
        raise TableError(f"{where(path, label, 'timestamp')}: {stamps[label]} appears twice for {channel[label]}")
    interval = interval or _interval(stamps, path)
    off_grid = ((stamps - stamps.dt.normalize()) / pd.Timedelta(seconds=1)) % interval != 0
    if off_grid.any():
        label = off_grid.idxmax()
        raise TableError(f"{where(path, label, 'timestamp')}: {stamps[label]} is not the start of a "
                         f"{interval / 60:g}min interval")
    first, last = stamps.min().normalize(), stamps.max().normalize() + pd.Timedelta(days=1)
    grid = pd.date_range(first, last, freq=pd.Timedelta(seconds=interval), inclusive="left")
    history = History(str(path), interval, {})
    for name in [c for c in CHANNELS if (channel == c).any()]:
        rows = volume[channel == name].set_axis(stamps[channel == name])
        history.series[name] = rows.reindex(grid, fill_value=0.0)
        absent = len(grid) - len(rows)
        if absent:
            days = pd.Series(1, index=rows.index.normalize()).groupby(level=0).size()
            missing_days = len(pd.date_range(first, last, freq="D", inclusive="left")) - len(days)
            history.notes.append(f"{name}: {absent} interval(s) absent from the file counted as 0"
                                 + (f", of which {missing_days} whole day(s): check the export"
                                    if missing_days else ""))
    return history


def _interval(stamps: pd.Series, path: Path) -> float:
    """The interval length: the smallest positive step between timestamps (per channel rows interleave)."""
    steps = np.diff(np.unique(((stamps - stamps.min()) / pd.Timedelta(seconds=1)).to_numpy(float)))
    if not len(steps):
        raise TableError(f"{path}: one timestamp only; cannot tell the interval length (give --interval)")
    step = float(steps.min())
    if DAY % step:
        raise TableError(f"{path}: timestamps are {step / 60:g}min apart, which does not divide a day")
    return step


def volumes_from_log(log: pd.DataFrame, interval: float) -> pd.DataFrame:
    """A contact log's interval volumes as a history table: every interval of every day it covers."""
    first = log["arrival_time"].min().normalize()
    last = log["arrival_time"].max().normalize() + pd.Timedelta(days=1)
    grid = pd.date_range(first, last, freq=pd.Timedelta(seconds=interval), inclusive="left")
    parts = []
    for name in [c for c in CHANNELS if (log["channel"] == c).any()]:
        counts = log.loc[log["channel"] == name, "arrival_time"].dt.floor(pd.Timedelta(seconds=interval))
        volume = counts.value_counts().reindex(grid, fill_value=0)
        parts.append(pd.DataFrame({"timestamp": grid, "channel": name, "volume": volume.to_numpy()}))
    return pd.concat(parts, ignore_index=True)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """A table as CSV, timestamps as ``YYYY-MM-DD HH:MM:SS``, written atomically."""
    from sim.experiment.store import write_atomic

    write_atomic(Path(path), lambda tmp: frame.to_csv(tmp, index=False, date_format="%Y-%m-%d %H:%M:%S"))
