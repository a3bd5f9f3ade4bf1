"""``staff``: the requirement per interval for a scenario and a request, by the method asked for."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from sim.analytic import Target
from sim.config.schema import Scenario
from sim.staffing import isa as isa_method
from sim.staffing import runs, simulated
from sim.staffing import search as search_method
from sim.staffing.demand import Queue, check_groups, interval_lengths, mean_patience, queues
from sim.staffing.formulas import NO_DEMAND, OCCUPANCY, Formula, Sized, method_load, size
from sim.staffing.measure import Measurement, channel_table, measure
from sim.staffing.plan import Staffing, StaffingMeta, merge
from sim.staffing.request import Request, check
from sim.staffing.runs import Runner
from sim.staffing.slots import Slots

FORMULAS = ("sipp", "lag-sipp", "mol")


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
    meta: StaffingMeta = {"method": request.method, "channels": channels, "groups": groups,
                          "targets": [str(t) for t in targets], "thresholds": _thresholds(scenario, request, channels)}
    runner = None
    if request.simulated:
        replications, seed = request.runs(scenario)
        rounds = request.iterations + 1 if request.method in ("isa", "simulate") else 1  # isa may check its last plan
        runner = Runner(replications, seed, request.executor, request.jobs, on_start, on_outcome, rounds * replications)
        meta["replications"], meta["seed"] = replications, seed
    if request.method in FORMULAS:
        plans = [merge([s for s in sized if s.queue.group == g])
                 for g in groups if any(s.queue.group == g for s in sized)]
        result = Staffing(scenario, request, targets, plans, meta=meta)
        if request.check:
            assert runner is not None, "a checked plan is simulated (Request.simulated)"
            _check(result, runner)
    else:
        run = _isa if request.method == "isa" else _simulate
        result = run(scenario, request, targets, sized, channels, groups, runner, meta)
    if runner is not None:
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


def _check(result: Staffing, runner: Runner) -> None:
    """Simulate a formula plan as it is: simulated KPIs beside the predicted ones, and the misses."""
    scenario, meta = result.scenario, result.meta
    slots = Slots.of_scenario(scenario)
    outcomes = runner(runs.with_plan(scenario, {g.group: g.agents for g in result.groups}))
    m = measure(outcomes, scenario, slots, meta["thresholds"], result.request.sl_definition(scenario),
                [g.group for g in result.groups])
    for plan in result.groups:
        simulated.simulated_columns(plan, m, slots, plan.channels,
                                    simulated.slot_misses(m, plan.channels, result.targets))
    result.channels = channel_table(m, scenario, slots)


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
        simulated.predict(plan, [(s, formula)])
        plan.binding = [OCCUPANCY if (request.occupancy_cap and plan.agents[k] > 0 and
                                      plan.fte[k] >= s.load[k] / request.occupancy_cap - 1e-9) else
                        (s.binding[k] if plan.agents[k] > 0 else NO_DEMAND) for k in range(plan.agents.size)]
        simulated.simulated_columns(plan, m, slots, [s.queue.channel],
                                    simulated.slot_misses(m, [s.queue.channel], targets))
        plans.append(plan)
    return Staffing(scenario, request, targets, plans, channel_table(m, scenario, slots), meta)


# --- simulate ----------------------------------------------------------------------------------------------


def _simulate(scenario, request, targets, sized, channels, groups, runner, meta) -> Staffing:
    problem = search_method.Problem(scenario, targets, channels, groups, meta["thresholds"],
                                    request.sl_definition(scenario), request.max_agents, request.occupancy_cap)
    start = {g: simulated.starting_plan(scenario, g, [s for s in sized if s.queue.group == g]) for g in groups}

    def measured(m: Measurement) -> dict[str, list]:
        return simulated.measured_queues(scenario, targets, sized, m, problem.slots,
                                         lambda q: _formula(scenario, request, q), request.occupancy_cap,
                                         request.max_agents)

    def rebase(m: Measurement) -> dict[str, np.ndarray]:
        return {**start, **{g: sum(s.agents for s, _ in parts) for g, parts in measured(m).items()}}

    local = search_method.LocalModel(targets, meta["thresholds"], {c: mean_patience(scenario, c) for c in channels},
                                     request.sl_definition(scenario), scenario.service_level.short_abandon)
    found = search_method.search(problem, start, runner, request.iterations, rebase, local)
    m, slots = found.measurement, problem.slots
    agents = search_method.spread(problem, found.plan, start)
    agents, floored = simulated.load_floor(scenario, problem, m, agents)
    meta.update(search={"iterations": len(found.history), "all_targets_met": found.met, "history": found.history,
                        "raised_to_offered_load": floored})
    queues_now = measured(m)
    plans = [simulated.simulated_plan(scenario, g, agents[g], queues_now.get(g, []), m, problem, targets)
             for g in groups]
    return Staffing(scenario, request, targets, plans, channel_table(m, scenario, slots), meta)


