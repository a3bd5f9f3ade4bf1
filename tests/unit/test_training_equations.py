"""Training as delivered (docs/model.md section 6.1) against values worked by hand and Saks & Belcourt's shares."""

from __future__ import annotations

import math

import pytest

from sim.behaviour import training
from sim.config.behaviour import Training
from sim.config.schema import Scenario
from sim.model.agents import floor_plan, training_delivery

P = Training()
MONTH = 365.25 / 12 * 86400.0
WEEK = 7 * 86400.0


def test_defaults_are_the_documented_ones():
    assert (P.enabled, P.transfer, P.retention_time, P.established, P.capacity_per_week) == \
        (True, 0.62, 20 * MONTH, 0.0, None)


def test_transfer_and_decay_reproduce_saks_and_belcourt():
    """62% of training applied at once, 44% after 6 months, 34% after a year: 0.62 e^(-t/20 mo) gives
    0.62, 0.459 and 0.340 (the fit through the three points)."""
    assert training.stock(P, 0.0, 0.0, 0.62) == pytest.approx(0.62)
    assert training.stock(P, 0.0, 6 * MONTH, 0.62) == pytest.approx(0.62 * math.exp(-0.3))
    assert abs(training.stock(P, 0.0, 6 * MONTH, 0.62) - 0.44) < 0.02
    assert abs(training.stock(P, 0.0, 12 * MONTH, 0.62) - 0.34) < 0.005


def test_hours_a_year_maintain_a_stock_of_about_themselves():
    # 0.62 * 80 h * 20/12 years = 82.67 h: at steady state the stock is within 4% of the hours a year
    assert training.steady(P, 80.0) == pytest.approx(0.62 * 80 * 20 / 12)


def test_a_new_programme_ramps_up_slowly():
    # after 8 weeks of 80 h a year from nothing: 82.67 (1 - e^(-56 d / 608.75 d)) = 7.27 h
    assert training.stock(P, 80.0, 8 * WEEK, 0.0) == pytest.approx(82.667 * (1 - math.exp(-56 / 608.75)), rel=1e-4)
    assert training.stock(P, 80.0, 8 * WEEK, 0.0) == pytest.approx(7.27, abs=0.01)
    assert training.stock(P, 80.0, 100 * 12 * MONTH, 0.0) == pytest.approx(training.steady(P, 80.0))


def test_a_programme_kept_running_stays_and_one_stopped_decays():
    start = training.steady(P, 80.0)
    assert training.stock(P, 80.0, 26 * WEEK, start) == pytest.approx(start)
    assert training.stock(P, 0.0, 20 * MONTH, start) == pytest.approx(start / math.e)


def test_trainers_deliver_their_capacity_and_no_more():
    assert training.delivery_factor(P, 400.0) == 1.0  # no cap
    capped = Training(capacity_per_week=100.0)
    assert training.delivery_factor(capped, 400.0) == 0.25
    assert training.delivery_factor(capped, 80.0) == 1.0


def centre(**training_part) -> Scenario:
    """Two groups of 10, 24 h a day for a week, 180 h of training a year each out of 1800 paid: 10% off the floor,
    i.e. 2 agents x 168 h = 336 trainee-hours a week asked for."""
    group = {"staffing": 10, "training_hours": "180h"}
    return Scenario.model_validate({
        "horizon": "1w", "interval": "1h",
        "channels": {"phone": {"arrivals": {"rate": "1/h"}, "handle_time": {"dist": "fixed", "value": "60s"}}},
        "agents": {"a": group, "b": group},
        "behaviour": {"training": training_part},
    })


def test_a_capacity_of_half_what_is_asked_takes_half_the_time_off_the_floor():
    full, half = centre(), centre(capacity_per_week="168h")
    assert training_delivery(full) == 1.0 and training_delivery(half) == pytest.approx(0.5)
    off = {name: sum(10 - n for n in floor_plan(s, "a")) for name, s in (("full", full), ("half", half))}
    assert off["full"] == 168  # 10% of 10 agents x 168 h, to the agent-hour (error diffusion)
    assert off["half"] == 84
    assert training_delivery(centre(capacity_per_week="168h", enabled=False)) == 1.0
