"""Staffing rules: square-root staffing and the smallest agent count meeting KPI targets."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from sim.analytic import approximations as approx
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


MODELS = ("exact", "square-root", "gmr")
OPTION_NAMES = {"service_level": "target_sl", "asa": "target_asa", "abandon": "target_abandon",
                "wait_probability": "target_wait_probability"}


def kpi_model(model: str) -> Callable[..., QueueKPIs]:
    """``f(arrival_rate, aht, agents, patience, threshold, short_abandon)`` for a model name.

    ``exact``: Erlang C / Erlang A; ``square-root``: Halfin-Whitt (M/M/n, so no patience);
    ``gmr``: Garnett-Mandelbaum-Reiman (M/M/n+M).
    """
    if model == "exact":
        return queue_kpis
    if model == "square-root":
        def halfin_whitt(lam, h, n, patience, threshold, short_abandon=5.0):
            if not _is_no_abandonment(patience):
                raise ValueError("model 'square-root' is the Erlang C (no patience) approximation; use 'gmr'")
            return approx.halfin_whitt_kpis(lam, h, n, threshold)
        return halfin_whitt
    if model == "gmr":
        def gmr(lam, h, n, patience, threshold, short_abandon=5.0):
            if _is_no_abandonment(patience):
                raise ValueError("model 'gmr' is the Erlang A approximation: it needs a finite patience")
            return approx.gmr_kpis(lam, h, n, patience, threshold, short_abandon)
        return gmr
    raise ValueError(f"model must be one of {MODELS}, got {model!r}")


@dataclass(frozen=True)
class Target:
    """One service goal: a KPI (``service_level``, ``asa``, ``abandon``, ``wait_probability``) and its bound."""

    name: str
    bound: float
    definition: str = "offered"  # the service-level definition (service_level only)

    def level(self, k: QueueKPIs) -> float:
        """The KPI this target bounds."""
        return {"service_level": lambda: k.service_level[self.definition], "asa": lambda: k.asa_seconds,
                "abandon": lambda: k.abandon_rate, "wait_probability": lambda: k.p_wait}[self.name]()

    def met(self, k: QueueKPIs) -> bool:
        value = self.level(k)
        return value >= self.bound if self.name == "service_level" else value <= self.bound

    def __str__(self) -> str:
        suffix = f" ({self.definition})" if self.name == "service_level" else ""
        return f"{OPTION_NAMES[self.name]}={self.bound:g}{suffix}"

    def describe(self) -> str:
        """How a manager says it: ``service level >= 80% (offered)``, ``ASA <= 30s``."""
        if self.name == "service_level":
            return f"service level >= {self.bound:.0%} ({self.definition})"
        if self.name == "asa":
            return f"ASA <= {self.bound:g}s"
        return f"{'abandon rate' if self.name == 'abandon' else 'wait probability'} <= {self.bound:.0%}"


def make_targets(sl_definition: str, target_sl: float | None, target_asa: float | None,
                 target_abandon: float | None, target_wait_probability: float | None = None) -> list[Target]:
    """The targets given, validated; at least one is required."""
    if sl_definition not in SL_DEFINITIONS:
        raise ValueError(f"sl_definition must be one of {SL_DEFINITIONS}, got {sl_definition!r}")
    out = []
    if (sl := _check_fraction("target_sl", target_sl)) is not None:
        out.append(Target("service_level", sl, sl_definition))
    if target_asa is not None:
        out.append(Target("asa", _check_positive("target_asa", target_asa)))
    if (ab := _check_fraction("target_abandon", target_abandon)) is not None:
        out.append(Target("abandon", ab))
    if (wp := _check_fraction("target_wait_probability", target_wait_probability)) is not None:
        out.append(Target("wait_probability", wp))
    if not out:
        raise ValueError("at least one of target_sl, target_asa, target_abandon, target_wait_probability is required")
    return out


def _meets(target: Target, kpis: Callable[[int], QueueKPIs]) -> Callable[[int], bool]:
    """Whether a number of agents meets ``target``."""
    return lambda agents: target.met(kpis(agents))


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
    target_wait_probability: float | None = None,
    short_abandon: float = 5.0,
    max_agents: int = 5000,
    model: str = "exact",
) -> QueueKPIs:
    """KPIs at the smallest agent count meeting every given target (Erlang C / A, or an approximation)."""
    targets = make_targets(sl_definition, target_sl, target_asa, target_abandon, target_wait_probability)
    need = requirement(arrival_rate, aht, targets, patience=patience, threshold=threshold,
                       short_abandon=short_abandon, max_agents=max_agents, model=model)
    return need.kpis


@dataclass(frozen=True)
class Requirement:
    """Agents a load needs: the integer count meeting every target, the fractional FTE, and which target bound."""

    agents: int
    fte: float  # linear interpolation of the binding target's KPI between agents - 1 and agents
    binding: Target
    kpis: QueueKPIs


def requirement(arrival_rate: float, aht: float, targets: list[Target], *, patience: float | None = None,
                threshold: float = 20.0, short_abandon: float = 5.0, max_agents: int = 5000,
                model: str = "exact") -> Requirement:
    """The fewest agents meeting every target, with the fractional FTE of the binding one.

    Each target's fractional need interpolates its KPI linearly between n - 1 (missed) and n (met)
    agents, so a target met with room at n counts a fraction of the n-th agent (pyworkforce #41).
    """
    lam = _check_positive("arrival_rate", arrival_rate)
    h = _check_positive("aht", aht)
    cap = _check_agents(max_agents, "max_agents")
    formula = kpi_model(model)
    cache: dict[int, QueueKPIs] = {}

    def kpis(n: int) -> QueueKPIs:
        if n not in cache:
            cache[n] = formula(lam, h, n, patience, threshold, short_abandon)
        return cache[n]

    a = offered_load(lam, h)
    lo = math.floor(a) + 1 if _is_no_abandonment(patience) else 1
    if lo > cap:
        raise ValueError(f"max_agents={cap} is below the offered load {a:.6g}; targets unreachable")
    start = min(cap, max(lo, math.ceil(a)))
    needs = []
    for target in targets:
        n = _smallest_passing(_meets(target, kpis), lo, start, cap)
        if n is None:
            raise ValueError(f"{target} not reachable within max_agents={cap}")
        needs.append((n, _fraction(kpis, target, n, lo), target))
    n, fte, binding = max(needs, key=lambda x: (x[0], x[1]))
    return Requirement(n, max(fte for _, fte, _ in needs), binding, kpis(n))


def _fraction(kpis: Callable[[int], QueueKPIs], target: Target, n: int, lo: int) -> float:
    """``n - 1 + share``: where the KPI, linear between n - 1 and n agents, reaches the target."""
    if n <= lo:
        return float(n)
    low, high = target.level(kpis(n - 1)), target.level(kpis(n))
    if not (math.isfinite(low) and math.isfinite(high)) or low == high:
        return float(n)
    share = (target.bound - low) / (high - low)
    return n - 1 + min(1.0, max(0.0, share))
