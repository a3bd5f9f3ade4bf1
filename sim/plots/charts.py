"""Charts from result tables only (never a model run): each function returns a styled ``Figure``.

Values are drawn in display units (rates as %, times in seconds) and written with ``sim.formatting.fmt``,
so a chart reads like the terminal tables and the report. Factor columns are dotted config paths; axes
show their last component.
"""

from __future__ import annotations

from itertools import cycle, product
from typing import Mapping

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.formatting import fmt
from sim.metrics import confidence_interval
from sim.plots.style import (
    BASELINE, MUTED, PALETTE, colormap, factor_label, figure, kpi_label, kpi_name, lower_is_better, scale, styled,
    time_of_day_axis,
)

DAY = 86400.0
HOUR = 3600.0
ANNOTATE_AT_MOST = 12  # scenarios; more names than this on a scatter become clutter


@styled
def heatmap(summary: pd.DataFrame, x: str, y: str, kpi: str) -> Figure:
    """Mean of ``kpi`` over two factors, the value in each cell; brighter is better for every KPI."""
    xs, ys = _order(summary[x]), _order(summary[y])
    grid = summary.pivot_table(index=y, columns=x, values=f"{kpi}_mean", aggfunc="mean", dropna=False)
    raw = grid.reindex(index=ys, columns=xs).to_numpy(float)  # other factors, if any, are averaged over
    fig, (ax,) = figure(max(5.5, 1.1 * len(xs) + 3.5), max(3.5, 0.6 * len(ys) + 2.2))
    image = ax.imshow(np.ma.masked_invalid(raw * scale(kpi)), cmap=colormap(kpi), aspect="auto", origin="lower")
    for (i, j), value in np.ndenumerate(raw):
        ax.text(j, i, fmt(kpi, value), ha="center", va="center", fontsize=9, color=_ink(image, value * scale(kpi)))
    ax.set_xticks(range(len(xs)), [_tick(v) for v in xs])
    ax.set_yticks(range(len(ys)), [_tick(v) for v in ys])
    ax.grid(False)
    ax.spines[:].set_visible(False)
    bar = fig.colorbar(image, ax=ax, label=f"{kpi_label(kpi)}, mean")
    if lower_is_better(kpi):
        bar.ax.invert_yaxis()  # better (brighter) at the top of the scale, as for every KPI
    xname, yname = factor_label(x), factor_label(y)
    _finish(ax, xname, yname, f"{kpi_name(kpi)} by {xname.lower()} and {yname.lower()}")
    return fig


@styled
def kpi_by_factor(summary: pd.DataFrame, x: str, kpi: str, by: str | None = None) -> Figure:
    """Mean of ``kpi`` against factor ``x`` with its shaded 95% band, one line per level of factor ``by``."""
    xs = _order(summary[x])
    positions = np.array(xs, float) if _numeric(summary[x]) else np.arange(len(xs), dtype=float)
    fig, (ax,) = figure()
    columns = [f"{kpi}_{part}" for part in ("mean", "ci_low", "ci_high")]
    for level, colour in zip(_order(summary[by]) if by else [None], cycle(PALETTE)):
        rows = summary if by is None else summary[summary[by] == level]
        rows = rows.groupby(x)[columns].mean().reindex(xs)  # other factors, if any, are averaged over
        mean, low, high = _kpi_values(rows, kpi)
        ax.plot(positions, mean, marker="o", color=colour, label="mean" if by is None else _tick(level))
        ax.fill_between(positions, low, high, color=colour, alpha=0.2, linewidth=0)
    ax.set_xticks(positions, [_tick(v) for v in xs])
    ax.grid(True, axis="both")
    handles, labels = ax.get_legend_handles_labels()
    band = Patch(color=MUTED, alpha=0.35, linewidth=0)
    _legend_outside(ax, handles + [band], labels + ["95% interval"], factor_label(by) if by else None)
    _finish(ax, factor_label(x), kpi_label(kpi), f"{kpi_name(kpi)} against {factor_label(x).lower()}")
    return fig


def pareto_front(cost: np.ndarray, value: np.ndarray, cost_lower: bool, value_lower: bool) -> np.ndarray:
    """Indices of the points no other point beats on both axes (NaN points left out), ordered by cost."""
    cost, value = np.asarray(cost, float), np.asarray(value, float)
    c, v = (cost if cost_lower else -cost), (value if value_lower else -value)  # now smaller is better on both
    finite = [i for i in range(len(c)) if np.isfinite(c[i]) and np.isfinite(v[i])]
    keep = [i for i in finite if not any(c[j] <= c[i] and v[j] <= v[i] and (c[j] < c[i] or v[j] < v[i])
                                         for j in finite)]
    return np.array(sorted(keep, key=lambda i: (cost[i], i)), dtype=int)


