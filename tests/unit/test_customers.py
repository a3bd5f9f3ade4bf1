"""The customer base and agent attrition: the pure hazards against the evidence note, and the seat mechanics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.behaviour.agents import quit_probability
from sim.behaviour.satisfaction import churn_probability, patience_memory
from sim.config.behaviour import Behaviour
from sim.config.loader import validate
from sim.config.schema import DAY, Scenario
from sim.model.customers import CustomerBase
from sim.rng import Streams

B = Behaviour()


def test_quit_hazard_gives_the_notes_annual_attrition():
    # 2.8: q0 = 2.4%/month is about 25%/yr at low stress; fully exhausted agents quit ~3x as often (~58%/yr)
    assert quit_probability(B.attrition, 0.0, 365.25) == pytest.approx(0.253, abs=0.002)
    assert quit_probability(B.attrition, 1.0, 365.25) == pytest.approx(0.592, abs=0.002)
    monthly = quit_probability(B.attrition, 0.5, 365.25 / 12)
    assert monthly == pytest.approx(0.024 * 3 ** 0.5)


def test_daily_quit_chances_compound_to_the_monthly_one():
    daily = quit_probability(B.attrition, 0.2, 1.0)
    assert 1 - (1 - daily) ** (365.25 / 12) == pytest.approx(0.024 * 3 ** 0.2)


def test_background_churn_is_h0_a_year_at_neutral_loyalty_and_falls_with_loyalty():
    assert churn_probability(B.loyalty, 0.0, 365.25) == pytest.approx(1 - math.exp(-0.10))
    p = churn_probability(B.loyalty, np.array([-1.0, 0.0, 1.0]), 1.0)
    assert p[0] > p[1] > p[2]
    assert p[0] / p[1] == pytest.approx(math.e, rel=1e-3)  # beta = 1: one unit of L is a factor e


def test_patience_memory_starts_at_the_factor_and_fades_back_to_one():
    assert patience_memory(B.memory, 0.0) == pytest.approx(0.8)
    assert patience_memory(B.memory, B.memory.time_constant) == pytest.approx(1 - 0.2 / math.e)
    assert patience_memory(B.memory, 1e12) == pytest.approx(1.0)


def _scenario(size: int = 1000, **behaviour) -> Scenario:
    return validate(Scenario, {
        "channels": {"phone": {"arrivals": {"daily_volume": 10}, "handle_time": {"dist": "fixed", "value": "60s"}}},
        "agents": {"team": {"staffing": 1}},
        "customers": {"base": {"size": size},
                      "tiers": {"regular": {"share": 0.8, "value": 100}, "gold": {"share": 0.2, "value": 1000}}},
        "behaviour": behaviour,
    }, "test")


def _base(size: int = 1000, **behaviour) -> CustomerBase:
    return CustomerBase(_scenario(size, **behaviour), Streams(7, 0))


def test_seats_have_fixed_tiers_in_their_shares_and_the_base_starts_full():
    base = _base(20000)
    assert base.count == 20000 and all(base.active)
    assert np.mean(base.tier == 1) == pytest.approx(0.2, abs=0.01)
    assert base.value_active == pytest.approx(100 * np.sum(base.tier == 0) + 1000 * np.sum(base.tier == 1))


def test_a_churned_seat_empties_and_is_refilled_by_a_new_neutral_customer():
    base = _base(100, loyalty={"background_churn": 0.0})
    base.loyalty[5], base.episodes[5] = -2.0, 3
    at_risk = base.churn(5, 10.0)
    assert at_risk == pytest.approx(base.value[5] * 1.0)  # money.lost_value_years = 1
    assert not base.active[5] and base.count == 99
    base.new_per_day = 50.0
    churned, _, joined = base.new_day(DAY)
    assert (churned, joined) == (0, 1)  # only one empty seat to fill
    assert base.active[5] and base.loyalty[5] == 0.0 and base.episodes[5] == 0 and base.count == 100


def test_default_acquisition_replaces_background_churn_at_neutral_loyalty():
    base = _base(365_250)
    assert base.new_per_day == pytest.approx(365_250 * 0.10 / 365.25)
    churned = sum(base.new_day(DAY * (d + 1))[0] for d in range(30))
    expected = 365_250 * (1 - math.exp(-0.10 * 30 / 365.25))
    assert abs(churned - expected) < 4 * math.sqrt(expected)


def test_loyalty_moves_only_outside_the_indifference_band_and_decays_between_contacts():
    base = _base()
    base.rate(0, 0.5, 0.0)  # inside [-1.34, 0.99]: no change
    assert base.loyalty[0] == 0.0 and base.episodes[0] == 1
    base.rate(0, -3.0, 0.0)
    loss = -0.3 / 1.1 * (3.0 - 1.34)
    assert base.loyalty[0] == pytest.approx(loss)
    later = B.loyalty.time_constant
    assert base.loyalty_now(0, later) == pytest.approx(loss / math.e)


def test_without_the_loyalty_part_nobody_drifts_away_and_nobody_new_comes():
    base = _base(loyalty={"enabled": False})
    assert base.new_day(DAY) == (0, 0.0, 0)
    assert base.loyalty_now(3, 1e6) == 0.0


def test_a_refilled_seat_is_a_new_customer_to_contacts_still_in_flight():
    # the churned customer's pending repeat or queued email must not touch the newcomer in their seat
    base = _base(10, loyalty={"background_churn": 0.0})
    before = base.generation[3]
    base.churn(3, 0.0)
    base.new_per_day = 5.0
    base.new_day(DAY)
    assert base.active[3] and base.generation[3] == before + 1


def test_the_journey_ignores_contacts_of_a_customer_who_left_the_seat():
    from sim.model.contact import Contact, Episode
    from sim.model.demand import Layout
    from sim.model.journey.customer import CustomerSide
    from sim.model.ledger import Ledger

    scenario = _scenario(10, loyalty={"background_churn": 0.0})
    base, layout = CustomerBase(scenario, Streams(7, 0)), Layout(scenario)
    ledger = Ledger(scenario, layout.channels, layout.tiers, layout.issues, False)
    side = CustomerSide(scenario, layout.channels, ledger, base, lambda value: None)
    contact = Contact(0, 0, 0, 1, 0.0, 0, 60.0, 0.0, 300.0, 60.0, 0.0, *[0.5] * 5, 0.0, 0.5, 0.5, 3, 0.0)
    contact.episode = Episode(0.0, 0, base.generation[3])
    assert side.customer(contact) == 3
    base.churn(3, 0.0)
    assert side.customer(contact) == -1  # churned: the seat is empty
    base.new_per_day = 5.0
    base.new_day(DAY)
    assert base.active[3] and side.customer(contact) == -1  # refilled: someone else now
