"""A staffing result: each sized group's requirement per interval, and the requirements table.

Fractional FTE is kept until the end: ``gross_fte = net_fte / (1 - shrinkage)`` and only then rounded up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np
import pandas as pd

from sim.analytic import Target
from sim.config.schema import Scenario
from sim.staffing.demand import clock_of, weekday_of
from sim.staffing.formulas import KPI_COLUMNS, NO_DEMAND, Sized, add_arrays
from sim.staffing.request import Request

WORST = {"service_level": np.fmin, "wait_probability": np.fmax, "abandon_rate": np.fmax, "asa_seconds": np.fmax}


@dataclass
class GroupPlan:
    """One group's requirement in every interval of the horizon (agents on the floor)."""

    group: str
    channels: list[str]
    arrivals: np.ndarray  # expected contacts the group is sized for
    load: np.ndarray  # Erlangs the method used
    aht: np.ndarray  # mean busy time per contact, seconds
    fte: np.ndarray  # net, fractional
    agents: np.ndarray  # net, whole agents
    binding: list[str]
    reason: list[str]  # why the row is unmet ("" when met)
    predicted: dict[str, np.ndarray]
    simulated: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)  # mean, low, high


def merge(parts: list[Sized]) -> GroupPlan:
    """A group's plan from the queues it was sized for (one per channel): requirements add up, and the
    predicted KPIs are the worst of its channels (occupancy: of the whole group)."""
    first = parts[0]
    n = first.load.size
    agents = add_arrays(p.agents for p in parts)
    binding = [max(parts, key=lambda p: p.agents[k]).binding[k] if agents[k] else NO_DEMAND for k in range(n)]
    reason = ["; ".join(r for r in (p.reason[k] for p in parts) if r) for k in range(n)]
    predicted = {}
    for name, worst in WORST.items():
        values = [p.predicted[name] for p in parts]
        predicted[name] = values[0] if len(values) == 1 else worst.reduce(np.vstack(values))
    carried = add_arrays(np.nan_to_num(p.predicted["occupancy"]) * p.agents for p in parts)
    with np.errstate(invalid="ignore", divide="ignore"):
        predicted["occupancy"] = np.where(agents > 0, carried / agents, np.nan)
    arrivals = add_arrays(p.queue.arrivals for p in parts)
    with np.errstate(invalid="ignore", divide="ignore"):
        aht = add_arrays(p.queue.arrivals * p.queue.aht for p in parts) / arrivals
    return GroupPlan(first.queue.group, [p.queue.channel for p in parts], arrivals,
                     add_arrays(p.load for p in parts), aht, add_arrays(p.fte for p in parts), agents.astype(int),
                     binding, reason, predicted)


class StaffingMeta(TypedDict, total=False):
    """How a plan was made (``Staffing.meta``; written to manifest.json). Simulated methods add the runs."""

    method: str
    channels: list[str]
    groups: list[str]
    targets: list[str]  # as written (``str(target)``)
    thresholds: dict[str, float]  # every configured channel's service-level threshold, seconds
    replications: int
    seed: int
    simulation_runs: int
    wall_seconds: float
    isa: dict  # the iterative staffing algorithm's record (``isa.iterate``)
    search: dict  # the simulation search's record


@dataclass
class Staffing:
    """What ``servsim staff`` found: per group and interval, and how it got there."""

    scenario: Scenario
    request: Request
    targets: list[Target]
    groups: list[GroupPlan]
    channels: pd.DataFrame | None = None  # simulated KPIs per channel and interval (simulation methods)
    meta: StaffingMeta = field(default_factory=StaffingMeta)

    def group(self, name: str) -> GroupPlan:
        return next(g for g in self.groups if g.group == name)

    def requirements(self) -> pd.DataFrame:
        """One row per day x interval x group: the requirement, gross of shrinkage, and its KPIs."""
        scenario = self.scenario
        weekdays, clocks = weekday_of(scenario), clock_of(scenario)
        needed = np.any([g.fte > 0 for g in self.groups], axis=0)
        shrink = self.request.shrinkage.for_intervals(weekdays, clocks, needed)
        frames = [self._group_rows(g, weekdays, clocks, shrink) for g in self.groups]
        return pd.concat(frames, ignore_index=True).sort_values(["day", "interval", "group_order"], kind="stable") \
            .drop(columns=["interval", "group_order"]).reset_index(drop=True)

    def _group_rows(self, plan: GroupPlan, weekdays: list[str], clocks: list[str], shrink: np.ndarray) -> pd.DataFrame:
        scenario = self.scenario
        n = plan.agents.size
        gross = plan.fte / (1.0 - shrink)
        reason = list(plan.reason)
        works = scenario.agents[plan.group].days
        for k in np.flatnonzero(plan.agents > 0):
            if weekdays[k] not in works:
                reason[k] = "; ".join(filter(None, [reason[k], f"agents.{plan.group} does not work on {weekdays[k]}"]))
        frame = pd.DataFrame({
            "day": np.arange(n) // scenario.intervals_per_day,
            "weekday": weekdays,
            "interval_start": clocks,
            "channel": "+".join(plan.channels),
            "group": plan.group,
            "method": self.request.method,
            "arrivals": plan.arrivals,
            "aht_seconds": plan.aht,
            "offered_load": plan.load,
            "net_fte": plan.fte,
            "net_agents": plan.agents,
            "shrinkage": shrink,
            "gross_fte": gross,
            "gross_agents": np.ceil(gross - 1e-9).astype(int),
            "binding": plan.binding,
            "unmet": [bool(r) for r in reason],
            "reason": reason,
            **{name: plan.predicted[name] for name in KPI_COLUMNS},
            "interval": np.arange(n),
            "group_order": list(scenario.agents).index(plan.group),
        })
        for name, (mean, low, high) in plan.simulated.items():
            frame[f"simulated_{name}"] = mean
            frame[f"simulated_{name}_ci_low"] = low
            frame[f"simulated_{name}_ci_high"] = high
        return frame

    def summary(self) -> dict:
        """Totals a manager reads first: agent-hours per group, net and gross, and unmet intervals."""
        table = self.requirements()
        hours = self.scenario.interval / 3600.0
        out = {}
        for group, rows in table.groupby("group", sort=False):
            out[group] = {
                "net_agent_hours": float(rows["net_agents"].sum() * hours),
                "net_fte_hours": float(rows["net_fte"].sum() * hours),
                "gross_agent_hours": float(rows["gross_agents"].sum() * hours),
                "peak_net_agents": int(rows["net_agents"].max()),
                "unmet_intervals": int(rows["unmet"].sum()),
            }
        return out