@styled
def tradeoff(summary: pd.DataFrame, cost: str, value: str) -> Figure:
    """Each scenario's ``cost`` KPI against its ``value`` KPI with 95% error bars; the Pareto frontier drawn."""
    (cx, clo, chi), (vy, vlo, vhi) = _kpi_values(summary, cost), _kpi_values(summary, value)
    front = pareto_front(cx, vy, lower_is_better(cost), lower_is_better(value))
    fig, (ax,) = figure()
    ax.errorbar(cx, vy, xerr=_errors(cx, clo, chi), yerr=_errors(vy, vlo, vhi), fmt="o", color=PALETTE[0],
                ecolor=MUTED, elinewidth=1, capsize=2, label="scenario (mean, 95% interval)")
    ax.plot(cx[front], vy[front], color=BASELINE, marker="o", linewidth=2, zorder=3,
            label="Pareto frontier (beaten on neither axis)")
    handles, labels = (part[::-1] for part in ax.get_legend_handles_labels())  # scenarios, then frontier
    if len(summary) <= ANNOTATE_AT_MOST:
        names, keys = _short_names(summary["scenario_name"].astype(str).tolist())
        for name, px, py in zip(names, cx, vy):
            ax.annotate(name, (px, py), xytext=(5, 4), textcoords="offset points", fontsize=8, color="#444444")
        ax.margins(x=0.15, y=0.08)  # room for the names at the edges
        if keys:
            handles, labels = handles + [Line2D([], [], linestyle="none")], labels + [f"labels: {keys}"]
    ax.grid(True, axis="both")
    _legend_outside(ax, handles, labels)
    _finish(ax, kpi_label(cost), kpi_label(value), f"{kpi_name(value)} against {kpi_name(cost).lower()}")
    return fig


@styled
def scenario_bars(summary: pd.DataFrame, kpi: str, baseline: str | None = None) -> Figure:
    """One bar per scenario with its 95% error bar and value; the ``baseline`` scenario in its own colour."""
    names = summary["scenario_name"].astype(str).tolist()
    mean, low, high = _kpi_values(summary, kpi)
    fig, (ax,) = figure(max(5.0, 0.9 * len(names) + 2.5), 4.5)
    bars = ax.bar(range(len(names)), mean, yerr=_errors(mean, low, high), capsize=4, ecolor="#333333",
                  color=[BASELINE if n == baseline else PALETTE[0] for n in names])
    ax.bar_label(bars, [fmt(kpi, m / scale(kpi)) for m in mean], label_type="center", color="white", fontsize=9)
    xlabel = _scenario_ticks(ax, names, baseline)
    _finish(ax, xlabel, kpi_label(kpi), f"{kpi_name(kpi)} by scenario (mean and 95% interval)")
    return fig


@styled
def intraday(intervals: pd.DataFrame, scenario: int, threshold_seconds: float, target: float | None = None,
             name: str | None = None) -> Figure:
    """One scenario's average day by interval: calls and agents, service level (vs ``target``) and queue."""
    rows = intervals[intervals["scenario"] == scenario]
    day, width = _average_day(rows), _interval_hours(rows)
    start, mid = day.index.to_numpy(float) / HOUR, day.index.to_numpy(float) / HOUR + width / 2
    fig, (top, middle, bottom) = figure(8.0, 8.0, rows=3, sharex=True)
    _calls_and_agents(top, day, start, width)
    middle.plot(mid, day["service_level"] * 100, marker="o", markersize=4, color=PALETTE[0], label="service level")
    if target is not None:
        middle.axhline(target * 100, color=MUTED, linestyle="--", linewidth=1, label=f"target {target:.0%}")
        middle.legend(loc="lower right")
    middle.set_ylim(0, 105)
    bottom.plot(mid, day["queue"], marker="o", markersize=4, color=PALETTE[2])
    bottom.set_ylim(bottom=0)
    bottom.set_xlim(start[0], start[-1] + width)
    time_of_day_axis(bottom, start[-1] + width - start[0])
    for ax in (top, middle, bottom):
        ax.grid(True, axis="both")
    top.set_ylabel("Calls offered\nper interval")
    middle.set_ylabel(f"Service level (%)\nwithin {threshold_seconds:g} s")
    bottom.set_ylabel("Queue length\n(calls, time-average)")
    bottom.set_xlabel("Time of day")
    runs, days = rows["replication"].nunique(), rows["day"].nunique()
    top.set_title(f"Average day: {name or f'scenario {scenario}'}\n"
                  f"(mean over {days} day{'s' * (days != 1)} × {runs} replication{'s' * (runs != 1)})")
    return fig


