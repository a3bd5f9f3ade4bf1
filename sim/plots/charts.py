"""Charts from result tables only (never a model run): each function returns a styled ``Figure``."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from sim.experiment.spec import LOWER_IS_BETTER
from sim.formatting import fmt
from sim.metrics import confidence_interval
from sim.plots.style import PALETTE, SEQUENTIAL, figure, label, scale

DAY = 86400.0


def _values(summary: pd.DataFrame, kpi: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, low and high of ``kpi`` per row, in display units."""
    k = scale(kpi)
    return tuple(summary[f"{kpi}_{part}"].to_numpy(float) * k for part in ("mean", "ci_low", "ci_high"))


def _short(column: str) -> str:
    return column.rsplit(".", 1)[-1]


def heatmap(summary: pd.DataFrame, x: str, y: str, kpi: str) -> Figure:
    """Mean of ``kpi`` over two factors with the value in each cell; the colour scale runs worse → better."""
    grid = summary.pivot_table(index=y, columns=x, values=f"{kpi}_mean", aggfunc="first").sort_index(ascending=False)
    fig, ax = figure(6.5, 4.5)
    cmap = SEQUENTIAL + ("_r" if kpi in LOWER_IS_BETTER else "")
    image = ax.imshow(grid.to_numpy(float) * scale(kpi), cmap=cmap, aspect="auto")
    ax.set_xticks(range(len(grid.columns)), [str(c) for c in grid.columns])
    ax.set_yticks(range(len(grid.index)), [str(i) for i in grid.index])
    low, high = np.nanmin(grid.to_numpy(float)), np.nanmax(grid.to_numpy(float))
    for (i, j), value in np.ndenumerate(grid.to_numpy(float)):
        light = (value - low) / (high - low or 1) < 0.5
        dark_cell = light != (kpi in LOWER_IS_BETTER)
        ax.text(j, i, fmt(kpi, value), ha="center", va="center", color="white" if dark_cell else "black")
    ax.set_xlabel(label(x))
    ax.set_ylabel(label(y))
    ax.spines[:].set_visible(False)
    fig.colorbar(image, ax=ax, label=label(kpi))
    ax.set_title(f"{label(kpi).split(' (')[0]} by {_short(y)} and {_short(x)}")
    return fig


def kpi_by_factor(summary: pd.DataFrame, x: str, kpi: str, by: str | None = None) -> Figure:
    """Mean of ``kpi`` against factor ``x`` with its 95% band, one line per level of ``by``."""
    fig, ax = figure()
    groups = summary.groupby(by, sort=True) if by else [(None, summary)]
    for (level, group), colour in zip(groups, PALETTE):
        group = group.sort_values(x)
        mean, low, high = _values(group, kpi)
        name = f"{_short(by)} = {level}" if by else None
        ax.plot(group[x], mean, marker="o", color=colour, label=name)
        ax.fill_between(group[x], low, high, color=colour, alpha=0.2, linewidth=0)
    ax.set_xlabel(label(x))
    ax.set_ylabel(label(kpi))
    ax.set_title(f"{label(kpi).split(' (')[0]} against {_short(x)} (mean and 95% interval)")
    if by:
        ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return fig


def pareto_front(cost: np.ndarray, value: np.ndarray, cost_lower: bool, value_lower: bool) -> np.ndarray:
    """Indices of scenarios no other scenario beats on both axes, ordered by cost."""
    c = cost if cost_lower else -cost
    v = value if value_lower else -value
    keep = [i for i in range(len(c))
            if not any(c[j] <= c[i] and v[j] <= v[i] and (c[j] < c[i] or v[j] < v[i]) for j in range(len(c)))]
    return np.array(sorted(keep, key=lambda i: cost[i]), dtype=int)


def tradeoff(summary: pd.DataFrame, cost: str, value: str) -> Figure:
    """Each scenario's cost against its value with 95% error bars; the Pareto frontier joined up."""
    fig, ax = figure()
    (cx, clo, chi), (vy, vlo, vhi) = _values(summary, cost), _values(summary, value)
    ax.errorbar(cx, vy, xerr=[cx - clo, chi - cx], yerr=[vy - vlo, vhi - vy], fmt="o", color=PALETTE[0],
                ecolor="#999999", capsize=2, label="scenario")
    front = pareto_front(cx, vy, cost in LOWER_IS_BETTER or cost == "agents_mean", value in LOWER_IS_BETTER)
    ax.plot(cx[front], vy[front], color=PALETTE[3], linewidth=2, label="Pareto frontier")
    if len(summary) <= 6:
        for name, px, py in zip(summary["scenario_name"], cx, vy):
            ax.annotate(name, (px, py), textcoords="offset points", xytext=(4, 4), fontsize=7, color="#444444")
    ax.set_xlabel(label(cost))
    ax.set_ylabel(label(value))
    ax.set_title(f"{label(value).split(' (')[0]} against {label(cost).split(' (')[0].lower()}")
    ax.legend(frameon=False, loc="lower right")
    ax.grid(alpha=0.3)
    return fig


