"""Charts of a schedule, from its tables: coverage against the requirement, the shifts as a Gantt chart, and
the simulated service level per interval. One panel per day that has anything to show."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.plots.style import MUTED, PALETTE, figure, styled, time_of_day_axis

FLOOR, WORK, SHORT, TARGET = PALETTE[0], PALETTE[5], PALETTE[3], PALETTE[6]
MAX_ROWS = 60  # shift lines drawn per day in the Gantt chart


def _hours(clock: pd.Series) -> np.ndarray:
    """``HH:MM`` strings as hours after midnight."""
    if clock.empty:
        return np.zeros(0)
    parts = clock.str.split(":", expand=True).astype(int)
    return (parts[0] + parts[1] / 60).to_numpy(float)


def _busy_days(frame: pd.DataFrame, columns: list[str]) -> list:
    """Days (in file order) where any of ``columns`` is non-zero."""
    busy = frame.groupby("day", sort=False)[columns].apply(lambda d: bool((d.to_numpy() > 0).any()))
    return [day for day, any_ in busy.items() if any_] or list(busy.index[:1])


@styled
def coverage_chart(coverage: pd.DataFrame, title: str = "Coverage against the requirement") -> Figure:
    """Per day: agents required, at work and on the floor (breaks taken) per interval; shortfalls shaded."""
    days = _busy_days(coverage, ["required", "at_work"])
    fig, axes = figure(9.0, 0.8 + 1.9 * len(days), rows=len(days), sharex=True)
    for ax, day in zip(axes, days):
        rows = coverage[coverage["day"] == day]
        start = _hours(rows["interval_start"])
        edges = np.r_[start, start[-1] + _step_hours(coverage)]
        ax.fill_between(edges, _stairs(rows["at_work"].to_numpy()), step="post", color=WORK, alpha=0.35,
                        linewidth=0, label="at work (before breaks)")
        ax.step(edges, _stairs(rows["on_floor"].to_numpy()), where="post", color=FLOOR, linewidth=1.6,
                label="on the floor")
        ax.step(edges, _stairs(rows["required"].to_numpy()), where="post", color=TARGET, linewidth=1.2,
                linestyle="--", label="required")
        short = rows["on_floor"].to_numpy() < rows["required"].to_numpy() - 1e-9
        ax.fill_between(edges, _stairs(rows["on_floor"].to_numpy()), _stairs(rows["required"].to_numpy()),
                        where=_stairs(short), step="post", color=SHORT, alpha=0.6, linewidth=0, label="short")
        ax.set_ylabel(f"day {day}\nagents")
        ax.set_ylim(0, max(1.0, float(rows[["required", "at_work"]].to_numpy().max())) * 1.15)
    axes[0].legend(loc="upper left", ncol=4)
    axes[0].set_title(title)
    _hours_axis(axes[-1], _active_hours(coverage, ["required", "at_work"]))
    return fig


def _stairs(values: np.ndarray) -> np.ndarray:
    """``values`` with the last repeated, for a step line that ends at the last interval's end."""
    return np.r_[values, values[-1:]]


def _step_hours(frame: pd.DataFrame) -> float:
    """The length of one interval of ``frame`` in hours."""
    starts = np.unique(_hours(frame["interval_start"]))
    return float(np.diff(starts).min()) if len(starts) > 1 else 24.0


def _active_hours(frame: pd.DataFrame, columns: list[str]) -> tuple[float, float]:
    """Whole hours around the intervals where any of ``columns`` is non-zero (the whole day if none is)."""
    busy = frame[(frame[columns].to_numpy() > 0).any(axis=1)]
    if busy.empty:
        return 0.0, 24.0
    hours = _hours(busy["interval_start"])
    return max(0.0, np.floor(hours.min()) - 1), min(24.0, np.ceil(hours.max() + _step_hours(frame)) + 1)


def _hours_axis(ax, span: tuple[float, float]) -> None:
    ax.set_xlim(*span)
    time_of_day_axis(ax, span[1] - span[0])
    ax.set_xlabel("Time of day")


