"""The waiting equations (sim/behaviour/waiting.py) against values worked by hand: a queue-position
announcement's patience and perceived-wait factors (docs/model.md sections 1 and 2), a follow-up's patience
and tolerance rescaled to the customer's tier, a handle time rescaled to the contact's issue, and the
tolerance an email acknowledgement's promise sets (section 2.2)."""

from __future__ import annotations

import pytest

from sim.behaviour.service import rescaled_handle
from sim.behaviour.waiting import (
    follow_up_patience,
    position_patience_factor,
    position_perceived_factor,
    promised_tolerance,
    to_tier,
)
from sim.config.email_policy import EmailPolicy


def test_an_announced_queue_position_doubles_patience():
    assert position_patience_factor(True) == 2.0
    assert position_patience_factor(False) == 1.0


def test_an_announced_queue_position_makes_the_wait_feel_four_fifths_as_long():
    assert position_perceived_factor(True) == 0.8
    assert position_perceived_factor(False) == 1.0


@pytest.mark.parametrize("drawn,own,drawn_factor,redial,expected", [
    (300.0, 1.0, 1.0, None, 300.0),  # drawn for the same tier: unchanged
    (300.0, 1.5, 1.0, None, 450.0),  # a priority customer (x1.5) from a draw for a standard one
    (450.0, 1.0, 1.5, None, 300.0),  # and the other way round
    (300.0, 1.5, 1.0, 0.8, 360.0),  # a redial: 450 s x 0.8
])
def test_a_follow_ups_patience_is_rescaled_to_the_customers_tier(drawn, own, drawn_factor, redial, expected):
    assert follow_up_patience(drawn, own, drawn_factor, redial) == pytest.approx(expected)


@pytest.mark.parametrize("drawn,own,drawn_factor,expected", [
    (75.0, 1.0, 1.0, 75.0),  # drawn for the same tier: unchanged
    (75.0, 0.8, 1.0, 60.0),  # a priority customer (x0.8) from a draw for a standard one
    (60.0, 1.0, 0.8, 75.0),  # and the other way round
])
def test_a_follow_ups_tolerance_is_rescaled_to_the_customers_tier(drawn, own, drawn_factor, expected):
    assert to_tier(drawn, own, drawn_factor) == pytest.approx(expected)


@pytest.mark.parametrize("drawn,own,drawn_factor,expected", [
    (300.0, 1.0, 1.0, 300.0),  # drawn for the contact's own issue: unchanged
    (300.0, 1.8, 0.6, 900.0),  # a complex issue (x1.8) from a draw for a simple one (x0.6): x3
    (900.0, 0.6, 1.8, 300.0),  # and the other way round
])
def test_a_handle_time_drawn_for_another_issue_is_rescaled_to_the_contacts(drawn, own, drawn_factor, expected):
    assert rescaled_handle(drawn, own, drawn_factor) == pytest.approx(expected)


def test_an_acknowledgement_sets_the_tolerance_to_the_expectation_times_the_target():
    assert promised_tolerance(EmailPolicy(), 14400.0) == 14400.0  # expectation 1: the 4 h target itself
    assert promised_tolerance(EmailPolicy(expectation=1.5), 14400.0) == pytest.approx(21600.0)  # 6 h
    assert promised_tolerance(EmailPolicy(acknowledgement=False), 14400.0) is None  # customers keep their own
