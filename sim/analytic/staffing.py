"""Staffing rules: square-root staffing and the smallest agent count meeting KPI targets."""

from __future__ import annotations

import math
from collections.abc import Callable

from sim.analytic.erlang import (
    SL_DEFINITIONS,
    QueueKPIs,
    _check_agents,
    _check_positive,
    _check_real,
    _is_no_abandonment,
    offered_load,
)
from sim.analytic.erlang_a import queue_kpis

_CEIL_EPS = 1e-9


def square_root_staffing(arrival_rate: float, aht: float, beta: float) -> int:
    """Agents from the square-root rule ceil(a + beta sqrt(a)), at least 1 (QED regime)."""
    lam = _check_positive("arrival_rate", arrival_rate)
    h = _check_positive("aht", aht)
    b = _check_real("beta", beta)
    a = offered_load(lam, h)
    return max(1, math.ceil(a + b * math.sqrt(a) - _CEIL_EPS))


def _check_fraction(name: str, value: float | None) -> float | None:
    """Validate an optional target probability strictly inside (0, 1)."""
    if value is None:
        return None
    out = _check_real(name, value)
    if not 0.0 < out < 1.0:
        raise ValueError(f"{name} must be in (0, 1), got {value!r}")
    return out


def _target_checker(
    sl_definition: str, target_sl: float | None, target_asa: float | None, target_abandon: float | None
) -> Callable[[QueueKPIs], list[str]]:
    """Build a function listing the targets a KPI set misses (empty list = all met)."""
    if sl_definition not in SL_DEFINITIONS:
        raise ValueError(f"sl_definition must be one of {SL_DEFINITIONS}, got {sl_definition!r}")
    sl = _check_fraction("target_sl", target_sl)
    asa = None if target_asa is None else _check_positive("target_asa", target_asa)
    ab = _check_fraction("target_abandon", target_abandon)
    if sl is None and asa is None and ab is None:
        raise ValueError("at least one of target_sl, target_asa, target_abandon is required")

    def missed(k: QueueKPIs) -> list[str]:
        out = []
        if sl is not None and not k.service_level[sl_definition] >= sl:
            out.append(f"target_sl={sl} ({sl_definition})")
        if asa is not None and not k.asa_seconds <= asa:
            out.append(f"target_asa={asa}")
        if ab is not None and not k.abandon_rate <= ab:
            out.append(f"target_abandon={ab}")
        return out

    return missed


def _smallest_passing(ok: Callable[[int], bool], lo: int, start: int, hi: int) -> int | None:
    """Smallest n in [lo, hi] with ok(n) (ok monotone), galloping from start then bisecting."""
    if ok(start):
        good, step = start, 1
        while good > lo:
            cand = max(lo, good - step)
            if not ok(cand):
                bad = cand
                break
            good, step = cand, step * 2
        else:
            return good
    else:
        bad, step = start, 1
        while True:
            if bad >= hi:
                return None
            cand = min(hi, bad + step)
            if ok(cand):
                good = cand
                break
            bad, step = cand, step * 2
    while good - bad > 1:
        mid = (good + bad) // 2
        good, bad = (mid, bad) if ok(mid) else (good, mid)
    return good


def agents_for_target(
    arrival_rate: float,
    aht: float,
    *,
    patience: float | None = None,
    threshold: float = 20.0,
    target_sl: float | None = None,
    sl_definition: str = "offered",
    target_asa: float | None = None,
    target_abandon: float | None = None,
    short_abandon: float = 5.0,
    max_agents: int = 5000,
) -> QueueKPIs:
    """KPIs at the smallest agent count meeting every given target (Erlang C or Erlang A)."""
    lam = _check_positive("arrival_rate", arrival_rate)
    h = _check_positive("aht", aht)
    cap = _check_agents(max_agents, "max_agents")
    missed = _target_checker(sl_definition, target_sl, target_asa, target_abandon)
    cache: dict[int, QueueKPIs] = {}

    def kpis(n: int) -> QueueKPIs:
        if n not in cache:
            cache[n] = queue_kpis(lam, h, n, patience, threshold, short_abandon)
        return cache[n]

    a = offered_load(lam, h)
    lo = math.floor(a) + 1 if _is_no_abandonment(patience) else 1
    if lo > cap:
        raise ValueError(f"max_agents={cap} is below the offered load {a:.6g}; targets unreachable")
    start = min(cap, max(lo, math.ceil(a)))
    best = _smallest_passing(lambda n: not missed(kpis(n)), lo, start, cap)
    if best is None:
        failing = ", ".join(missed(kpis(cap)))
        raise ValueError(f"{failing} not reachable within max_agents={cap}")
    return kpis(best)
