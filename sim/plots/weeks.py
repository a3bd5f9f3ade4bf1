"""Over-weeks charts from the days table: the customer base, loyalty, churn and the agent headcount as the
weeks go by, one line per scenario with its 95% band across replications."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from itertools import cycle

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from sim.metrics import confidence_interval
from sim.plots.parts import legend_outside, readable_ticks, scenario_labels
from sim.plots.style import (
    BASELINE,
    CURRENCY,
    MUTED,
    PALETTE,
    ceiling,
    figure,
    floor,
    kpi_label,
    kpi_name,
    scale,
    styled,
)

WEEK = 7  # days
# Rates are pooled per week, each day weighted by its exposure: a day has too few quits or defections to read.
WEEKLY = {"churn_rate": "active_customers_end", "agent_attrition_rate": "agents_employed"}
DAY_END = frozenset({"active_customers_end", "loyalty_mean"})  # snapshots taken as each day ends
CUMULATIVE = frozenset({"agents_quit", "agents_hired", "customers_lost", "customers_acquired"})  # summed from day 1


@styled
def over_weeks(days: pd.DataFrame, kpis: Sequence[str], names: Mapping[int, str], baseline: str | None = None,
               title: str | None = None, currency: str = CURRENCY, banded: Collection[int] | None = None) -> Figure:
    """``kpis`` over the horizon, a panel each, a line per scenario of ``names`` (index to name), with its 95% band
    over replications for the scenarios in ``banded`` (default: all): snapshots at day ends, time averages per
    day, ``WEEKLY`` rates per week, ``CUMULATIVE`` counts summed since the start."""
    fig, axes = figure(8.5, 1.3 + 2.5 * len(kpis), rows=len(kpis), sharex=True)
    labels, legend_title = scenario_labels(list(names.values()), baseline, sep=" ")
    banded = set(names) if banded is None else set(banded)
    styles = _line_styles(list(names.values()), baseline)
    for ax, kpi in zip(axes, kpis):
        for index, label, (colour, width) in zip(names, labels, styles):
            x, mean, low, high = _series(days[days["scenario"] == index], kpi)
            ax.plot(x, mean, color=colour, linewidth=width, label=label, marker="o" if kpi in WEEKLY else None,
                    markersize=4)
            if index in banded:
                ax.fill_between(x, low, high, color=colour, alpha=0.15, linewidth=0)
        ax.set_ylabel(_panel_label(kpi, currency))
        readable_ticks(ax.yaxis)
        ax.grid(True, axis="both")
    _weeks_axis(axes[-1], days)
    handles, texts = axes[0].get_legend_handles_labels()
    band = "95% interval" + ("" if banded >= set(names) else " (shaded lines)")
    legend_outside(axes[0], handles + [Patch(color=MUTED, alpha=0.35, linewidth=0)], texts + [band],
                   legend_title.replace(" (", "\n("))  # the factors under "Scenario": a narrower legend
    axes[0].set_title(title or " and ".join(kpi_name(k) for k in kpis) + " over the weeks")
    return fig


def _weeks_axis(ax: Axes, days: pd.DataFrame) -> None:
    """The shared x axis: weeks from the start, whole weeks ticked."""
    ax.set_xlim(days["day"].min() / WEEK, (days["day"].max() + 1) / WEEK)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("Weeks from the start of the horizon")


def _series(rows: pd.DataFrame, kpi: str) -> tuple[np.ndarray, ...]:
    """Positions (in weeks), mean and 95% interval over replications of ``kpi``, in display units."""
    rows, key = _per_period(rows, kpi)
    stats = [(group["x"].mean(), *confidence_interval(group[kpi])) for _, group in rows.groupby(key)]
    x, mean, low, high = (np.array(column, float) for column in zip(*stats)) if stats else [np.array([])] * 4
    k = scale(kpi)
    return x, mean * k, np.clip(low * k, floor(kpi), ceiling(kpi)), np.clip(high * k, floor(kpi), ceiling(kpi))


def _per_period(rows: pd.DataFrame, kpi: str) -> tuple[pd.DataFrame, str]:
    """``kpi`` per (replication, period) with the period's place ``x`` on the axis (in weeks), and the period."""
    if kpi in WEEKLY:
        return _pooled_by_week(rows, kpi, WEEKLY[kpi]), "week"
    if kpi in CUMULATIVE:
        rows = rows.sort_values(["replication", "day"])
        rows = rows.assign(**{kpi: rows.groupby("replication")[kpi].cumsum()})
    return rows.assign(x=(rows["day"] + (1.0 if kpi in DAY_END | CUMULATIVE else 0.5)) / WEEK), "day"


def _pooled_by_week(rows: pd.DataFrame, kpi: str, weight: str) -> pd.DataFrame:
    """``kpi`` per (replication, week): the mean of its days weighted by ``weight`` (the rate's exposure), placed
    in the middle of the week's days (a last, partial week is shorter)."""
    rows = rows[np.isfinite(rows[kpi]) & np.isfinite(rows[weight])]
    weighted = rows.assign(week=rows["day"] // WEEK, product=rows[kpi] * rows[weight], x=(rows["day"] + 0.5) / WEEK)
    sums = weighted.groupby(["replication", "week"]).agg(product=("product", "sum"), weight=(weight, "sum"),
                                                          x=("x", "mean"))
    return sums.assign(**{kpi: sums["product"] / sums["weight"].replace(0, np.nan)}).reset_index()


def _line_styles(names: list[str], baseline: str | None) -> list[tuple[str, float]]:
    """Colour and width per line: the baseline in its own colour and thicker, the others from the palette."""
    others = cycle([c for c in PALETTE if c != BASELINE])
    return [(BASELINE, 2.4) if name == baseline else (next(others), 1.6) for name in names]


def _panel_label(kpi: str, currency: str) -> str:
    """``Churn (weekly)`` over ``(% of customers per year)``: a panel's y label on two short lines."""
    name, _, unit = kpi_label(kpi, currency).partition(" (")
    name += " (weekly)" if kpi in WEEKLY else ""
    unit = "since the start)" if kpi in CUMULATIVE else unit
    return f"{name}\n({unit}" if unit else name
