"""The callback (virtual hold) equations (sim/behaviour/callbacks.py) against values computed by hand, and the
config section's defaults and limits (docs/model.md section 2.3)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from sim.behaviour.callbacks import expected_wait, felt_wait, held_wait_equivalent, offered
from sim.config.behaviour import Frustration
from sim.config.callbacks import Callbacks
from sim.config.schema import Scenario
from sim.config.traits import TRAITS


@pytest.mark.parametrize("ahead,handle,agents,expected", [
    (0, 300.0, 1, 300.0),  # one busy agent, nobody ahead: the next departure, one mean handle time away
    (3, 300.0, 1, 1200.0),  # four departures
    (9, 240.0, 8, 300.0),  # 10 x 240 / 8
    (0, 240.0, 8, 30.0),
])
def test_the_expected_wait_is_the_departures_to_wait_for_over_the_rate_of_departures(ahead, handle, agents, expected):
    assert expected_wait(ahead, handle, agents) == pytest.approx(expected)


def test_the_expected_wait_with_nobody_to_serve_is_infinite_and_arrays_work_elementwise():
    assert expected_wait(5, 300.0, 0) == math.inf
    out = expected_wait(np.array([0, 3, 9]), 300.0, np.array([1, 1, 0]))
    assert np.array_equal(out, [300.0, 1200.0, np.inf])


def test_a_callback_is_offered_only_strictly_above_the_threshold():
    assert offered(61.0, 60.0) and not offered(60.0, 60.0) and not offered(10.0, 60.0)
    assert np.array_equal(offered(np.array([30.0, 60.0, 90.0]), 60.0), [False, False, True])


def test_a_virtual_wait_frustrates_as_a_share_of_a_held_one():
    assert felt_wait(600.0, 0.2) == pytest.approx(120.0)
    assert felt_wait(600.0, 1.0) == 600.0  # felt 1: no different from holding


def test_a_missed_call_back_costs_what_a_long_held_wait_would():
    """With the defaults (wait coefficient 0.05 per tolerance multiple, cap 0.4) a missed call back (0.2) adds as
    much as a perceived held wait of (0.2 / 0.05 + 1) x 75 s = 375 s, five times the phone's median tolerance."""
    p = Frustration()
    assert held_wait_equivalent(p, Callbacks().missed_frustration, 75.0) == pytest.approx(375.0)
    assert held_wait_equivalent(p, 0.5, 75.0) == math.inf  # more than waiting can ever add (its cap)


def test_the_defaults_are_the_documented_ones():
    c = Callbacks()
    assert (c.offer_above, c.take_up, c.dial, c.missed, c.felt, c.missed_frustration, c.recall) == \
        (60.0, 0.37, 30.0, 0.07, 0.2, 0.2, 0.5)
    assert c.recall_after.mean == 900.0


def test_only_a_channel_where_the_caller_can_leave_the_line_offers_callbacks():
    assert [c for c, t in TRAITS.items() if t.virtual_hold] == ["phone"]
    base = {"arrivals": {"rate": "10/h"}, "handle_time": {"dist": "fixed", "value": "5min"}}
    with pytest.raises(ValidationError, match="callbacks"):
        Scenario.model_validate({"channels": {"walk_in": {**base, "callbacks": {}}}, "agents": {"a": {"staffing": 1}}})
    with pytest.raises(ValidationError, match="take_up"):
        Callbacks.model_validate({"take_up": 1.5})
    with pytest.raises(ValidationError, match="dial"):
        Callbacks.model_validate({"dial": 0})


@pytest.mark.parametrize("frustration,expected", [
    ({}, 0.05 + 0.2),  # 120 s felt over a tolerance of 60 s: 0.05 x (120 / 60 - 1); then the broken promise's 0.2
    ({"enabled": False}, 0.0),  # frustration off: nothing moves
])
def test_a_missed_call_back_frustrates_as_its_felt_wait_and_the_broken_promise(frustration, expected):
    from sim.config.loader import validate
    from sim.model.contact import Contact, Episode
    from sim.model.demand import Layout
    from sim.model.journey.customer import CustomerSide
    from sim.model.ledger import Ledger

    scenario = validate(Scenario, {
        "channels": {"phone": {"arrivals": {"daily_volume": 10}, "handle_time": {"dist": "fixed", "value": "60s"}}},
        "agents": {"team": {"staffing": 1}}, "behaviour": {"frustration": frustration}}, "test")
    layout = Layout(scenario)
    side = CustomerSide(scenario, layout.channels, Ledger(scenario, layout.channels, layout.tiers, layout.issues,
                                                          False), None, lambda value: None)
    contact = Contact(0, 0, 0, 1, 0.0, 0, 60.0, 0.0, 300.0, 60.0, 0.0, *[0.5] * 5, 0.0, 0.5, 0.5, -1, 0.0)
    contact.episode = Episode(0.0, 0, 0)
    side.missed_callback(contact, 120.0, 0.2)
    assert contact.episode.frustration == pytest.approx(expected)
    assert contact.episode.peak == pytest.approx(expected)
