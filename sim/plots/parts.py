"""Pieces every chart module shares: means and intervals in display units, scenario names as ticks and
legend entries, the legend beside the axes, and the title and axis labels every chart carries."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.ticker import FuncFormatter

from sim.formatting import fmt, is_percent
from sim.plots.style import ceiling, floor, scale


def kpi_values(summary: pd.DataFrame, kpi: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, CI low and CI high of ``kpi`` per row in display units, intervals cut to what the KPI can be."""
    k = scale(kpi)
    mean, low, high = (summary[f"{kpi}_{part}"].to_numpy(float) * k for part in ("mean", "ci_low", "ci_high"))
    return mean, np.clip(low, floor(kpi), ceiling(kpi)), np.clip(high, floor(kpi), ceiling(kpi))


def compact(kpi: str, value: float) -> str:
    """``fmt`` for a cell or a bar, large amounts shortened: 146.2 k customers, 7.34 M EUR."""
    if is_percent(kpi) or not np.isfinite(value) or abs(value) < 10_000:
        return fmt(kpi, value)
    return f"{value / 1e6:,.2f} M" if abs(value) >= 1e6 else f"{value / 1e3:,.1f} k"


def readable_ticks(*axes: Axis) -> None:
    """Tick labels without a ``1e6`` offset, once the data are drawn: 146,000 customers, 7.3 M; axes of
    smaller values keep matplotlib's labels."""
    def label(value: float, _) -> str:
        return f"{value / 1e6:.3g} M" if abs(value) >= 1e6 else f"{value:,.0f}"
    for axis in axes:
        if np.nanmax(np.abs(axis.get_view_interval())) >= 1e4:
            axis.set_major_formatter(FuncFormatter(label))


def errors(mean: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Error-bar lengths below and above each mean; zero where there is no interval (one replication)."""
    return np.nan_to_num(np.vstack([mean - low, high - mean]), nan=0.0).clip(min=0)


def short_names(names: list[str]) -> tuple[list[str], str | None]:
    """Grid scenario names ``a=1, b=2`` shortened to ``1, 2``, with ``a, b`` to say what they are."""
    keys = [part.split("=", 1)[0] for part in names[0].split(", ")] if names else []
    if not names or not all(n.count("=") == len(keys) and "=" in n for n in names):
        return names, None
    return [", ".join(part.split("=", 1)[1] for part in n.split(", ")) for n in names], ", ".join(keys)


def scenario_labels(names: list[str], baseline: str | None = None, sep: str = "\n") -> tuple[list[str], str]:
    """Short scenario names with the baseline marked, and the axis or legend title that says what they are."""
    labels, keys = short_names(names)
    labels = [f"{t}{sep}(baseline)" if n == baseline else t for t, n in zip(labels, names)]
    return labels, f"Scenario ({keys})" if keys else "Scenario"


def scenario_ticks(ax: Axes, names: list[str], baseline: str | None = None) -> str:
    """Scenario names as x ticks (shortened, the baseline marked, slanted if crowded); returns the x label."""
    labels, title = scenario_labels(names, baseline)
    room = ax.figure.figure.get_figwidth() * 0.75 / max(len(labels), 1)  # inches per category (whole figure)
    slant = max((len(line) for t in labels for line in t.split("\n")), default=0) * 0.075 > room
    ax.set_xticks(np.arange(len(labels)), labels, rotation=30 if slant else 0, ha="right" if slant else "center",
                  rotation_mode="anchor")
    return title


def legend_outside(ax: Axes, handles: list, labels: list, title: str | None = None) -> None:
    """A legend to the right of the axes, where it can never cover data."""
    ax.legend(handles, labels, title=title, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)


def finish(ax: Axes, xlabel: str, ylabel: str, title: str) -> None:
    """Axis labels and title: every chart has all three."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    width = ax.figure.figure.get_figwidth() * (0.75 if ax.get_legend() is not None else 1.0)
    ax.set_title(textwrap.fill(title, max(30, int(width * 9))))  # about 9 characters an inch at 12 pt: never clipped


def ink(rgba: tuple[float, ...] | np.ndarray) -> str:
    """Black or white text, whichever reads better on a background of colour ``rgba``."""
    r, g, b = rgba[:3]
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"
