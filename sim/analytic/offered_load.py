"""The offered load of a time-varying system: what SIPP, lag-SIPP and the modified offered load (MOL) staff for.

Arrivals come at a piecewise-constant rate ``rates[i]`` on ``[i d, (i + 1) d)`` into a system that is
empty at time 0. The offered load ``m(t)`` is the mean number of contacts in service if every contact
found an agent at once (the infinite-server system): ``m(t) = integral_0^t lambda(u) P(S > t - u) du``
(Eick, Massey & Whitt 1993). For piecewise-constant rates the integral is exact:

* ``m(t_k) = sum_i rates[i] (M((k - i) d) - M((k - i - 1) d))`` with ``M(x) = E[min(S, x)]``;
* the average of m over interval k is ``sum_i rates[i] (G((j + 1) d) - 2 G(j d) + G((j - 1) d)) / d``
  with ``j = k - i`` and ``G(x) = integral_0^x M = x E[min(S, x)] - E[min(S, x)^2] / 2``.

For exponential service this is the recursion ``m(t_{k+1}) = r_k h + (m(t_k) - r_k h) exp(-d / h)``
(the tests check one against the other).
"""

from __future__ import annotations

import math

import numpy as np

from sim.analytic.service_time import ServiceTime

_TAIL = 1e-13  # stop the kernel once the busy time is almost surely over


def _kernel_length(service: ServiceTime, interval: float, n: int) -> int:
    """Intervals after which P(S > x) no longer matters (at most ``n``)."""
    length = 8
    while length < n:
        m1, _ = service.limited(np.array([length * interval]))
        if service.mean - float(m1[0]) <= _TAIL * service.mean:
            break
        length *= 2
    return min(length + 2, n + 2)


def _g(service: ServiceTime, x: np.ndarray) -> np.ndarray:
    """``integral_0^x E[min(S, u)] du`` (0 for x <= 0)."""
    m1, m2 = service.limited(x)
    return np.where(x > 0, x * m1 - m2 / 2, 0.0)


def offered_load(rates, interval: float, service: ServiceTime) -> tuple[np.ndarray, np.ndarray]:
    """``(m at the n + 1 interval boundaries, mean of m over each of the n intervals)``."""
    rates = np.asarray(rates, dtype=float)
    n = rates.size
    length = _kernel_length(service, interval, n)
    j = np.arange(-1, length + 1, dtype=float) * interval  # j = -1 .. length
    m1, _ = service.limited(j)
    boundary_kernel = np.diff(m1)[1:]  # M(j d) - M((j - 1) d) for j = 1..length
    g = _g(service, j)
    mean_kernel = (g[2:] - 2 * g[1:-1] + g[:-2]) / interval  # j = 0..length - 1
    at_boundaries = np.concatenate([[0.0], np.convolve(rates, boundary_kernel)[:n]])
    means = np.convolve(rates, mean_kernel)[:n]
    return at_boundaries, means


def offered_load_exponential(rates, interval: float, aht: float, start: float = 0.0) -> np.ndarray:
    """``m`` at the interval boundaries for exponential service, by the exact one-step recursion."""
    decay = math.exp(-interval / aht)
    out = [float(start)]
    for rate in np.asarray(rates, dtype=float):
        out.append(rate * aht + (out[-1] - rate * aht) * decay)
    return np.asarray(out)


def lagged_rates(rates, interval: float, lag: float) -> np.ndarray:
    """Each interval's mean arrival rate over the window moved back by ``lag`` (zero before time 0).

    Green, Kolesar & Soares (2001): a contact in service at t arrived about one mean handle time
    before, so lag-SIPP staffs interval k for the arrivals of ``[t_k - lag, t_{k+1} - lag)``.
    """
    rates = np.asarray(rates, dtype=float)
    n = rates.size
    cumulative = np.concatenate([[0.0], np.cumsum(rates * interval)])  # arrivals by each boundary

    def arrived_by(t: np.ndarray) -> np.ndarray:
        t = np.clip(t, 0.0, n * interval)
        k = np.minimum((t // interval).astype(int), n - 1)
        return cumulative[k] + (t - k * interval) * rates[k]

    starts = np.arange(n) * interval - lag
    return (arrived_by(starts + interval) - arrived_by(starts)) / interval
