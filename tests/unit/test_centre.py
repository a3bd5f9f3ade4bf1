"""The SimPy centre on hand-made arrivals with fixed durations: exact event outcomes, SimPy-test style."""

from __future__ import annotations

import math

import simpy
from types import SimpleNamespace

import numpy as np

from sim.config.schema import Scenario
from sim.model.agents import Roster
from sim.model.centre import Centre
from sim.model.demand import Demand, Layout, FollowUps
from sim.model.ledger import Ledger
from sim.records import CONTACT_FIELDS, Levels
from sim.rng import Streams

INF = math.inf


def simulate(arrivals, staffing, interval, horizon, threshold=20.0, n_tiers=1, levels_of_tier=(0,)):
    """Run the centre on ``arrivals`` = [(time, tier, patience, handle)]; return its tallies and contact log.

    One phone channel, one issue, behaviour off: the queue alone. The tallies are lists per
    ``interval * n_tiers + tier`` of every contact count and sum, and per interval of the levels.
    """
    tiers = {f"t{i}": {"share": 1.0 if i == 0 else 0.0, "priority": -levels_of_tier[i]} for i in range(n_tiers)}
    scenario = Scenario.model_validate({
        "horizon": horizon, "interval": interval, "behaviour": "off",
        "service_level": {"threshold": threshold},
        "channels": {"phone": {"arrivals": {"rate": 0}, "handle_time": {"dist": "fixed", "value": 1}}},
        "customers": {"tiers": tiers}, "agents": {"team": {"staffing": staffing}},
    })
    times = [a[0] for a in arrivals]
    rows = [(0, a[1], 0, levels_of_tier[a[1]] + 1, a[0], int(a[0] // interval), a[3], 0.0, a[2], INF, 0.0,
             *[0.5] * 5, 0.0, 0.5, 0.5, -1, a[0]) for a in arrivals]
    blocks = iter([(times, rows)])
    demand = Demand(lambda first, stop: next(blocks, ((),)), len(staffing), len(staffing))
    env = simpy.Environment()
    layout = Layout(scenario)
    ledger = Ledger(scenario, layout.channels, layout.tiers, layout.issues, keep_contacts=True)
    levels = Levels(len(staffing), layout.channels, ["team"])
    centre = Centre(env, scenario, demand, Roster(scenario, Streams(1, 0)), layout, ledger, levels,
                    FollowUps(scenario, layout, Streams(1, 0)))
    centre.start({"phone": [True] * len(staffing)})
    env.run(until=horizon)
    centre.finish(horizon)
    return _tallies(ledger, levels, len(staffing), n_tiers), ledger.contacts_frame(["team"])


def _tallies(ledger: Ledger, levels: Levels, n_intervals: int, n_tiers: int) -> SimpleNamespace:
    """Every count and sum per (interval, tier) slot, from the ledger's rows; the levels per interval."""
    rows = {k: np.concatenate([part[k] for part in ledger.kept]) for k in ledger.kept[0]}
    values = ledger.scoring.fields(rows)
    slot = rows["interval"] * n_tiers + rows["tier"]
    out = {name: [round(v, 9) for v in np.bincount(slot, weights=values[j], minlength=n_intervals * n_tiers)]
           for j, name in enumerate(CONTACT_FIELDS)}
    for name in ("queue_area", "busy_area", "staffed_area"):
        out[name] = list(getattr(levels, name))
    return SimpleNamespace(**out)


def test_queued_contacts_abandon_when_patience_runs_out():
    tally, log = simulate([(0, 0, 5, 10), (1, 0, 5, 10), (2, 0, 5, 10)], [1], 100, 100)
    assert (tally.offered[0], tally.answered[0], tally.abandoned[0], tally.delayed[0]) == (3, 1, 2, 2)
    assert tally.wait_abandoned_sum[0] == 10  # each waited its 5 s of patience
    assert tally.queue_area[0] == 10  # one waiting from 1 to 6, one from 2 to 7
    assert tally.busy_area[0] == 10 and tally.staffed_area[0] == 100
    assert list(log["outcome"]) == ["answered", "abandoned", "abandoned"]


def test_a_contact_is_answered_just_before_its_patience_would_run_out():
    tally, log = simulate([(0, 0, INF, 10), (1, 0, 9.5, 10)], [1], 100, 100)
    assert (tally.answered[0], tally.abandoned[0]) == (2, 0)
    assert list(log["wait_seconds"]) == [0, 9]


def test_higher_priority_tier_is_served_first():
    arrivals = [(0, 0, INF, 10), (1, 0, INF, 10), (2, 1, INF, 10)]
    tally, log = simulate(arrivals, [1], 100, 100, threshold=15, n_tiers=2, levels_of_tier=(1, 0))
    waits = dict(zip(log["tier"], log["wait_seconds"]))
    assert waits["t1"] == 8  # priority: arrived at 2, served at 10
    assert list(log[log["tier"] == "t0"]["wait_seconds"]) == [0, 19]  # regular: served at 20
    assert tally.answered_within[0] == 1 and tally.answered_within[1] == 1


def test_agent_whose_shift_ends_finishes_the_contact_then_leaves():
    tally, log = simulate([(5, 0, INF, 10), (12, 0, INF, 1)], [1, 0], 10, 20)
    assert tally.answered == [1, 0] and tally.in_queue_end == [0, 1]
    assert tally.staffed_area == [10, 5]  # present 0-10 on shift, 10-15 finishing the contact
    assert tally.busy_area == [5, 5]
    assert list(log["outcome"]) == ["answered", "queued_at_end"]


def test_agents_coming_on_duty_take_waiting_contacts_at_once():
    tally, log = simulate([(2, 0, INF, 3)], [0, 1], 10, 20)
    assert tally.answered == [1, 0] and list(log["wait_seconds"]) == [8]
    assert tally.staffed_area == [0, 10] and tally.busy_area == [0, 3]


def test_agents_kept_past_shift_end_are_recalled_when_staffing_rises_again():
    # Two agents; both busy at 10 when staffing drops to 0; it comes back to 2 at 20 before they finish.
    arrivals = [(0, 0, INF, 25), (1, 0, INF, 25)]
    tally, _ = simulate(arrivals, [2, 0, 2], 10, 30)
    assert tally.staffed_area == [20, 20, 20]  # nobody left and nobody extra was hired


def test_first_come_first_served_within_a_tier():
    arrivals = [(0, 0, INF, 10), (1, 0, INF, 1), (2, 0, INF, 1), (3, 0, INF, 1)]
    _, log = simulate(arrivals, [1], 100, 100)
    assert list(log["wait_seconds"]) == [0, 9, 9, 9]
