"""``staff``: the requirement per interval for a scenario and a request, by the method asked for."""

from __future__ import annotations

import math
import time
from typing import Callable

import numpy as np

from sim.analytic import Target
from sim.analytic.service_time import Scaled
from sim.config.schema import Scenario
from sim.staffing import isa as isa_method
from sim.staffing import search as search_method
from sim.staffing.demand import (LIVE, Queue, check_groups, deferred, interval_lengths, mean_patience, open_mask,
                                 queues)
from sim.staffing.formulas import NO_DEMAND, OCCUPANCY, Formula, Sized, method_load, size
from sim.staffing.measure import Measurement, measure
from sim.staffing.measure import occupancy as simulated_occupancy
from sim.staffing.plan import WORST, GroupPlan, Staffing, merge
from sim.staffing.request import Request, check
from sim.staffing.runs import Runner
from sim.staffing.slots import Slots

FORMULAS = ("sipp", "lag-sipp", "mol")
KPI_OF = search_method.KPI_OF


def staff(scenario: Scenario, request: Request | None = None, *,
          on_start: Callable[[int, int], None] | None = None, on_outcome: Callable | None = None) -> Staffing:
    """Agents per interval for ``request``'s targets on ``scenario`` (``on_start``/``on_outcome``: progress
    of the simulation runs, as in ``sim.sweep``)."""
    request = request or Request()
    started = time.perf_counter()
    channels, groups = check(request, scenario)
    targets = request.targets(scenario)
    found = queues(scenario, channels, groups)
    if request.method != "simulate":
        check_groups(scenario, channels, [request.group] if request.group else [], found)
        groups = [g for g in groups if any(q.group == g for q in found)]
    sized = [_size(scenario, request, q, request.method if request.method in FORMULAS else "mol", targets)
             for q in found]
    meta = {"method": request.method, "channels": channels, "groups": groups,
            "targets": [str(t) for t in targets], "thresholds": _thresholds(scenario, request, channels)}
    if request.method in FORMULAS:
        plans = [merge([s for s in sized if s.queue.group == g]) for g in groups if any(s.queue.group == g for s in sized)]
        result = Staffing(scenario, request, targets, plans, meta=meta)
    else:
        replications, seed = request.runs(scenario)
        runner = Runner(replications, seed, request.executor, request.jobs, on_start, on_outcome)
        meta.update(replications=replications, seed=seed)
        run = _isa if request.method == "isa" else _simulate
        result = run(scenario, request, targets, sized, channels, groups, runner, meta)
        meta["simulation_runs"] = runner.runs
    meta["wall_seconds"] = time.perf_counter() - started
    return result


def _thresholds(scenario: Scenario, request: Request, channels: list[str]) -> dict[str, float]:
    """Every configured channel's threshold (the option replaces it for the one targeted channel)."""
    return {c: request.threshold_for(scenario, c) if c in channels else scenario.threshold_for(c)
            for c in scenario.channels.names}


def _formula(scenario: Scenario, request: Request, queue: Queue) -> Formula:
    return Formula(queue.aht, queue.patience, request.threshold_for(scenario, queue.channel),
                   scenario.service_level.short_abandon, request.sl_definition(scenario))


def _size(scenario: Scenario, request: Request, queue: Queue, method: str, targets: list[Target]) -> Sized:
    load = method_load(method, queue, interval_lengths(scenario), scenario.interval)
    return size(queue, load, targets, _formula(scenario, request, queue), request.occupancy_cap, request.max_agents)


# --- isa ---------------------------------------------------------------------------------------------------


