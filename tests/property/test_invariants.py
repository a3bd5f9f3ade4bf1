"""Invariants of one simulated replication, checked on random small scenarios with hypothesis.

Every property here must hold for *any* valid scenario and seed: conservation of
contacts, agreement between the per-contact log and the tallies, exact Little's
law over the run, occupancy bounds, determinism and common random numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.config.loader import validate
from sim.config.schema import Scenario
from sim.model import simulate
from helpers import phone_scenario

PROPERTY = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
INTERVALS = (900.0, 1800.0, 3600.0)  # 15 min, 30 min, 1 h
MAX_HORIZON = 4 * 3600.0
MAX_AGENTS = 10

seeds = st.integers(min_value=0, max_value=2**32 - 1)
replications = st.integers(min_value=0, max_value=50)
seconds = st.floats(min_value=5.0, max_value=900.0, allow_nan=False, allow_infinity=False)
cvs = st.floats(min_value=0.2, max_value=3.0)


def continuous_handle_times() -> st.SearchStrategy[dict]:
    return st.one_of(
        st.builds(lambda m: {"dist": "exponential", "mean": m}, seconds),
        st.builds(lambda m, cv: {"dist": "lognormal", "mean": m, "cv": cv}, seconds, cvs),
        st.builds(lambda m, cv: {"dist": "gamma", "mean": m, "cv": cv}, seconds, cvs),
    )


def handle_times() -> st.SearchStrategy[dict]:
    return st.one_of(
        continuous_handle_times(),
        st.builds(lambda v: {"dist": "fixed", "value": v}, seconds),
        st.builds(lambda vs: {"dist": "empirical", "values": vs}, st.lists(seconds, min_size=1, max_size=5)),
    )


def patiences() -> st.SearchStrategy[dict]:
    return st.one_of(
        st.builds(lambda m: {"dist": "exponential", "mean": m}, seconds),
        st.builds(lambda k, s: {"dist": "weibull", "shape": k, "scale": s}, st.floats(0.3, 4.0), seconds),
        st.builds(lambda v: {"dist": "fixed", "value": v}, st.floats(0.0, 900.0)),
        st.just({"dist": "none"}),
    )


def tiers() -> st.SearchStrategy[dict]:
    one = st.just({"regular": {"share": 1.0}})
    share = st.integers(0, 100).map(lambda p: p / 100)
    two = st.builds(
        lambda s, p1, p2, f1, f2: {
            "regular": {"share": 1 - s, "priority": p1, "patience_factor": f1},
            "gold": {"share": s, "priority": p2, "patience_factor": f2},
        },
        share, st.integers(0, 2), st.integers(0, 2), st.floats(0.25, 4.0), st.floats(0.25, 4.0),
    )
    return st.one_of(one, two)


@st.composite
def scenario_dicts(
    draw,
    min_rate: float = 0.0,
    handle: st.SearchStrategy[dict] | None = None,
    patience: st.SearchStrategy[dict] | None = None,
    min_agents: int = 0,
) -> dict:
    """A small valid scenario as a dict: a few hours, up to a few hundred contacts."""
    interval = draw(st.sampled_from(INTERVALS))
    n_intervals = draw(st.integers(1, int(MAX_HORIZON / interval)))
    partial_last = draw(st.booleans())
    horizon = (n_intervals - 0.5) * interval if partial_last else n_intervals * interval
    rate = draw(st.floats(max(min_rate, 0.2 / 60), 3 / 60))  # per second: 0.2 to 3 calls a minute
    if min_rate == 0 and draw(st.sampled_from([False] * 9 + [True])):
        rate = 0.0  # now and then, a scenario nobody calls
    headcount = st.integers(min_agents, MAX_AGENTS)
    per_day = round(86400 / interval)
    staffing = draw(st.one_of(  # one headcount, one per interval of the horizon, or one per interval of a day
        headcount,
        st.lists(headcount, min_size=n_intervals, max_size=n_intervals),
        st.lists(headcount, min_size=per_day, max_size=per_day),
    ))
    channel = {
        "arrivals": {"rate": rate},
        "handle_time": draw(handle if handle is not None else handle_times()),
        "patience": draw(patience if patience is not None else patiences()),
    }
    if draw(st.booleans()):
        channel["after_contact_work"] = draw(handle_times())
    return {
        "horizon": horizon,
        "interval": interval,
        "service_level": {"threshold": draw(st.integers(0, 60)), "short_abandon": draw(st.integers(0, 20))},
        "channels": {"phone": channel},
        "customers": {"tiers": draw(tiers())},
        "agents": {"team": {"staffing": staffing}},
        "behaviour": "off",  # the queue alone; tests/property/test_journey.py covers the behaviour model
        "output": {"contacts": True},
    }


def scenario(data: dict) -> Scenario:
    return validate(Scenario, data, "test", units_required=False)


def run(data: dict, replication: int = 0, seed: int = 1):
    return simulate(scenario(data), replication, seed)


def totals(out) -> pd.Series:
    return out.sums.drop(columns=["interval", "start_seconds", "channel"]).sum()


def by_outcome(contacts: pd.DataFrame, outcome: str) -> pd.DataFrame:
    return contacts[contacts["outcome"] == outcome]


def close(a: float, b: float, scale: float = 1.0) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6 * max(1.0, scale))


# --- conservation and bounds -------------------------------------------------------------------


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_every_offered_contact_is_answered_abandoned_or_still_queued_in_each_slot(data, replication, seed):
    slots = run(data, replication, seed).sums
    assert (slots["offered"] == slots["answered"] + slots["abandoned"] + slots["in_queue_end"]).all()


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_sub_counts_never_exceed_their_parent_counts(data, replication, seed):
    slots = run(data, replication, seed).sums
    assert (slots["answered_within"] <= slots["answered"]).all()
    assert (slots["short_abandoned"] <= slots["abandoned"]).all()
    assert (slots["delayed"] <= slots["offered"]).all()
    # Whoever abandoned or is still queued at the end must have queued first.
    assert (slots["abandoned"] + slots["in_queue_end"] <= slots["delayed"]).all()


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_waits_and_handle_times_are_never_negative(data, replication, seed):
    out = run(data, replication, seed)
    for column in ("wait_answered_sum", "wait_abandoned_sum", "handle_sum"):
        assert (out.sums[column] >= 0).all(), column
    assert (out.contacts["wait_seconds"] >= 0).all()
    assert (out.contacts["handle_seconds"] >= 0).all()
    assert (out.levels[["queue_area", "busy_area", "staffed_area"]] >= 0).all().all()


@PROPERTY
@given(data=scenario_dicts(patience=st.just({"dist": "none"})), replication=replications, seed=seeds)
def test_nobody_abandons_without_a_patience_distribution(data, replication, seed):
    t = totals(run(data, replication, seed))
    assert t["abandoned"] == 0 and t["short_abandoned"] == 0 and t["wait_abandoned_sum"] == 0


# --- the contact log agrees with the tallies ---------------------------------------------------


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_contact_log_agrees_with_the_slot_tallies(data, replication, seed):
    s = scenario(data)
    out = simulate(s, replication, seed)
    contacts = out.contacts
    assert len(contacts) == out.sums["offered"].sum()
    assert (contacts["arrival_seconds"] >= 0).all() and (contacts["arrival_seconds"] < s.horizon).all()
    per_slot = contacts.assign(
        interval=(contacts["arrival_seconds"] // s.interval).astype(int),
        answered=contacts["outcome"] == "answered",
        abandoned=contacts["outcome"] == "abandoned",
        in_queue_end=contacts["outcome"] == "queued_at_end",
        answered_within=(contacts["outcome"] == "answered") & (contacts["wait_seconds"] <= s.service_level.threshold),
        short_abandoned=(contacts["outcome"] == "abandoned")
        & (contacts["wait_seconds"] <= s.service_level.short_abandon),
    )
    per_slot["offered"] = 1
    counts = ["offered", "answered", "abandoned", "in_queue_end", "answered_within", "short_abandoned"]
    from_log = per_slot.groupby(["interval", "channel"], observed=False)[counts].sum()
    from_tally = out.sums.set_index(["interval", "channel"])[counts]
    from_log = from_log.reindex(from_tally.index, fill_value=0).astype(np.int64)
    pd.testing.assert_frame_equal(from_log, from_tally, check_names=False)
    after = per_slot[per_slot["arrival_seconds"] >= s.warmup - 1e-9]  # the per-tier table starts after the warm-up
    by_tier = after.groupby("tier", observed=False)[counts].sum().astype(np.int64)
    pd.testing.assert_frame_equal(by_tier, out.breakdown.groupby("tier", observed=False)[counts].sum(),
                                  check_names=False)

    t = totals(out)
    answered, abandoned = by_outcome(contacts, "answered"), by_outcome(contacts, "abandoned")
    assert close(answered["wait_seconds"].sum(), t["wait_answered_sum"], s.horizon)
    assert close(abandoned["wait_seconds"].sum(), t["wait_abandoned_sum"], s.horizon)
    assert close(answered["handle_seconds"].sum(), t["handle_sum"], s.horizon)


@PROPERTY
@given(
    data=scenario_dicts(patience=st.builds(lambda v: {"dist": "fixed", "value": v}, st.floats(0.0, 900.0))),
    replication=replications,
    seed=seeds,
)
def test_with_fixed_patience_abandoners_wait_exactly_their_patience(data, replication, seed):
    s = scenario(data)
    contacts = simulate(s, replication, seed).contacts
    patience = s.channels.phone.patience.value
    factor = {name: t.patience_factor for name, t in s.customers.tiers.items()}
    limit = contacts["tier"].map(factor).astype(float) * patience
    abandoned = contacts["outcome"] == "abandoned"
    assert np.allclose(contacts.loc[abandoned, "wait_seconds"], limit[abandoned], rtol=1e-9, atol=1e-6)
    assert (contacts["wait_seconds"] <= limit + 1e-6).all()


# --- levels ------------------------------------------------------------------------------------


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_occupancy_never_exceeds_one_and_busy_time_never_exceeds_handle_time(data, replication, seed):
    out = run(data, replication, seed)
    levels = out.levels
    slack = 1e-9 * levels["length_seconds"].max()
    assert (levels["busy_area"] <= levels["staffed_area"] + slack).all()
    assert levels["busy_area"].sum() <= out.sums["handle_sum"].sum() + slack


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_agents_on_duty_are_the_schedule_plus_only_busy_agents_finishing_a_contact(data, replication, seed):
    levels = run(data, replication, seed).levels
    scheduled = levels["agents_scheduled"] * levels["length_seconds"]
    assert (levels["staffed_area"] >= scheduled - 1e-6).all()
    # Agents past the end of their shift stay only while busy: on duty - scheduled <= busy at every instant.
    assert (levels["staffed_area"] - scheduled <= levels["busy_area"] + 1e-6).all()


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_littles_law_holds_exactly_over_the_run(data, replication, seed):
    """Queue-length area = total time spent queueing, including the unfinished waits at the horizon."""
    s = scenario(data)
    out = simulate(s, replication, seed)
    contacts = out.contacts
    answered = by_outcome(contacts, "answered")["wait_seconds"].sum()
    abandoned = by_outcome(contacts, "abandoned")["wait_seconds"].sum()
    still_queued = (s.horizon - by_outcome(contacts, "queued_at_end")["arrival_seconds"]).sum()
    assert close(out.levels["queue_area"].sum(), answered + abandoned + still_queued, s.horizon)


# --- reproducibility and common random numbers -------------------------------------------------


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_same_scenario_replication_and_seed_give_identical_slots_with_or_without_the_log(data, replication, seed):
    first = run(data, replication, seed).sums
    pd.testing.assert_frame_equal(first, run(data, replication, seed).sums)
    pd.testing.assert_frame_equal(first, run({**data, "output": {"contacts": False}}, replication, seed).sums)


@PROPERTY
@given(
    data=scenario_dicts(min_rate=1 / 60, handle=continuous_handle_times(), min_agents=1),
    replication=replications,
    seed=seeds,
)
def test_a_different_replication_gives_different_slots(data, replication, seed):
    s = scenario(data)
    a, b = simulate(s, replication, seed).sums, simulate(s, replication + 1, seed).sums
    assert not a.equals(b)


@PROPERTY
@given(data=scenario_dicts(), other=st.data(), replication=replications, seed=seeds)
def test_changing_only_staffing_keeps_the_same_customers(data, other, replication, seed):
    n = scenario(data).n_intervals
    restaffed = {**data, "agents": {"team": {"staffing": other.draw(
        st.lists(st.integers(0, MAX_AGENTS), min_size=n, max_size=n), label="staffing")}}}
    a, b = run(data, replication, seed), run(restaffed, replication, seed)
    assert (a.sums["offered"] == b.sums["offered"]).all()
    key = ["arrival_seconds", "tier"]
    pd.testing.assert_frame_equal(a.contacts[key], b.contacts[key])


# --- priority tiers ----------------------------------------------------------------------------


def test_higher_priority_tier_waits_less_under_heavy_load():
    """M/M/8+M at 2/min with 4 min handling (load 8 = agents), half the callers served first."""
    data = phone_scenario(
        horizon="3d",
        customers={"tiers": {"regular": {"share": 0.5, "priority": 0}, "gold": {"share": 0.5, "priority": 1}}},
        agents={"team": {"staffing": 8}},
    )
    slots = run(data, 0, 7).breakdown  # per tier (no warm-up here: the whole run)
    per_tier = slots.groupby("tier", observed=False)[["wait_answered_sum", "answered", "abandoned"]].sum()
    asa = per_tier["wait_answered_sum"] / per_tier["answered"]
    assert per_tier["answered"].min() > 1000  # both tiers were well represented
    assert asa["gold"] <= asa["regular"]
    assert per_tier.loc["gold", "abandoned"] <= per_tier.loc["regular", "abandoned"]


def answered_with_levels(s: Scenario, contacts: pd.DataFrame) -> pd.DataFrame:
    """Answered contacts with the time they were answered and their tier's priority."""
    priority = {name: t.priority for name, t in s.customers.tiers.items()}
    answered = by_outcome(contacts, "answered")
    return answered.assign(
        answered_at=answered["arrival_seconds"] + answered["wait_seconds"],
        priority=answered["tier"].map(priority).astype(int),
    )


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_first_come_first_served_within_a_priority_level(data, replication, seed):
    s = scenario(data)
    answered = answered_with_levels(s, simulate(s, replication, seed).contacts)
    for _, level in answered.groupby("priority"):
        times = level.sort_values("arrival_seconds", kind="stable")["answered_at"].to_numpy()
        assert (np.diff(times) >= -1e-6).all()


@PROPERTY
@given(data=scenario_dicts(), replication=replications, seed=seeds)
def test_no_contact_is_answered_while_a_higher_priority_one_waits(data, replication, seed):
    s = scenario(data)
    answered = answered_with_levels(s, simulate(s, replication, seed).contacts)
    arrive, answer = answered["arrival_seconds"].to_numpy(), answered["answered_at"].to_numpy()
    priority = answered["priority"].to_numpy()
    for t, p in zip(answer, priority):
        # A higher-priority contact that had arrived by t and was answered only after t was skipped.
        skipped = (priority > p) & (arrive < t - 1e-6) & (answer > t + 1e-6)
        assert not skipped.any()
