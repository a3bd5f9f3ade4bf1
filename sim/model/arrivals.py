"""Demand: non-homogeneous Poisson arrivals with a piecewise-constant rate, one day at a time.

Within an interval of constant rate, a Poisson count of arrivals placed
uniformly at random is exactly a Poisson process, so no thinning is needed.
"""

from __future__ import annotations

import numpy as np

from sim.config.schema import DAY, Arrivals, Hours, n_intervals


def interval_grid(interval: float, horizon: float) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of every interval of the horizon (the last one may be partial)."""
    starts = np.arange(n_intervals(horizon, interval)) * interval
    return starts, np.minimum(starts + interval, horizon) - starts


def expected_counts(arrivals: Arrivals, interval: float, horizon: float, hours: Hours | None = None) -> np.ndarray:
    """Expected arrivals in each interval of the horizon.

    A ``daily_volume`` is shaped by its ``profile``; without one it is spread evenly over the open
    intervals of each day when the channel has opening ``hours`` (else over the whole day).
    """
    starts, lengths = interval_grid(interval, horizon)
    if arrivals.rate is not None:
        return arrivals.rate * lengths
    if arrivals.volumes is not None:  # one day, whole weeks, or the horizon (the schema checks which)
        volumes = np.asarray(arrivals.volumes, dtype=float)
        return np.tile(volumes, -(-len(starts) // len(volumes)))[: len(starts)] * (lengths / interval)
    per_day = round(DAY / interval)
    index = np.arange(len(starts))
    weekday = (index // per_day) % 7
    if arrivals.profile is not None:
        profile = np.asarray(arrivals.profile, dtype=float)
        shape = (profile / profile.sum())[index % per_day]
    else:
        week = np.ones((7, per_day)) if hours is None else hours.week_mask(interval).astype(float)
        open_per_day = week.sum(axis=1, keepdims=True)
        shape = np.divide(week, open_per_day, out=np.zeros_like(week), where=open_per_day > 0)[weekday, index % per_day]
    weights = np.asarray(arrivals.day_weights, dtype=float)[weekday]
    return arrivals.daily_volume * weights * shape * (lengths / interval)


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
