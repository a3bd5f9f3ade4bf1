"""One replication of a scenario: streams -> demand -> the SimPy centre -> a ``RunOutput``."""

from __future__ import annotations

import time

import simpy

from sim.config.schema import Scenario
from sim.model.agents import Group, Roster, floor_plan, interval_costs
from sim.model.centre import Centre
from sim.model.customers import CustomerBase
from sim.model.demand import Demand, FollowUps, Layout, block_drawer, open_by_interval
from sim.model.plain import PlainCentre
from sim.records import ContactLog, RunOutput, Tally
from sim.rng import Streams


def staffing_plan(scenario: Scenario, channel: str | None = None) -> list[int]:
    """Agents on the floor in every interval (after training time off), over the groups serving ``channel`` (all if None)."""
    plans = [floor_plan(scenario, name) for name, group in scenario.agents.items()
             if channel is None or channel in group.channels]
    return [sum(column) for column in zip(*plans)] if plans else [0] * scenario.n_intervals


def is_plain(scenario: Scenario) -> bool:
    """Whether the lean single-queue engine applies: behaviour off, one phone line, one group, one issue, no hours."""
    channels = scenario.channels
    return (not scenario.behaviour.enabled and channels.names == ["phone"] and channels.phone.hours is None
            and len(scenario.agents) == 1 and len(scenario.customers.issues) == 1 and scenario.customers.base is None)


def _centre(scenario: Scenario, streams: Streams, layout: Layout, env, tally, log, plain: bool):
    """The engine for this scenario, built and started."""
    base = CustomerBase(scenario, streams) if scenario.customers.base is not None else None
    drawer = block_drawer(scenario, streams, layout, plain, base.tier if base is not None else None)
    demand = Demand(drawer, scenario.n_intervals, scenario.intervals_per_day)
    if plain:
        levels = sorted({t.priority for t in scenario.customers.tiers.values()}, reverse=True)
        centre = PlainCentre(env, demand, floor_plan(scenario, next(iter(scenario.agents))), scenario.interval,
                             len(levels), scenario.threshold_for("phone"), scenario.service_level.short_abandon,
                             tally, log)
        centre.start()
        _book_plain_costs(scenario, tally)
        return centre
    centre = Centre(env, scenario, demand, Roster(scenario, streams), layout, tally, log,
                    FollowUps(scenario, layout, streams), base)
    centre.start(open_by_interval(scenario))
    return centre


def _book_plain_costs(scenario: Scenario, tally: Tally) -> None:
    """Labour and training cost of the plain queue's single group (no attrition there: the plan is paid)."""
    group = Group(0, next(iter(scenario.agents)), scenario)
    for k in range(scenario.n_intervals):
        hours = (min((k + 1) * scenario.interval, scenario.horizon) - k * scenario.interval) / 3600.0
        tally.labour_cost[k], tally.training_cost[k] = interval_costs(group, k, hours, scenario.money)
        tally.employed_area[k] = group.positions * hours * 3600.0


def simulate(scenario: Scenario, replication: int = 0, root_seed: int | None = None,
             engine: str = "auto") -> RunOutput:
    """Run one replication of ``scenario`` and return its tallies (and contacts if asked for).

    ``engine``: ``auto`` picks the plain queue where it applies (``is_plain``), else the full centre;
    ``full`` forces the full centre (the tests compare the two).
    """
    seed = scenario.seed if root_seed is None else root_seed
    streams = Streams(seed, replication)
    layout = Layout(scenario)
    groups = list(scenario.agents)
    tally = Tally(scenario.n_intervals, layout.size, layout.channels, groups)
    log = ContactLog() if scenario.output.contacts else None
    env = simpy.Environment()
    plain = engine == "auto" and is_plain(scenario)
    started = time.perf_counter()
    centre = _centre(scenario, streams, layout, env, tally, log, plain)
    env.run(until=scenario.horizon)
    centre.finish(scenario.horizon)
    wall = time.perf_counter() - started
    meta = {
        "replication": replication,
        "root_seed": seed,
        "engine": "plain" if plain else "full",
        "streams": streams.names(),
        "wall_seconds": wall,
        "contacts": int(sum(tally.offered)),
    }
    staffing = {name: floor_plan(scenario, name) for name in groups}
    return RunOutput(
        tally.slot_frame(scenario.interval, layout.channels, layout.tiers, layout.issues),
        tally.level_frame(scenario.interval, scenario.horizon, staffing),
        log.frame(layout.channels, layout.tiers) if log is not None else None,
        meta,
    )
