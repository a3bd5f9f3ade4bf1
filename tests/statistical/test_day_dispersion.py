"""Day-level over-dispersion (``arrivals.day_dispersion``): a gamma day multiplier makes daily counts negative
binomial, Var = mu + d mu^2; with d = 0 nothing changes, not even which random streams are used."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import phone_scenario
from scipy import stats

from sim.config.loader import validate
from sim.config.schema import Scenario
from sim.model import simulate
from sim.model.demand import Layout, block_drawer
from sim.rng import Streams


def scenario(**arrivals) -> Scenario:
    data = phone_scenario(horizon="3000d", interval="1d")
    data["channels"]["phone"]["arrivals"] = {"rate": "100/d", **arrivals}
    return validate(Scenario, data, "test")


def daily_counts(s: Scenario) -> np.ndarray:
    streams = Streams(11, 0)
    draw = block_drawer(s, streams, Layout(s), plain=True)
    times = np.asarray(draw(0, s.n_intervals)[0])
    return np.bincount((times // 86400).astype(int), minlength=s.n_intervals)


def test_zero_dispersion_changes_nothing_and_touches_no_stream():
    plain = phone_scenario(horizon="2d")
    explicit = phone_scenario(horizon="2d")
    explicit["channels"]["phone"]["arrivals"] = {"rate": "2/min", "day_dispersion": 0}
    a, b = (simulate(validate(Scenario, d, "test"), 0, 5) for d in (plain, explicit))
    assert a.sums.equals(b.sums) and a.breakdown.equals(b.breakdown) and a.levels.equals(b.levels)
    assert a.meta["streams"] == b.meta["streams"] and "phone.day_volume" not in a.meta["streams"]


def test_daily_counts_are_negative_binomial_with_variance_mu_plus_d_mu_squared():
    mu, d = 100.0, 0.05
    counts = daily_counts(scenario(day_dispersion=d))
    n = counts.size
    # The negative binomial with mean mu and Var = mu + d mu^2 has r = 1/d, p = r / (r + mu) (scipy's form);
    # its variance and excess kurtosis give the standard error of the sample variance:
    # Var(s^2) = sigma^4 (2 / (n - 1) + kurtosis / n).
    r = 1 / d
    var, kurtosis = (float(x) for x in stats.nbinom.stats(r, r / (r + mu), moments="vk"))
    assert var == pytest.approx(mu + d * mu**2)
    se_var = var * np.sqrt(2 / (n - 1) + kurtosis / n)
    assert abs(counts.mean() - mu) < 4 * np.sqrt(var / n)
    assert abs(counts.var(ddof=1) - var) < 4 * se_var
    # and it is far from Poisson: the Poisson variance (100) is more than 10 standard errors below
    assert (var - mu) / se_var > 10


def test_dispersion_draws_one_multiplier_per_day_from_its_own_stream():
    s = scenario(day_dispersion=0.2)
    streams = Streams(11, 0)
    block_drawer(s, streams, Layout(s), plain=True)
    assert "phone.day_volume" in streams.names()
