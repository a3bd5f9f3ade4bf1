"""Turning simulated runs into a group's rows: the measured load, the formula's prediction at it, the
simulated KPIs with their intervals, the target that bound, the misses, and the offered-load floor."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from sim.analytic import Target
from sim.analytic.service_time import Scaled
from sim.config.schema import Scenario
from sim.staffing.demand import Queue, interval_lengths, open_mask, worked
from sim.staffing.formulas import NO_DEMAND, Formula, Sized, add_arrays, method_load, size
from sim.staffing.measure import Measurement
from sim.staffing.measure import occupancy as simulated_occupancy
from sim.staffing.plan import WORST, GroupPlan, merge
from sim.staffing.search import KPI_OF
from sim.staffing.slots import Slots


def starting_plan(scenario: Scenario, group: str, parts: list[Sized]) -> np.ndarray:
    """The formula plan where the group has contacts of its own, else its staffing in the scenario."""
    if parts:
        return add_arrays(s.agents for s in parts).astype(int)
    spec = scenario.agents[group]
    return np.asarray(spec.plan(scenario.n_intervals, scenario.intervals_per_day), int)


def measured_queues(scenario, targets, sized, m: Measurement, slots: Slots, formula_for, occupancy_cap=None,
                    max_agents=None) -> dict[str, list]:
    """Each group's queues re-sized (MOL) on the contacts and busy time the simulation measured."""
    lengths = interval_lengths(scenario)
    out: dict[str, list] = {}
    for s in sized:
        q, c = s.queue, m.channels.index(s.queue.channel)
        counts = m.joined[c][slots.of]
        counts = worked(q.channel, counts, open_mask(scenario, q.channel))
        fresh = _channel_aht(q, sized)
        answered = m.tallies["answered"][:, c].sum()
        aht = m.tallies["busy"][:, c].sum() / answered if answered else fresh
        queue = Queue(q.group, q.channel, q.issues, q.share, counts * q.share,
                      Scaled(q.service, aht / fresh), q.patience)
        load = method_load("mol", queue, lengths, scenario.interval)
        formula = formula_for(queue)
        out.setdefault(q.group, []).append((size(queue, load, targets, formula, occupancy_cap, max_agents), formula))
    return out


def _channel_aht(queue: Queue, sized: list[Sized]) -> float:
    """Mean busy time over all of a channel's fresh contacts (every group's queue on it)."""
    parts = [s.queue for s in sized if s.queue.channel == queue.channel]
    total = sum(p.share for p in parts)
    return sum(p.share * p.aht for p in parts) / total


def load_floor(scenario: Scenario, problem, m: Measurement, agents: dict[str, np.ndarray]):
    """Raise the busiest sized group wherever the groups together have fewer agents than the offered load
    (measured, backlog spread over its opening hours): no pool can work above 100%."""
    slots, lengths = problem.slots, interval_lengths(scenario)
    total = np.zeros(scenario.n_intervals)
    for c, channel in enumerate(m.channels):
        if channel not in problem.channels:
            continue
        answered = m.tallies["answered"][:, c].sum()
        aht = m.tallies["busy"][:, c].sum() / answered if answered else 0.0
        counts, is_open = m.joined[c][slots.of], open_mask(scenario, channel)
        counts = worked(channel, counts, is_open)
        total += np.nan_to_num(counts) * aht / lengths
    floored = 0
    have = sum(agents.values(), np.zeros_like(total))
    for k in np.flatnonzero(have < total - 1e-9):
        serving = [g for g in problem.groups if problem.variable[g][slots.of[k]]]
        if serving:
            busiest = max(serving, key=lambda g: m.busy[g].mean(axis=0)[slots.of[k]] / max(agents[g][k], 1))
            agents[busiest][k] += math.ceil(total[k] - have[k] - 1e-9)
            floored += 1
    return agents, floored


def simulated_plan(scenario, group, agents, parts, m: Measurement, problem, targets) -> GroupPlan:
    """A group's rows: its agents, the formula at the measured load of its own contacts, the simulation."""
    n = scenario.n_intervals
    if parts:
        plan = merge([s for s, _ in parts])
    else:
        empty = np.zeros(n)
        plan = GroupPlan(group, problem.serves[group], empty, empty, np.full(n, np.nan), empty, empty.astype(int),
                         [NO_DEMAND] * n, [""] * n, {name: np.full(n, np.nan) for name in (*WORST, "occupancy")})
    plan.channels = problem.serves[group]
    plan.agents, plan.fte, plan.reason = agents.astype(int), agents.astype(float), [""] * n
    if parts:
        predict(plan, parts)
    plan.binding = _binding(m, problem, group, agents, targets)
    by_unit = problem.missed(m)
    missed = {c: np.where(problem.units[c] >= 0, by_unit[c][np.maximum(problem.units[c], 0)], False)
              for c in problem.channels}
    simulated_columns(plan, m, problem.slots, problem.serves[group], missed)
    return plan


