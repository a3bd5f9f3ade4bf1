"""Simulating a staffing plan, and what the simulation methods read from the runs.

Runs go through the experiment executors (serial, processes or Dask) with the same random streams for
every plan (replication r of every plan sees the same customers), so two plans differ only by their
staffing. Per-contact records (arrival, wait, busy time, outcome) give each channel's interval tallies
and the number of contacts in system at every moment; the interval table gives each group's busy agents.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from sim.config.behaviour import Behaviour
from sim.config.schema import Output, Scenario
from sim.experiment.executors import Outcome, execute
from sim.experiment.spec import RunSpec
from sim.reduction import RunTables

ANSWERED, ABANDONED, QUEUED_AT_END, BALKED = "answered", "abandoned", "queued_at_end", "balked"
TALLIES = ("offered", "balked", "answered", "within", "abandoned", "short", "delayed", "wait_answered", "busy")


def scheduled(net: int, training_share: float) -> int:
    """Agents to schedule so that at least ``net`` are on the floor after training time off.

    The engine takes the training share off each interval by error diffusion, never more than
    ``ceil(scheduled x share)`` agents, so the smallest S with S - ceil(S share) >= net is enough.
    """
    if net <= 0 or training_share <= 0:
        return max(0, int(net))
    s = math.ceil(net / (1.0 - training_share)) if training_share < 1 else net
    while s - math.ceil(s * training_share - 1e-9) < net:
        s += 1
    return s


def training_share(scenario: Scenario, group: str) -> float:
    spec = scenario.agents[group]
    return min(1.0, spec.training_hours / spec.paid_hours_per_year)


def staffing_lists(scenario: Scenario, plans: dict[str, np.ndarray]) -> dict[str, list[int]]:
    """Each group's ``staffing`` (one headcount per interval of the horizon) that puts ``plans`` on the floor."""
    return {g: [scheduled(int(n), training_share(scenario, g)) for n in net] for g, net in plans.items()}


def with_plan(scenario: Scenario, plans: dict[str, np.ndarray], plain_queue: bool = False) -> Scenario:
    """``scenario`` with those groups' staffing replaced (``extra_agents`` dropped), contacts recorded,
    and with ``plain_queue`` the behaviour model off."""
    agents = dict(scenario.agents)
    for group, staffing in staffing_lists(scenario, plans).items():
        agents[group] = agents[group].model_copy(update={"staffing": staffing, "extra_agents": 0})
    update = {"agents": agents, "output": Output(contacts=True)}
    if plain_queue:
        update["behaviour"] = Behaviour(enabled=False)
    return scenario.model_copy(update=update)


@dataclass
class Runner:
    """Runs plans with fixed replications and seed on an executor, reporting progress."""

    replications: int
    seed: int
    executor: str = "local"
    jobs: int | None = None
    on_start: Callable[[int, int], None] | None = None
    on_outcome: Callable[[Outcome], None] | None = None
    planned: int | None = None  # runs at most (the progress bar's total); one batch if unknown
    runs: int = 0

    def __call__(self, scenario: Scenario) -> list[Outcome]:
        tasks = [(scenario, RunSpec(0, r, self.seed)) for r in range(self.replications)]
        if self.on_start is not None:
            self.on_start(max(self.planned or 0, self.runs + self.replications), self.runs)
        outcomes = []
        for outcome in execute(tasks, self.executor, self.jobs, lean=True):
            if outcome.error is not None:
                raise RuntimeError(f"a simulation run failed (replication {outcome.spec.replication}): "
                                   f"{outcome.error}")
            outcomes.append(outcome)
            if self.on_outcome is not None:
                self.on_outcome(outcome)
        self.runs += len(outcomes)
        return sorted(outcomes, key=lambda o: o.spec.replication)


