"""Erlang A (M/M/n+M, Palm) via its birth-death chain, with the exact FCFS tagged-customer wait.

The number in system is a birth-death chain with birth rate lambda and death rate
``min(k, n) mu + max(k - n, 0) theta``. Its stationary law is computed in log-space and the
queue part is truncated once the remaining tail is below 1e-16 of the queue's largest term.

A tagged arrival that finds ``m`` customers ahead in queue waits for ``S_m``, a sum of
independent exponentials with rates ``n mu + j theta`` (j = 0..m, every advance is a service
completion or an abandonment ahead of it), and abandons at its own independent Exp(theta)
patience ``tau``. Closed forms used below (``c = n mu``, ``x = 1 - exp(-theta t)``):

* P(served)                    = c / (c + (m + 1) theta)
* P(S_m <= t)                  = I_x(m + 1, c / theta)                (regularised incomplete beta)
* P(served, wait <= t)         = P(served) * I_x(m + 1, c / theta + 1)
* P(abandoned, wait <= t)      = 1 - P(S_m > t) exp(-theta t) - P(served, wait <= t)
* E[wait * 1{served}]          = P(served) * sum_{j=1}^{m+1} 1 / (c + j theta)

They are the phase-type quantities of the bidiagonal generator over queue positions; the unit
tests check them against ``expm_multiply`` / ``expm`` / sparse linear solves of that generator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import betainc, gammaln

from sim.analytic.erlang import (
    QueueKPIs,
    _check_agents,
    _check_nonnegative,
    _check_positive,
    _is_no_abandonment,
    erlang_c_kpis,
    offered_load,
)

_TAIL_LOG_TOL = math.log(1e-16)
_MAX_QUEUE_STATES = 5_000_000
_FIRST_CHUNK = 256


@dataclass(frozen=True)
class _Chain:
    """Stationary law of an Erlang A system, split into 'agent free' and queue positions."""

    lam: float
    c: float  # n * mu, the total service rate when all agents are busy
    theta: float
    p_below: float  # P(arrival finds a free agent)
    q: np.ndarray  # q[m] = pi_{n+m}: arrival finds all busy and m customers waiting

    @property
    def m(self) -> np.ndarray:
        """Number of customers ahead of a tagged arrival for each queue state."""
        return np.arange(self.q.size, dtype=float)

    @property
    def exit_rate(self) -> np.ndarray:
        """Total rate of leaving tagged state m: advance (c + m theta) plus own abandonment."""
        return self.c + (self.m + 1.0) * self.theta

    @property
    def p_served_given_m(self) -> np.ndarray:
        """P(tagged customer with m ahead is eventually served) = c / (c + (m+1) theta)."""
        return self.c / self.exit_rate


def _queue_log_weights(lam: float, c: float, theta: float) -> np.ndarray:
    """log(pi_{n+m} / pi_n) for m = 0..M, stopping once the tail is < 1e-16 of the peak."""
    chunks: list[np.ndarray] = []
    last, peak, start, size = 0.0, 0.0, 0, _FIRST_CHUNK
    log_lam = math.log(lam)
    while start <= _MAX_QUEUE_STATES:
        m = np.arange(start, start + size, dtype=float)
        inc = log_lam - np.log(c + m * theta)
        if start == 0:
            inc[0] = 0.0
        logs = last + np.cumsum(inc)
        peak = max(peak, float(logs.max()))
        ratio = lam / (c + (m + 1.0) * theta)  # term_{m+1} / term_m, decreasing in m
        with np.errstate(divide="ignore", invalid="ignore"):
            tail = logs + np.log(ratio) - np.log1p(-np.minimum(ratio, 1.0))  # geometric tail bound
        done = np.flatnonzero((ratio < 1.0) & (tail < peak + _TAIL_LOG_TOL))
        if done.size:
            chunks.append(logs[: done[0] + 1])
            return np.concatenate(chunks)
        chunks.append(logs)
        last, start, size = float(logs[-1]), start + size, size * 2
    raise ValueError("patience is too long for this load: the Erlang A queue does not settle; use patience=None")


def _validate(arrival_rate: float, aht: float, agents: int, patience: float) -> tuple[float, float, int, float]:
    """Validate the common Erlang A arguments and return them as (lam, aht, n, patience)."""
    lam = _check_positive("arrival_rate", arrival_rate)
    h = _check_positive("aht", aht)
    n = _check_agents(agents)
    pat = _check_positive("patience", patience)
    offered_load(lam, h)
    return lam, h, n, pat


def _stationary(lam: float, h: float, n: int, patience: float) -> np.ndarray:
    """Normalised stationary probabilities pi_0..pi_{n+M} computed in log-space."""
    k = np.arange(n + 1, dtype=float)
    low = k * math.log(lam * h) - gammaln(k + 1.0)
    high = low[-1] + _queue_log_weights(lam, n / h, 1.0 / patience)[1:]
    logw = np.concatenate([low, high])
    w = np.exp(logw - logw.max())
    return w / w.sum()


def _chain(arrival_rate: float, aht: float, agents: int, patience: float) -> _Chain:
    """Validate the inputs and build the stationary chain."""
    lam, h, n, pat = _validate(arrival_rate, aht, agents, patience)
    pi = _stationary(lam, h, n, pat)
    return _Chain(lam=lam, c=n / h, theta=1.0 / pat, p_below=float(pi[:n].sum()), q=pi[n:])


def _clip01(x: float) -> float:
    """Clamp a probability into [0, 1] to remove last-bit rounding overshoot."""
    return min(1.0, max(0.0, float(x)))


def _served_by(ch: _Chain, t: float) -> float:
    """P(an arrival is served with wait <= t), immediate service included."""
    x = -math.expm1(-ch.theta * t)
    cond = betainc(ch.m + 1.0, ch.c / ch.theta + 1.0, x)
    return _clip01(ch.p_below + np.sum(ch.q * ch.p_served_given_m * cond))


def _abandoned_by(ch: _Chain, t: float) -> float:
    """P(an arrival abandons with wait <= t)."""
    x = -math.expm1(-ch.theta * t)
    s_le = betainc(ch.m + 1.0, ch.c / ch.theta, x)
    ended = 1.0 - (1.0 - s_le) * math.exp(-ch.theta * t)
    served = ch.p_served_given_m * betainc(ch.m + 1.0, ch.c / ch.theta + 1.0, x)
    return _clip01(np.sum(ch.q * (ended - served)))


def stationary_distribution(arrival_rate: float, aht: float, agents: int, patience: float) -> np.ndarray:
    """Stationary P(k in system) of M/M/n+M, k = 0..n+M (truncated tail < 1e-16)."""
    return _stationary(*_validate(arrival_rate, aht, agents, patience))


def tagged_wait_probabilities(
    arrival_rate: float, aht: float, agents: int, patience: float, t: float
) -> tuple[float, float]:
    """(P(served with wait <= t), P(abandoned with wait <= t)) for a FCFS arrival; t may be inf."""
    ch = _chain(arrival_rate, aht, agents, patience)
    tt = float(t)
    if math.isnan(tt) or tt < 0.0:
        raise ValueError(f"t must be >= 0, got {t!r}")
    return _served_by(ch, tt), _abandoned_by(ch, tt)


def erlang_a_kpis(
    arrival_rate: float,
    aht: float,
    agents: int,
    patience: float,
    threshold: float,
    short_abandon: float = 5.0,
) -> QueueKPIs:
    """Exact M/M/n+M KPIs; patience None/inf falls back to Erlang C."""
    if _is_no_abandonment(patience):
        return erlang_c_kpis(arrival_rate, aht, agents, threshold, short_abandon)
    ch = _chain(arrival_rate, aht, agents, patience)
    t = _check_nonnegative("threshold", threshold)
    short = _check_nonnegative("short_abandon", short_abandon)
    served_m = ch.p_served_given_m
    p_served = ch.p_below + float(np.sum(ch.q * served_m))
    wait_served = float(np.sum(ch.q * served_m * np.cumsum(1.0 / ch.exit_rate)))
    lq = float(np.sum(ch.m * ch.q))
    mean_wait = lq / ch.lam
    p_ab = _clip01(ch.theta * mean_wait)
    sl_t = _served_by(ch, t)
    sl = {
        "offered": sl_t,
        "answered": _clip01(sl_t / p_served),
        "offered_excl_short_abandons": _clip01(sl_t / (1.0 - _abandoned_by(ch, short))),
    }
    n = int(agents)
    return QueueKPIs(
        agents=n,
        p_wait=_clip01(np.sum(ch.q)),
        service_level=sl,
        asa_seconds=wait_served / p_served,
        mean_wait_seconds=mean_wait,
        abandon_rate=p_ab,
        occupancy=_clip01(ch.lam * (1.0 - p_ab) / ch.c),
        mean_queue_length=lq,
        stable=True,
    )


def queue_kpis(
    arrival_rate: float,
    aht: float,
    agents: int,
    patience: float | None = None,
    threshold: float = 20.0,
    short_abandon: float = 5.0,
) -> QueueKPIs:
    """KPIs for M/M/n (patience None/inf, Erlang C) or M/M/n+M (finite patience, Erlang A)."""
    if _is_no_abandonment(patience):
        return erlang_c_kpis(arrival_rate, aht, agents, threshold, short_abandon)
    assert patience is not None  # None means no abandonment, handled above
    return erlang_a_kpis(arrival_rate, aht, agents, patience, threshold, short_abandon)
