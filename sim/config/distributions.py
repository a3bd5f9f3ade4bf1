"""Distribution specs for durations: validated from config, then sampled in blocks.

Each spec draws ``n`` values with one numpy call from a named stream, and
draws from standard variates scaled by the parameters (``mean * Exp(1)``,
``exp(mu + sigma * N(0,1))``), so two scenarios that differ only in a mean
still see the same underlying draws (common random numbers).
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from sim.config.types import Duration, PositiveDuration


class _Dist(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, strict=True)

    @property
    def mean(self) -> float:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    @property
    def finite(self) -> bool:
        """True when the distribution can produce a finite value (``none`` cannot)."""
        return True


class _ByMean(_Dist):
    """Distributions given by their mean (and, where they have one, a coefficient of variation)."""

    mean_: PositiveDuration = Field(alias="mean")

    @property
    def mean(self) -> float:
        return self.mean_


class Exponential(_ByMean):
    """Memoryless durations: the Erlang assumption."""

    dist: Literal["exponential"]

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.mean_ * rng.standard_exponential(n)


class LogNormal(_ByMean):
    """Lognormal by mean and coefficient of variation (Brown et al. 2005: call-centre service times)."""

    dist: Literal["lognormal"]
    cv: float = Field(default=1.0, ge=1e-3, le=100)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        sigma2 = math.log1p(self.cv**2)
        mu = math.log(self.mean_) - sigma2 / 2
        return np.exp(mu + math.sqrt(sigma2) * rng.standard_normal(n))


class Gamma(_ByMean):
    """Gamma by mean and coefficient of variation."""

    dist: Literal["gamma"]
    cv: float = Field(default=1.0, ge=1e-3, le=100)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        shape = 1.0 / self.cv**2
        return rng.standard_gamma(shape, n) * (self.mean_ / shape)


class Weibull(_Dist):
    """Weibull by shape and scale; shape < 1 gives early abandoners, > 1 late ones."""

    dist: Literal["weibull"]
    shape: float = Field(ge=0.01, le=100)
    scale: PositiveDuration

    @property
    def mean(self) -> float:
        return self.scale * math.gamma(1 + 1 / self.shape)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return self.scale * rng.weibull(self.shape, n)


class Fixed(_Dist):
    """The same duration every time."""

    dist: Literal["fixed"]
    value: Duration

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value)


class Empirical(_Dist):
    """Resample observed durations with replacement, equally likely or with ``weights`` (e.g. survey shares)."""

    dist: Literal["empirical"]
    values: list[Duration] = Field(min_length=1)
    weights: list[Annotated[float, Field(ge=0)]] | None = None

    @model_validator(mode="after")
    def _weights_match(self) -> Empirical:
        if self.weights is not None and (len(self.weights) != len(self.values) or sum(self.weights) <= 0):
            raise ValueError("'weights' needs one non-negative weight per value, not all zero")
        return self

    @property
    def mean(self) -> float:
        return float(np.average(self.values, weights=self.weights))

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        values = np.asarray(self.values, dtype=float)
        if self.weights is None:
            return values[rng.integers(0, len(values), n)]
        cumulative = np.cumsum(self.weights) / sum(self.weights)
        return values[np.minimum(np.searchsorted(cumulative, rng.random(n), side="right"), len(values) - 1)]


class NoDuration(_Dist):
    """Never happens: infinite patience (nobody abandons)."""

    dist: Literal["none"]

    @property
    def mean(self) -> float:
        return math.inf

    @property
    def finite(self) -> bool:
        return False

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, math.inf)


HandleTime = Annotated[
    Exponential | LogNormal | Gamma | Weibull | Fixed | Empirical, Field(discriminator="dist")
]
Patience = Annotated[
    Exponential | LogNormal | Gamma | Weibull | Fixed | Empirical | NoDuration,
    Field(discriminator="dist"),
]
DIST_NAMES = frozenset({"exponential", "lognormal", "gamma", "weibull", "fixed", "empirical", "none"})


def patience_shorthand(value: object) -> object:
    """Let ``patience: none`` stand for ``{dist: none}``."""
    return {"dist": "none"} if value is None or value == "none" else value

