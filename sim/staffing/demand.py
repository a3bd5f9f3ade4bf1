"""The demand a scenario puts on each agent group, as the formulas see it: queues of (channel, skills).

Each channel's expected arrivals per interval follow the scenario exactly as the simulator draws them
(``daily_volume x day weight x profile share``, or ``rate x length``; live channels only while open).
Email arrives round the clock but is answered only in opening hours, so what arrives while it is closed
is carried into the next opening and spread evenly over it (a backlog a planner works through the day).

A stream is one channel's contacts needing one skill. The formulas size one group per stream: the
eligible group (serving the channel, with the skill) that could serve the fewest streams, i.e. the most
specialised, first in the file on a tie. The streams a group is given on one channel are pooled into one
queue; its busy time mixes the issues' handle times (handle factor x base handle time) plus the
after-contact work, and its patience is the channel's mean patience times the tiers' mean patience
factor. The simulation methods need none of this: routing decides there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.analytic import service_time as st
from sim.behaviour import waiting
from sim.config.schema import DAY, WEEKDAYS, Scenario, n_intervals
from sim.config.traits import TRAITS
from sim.errors import InputError


def interval_lengths(scenario: Scenario) -> np.ndarray:
    """Length of every interval of the horizon (the last one may be partial)."""
    starts = np.arange(scenario.n_intervals) * scenario.interval
    return np.minimum(starts + scenario.interval, scenario.horizon) - starts


def open_mask(scenario: Scenario, channel: str) -> np.ndarray:
    """True for the intervals whose start lies in the channel's opening hours (all when it has none)."""
    hours = getattr(scenario.channels, channel).hours
    starts = np.arange(scenario.n_intervals) * scenario.interval
    return np.ones(starts.size, bool) if hours is None else np.array([hours.is_open(s) for s in starts])


