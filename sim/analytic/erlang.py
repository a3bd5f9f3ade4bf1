"""Erlang B and Erlang C (M/M/n) formulas and the shared KPI result type.

All rates are per second and all times are in seconds; the offered load is
``a = arrival_rate * aht`` Erlangs.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

SL_DEFINITIONS: tuple[str, ...] = ("offered", "answered", "offered_excl_short_abandons")


@dataclass(frozen=True)
class QueueKPIs:
    """Steady-state KPIs of one queue with a fixed number of agents."""

    agents: int
    p_wait: float
    service_level: dict[str, float]
    asa_seconds: float
    mean_wait_seconds: float
    abandon_rate: float
    occupancy: float
    mean_queue_length: float
    stable: bool

    def as_dict(self) -> dict:
        """Flatten to plain Python scalars so the result can be serialised (JSON, CSV)."""
        out: dict = {"agents": int(self.agents), "p_wait": float(self.p_wait)}
        for name in SL_DEFINITIONS:
            out[f"service_level_{name}"] = float(self.service_level[name])
        out.update(
            asa_seconds=float(self.asa_seconds),
            mean_wait_seconds=float(self.mean_wait_seconds),
            abandon_rate=float(self.abandon_rate),
            occupancy=float(self.occupancy),
            mean_queue_length=float(self.mean_queue_length),
            stable=bool(self.stable),
        )
        return out


def _check_real(name: str, value: object) -> float:
    """Return ``value`` as a finite float or raise ValueError naming the parameter."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    out = float(value)
    if not math.isfinite(out):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return out


def offered_load(arrival_rate: float, aht: float) -> float:
    """Erlangs ``arrival_rate * aht``; a load too large to be a number (1e300/s x 1e10 s) is an error."""
    load = arrival_rate * aht
    if not math.isfinite(load):
        raise ValueError(f"the offered load arrival_rate x aht = {arrival_rate:g}/s x {aht:g}s is not a finite number")
    return load


def _check_positive(name: str, value: object) -> float:
    """Validate a strictly positive finite number (rates, handle times)."""
    out = _check_real(name, value)
    if out <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return out


def _check_nonnegative(name: str, value: object) -> float:
    """Validate a finite number >= 0 (thresholds, loads)."""
    out = _check_real(name, value)
    if out < 0.0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return out


def _check_agents(agents: object, name: str = "agents") -> int:
    """Validate an integer number of agents >= 1."""
    if isinstance(agents, bool) or not isinstance(agents, numbers.Integral):
        raise ValueError(f"{name} must be an integer, got {agents!r}")
    if int(agents) < 1:
        raise ValueError(f"{name} must be >= 1, got {agents!r}")
    return int(agents)


def _is_no_abandonment(patience: object) -> bool:
    """True when ``patience`` means customers never abandon (None or +inf)."""
    return patience is None or (
        isinstance(patience, numbers.Real) and not isinstance(patience, bool) and float(patience) == math.inf
    )


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of M/M/n/n via the stable recursion B_k = aB/(k + aB)."""
    n = _check_agents(agents)
    a = _check_nonnegative("load", load)
    b = 1.0
    for k in range(1, n + 1):
        ab = a * b
        b = ab / (k + ab)
    return b


def erlang_c(agents: int, load: float) -> float:
    """Probability of waiting in M/M/n (via Erlang B); 1.0 when load >= agents."""
    n = _check_agents(agents)
    a = _check_nonnegative("load", load)
    if a >= n:
        return 1.0
    b = erlang_b(n, a)
    return n * b / (n - a * (1.0 - b))


def _unstable_kpis(agents: int) -> QueueKPIs:
    """KPIs of an overloaded M/M/n queue: everyone waits forever."""
    return QueueKPIs(
        agents=agents,
        p_wait=1.0,
        service_level={name: 0.0 for name in SL_DEFINITIONS},
        asa_seconds=math.inf,
        mean_wait_seconds=math.inf,
        abandon_rate=0.0,
        occupancy=1.0,
        mean_queue_length=math.inf,
        stable=False,
    )


def erlang_c_kpis(
    arrival_rate: float, aht: float, agents: int, threshold: float, short_abandon: float = 5.0
) -> QueueKPIs:
    """Exact M/M/n KPIs (no abandonment); SL = 1 - C exp(-(n mu - lambda) T)."""
    lam = _check_positive("arrival_rate", arrival_rate)
    h = _check_positive("aht", aht)
    n = _check_agents(agents)
    t = _check_nonnegative("threshold", threshold)
    _check_nonnegative("short_abandon", short_abandon)
    a = offered_load(lam, h)
    if a >= n:
        return _unstable_kpis(n)
    c = erlang_c(n, a)
    gap = n / h - lam
    sl = 1.0 - c * math.exp(-gap * t)
    wait = c / gap
    return QueueKPIs(
        agents=n,
        p_wait=c,
        service_level={name: sl for name in SL_DEFINITIONS},
        asa_seconds=wait,
        mean_wait_seconds=wait,
        abandon_rate=0.0,
        occupancy=a / n,
        mean_queue_length=lam * wait,
        stable=True,
    )
