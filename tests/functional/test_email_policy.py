"""The email policy lever: the response target drives routing, an acknowledgement sets the customer's
expectation, chasers follow a missed promise. Exact wiring on small scenarios, directions under common random
numbers on the shipped centre (and the flip: without the policy a 4 h target changes only the measure), and a
policy that does nothing gives today's tables."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import assert_same_tables, day_tables

import sim
from sim.config.schema import Scenario
from sim.model import simulate
from sim.model.demand import ContactDraws, Layout
from sim.rng import Streams

ROOT = Path(__file__).resolve().parents[2]
CENTRE = ROOT / "configs" / "service_centre.yaml"
H = 3600.0


def desk(policy: dict | None, email_staff: int = 1) -> Scenario:
    """One agent answering phone and email: 30 calls an hour of 5 min (load 2.5: calls always wait, nobody
    hangs up), 6 emails an hour of 5 min, a 1 h target; a priority tier of 20% with tolerance factor 0.8."""
    email = {"arrivals": {"rate": "6/h"}, "handle_time": {"dist": "fixed", "value": "5min"},
             "response_target": "1h", "chaser": {"probability": 0.3}}
    if policy is not None:
        email["policy"] = policy
    return Scenario.model_validate({
        "horizon": "1d", "interval": "30min",
        "channels": {"phone": {"arrivals": {"rate": "30/h"}, "handle_time": {"dist": "fixed", "value": "5min"},
                               "patience": "none", "redial": None},
                     "email": email},
        "customers": {"tiers": {"regular": {"share": 0.8}, "priority": {"share": 0.2, "tolerance_factor": 0.8}}},
        "agents": {"team": {"channels": ["phone", "email"], "staffing": email_staff}},
        "behaviour": {"resolution": {"enabled": False}},
        "output": {"contacts": True},
    })


def test_an_acknowledgement_makes_the_promise_the_customers_tolerance():
    """Tolerance = expectation x target x the tier's factor: 1.5 x 3600 s = 5400 s, 4320 s for the priority tier."""
    scenario = desk({"acknowledgement": True, "expectation": 1.5})
    draws = ContactDraws(scenario, Layout(scenario), "email", Streams(1, 0), "")
    columns = draws.draw(2000)
    tier, tolerance = columns[1], columns[5]
    assert np.array_equal(tolerance, np.where(tier == 1, 4320.0, 5400.0))
    plain = ContactDraws(desk(None), Layout(desk(None)), "email", Streams(1, 0), "").draw(2000)
    assert len(np.unique(plain[5])) > 2  # without the policy: the customers' own expectations


def emails(log: pd.DataFrame) -> pd.DataFrame:
    return log[(log["channel"] == "email") & (log["outcome"] == "answered")]


def test_emails_past_the_rise_go_before_live_work():
    """Calls always wait, so without the policy the agent answers (almost) no email; with rise_at 0.5 an email
    is answered once it has waited 30 min, at the first free moment after (emails: about 6 x 23.5 = 141)."""
    without = emails(simulate(desk(None), 0, 3).contacts)
    rising = emails(simulate(desk({"rise_at": 0.5, "acknowledgement": False}), 0, 3).contacts)
    assert len(without) < 5
    assert len(rising) > 100 and (rising["wait_seconds"] >= 0.5 * H - 1e-6).all()


def test_chasers_follow_the_missed_promise():
    """No rise: the one agent is kept busy by calls, so emails wait, and each email's customer chases with
    probability 0.3 at chase_after x promise = 1.25 x 3600 s = 4500 s (3600 s for the priority tier's 0.8).
    (Without the policy the chaser comes at chaser.after = 2 x the customer's own tolerance.)"""
    log = simulate(desk({"rise_at": None, "chase_after": 1.25}), 0, 3).contacts
    first = log[(log["channel"] == "email") & (log["kind"] == "first")].set_index("customer")["arrival_seconds"]
    chasers = log[log["kind"] == "chaser"]
    lag = (chasers["arrival_seconds"] - first.loc[chasers["customer"]].to_numpy()).to_numpy()
    expected = np.where(chasers["tier"] == "priority", 0.8 * 4500.0, 4500.0)
    assert np.allclose(lag, expected)
    n = int(((first < 24 * H - 4500.0)).sum())  # emails whose chaser falls inside the day
    assert abs(len(chasers) - 0.3 * n) < 5 * math.sqrt(0.3 * 0.7 * n)


# --- directions under common random numbers on the shipped centre, and the flip --------------------------------

REPLICATIONS, SEED = 4, 2026
POLICY = ("channels.email.policy.acknowledgement=true",)
FOUR = ("channels.email.response_target=4h",)


@cache
def runs(overrides: tuple[str, ...] = ()) -> pd.DataFrame:
    return sim.run(sim.load_config(CENTRE, ("horizon=2d", "warmup=0s") + overrides), REPLICATIONS, SEED).runs


def difference(kpi: str, low: tuple[str, ...], high: tuple[str, ...]) -> pd.Series:
    return runs(high)[kpi] - runs(low)[kpi]


@pytest.mark.parametrize("kpi,sign", [("email_service_level", -1), ("channel_switch_rate", +1),
                                      ("frustration_mean", +1), ("csat_mean", -1)])
def test_under_the_policy_a_4_h_promise_costs_chasers_and_satisfaction(kpi, sign):
    """Same staff: a 4 h promise is missed more often than a 24 h one (the desk works 08:00-18:00, emails come
    round the clock), so more customers chase by phone (a channel switch) and are frustrated."""
    assert (sign * difference(kpi, POLICY, POLICY + FOUR) > 0).all(), kpi


@pytest.mark.parametrize("kpi", ["channel_switch_rate", "frustration_mean", "csat_mean", "phone_service_level"])
def test_without_the_policy_the_target_is_only_a_measure(kpi):
    """The model before the lever: a 4 h target changes the email service level and nothing else, exactly."""
    assert (difference(kpi, (), FOUR) == 0).all()
    assert (difference("email_service_level", (), FOUR) < 0).all()


# --- off means off ---------------------------------------------------------------------------------------------


def test_a_policy_that_does_nothing_gives_todays_tables():
    """No rise and no acknowledgement: routing, tolerance and chasers are today's, table for table. (That a
    run without a policy is today's run was checked against main when the lever was built: branch report.)"""
    idle = ("channels.email.policy.rise_at=null", "channels.email.policy.acknowledgement=false")
    assert_same_tables(day_tables(CENTRE, SEED), day_tables(CENTRE, SEED, idle))
