"""Charts from result tables only (never a model run): each function returns a styled ``Figure``.

Values are drawn in display units (rates as %, times in seconds, money in the scenario's currency) and
written with ``sim.formatting.fmt`` (large amounts as 7.34 M), so a chart reads like the terminal tables
and the report. Factor columns are dotted config paths; axes show their last component. The intraday,
over-weeks and distribution charts have modules of their own.
"""

from __future__ import annotations

from itertools import cycle, product

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sim.kpis import REGISTRY
from sim.metrics import confidence_interval
from sim.plots.parts import (
    compact,
    errors,
    finish,
    ink,
    kpi_values,
    legend_outside,
    readable_ticks,
    scenario_ticks,
    short_names,
)
from sim.plots.style import (
    BASELINE,
    CURRENCY,
    MUTED,
    PALETTE,
    colormap,
    factor_label,
    figure,
    kpi_label,
    kpi_name,
    lower_is_better,
    scale,
    styled,
)

ANNOTATE_AT_MOST = 20  # scenarios; more names than this on a scatter become clutter (a 4 x 4 grid is labelled)


@styled
def heatmap(summary: pd.DataFrame, x: str, y: str, kpi: str, currency: str = CURRENCY) -> Figure:
    """Mean of ``kpi`` over two factors, the value in each cell; brighter is better for every KPI."""
    xs, ys = _order(summary[x]), _order(summary[y])
    grid = summary.pivot_table(index=y, columns=x, values=f"{kpi}_mean", aggfunc="mean", dropna=False)
    raw = grid.reindex(index=ys, columns=xs).to_numpy(float)  # other factors, if any, are averaged over
    fig, (ax,) = figure(max(5.5, 1.1 * len(xs) + 3.5), max(3.5, 0.6 * len(ys) + 2.2))
    image = ax.imshow(np.ma.masked_invalid(raw * scale(kpi)), cmap=colormap(kpi), aspect="auto", origin="lower")
    labels = cell_labels(kpi, raw, currency)
    for (i, j), value in np.ndenumerate(raw):
        colour = ink(image.cmap(image.norm(value * scale(kpi)))) if np.isfinite(value) else "black"
        ax.text(j, i, str(labels[i, j]), ha="center", va="center", fontsize=9, color=colour)
    ax.set_xticks(range(len(xs)), [_tick(v) for v in xs])
    ax.set_yticks(range(len(ys)), [_tick(v) for v in ys])
    ax.grid(False)
    ax.spines[:].set_visible(False)
    bar = fig.colorbar(image, ax=ax, label=f"{kpi_label(kpi, currency)}, mean")
    readable_ticks(bar.ax.yaxis)
    if lower_is_better(kpi):
        bar.ax.invert_yaxis()  # better (brighter) at the top of the scale, as for every KPI
    xname, yname = factor_label(x), factor_label(y)
    finish(ax, xname, yname, f"{kpi_name(kpi)} by {xname.lower()} and {yname.lower()}")
    return fig


def cell_labels(kpi: str, raw: np.ndarray, currency: str = CURRENCY) -> np.ndarray:
    """Each cell's value as text, with enough digits that cells of different colour never read the same; money
    with its currency (``7.34 M EUR``), since a cell is read apart from the colourbar's label."""
    labels = np.vectorize(lambda v: compact(kpi, v), otypes=[object])(raw)
    finite = raw[np.isfinite(raw)]
    for digits in (3, 4, 5):
        if len(set(labels[np.isfinite(raw)])) >= len(np.unique(np.round(finite * scale(kpi), 6))):
            break
        labels = np.vectorize(lambda v, d=digits: f"{v * scale(kpi):.{d}g}" if np.isfinite(v) else "–",
                              otypes=[object])(raw)
    if kpi in REGISTRY and REGISTRY[kpi].unit == "money":
        labels[np.isfinite(raw)] = [f"{text} {currency}" for text in labels[np.isfinite(raw)]]
    return labels


