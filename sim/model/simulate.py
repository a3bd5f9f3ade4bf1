"""One replication of a scenario: streams -> demand -> the SimPy centre -> a ``RunOutput``."""

from __future__ import annotations

import time
from typing import Any

import simpy

from sim.config.schema import Scenario
from sim.model.agents import Group, Roster, floor_plan, plan_levels
from sim.model.centre import Centre
from sim.model.clock import run as run_until
from sim.model.customers import CustomerBase
from sim.model.demand import Demand, FollowUps, Layout, block_drawer, open_by_interval
from sim.model.ledger import Ledger
from sim.model.plain import PlainCentre
from sim.model.trace import Trace
from sim.records import Levels, RunOutput
from sim.rng import Streams


def staffing_plan(scenario: Scenario, channel: str | None = None) -> list[int]:
    """Agents on the floor in every interval (after training time off), over the groups serving ``channel``
    (all if None)."""
    plans = [floor_plan(scenario, name) for name, group in scenario.agents.items()
             if channel is None or channel in group.channels]
    return [sum(column) for column in zip(*plans)] if plans else [0] * scenario.n_intervals


# What the plain queue understands, by path in the scenario's dump (``*``: any key); everything else
# must be as in PLAIN_TEMPLATE, or the full centre runs. A setting added to the schema later is thus
# outside the fast path until someone teaches it to the plain queue and the agreement test draws it.
PLAIN_SETTINGS = (
    "name", "description", "horizon", "interval", "warmup", "seed", "replications", "service_level",
    "channels.phone.arrivals", "channels.phone.handle_time", "channels.phone.after_contact_work",
    "channels.phone.patience", "channels.phone.threshold", "channels.phone.queue_position_info",
    "customers.tiers.*.share", "customers.tiers.*.priority", "customers.tiers.*.patience_factor",
    "customers.issues.*.share", "customers.issues.*.handle_factor",
    "agents.*.staffing", "agents.*.extra_agents", "agents.*.training_hours", "agents.*.paid_hours_per_year",
    "agents.*.days", "agents.*.hourly_cost", "money", "output.contacts",
)
# Settings that do nothing while the behaviour model is off (its coefficients, the journey's channel options).
IDLE_WITHOUT_BEHAVIOUR = (
    "behaviour", "channels.phone.tolerance", "channels.phone.tolerance_zero_share", "channels.phone.redial",
    "channels.phone.perceived_wait_factor", "customers.tiers.*.tolerance_factor", "customers.tiers.*.hostility_weight",
    "customers.tiers.*.value", "customers.issues.*.resolution_factor", "customers.issues.*.skill",
    "agents.*.skills", "agents.*.tenure", "agents.*.empathy", "agents.*.hiring_cost", "routing",
)


def is_plain(scenario: Scenario) -> bool:
    """Whether the lean single-queue engine applies: the scenario differs from ``PLAIN_TEMPLATE`` only in the
    settings the plain queue understands (one phone line without hours, one group, one issue, no base)."""
    if scenario.behaviour.enabled or len(scenario.agents) != 1 or len(scenario.customers.issues) != 1:
        return False
    return _masked(scenario) == _masked(_template(scenario))


def _template(scenario: Scenario) -> Scenario:
    """The plain queue's canonical scenario with this one's tier, issue and group names."""
    tiers = {name: {"share": 1.0 / len(scenario.customers.tiers)} for name in scenario.customers.tiers}
    issue, group = next(iter(scenario.customers.issues)), next(iter(scenario.agents))
    return Scenario.model_validate({
        "channels": {"phone": {"arrivals": {"rate": 1.0}, "handle_time": {"dist": "fixed", "value": 1.0}}},
        "customers": {"tiers": tiers, "issues": {issue: {"share": 1.0}}},
        "agents": {group: {"staffing": 1}}, "behaviour": "off",
    })


def _masked(scenario: Scenario) -> Any:
    data = scenario.model_dump(mode="json")
    for path in PLAIN_SETTINGS + IDLE_WITHOUT_BEHAVIOUR:
        _mask(data, path.split("."))
    return data