def expected_arrivals(scenario: Scenario, channel: str) -> np.ndarray:
    """Expected arrivals in each interval of the horizon, as the simulator draws them (before opening hours)."""
    arrivals = getattr(scenario.channels, channel).arrivals
    lengths = interval_lengths(scenario)
    if arrivals.rate is not None:
        return arrivals.rate * lengths
    per_day = scenario.intervals_per_day
    profile = np.ones(per_day) if arrivals.profile is None else np.asarray(arrivals.profile, dtype=float)
    index = np.arange(lengths.size)
    weights = np.asarray(arrivals.day_weights, dtype=float)[(index // per_day) % 7]
    return arrivals.daily_volume * weights * (profile / profile.sum())[index % per_day] * (lengths / scenario.interval)


def served_arrivals(scenario: Scenario, channel: str) -> np.ndarray:
    """Expected contacts to be answered in each interval: arrivals while open, and for email the backlog of
    each closed spell spread evenly over the open spell that follows it (lost after the last opening)."""
    return worked(channel, expected_arrivals(scenario, channel), open_mask(scenario, channel))


def worked(channel: str, counts: np.ndarray, is_open: np.ndarray) -> np.ndarray:
    """Contacts answered per interval: a live channel's arrivals while open (none arrive while it is closed),
    a backlog channel's (``TRAITS``) with each closed spell's carried into the opening after it."""
    return deferred(counts, is_open) if TRAITS[channel].backlog else np.where(is_open, counts, 0.0)


def deferred(counts: np.ndarray, is_open: np.ndarray) -> np.ndarray:
    """``counts`` with what falls in each closed spell moved evenly over the open spell after it."""
    out, carried, spell = np.zeros(len(counts)), 0.0, []
    for k, count in enumerate(counts):
        if is_open[k]:
            spell.append(k)
            out[k] += count
            continue
        if spell:
            out[spell] += carried / len(spell)
            carried, spell = 0.0, []
        carried += count
    if spell:
        out[spell] += carried / len(spell)
    return out


def busy_time(scenario: Scenario, channel: str, issues: list[str]) -> st.ServiceTime:
    """An agent's busy time per contact of ``channel`` with one of ``issues``: handle time plus wrap-up."""
    spec = getattr(scenario.channels, channel)
    base = service_time(spec.handle_time)
    shares = {name: scenario.customers.issues[name] for name in issues}
    total = sum(i.share for i in shares.values())
    parts = tuple((i.share / total, st.Scaled(base, i.handle_factor)) for i in shares.values())
    handle = parts[0][1] if len(parts) == 1 else st.Mixture(parts)
    acw = service_time(spec.after_contact_work) if spec.after_contact_work is not None else None
    return st.plus(handle, acw)


def service_time(dist) -> st.ServiceTime:
    """The analytic twin of a configured duration distribution."""
    kind = dist.dist
    if kind == "exponential":
        return st.Exponential(dist.mean)
    if kind == "lognormal":
        return st.LogNormal(dist.mean, dist.cv)
    if kind == "gamma":
        return st.Gamma(dist.mean, dist.cv)
    if kind == "weibull":
        return st.Weibull(dist.shape, dist.scale)
    if kind == "fixed":
        return st.fixed(dist.value)
    weights = dist.weights or [1.0] * len(dist.values)
    return st.Discrete(tuple(float(v) for v in dist.values), tuple(float(w) for w in weights))


def mean_patience(scenario: Scenario, channel: str) -> float | None:
    """Mean patience on ``channel`` over the tiers (None: nobody abandons)."""
    spec = getattr(scenario.channels, channel)
    if spec.patience is None or not spec.patience.finite:
        return None
    tiers = scenario.customers.tiers.values()
    factor = sum(t.share * t.patience_factor for t in tiers) / sum(t.share for t in tiers)
    factor *= waiting.position_patience_factor(getattr(spec, "queue_position_info", False))
    return spec.patience.mean * factor


@dataclass(frozen=True)
class Queue:
    """The contacts of one channel that the formulas give to one group."""

    group: str
    channel: str
    issues: tuple[str, ...]
    share: float  # of the channel's contacts
    arrivals: np.ndarray  # expected contacts to answer per interval
    service: st.ServiceTime
    patience: float | None

    @property
    def aht(self) -> float:
        return self.service.mean


def channels_with_demand(scenario: Scenario) -> list[str]:
    return [c for c in scenario.channels.names if served_arrivals(scenario, c).sum() > 0]


def designate(scenario: Scenario, channels: Sequence[str]) -> dict[tuple[str, str], str]:
    """(channel, skill) -> the group the formulas size for it (the most specialised eligible group)."""
    skills = {c: sorted({i.skill for i in scenario.customers.issues.values() if i.share > 0}) for c in channels}
    eligible = {(c, s): [g for g, spec in scenario.agents.items() if c in spec.channels and s in spec.skills]
                for c in channels for s in skills[c]}
    reach = {g: sum(g in groups for groups in eligible.values()) for g in scenario.agents}
    order = list(scenario.agents)
    return {stream: min(groups, key=lambda g: (reach[g], order.index(g)))
            for stream, groups in eligible.items() if groups}


def queues(scenario: Scenario, channels: list[str], groups: list[str]) -> list[Queue]:
    """One queue per (group, channel) among ``groups`` and ``channels`` that the formulas give contacts to."""
    owner = designate(scenario, channels)
    issues = scenario.customers.issues
    out = []
    for group in groups:
        for channel in channels:
            mine = [name for name, i in issues.items() if i.share > 0 and owner.get((channel, i.skill)) == group]
            if not mine:
                continue
            share = sum(issues[n].share for n in mine) / sum(i.share for i in issues.values())
            out.append(Queue(group, channel, tuple(mine), share, served_arrivals(scenario, channel) * share,
                             busy_time(scenario, channel, mine), mean_patience(scenario, channel)))
    return out


def check_groups(scenario: Scenario, channels: list[str], groups: list[str], found: list[Queue]) -> None:
    """Every group asked for must have contacts to serve, or the user hears why not."""
    for group in groups:
        if any(q.group == group for q in found):
            continue
        served = [c for c in scenario.agents[group].channels if c in channels]
        if not served:
            raise InputError(f"agents.{group}: serves {', '.join(scenario.agents[group].channels)}, "
                             f"which has no demand in the horizon")
        owner = designate(scenario, served)
        others = sorted({g for g in owner.values() if g != group})
        raise InputError(f"agents.{group}: every {'/'.join(served)} contact it could take is sized under "
                         f"{', '.join(others)} (the formulas give each skill to one group); "
                         f"use --method simulate to size the groups together")


def weekday_of(scenario: Scenario) -> list[str]:
    """Weekday of each interval (the horizon starts on a Monday)."""
    per_day = scenario.intervals_per_day
    return [WEEKDAYS[(k // per_day) % 7] for k in range(n_intervals(scenario.horizon, scenario.interval))]


def clock_of(scenario: Scenario) -> list[str]:
    """``HH:MM`` start of each interval."""
    starts = np.arange(scenario.n_intervals) * scenario.interval
    return [f"{int(s % DAY // 3600):02d}:{int(s % 3600 // 60):02d}" for s in starts]


__all__ = ["Queue", "busy_time", "channels_with_demand", "check_groups", "clock_of", "designate",
           "deferred", "expected_arrivals", "interval_lengths", "mean_patience", "open_mask", "queues",
           "served_arrivals",
           "service_time", "weekday_of"]
