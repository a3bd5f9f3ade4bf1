"""One replication of a scenario: streams -> demand -> the SimPy centre -> a ``RunOutput``."""

from __future__ import annotations

import time

import simpy

from sim.config.schema import Scenario
from sim.model.agents import Roster, floor_plan
from sim.model.centre import Centre
from sim.model.demand import Demand, FollowUps, Layout, block_drawer, open_by_interval
from sim.records import ContactLog, RunOutput, Tally
from sim.rng import Streams


def staffing_plan(scenario: Scenario, channel: str | None = None) -> list[int]:
    """Agents on the floor in every interval (after training time off), over the groups serving ``channel`` (all if None)."""
    plans = [floor_plan(scenario, name) for name, group in scenario.agents.items()
             if channel is None or channel in group.channels]
    return [sum(column) for column in zip(*plans)] if plans else [0] * scenario.n_intervals


def simulate(scenario: Scenario, replication: int = 0, root_seed: int | None = None) -> RunOutput:
    """Run one replication of ``scenario`` and return its tallies (and contacts if asked for)."""
    seed = scenario.seed if root_seed is None else root_seed
    streams = Streams(seed, replication)
    layout = Layout(scenario)
    groups = list(scenario.agents)
    tally = Tally(scenario.n_intervals, layout.size, layout.channels, groups)
    log = ContactLog() if scenario.output.contacts else None
    demand = Demand(block_drawer(scenario, streams, layout), scenario.n_intervals, scenario.intervals_per_day)
    env = simpy.Environment()
    roster = Roster(scenario, streams)
    centre = Centre(env, scenario, demand, roster, layout, tally, log)
    centre.journey._followups = FollowUps(scenario, layout, streams)
    started = time.perf_counter()
    centre.start(open_by_interval(scenario))
    env.run(until=scenario.horizon)
    centre.finish(scenario.horizon)
    wall = time.perf_counter() - started
    meta = {
        "replication": replication,
        "root_seed": seed,
        "streams": streams.names(),
        "wall_seconds": wall,
        "contacts": int(sum(tally.offered)),
    }
    staffing = {g.name: g.plan for g in roster.groups}
    return RunOutput(
        tally.slot_frame(scenario.interval, layout.channels, layout.tiers, layout.issues),
        tally.level_frame(scenario.interval, scenario.horizon, staffing),
        log.frame(layout.channels, layout.tiers) if log is not None else None,
        meta,
    )
