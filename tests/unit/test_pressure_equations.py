"""The handle-time pressure equations (docs/model.md section 9) against values worked by hand."""

from __future__ import annotations

import pytest

from sim.behaviour import service
from sim.behaviour.service import KEEP, PASS_ON, RELEASE
from sim.config.behaviour import Pressure

P = Pressure(enabled=True)  # target 300 s, cut 0.5, penalty 1.0, strain 0.002 + 0.02 c, rushed 0.3, dumping 0.2 past 2x


def test_defaults_are_the_documented_ones():
    assert (P.target, P.cut, P.resolution_penalty) == (300.0, 0.5, 1.0)
    assert (P.strain, P.strain_cut, P.rushed) == (0.002, 0.02, 0.3)
    assert (P.dumping, P.dump_after, P.dump_transfer_share) == (0.2, 2.0, 0.5)
    assert not Pressure().enabled


def test_a_contact_is_cut_by_half_its_time_beyond_the_target():
    assert service.pressured(P, 300.0) == (300.0, 0.0)
    handle, cut = service.pressured(P, 700.0)  # 700 - 0.5 * 400 = 500; 200 of 700 cut
    assert handle == pytest.approx(500.0) and cut == pytest.approx(2 / 7)


def test_resolution_falls_in_proportion_to_the_share_cut_and_never_below_zero():
    assert service.pressure_resolution_factor(P, 0.0) == 1.0
    assert service.pressure_resolution_factor(P, 2 / 7) == pytest.approx(5 / 7)
    assert service.pressure_resolution_factor(P.model_copy(update={"resolution_penalty": 3.0}), 0.5) == 0.0


def test_a_contact_got_rid_of_takes_the_target_and_loses_the_rest():
    assert service.dumped(P, 900.0) == pytest.approx((300.0, 2 / 3))


def test_only_contacts_running_past_twice_the_target_are_got_rid_of():
    for u in (0.0, 0.21, 0.5, 0.99):
        assert service.dump_choice(P, 600.0, u, 0.2) == KEEP  # 600 s is not beyond 2 x 300 s


def test_the_ordinary_transfer_comes_first_and_dumping_uses_what_is_left_of_its_uniform():
    # transfer chance 0.2: u < 0.2 is an ordinary transfer; v = (u - 0.2) / 0.8 decides dumping
    assert service.dump_choice(P, 700.0, 0.1, 0.2) == KEEP
    assert service.dump_choice(P, 700.0, 0.2 + 0.8 * 0.05, 0.2) == PASS_ON  # v = 0.05 < 0.2 * 0.5
    assert service.dump_choice(P, 700.0, 0.2 + 0.8 * 0.15, 0.2) == RELEASE  # 0.1 <= v < 0.2
    assert service.dump_choice(P, 700.0, 0.2 + 0.8 * 0.5, 0.2) == KEEP
    assert service.dump_choice(P, 700.0, 0.5, 1.0) == KEEP  # nothing left when every contact is transferred


def test_dumping_shares_integrate_to_the_stated_probabilities():
    """Over u uniform: ordinary transfer 0.2, passed on 0.8 * 0.2 * 0.5 = 0.08, released 0.08 (midpoint rule)."""
    n = 100_000
    choices = [service.dump_choice(P, 700.0, (i + 0.5) / n, 0.2) for i in range(n)]
    assert choices.count(PASS_ON) / n == pytest.approx(0.08, abs=2 / n)
    assert choices.count(RELEASE) / n == pytest.approx(0.08, abs=2 / n)


def test_strain_and_rushing_grow_with_the_cut():
    # (0.002 + 0.02 * 0.25) * (1 - 0.5 * 0.5) = 0.007 * 0.75
    assert service.pressure_strain(P, 0.25, 0.5) == pytest.approx(0.00525)
    assert service.pressure_strain(P, 0.0, 0.0) == pytest.approx(0.002)  # every contact worked to a target
    assert service.rushed_increment(P, 0.2) == pytest.approx(0.06)
    assert service.rushed_increment(P, 0.0) == 0.0
