"""The intraday chart: one scenario's average working day by interval, the picture a workforce planner expects.

Live channels (walk-in, phone) are drawn per channel, and the email backlog, which builds overnight and is
worked down in office hours, gets its own panel so it never reads as a phone queue. Intervals tables
written before the per-channel columns existed are drawn with all channels together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.config.traits import TRAITS
from sim.plots.style import CHANNEL_COLOURS, CHANNEL_NAMES, MUTED, PALETTE, figure, styled, time_of_day_axis

DAY = 86400.0
HOUR = 3600.0
AGENTS = PALETTE[6]  # black: apart from every channel's colour
T = TypeVar("T")


@styled
def intraday(intervals: pd.DataFrame, scenario: int, threshold_seconds: float, target: float | None = None,
             name: str | None = None, thresholds: Mapping[str, float] | None = None) -> Figure:
    """One scenario's average working day: contacts and agents, live channels' service level (vs ``target``;
    ``thresholds`` per channel, else ``threshold_seconds``) and queue, and the email backlog."""
    rows = _working_days(intervals[intervals["scenario"] == scenario])
    channels = _channels(rows)
    live: list[str | None] = [c for c in channels if not TRAITS[c].backlog] or ([] if channels else [None])
    written = [c for c in channels if TRAITS[c].backlog]  # a backlog worked in office hours, not people waiting
    day, width = _average_day(rows, channels), _interval_hours(rows)
    start, mid = day.index.to_numpy(float) / HOUR, day.index.to_numpy(float) / HOUR + width / 2
    panels = 1 + 2 * bool(live) + bool(written)
    fig, axes = figure(8.0, 1.0 + 2.4 * panels, rows=panels, sharex=True)
    _offered_and_agents(axes[0], day, channels, start, width)
    if live:
        limits = {c: _of(thresholds or {}, c, threshold_seconds) for c in live}
        _service_level(axes[1], day, mid, limits, target)
        _queues(axes[2], day, mid, live)
    if written:
        _backlog(axes[-1], day, mid, written)
    axes[-1].set_xlim(start[0], start[-1] + width)
    time_of_day_axis(axes[-1], start[-1] + width - start[0])
    for ax in axes:
        ax.grid(True, axis="both")
    axes[-1].set_xlabel("Time of day")
    runs, days = rows["replication"].nunique(), rows["day"].nunique()
    axes[0].set_title(f"Average working day: {name or f'scenario {scenario}'}\n"
                      f"(mean over {days} day{'s' * (days != 1)} × {runs} replication{'s' * (runs != 1)})")
    return fig


def _offered_and_agents(ax: Axes, day: pd.DataFrame, channels: Sequence[str | None], start: np.ndarray,
                        width: float) -> None:
    """Contacts offered as bars stacked by channel, agents scheduled as a step line on its own right-hand scale."""
    bottom = np.zeros(len(day))
    for channel in channels or [None]:  # None: all contacts
        values = day[_column(channel, "offered")].to_numpy(float)
        label = f"{CHANNEL_NAMES.get(channel, channel)} contacts" if channel else "contacts offered"
        ax.bar(start, values, width * 0.92, bottom=bottom, align="edge", label=label,
               color=_of(CHANNEL_COLOURS, channel, PALETTE[5]))
        bottom = bottom + np.nan_to_num(values)
    agents = ax.twinx()
    agents.step(np.r_[start, start[-1:] + width], np.r_[day["agents"], day["agents"][-1:]], where="post",
                color=AGENTS, linewidth=2, label="agents scheduled")
    for axis, peak in ((ax, bottom.max(initial=0)), (agents, day["agents"].max())):
        axis.set_ylim(0, 1.35 * peak if peak > 0 else 1)  # headroom above the peak for the legend
    agents.spines["right"].set_visible(True)
    agents.grid(False)
    agents.set_ylabel("Agents scheduled")
    ax.set_ylabel("Contacts offered\nper interval")
    handles, labels = (a + b for a, b in zip(ax.get_legend_handles_labels(), agents.get_legend_handles_labels()))
    ax.legend(handles, labels, loc="upper left", ncol=min(len(labels), 4))


def _service_level(ax: Axes, day: pd.DataFrame, mid: np.ndarray, limits: dict, target: float | None) -> None:
    """Service level of each live channel (or of all contacts), the target as a dashed line."""
    for channel, limit in limits.items():
        label = f"{CHANNEL_NAMES.get(channel, channel)} (within {_duration(limit)})" if channel else "service level"
        ax.plot(mid, day[_column(channel, "service_level")] * 100, marker="o", markersize=4, label=label,
                color=CHANNEL_COLOURS.get(channel, PALETTE[0]))
    if target is not None:
        ax.axhline(target * 100, color=MUTED, linestyle="--", linewidth=1, label=f"target {target:.0%}")
    if target is not None or len(limits) > 1 or None not in limits:
        ax.legend(loc="lower right")
    ax.set_ylim(0, 105)
    same = len(set(limits.values())) == 1
    ax.set_ylabel("Service level (%)\n" + (f"within {_duration(next(iter(limits.values())))}" if same
                                           else "within each channel's threshold"))


def _queues(ax: Axes, day: pd.DataFrame, mid: np.ndarray, live: list[str | None]) -> None:
    """Time-average queue of each live channel: people waiting on the phone or at the counter."""
    for channel in live:
        ax.plot(mid, day[_column(channel, "mean_queue_length")], marker="o", markersize=4,
                color=_of(CHANNEL_COLOURS, channel, PALETTE[2]), label=_of(CHANNEL_NAMES, channel, channel))
    if len(live) > 1:
        ax.legend(loc="upper right")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("Queue length\n(contacts, time-average)" if live != [None] else "Queue length\n(calls, time-average)")


def _backlog(ax: Axes, day: pd.DataFrame, mid: np.ndarray, written: list[str]) -> None:
    """The written channels' backlog: items not yet answered, averaged over each interval."""
    for channel in written:
        ax.plot(mid, day[_column(channel, "mean_queue_length")], marker="o", markersize=4,
                color=CHANNEL_COLOURS[channel], label=f"{CHANNEL_NAMES[channel]} backlog")
    ax.set_ylim(bottom=0)
    ax.set_ylabel(f"{' and '.join(CHANNEL_NAMES[c] for c in written).capitalize()} backlog\n(waiting, time-average)")


