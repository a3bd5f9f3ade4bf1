"""One replication of a scenario: streams → demand → the SimPy centre → a ``RunOutput``."""

from __future__ import annotations

import time

import numpy as np
import simpy

from sim.config.schema import Scenario
from sim.model.arrivals import arrivals_in, expected_counts, interval_grid
from sim.model.centre import Centre, Demand, as_lists
from sim.records import ContactLog, RunOutput, Tally
from sim.rng import Streams


def staffing_plan(scenario: Scenario, channel: str = "phone") -> list[int]:
    """Headcount on ``channel`` in every interval of the horizon, summed over the groups that serve it."""
    plans = [
        group.plan(scenario.n_intervals, scenario.intervals_per_day)
        for group in scenario.agents.values()
        if channel in group.channels
    ]
    return [sum(column) for column in zip(*plans)] if plans else [0] * scenario.n_intervals


def tier_table(scenario: Scenario) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Tier names, cumulative shares, patience factors and queue level (0 = served first) per tier."""
    names = list(scenario.customers.tiers)
    tiers = list(scenario.customers.tiers.values())
    cumulative = np.cumsum([t.share for t in tiers])
    factors = np.array([t.patience_factor for t in tiers])
    priorities = sorted({t.priority for t in tiers}, reverse=True)
    levels = np.array([priorities.index(t.priority) for t in tiers])
    return names, cumulative, factors, levels


def block_drawer(scenario: Scenario, streams: Streams, channel: str = "phone"):
    """A function drawing arrivals and customer attributes for intervals [first, stop), each from its own stream."""
    spec = getattr(scenario.channels, channel)
    starts, lengths = interval_grid(scenario.interval, scenario.horizon)
    expected = expected_counts(spec.arrivals, scenario.interval, scenario.horizon)
    _, cumulative, factors, levels = tier_table(scenario)
    n_tiers = len(factors)

    def draw(first: int, stop: int) -> tuple[list, ...]:
        times, interval = arrivals_in(
            expected[first:stop], starts[first:stop], lengths[first:stop], first, streams[f"{channel}.arrivals"]
        )
        n = times.size
        tier = np.minimum(np.searchsorted(cumulative, streams[f"{channel}.tier"].random(n), side="right"), n_tiers - 1)
        patience = spec.patience.sample(streams[f"{channel}.patience"], n) * factors[tier]
        handle = spec.handle_time.sample(streams[f"{channel}.handle_time"], n)
        if spec.after_contact_work is not None:
            handle = handle + spec.after_contact_work.sample(streams[f"{channel}.after_contact_work"], n)
        return as_lists(times, interval * n_tiers + tier, levels[tier], tier, patience, handle)

    return draw


def simulate(scenario: Scenario, replication: int = 0, root_seed: int | None = None) -> RunOutput:
    """Run one replication of ``scenario`` and return its tallies (and contacts if asked for)."""
    seed = scenario.seed if root_seed is None else root_seed
    streams = Streams(seed, replication)
    names, _, _, levels = tier_table(scenario)
    staffing = staffing_plan(scenario)
    tally = Tally(scenario.n_intervals, len(names))
    log = ContactLog() if scenario.output.contacts else None
    demand = Demand(block_drawer(scenario, streams), scenario.n_intervals, scenario.intervals_per_day)
    env = simpy.Environment()
    sl = scenario.service_level
    centre = Centre(
        env, demand, staffing, scenario.interval, int(levels.max()) + 1,
        sl.threshold, sl.short_abandon, tally, log,
    )
    started = time.perf_counter()
    centre.start()
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
    return RunOutput(
        tally.slot_frame(scenario.interval, names),
        tally.level_frame(scenario.interval, scenario.horizon, staffing),
        log.frame(names) if log is not None else None,
        meta,
    )