def scenario_bars(summary: pd.DataFrame, kpi: str, baseline: str | None = None) -> Figure:
    """One bar per scenario with its 95% interval; the baseline in a different colour."""
    fig, ax = figure()
    mean, low, high = _values(summary, kpi)
    names = summary["scenario_name"].tolist()
    colours = [PALETTE[1] if n == baseline else PALETTE[0] for n in names]
    ax.bar(names, mean, yerr=[mean - low, high - mean], color=colours, capsize=4)
    ax.set_ylabel(label(kpi))
    ax.set_xlabel("scenario" + (f" (baseline {baseline} in orange)" if baseline in names else ""))
    ax.set_title(f"{label(kpi).split(' (')[0]} by scenario (mean and 95% interval)")
    ax.tick_params(axis="x", rotation=20 if len(names) > 4 else 0)
    return fig


def intraday(intervals: pd.DataFrame, scenario: int, name: str, threshold: float) -> Figure:
    """Arrivals and agents, service level and queue by time of day for one scenario (mean over days and runs)."""
    data = intervals[intervals["scenario"] == scenario].assign(tod=lambda d: d["start_seconds"] % DAY)
    by_tod = data.groupby("tod").agg(offered=("offered", "mean"), agents=("agents_scheduled", "mean"),
                                     sl=("service_level", "mean"), queue=("mean_queue_length", "mean"))
    open_ = by_tod[(by_tod["offered"] > 0) | (by_tod["agents"] > 0)]
    hours = open_.index / 3600
    fig, (top, middle, bottom) = figure(8, 7.5, rows=3, sharex=True)
    top.bar(hours, open_["offered"], width=open_.index.to_series().diff().median() / 3600 * 0.9 if len(open_) > 1
            else 0.4, align="edge", color=PALETTE[5], label="calls offered")
    top.step(hours, open_["agents"], where="post", color=PALETTE[3], linewidth=2, label="agents scheduled")
    top.set_ylabel("per interval")
    top.legend(frameon=False, ncol=2, loc="upper right")
    middle.plot(hours, open_["sl"] * 100, marker="o", color=PALETTE[0])
    middle.axhline(80, color="#999999", linestyle="--", linewidth=1, label="80% (a common target)")
    middle.set_ylabel(f"Service level (%)\nwithin {threshold:g} s")
    middle.legend(frameon=False, loc="lower right")
    bottom.plot(hours, open_["queue"], marker="o", color=PALETTE[2])
    bottom.set_ylabel("Callers waiting\n(time-average)")
    bottom.set_xlabel("time of day")
    bottom.xaxis.set_major_formatter(FuncFormatter(lambda h, _: f"{int(h):02d}:{int(round(h % 1 * 60)):02d}"))
    for ax in (top, middle, bottom):
        ax.grid(alpha=0.3)
    top.set_title(f"A day of {name}\n(mean over days and replications)")
    return fig


def tier_comparison(tiers: pd.DataFrame, summary: pd.DataFrame, kpi: str) -> Figure:
    """Grouped bars: ``kpi`` per customer tier in each scenario, with 95% intervals over replications."""
    names = summary.set_index("scenario")["scenario_name"]
    stats = (tiers.groupby(["scenario", "tier"], observed=True)[kpi]
             .apply(lambda s: pd.Series(confidence_interval(s), index=["mean", "low", "high"])).unstack())
    tier_names = list(dict.fromkeys(stats.index.get_level_values("tier")))
    scenarios = list(dict.fromkeys(stats.index.get_level_values("scenario")))
    fig, ax = figure()
    width = 0.8 / len(tier_names)
    k = scale(kpi)
    for t, (tier, colour) in enumerate(zip(tier_names, PALETTE)):
        rows = [stats.loc[(s, tier)] if (s, tier) in stats.index else None for s in scenarios]
        mean = np.array([np.nan if r is None else r["mean"] * k for r in rows])
        err = np.array([[0, 0] if r is None or np.isnan(r["low"]) else
                        [(r["mean"] - r["low"]) * k, (r["high"] - r["mean"]) * k] for r in rows]).T
        ax.bar(np.arange(len(scenarios)) + t * width, mean, width, yerr=err, color=colour, capsize=3, label=tier)
    ax.set_xticks(np.arange(len(scenarios)) + width * (len(tier_names) - 1) / 2, [names[s] for s in scenarios])
    ax.set_ylabel(label(kpi))
    ax.set_xlabel("scenario")
    ax.set_title(f"{label(kpi).split(' (')[0]} by customer tier")
    ax.legend(title="tier", frameon=False, loc="upper left")
    return fig


def wait_cdf(contacts: pd.DataFrame, names: pd.Series, threshold: float) -> Figure:
    """Share of answered callers who waited at most t, per scenario, with the service-level threshold."""
    answered = contacts[contacts["outcome"] == "answered"]
    fig, ax = figure()
    for (scenario, group), colour in zip(answered.groupby("scenario"), PALETTE):
        waits = np.sort(group["wait_seconds"].to_numpy())
        ax.step(waits, np.arange(1, len(waits) + 1) / len(waits) * 100, where="post", color=colour,
                label=str(names.get(scenario, scenario)))
    ax.axvline(threshold, color="#999999", linestyle="--", linewidth=1, label=f"threshold {threshold:g} s")
    ax.set_xlabel("wait (s)")
    ax.set_ylabel("Answered callers who waited at most this long (%)")
    ax.set_title("Distribution of waits of answered callers")
    ax.legend(frameon=False, loc="lower right")
    ax.grid(alpha=0.3)
    return fig
