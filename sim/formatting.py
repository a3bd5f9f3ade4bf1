"""How KPI values read to a manager, shared by the terminal tables and the HTML report."""

from __future__ import annotations

import math

PERCENT_KPIS = ("service_level", "p_wait", "abandon_rate", "occupancy", "fcr", "transfer_rate", "repeat_rate",
                "balk_rate", "redial_rate", "channel_switch_rate", "csat_top_box", "survey_response_rate",
                "defection_rate", "churn_rate", "agent_attrition_rate")


def is_percent(kpi: str) -> bool:
    """Rates shown as percentages, including per-channel ones (``phone_service_level``)."""
    return kpi.startswith(PERCENT_KPIS) or kpi.endswith(PERCENT_KPIS)
COUNT_KPIS = ("offered", "answered", "abandoned", "in_queue_end", "agents", "active_customers_end")


def fmt(kpi: str, value: float | None) -> str:
    """Rates as %, seconds to one or two decimals, counts whole; "–" for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):
        return "∞"
    if is_percent(kpi):
        return f"{100 * value:.1f}%"
    if kpi in COUNT_KPIS:
        return f"{value:,.0f}"
    return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.1f}"


def fmt_interval(kpi: str, low: float, high: float) -> str:
    """``low – high`` in the KPI's units, or "–" when there is no interval."""
    return "–" if math.isnan(low) else f"{fmt(kpi, low)} – {fmt(kpi, high)}"


def fmt_difference(kpi: str, value: float) -> str:
    """A signed difference; differences of rates are in percentage points."""
    if math.isnan(value):
        return "–"
    sign = "−" if value < 0 else "+"
    if is_percent(kpi):
        return f"{sign}{100 * abs(value):.1f} pts"
    return sign + fmt(kpi, abs(value))
