"""The scenario schema: one typed, frozen model per config section, unknown keys rejected.

The sections are defined by subject in sibling modules (``channels.py``, ``customers.py``, ``agents.py``,
with their shared base in ``section.py``); this module holds the scenario, which ties them together and
checks them against each other, and re-exports every section so ``from sim.config.schema import X`` works.

Times are seconds after parsing (see ``units.py``). Named things (channels,
tiers, agent groups) are mappings keyed by name, so overrides read naturally:
``--set agents.phone_team.staffing=12``.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from sim.config.agents import ROUTING_POLICIES, AgentGroup, Headcount, Routing
from sim.config.behaviour import Behaviour, BehaviourField
from sim.config.channels import (
    CHANNELS,
    Arrivals,
    Balking,
    Channel,
    ChannelName,
    Channels,
    Chaser,
    Email,
    Hours,
    Phone,
    Redial,
    WalkIn,
)
from sim.config.customers import CustomerBase, Customers, IssueType, Tier
from sim.config.files import resolve_files
from sim.config.section import DAY, WEEKDAYS, Share, Weekday, _Section
from sim.config.traits import TRAITS
from sim.config.types import Duration, PositiveDuration

MAX_INTERVALS = 1_000_000  # about 57 years of 30-minute intervals
MAX_EXPECTED_PER_INTERVAL = 10_000_000
SL_DEFINITIONS = ("offered", "answered", "offered_excl_short_abandons")

__all__ = [
    "AgentGroup",
    "Arrivals",
    "Balking",
    "CHANNELS",
    "Channel",
    "ChannelName",
    "Channels",
    "Chaser",
    "CustomerBase",
    "Customers",
    "DAY",
    "Email",
    "Headcount",
    "Hours",
    "IssueType",
    "MAX_EXPECTED_PER_INTERVAL",
    "MAX_INTERVALS",
    "Money",
    "Output",
    "Phone",
    "ROUTING_POLICIES",
    "Redial",
    "Routing",
    "SL_DEFINITIONS",
    "Scenario",
    "ServiceLevel",
    "Share",
    "Tier",
    "WEEKDAYS",
    "WalkIn",
    "Weekday",
    "n_intervals",
]


def n_intervals(horizon: float, interval: float) -> int:
    """Intervals needed to cover the horizon; the last may be partial, and there is always one."""
    return max(1, math.ceil(horizon / interval - 1e-9))


class ServiceLevel(_Section):
    """How service level is defined: answered within ``threshold`` over a chosen denominator."""

    threshold: Duration = Field(default="20s", validate_default=True)
    definition: Literal["offered", "answered", "offered_excl_short_abandons"] = "offered"
    short_abandon: Duration = Field(default="5s", validate_default=True)


def _check_closing(channels: Channels, name: str) -> None:
    """A closing rule needs opening hours, and its displacement a configured channel other than its own."""
    closing = getattr(getattr(channels, name), "closing", None)
    if closing is None:
        return
    if getattr(channels, name).hours is None:
        raise ValueError(f"channels.{name}.closing needs channels.{name}.hours (when it opens and closes)")
    target = closing.displace_to
    if target in CHANNELS and (target == name or target not in channels.names):
        raise ValueError(f"channels.{name}.closing.displace_to: {target} must be another configured channel")
    if closing.queued == "call_back" and TRAITS[name].held_after_closing:
        raise ValueError(f"channels.{name}.closing.queued: {TRAITS[name].label} customers still waiting at closing "
                         "are always served")


def _clock(seconds: float) -> str:
    return f"{int(seconds // 3600):02d}:{int(seconds % 3600 // 60):02d}"


class Money(_Section):
    """Rates for the money KPIs; agents' pay and hiring cost are set per group (``agents.NAME.hourly_cost``)."""

    currency: str = Field(default="EUR", min_length=1, max_length=10)
    training_cost_per_hour: float = Field(default=20.0, ge=0, le=1e6)  # trainer and materials per agent-hour (D)
    lost_value_years: float = Field(default=1.0, ge=0, le=100)  # revenue_at_risk: a lost customer's revenue, years
    margin: float = Field(default=0.25, ge=0, le=1)  # contribution margin: share of revenue that is profit (D)
    discount_rate: float = Field(default=0.10, gt=0, le=1)  # a year, for customer lifetime value (D)
    shrinkage: float = Field(default=0.0, ge=0, lt=1)  # share of paid time off the floor (breaks, meetings, absence)


