"""Distribution charts: how long answered contacts waited (from per-contact records), and how served
customers answered the CSAT question and how frustrated contacts left (from the days table's counts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import product

import numpy as np
import pandas as pd
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from sim.plots.parts import finish, ink, legend_outside, scenario_labels
from sim.plots.style import MUTED, PALETTE, factor_label, figure, styled
from sim.records import FRUSTRATION_BINS
from sim.reduction import CSAT_COUNTS, FRUSTRATION_COUNTS

# Blue (good) through grey to vermilion (bad): a diverging Okabe-Ito scale, safe for colour-blind readers.
CSAT_COLOURS = ("#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2")
FRUSTRATION_COLOURS = ("#0072B2", "#56B4E9", "#B9DDF1", "#F5CD80", "#E69F00", "#D55E00")
WRITE_AT_LEAST = 4.0  # % of a bar: narrower segments go unlabelled


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
    handles, labels = ax.get_legend_handles_labels()
    legend_outside(ax, handles, labels, factor_label(by))
    finish(ax, "Wait (s)", "Answered contacts that waited\nat most this long (%)", "Waits of answered contacts")
    return fig


def shares(days: pd.DataFrame, columns: Sequence[str], scenarios: Sequence[int]) -> pd.DataFrame:
    """Each scenario's counts in ``columns`` pooled over days and replications, as % of its total (rows in the
    order of ``scenarios``; NaN for a scenario with no count at all)."""
    counts = days.groupby("scenario")[list(columns)].sum().reindex(list(scenarios)).astype(float)
    return counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0) * 100


@styled
def csat_distribution(days: pd.DataFrame, names: Mapping[int, str], baseline: str | None = None) -> Figure:
    """How served contacts answered the CSAT question (1-5), one 100% bar per scenario in ``names``."""
    table = shares(days, CSAT_COUNTS, list(names)).set_axis(["1", "2", "3", "4", "5"], axis=1)
    return _share_bars(table, list(names.values()), baseline, CSAT_COLOURS, "CSAT answer (1-5)",
                       "Served contacts (%)", "How customers rated the service (CSAT, all served contacts)")


@styled
def frustration_distribution(days: pd.DataFrame, names: Mapping[int, str], baseline: str | None = None) -> Figure:
    """Remembered frustration of contacts that ended, by bin of ``FRUSTRATION_BINS``, one bar per scenario."""
    table = shares(days, FRUSTRATION_COUNTS, list(names)).set_axis(frustration_bin_labels(), axis=1)
    return _share_bars(table, list(names.values()), baseline, FRUSTRATION_COLOURS, "Remembered frustration (0-1)",
                       "Contacts that ended (%)", "How frustrated customers left (remembered frustration)")


def frustration_bin_labels() -> list[str]:
    """``0-0.1``, ..., ``0.4-0.6``, ``0.6 or more``: the bins' ranges from their lower edges."""
    edges = list(FRUSTRATION_BINS)
    return [f"{low:g}-{high:g}" for low, high in zip(edges, edges[1:])] + [f"{edges[-1]:g} or more"]


def _share_bars(table: pd.DataFrame, names: list[str], baseline: str | None, colours: Sequence[str],
                legend_title: str, xlabel: str, title: str) -> Figure:
    """One horizontal 100% bar per scenario (first at the top), a segment per category, its share written in."""
    labels, ylabel = scenario_labels(names, baseline, sep=" ")
    fig, (ax,) = figure(8.0, max(3.0, 0.42 * len(names) + 1.8))
    left = np.zeros(len(table))
    for category, colour in zip(table.columns, colours):
        values = table[category].to_numpy(float)
        bars = ax.barh(np.arange(len(table)), values, left=left, color=colour, label=category, height=0.7)
        text = [f"{v:.0f}%" if v >= WRITE_AT_LEAST else "" for v in np.nan_to_num(values)]
        ax.bar_label(bars, text, label_type="center", fontsize=8, color=ink(to_rgba(colour)))
        left = left + np.nan_to_num(values)
    ax.set_yticks(np.arange(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_axisbelow(True)  # grid lines behind the bars
    ax.grid(True, axis="x")
    ax.grid(False, axis="y")
    handles, labels = ax.get_legend_handles_labels()
    legend_outside(ax, handles, labels, legend_title)
    finish(ax, xlabel, ylabel, title)
    return fig
