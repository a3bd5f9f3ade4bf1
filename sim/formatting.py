"""How KPI values read to a manager, shared by the terminal tables and the HTML report."""

from __future__ import annotations

import math

from sim.kpis import bounds, describe
from sim.kpis import is_percent as registered_percent


def is_percent(kpi: str) -> bool:
    """Rates shown as percentages (per-channel ones included), from the KPI registry."""
    return registered_percent(kpi)


def is_count(kpi: str) -> bool:
    """Whole numbers of contacts or customers, shown without decimals."""
    entry = describe(kpi)
    return entry is not None and entry.unit == "count"


def fmt(kpi: str, value: float | None) -> str:
    """Rates as %, seconds to one or two decimals, counts whole; "–" for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):
        return "∞"
    if is_percent(kpi):
        return f"{100 * value:.1f}%"
    if is_count(kpi):
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"


def fmt_interval(kpi: str, low: float, high: float) -> str:
    """``low – high`` in the KPI's units, or "–" when there is no interval. A t-interval from few replications
    can pass what the KPI can take (a service level above 100%, fewer than 0 contacts); it is shown cut to
    that range (``sim.kpis.bounds``); the tables keep it as computed."""
    if math.isnan(low):
        return "–"
    lowest, highest = bounds(kpi)
    return f"{fmt(kpi, max(low, lowest))} – {fmt(kpi, min(high, highest))}"


def fmt_difference(kpi: str, value: float) -> str:
    """A signed difference; differences of rates are in percentage points."""
    if math.isnan(value):
        return "–"
    sign = "−" if value < 0 else "+"
    if is_percent(kpi):
        return f"{sign}{100 * abs(value):.1f} pts"
    return sign + fmt(kpi, abs(value))