class Output(_Section):
    """What a run keeps beyond its KPIs: the contact log, and an event trace for debugging."""

    contacts: bool = False
    trace: bool = False


class Scenario(_Section):
    """One simulated service operation, over ``horizon``, measured per ``interval``."""

    name: str = "scenario"
    description: str = ""
    horizon: PositiveDuration = Field(default="1d", validate_default=True)
    interval: Annotated[PositiveDuration, Field(ge=1.0)] = Field(default="30min", validate_default=True)
    warmup: Duration = 0.0
    seed: int = Field(default=1, ge=0)
    replications: int = Field(default=5, ge=1)
    service_level: ServiceLevel = ServiceLevel()
    channels: Channels
    customers: Customers = Customers()
    agents: dict[str, AgentGroup] = Field(min_length=1)
    routing: Routing = Routing()
    money: Money = Money()
    behaviour: BehaviourField = Behaviour()
    output: Output = Output()

    @property
    def intervals_per_day(self) -> int:
        return round(DAY / self.interval)

    @property
    def n_intervals(self) -> int:
        return n_intervals(self.horizon, self.interval)

    def threshold_for(self, channel: str) -> float:
        """The service-level threshold on ``channel``: a backlog's response target, a channel's own, or the
        scenario's."""
        spec = getattr(self.channels, channel)
        if TRAITS[channel].backlog:
            return spec.response_target
        return spec.threshold if spec.threshold is not None else self.service_level.threshold

    @model_validator(mode="before")
    @classmethod
    def _read_files(cls, data: object) -> object:
        """Volumes and staffing named as files become their values (``sim/config/files.py``)."""
        return resolve_files(data)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if not math.isclose(DAY / self.interval, round(DAY / self.interval)):
            raise ValueError(f"interval must divide a day evenly (e.g. 15min, 30min, 1h), got {self.interval:g}s")
        if self.n_intervals > MAX_INTERVALS:
            raise ValueError(f"horizon / interval gives {self.n_intervals:,} intervals; at most {MAX_INTERVALS:,}")
        if self.warmup >= self.horizon:
            raise ValueError("warmup must be shorter than the horizon")
        if not math.isclose(self.warmup / self.interval, round(self.warmup / self.interval)):
            raise ValueError("warmup must be a whole number of intervals")
        for name in self.channels.names:
            self._check_arrivals(name, getattr(self.channels, name).arrivals)
            spec = getattr(self.channels, name)
            if not TRAITS[name].backlog and spec.hours is not None and getattr(spec, "closing", None) is None:
                self._check_open(name, getattr(self.channels, name))
            _check_closing(self.channels, name)
        for name, group in self.agents.items():
            if len(group.staffing) not in (1, self.intervals_per_day, 7 * self.intervals_per_day, self.n_intervals):
                raise ValueError(
                    f"agents.{name}.staffing has {len(group.staffing)} values; give one per interval "
                    f"of a day ({self.intervals_per_day}), of a week ({7 * self.intervals_per_day}) or of the "
                    f"horizon ({self.n_intervals})"
                )
            missing = [c for c in group.channels if c not in self.channels.names]
            if missing:
                raise ValueError(f"agents.{name}.channels: {', '.join(missing)} is not configured under channels")
        self._check_skills()
        return self

    def _check_arrivals(self, channel: str, arrivals: Arrivals) -> None:
        if arrivals.volumes is not None:
            self._check_volumes(channel, arrivals.volumes)
            peak = max(arrivals.volumes)
        elif arrivals.rate is not None:
            peak = arrivals.rate * self.interval
        else:
            assert arrivals.daily_volume is not None, "Arrivals gives exactly one of rate, daily_volume, volumes"
            peak = arrivals.daily_volume * max(arrivals.day_weights)
        if peak > MAX_EXPECTED_PER_INTERVAL:
            raise ValueError(f"channels.{channel}.arrivals: {peak:.3g} contacts expected in one interval or day; "
                             f"at most {MAX_EXPECTED_PER_INTERVAL:,}")
        if arrivals.profile is not None and len(arrivals.profile) != self.intervals_per_day:
            raise ValueError(
                f"channels.{channel}.arrivals.profile has {len(arrivals.profile)} values; "
                f"with interval {self.interval:g}s a day has {self.intervals_per_day}"
            )

    def _check_open(self, channel: str, spec: Channel) -> None:
        """A stated volume must fall in opening hours: arrivals at a closed counter or line would be lost."""
        assert spec.hours is not None, "only channels with opening hours are checked"
        week, arrivals = spec.hours.week_mask(self.interval), spec.arrivals
        if arrivals.volumes is not None:
            self._check_open_volumes(channel, week, arrivals.volumes)
        if arrivals.daily_volume is None:
            return  # a constant rate applies while the channel is open
        for day, weight in zip(WEEKDAYS, arrivals.day_weights):
            if weight > 0 and not week[WEEKDAYS.index(day)].any():
                raise ValueError(f"channels.{channel}.arrivals.day_weights gives {day} a weight of {weight:g}, but "
                                 f"channels.{channel}.hours is closed on {day}: its contacts would be lost "
                                 f"(set the weight to 0 or open that day)")
        if arrivals.profile is None:
            return
        worked = [WEEKDAYS.index(d) for d, w in zip(WEEKDAYS, arrivals.day_weights) if w > 0]
        open_any = np.asarray(week[worked].any(axis=0))  # a 1-d array: numpy types any(axis=0) as maybe a scalar
        closed = [k for k, w in enumerate(arrivals.profile) if w > 0 and not open_any[k]]
        if closed:
            share = sum(arrivals.profile[k] for k in closed) / sum(arrivals.profile)
            raise ValueError(
                f"channels.{channel}.arrivals.profile puts {share:.1%} of the day's volume in intervals when "
                f"channels.{channel}.hours is closed (the first at {_clock(closed[0] * self.interval)}): those "
                f"contacts would be lost; set those entries to 0 or widen the hours")

    def _check_open_volumes(self, channel: str, week: np.ndarray, volumes: list[float]) -> None:
        """Interval volumes must fall in opening hours over the whole horizon."""
        k = np.arange(self.n_intervals)
        per_day = self.intervals_per_day
        lost = (np.asarray(volumes)[k % len(volumes)] > 0) & ~week[(k // per_day) % 7, k % per_day]
        if lost.any():
            first = int(np.argmax(lost))
            raise ValueError(
                f"channels.{channel}.arrivals: volumes put contacts in intervals when channels.{channel}.hours is "
                f"closed (the first on day {first // per_day + 1} at {_clock(first % per_day * self.interval)}): "
                f"those contacts would be lost; set them to 0 or widen the hours")

    def _check_volumes(self, channel: str, volumes: list[float]) -> None:
        """One day (repeated daily), whole weeks (repeated weekly) or at least the horizon."""
        per_day, n = self.intervals_per_day, len(volumes)
        if n != per_day and n % (7 * per_day) and n < self.n_intervals:
            source = f" (from {getattr(self.channels, channel).arrivals.file})" \
                if getattr(self.channels, channel).arrivals.file else ""
            raise ValueError(
                f"channels.{channel}.arrivals: {n} interval volumes{source}; give one day ({per_day}), "
                f"whole weeks ({7 * per_day} each) or at least the horizon ({self.n_intervals})")

    def _check_skills(self) -> None:
        """Every channel x issue skill that has demand must be served by some group."""
        for channel in self.channels.names:
            for issue_name, issue in self.customers.issues.items():
                if issue.share > 0 and not any(
                    channel in g.channels and issue.skill in g.skills for g in self.agents.values()
                ):
                    raise ValueError(
                        f"customers.issues.{issue_name} needs skill '{issue.skill}' on {channel}, "
                        f"but no agent group serving {channel} has it (add it under agents.<group>.skills)"
                    )
