"""The formula methods: one stationary Erlang C / Erlang A requirement per interval, on a load that
depends on the method.

* ``sipp``: the interval's own arrivals (what every calculator does);
* ``lag-sipp``: the arrivals of the window one mean busy time earlier (Green, Kolesar & Soares 2001);
* ``mol``: the interval's mean modified offered load m(t), the infinite-server mean (Jennings,
  Mandelbaum, Massey & Whitt 1996), exact for the scenario's busy-time distribution.

The formula is applied to ``arrival rate = load / mean busy time``. An interval without arrivals needs no
agents, whatever load is still in service from before (those contacts are finished by agents whose shift
ends after their contact).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from sim.analytic import QueueKPIs, Target, lagged_rates, offered_load, queue_kpis, requirement
from sim.staffing.demand import Queue

KPI_COLUMNS = ("service_level", "wait_probability", "abandon_rate", "asa_seconds", "occupancy")
NO_DEMAND = "no demand"
OCCUPANCY = "occupancy_cap"


@dataclass
class Sized:
    """A queue's requirement in every interval of the horizon."""

    queue: Queue
    load: np.ndarray  # Erlangs the formula used
    fte: np.ndarray
    agents: np.ndarray
    binding: list[str]
    reason: list[str]
    predicted: dict[str, np.ndarray] = field(default_factory=dict)


def add_arrays(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """Element-wise sum of same-shaped arrays, added as ``sum`` adds them (``sum`` of none is the number 0)."""
    out = sum(arrays)
    if not isinstance(out, np.ndarray):
        raise ValueError("add_arrays() needs at least one array")
    return out


@dataclass(frozen=True)
class Formula:
    """How an interval's KPIs follow from its load and agents, for one queue."""

    aht: float
    patience: float | None
    threshold: float
    short_abandon: float
    definition: str

    def kpis(self, load: float, agents: int) -> QueueKPIs:
        return queue_kpis(load / self.aht, self.aht, agents, self.patience, self.threshold, self.short_abandon)

    def row(self, load: float, agents: int) -> dict[str, float]:
        """The predicted KPI columns at ``agents`` (NaN without load or agents)."""
        if load <= 0 or agents <= 0:
            return {name: math.nan for name in KPI_COLUMNS}
        return kpi_row(self.kpis(load, agents), self.definition)


def kpi_row(k: QueueKPIs, definition: str) -> dict[str, float]:
    return {"service_level": k.service_level[definition], "wait_probability": k.p_wait,
            "abandon_rate": k.abandon_rate, "asa_seconds": k.asa_seconds, "occupancy": k.occupancy}


def method_load(method: str, queue: Queue, lengths: np.ndarray, interval: float) -> np.ndarray:
    """The load (Erlangs) ``method`` staffs each interval for; zero where nothing arrives."""
    rates = queue.arrivals / lengths
    if method == "sipp":
        load = rates * queue.aht
    elif method == "lag-sipp":
        load = lagged_rates(rates, interval, queue.aht) * queue.aht
    else:  # mol, and the starting point of isa and simulate
        load = offered_load(rates, interval, queue.service)[1]
    return np.where(queue.arrivals > 0, load, 0.0)


def size(queue: Queue, load: np.ndarray, targets: list[Target], formula: Formula,
         occupancy_cap: float | None = None, max_agents: int | None = None) -> Sized:
    """The requirement for ``load`` in each interval, then the occupancy cap and the agent cap."""
    n = load.size
    out = Sized(queue, load, np.zeros(n), np.zeros(n, int), [NO_DEMAND] * n, [""] * n,
                {name: np.full(n, math.nan) for name in KPI_COLUMNS})
    cache: dict[float, tuple] = {}
    for k in np.flatnonzero(load > 0):
        key = float(load[k])
        if key not in cache:
            cache[key] = _one(key, targets, formula, occupancy_cap, max_agents)
        out.agents[k], out.fte[k], out.binding[k], out.reason[k], row = cache[key]
        for name, value in row.items():
            out.predicted[name][k] = value
    return out


def _one(load: float, targets: list[Target], formula: Formula, cap: float | None, max_agents: int | None):
    """(agents, fte, binding, reason, predicted KPIs) for one interval's load."""
    limit = max(5000, 10 * math.ceil(load))
    try:
        need = requirement(load / formula.aht, formula.aht, targets, patience=formula.patience,
                           threshold=formula.threshold, short_abandon=formula.short_abandon, max_agents=limit)
        agents, fte, binding, reason = need.agents, need.fte, need.binding.name, ""
    except ValueError as exc:
        return max_agents or 0, float(max_agents or 0), "unreachable", str(exc), formula.row(load, max_agents or 0)
    if cap is not None and fte < load / cap:
        fte, binding = load / cap, OCCUPANCY
        agents = max(agents, math.ceil(fte - 1e-9))
    if max_agents is not None and agents > max_agents:
        reason = f"needs {agents} agents; --max-agents {max_agents}"
        agents, fte = max_agents, float(max_agents)
    return agents, fte, binding, reason, formula.row(load, agents)
