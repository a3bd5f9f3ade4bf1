"""Demand: non-homogeneous Poisson arrivals with a piecewise-constant rate, one day at a time.

Within an interval of constant rate, a Poisson count of arrivals placed
uniformly at random is exactly a Poisson process, so no thinning is needed.
"""

from __future__ import annotations

import numpy as np

from sim.config.schema import DAY, Arrivals, n_intervals


def interval_grid(interval: float, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of every interval of the horizon (the last one may be partial)."""
    starts = np.arange(n_intervals(horizon, interval)) * interval
    return starts, np.minimum(starts + interval, horizon) - starts


def expected_counts(arrivals: Arrivals, interval: float, horizon: float) -> np.ndarray:
    """Expected arrivals in each interval of the horizon."""
    starts, lengths = interval_grid(interval, horizon)
    if arrivals.rate is not None:
        return arrivals.rate * lengths
    if arrivals.volumes is not None:  # one day, whole weeks, or the horizon (the schema checks which)
        volumes = np.asarray(arrivals.volumes, dtype=float)
        return np.tile(volumes, -(-len(starts) // len(volumes)))[: len(starts)] * (lengths / interval)
    per_day = round(DAY / interval)
    profile = np.ones(per_day) if arrivals.profile is None else np.asarray(arrivals.profile, dtype=float)
    shape = profile / profile.sum()
    index = np.arange(len(starts))
    weights = np.asarray(arrivals.day_weights, dtype=float)[(index // per_day) % 7]
    return arrivals.daily_volume * weights * shape[index % per_day] * (lengths / interval)


def day_volume(expected: np.ndarray, per_day: int, dispersion: float, rng: np.random.Generator) -> np.ndarray:
    """``expected`` with each day's intervals multiplied by one gamma draw of mean 1 and variance ``dispersion``.

    A Poisson count whose mean is scaled by a gamma(1/d, d) multiplier is negative binomial: a day's
    count has variance mu + d mu^2 (over-dispersion between days, as in real centres). One draw per day.
    """
    n_days = -(-len(expected) // per_day)
    multiplier = rng.gamma(1.0 / dispersion, dispersion, n_days)
    return expected * np.repeat(multiplier, per_day)[: len(expected)]


def arrivals_in(
    expected: np.ndarray, starts: np.ndarray, lengths: np.ndarray, first: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted arrival times and interval indices for the block of intervals starting at index ``first``.

    Two numpy calls per block (counts, then positions), whatever its size.
    """
    counts = rng.poisson(expected)
    local = np.repeat(np.arange(len(expected)), counts)
    times = starts[local] + rng.random(local.size) * lengths[local]
    order = np.argsort(times, kind="stable")
    return times[order], local[order] + first