@styled
def kpi_by_factor(summary: pd.DataFrame, x: str, kpi: str, by: str | None = None, currency: str = CURRENCY) -> Figure:
    """Mean of ``kpi`` against factor ``x`` with its shaded 95% band, one line per level of factor ``by``."""
    xs = _order(summary[x])
    positions = np.array(xs, float) if _numeric(summary[x]) else np.arange(len(xs), dtype=float)
    fig, (ax,) = figure()
    columns = [f"{kpi}_{part}" for part in ("mean", "ci_low", "ci_high")]
    for level, colour in zip(_order(summary[by]) if by else [None], cycle(PALETTE)):
        rows = summary if by is None else summary[summary[by] == level]
        rows = rows.groupby(x)[columns].mean().reindex(xs)  # other factors, if any, are averaged over
        mean, low, high = kpi_values(rows, kpi)
        ax.plot(positions, mean, marker="o", color=colour, label="mean" if by is None else _tick(level))
        ax.fill_between(positions, low, high, color=colour, alpha=0.2, linewidth=0)
    ax.set_xticks(positions, [_tick(v) for v in xs])
    readable_ticks(ax.yaxis)
    ax.grid(True, axis="both")
    handles, labels = ax.get_legend_handles_labels()
    band = Patch(color=MUTED, alpha=0.35, linewidth=0)
    legend_outside(ax, handles + [band], labels + ["95% interval"], factor_label(by) if by else None)
    finish(ax, factor_label(x), kpi_label(kpi, currency), f"{kpi_name(kpi)} against {factor_label(x).lower()}")
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
def tradeoff(summary: pd.DataFrame, cost: str, value: str, currency: str = CURRENCY) -> Figure:
    """Each scenario's ``cost`` KPI against its ``value`` KPI with 95% error bars; the Pareto frontier drawn."""
    (cx, clo, chi), (vy, vlo, vhi) = kpi_values(summary, cost), kpi_values(summary, value)
    front = pareto_front(cx, vy, lower_is_better(cost), lower_is_better(value))
    fig, (ax,) = figure()
    ax.errorbar(cx, vy, xerr=errors(cx, clo, chi), yerr=errors(vy, vlo, vhi), fmt="o", color=PALETTE[0],
                ecolor=MUTED, elinewidth=1, capsize=2, label="scenario (mean, 95% interval)")
    ax.plot(cx[front], vy[front], color=BASELINE, marker="o", linewidth=2, zorder=3,
            label="Pareto frontier (beaten on neither axis)")
    handles, labels = (part[::-1] for part in ax.get_legend_handles_labels())  # scenarios, then frontier
    if len(summary) <= ANNOTATE_AT_MOST:
        names, keys = short_names(summary["scenario_name"].astype(str).tolist())
        for name, px, py in zip(names, cx, vy):
            ax.annotate(name, (px, py), xytext=(5, 4), textcoords="offset points", fontsize=8, color="#444444")
        ax.margins(x=0.15, y=0.08)  # room for the names at the edges
        if keys:
            handles, labels = handles + [Line2D([], [], linestyle="none")], labels + [f"labels: {keys}"]
    readable_ticks(ax.xaxis, ax.yaxis)
    ax.grid(True, axis="both")
    legend_outside(ax, handles, labels)
    finish(ax, kpi_label(cost, currency), kpi_label(value, currency),
           f"{kpi_name(value)} against {kpi_name(cost).lower()}")
    return fig


@styled
def scenario_bars(summary: pd.DataFrame, kpi: str, baseline: str | None = None, currency: str = CURRENCY) -> Figure:
    """One bar per scenario with its 95% error bar and value; the ``baseline`` scenario in its own colour."""
    names = summary["scenario_name"].astype(str).tolist()
    mean, low, high = kpi_values(summary, kpi)
    fig, (ax,) = figure(max(5.0, 0.9 * len(names) + 2.5), 4.5)
    bars = ax.bar(range(len(names)), mean, yerr=errors(mean, low, high), capsize=4, ecolor="#333333",
                  color=[BASELINE if n == baseline else PALETTE[0] for n in names])
    ax.bar_label(bars, [compact(kpi, m / scale(kpi)) for m in mean], label_type="center", color="white", fontsize=9)
    readable_ticks(ax.yaxis)
    xlabel = scenario_ticks(ax, names, baseline)
    finish(ax, xlabel, kpi_label(kpi, currency), f"{kpi_name(kpi)} by scenario (mean and 95% interval)")
    return fig


@styled
def tier_comparison(tiers: pd.DataFrame, summary: pd.DataFrame, kpi: str) -> Figure:
    """Grouped bars of ``kpi`` per customer tier in each scenario: mean over replications, 95% t intervals."""
    scenarios = summary["scenario"].tolist()
    levels = list(dict.fromkeys(tiers["tier"].astype(str)))
    stats = _tier_stats(tiers, kpi).reindex(list(product(scenarios, levels)))
    width = 0.8 / len(levels)
    fig, (ax,) = figure(max(6.5, 0.35 * len(scenarios) * len(levels) + 3.5), 4.8)
    for t, (tier, colour) in enumerate(zip(levels, cycle(PALETTE))):
        mean, low, high = kpi_values(stats.xs(tier, level="tier").reindex(scenarios), kpi)
        ax.bar(np.arange(len(scenarios)) + (t - (len(levels) - 1) / 2) * width, mean, width, color=colour,
               yerr=errors(mean, low, high), capsize=2, ecolor="#333333", label=tier)
    xlabel = scenario_ticks(ax, summary["scenario_name"].astype(str).tolist())
    handles, labels = ax.get_legend_handles_labels()
    legend_outside(ax, handles, labels, "Customer tier")
    finish(ax, xlabel, kpi_label(kpi), f"{kpi_name(kpi)} by customer tier (mean and 95% interval)")
    return fig


def _tier_stats(tiers: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """Mean and 95% t interval of ``kpi`` per (scenario, tier), in summary-style columns."""
    rows = [(scenario, str(tier), *confidence_interval(group[kpi]))
            for (scenario, tier), group in tiers.groupby(["scenario", "tier"], observed=True)]
    frame = pd.DataFrame(rows, columns=["scenario", "tier", f"{kpi}_mean", f"{kpi}_ci_low", f"{kpi}_ci_high"])
    return frame.set_index(["scenario", "tier"])


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