@styled
def gantt_chart(shifts: pd.DataFrame, title: str = "Shifts") -> Figure:
    """Per day: each shift as a bar from start to end with its breaks cut out, labelled with how many agents
    work it (lines with the same shift and breaks that day are drawn as one bar)."""
    shifts = _same_shifts_together(shifts)
    days = list(dict.fromkeys(shifts["day"]))
    heights = [min(MAX_ROWS, int((shifts["day"] == d).sum())) for d in days]
    fig = Figure(figsize=(9.0, 1.0 + sum(0.16 * h + 0.4 for h in heights)), layout="constrained")
    axes = fig.subplots(len(days), 1, sharex=True, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
    types = list(dict.fromkeys(shifts["type"]))
    colours = {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}
    for ax, day in zip(axes, days):
        rows = shifts[shifts["day"] == day].head(MAX_ROWS)
        for y, row in enumerate(rows.itertuples()):
            start, end = _span(row.start, row.end)
            ax.barh(y, end - start, left=start, height=0.7, color=colours[row.type])
            for a, b in _break_spans(row.breaks, start):
                ax.barh(y, b - a, left=a, height=0.7, color="white", edgecolor=colours[row.type], hatch="///",
                        linewidth=0.5)
            ax.text(end + 0.15, y, f"×{row.count}", va="center", fontsize=7, color=MUTED)
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_yticks([])
        hidden = int((shifts["day"] == day).sum()) - len(rows)
        ax.set_ylabel(f"day {day}" + (f"\n(+{hidden} more)" if hidden else ""))
        ax.grid(True, axis="x")
    axes[0].legend(handles=[Patch(color=colours[t], label=t) for t in types]
                   + [Patch(facecolor="white", edgecolor=MUTED, hatch="///", label="break")],
                   loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(types) + 1)
    axes[0].set_title(title, pad=22)
    spans = [_span(s, e) for s, e in zip(shifts["start"], shifts["end"])] or [(0.0, 24.0)]
    _hours_axis(axes[-1], (max(0.0, np.floor(min(a for a, _ in spans)) - 1), np.ceil(max(b for _, b in spans)) + 1))
    if max(b for _, b in spans) > 24:
        axes[-1].set_xlabel("Time of day (past 24:00: the next morning)")
    return fig


def _same_shifts_together(shifts: pd.DataFrame) -> pd.DataFrame:
    """One row per day x identical shift (type, start, end, breaks), counts added, in order of start."""
    keys = ["day", "type", "start", "end", "breaks"]
    merged = shifts.fillna({"breaks": ""}).groupby(keys, sort=False, as_index=False)["count"].sum()
    merged["_start"] = [_span(a, b)[0] for a, b in zip(merged["start"], merged["end"])]
    order = {day: i for i, day in enumerate(dict.fromkeys(shifts["day"]))}
    merged["_day"] = merged["day"].map(order)
    return merged.sort_values(["_day", "_start", "type", "breaks"], kind="stable").drop(columns=["_day", "_start"])


def _span(start: str, end: str) -> tuple[float, float]:
    """Hours of a shift's start and end (``06:00+1d`` is 30)."""
    a = _hours(pd.Series([start]))[0]
    text, _, plus = end.partition("+")
    b = _hours(pd.Series([text]))[0] + 24 * int(plus.rstrip("d") or 0)
    return a, b if b > a else b + 24


def _break_spans(breaks: str, start: float) -> list[tuple[float, float]]:
    """(start, end) hours of each ``name HH:MM-HH:MM`` break, on the shift's own clock."""
    spans = []
    for item in (b.strip() for b in breaks.split(";")) if isinstance(breaks, str) else ():
        if item:
            first, last = _hours(pd.Series(item.rsplit(" ", 1)[1].split("-")))
            begin = first + 24 * (first < start)
            spans.append((begin, begin + (last - first) % 24))
    return spans


@styled
def evaluation_chart(intervals: pd.DataFrame, target: float, title: str = "Simulated service level") -> Figure:
    """Per simulated day: the service level's mean and 95% interval per interval against the target, with
    the intervals whose upper bound misses the target marked."""
    days = _busy_days(intervals, ["offered"])
    fig, axes = figure(9.0, 0.8 + 1.8 * len(days), rows=len(days), sharex=True)
    step = _step_hours(intervals)
    for ax, day in zip(axes, days):
        rows = intervals[(intervals["day"] == day) & (intervals["offered"] > 0)]
        x = _hours(rows["interval_start"])
        edges = np.r_[x, x[-1:] + step]
        percent = {c: _stairs(100 * rows[c].to_numpy(float)) for c in
                   ("service_level", "service_level_ci_low", "service_level_ci_high")}
        ax.fill_between(edges, percent["service_level_ci_low"], percent["service_level_ci_high"], color=FLOOR,
                        alpha=0.25, linewidth=0, step="post", label="95% interval")
        ax.step(edges, percent["service_level"], where="post", color=FLOOR, linewidth=1.4, label="mean")
        ax.axhline(100 * target, color=TARGET, linestyle="--", linewidth=1.0, label="target")
        short = rows[rows["short"]]
        ax.plot(_hours(short["interval_start"]) + step / 2, 100 * short["service_level"], "v", color=SHORT,
                markersize=5, label="short (upper bound below target)")
        ax.set_ylim(0, 105)
        ax.set_ylabel(f"day {day}\nSL (%)")
    axes[0].legend(loc="lower left", ncol=4)
    axes[0].set_title(title)
    _hours_axis(axes[-1], _active_hours(intervals, ["offered"]))
    return fig