def _mask(node: Any, keys: list[str]) -> None:
    if not isinstance(node, dict) or not keys:
        return
    names = list(node) if keys[0] == "*" else [keys[0]]
    for name in names:
        if name in node:
            if len(keys) == 1:
                node[name] = "<any>"
            else:
                _mask(node[name], keys[1:])


def _plain_levels(scenario: Scenario, levels: Levels) -> None:
    """Paid, training and employed time of the plain queue's single group (no attrition there: the plan holds)."""
    group = Group(0, next(iter(scenario.agents)), scenario)
    for k in range(scenario.n_intervals):
        seconds = min((k + 1) * scenario.interval, scenario.horizon) - k * scenario.interval
        levels.paid_area[k], levels.training_area[k] = plan_levels(group, k, seconds)
        levels.employed_area[k] = group.positions * seconds


def _engine(scenario: Scenario, streams: Streams, layout: Layout, env: simpy.Environment, ledger: Ledger,
            levels: Levels, plain: bool, trace: Trace | None):
    """The engine for this scenario, built and started."""
    base = CustomerBase(scenario, streams) if scenario.customers.base is not None else None
    drawer = block_drawer(scenario, streams, layout, plain, base.tier if base is not None else None)
    demand = Demand(drawer, scenario.n_intervals, scenario.intervals_per_day)
    if plain:
        priorities = sorted({t.priority for t in scenario.customers.tiers.values()}, reverse=True)
        queue = PlainCentre(env, demand, floor_plan(scenario, next(iter(scenario.agents))), scenario.interval,
                            scenario.intervals_per_day, len(priorities), scenario.threshold_for("phone"),
                            scenario.service_level.short_abandon, len(layout.tiers), ledger, levels)
        queue.start()
        _plain_levels(scenario, levels)
        return queue
    roster = Roster(scenario, streams)
    if trace is not None:
        trace.roster = roster
    centre = Centre(env, scenario, demand, roster, layout, ledger, levels, FollowUps(scenario, layout, streams),
                    base, trace)
    centre.start(open_by_interval(scenario))
    return centre


def simulate(scenario: Scenario, replication: int = 0, root_seed: int | None = None,
             engine: str = "auto") -> RunOutput:
    """Run one replication of ``scenario`` and return what it recorded (and its contacts if asked for).

    ``engine``: ``auto`` picks the plain queue where it applies (``is_plain``), else the full centre;
    ``full`` forces the full centre (the tests compare the two).
    """
    seed = scenario.seed if root_seed is None else root_seed
    streams = Streams(seed, replication)
    layout = Layout(scenario)
    groups = list(scenario.agents)
    ledger = Ledger(scenario, layout.channels, layout.tiers, layout.issues, scenario.output.contacts)
    tiers = layout.tiers if scenario.customers.base is not None else None  # per-tier levels need the base
    levels = Levels(scenario.n_intervals, layout.channels, groups, tiers)
    plain = engine == "auto" and not scenario.output.trace and is_plain(scenario)
    trace = Trace(layout.channels, groups, None) if scenario.output.trace else None
    env = simpy.Environment()
    started = time.perf_counter()
    centre = _engine(scenario, streams, layout, env, ledger, levels, plain, trace)
    run_until(env, scenario.horizon)
    centre.finish(scenario.horizon)
    wall = time.perf_counter() - started
    sums = ledger.sums_frame(scenario.interval)
    meta = {
        "replication": replication,
        "root_seed": seed,
        "engine": "plain" if plain else "full",
        "streams": streams.names(),
        "wall_seconds": wall,
        "contacts": int(sums["offered"].sum()),
    }
    staffing = {name: floor_plan(scenario, name) for name in groups}
    return RunOutput(sums, ledger.breakdown_frame(), levels.frame(scenario.interval, scenario.horizon, staffing),
                     ledger.contacts_frame(groups), meta, trace.frame() if trace is not None else None)
