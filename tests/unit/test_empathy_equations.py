"""The empathy-cost equations (docs/model.md section 7.1) against values worked by hand."""

from __future__ import annotations

import pytest

from sim.behaviour import empathy, frustration, satisfaction
from sim.behaviour.empathy import GENUINE, NONE, SURFACE
from sim.config.behaviour import Empathy, Frustration
from sim.config.satisfaction import Satisfaction

P = Empathy()


def test_defaults_are_the_documented_ones():
    assert (P.enabled, P.time, P.recovery_time, P.surface_acting, P.surface_effect) == (True, 7.0, 30.0, 0.01, 0.5)


def test_responses_below_the_agents_own_empathy_are_genuine_and_the_decreed_rest_surface_acted():
    # a decree of 1.0 over an agent's own 0.5: u < 0.5 genuine, 0.5 <= u < 1 surface acted
    assert empathy.shown(0.2, 1.0, 0.5) == GENUINE
    assert empathy.shown(0.7, 1.0, 0.5) == SURFACE
    assert empathy.shown(0.7, 0.6, 0.6) == NONE  # no decree: as before, empathetic iff u < displayed
    assert empathy.shown(0.3, 0.6, 0.6) == GENUINE
    assert empathy.shown(0.3, 0.2, 0.6) == NONE  # a decree below the agent's own only suppresses it
    assert empathy.surface_share(1.0, 0.5) == 0.5 and empathy.surface_share(0.6, 0.8) == 0.0
    assert empathy.surface_share(0.0, 0.5) == 0.0


def test_surface_shares_integrate_to_the_stated_probabilities():
    n = 100_000  # midpoint rule over u: genuine 0.55, surface 0.3 for a decree of 0.85 over 0.55
    kinds = [empathy.shown((i + 0.5) / n, 0.85, 0.55) for i in range(n)]
    assert kinds.count(GENUINE) / n == pytest.approx(0.55, abs=2 / n)
    assert kinds.count(SURFACE) / n == pytest.approx(0.30, abs=2 / n)
    assert kinds.count(SURFACE) / (n - kinds.count(NONE)) == pytest.approx(empathy.surface_share(0.85, 0.55), abs=1e-4)


def test_empathy_takes_7_s_and_a_recovery_37_s():
    assert empathy.extra_time(P, failure=False) == 7.0
    assert empathy.extra_time(P, failure=True) == 37.0


def test_only_surface_acting_tires_and_it_delivers_half_the_effect():
    assert empathy.labour(P, SURFACE) == 0.01 and empathy.labour(P, GENUINE) == 0.0 and empathy.labour(P, NONE) == 0
    assert empathy.effect(P, GENUINE) == 1.0 and empathy.effect(P, SURFACE) == 0.5 and empathy.effect(P, NONE) == 0


def test_half_an_easing_and_half_an_apology():
    f = Frustration()  # empathy_factor 0.7: a genuine response F -> 0.7 F; half of it F -> 0.85 F
    assert frustration.eased(f, 0.4) == pytest.approx(0.28)
    assert frustration.eased(f, 0.4, 0.5) == pytest.approx(0.34)
    s = Satisfaction()  # b_emp 0.5 on a failure: a surface-acted apology adds 0.25
    assert satisfaction.latent(s, True, 0.0, 0.5, 0.0, failure=True) == pytest.approx(0.25)
    assert satisfaction.latent(s, True, 0.0, 1.0, 0.0, failure=True) == pytest.approx(0.5)
    assert satisfaction.latent(s, True, 0.0, 1.0, 0.0, failure=False) == 0.0
