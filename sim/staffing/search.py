"""The simulation method: the whole model (repeats, redials, transfers, chasers, routing, the customer base)
searched interval by interval under common random numbers.

1. Simulate the formula plan; restart from the formula requirement on the load the simulation measured (the
   contacts that joined a queue, repeats and redials included, times their measured busy time): the load the
   journey creates. Restart once more if that moved the plan by more than ``RESTART_MOVE``.
2. Then, one simulation of all replications per step, the same customers every time:
   * repair while a channel misses a target somewhere: take back the cut that caused the miss (and never cut
     that much there again), or add what the local model says is missing to the group that serves most of
     the channel's contacts (the next one in turn if the interval keeps missing);
   * once every target is met, remember the plan if it is the cheapest so far and cut half the room the
     local model sees, one group per interval (the least busy).
3. Stop when nothing is left to cut, when a round saved less than ``CONVERGED``, or after the iteration
   limit; return the cheapest plan that met every target (or, if none did, the one with the fewest misses,
   flagged). With an occupancy cap, cuts never go below busy / cap, and the plan found is raised to it
   wherever it is still busier, then simulated once more.

Live channels are judged per interval. A backlog (email) is judged per day, because an email is answered
hours after it arrives: its groups gain or lose an agent over the whole open day.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.analytic import Target
from sim.config.schema import Scenario
from sim.config.traits import TRAITS
from sim.staffing import cap, runs
from sim.staffing.demand import designate, open_mask, weekday_of
from sim.staffing.measure import Measurement, measure
from sim.staffing.runs import Runner
from sim.staffing.slots import Slots

MAX_RESTARTS = 2  # restarts from the formula on the measured load, while the plan moves by more than RESTART_MOVE
RESTART_MOVE = 0.05
CONVERGED = 0.02  # stop when a round of cuts and repairs saves less than this share of agent-intervals
MARGIN = 0.02  # cuts keep a service level 2 points above its target, other KPIs 2% inside theirs
KPI_OF = {"service_level": "service_level", "asa": "asa_seconds", "abandon": "abandon_rate",
          "wait_probability": "wait_probability"}


@dataclass
class Problem:
    """What is searched: decisions per (group, slot), judged on the targeted channels' units."""

    scenario: Scenario
    targets: list[Target]
    channels: list[str]  # targets count on these
    groups: list[str]  # these are sized
    thresholds: dict[str, float]  # every configured channel (all are measured)
    definition: str
    max_agents: int | None = None
    occupancy_cap: float | None = None  # each group's simulated occupancy at most this (per slot; per day for backlogs)
    slots: Slots = field(init=False)
    serves: dict[str, list[str]] = field(init=False)
    variable: dict[str, np.ndarray] = field(init=False)
    units: dict[str, np.ndarray] = field(init=False)
    order: dict[str, list[str]] = field(init=False)  # per channel, the groups to add to, in turn

    def __post_init__(self) -> None:
        scenario, self.slots = self.scenario, Slots.of_scenario(self.scenario)
        searchable = self.slots.searchable()
        weekday = np.asarray(weekday_of(scenario))
        self.serves = {g: [c for c in scenario.agents[g].channels if c in self.channels] for g in self.groups}
        opened = {c: self.slots.collect(open_mask(scenario, c).astype(int)) > 0 for c in self.channels}
        first = self.slots.collect(np.arange(scenario.n_intervals))  # an interval of each slot
        works = {g: np.isin(weekday[first], scenario.agents[g].days) for g in self.groups}
        self.variable = {g: searchable & works[g] & np.any([opened[c] for c in self.serves[g]], axis=0)
                         for g in self.groups}
        self.order = {c: _add_order(scenario, c, [g for g in self.groups if c in self.serves[g]])
                      for c in self.channels}
        per_day = scenario.intervals_per_day
        every = np.arange(self.slots.count)
        self.units = {c: np.where(searchable, first // per_day if TRAITS[c].backlog else every, -1)
                      for c in self.channels}

    def n_units(self, channel: str) -> int:
        return int(self.units[channel].max()) + 1

    def missed(self, m: Measurement) -> dict[str, np.ndarray]:
        """Per targeted channel, the units where a simulated KPI misses its target (no contacts: not missed)."""
        out = {}
        for c in self.channels:
            kpis = m.unit_kpis(c, self.units[c], self.n_units(c))
            miss = np.zeros(self.n_units(c), bool)
            for t in self.targets:
                value = kpis[KPI_OF[t.name]][0]
                with np.errstate(invalid="ignore"):
                    miss |= (value < t.bound) if t.name == "service_level" else (value > t.bound)
            out[c] = miss
        return out

    def unit_slots(self, channel: str, unit: int) -> np.ndarray:
        return self.units[channel] == unit

    def daily(self, group: str) -> bool:
        """Whether the group only serves backlogs among the targeted channels (then it moves a day at a time)."""
        return all(TRAITS[c].backlog for c in self.serves[group])


def _add_order(scenario: Scenario, channel: str, groups: list[str]) -> list[str]:
    """The groups serving ``channel``, those the formulas give most of its contacts first."""
    owner = designate(scenario, [channel])
    share = {g: sum(i.share for i in scenario.customers.issues.values() if owner.get((channel, i.skill)) == g)
             for g in groups}
    return sorted(groups, key=lambda g: (-share[g], groups.index(g)))


@dataclass
class Outcome:
    plan: dict[str, np.ndarray]  # per slot
    outcomes: list
    measurement: Measurement
    met: bool
    history: list[dict]
    missed: dict[str, np.ndarray] = field(default_factory=dict)  # per channel and unit
    crowded: dict[str, np.ndarray] = field(default_factory=dict)  # per group and slot: occupancy above the cap


@dataclass
class State:
    """The plan being searched, and what the search has learnt about each (group, slot)."""

    plan: dict[str, np.ndarray]
    limit: dict[str, np.ndarray]  # at most this many agents may still be taken away (0: known to be needed)
    removed: dict[str, np.ndarray]  # taken away in the last step
    streak: dict[str, np.ndarray]  # per channel and unit: how many evaluations in a row it has missed

    def cost(self) -> int:
        return int(sum(v.sum() for v in self.plan.values()))


def search(problem: Problem, start: dict[str, np.ndarray], runner: Runner, max_iterations: int,
           rebase=None, local: LocalModel | None = None) -> Outcome:
    """Run the search from ``start`` (agents per interval); ``rebase(measurement)`` gives the restart plan and
    ``local`` the step sizes (one agent at a time without it)."""
    slots = problem.slots
    state = State({g: np.where(problem.variable[g], slots.collect(start[g]), 0) for g in problem.groups},
                  {g: np.full(slots.count, 10**6) for g in problem.groups}, _nothing(problem),
                  {c: np.zeros(problem.n_units(c), int) for c in problem.channels})
    best: Outcome | None = None
    closest: Outcome | None = None  # fewest misses, then fewest agents: returned if nothing met every target
    history: list[dict] = []
    restarts = 0
    for _ in range(max_iterations):
        last = _evaluate(problem, state, start, runner, history)
        if closest is None or _misses_then_cost(last) < _misses_then_cost(closest):
            closest = last
        best, done = _keep_best(best, last, history)
        if done:
            break
        if rebase is not None and restarts < MAX_RESTARTS:
            restarts, moved = _restart(problem, state, rebase(last.measurement), restarts, history)
            if moved:
                continue
        if not _step(problem, state, last, local):
            break
    result = best or closest
    assert result is not None, "at least one plan was evaluated (max_iterations >= 1, checked in the request)"
    if any(v.any() for v in result.crowded.values()):
        state.plan, count = cap.raised(problem, result.measurement, result.plan, result.crowded)
        result = _evaluate(problem, state, start, runner, history)
        history[-1]["raised_to_occupancy_cap"] = count
    result.history = history
    return result


def _misses_then_cost(outcome: Outcome) -> tuple[int, int]:
    return int(sum(v.sum() for v in outcome.missed.values())), int(sum(v.sum() for v in outcome.plan.values()))


def _evaluate(problem: Problem, state: State, start, runner: Runner, history: list[dict]) -> Outcome:
    """Simulate the current plan and note what it missed."""
    outcomes = runner(runs.with_plan(problem.scenario, _spread(problem, state.plan, start)))
    m = measure(outcomes, problem.scenario, problem.slots, problem.thresholds, problem.definition, problem.groups)
    missed, crowded = problem.missed(m), cap.crowded(problem, m, state.plan)
    n_missed, n_crowded = int(sum(v.sum() for v in missed.values())), int(sum(v.sum() for v in crowded.values()))
    history.append({"iteration": len(history) + 1, "agent_slots": state.cost(), "units_missed": n_missed,
                    **({"slots_over_occupancy_cap": n_crowded} if problem.occupancy_cap is not None else {})})
    for channel, units in missed.items():
        state.streak[channel] = np.where(units, state.streak[channel] + 1, 0)
    return Outcome({g: p.copy() for g, p in state.plan.items()}, outcomes, m, n_missed == 0, history, missed, crowded)


def _keep_best(best: Outcome | None, last: Outcome, history: list[dict]) -> tuple[Outcome | None, bool]:
    """The cheapest plan that met every target so far; done when a round saved less than ``CONVERGED``."""
    if not last.met:
        return best, False
    cost = sum(v.sum() for v in last.plan.values())
    previous = None if best is None else sum(v.sum() for v in best.plan.values())
    if previous is not None and cost > (1 - CONVERGED) * previous:
        history[-1]["converged"] = True
        return (last if cost < previous else best), True
    return (last if previous is None or cost < previous else best), False


def _restart(problem: Problem, state: State, plan: dict[str, np.ndarray], restarts: int,
             history: list[dict]) -> tuple[int, bool]:
    """Take the formula's plan on the measured load, the first time or while it moves the plan by more than
    ``RESTART_MOVE``."""
    fresh = _capped(problem, {g: np.where(problem.variable[g], problem.slots.collect(v), 0) for g, v in plan.items()})
    moved = abs(sum(v.sum() for v in fresh.values()) - state.cost())
    if restarts == 0 or moved > RESTART_MOVE * state.cost():
        history[-1]["restart"] = True
        state.plan, state.removed = fresh, _nothing(problem)
        return restarts + 1, True
    return MAX_RESTARTS, False  # the load has settled: search from here


def _step(problem: Problem, state: State, last: Outcome, local) -> bool:
    """Repair the misses, or cut where there is room; False when there is nothing left to do."""
    if not last.met:
        changed = _repair(problem, state, last.missed, last.measurement, local)
        state.removed = _nothing(problem)
        return changed
    state.removed = _propose(problem, state, last.measurement, local)
    if not any(r.any() for r in state.removed.values()):
        return False
    for g in problem.groups:
        state.plan[g] = state.plan[g] - state.removed[g]
    return True


def _nothing(problem: Problem) -> dict[str, np.ndarray]:
    return {g: np.zeros(problem.slots.count, int) for g in problem.groups}


def spread(problem: Problem, plan: dict[str, np.ndarray], start: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Agents per interval of the horizon from a per-slot plan."""
    return _spread(problem, plan, start)


def _spread(problem, plan, start):
    return {g: problem.slots.spread(plan[g], start[g]) for g in problem.groups}


def _capped(problem: Problem, plan: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    if problem.max_agents is None:
        return plan
    return {g: np.minimum(v, problem.max_agents) for g, v in plan.items()}


def _occupancy(m: Measurement, group: str, plan: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(plan > 0, m.busy[group].mean(axis=0) / np.maximum(plan, 1), 1.0)


def _repair(problem: Problem, state: State, missed, m: Measurement, local) -> bool:
    """Undo the removals behind each miss (and remember how many agents were too many), or add agents where
    the channel missed: as many as the local model says are missing (at least one), to the group that serves
    most of the channel's contacts, then, if the unit keeps missing, to the next group serving it in turn."""
    changed = False
    for channel, units in missed.items():
        for unit in np.flatnonzero(units):
            candidates = problem.order[channel]
            turn = (state.streak[channel][unit] - 1) % len(candidates)
            candidates = candidates[turn:] + candidates[:turn]
            where = problem.unit_slots(channel, int(unit))
            undo = [g for g in candidates if (state.removed[g][where] > 0).any()]
            for g in undo:
                back = where & (state.removed[g] > 0)
                state.plan[g][back] += state.removed[g][back]
                state.limit[g][back] = state.removed[g][back] - 1
                state.removed[g][back] = 0
                changed = True
            if undo:
                continue
            changed |= _add(problem, state, channel, where, candidates, m, local)
    return changed


def _add(problem: Problem, state: State, channel: str, where: np.ndarray, candidates: list[str],
         m: Measurement, local) -> bool:
    room = [g for g in candidates if (problem.variable[g] & where).any() and (
        problem.max_agents is None or (state.plan[g][where & problem.variable[g]] < problem.max_agents).all())]
    if not room:
        return False
    chosen = room[0]
    cells = where & problem.variable[chosen]
    step = 1
    if local is not None and not TRAITS[channel].backlog and cells.sum() == 1:
        j = int(np.flatnonzero(cells)[0])
        step = max(1, local.need(m, channel, j, _agents_on(problem, state, channel, j)))
    new = state.plan[chosen][cells] + step
    state.plan[chosen][cells] = new if problem.max_agents is None else np.minimum(new, problem.max_agents)
    return True


def _agents_on(problem: Problem, state: State, channel: str, j: int) -> int:
    return int(sum(state.plan[g][j] for g in problem.groups if channel in problem.serves[g]))


def _propose(problem: Problem, state: State, m: Measurement, local) -> dict[str, np.ndarray]:
    """Once every target is met: fewer agents wherever the local model sees room on every channel the group
    serves: per slot the least busy such group gives up half that room (at least one); groups that serve only a
    backlog give up one over a whole day."""
    out = {g: np.zeros(problem.slots.count, int) for g in problem.groups}
    free = {g: problem.variable[g] & (state.limit[g] > 0) & (state.plan[g] > 0) for g in problem.groups}
    for g in problem.groups:
        if not problem.daily(g):
            continue
        days = problem.units[problem.serves[g][0]]
        for day in np.unique(days[problem.variable[g]]):
            whole = problem.variable[g] & (days == day)
            if (free[g] | ~whole).all() and cap.day_fits(problem, m, g, state.plan[g], whole):
                out[g][whole] = 1
    hourly = [g for g in problem.groups if not problem.daily(g)]
    occupancy = {g: _occupancy(m, g, state.plan[g]) for g in hourly}
    floor = {g: cap.floor(problem, m, g) for g in hourly}
    for j in range(problem.slots.count):
        rooms = {}
        for g in (g for g in hourly if free[g][j]):
            live = [c for c in problem.serves[g] if not TRAITS[c].backlog]
            rooms[g] = 1 if local is None else min(
                (local.room(m, c, j, _agents_on(problem, state, c, j)) for c in live), default=1)
            rooms[g] = min(rooms[g], int(state.plan[g][j] - floor[g][j]))
        rooms = {g: r for g, r in rooms.items() if r > 0}
        if rooms:
            g = min(rooms, key=lambda x: occupancy[x][j])
            out[g][j] = min(max(1, rooms[g] // 2), int(state.limit[g][j]), int(state.plan[g][j]))
    return out


class LocalModel:
    """Step sizes from the stationary formula at the load the simulation measured, anchored on the simulated
    KPI: a KPI at n + k agents is taken as the simulated value plus the formula's change from n to n + k."""

    MAX_STEP = 8

    def __init__(self, targets: list[Target], thresholds: dict[str, float], patience: dict[str, float | None],
                 definition: str, short_abandon: float) -> None:
        self.targets, self.thresholds, self.patience = targets, thresholds, patience
        self.definition, self.short_abandon = definition, short_abandon

    def need(self, m: Measurement, channel: str, slot: int, agents: int) -> int:
        """Agents to add so every target is met (0 if it is); 1 when the formula cannot say (its KPI barely
        moves with agents while the simulation misses: the model does not describe this interval)."""
        met = self._met(m, channel, slot, agents)
        return next((k for k in range(self.MAX_STEP + 1) if met(agents + k)), 1)

    def room(self, m: Measurement, channel: str, slot: int, agents: int) -> int:
        """Agents that can go with every target still met with a margin (``MARGIN``; 0 if none)."""
        met = self._met(m, channel, slot, agents, MARGIN)
        return next((r for r in range(min(agents - 1, self.MAX_STEP), 0, -1) if met(agents - r)), 0)

    def _met(self, m: Measurement, channel: str, slot: int, agents: int, margin: float = 0.0):
        c = m.channels.index(channel)
        load = float(m.load[c][slot])
        answered = m.tallies["answered"][:, c, slot].sum()
        aht = m.tallies["busy"][:, c, slot].sum() / answered if answered else 0.0
        simulated = {t: m.kpi(KPI_OF[t.name], channel)[slot] for t in self.targets}
        if load <= 0 or aht <= 0 or agents <= 0 or any(np.isnan(v) for v in simulated.values()):
            return lambda n: True
        base = self._formula(load, aht, channel, agents)

        def met(n: int) -> bool:
            if n < 1:
                return False
            f = self._formula(load, aht, channel, n)
            for t in self.targets:
                value = simulated[t] + f[t.name] - base[t.name]
                ok = value >= t.bound + margin if t.name == "service_level" else value <= t.bound * (1 - margin)
                if not ok:
                    return False
            return True

        return met

    def _formula(self, load: float, aht: float, channel: str, n: int) -> dict[str, float]:
        from sim.analytic import queue_kpis

        k = queue_kpis(load / aht, aht, n, self.patience[channel], self.thresholds[channel], self.short_abandon)
        if not k.stable:
            return {"service_level": 0.0, "asa": 1e9, "abandon": 1.0, "wait_probability": 1.0}
        return {"service_level": k.service_level[self.definition], "asa": k.asa_seconds,
                "abandon": k.abandon_rate, "wait_probability": k.p_wait}
