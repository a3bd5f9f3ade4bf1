"""KPIs from a run's tallies: per interval, per day and per run, and across replications with 95% intervals.

Rates use contacts whose fate is known (answered or abandoned); contacts still
queued when the run ends are counted in ``in_queue_end`` and left out of rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim.config.schema import DAY, SL_DEFINITIONS, Scenario
from sim.records import COUNT_FIELDS, LEVEL_FIELDS, SUM_FIELDS, RunOutput

KPI_DOCS = {
    "offered": "contacts that arrived",
    "answered": "contacts whose service started",
    "abandoned": "contacts that left the queue before service",
    "in_queue_end": "contacts still queued when the run ended (not in any rate)",
    "service_level": "answered within the threshold, over the denominator of the chosen definition",
    "service_level_offered": "answered within the threshold / (answered + abandoned)",
    "service_level_answered": "answered within the threshold / answered",
    "service_level_offered_excl_short_abandons": "answered within the threshold / (answered + abandoned - short abandons)",
    "asa_seconds": "average speed of answer: mean wait of answered contacts",
    "mean_wait_seconds": "mean wait of all contacts, abandoners counting their time until they left",
    "p_wait": "share of arrivals who found no free agent and queued",
    "abandon_rate": "abandoned / (answered + abandoned)",
    "occupancy": "agent time busy (handling + after-contact work) / agent time on duty",
    "aht_seconds": "average handle time of answered contacts, including after-contact work",
    "mean_queue_length": "time-average number of contacts waiting",
    "agents_mean": "time-average number of agents on duty",
}
KPIS = tuple(KPI_DOCS)
SUMMARY_KPIS = (
    "service_level", "asa_seconds", "mean_wait_seconds", "p_wait", "abandon_rate",
    "occupancy", "aht_seconds", "mean_queue_length", "offered", "answered", "abandoned",
)


def kpis_from_sums(sums: pd.DataFrame, definition: str) -> pd.DataFrame:
    """KPI columns computed row by row from summed tallies (the rows may be intervals, days or runs)."""
    s = sums
    known = s["answered"] + s["abandoned"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame(index=s.index)
        for name in ("offered", "answered", "abandoned", "in_queue_end"):
            out[name] = s[name]
        out["service_level_offered"] = s["answered_within"] / known
        out["service_level_answered"] = s["answered_within"] / s["answered"]
        out["service_level_offered_excl_short_abandons"] = s["answered_within"] / (known - s["short_abandoned"])
        out.insert(4, "service_level", out[f"service_level_{definition}"])
        out["asa_seconds"] = s["wait_answered_sum"] / s["answered"]
        out["mean_wait_seconds"] = (s["wait_answered_sum"] + s["wait_abandoned_sum"]) / known
        out["p_wait"] = s["delayed"] / s["offered"]
        out["abandon_rate"] = s["abandoned"] / known
        out["occupancy"] = s["busy_area"] / s["staffed_area"]
        out["aht_seconds"] = s["handle_sum"] / s["answered"]
        out["mean_queue_length"] = s["queue_area"] / s["length_seconds"]
        out["agents_mean"] = s["staffed_area"] / s["length_seconds"]
    return out.replace([np.inf, -np.inf], np.nan)


def _interval_sums(output: RunOutput) -> pd.DataFrame:
    """Slot tallies summed over tiers, joined to the interval levels."""
    counts = output.slots.groupby("interval", observed=True)[list(COUNT_FIELDS + SUM_FIELDS)].sum()
    levels = output.levels.set_index("interval")
    return counts.join(levels)


def interval_kpis(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per interval: start time, day, scheduled agents and every KPI."""
    sums = _interval_sums(output)
    frame = kpis_from_sums(sums, scenario.service_level.definition)
    frame.insert(0, "start_seconds", sums["start_seconds"])
    frame.insert(1, "day", (sums["start_seconds"] // DAY).astype(int))
    frame.insert(2, "agents_scheduled", sums["agents_scheduled"])
    return frame.reset_index()


def _after_warmup(sums: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    return sums[sums["start_seconds"] >= scenario.warmup - 1e-9]


def run_kpis(output: RunOutput, scenario: Scenario) -> dict[str, float]:
    """The whole run's KPIs (intervals before the warm-up left out)."""
    sums = _after_warmup(_interval_sums(output), scenario)
    total = sums[list(COUNT_FIELDS + SUM_FIELDS + LEVEL_FIELDS) + ["length_seconds"]].sum().to_frame().T
    return kpis_from_sums(total, scenario.service_level.definition).iloc[0].to_dict()


def daily_kpis(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per day (after the warm-up)."""
    sums = _after_warmup(_interval_sums(output), scenario)
    day = (sums["start_seconds"] // DAY).astype(int).rename("day")
    columns = list(COUNT_FIELDS + SUM_FIELDS + LEVEL_FIELDS) + ["length_seconds"]
    return kpis_from_sums(sums[columns].groupby(day).sum(), scenario.service_level.definition).reset_index()


def tier_kpis(output: RunOutput, scenario: Scenario) -> pd.DataFrame:
    """One row per customer tier (after the warm-up); level KPIs are shared and left out."""
    slots = output.slots[output.slots["start_seconds"] >= scenario.warmup - 1e-9]
    sums = slots.groupby("tier", observed=False)[list(COUNT_FIELDS + SUM_FIELDS)].sum()
    for name in LEVEL_FIELDS + ("length_seconds",):
        sums[name] = np.nan
    frame = kpis_from_sums(sums, scenario.service_level.definition)
    return frame.drop(columns=["occupancy", "mean_queue_length", "agents_mean"]).reset_index()


def confidence_interval(values: pd.Series, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and Student-t interval over replications (NaN bounds with fewer than two)."""
    values = values.dropna()
    n = len(values)
    mean = float(values.mean()) if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf(0.5 + level / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def summarise(runs: pd.DataFrame, kpis: tuple[str, ...] = KPIS, level: float = 0.95) -> pd.DataFrame:
    """One row per KPI: mean, ci_low, ci_high and the number of replications."""
    rows = []
    for name in kpis:
        mean, low, high = confidence_interval(runs[name], level)
        rows.append({"kpi": name, "mean": mean, "ci_low": low, "ci_high": high, "n": int(runs[name].notna().sum())})
    return pd.DataFrame(rows)


__all__ = [
    "KPIS", "KPI_DOCS", "SL_DEFINITIONS", "SUMMARY_KPIS", "confidence_interval", "daily_kpis",
    "interval_kpis", "kpis_from_sums", "run_kpis", "summarise", "tier_kpis",
]
