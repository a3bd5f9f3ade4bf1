"""The behavioural model (sim/behaviour) and its coefficients against values worked by hand from the
evidence note (docs/evidence/satisfaction-evidence.md, section 2 and table 2.10)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from helpers import phone_scenario
from sim.behaviour import agents, frustration as fr, service
from sim.config.behaviour import Behaviour, Exhaustion, Frustration, HandleTimeEffects, Learning, Pressure, Resolution
from sim.config.schema import Scenario

F, R, L, E = Frustration(), Resolution(), Learning(), Exhaustion()
MONTH, YEAR = 2629800.0, 31557600.0
TENURED = 2 * YEAR
share = st.floats(0, 1)


def fcr(skill: float, issue: float = 1.0, frustration: float = 0.0, exhaustion: float = 0.0) -> float:
    return service.resolution_probability(R, skill, issue, frustration, exhaustion)


# --- frustration (2.2-2.4) -------------------------------------------------------------------------------


def test_the_angry_share_arrives_uniformly_between_angry_low_and_high_the_rest_calm():
    u = np.array([0.0, 0.075, 0.12, 0.15, 0.9])  # defaults: share 0.15, anger U(0.2, 0.5) read from u / 0.15
    assert fr.initial_anger(F, u) == pytest.approx([0.2, 0.35, 0.44, 0.0, 0.0])


@pytest.mark.parametrize("perceived", [0.0, 30.0, 60.0])
def test_a_wait_within_tolerance_adds_nothing(perceived):
    assert fr.wait_increment(F, perceived, 60.0, 0.0) == 0.0


def test_beyond_tolerance_the_wait_adds_five_points_per_tolerance_multiple():
    assert fr.wait_increment(F, 120.0, 60.0, 0.0) == pytest.approx(0.05)
    assert fr.wait_increment(F, 240.0, 60.0, 0.0) == pytest.approx(0.15)  # 4 x tolerance: dF = 0.15 (2.11)


def test_waiting_adds_at_most_the_cap_per_episode():
    assert fr.wait_increment(F, 60.0 * 21, 60.0, 0.0) == pytest.approx(0.4)  # 0.05 x 20 = 1.0, capped
    assert fr.wait_increment(F, 240.0, 60.0, 0.35) == pytest.approx(0.05)
    assert fr.wait_increment(F, 240.0, 60.0, 0.4) == 0.0


def test_zero_tolerance_is_read_as_one_second():
    assert fr.wait_increment(F, 5.0, 0.0, 0.0) == pytest.approx(0.05 * 4)
    assert fr.wait_increment(F, 0.5, 0.0, 0.0) == 0.0


@pytest.mark.parametrize(("redial", "switched", "expected"),
                         [(True, False, 0.05), (False, False, 0.18), (True, True, 0.15), (False, True, 0.28)])
def test_coming_back_adds_the_redial_or_repeat_increment_and_a_channel_switch(redial, switched, expected):
    # defaults: redial 0.05, repeat_contact 0.18 (a repeat or a chaser), channel_switch 0.10
    assert fr.comeback_increment(F, redial, switched) == pytest.approx(expected)


@pytest.mark.parametrize(("nth", "cold", "expected"),
                         [(1, False, 0.10), (1, True, 0.15), (2, False, 0.20), (2, True, 0.30), (3, True, 0.30)])
def test_transfer_increment_is_warm_or_cold_and_doubled_from_the_second(nth, cold, expected):
    assert fr.transfer_increment(F, nth, cold) == pytest.approx(expected)


def test_increments_are_clipped_at_one_and_empathy_scales_by_0_7():
    assert fr.raised(0.9, 0.18) == 1.0
    assert fr.raised(0.2, 0.18) == pytest.approx(0.38)
    assert fr.eased(F, 0.5) == pytest.approx(0.35)


def test_a_contact_is_remembered_by_peak_and_end_equally():
    assert fr.remembered(F, 0.6, 0.2) == pytest.approx(0.4)


def test_balking_is_rare_up_to_five_ahead_and_even_at_the_midpoint():
    assert all(fr.balk_probability(8.0, 1.5, q) < 0.15 for q in range(6))
    assert fr.balk_probability(8.0, 1.5, 5) == pytest.approx(1 / (1 + math.e**2))
    assert fr.balk_probability(8.0, 1.5, 8) == pytest.approx(0.5)


# --- service (2.5) ----------------------------------------------------------------------------------------


def test_resolution_is_the_sqm_average_at_skill_0_6_and_the_ceiling_at_1():
    assert fcr(0.6) == pytest.approx(0.72, abs=0.005)
    assert fcr(1.0) == pytest.approx(0.83, abs=0.005)
    assert fcr(0.9) >= 0.80  # world class needs s >~ 0.9


def test_frustration_and_exhaustion_lower_resolution():
    assert fcr(0.6, frustration=1.0) == pytest.approx(0.72 * 0.9)
    assert fcr(0.6, exhaustion=1.0) == pytest.approx(0.72 * 0.85)


def test_issue_factor_scales_resolution_and_the_result_is_clipped():
    assert fcr(0.6, 0.75) == pytest.approx(0.72 * 0.75)
    assert fcr(1.0, 2.0) == 1.0
    assert fcr(-3.0) == 0.0


def test_transfer_probability_is_19_percent_at_average_skill():
    assert service.transfer_probability(R, 0.6) == pytest.approx(0.188)
    assert service.transfer_probability(R, 1.0) == pytest.approx(0.12)


def test_learning_factor_starts_at_1_95_and_is_gone_after_two_years():
    assert service.learning_factor(L, 0.0) == pytest.approx(1.95)
    assert service.learning_factor(L, 12 * MONTH) == pytest.approx(1.0, abs=0.02)  # "~1.0 by 12 months"
    assert service.learning_factor(L, TENURED) == pytest.approx(1.0, abs=1e-3)


def test_month_one_efficiency_matches_cinareo():
    """Mean factor over the first month: 1 + 0.95 * 3 (1 - e^(-1/3)) = 1.81 (V18: 1.8-1.9x); efficiency 0.55."""
    n = 1000
    mean = sum(service.learning_factor(L, (i + 0.5) * MONTH / n) for i in range(n)) / n
    assert mean == pytest.approx(1 + 0.95 * 3 * (1 - math.exp(-1 / 3)), rel=1e-6)
    assert 1.8 <= mean <= 1.9
    assert 1 / mean == pytest.approx(0.55, abs=0.01)


def test_hostile_customers_and_tired_agents_lengthen_handling():
    assert service.frustration_factor(HandleTimeEffects(), 1.0) == pytest.approx(1.15)
    assert service.exhaustion_factor(E, 0.5) == pytest.approx(1.10)


def test_pressure_cuts_half_the_time_beyond_the_target():
    p = Pressure()
    assert service.pressured(p, 300.0) == (300.0, 0.0)
    handle, cut = service.pressured(p, 500.0)
    assert handle == pytest.approx(400.0) and cut == pytest.approx(100.0 / 500.0)


# --- agents (2.8) -----------------------------------------------------------------------------------------


def test_skill_is_0_6_for_tenured_agents_without_extra_training_and_saturates_near_0_9():
    assert agents.skill(L, 0.0, TENURED) == pytest.approx(0.6, abs=1e-3)
    assert agents.skill(L, 400.0, TENURED) == pytest.approx(0.9, abs=1e-3)
    assert agents.skill(L, 2000.0, 100 * YEAR) <= 0.9 + 1e-12


def test_new_hires_resolve_8_points_less_and_5_on_average_over_three_months():
    assert agents.skill(L, 0.0, 0.0) == pytest.approx(0.31)

    def gap(tenure: float) -> float:
        return fcr(agents.skill(L, 0.0, TENURED)) - fcr(agents.skill(L, 0.0, tenure))

    assert gap(0.0) == pytest.approx(0.08, abs=0.005)
    n = 300
    assert sum(gap((i + 0.5) * 3 * MONTH / n) for i in range(n)) / n == pytest.approx(0.05, abs=0.005)


def test_training_has_diminishing_returns_on_empathy_and_resilience():
    assert agents.trained(L, 40.0) == pytest.approx(1 - math.exp(-1))
    assert agents.empathy_base(L, 0.0) == pytest.approx(0.5)
    e40, e80 = agents.empathy_base(L, 40.0), agents.empathy_base(L, 80.0)
    assert e40 == pytest.approx(0.5 + 0.3 * (1 - math.exp(-1)))
    assert e80 - e40 < e40 - 0.5
    assert agents.empathy_base(L, 2000.0) == pytest.approx(0.8)
    assert agents.resilience(L, 0.0) == 0.0 and agents.resilience(L, 2000.0) == pytest.approx(0.5)


def test_exhaustion_halves_empathy_at_full_exhaustion():
    assert agents.empathy(E, 0.6, 1.0) == pytest.approx(0.3)
    assert agents.empathy(E, 0.6, 0.0) == pytest.approx(0.6)


def test_exhaustion_increment_by_frustration_resilience_and_tier_weight():
    assert agents.after_contact(E, 0.1, 0.5, 0.0, 1.0) == pytest.approx(0.1 + 0.002 + 0.04 * 0.5)
    assert agents.after_contact(E, 0.0, 0.5, 0.5, 1.0) == pytest.approx(0.022 * 0.75)
    assert agents.after_contact(E, 0.0, 0.5, 0.0, 1.5) == pytest.approx(0.002 + 0.04 * 1.5 * 0.5)  # only hostility weighs
    assert agents.after_contact(E, 0.99, 1.0, 0.0, 100.0) == 1.0


def test_idle_agents_recover_by_half_every_recovery_time_ln2():
    assert agents.recovered(E, 0.4, 1800.0 * math.log(2)) == pytest.approx(0.2)
    assert agents.recovered(E, 0.4, 0.0) == pytest.approx(0.4)


@pytest.mark.parametrize("nights,expected", [(1, 0.4), (3, 0.1), (0, 0.4)])  # a weekend: 0.8 x 0.5^3; at least 1
def test_agents_back_on_shift_recover_by_between_shifts_per_night_off(nights, expected):
    assert agents.recovered_overnight(0.8, E.between_shifts, nights) == pytest.approx(expected)


# --- properties -------------------------------------------------------------------------------------------


@given(share, share, st.floats(0, 10), share, share)
def test_resolution_stays_a_probability_and_rises_with_skill(s1, s2, issue, f, e):
    lo, hi = sorted((s1, s2))
    p_lo, p_hi = (fcr(s, issue, f, e) for s in (lo, hi))
    assert 0.0 <= p_lo <= p_hi <= 1.0


@given(st.floats(0, 2000), st.floats(0, 2000), st.floats(0, 50 * YEAR))
def test_skill_stays_in_the_unit_interval_and_rises_with_training(h1, h2, tenure):
    lo, hi = sorted((h1, h2))
    assert 0.0 <= agents.skill(L, lo, tenure) <= agents.skill(L, hi, tenure) <= 1.0


@given(st.lists(st.floats(0, 1e6), max_size=20), st.floats(0, 3600))
def test_waiting_never_adds_more_than_the_cap(waits, tolerance):
    added = 0.0
    for w in waits:
        inc = fr.wait_increment(F, w, tolerance, added)
        assert inc >= 0.0
        added += inc
    assert added <= F.wait_cap + 1e-12


# --- configuration (table 2.10) ---------------------------------------------------------------------------

TABLE_2_10 = {  # behaviour section path -> default in the evidence note
    "frustration.angry_share": 0.15, "frustration.angry_low": 0.2, "frustration.angry_high": 0.5,
    "frustration.wait_coefficient": 0.05, "frustration.wait_cap": 0.4, "frustration.transfer_warm": 0.10,
    "frustration.transfer_cold": 0.15, "frustration.repeat_transfer_factor": 2.0, "frustration.repeat_contact": 0.18,
    "frustration.channel_switch": 0.10, "frustration.redial": 0.05, "frustration.overtaking": 0.05,
    "frustration.empathy_factor": 0.7, "frustration.peak_weight": 0.5,
    "resolution.base": 0.555, "resolution.skill_slope": 0.275, "resolution.frustration_penalty": 0.1,
    "resolution.exhaustion_penalty": 0.15, "resolution.transfer_base": 0.12, "resolution.transfer_skill_slope": 0.17,
    "resolution.repeat_probability": 0.9, "resolution.repeat_same_channel": 0.7,
    "learning.skill_base": 0.6, "learning.skill_gain": 0.3, "learning.training_scale_hours": 40.0,
    "learning.new_hire_skill_gap": 0.29, "learning.tenure_scale": 3 * MONTH, "learning.aht_new_hire_excess": 0.95,
    "learning.empathy_base": 0.5, "learning.empathy_gain": 0.3, "learning.resilience_gain": 0.5,
    "exhaustion.per_contact": 0.002, "exhaustion.hostility": 0.04, "exhaustion.recovery_time": 1800.0,
    "exhaustion.between_shifts": 0.5, "exhaustion.empathy_effect": 0.5, "exhaustion.handle_effect": 0.2,
    "handle_time.frustration": 0.15,
}


@pytest.mark.parametrize(("path", "expected"), TABLE_2_10.items())
def test_behaviour_defaults_are_the_evidence_table(path, expected):
    part, field = path.split(".")
    assert getattr(getattr(Behaviour(), part), field) == pytest.approx(expected)


def _all_channels() -> Scenario:
    channel = {"arrivals": {"rate": "1/min"}, "handle_time": {"dist": "exponential", "mean": "4min"}}
    return Scenario.model_validate(phone_scenario(
        channels={"walk_in": channel, "phone": channel, "email": channel},
        agents={"team": {"staffing": 9, "channels": ["walk_in", "phone", "email"]}}))


def _median_sigma(d) -> tuple[float, float]:
    sigma2 = math.log1p(d.cv**2)
    return d.mean * math.exp(-sigma2 / 2), math.sqrt(sigma2)


def test_repeat_delay_is_lognormal_with_median_one_day_and_sigma_one():
    assert _median_sigma(Resolution().repeat_delay) == pytest.approx((86400.0, 1.0))


def test_channel_defaults_are_the_evidence_table():
    c = _all_channels().channels
    assert c.phone.tolerance_zero_share == 0.13
    assert _median_sigma(c.phone.tolerance) == pytest.approx((75.0, 1.0))
    assert (c.phone.redial.probability, c.phone.redial.delay.mean, c.phone.redial.patience_factor) == (0.5, 900, 0.8)
    assert _median_sigma(c.walk_in.tolerance) == pytest.approx((240.0, 0.5))
    assert (c.walk_in.patience.dist, c.walk_in.patience.mean) == ("exponential", 1200.0)
    assert c.walk_in.perceived_wait_factor == 1.36
    assert (c.walk_in.balking.midpoint, c.walk_in.balking.scale) == (8.0, 1.5)
    assert c.email.tolerance.values == [900, 3600, 14400, 86400, 172800]
    assert c.email.tolerance.weights == [0.11, 0.19, 0.14, 0.43, 0.13]
    assert (c.email.chaser.probability, c.email.chaser.after) == (0.3, 2.0)


def test_phone_patience_default_is_exponential_300s():
    data = phone_scenario()
    del data["channels"]["phone"]["patience"]
    patience = Scenario.model_validate(data).channels.phone.patience
    assert (patience.dist, patience.mean) == ("exponential", 300.0)


@pytest.mark.parametrize("off", ["off", False, {"enabled": False}])
def test_behaviour_off_switches_every_part_off(off):
    b = Scenario.model_validate(phone_scenario(behaviour=off)).behaviour
    assert not b.enabled
    assert not any(b.on(part) for part in ("frustration", "resolution", "learning", "exhaustion", "handle_time"))


def test_every_part_is_on_by_default_except_the_pressure_assumption():
    b = Behaviour()
    assert all(b.on(part) for part in ("frustration", "resolution", "learning", "exhaustion", "handle_time"))
    assert not b.on("pressure")


@pytest.mark.parametrize(("bad", "message"), [
    ({"frustration": {"angry_share": 1.5}}, "angry_share"),
    ({"frustration": {"angry_low": 0.6, "angry_high": 0.4}}, "angry_low must not exceed angry_high"),
    ({"frustration": {"wait_coefficient": -0.1}}, "wait_coefficient"),
    ({"exhaustion": {"recovery_time": 0}}, "recovery_time"),
    ({"learning": {"skil_base": 0.5}}, "skil_base"),  # a typo is an unknown key
])
def test_out_of_range_coefficients_are_rejected(bad, message):
    with pytest.raises(ValidationError, match=message):
        Scenario.model_validate(phone_scenario(behaviour=bad))
