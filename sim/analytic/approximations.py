"""Asymptotic (quality-and-efficiency-driven) approximations of Erlang C and Erlang A, and Erlang B staffing.

With offered load ``R = lambda h`` and ``n = R + beta sqrt(R)`` agents:

* **Halfin & Whitt (1981)**, M/M/n: ``P(wait) = [1 + beta Phi(beta) / phi(beta)]^-1``; given a wait,
  it is exponential with rate ``n / h - lambda`` as in Erlang C, so SL and ASA follow from P(wait).
* **Garnett, Mandelbaum & Reiman (2002)**, M/M/n+M with patience rate theta and ``mu = 1 / h``:
  ``P(wait) = [1 + sqrt(theta / mu) H(beta_hat) / H(-beta)]^-1`` with ``beta_hat = beta sqrt(mu / theta)``
  and the normal hazard ``H(x) = phi(x) / (1 - Phi(x))``. In the same diffusion limit the queue seen by a
  waiting arrival is normal, truncated at 0, so its (virtual) wait V given V > 0 is
  ``(Z - beta_hat) / c`` with ``Z ~ N(0, 1)`` conditioned on ``Z > beta_hat`` and ``c = sqrt(n mu theta)``;
  the arrival abandons if its own Exp(theta) patience ends first. That gives, in closed form,
  ``P(abandon) = P(wait) (1 - E[exp(-theta V) | V > 0])``, whose first-order term is Zeltyn and
  Mandelbaum's ``P(wait) sqrt(theta / (n mu)) (H(beta_hat) - beta_hat)``, and
  ``SL = 1 - P(wait) + P(wait) E[exp(-theta V); V <= t | V > 0]``.

They are what square-root staffing rests on and they are accurate for large centres; the exact
formulas in ``erlang.py`` and ``erlang_a.py`` are what servsim staffs with.
"""

from __future__ import annotations

import math

from scipy.special import log_ndtr

from sim.analytic.erlang import (
    SL_DEFINITIONS,
    QueueKPIs,
    _check_agents,
    _check_nonnegative,
    _check_positive,
    _is_no_abandonment,
    _unstable_kpis,
    erlang_b,
)

_SQRT_2PI = math.sqrt(2 * math.pi)


def _phi(x: float) -> float:
    return math.exp(-x * x / 2) / _SQRT_2PI


def normal_hazard(x: float) -> float:
    """``phi(x) / (1 - Phi(x))``, computed in log-space so it stays finite far in the tail."""
    return math.exp(-x * x / 2 - math.log(_SQRT_2PI) - float(log_ndtr(-x)))


def halfin_whitt_p_wait(beta: float) -> float:
    """Halfin-Whitt probability of waiting for ``beta > 0``."""
    if beta <= 0:
        return 1.0
    return 1.0 / (1.0 + beta / normal_hazard(-beta))  # beta Phi(beta) / phi(beta) = beta / H(-beta)


def halfin_whitt_kpis(arrival_rate: float, aht: float, agents: int, threshold: float) -> QueueKPIs:
    """M/M/n KPIs from the Halfin-Whitt approximation of the probability of waiting."""
    lam, h = _check_positive("arrival_rate", arrival_rate), _check_positive("aht", aht)
    n, t = _check_agents(agents), _check_nonnegative("threshold", threshold)
    load = lam * h
    if load >= n:
        return _unstable_kpis(n)
    p_wait = halfin_whitt_p_wait((n - load) / math.sqrt(load))
    gap = n / h - lam
    sl = 1.0 - p_wait * math.exp(-gap * t)
    wait = p_wait / gap
    return QueueKPIs(n, p_wait, {d: sl for d in SL_DEFINITIONS}, wait, wait, 0.0, load / n, lam * wait, True)