def _calls_and_agents(ax: Axes, day: pd.DataFrame, start: np.ndarray, width: float) -> None:
    """Calls offered as bars and agents scheduled as a step line on its own right-hand scale."""
    ax.bar(start, day["offered"], width * 0.92, align="edge", color=PALETTE[5], label="calls offered")
    agents = ax.twinx()
    agents.step(np.r_[start, start[-1:] + width], np.r_[day["agents"], day["agents"][-1:]], where="post",
                color=BASELINE, linewidth=2, label="agents scheduled")
    for axis, peak in ((ax, day["offered"].max()), (agents, day["agents"].max())):
        axis.set_ylim(0, 1.3 * peak if peak > 0 else 1)  # headroom above the peak for the legend
    agents.spines["right"].set_visible(True)
    agents.grid(False)
    agents.set_ylabel("Agents scheduled")
    ax.legend(*[a + b for a, b in zip(ax.get_legend_handles_labels(), agents.get_legend_handles_labels())],
              loc="upper left", ncol=2)


@styled
def tier_comparison(tiers: pd.DataFrame, summary: pd.DataFrame, kpi: str) -> Figure:
    """Grouped bars of ``kpi`` per customer tier in each scenario: mean over replications, 95% t intervals."""
    scenarios = summary["scenario"].tolist()
    levels = list(dict.fromkeys(tiers["tier"].astype(str)))
    stats = _tier_stats(tiers, kpi).reindex(list(product(scenarios, levels)))
    width = 0.8 / len(levels)
    fig, (ax,) = figure(max(6.5, 0.35 * len(scenarios) * len(levels) + 3.5), 4.8)
    for t, (tier, colour) in enumerate(zip(levels, cycle(PALETTE))):
        mean, low, high = _kpi_values(stats.xs(tier, level="tier").reindex(scenarios), kpi)
        ax.bar(np.arange(len(scenarios)) + (t - (len(levels) - 1) / 2) * width, mean, width, color=colour,
               yerr=_errors(mean, low, high), capsize=2, ecolor="#333333", label=tier)
    xlabel = _scenario_ticks(ax, summary["scenario_name"].astype(str).tolist())
    _legend_outside(ax, *ax.get_legend_handles_labels(), "Customer tier")
    _finish(ax, xlabel, kpi_label(kpi), f"{kpi_name(kpi)} by customer tier (mean and 95% interval)")
    return fig


@styled
def wait_cdf(contacts: pd.DataFrame, threshold_seconds: float, by: str = "scenario",
             names: Mapping | None = None) -> Figure:
    """Empirical CDF of the waits of answered contacts per ``by`` group, the SL threshold as a vertical line."""
    answered = contacts[contacts["outcome"].astype(str) == "answered"]
    fig, (ax,) = figure()
    tail = float(answered["wait_seconds"].quantile(0.99)) if len(answered) else 0.0
    grid = np.linspace(0.0, max(3 * threshold_seconds, tail), 600)  # a fixed grid keeps big tables light
    styles = product(["-", "--", ":"], PALETTE)
    for (group, rows), (dash, colour) in zip(answered.groupby(by, observed=True, sort=True), styles):
        waits = np.sort(rows["wait_seconds"].to_numpy(float))
        share = np.searchsorted(waits, grid, side="right") / max(len(waits), 1) * 100
        label = str((names or {}).get(group, f"scenario {group}" if by == "scenario" else group))
        ax.step(grid, share, where="post", color=colour, linestyle=dash, label=label)
    ax.axvline(threshold_seconds, color=MUTED, linestyle="--", linewidth=1,
               label=f"SL threshold ({threshold_seconds:g} s)")
    ax.set_xlim(grid[0], grid[-1])
    ax.set_ylim(0, 101)
    ax.grid(True, axis="both")
    _legend_outside(ax, *ax.get_legend_handles_labels(), factor_label(by))
    _finish(ax, "Wait (s)", "Answered calls that waited\nat most this long (%)", "Waits of answered calls")
    return fig