def tallies(outcomes: list[Outcome], scenario: Scenario, thresholds: dict[str, float]) -> dict[str, np.ndarray]:
    """Per replication, channel (``thresholds`` order) and interval of arrival: counts and sums ``TALLIES``."""
    channels = list(thresholds)
    shape = (len(outcomes), len(channels), scenario.n_intervals)
    out = {name: np.zeros(shape) for name in TALLIES}
    short = scenario.service_level.short_abandon
    for r, outcome in enumerate(outcomes):
        contacts = outcome.contacts
        assert contacts is not None, "the plans' runs record their contacts (simulated_scenario)"
        k = np.minimum((contacts["arrival_seconds"].to_numpy() // scenario.interval).astype(int),
                       scenario.n_intervals - 1)
        wait = contacts["wait_seconds"].to_numpy()
        outcome_ = contacts["outcome"].astype(str).to_numpy()
        channel = contacts["channel"].astype(str).to_numpy()
        answered, abandoned = outcome_ == ANSWERED, outcome_ == ABANDONED
        for c, name in enumerate(channels):
            mine = channel == name
            columns = {
                "offered": mine, "balked": mine & (outcome_ == BALKED), "answered": mine & answered,
                "within": mine & answered & (wait <= thresholds[name]),
                "abandoned": mine & abandoned, "short": mine & abandoned & (wait <= short),
                "delayed": mine & (outcome_ != BALKED) & (wait > 0),
            }
            for field, select in columns.items():
                out[field][r, c] = np.bincount(k[select], minlength=shape[2])
            out["wait_answered"][r, c] = np.bincount(k[mine & answered], wait[mine & answered], shape[2])
            handle = contacts["handle_seconds"].to_numpy()
            out["busy"][r, c] = np.bincount(k[mine & answered], handle[mine & answered], shape[2])
    return out


def pooled(t: dict[str, np.ndarray], slots: np.ndarray, n_slots: int) -> dict[str, np.ndarray]:
    """Sum interval tallies into decision slots (``slots[k]``; -1 for intervals not measured)."""
    keep = slots >= 0
    return {name: sum_by(values[..., keep], slots[keep], n_slots) for name, values in t.items()}


def sum_by(values: np.ndarray, index: np.ndarray, n: int) -> np.ndarray:
    """Sum the last axis of ``values`` into ``n`` bins by ``index``."""
    flat = values.reshape(-1, values.shape[-1])
    out = np.zeros((flat.shape[0], n))
    for row in range(flat.shape[0]):
        out[row] = np.bincount(index, flat[row], n)
    return out.reshape(values.shape[:-1] + (n,))


def kpis(t: dict[str, np.ndarray], definition: str,
         level: float = 0.95) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per channel and slot: each KPI pooled over replications (a ratio of sums) with its 95% interval.

    The interval is the ratio estimator's: replications are independent, so the spread of
    ``numerator_r - ratio x denominator_r`` over them gives its standard error.
    """
    known = t["answered"] + t["abandoned"]
    denominators = {"offered": known, "answered": t["answered"], "offered_excl_short_abandons": known - t["short"]}
    pairs = {
        "service_level": (t["within"], denominators[definition]),
        "wait_probability": (t["delayed"], t["offered"]),
        "abandon_rate": (t["abandoned"], known),
        "asa_seconds": (t["wait_answered"], t["answered"]),
    }
    return {name: ratio(num, den, level) for name, (num, den) in pairs.items()}


def ratio(num: np.ndarray, den: np.ndarray, level: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ratio of sums over replications, low, high); axis 0 is the replication. NaN where nothing was counted."""
    total_num, total_den = num.sum(axis=0), den.sum(axis=0)
    r = num.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        estimate = np.where(total_den > 0, total_num / total_den, np.nan)
        if r < 2:
            return estimate, np.full_like(estimate, np.nan), np.full_like(estimate, np.nan)
        residual = num - np.nan_to_num(estimate) * den
        se = np.sqrt((residual**2).sum(axis=0) / (r * (r - 1))) / (total_den / r)
    half = stats.t.ppf(0.5 + level / 2, r - 1) * se
    return estimate, estimate - half, estimate + half


def busy_replications(outcomes: list[Outcome], group: str) -> np.ndarray:
    """Agents busy per replication (rows) and interval."""
    return np.vstack([_tables(o).intervals[f"{group}_agents_busy"].to_numpy() for o in outcomes])


def _tables(outcome: Outcome) -> RunTables:
    assert outcome.tables is not None, "Runner returns only the runs that succeeded"
    return outcome.tables


def in_system_seconds(contacts: pd.DataFrame, channel: str, interval: float, n_intervals: int,
                      horizon: float) -> np.ndarray:
    """Seconds spent with j contacts of ``channel`` in system, per interval: array [interval, j].

    A contact is in system from its arrival until it leaves: arrival + wait (+ busy time if answered),
    the horizon if it was still queued at the end; balked walk-ins never enter.
    """
    mine = contacts[(contacts["channel"].astype(str) == channel) & (contacts["outcome"].astype(str) != BALKED)]
    arrival = mine["arrival_seconds"].to_numpy()
    outcome = mine["outcome"].astype(str).to_numpy()
    leave = arrival + mine["wait_seconds"].to_numpy() + np.where(outcome == ANSWERED, mine["handle_seconds"], 0.0)
    leave = np.where(outcome == QUEUED_AT_END, horizon, np.minimum(leave, horizon))
    boundaries = np.arange(n_intervals + 1) * interval
    times = np.concatenate([arrival, leave, boundaries])
    steps = np.concatenate([np.ones(arrival.size), -np.ones(leave.size), np.zeros(boundaries.size)])
    order = np.lexsort((steps, times))  # at equal times leave first: a level never overshoots
    times, level = times[order], np.cumsum(steps[order]).astype(int)
    durations = np.diff(times)
    k = np.minimum((times[:-1] // interval).astype(int), n_intervals - 1)
    top = int(level.max()) + 1 if level.size else 1
    out = np.zeros((n_intervals, top + 1))
    np.add.at(out, (k, level[:-1]), durations)
    return out
