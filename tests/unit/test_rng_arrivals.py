"""Named streams and the non-homogeneous Poisson demand."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.config.schema import Arrivals
from sim.model.arrivals import arrivals_in, expected_counts, interval_grid
from sim.rng import Streams


def test_a_stream_depends_on_seed_replication_and_name_only():
    a, b = Streams(7, 3), Streams(7, 3)
    b["other"].random(5)  # asking for another stream first changes nothing
    assert np.array_equal(a["phone.patience"].random(10), b["phone.patience"].random(10))
    assert not np.array_equal(Streams(7, 3)["x"].random(10), Streams(7, 4)["x"].random(10))
    assert not np.array_equal(Streams(7, 3)["x"].random(10), Streams(8, 3)["x"].random(10))
    assert not np.array_equal(Streams(7, 3)["x"].random(10), Streams(7, 3)["y"].random(10))


def test_expected_counts_follow_volume_profile_and_day_weights():
    arrivals = Arrivals(daily_volume=100, profile=[0, 1, 3, 0], day_weights=[1, 0.5, 1, 1, 1, 1, 1])
    counts = expected_counts(arrivals, interval=6 * 3600, horizon=2 * 86400)
    assert counts.tolist() == [0, 25, 75, 0, 0, 12.5, 37.5, 0]


def test_partial_last_interval_gets_its_share():
    counts = expected_counts(Arrivals(rate="60/h"), interval=3600, horizon=1.5 * 3600)
    assert counts.tolist() == pytest.approx([60, 30])


def test_arrivals_fall_inside_their_interval_in_order():
    starts, lengths = interval_grid(3600, 2.5 * 3600)
    times, index = arrivals_in(np.array([50.0, 0.0, 20.0]), starts, lengths, 4, np.random.default_rng(1))
    assert np.all(np.diff(times) >= 0)
    assert set(index.tolist()) <= {4, 6}
    local = index - 4
    assert np.all(times >= starts[local]) and np.all(times < starts[local] + lengths[local])
    assert np.all(times[index == 6] < 2.5 * 3600)


def test_counts_are_poisson():
    starts, lengths = interval_grid(60, 60 * 4000)
    _, index = arrivals_in(np.full(4000, 3.0), starts, lengths, 0, np.random.default_rng(2))
    counts = np.bincount(index, minlength=4000)
    assert counts.mean() == pytest.approx(3.0, abs=0.1)
    assert counts.var() == pytest.approx(3.0, rel=0.1)  # Poisson: variance equals mean
    times, _ = arrivals_in(np.array([5000.0]), np.array([0.0]), np.array([1.0]), 0, np.random.default_rng(3))
    assert stats.kstest(times, "uniform").pvalue > 0.001
