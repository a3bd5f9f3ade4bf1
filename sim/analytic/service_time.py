"""Limited moments of a busy time S, E[min(S, x)] and E[min(S, x)^2], in closed form.

They are what the offered load of a time-varying system needs (``offered_load.py``):
``E[min(S, x)] = integral_0^x P(S > u) du`` is the mean busy time times the stationary-excess
distribution function, and ``E[min(S, x)^2] = 2 integral_0^x u P(S > u) du`` gives its integral.
Each family below uses its partial moments ``E[S^k; S <= x]`` (lognormal: Phi of a shifted
log; gamma and Weibull: regularised incomplete gamma functions). A busy time built from parts
(issue types with handle factors, plus after-contact work) is a ``Mixture`` of ``Scaled`` parts,
``Shifted`` by a fixed wrap-up; a random wrap-up is replaced by its quantile nodes (the only
approximation here, exact for fixed and empirical wrap-up times).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gamma as gamma_fn
from scipy.special import gammainc, ndtr, ndtri

Moments = tuple[np.ndarray, np.ndarray]
NODES = 64  # quantile nodes standing in for a continuous wrap-up time


def _grid(x) -> np.ndarray:
    return np.maximum(np.asarray(x, dtype=float), 0.0)


class ServiceTime:
    """A busy-time distribution that knows its mean and its limited moments."""

    mean: float

    def limited(self, x) -> Moments:
        """``(E[min(S, x)], E[min(S, x)^2])`` for each x (0 where x <= 0)."""
        raise NotImplementedError

    def nodes(self, k: int = NODES) -> tuple[np.ndarray, np.ndarray]:
        """``k`` equally likely values at the mid-probability quantiles, rescaled to keep the mean."""
        values = self.quantile((np.arange(k) + 0.5) / k)
        return values * (self.mean / values.mean()), np.full(k, 1.0 / k)

    def quantile(self, p: np.ndarray) -> np.ndarray:
        raise NotImplementedError


@dataclass(frozen=True)
class Exponential(ServiceTime):
    mean: float

    def limited(self, x) -> Moments:
        x, h = _grid(x), self.mean
        tail = np.exp(-x / h)
        return h * -np.expm1(-x / h), 2.0 * h * (h - tail * (x + h))

    def quantile(self, p):
        return -self.mean * np.log1p(-p)


@dataclass(frozen=True)
class LogNormal(ServiceTime):
    mean: float
    cv: float

    @property
    def _mu_sigma(self) -> tuple[float, float]:
        s2 = math.log1p(self.cv**2)
        return math.log(self.mean) - s2 / 2, math.sqrt(s2)

    def limited(self, x) -> Moments:
        x = _grid(x)
        mu, s = self._mu_sigma
        with np.errstate(divide="ignore"):
            z = (np.log(x) - mu) / s  # -inf at x = 0
        below1 = self.mean * ndtr(z - s)  # E[S; S <= x]
        below2 = math.exp(2 * mu + 2 * s * s) * ndtr(z - 2 * s)  # E[S^2; S <= x]
        above = ndtr(-z)  # P(S > x)
        return below1 + x * above, below2 + x * x * above

    def quantile(self, p):
        mu, s = self._mu_sigma
        return np.exp(mu + s * ndtri(p))


@dataclass(frozen=True)
class Gamma(ServiceTime):
    mean: float
    cv: float

    def limited(self, x) -> Moments:
        x = _grid(x)
        k = 1.0 / self.cv**2
        scale = self.mean / k
        y = x / scale
        above = 1.0 - gammainc(k, y)
        below1 = self.mean * gammainc(k + 1, y)
        below2 = k * (k + 1) * scale**2 * gammainc(k + 2, y)
        return below1 + x * above, below2 + x * x * above

    def quantile(self, p):
        from scipy.special import gammaincinv

        k = 1.0 / self.cv**2
        return gammaincinv(k, p) * self.mean / k


@dataclass(frozen=True)
class Weibull(ServiceTime):
    shape: float
    scale: float

    @property
    def mean(self) -> float:  # type: ignore[override]
        return self.scale * math.gamma(1 + 1 / self.shape)

    def limited(self, x) -> Moments:
        x = _grid(x)
        c, lam = self.shape, self.scale
        y = (x / lam) ** c
        above = np.exp(-y)
        below1 = lam * gamma_fn(1 + 1 / c) * gammainc(1 + 1 / c, y)
        below2 = lam**2 * gamma_fn(1 + 2 / c) * gammainc(1 + 2 / c, y)
        return below1 + x * above, below2 + x * x * above

    def quantile(self, p):
        return self.scale * (-np.log1p(-p)) ** (1 / self.shape)


@dataclass(frozen=True)
class Discrete(ServiceTime):
    """Values with probabilities (a fixed time is one value; an empirical distribution several)."""

    values: tuple[float, ...]
    weights: tuple[float, ...]

    @property
    def mean(self) -> float:  # type: ignore[override]
        return float(np.dot(self.values, self.weights) / np.sum(self.weights))

    def limited(self, x) -> Moments:
        x = _grid(x)
        w = np.asarray(self.weights) / np.sum(self.weights)
        m = np.minimum(np.asarray(self.values)[:, None], x.reshape(1, -1))
        return (w @ m).reshape(x.shape), (w @ (m * m)).reshape(x.shape)

    def nodes(self, k: int = NODES):
        return np.asarray(self.values, float), np.asarray(self.weights, float) / np.sum(self.weights)


def fixed(value: float) -> Discrete:
    return Discrete((float(value),), (1.0,))


@dataclass(frozen=True)
class Scaled(ServiceTime):
    """``factor * S``: min(fS, x) = f min(S, x / f)."""

    base: ServiceTime
    factor: float

    @property
    def mean(self) -> float:  # type: ignore[override]
        return self.factor * self.base.mean

    def limited(self, x) -> Moments:
        f = self.factor
        m1, m2 = self.base.limited(_grid(x) / f)
        return f * m1, f * f * m2

    def quantile(self, p):
        return self.factor * self.base.quantile(p)


@dataclass(frozen=True)
class Shifted(ServiceTime):
    """``S + a`` for a fixed a >= 0: min(S + a, x) = x below a, else a + min(S, x - a)."""

    base: ServiceTime
    shift: float

    @property
    def mean(self) -> float:  # type: ignore[override]
        return self.base.mean + self.shift

    def limited(self, x) -> Moments:
        x, a = _grid(x), self.shift
        m1, m2 = self.base.limited(x - a)
        later = x > a
        return (np.where(later, a + m1, x), np.where(later, a * a + 2 * a * m1 + m2, x * x))


@dataclass(frozen=True)
class Mixture(ServiceTime):
    """One of several distributions, with probabilities (issue types)."""

    parts: tuple[tuple[float, ServiceTime], ...]

    @property
    def mean(self) -> float:  # type: ignore[override]
        total = sum(w for w, _ in self.parts)
        return sum(w * d.mean for w, d in self.parts) / total

    def limited(self, x) -> Moments:
        total = sum(w for w, _ in self.parts)
        x = _grid(x)
        m1, m2 = np.zeros_like(x), np.zeros_like(x)
        for w, d in self.parts:
            a, b = d.limited(x)
            m1, m2 = m1 + w / total * a, m2 + w / total * b
        return m1, m2


def plus(base: ServiceTime, extra: ServiceTime | None) -> ServiceTime:
    """``base + extra`` for independent parts: exact when ``extra`` is discrete, else over its quantile nodes."""
    if extra is None:
        return base
    values, weights = extra.nodes()
    if len(values) == 1:
        return Shifted(base, float(values[0]))
    return Mixture(tuple((float(w), Shifted(base, float(v))) for v, w in zip(values, weights)))
