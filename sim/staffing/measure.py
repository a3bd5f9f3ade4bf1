"""What a simulated plan achieved, per channel and decision slot, pooled over replications and tied weeks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config.schema import Scenario
from sim.experiment.executors import Outcome
from sim.staffing import runs
from sim.staffing.demand import clock_of, interval_lengths, weekday_of
from sim.staffing.slots import Slots

KPIS = ("service_level", "wait_probability", "abandon_rate", "asa_seconds")


@dataclass
class Measurement:
    channels: list[str]
    kpis: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # name -> (mean, low, high), each [channel, slot]
    offered: np.ndarray  # contacts per interval [channel, slot], mean over replications and tied intervals
    joined: np.ndarray  # ... of which did not balk (the contacts that need an agent)
    load: np.ndarray  # Erlangs [channel, slot]: rate of contacts that joined x mean busy time of the answered
    busy: dict[str, np.ndarray]  # group -> agents busy [replication, slot]
    counted: np.ndarray  # intervals pooled into each slot
    tallies: dict[str, np.ndarray]  # runs.TALLIES per [replication, channel, slot]
    definition: str

    def unit_kpis(self, channel: str, units: np.ndarray,
                  n_units: int) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """The channel's KPIs with slots pooled further into ``units`` (e.g. days for a backlog)."""
        c = self.channels.index(channel)
        keep = units >= 0
        t = {name: runs.sum_by(v[:, c, :][:, keep], units[keep], n_units) for name, v in self.tallies.items()}
        return runs.kpis(t, self.definition)

    def kpi(self, name: str, channel: str) -> np.ndarray:
        return self.kpis[name][0][self.channels.index(channel)]


def measure(outcomes: list[Outcome], scenario: Scenario, slots: Slots, thresholds: dict[str, float],
            definition: str, groups: list[str]) -> Measurement:
    """Tallies from the runs' contact records and interval tables, pooled into ``slots``."""
    index = slots.measured_slots
    t = runs.pooled(runs.tallies(outcomes, scenario, thresholds), index, slots.count)
    counted = np.bincount(index[index >= 0], minlength=slots.count).astype(float)
    lengths = runs.sum_by(interval_lengths(scenario)[index >= 0], index[index >= 0], slots.count)
    reps = len(outcomes)
    with np.errstate(invalid="ignore", divide="ignore"):
        offered = t["offered"].sum(axis=0) / (reps * counted)
        joined = (t["offered"] - t["balked"]).sum(axis=0) / (reps * counted)
        aht = t["busy"].sum(axis=0) / t["answered"].sum(axis=0)
        load = np.nan_to_num((t["offered"] - t["balked"]).sum(axis=0) / (reps * lengths) * aht)
        busy = {g: runs.sum_by(runs.busy_replications(outcomes, g)[:, index >= 0], index[index >= 0], slots.count)
                / counted for g in groups}
    return Measurement(list(thresholds), runs.kpis(t, definition), offered, joined, load, busy, counted, t,
                       definition)


def occupancy(m: Measurement, group: str, agents: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Simulated occupancy of ``group`` per slot at ``agents`` on the floor, with its 95% interval."""
    busy = m.busy[group]
    with np.errstate(invalid="ignore", divide="ignore"):
        per_rep = np.where(agents > 0, busy / np.maximum(agents, 1), np.nan)
    mean = per_rep.mean(axis=0)
    if busy.shape[0] < 2:
        return mean, np.full_like(mean, np.nan), np.full_like(mean, np.nan)
    from scipy import stats

    half = stats.t.ppf(0.975, busy.shape[0] - 1) * per_rep.std(axis=0, ddof=1) / np.sqrt(busy.shape[0])
    return mean, mean - half, mean + half


def channel_table(m: Measurement, scenario: Scenario, slots: Slots) -> pd.DataFrame:
    """One row per day x interval x channel of the horizon: what the simulation measured (its slot's values)."""
    weekdays, clocks = weekday_of(scenario), clock_of(scenario)
    frames = []
    for c, channel in enumerate(m.channels):
        s = slots.of
        frame = pd.DataFrame({
            "day": np.arange(s.size) // scenario.intervals_per_day, "weekday": weekdays, "interval_start": clocks,
            "channel": channel, "measured": slots.measured,
            "offered": m.offered[c][s], "offered_load": m.load[c][s],
        })
        for name in KPIS:
            mean, low, high = (x[c][s] for x in m.kpis[name])
            frame[f"simulated_{name}"], frame[f"simulated_{name}_ci_low"] = mean, low
            frame[f"simulated_{name}_ci_high"] = high
        frames.append(frame)
    return pd.concat(frames, ignore_index=True).sort_values(["day", "interval_start", "channel"], kind="stable") \
        .reset_index(drop=True)
