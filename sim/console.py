"""Terminal output: rich tables of KPIs, and the JSON shapes the CLI prints."""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console
from rich.table import Table

from sim.metrics import SUMMARY_KPIS

_PERCENT = ("service_level", "p_wait", "abandon_rate", "occupancy")


def fmt(kpi: str, value: float) -> str:
    """A KPI value the way a manager reads it: rates as %, seconds to one decimal, counts whole."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):
        return "∞"
    if kpi.startswith(_PERCENT):
        return f"{100 * value:.1f}%"
    if kpi in ("offered", "answered", "abandoned", "in_queue_end", "agents"):
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"


def summary_table(summary: pd.DataFrame, kpis: tuple[str, ...] = SUMMARY_KPIS) -> Table:
    """KPI | mean | 95% interval, for the rows of ``summary`` named in ``kpis``."""
    table = Table()
    table.add_column("KPI")
    table.add_column("mean", justify="right")
    table.add_column("95% interval", justify="right")
    rows = summary.set_index("kpi")
    for kpi in kpis:
        row = rows.loc[kpi]
        interval = "–" if math.isnan(row["ci_low"]) else f"{fmt(kpi, row['ci_low'])} – {fmt(kpi, row['ci_high'])}"
        table.add_row(kpi, fmt(kpi, row["mean"]), interval)
    return table


def comparison_table(analytic: dict, simulated: dict) -> Table:
    """Analytic value beside the simulated mean and interval, with a mark where the interval misses it."""
    table = Table()
    for name, justify in (("KPI", "left"), ("analytic", "right"), ("simulated", "right"),
                          ("95% interval", "right"), ("", "left")):
        table.add_column(name, justify=justify)
    for kpi, exact in analytic.items():
        if kpi not in simulated:
            table.add_row(kpi, fmt(kpi, exact), "", "", "")
            continue
        s = simulated[kpi]
        inside = s["ci_low"] <= exact <= s["ci_high"] if not math.isnan(s["ci_low"]) else None
        mark = {True: "✓", False: "outside", None: ""}[inside]
        table.add_row(kpi, fmt(kpi, exact), fmt(kpi, s["mean"]),
                      f"{fmt(kpi, s['ci_low'])} – {fmt(kpi, s['ci_high'])}", mark)
    return table


def summary_json(summary: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """``{kpi: {"mean", "ci_low", "ci_high"}}`` with NaN as null."""
    def clean(x: float) -> float | None:
        return None if x is None or math.isnan(x) else float(x)
    return {
        row.kpi: {"mean": clean(row.mean), "ci_low": clean(row.ci_low), "ci_high": clean(row.ci_high)}
        for row in summary.itertuples()
    }


def stdout() -> Console:
    return Console(highlight=False)