def _kpi_values(summary: pd.DataFrame, kpi: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, CI low and CI high of ``kpi`` per row in display units, intervals cut to what the KPI can be."""
    k = scale(kpi)
    mean, low, high = (summary[f"{kpi}_{part}"].to_numpy(float) * k for part in ("mean", "ci_low", "ci_high"))
    ceiling = 100.0 if k == 100.0 else np.inf  # a rate is 0-100%; every KPI is at least 0
    return mean, np.clip(low, 0.0, ceiling), np.clip(high, 0.0, ceiling)


def _errors(mean: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Error-bar lengths below and above each mean; zero where there is no interval (one replication)."""
    return np.nan_to_num(np.vstack([mean - low, high - mean]), nan=0.0).clip(min=0)


def _tier_stats(tiers: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """Mean and 95% t interval of ``kpi`` per (scenario, tier), in summary-style columns."""
    rows = [(scenario, str(tier), *confidence_interval(group[kpi]))
            for (scenario, tier), group in tiers.groupby(["scenario", "tier"], observed=True)]
    frame = pd.DataFrame(rows, columns=["scenario", "tier", f"{kpi}_mean", f"{kpi}_ci_low", f"{kpi}_ci_high"])
    return frame.set_index(["scenario", "tier"])


def _average_day(rows: pd.DataFrame) -> pd.DataFrame:
    """Each interval-of-day's mean over days and runs (rates skip empty intervals), trimmed to open hours."""
    day = rows.groupby(rows["start_seconds"] % DAY).agg(
        offered=("offered", "mean"), agents=("agents_scheduled", "mean"),
        service_level=("service_level", "mean"), queue=("mean_queue_length", "mean"))
    active = day.index[(day["offered"] > 0) | (day["agents"] > 0)]
    return day.loc[active.min():active.max()] if len(active) else day


def _interval_hours(rows: pd.DataFrame) -> float:
    """The interval length in hours (one hour if there is a single interval)."""
    steps = np.diff(np.unique(rows["start_seconds"].to_numpy(float)))
    return float(steps.min()) / HOUR if len(steps) else 1.0


def _short_names(names: list[str]) -> tuple[list[str], str | None]:
    """Grid scenario names ``a=1, b=2`` shortened to ``1, 2``, with ``a, b`` to say what they are."""
    keys = [part.split("=", 1)[0] for part in names[0].split(", ")] if names else []
    if not names or not all(n.count("=") == len(keys) and "=" in n for n in names):
        return names, None
    return [", ".join(part.split("=", 1)[1] for part in n.split(", ")) for n in names], ", ".join(keys)


def _scenario_ticks(ax: Axes, names: list[str], baseline: str | None = None) -> str:
    """Scenario names as x ticks (shortened, the baseline marked, slanted if crowded); returns the x label."""
    labels, keys = _short_names(names)
    labels = [f"{t}\n(baseline)" if n == baseline else t for t, n in zip(labels, names)]
    room = ax.figure.get_figwidth() * 0.75 / max(len(labels), 1)  # inches per category
    slant = max((len(line) for t in labels for line in t.split("\n")), default=0) * 0.075 > room
    ax.set_xticks(np.arange(len(labels)), labels, rotation=30 if slant else 0, ha="right" if slant else "center",
                  rotation_mode="anchor")
    return f"Scenario ({keys})" if keys else "Scenario"


def _legend_outside(ax: Axes, handles: list, labels: list, title: str | None = None) -> None:
    """A legend to the right of the axes, where it can never cover data."""
    ax.legend(handles, labels, title=title, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)


def _finish(ax: Axes, xlabel: str, ylabel: str, title: str) -> None:
    """Axis labels and title: every chart has all three."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)


def _ink(image, value: float) -> str:
    """Black or white text, whichever reads better on the cell's colour."""
    if not np.isfinite(value):
        return "black"
    r, g, b, _ = image.cmap(image.norm(value))
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def _order(values: pd.Series) -> list:
    """A factor's levels: numbers ascending, anything else in the order the experiment listed them."""
    unique = list(pd.unique(values.dropna()))
    return sorted(unique) if _numeric(values) else unique


def _numeric(values: pd.Series) -> bool:
    """Whether a factor's levels are numbers (placed by value) rather than labels (placed in order)."""
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _tick(value: object) -> str:
    """A factor level as tick text: ``1500`` not ``1500.0``."""
    return f"{value:g}" if isinstance(value, (float, np.floating)) else str(value)