def predict(plan: GroupPlan, parts: list[tuple[Sized, Formula]]) -> None:
    """The formula's KPIs at the plan's agents, shared among the group's queues in proportion to their needs."""
    n = plan.agents.size
    rows = {name: np.full(n, np.nan) for name in plan.predicted}
    for k in np.flatnonzero(plan.agents > 0):
        needs = np.array([s.fte[k] for s, _ in parts])
        shares = _split(int(plan.agents[k]), needs)
        values = [f.row(float(s.load[k]), a) for (s, f), a in zip(parts, shares) if s.load[k] > 0]
        if not values:
            continue
        for name, worst in WORST.items():
            rows[name][k] = worst.reduce([v[name] for v in values])
        busy = sum(v["occupancy"] * a for v, a in zip(values, shares) if not math.isnan(v["occupancy"]))
        rows["occupancy"][k] = busy / plan.agents[k]
    plan.predicted = rows


def _split(agents: int, needs: np.ndarray) -> list[int]:
    """``agents`` shared in proportion to ``needs`` (largest remainder)."""
    if len(needs) == 1 or needs.sum() <= 0:
        return [agents] + [0] * (len(needs) - 1)
    exact = agents * needs / needs.sum()
    out = np.floor(exact).astype(int)
    for i in np.argsort(out - exact)[: agents - out.sum()]:
        out[i] += 1
    return out.tolist()


def _binding(m: Measurement, problem, group: str, agents: np.ndarray, targets: list[Target]) -> list[str]:
    """Per interval, the target the simulation met with the least room on the group's channels."""
    slots = problem.slots
    out = []
    for k in range(agents.size):
        j = slots.of[k]
        if not problem.variable[group][j]:
            out.append(NO_DEMAND)
            continue
        if agents[k] == 0:
            out.append("other groups")
            continue
        slack: dict[str, float] = {}  # target -> its room, relative to its bound
        for channel in problem.serves[group]:
            for t in targets:
                value = m.kpi(KPI_OF[t.name], channel)[j]
                if not math.isnan(value):
                    room = (value - t.bound) if t.name == "service_level" else (t.bound - value)
                    slack[t.name] = min(slack.get(t.name, math.inf), room / t.bound)
        out.append(min(slack, key=slack.__getitem__) if slack else NO_DEMAND)
    return out


def _in_intervals(kpi: Sequence[np.ndarray], slots: Slots) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(mean, low, high) per slot, spread to the intervals; NaN in the intervals not measured."""
    mean, low, high = (np.where(slots.measured, x[slots.of], np.nan) for x in kpi)
    return mean, low, high


def simulated_columns(plan: GroupPlan, m: Measurement, slots: Slots, channels: list[str],
               missed: dict[str, np.ndarray]) -> None:
    """The simulated KPIs of the group's channels (the worst of them) per interval, and the intervals where a
    channel it serves missed a target (``missed``: per channel and slot)."""
    of, measured = slots.of, slots.measured
    for name, worst in WORST.items():
        parts = [[m.kpis[name][i][m.channels.index(c)] for i in range(3)] for c in channels]
        picked = [worst.reduce(np.vstack([p[i] for p in parts])) if len(parts) > 1 else parts[0][i] for i in range(3)]
        plan.simulated[name] = _in_intervals(picked, slots)
    plan.simulated["occupancy"] = _in_intervals(simulated_occupancy(m, plan.group, slots.collect(plan.agents)), slots)
    for k in np.flatnonzero(measured & (plan.agents > 0)):
        short = [c for c in channels if missed[c][of[k]]]
        if short:
            note = f"simulated targets missed on {', '.join(short)}"
            plan.reason[k] = "; ".join(filter(None, [plan.reason[k], note]))


def slot_misses(m: Measurement, channels: list[str], targets: list[Target]) -> dict[str, np.ndarray]:
    """Per channel and slot: a simulated KPI misses its target (no contacts: not missed)."""
    out = {}
    for channel in channels:
        miss = np.zeros(m.counted.size, bool)
        for t in targets:
            value = m.kpi(KPI_OF[t.name], channel)
            with np.errstate(invalid="ignore"):
                miss |= (value < t.bound) if t.name == "service_level" else (value > t.bound)
        out[channel] = miss
    return out