def _isa(scenario, request, targets, sized, channels, groups, runner, meta) -> Staffing:
    isa_method.check_single_queues(scenario, sized)
    slots = Slots.of_scenario(scenario)
    short = scenario.service_level.short_abandon
    alphas = {s.queue.group: isa_method.wait_alpha(s, targets, request.threshold_for(scenario, s.queue.channel), short)
              for s in sized}
    loads = {s.queue.group: slots.collect(s.load) for s in sized}

    def limit(group: str, agents: np.ndarray, fte: np.ndarray):
        if request.occupancy_cap is not None:
            need = np.where(agents > 0, loads[group] / request.occupancy_cap, 0.0)
            fte, agents = np.maximum(fte, need), np.maximum(agents, np.ceil(need - 1e-9).astype(int))
        if request.max_agents is not None:
            agents, fte = np.minimum(agents, request.max_agents), np.minimum(fte, request.max_agents)
        return agents, fte

    agents, fte, outcomes, info = isa_method.iterate(scenario, sized, alphas, runner, slots, request.iterations,
                                                     limit)
    meta.update(isa=info)
    m = measure(outcomes, scenario, slots, meta["thresholds"], request.sl_definition(scenario), groups)
    plans = []
    for s in sized:
        g = s.queue.group
        plan = merge([s])
        plan.agents, plan.fte = agents[g], np.where(agents[g] > 0, fte[g], 0.0)
        formula = _formula(scenario, request, s.queue)
        _predict(plan, [(s, formula)])
        plan.binding = [OCCUPANCY if (request.occupancy_cap and plan.agents[k] > 0 and
                                      plan.fte[k] >= s.load[k] / request.occupancy_cap - 1e-9) else
                        (s.binding[k] if plan.agents[k] > 0 else NO_DEMAND) for k in range(plan.agents.size)]
        _simulated(plan, m, slots, [s.queue.channel], slot_misses(m, [s.queue.channel], targets))
        plans.append(plan)
    from sim.staffing.measure import channel_table

    return Staffing(scenario, request, targets, plans, channel_table(m, scenario, slots), meta)


# --- simulate ----------------------------------------------------------------------------------------------


def _simulate(scenario, request, targets, sized, channels, groups, runner, meta) -> Staffing:
    problem = search_method.Problem(scenario, targets, channels, groups, meta["thresholds"],
                                    request.sl_definition(scenario), request.max_agents)
    start = {g: _starting_plan(scenario, g, [s for s in sized if s.queue.group == g]) for g in groups}

    def rebase(m: Measurement) -> dict[str, np.ndarray]:
        out = dict(start)
        for g, parts in _measured(scenario, request, targets, sized, m, problem.slots).items():
            out[g] = sum(s.agents for s, _ in parts)
        return out

    local = search_method.LocalModel(targets, meta["thresholds"], {c: mean_patience(scenario, c) for c in channels},
                                     request.sl_definition(scenario), scenario.service_level.short_abandon)
    found = search_method.search(problem, start, runner, request.iterations, rebase, local)
    m, slots = found.measurement, problem.slots
    agents = search_method.spread(problem, found.plan, start)
    agents, floored = _load_floor(scenario, problem, m, agents)
    meta.update(search={"iterations": len(found.history), "all_targets_met": found.met, "history": found.history,
                        "raised_to_offered_load": floored})
    measured = _measured(scenario, request, targets, sized, m, slots)
    plans = [_simulated_plan(scenario, g, agents[g], measured.get(g, []), m, problem, targets) for g in groups]
    from sim.staffing.measure import channel_table

    return Staffing(scenario, request, targets, plans, channel_table(m, scenario, slots), meta)


def _starting_plan(scenario: Scenario, group: str, parts: list[Sized]) -> np.ndarray:
    """The formula plan where the group has contacts of its own, else its staffing in the scenario."""
    if parts:
        return sum(s.agents for s in parts).astype(int)
    spec = scenario.agents[group]
    return np.asarray(spec.plan(scenario.n_intervals, scenario.intervals_per_day), int)


