"""The iterative staffing algorithm (ISA; Feldman, Mandelbaum, Massey & Whitt 2008) on the queue alone.

Start from the MOL plan. Simulate it (behaviour off, the same replications every time); estimate, per
interval, the distribution of the number of contacts in system N; staff each interval with the fewest
agents s for which P(N >= s) <= alpha; repeat until the plan stops changing. Because arrivals are
Poisson with a constant rate inside an interval, an arrival sees the interval's time-average
distribution (PASTA), so alpha is the interval's probability of waiting: ISA makes it the same in every
interval, which is what the stationary formulas assume and time-varying demand breaks.

alpha is the target when the target is a probability of waiting; for a service-level, ASA or
abandonment target it is the probability of waiting that the stationary formula implies at the
interval's offered load (interpolated at its fractional requirement), so at a constant load ISA
staffs exactly like the calculator.
"""

from __future__ import annotations

import math

import numpy as np

from sim.analytic import Target, queue_kpis, requirement
from sim.config.schema import Scenario
from sim.config.traits import TRAITS
from sim.errors import InputError
from sim.staffing import runs
from sim.staffing.formulas import Sized, add_arrays
from sim.staffing.runs import Runner
from sim.staffing.slots import Slots


def check_single_queues(scenario: Scenario, sized: list[Sized]) -> None:
    """ISA needs each sized channel served by one group that serves nothing else (one queue per group)."""
    for s in sized:
        channel, group = s.queue.channel, s.queue.group
        serving = [g for g, spec in scenario.agents.items() if channel in spec.channels]
        if TRAITS[channel].backlog:
            raise InputError(f"--method isa staffs live queues; {channel} is a backlog: "
                             "use --method mol or simulate for it")
        if serving != [group] or scenario.agents[group].channels != [channel]:
            raise InputError(f"--method isa needs each channel served by one group serving only it; {channel} is "
                             f"served by {', '.join(serving)}: use --method simulate to size them together")


def wait_alpha(s: Sized, targets: list[Target], threshold: float, short_abandon: float) -> np.ndarray:
    """Per interval: the probability of waiting the targets allow at the interval's offered load."""
    alpha = np.full(s.load.size, np.nan)
    aht, patience = s.queue.aht, s.queue.patience
    cache: dict[float, float] = {}
    for k in np.flatnonzero(s.load > 0):
        load = float(s.load[k])
        if load not in cache:
            need = requirement(load / aht, aht, targets, patience=patience, threshold=threshold,
                               short_abandon=short_abandon, max_agents=max(5000, 10 * math.ceil(load)))
            high = need.kpis.p_wait
            low = queue_kpis(load / aht, aht, need.agents - 1, patience, threshold, short_abandon).p_wait \
                if need.agents > 1 else 1.0
            share = need.fte - (need.agents - 1)  # where the fractional requirement lies between n - 1 and n
            cache[load] = low + share * (high - low)
        alpha[k] = cache[load]
    return alpha


def tail_by_slot(outcomes, scenario: Scenario, channel: str, slots: Slots) -> np.ndarray:
    """P(N >= j) per decision slot (rows) and j (columns), time-averaged over its measured intervals and
    the replications."""
    per_rep = [runs.in_system_seconds(o.contacts, channel, scenario.interval, scenario.n_intervals,
                                      scenario.horizon) for o in outcomes]
    width = max(h.shape[1] for h in per_rep)
    seconds = add_arrays(np.pad(h, ((0, 0), (0, width - h.shape[1]))) for h in per_rep)
    index = slots.measured_slots
    by_slot = runs.sum_by(seconds[index >= 0].T, index[index >= 0], slots.count).T  # [slot, j]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = by_slot / by_slot.sum(axis=1, keepdims=True)
    return np.cumsum(share[:, ::-1], axis=1)[:, ::-1]  # column j: P(N >= j)


def staff_for(tail: np.ndarray, alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(fewest s with P(N >= s) <= alpha, fractional s) per slot; 0 where alpha is undefined."""
    agents, fte = np.zeros(alpha.size, int), np.zeros(alpha.size)
    for j in np.flatnonzero(np.isfinite(alpha)):
        row = np.append(tail[j], 0.0)
        s = int(np.argmax(row <= alpha[j] + 1e-12))
        agents[j] = max(s, 1)
        if s >= 1 and row[s - 1] > row[s]:
            fte[j] = s - 1 + min(1.0, (row[s - 1] - alpha[j]) / (row[s - 1] - row[s]))
        else:
            fte[j] = float(agents[j])
    return agents, fte


def iterate(scenario: Scenario, sized: list[Sized], alphas: dict[str, np.ndarray], runner: Runner, slots: Slots,
            max_iterations: int, limit) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], list, dict]:
    """Run ISA to its fixed point: (agents per interval, fte per interval, the last runs, what happened)."""
    start = {s.queue.group: s.agents for s in sized}
    plan = {g: slots.collect(a) for g, a in start.items()}
    never = ~slots.searchable()  # slots only in the warm-up keep their start
    alpha = {s.queue.group: np.where(never, np.nan, slots.collect(alphas[s.queue.group])) for s in sized}
    seen: list[dict[str, np.ndarray]] = []
    changes = []
    for iteration in range(1, max_iterations + 1):
        outcomes = runner(runs.with_plan(scenario, _spread(plan, slots, start), plain_queue=True))
        new, fte = {}, {}
        for s in sized:
            g = s.queue.group
            agents, frac = staff_for(tail_by_slot(outcomes, scenario, s.queue.channel, slots), alpha[g])
            new[g], fte[g] = limit(g, agents, frac)
        changes.append(int(max(np.abs(new[g] - plan[g]).max(initial=0) for g in plan)))
        if all(np.array_equal(new[g], plan[g]) for g in plan):
            return _spread(plan, slots, start), _spread(fte, slots, start), outcomes, \
                {"iterations": iteration, "converged": True, "max_change": changes}
        if any(all(np.array_equal(new[g], old[g]) for g in plan) for old in seen):
            cycle = seen[next(i for i, old in enumerate(seen) if all(np.array_equal(new[g], old[g]) for g in plan)):]
            plan = {g: np.max([c[g] for c in cycle + [plan]], axis=0) for g in plan}
            fte = {g: plan[g].astype(float) for g in plan}
            return _final(scenario, plan, fte, slots, start, runner, iteration, changes, "cycle")
        seen.append(plan)
        plan = new
    return _final(scenario, plan, fte, slots, start, runner, max_iterations, changes, "max_iterations")


def _final(scenario, plan, fte, slots, start, runner, iteration, changes, why):
    """The plan ISA stopped at, simulated once more so its KPIs are its own."""
    spread = _spread(plan, slots, start)
    outcomes = runner(runs.with_plan(scenario, spread, plain_queue=True))
    return spread, _spread(fte, slots, start), outcomes, \
        {"iterations": iteration, "converged": False, "stopped": why, "max_change": changes}


def _spread(values: dict[str, np.ndarray], slots: Slots, start: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {g: slots.spread(v, start[g]) for g, v in values.items()}
