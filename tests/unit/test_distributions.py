"""Duration distributions: sampled moments match the analytic ones, and draws scale under a changed mean."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import TypeAdapter

from sim.config.distributions import Patience

N = 200_000
parse = TypeAdapter(Patience).validate_python


@pytest.mark.parametrize(
    ("spec", "cv"),
    [
        ({"dist": "exponential", "mean": "4min"}, 1.0),
        ({"dist": "lognormal", "mean": "6min", "cv": 0.7}, 0.7),
        ({"dist": "gamma", "mean": 90, "cv": 0.5}, 0.5),
        ({"dist": "weibull", "shape": 2.0, "scale": "5min"}, math.sqrt(4 / math.pi - 1)),
        ({"dist": "fixed", "value": "30s"}, 0.0),
    ],
)
def test_sample_mean_and_cv_match_the_distribution(spec, cv):
    dist = parse(spec)
    x = dist.sample(np.random.default_rng(1), N)
    # Standard error of the mean is mean * cv / sqrt(N) (~0.2%); allow 5 of them.
    assert x.mean() == pytest.approx(dist.mean, rel=5 * max(cv, 1e-9) / math.sqrt(N) + 1e-12)
    assert x.std() / x.mean() == pytest.approx(cv, abs=0.02)
    assert (x >= 0).all()


def test_empirical_resamples_only_observed_values():
    dist = parse({"dist": "empirical", "values": ["1min", "2min", "10min"]})
    x = dist.sample(np.random.default_rng(2), 30_000)
    assert set(np.unique(x)) == {60.0, 120.0, 600.0}
    assert x.mean() == pytest.approx(dist.mean, rel=0.03)


def test_no_patience_never_ends():
    dist = parse({"dist": "none"})
    assert not dist.finite and math.isinf(dist.mean)
    assert np.isinf(dist.sample(np.random.default_rng(3), 5)).all()


@pytest.mark.parametrize("family", [{"dist": "exponential"}, {"dist": "lognormal", "cv": 1.2}, {"dist": "gamma", "cv": 0.8}])
def test_changing_only_the_mean_scales_the_same_draws(family):
    """Common random numbers: a scenario with a longer mean sees the same customers, each proportionally slower."""
    short = parse({**family, "mean": 100}).sample(np.random.default_rng(4), 1000)
    long = parse({**family, "mean": 250}).sample(np.random.default_rng(4), 1000)
    assert np.allclose(long, 2.5 * short)