def _measured(scenario, request, targets, sized, m: Measurement, slots: Slots) -> dict[str, list]:
    """Each group's queues re-sized (MOL) on the contacts and busy time the simulation measured."""
    lengths = interval_lengths(scenario)
    out: dict[str, list] = {}
    for s in sized:
        q, c = s.queue, m.channels.index(s.queue.channel)
        counts = m.joined[c][slots.of]
        is_open = open_mask(scenario, q.channel)
        counts = np.where(is_open, counts, 0.0) if q.channel in LIVE else deferred(counts, is_open)
        fresh = _channel_aht(q, sized)
        answered = m.tallies["answered"][:, c].sum()
        aht = m.tallies["busy"][:, c].sum() / answered if answered else fresh
        queue = Queue(q.group, q.channel, q.issues, q.share, counts * q.share,
                      Scaled(q.service, aht / fresh), q.patience)
        load = method_load("mol", queue, lengths, scenario.interval)
        formula = _formula(scenario, request, queue)
        out.setdefault(q.group, []).append((size(queue, load, targets, formula, request.occupancy_cap,
                                                 request.max_agents), formula))
    return out


def _channel_aht(queue: Queue, sized: list[Sized]) -> float:
    """Mean busy time over all of a channel's fresh contacts (every group's queue on it)."""
    parts = [s.queue for s in sized if s.queue.channel == queue.channel]
    total = sum(p.share for p in parts)
    return sum(p.share * p.aht for p in parts) / total


def _load_floor(scenario: Scenario, problem, m: Measurement, agents: dict[str, np.ndarray]):
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
        counts = np.where(is_open, counts, 0.0) if channel in LIVE else deferred(counts, is_open)
        total += np.nan_to_num(counts) * aht / lengths
    floored = 0
    have = sum(agents.values())
    for k in np.flatnonzero(have < total - 1e-9):
        serving = [g for g in problem.groups if problem.variable[g][slots.of[k]]]
        if serving:
            busiest = max(serving, key=lambda g: m.busy[g].mean(axis=0)[slots.of[k]] / max(agents[g][k], 1))
            agents[busiest][k] += math.ceil(total[k] - have[k] - 1e-9)
            floored += 1
    return agents, floored


def _simulated_plan(scenario, group, agents, parts, m: Measurement, problem, targets) -> GroupPlan:
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
        _predict(plan, parts)
    plan.binding = _binding(m, problem, group, agents, targets)
    by_unit = problem.missed(m)
    missed = {c: np.where(problem.units[c] >= 0, by_unit[c][np.maximum(problem.units[c], 0)], False)
              for c in problem.channels}
    _simulated(plan, m, problem.slots, problem.serves[group], missed)
    return plan


def _predict(plan: GroupPlan, parts: list[tuple[Sized, Formula]]) -> None:
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
        slack = {}
        for channel in problem.serves[group]:
            for t in targets:
                value = m.kpi(KPI_OF[t.name], channel)[j]
                if not math.isnan(value):
                    room = (value - t.bound) if t.name == "service_level" else (t.bound - value)
                    slack[t.name] = min(slack.get(t.name, math.inf), room / t.bound)
        out.append(min(slack, key=slack.get) if slack else NO_DEMAND)
    return out


def _simulated(plan: GroupPlan, m: Measurement, slots: Slots, channels: list[str],
               missed: dict[str, np.ndarray]) -> None:
    """The simulated KPIs of the group's channels (the worst of them) per interval, and the intervals where a
    channel it serves missed a target (``missed``: per channel and slot)."""
    of, measured = slots.of, slots.measured
    for name, worst in WORST.items():
        parts = [[m.kpis[name][i][m.channels.index(c)] for i in range(3)] for c in channels]
        picked = [worst.reduce(np.vstack([p[i] for p in parts])) if len(parts) > 1 else parts[0][i] for i in range(3)]
        plan.simulated[name] = tuple(np.where(measured, x[of], np.nan) for x in picked)
    mean, low, high = simulated_occupancy(m, plan.group, slots.collect(plan.agents))
    plan.simulated["occupancy"] = tuple(np.where(measured, x[of], np.nan) for x in (mean, low, high))
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