def gmr_kpis(arrival_rate: float, aht: float, agents: int, patience: float, threshold: float,
             short_abandon: float = 5.0) -> QueueKPIs:
    """M/M/n+M KPIs from the Garnett-Mandelbaum-Reiman diffusion approximation (see the module docstring)."""
    if _is_no_abandonment(patience):
        return halfin_whitt_kpis(arrival_rate, aht, agents, threshold)
    lam, h = _check_positive("arrival_rate", arrival_rate), _check_positive("aht", aht)
    n, t = _check_agents(agents), _check_nonnegative("threshold", threshold)
    short = _check_nonnegative("short_abandon", short_abandon)
    theta, mu = 1.0 / _check_positive("patience", patience), 1.0 / h
    load = lam * h
    beta = (n - load) / math.sqrt(load)
    r = theta / mu
    beta_hat = beta / math.sqrt(r)
    p_wait = 1.0 / (1.0 + math.sqrt(r) * normal_hazard(beta_hat) / normal_hazard(-beta))
    wait = _WaitGivenWaiting(beta_hat, math.sqrt(n * mu * theta), theta)
    p_abandon = p_wait * (1.0 - wait.survive(math.inf))
    mean_wait = p_abandon / theta  # exact for exponential patience: P(abandon) = theta E[wait]
    sl_offered = 1.0 - p_wait + p_wait * wait.survive(t)
    short_abandons = p_wait * (1.0 - wait.survive(short) - math.exp(-theta * short) * wait.tail(short))
    served = 1.0 - p_abandon
    sl = {"offered": sl_offered, "answered": sl_offered / served,
          "offered_excl_short_abandons": sl_offered / (1.0 - short_abandons)}
    return QueueKPIs(n, p_wait, sl, mean_wait / served, mean_wait, p_abandon, min(1.0, load * served / n),
                     lam * mean_wait, True)


class _WaitGivenWaiting:
    """The virtual wait V of a waiting arrival in the diffusion limit: ``(Z - beta_hat) / c``, Z > beta_hat."""

    def __init__(self, beta_hat: float, c: float, theta: float) -> None:
        self.beta_hat, self.c, self.a = beta_hat, c, theta / c
        self._log_norm = float(log_ndtr(-beta_hat))  # log P(Z > beta_hat)

    def tail(self, x: float) -> float:
        """P(V > x | V > 0)."""
        return math.exp(float(log_ndtr(-(self.beta_hat + self.c * x))) - self._log_norm)

    def survive(self, x: float) -> float:
        """E[exp(-theta V); V <= x | V > 0]: served (patience outlasts V) with V <= x.

        exp(-a z) phi(z) = exp(a^2 / 2) phi(z + a) turns it into a difference of normal tails.
        """
        b, a = self.beta_hat, self.a
        upper = float(log_ndtr(-(b + a)))  # log P(Z + a > b + a)
        beyond = -math.inf if math.isinf(x) else float(log_ndtr(-(b + self.c * x + a)))
        scale = a * b + a * a / 2 - self._log_norm
        return max(0.0, math.exp(scale + upper) - (0.0 if beyond == -math.inf else math.exp(scale + beyond)))


def agents_for_blocking(load: float, target: float, max_agents: int = 100_000) -> int:
    """Fewest agents (trunks) with Erlang B blocking at most ``target`` (M/M/n/n: nobody waits)."""
    a = _check_nonnegative("load", load)
    if not 0.0 < target < 1.0:
        raise ValueError(f"target blocking must be in (0, 1), got {target!r}")
    b, n = 1.0, 0
    while b > target:  # B_n = a B_{n-1} / (n + a B_{n-1}), from B_0 = 1
        n += 1
        if n > max_agents:
            raise ValueError(f"blocking {target} not reachable within {max_agents} agents")
        b = a * b / (n + a * b)
    return max(n, 1)


def erlang_b_kpis(arrival_rate: float, aht: float, agents: int) -> dict[str, float]:
    """M/M/n/n (blocked contacts are lost): blocking, carried load and occupancy."""
    lam, h = _check_positive("arrival_rate", arrival_rate), _check_positive("aht", aht)
    n = _check_agents(agents)
    blocking = erlang_b(n, lam * h)
    carried = lam * h * (1.0 - blocking)
    return {"agents": n, "blocking": blocking, "offered_load": lam * h, "carried_load": carried,
            "occupancy": carried / n}
