"""The scenario schema: one typed, frozen model per config section, unknown keys rejected.

Times are seconds after parsing (see ``units.py``). Named things (channels,
tiers, agent groups) are mappings keyed by name, so overrides read naturally:
``--set agents.phone_team.staffing=12``.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from sim.config.distributions import HandleTime, Patience, patience_shorthand
from sim.config.types import Duration, PositiveDuration, Rate

DAY = 86400.0
Headcount = Annotated[int, Field(ge=0, le=100_000, strict=False)]
MAX_INTERVALS = 1_000_000  # about 57 years of 30-minute intervals
MAX_EXPECTED_PER_INTERVAL = 10_000_000
SL_DEFINITIONS = ("offered", "answered", "offered_excl_short_abandons")


def n_intervals(horizon: float, interval: float) -> int:
    """Intervals needed to cover the horizon; the last may be partial, and there is always one."""
    return max(1, math.ceil(horizon / interval - 1e-9))


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


class ServiceLevel(_Section):
    """How service level is defined: answered within ``threshold`` over a chosen denominator."""

    threshold: Duration = 20.0
    definition: Literal["offered", "answered", "offered_excl_short_abandons"] = "offered"
    short_abandon: Duration = 5.0


class Arrivals(_Section):
    """Demand for one channel: a constant ``rate``, or ``daily_volume`` shaped by profiles."""

    rate: Rate | None = None
    daily_volume: float | None = Field(default=None, ge=0)
    profile: list[Annotated[float, Field(ge=0)]] | None = None
    day_weights: list[Annotated[float, Field(ge=0)]] = Field(default=[1.0] * 7, min_length=7, max_length=7)

    @model_validator(mode="after")
    def _one_way(self) -> Arrivals:
        if (self.rate is None) == (self.daily_volume is None):
            raise ValueError("give either 'rate' (e.g. 120/h) or 'daily_volume', not both or neither")
        if self.rate is not None and self.profile is not None:
            raise ValueError("'profile' shapes a 'daily_volume'; with a constant 'rate' leave it out")
        if self.profile is not None and sum(self.profile) <= 0:
            raise ValueError("'profile' must have at least one positive weight")
        return self


class Channel(_Section):
    """A channel's demand and the durations of its contacts."""

    arrivals: Arrivals
    handle_time: HandleTime
    after_contact_work: HandleTime | None = None
    patience: Annotated[Patience, BeforeValidator(patience_shorthand)] = Field(
        default_factory=lambda: {"dist": "none"}
    )


class Channels(_Section):
    """The channels customers use. Walk-in and email arrive with the customer-journey work."""

    phone: Channel


class Tier(_Section):
    """A customer tier: its share of arrivals, queue priority (higher first) and patience factor."""

    share: float = Field(ge=0, le=1)
    priority: int = 0
    patience_factor: float = Field(default=1.0, gt=0, le=1000)


def _default_tiers() -> dict[str, Tier]:
    return {"regular": Tier(share=1.0)}


class Customers(_Section):
    tiers: dict[str, Tier] = Field(default_factory=_default_tiers, min_length=1, max_length=100)

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Customers:
        total = sum(t.share for t in self.tiers.values())
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            raise ValueError(f"tier shares must sum to 1, they sum to {total:g}")
        return self


def _as_list(value: object) -> object:
    """A single headcount means the same headcount in every interval."""
    return [value] if isinstance(value, (int, float, str)) else value


class AgentGroup(_Section):
    """Agents who serve some channels. ``staffing``: one headcount, or one per interval of a day or of the horizon."""

    channels: list[Literal["phone"]] = Field(default=["phone"], min_length=1)
    staffing: Annotated[list[Headcount], BeforeValidator(_as_list), Field(min_length=1)]
    extra_agents: int = Field(default=0, ge=-100_000, le=100_000)  # added to every interval the group is staffed in ("hire 2 more"); never below 0

    def plan(self, n_intervals: int, intervals_per_day: int) -> list[int]:
        """Headcount in each of ``n_intervals``: the day's plan repeated, plus ``extra_agents`` where staffed."""
        base = self.staffing
        values = base * -(-n_intervals // len(base)) if len(base) in (1, intervals_per_day) else base
        return [max(0, v + self.extra_agents) if v > 0 else 0 for v in values[:n_intervals]]


class Output(_Section):
    contacts: bool = False


class Scenario(_Section):
    """One simulated service operation, over ``horizon``, measured per ``interval``."""

    name: str = "scenario"
    description: str = ""
    horizon: PositiveDuration = DAY
    interval: Annotated[PositiveDuration, Field(ge=1.0)] = 1800.0
    warmup: Duration = 0.0
    seed: int = Field(default=1, ge=0)
    replications: int = Field(default=5, ge=1)
    service_level: ServiceLevel = ServiceLevel()
    channels: Channels
    customers: Customers = Customers()
    agents: dict[str, AgentGroup] = Field(min_length=1)
    output: Output = Output()

    @property
    def intervals_per_day(self) -> int:
        return round(DAY / self.interval)

    @property
    def n_intervals(self) -> int:
        return n_intervals(self.horizon, self.interval)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if not math.isclose(DAY / self.interval, round(DAY / self.interval)):
            raise ValueError(f"interval must divide a day evenly (e.g. 15min, 30min, 1h), got {self.interval:g}s")
        if self.n_intervals > MAX_INTERVALS:
            raise ValueError(f"horizon / interval gives {self.n_intervals:,} intervals; at most {MAX_INTERVALS:,}")
        arrivals = self.channels.phone.arrivals
        peak = arrivals.rate * self.interval if arrivals.rate is not None else \
            arrivals.daily_volume * max(arrivals.day_weights)
        if peak > MAX_EXPECTED_PER_INTERVAL:
            raise ValueError(f"channels.phone.arrivals: {peak:.3g} contacts expected in one interval or day; "
                             f"at most {MAX_EXPECTED_PER_INTERVAL:,}")
        if self.warmup >= self.horizon:
            raise ValueError("warmup must be shorter than the horizon")
        if not math.isclose(self.warmup / self.interval, round(self.warmup / self.interval)):
            raise ValueError("warmup must be a whole number of intervals")
        profile = self.channels.phone.arrivals.profile
        if profile is not None and len(profile) != self.intervals_per_day:
            raise ValueError(
                f"channels.phone.arrivals.profile has {len(profile)} values; "
                f"with interval {self.interval:g}s a day has {self.intervals_per_day}"
            )
        for name, group in self.agents.items():
            if len(group.staffing) not in (1, self.intervals_per_day, self.n_intervals):
                raise ValueError(
                    f"agents.{name}.staffing has {len(group.staffing)} values; give one per interval "
                    f"of a day ({self.intervals_per_day}) or of the horizon ({self.n_intervals})"
                )
        return self