def _channels(rows: pd.DataFrame) -> list[str]:
    """Channels with per-channel columns and at least one contact, in the order walk-in, phone, email."""
    return [c for c in CHANNEL_NAMES if f"{c}_mean_queue_length" in rows and rows[f"{c}_offered"].sum() > 0]


def _of(table: Mapping[str, T], channel: str | None, default: T) -> T:
    """``table``'s entry for ``channel``, else ``default`` (also for the all-contacts line, channel None)."""
    return table.get(channel, default) if channel is not None else default


def _column(channel: str | None, kpi: str) -> str:
    """A channel's column in the intervals table, or the all-channel one for ``None``."""
    return f"{channel}_{kpi}" if channel else kpi


def _working_days(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of days with agents on the plan (a weekend's closed day is no part of an average working day)."""
    staffed = rows.groupby(["replication", "day"])["agents_scheduled"].transform("sum") > 0
    return rows[staffed] if staffed.any() else rows


def _average_day(rows: pd.DataFrame, channels: list[str]) -> pd.DataFrame:
    """Each interval-of-day's mean over days and runs (rates skip empty intervals), trimmed to active hours."""
    columns = ["offered", "service_level", "mean_queue_length"] + [
        f"{c}_{k}" for c in channels for k in ("offered", "service_level", "mean_queue_length")]
    day = rows.groupby(rows["start_seconds"] % DAY)[columns].mean()
    day["agents"] = rows.groupby(rows["start_seconds"] % DAY)["agents_scheduled"].mean()
    active = day.index[(day["offered"] > 0) | (day["agents"] > 0)]
    return day.loc[active.min():active.max()] if len(active) else day


def _interval_hours(rows: pd.DataFrame) -> float:
    """The interval length in hours (one hour if there is a single interval)."""
    steps = np.diff(np.unique(rows["start_seconds"].to_numpy(float)))
    return float(steps.min()) / HOUR if len(steps) else 1.0


def _duration(seconds: float) -> str:
    """A threshold as people say it: ``20 s``, ``5 min``, ``24 h``."""
    for unit, size in (("h", HOUR), ("min", 60.0)):
        if seconds >= size and seconds % size == 0:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"
