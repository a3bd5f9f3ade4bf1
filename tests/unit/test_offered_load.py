"""The offered load m(t) of time-varying demand and the busy-time moments it rests on, against independent
computations: numerical integration of survival functions (scipy.integrate.quad of scipy.stats' sf), the
exponential recursion, closed-form interval averages, and arrival-window arithmetic done by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from sim.analytic import lagged_rates, offered_load, offered_load_exponential
from sim.analytic import service_time as st

FAMILIES = [
    (st.Exponential(390.0), stats.expon(scale=390.0)),
    (st.LogNormal(360.0, 1.0), stats.lognorm(s=math.sqrt(math.log(2.0)), scale=360.0 / math.sqrt(2.0))),
    (st.Gamma(300.0, 0.5), stats.gamma(a=4.0, scale=75.0)),
    (st.Weibull(1.5, 200.0), stats.weibull_min(c=1.5, scale=200.0)),
]


def quad_moments(sf, x: float) -> tuple[float, float]:
    """E[min(S, x)] = int_0^x P(S > u) du and E[min(S, x)^2] = 2 int_0^x u P(S > u) du, numerically."""
    m1 = integrate.quad(sf, 0.0, x, limit=200, epsabs=1e-10)[0]
    m2 = 2.0 * integrate.quad(lambda u: u * sf(u), 0.0, x, limit=200, epsabs=1e-10)[0]
    return m1, m2


@pytest.mark.parametrize(("service", "dist"), FAMILIES, ids=["exponential", "lognormal", "gamma", "weibull"])
def test_limited_moments_match_numerical_integration_of_the_survival_function(service, dist):
    xs = np.array([1.0, 30.0, 200.0, 600.0, 3000.0])
    m1, m2 = service.limited(xs)
    for x, a, b in zip(xs, m1, m2):
        q1, q2 = quad_moments(dist.sf, x)
        assert a == pytest.approx(q1, rel=1e-7)
        assert b == pytest.approx(q2, rel=1e-7)
    assert service.mean == pytest.approx(dist.mean(), rel=1e-12)
    big1, big2 = service.limited(np.array([1e7]))
    assert big1[0] == pytest.approx(dist.mean(), rel=1e-9)
    assert big2[0] == pytest.approx(dist.moment(2), rel=1e-7)


def test_scaled_shifted_mixed_and_discrete_parts_match_their_survival_functions():
    base = stats.lognorm(s=math.sqrt(math.log(2.0)), scale=360.0 / math.sqrt(2.0))
    mixed = st.plus(st.Mixture(((0.35, st.Scaled(st.LogNormal(360.0, 1.0), 0.6)),
                                (0.65, st.Scaled(st.LogNormal(360.0, 1.0), 1.8)))), st.fixed(30.0))

    def sf(u: float) -> float:  # P(f S + 30 > u) for the mixture of factors
        return 1.0 if u < 30.0 else 0.35 * base.sf((u - 30.0) / 0.6) + 0.65 * base.sf((u - 30.0) / 1.8)

    for x in (10.0, 45.0, 500.0, 4000.0):
        got = mixed.limited(np.array([x]))
        want = quad_moments(sf, x)
        assert got[0][0] == pytest.approx(want[0], rel=1e-7) and got[1][0] == pytest.approx(want[1], rel=1e-7)
    assert mixed.mean == pytest.approx(30.0 + 360.0 * (0.35 * 0.6 + 0.65 * 1.8))
    empirical = st.Discrete((60.0, 600.0), (3.0, 1.0))
    m1, m2 = empirical.limited(np.array([100.0]))
    assert m1[0] == pytest.approx(0.75 * 60 + 0.25 * 100) and m2[0] == pytest.approx(0.75 * 3600 + 0.25 * 10000)


def test_a_random_wrap_up_is_replaced_by_its_quantiles_closely():
    exact = stats.expon(scale=300.0)
    wrap = stats.expon(scale=60.0)
    service = st.plus(st.Exponential(300.0), st.Exponential(60.0))
    # hypoexponential survival: P(A + B > u) for independent exponentials with means 300 and 60
    sf = lambda u: (300.0 * math.exp(-u / 300.0) - 60.0 * math.exp(-u / 60.0)) / 240.0  # noqa: E731
    for x in (50.0, 400.0, 2000.0):
        assert service.limited(np.array([x]))[0][0] == pytest.approx(quad_moments(sf, x)[0], rel=2e-3)
    assert service.mean == pytest.approx(exact.mean() + wrap.mean())


def test_offered_load_for_exponential_service_is_the_one_step_recursion():
    rng = np.random.default_rng(7)
    rates = rng.random(60) * 0.05
    recursion = offered_load_exponential(rates, 1800.0, 390.0)
    boundaries, means = offered_load(rates, 1800.0, st.Exponential(390.0))
    np.testing.assert_allclose(boundaries, recursion, rtol=1e-12, atol=1e-12)
    # the interval mean of r h + (m_k - r h) exp(-(t - t_k) / h), integrated by hand
    h, d = 390.0, 1800.0
    hand = rates * h + (recursion[:-1] - rates * h) * h * (1 - math.exp(-d / h)) / d
    np.testing.assert_allclose(means, hand, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("service", "dist"), FAMILIES, ids=["exponential", "lognormal", "gamma", "weibull"])
def test_a_constant_rate_settles_at_rate_times_mean_busy_time(service, dist):
    _, means = offered_load(np.full(200, 0.02), 1800.0, service)
    assert means[-1] == pytest.approx(0.02 * dist.mean(), rel=1e-12)


def test_offered_load_integrates_arrivals_against_the_survival_function():
    """m(t) = int_0^t lambda(u) P(S > t - u) du, by quadrature at a few times, for a lognormal busy time."""
    service, dist = FAMILIES[1]
    rates = np.array([0.0, 0.05, 0.01, 0.03, 0.0, 0.02])
    d = 900.0
    boundaries, means = offered_load(rates, d, service)

    def m(t: float) -> float:
        return sum(r * integrate.quad(lambda u: dist.sf(t - u), i * d, min(t, (i + 1) * d))[0]
                   for i, r in enumerate(rates) if i * d < t)

    for k in (2, 4, 6):
        assert boundaries[k] == pytest.approx(m(k * d), rel=1e-7)
    assert means[3] == pytest.approx(integrate.quad(m, 3 * d, 4 * d, limit=100)[0] / d, rel=1e-6)


def test_lagged_rates_average_the_window_one_lag_earlier():
    rates = np.array([10.0, 20.0, 40.0, 0.0]) / 3600
    lagged = lagged_rates(rates, 1800.0, 600.0) * 3600
    # window of interval 0 is [-600, 1200): 600 s before time 0 count nothing, then 1200 s at 10/h
    assert lagged[0] == pytest.approx(10 * 1200 / 1800)
    assert lagged[1] == pytest.approx((10 * 600 + 20 * 1200) / 1800)
    assert lagged[2] == pytest.approx((20 * 600 + 40 * 1200) / 1800)
    assert lagged[3] == pytest.approx(40 * 600 / 1800)  # [4800, 5400) at 40/h, then nothing
    np.testing.assert_allclose(lagged_rates(rates, 1800.0, 0.0), rates)
